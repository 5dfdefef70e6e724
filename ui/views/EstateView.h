// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "estate/EstateReport.h"
#include "verify/Trace.h"

#include <QHash>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QThread;
class QToolButton;

namespace jwb::ui {

class EstateDocument;
class EstateMatrixModel;
class EstateTokensModel;
class EstateVerifierModel;
class TraceModel;
class TrustChainWidget;

// The "Estate" page (issue 23): the verifiers of one estate file (every gateway and service of a
// trust chain), edited with undo on the estate's own stack and saved atomically; "Probe all" runs
// the core's estate check (estate::checkEstate) on a worker thread with progress and Cancel; the
// core's matrix of verifiers x variant classes, coloured by outcome, where a cell shows the tokens
// of that class (fingerprints only) with the verifier's answer and the core's trace; and the trust
// chain as a picture in which a weak verifier stands out. Verdicts and outcomes are the core's.
class EstateView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EstateView)

public:
    explicit EstateView(QWidget* parent = nullptr);
    ~EstateView() override; // cancels and waits for a running check

    EstateDocument* document() const { return m_document; }
    // Opens an estate file; a file the core refuses shows its error (file:line) and changes nothing.
    bool openFile(const QString& path);
    bool saveFile();
    bool saveFileAs(const QString& path);
    // "Open Estate…": asks for a file (for the window's menus).
    QAction* openAction() const { return m_openAction; }
    QStringList recentFiles() const;

    // Starts the estate check; ignored while one runs or when no estate is open.
    void probeAll();
    void cancel();
    bool isRunning() const { return m_worker != nullptr; }
    // The last finished check (complete or cancelled), if any.
    std::shared_ptr<const estate::EstateReport> report() const { return m_report; }
    // The error of the last check that could not start (file and policy problems), if any.
    QString lastError() const { return m_lastError; }

    // Shows the tokens of one matrix cell (what a click does).
    void showCell(int row, int column);

    EstateVerifierModel* verifierModel() const { return m_verifierModel; }
    EstateMatrixModel* matrixModel() const { return m_matrixModel; }
    EstateTokensModel* tokensModel() const { return m_tokensModel; }
    TraceModel* traceModel() const { return m_traceModel; }
    TrustChainWidget* chainWidget() const { return m_chain; }
    QTabWidget* resultTabs() const { return m_tabs; }

signals:
    // After every check, complete, cancelled or failed.
    void probeFinished();

private:
    struct RunOutput;

    void chooseFile();
    void chooseSaveAs();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void addVerifier();
    void removeVerifier();
    void onProgress(int verifier, int total, const QString& name, int done, int tokens);
    void onFinished();
    void showTrace();
    void showError(const QString& text);
    void showStatus(const QString& text);
    void updateChain();
    void updateActions();

    EstateDocument* m_document;
    EstateVerifierModel* m_verifierModel;
    EstateMatrixModel* m_matrixModel;
    EstateTokensModel* m_tokensModel;
    TraceModel* m_traceModel;

    QThread* m_worker = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::shared_ptr<RunOutput> m_output;
    std::shared_ptr<const estate::EstateReport> m_report;
    QString m_cellVerifier;
    QString m_lastError;

    QAction* m_openAction = nullptr;
    QPushButton* m_openButton = nullptr;
    QToolButton* m_recentButton = nullptr;
    QMenu* m_recentMenu = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_saveAsButton = nullptr;
    QToolButton* m_undoButton = nullptr;
    QToolButton* m_redoButton = nullptr;
    QPushButton* m_addButton = nullptr;
    QPushButton* m_removeButton = nullptr;
    QPushButton* m_probeButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_fileLabel = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_error = nullptr;
    QTableView* m_table = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_summary = nullptr;
    QTableView* m_matrix = nullptr;
    QLabel* m_cellTitle = nullptr;
    QTableView* m_tokens = nullptr;
    QLabel* m_traceTitle = nullptr;
    QTableView* m_trace = nullptr;
    TrustChainWidget* m_chain = nullptr;
};

} // namespace jwb::ui
