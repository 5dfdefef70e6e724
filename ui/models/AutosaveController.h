// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "util/Error.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

namespace jwb::ui {

class PolicyDocument;

// The crash-recovery copy of one document: where it lives (one file per policy file under the
// application's data folder), writing it periodically while the document has unsaved changes,
// removing it once the work is saved or dropped, and finding a copy left behind by a session that
// did not close normally.
//
// It shows nothing: finding a copy returns a value and the window decides what to ask (the window
// owns the dialogs, and this class stays testable without answering message boxes). A failed write
// is reported through writeFailed(); the document then stays modified, since only a real save makes
// it clean.
class AutosaveController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AutosaveController)

public:
    // What findRecovery() found for the document's current file.
    struct Recovery {
        enum class State {
            Nothing,   // no copy, a copy older than the file (removed) or equal to the document (removed)
            Damaged,   // the copy cannot be read; it was moved aside to `keptAs`, never loaded
            Available, // a readable copy that differs from the document: `policy`, saved at `savedAt`
        };
        State state = State::Nothing;
        QString path;
        QDateTime savedAt;
        policy::Policy policy;
        Error error;    // Damaged: why it cannot be read
        QString keptAs; // Damaged: where it was moved (`path` + ".corrupt")
    };

    // Writing starts on the default interval (30 s). A save of `document` removes the copy.
    explicit AutosaveController(PolicyDocument* document, QObject* parent = nullptr);
    ~AutosaveController() override;

    static QString directory();
    // The copy of the policy at `filePath` (empty: the untitled document). One slot per file.
    static QString pathFor(const QString& filePath);

    int interval() const { return m_timer.interval(); }
    void setInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
    bool isActive() const { return m_timer.isActive(); }
    // No more periodic writes (the window is closing).
    void stop() { m_timer.stop(); }

    // Writes the copy now when the document has unsaved changes, all or nothing (a short write
    // leaves the previous copy in place). Returns whether a copy was written; a failure is also
    // emitted as writeFailed() with ERR_AUTOSAVE_WRITE naming the path.
    bool write();
    // Removes the copy this controller wrote and the one of the document's current file.
    void remove();

    // Looks for a copy of the document's current file. Stale and unchanged copies are removed,
    // a damaged one is moved aside (never deleted: it may be someone's work).
    Recovery findRecovery();
    // Loads an Available copy into the document as unsaved changes to the same file; the copy
    // stays until the work is saved or dropped.
    void recover(Recovery recovery);
    // Deletes the copy the user chose not to recover.
    void discard(const Recovery& recovery);

signals:
    void writeFailed(const jwb::Error& error);

private:
    PolicyDocument* m_document;
    QTimer m_timer;
    QString m_written; // path of the copy written (or recovered) last, removed with remove()
};

} // namespace jwb::ui
