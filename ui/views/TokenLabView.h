// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "models/TraceEvaluation.h"
#include "policy/Policy.h"
#include "verify/PolicyVerifier.h"

#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QWidget>

#include <memory>

class QDateTimeEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSplitter;
class QTableView;
class QTableWidget;

namespace jwb::ui {

class PolicyDocument;
class TimelineStrip;
class TokenEdit;
class TraceModel;
class TraceTokensModel;

// Token Lab: paste, type, open or drop tokens (one per line) and see, for the selected one, the
// core's trace step by step under the policy being edited, the decoded header and payload, the
// registered claims explained and a timeline of its time claims.
//
// Every keystroke, policy change, clock tick and selection change schedules an evaluation on a
// private one-thread pool; each carries a generation number and only the newest result is shown,
// so a slow evaluation never blocks typing and a stale one never overwrites a newer one.
class TokenLabView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenLabView)

public:
    explicit TokenLabView(QWidget* parent = nullptr);
    ~TokenLabView() override;

    // With a document, the mint dialog can add its test key to an issuer (an undoable edit).
    void setDocument(PolicyDocument* document);

    QString tokenText() const;
    // The evaluation instant in use: the fixed one, or now.
    qint64 evaluationInstant() const;
    bool isEvaluatingNow() const { return m_now; }
    // The trace of the selected token as Markdown (redacted: fingerprint, no signature, no token).
    QString traceMarkdown() const;
    // The last result shown (tests and the coordinator's status bar).
    const TokenLabResult& result() const { return m_result; }
    int selectedToken() const { return m_selected; }
    // Number of results applied so far (stale ones excluded).
    quint64 appliedCount() const { return m_appliedCount; }

    TraceModel* traceModel() const { return m_traceModel; }
    TraceTokensModel* tokensModel() const { return m_tokensModel; }
    TimelineStrip* timeline() const { return m_timeline; }

public slots:
    void setPolicy(const jwb::policy::Policy& policy);
    // Replaces the input (for "open in Token Lab" from the corpus view and the mint dialog).
    void setTokenText(const QString& text);
    // Appends one token as a new line and selects it.
    void addToken(const QString& token);
    // Evaluates at a fixed instant (Unix seconds, UTC) until setEvaluationNow().
    void setEvaluationInstant(qint64 unixSeconds);
    // Evaluates at the current time, re-evaluating every second.
    void setEvaluationNow();
    void selectToken(int index);
    void copyTraceAsMarkdown();
    // Opens a file of tokens (one per line); errors are shown in the view's status line.
    bool openFile(const QString& path);
    void openFileDialog();
    void openMintDialog();

signals:
    // A result was applied to the widgets.
    void evaluated();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildUi();
    void scheduleEvaluation();
    void applyResult(TokenLabResult result, std::shared_ptr<const verify::PolicyVerifier> verifier,
                     quint64 policyVersion);
    void showDetail();
    void updateVerdictBanner();
    void updateClockControls();
    void onCursorMoved();
    void showStatus(const QString& text, bool error);
    void saveSplitters() const;

    // Evaluation state.
    QThreadPool m_pool;
    quint64 m_generation = 0;
    quint64 m_appliedCount = 0;
    std::shared_ptr<const policy::Policy> m_policy;
    std::shared_ptr<const verify::PolicyVerifier> m_verifier; // compiled lazily on the worker
    quint64 m_policyVersion = 0;
    bool m_now = true;
    qint64 m_fixedInstant = 0;
    int m_selected = 0;
    bool m_settingText = false; // programmatic text change: the cursor does not pick the token
    TokenLabResult m_result;
    QTimer m_clock;
    QPointer<PolicyDocument> m_document;

    // Widgets.
    TokenEdit* m_edit = nullptr;
    QTableView* m_tokensView = nullptr;
    QTableView* m_traceView = nullptr;
    QPlainTextEdit* m_header = nullptr;
    QPlainTextEdit* m_payload = nullptr;
    QTableWidget* m_claims = nullptr;
    QLabel* m_claimsTrust = nullptr;
    QLabel* m_verdict = nullptr;
    QLabel* m_status = nullptr;
    TimelineStrip* m_timeline = nullptr;
    QRadioButton* m_nowButton = nullptr;
    QRadioButton* m_atButton = nullptr;
    QDateTimeEdit* m_atEdit = nullptr;
    QPushButton* m_copyButton = nullptr;
    TraceModel* m_traceModel = nullptr;
    TraceTokensModel* m_tokensModel = nullptr;
    QList<QSplitter*> m_splitters; // remembered in QSettings under tokenLab/splitters/<objectName>
};

} // namespace jwb::ui
