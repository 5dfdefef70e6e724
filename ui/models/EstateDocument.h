// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/Estate.h"
#include "util/Error.h"

#include <QObject>
#include <QUndoStack>

#include <optional>

namespace jwb::ui {

// The estate file open on the Estate page, with its own undo stack (the policy document's stack
// stays the policy's). Every edit is checked by the core's loader on the estate exactly as Save
// would write it, so the page never holds an estate the CLI would refuse: a refused edit changes
// nothing, pushes nothing and returns the loader's error (file:line: field). Opening a file that
// does not load leaves the open estate as it was.
class EstateDocument final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EstateDocument)

public:
    explicit EstateDocument(QObject* parent = nullptr);

    bool isOpen() const { return m_estate.has_value(); }
    // Only valid while isOpen().
    const estate::Estate& estate() const { return *m_estate; }
    int verifierCount() const { return m_estate ? static_cast<int>(m_estate->verifiers.size()) : 0; }
    QString filePath() const { return m_filePath; }
    QUndoStack* undoStack() { return &m_stack; }
    bool isModified() const { return !m_stack.isClean(); }

    Status open(const QString& path);
    Status save();
    // Writes the estate to `path` (atomically) with paths relative to its folder; on success the
    // document is that file from then on.
    Status saveAs(const QString& path);

    // Undoable edits (one step each).
    Status insertVerifier(int row, const estate::Verifier& verifier);
    Status removeVerifier(int row);
    Status replaceVerifier(int row, const estate::Verifier& verifier, const QString& what);
    // A verifier that loads as it is: a name not yet used, a service accepting the policy's first issuer.
    estate::Verifier newVerifier() const;

    // For the undo commands: apply an edit already checked, without checking it again.
    void applyInsert(int row, const estate::Verifier& verifier);
    void applyRemove(int row);
    void applyReplace(int row, const estate::Verifier& verifier);

signals:
    void aboutToReset();
    void resetDone();
    void verifierAboutToBeInserted(int row);
    void verifierInserted();
    void verifierAboutToBeRemoved(int row);
    void verifierRemoved();
    void verifierChanged(int row);
    // The verifier list changed in any way (edit, undo, redo, open).
    void changed();
    void filePathChanged(const QString& path);
    // An edit the loader refused (also returned by the edit function).
    void editRefused(const jwb::Error& error);

private:
    QString baseDir() const;
    // The estate with `verifiers`, as saved and read back by the core loader.
    Result<estate::Estate> checked(const QList<estate::Verifier>& verifiers) const;
    // Re-reads the current verifiers so field lines match what Save writes; keeps them on failure.
    void refreshLines();
    Status refuse(const Error& error);

    std::optional<estate::Estate> m_estate;
    QString m_filePath;
    QUndoStack m_stack;
};

} // namespace jwb::ui
