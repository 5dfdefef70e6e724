// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "corpus/CorpusReport.h"
#include "policy/Policy.h"

#include <QStringList>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;
class QThread;

namespace jwb::ui {

class CorpusBucketModel;
class RejectionChart;

// The "Corpus" view: open token dumps or gateway logs, verify every token under the current policy
// (core/corpus, off the GUI thread, with a progress bar and Cancel), then read the summary: a table
// by first failing step, issuer or audience, a bar chart of rejections by step, and the fingerprints
// of the selected bucket. A fingerprint opens its token in the Token Lab; the tokens are kept in
// memory only for the loaded corpus.
class CorpusView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CorpusView)

public:
    explicit CorpusView(QWidget* parent = nullptr);
    ~CorpusView() override; // cancels and waits for a running analysis

    // Fixes the evaluation instant (Unix seconds) for repeatable runs and tests; unset: the clock.
    void setEvaluationInstant(std::optional<qint64> unixSeconds);
    // Verification threads; 0 (the default) uses every core.
    void setThreads(int threads);

    bool isRunning() const;
    // The last finished analysis (complete or cancelled), if any.
    const corpus::CorpusReport* report() const;
    QStringList files() const { return m_files; }

public slots:
    void setPolicy(const jwb::policy::Policy& policy);
    // Verifies `paths` as one corpus under the current policy; ignored while a run is going on.
    void analyzeFiles(const QStringList& paths);
    void cancel();

signals:
    void openInTokenLab(const QByteArray& token);
    // After every run, complete, cancelled or failed.
    void analysisFinished();

private:
    void chooseFiles();
    void rerun();
    void onProgress(double fraction, qint64 tokens, qint64 distinct);
    void onFinished();
    void showReport();
    void showBucket();
    void openSelected();
    void updateActions();
    void stretchNameColumn();

    std::optional<policy::Policy> m_policy;
    std::optional<qint64> m_instant;
    int m_threads = 0;
    QStringList m_files;

    // The run in flight. The worker writes m_result and signals the GUI thread when done.
    QThread* m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::optional<Result<corpus::CorpusReport>>> m_result;
    std::optional<corpus::CorpusReport> m_report;

    QPushButton* m_open = nullptr;
    QPushButton* m_rerun = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_summary = nullptr;
    QComboBox* m_grouping = nullptr;
    QTableView* m_table = nullptr;
    CorpusBucketModel* m_model = nullptr;
    RejectionChart* m_chart = nullptr;
    QLabel* m_bucketTitle = nullptr;
    QListWidget* m_fingerprints = nullptr;
    QPushButton* m_openInLab = nullptr;
};

} // namespace jwb::ui
