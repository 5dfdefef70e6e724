// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "verify/SelfTest.h"

#include <QAbstractTableModel>
#include <QPalette>
#include <QSortFilterProxyModel>
#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace jwb::ui {

// The self-test report as a table: one row per adversarial variant, with the issuer attacked, what
// the variant tries, and the verdict: rejected at a step, ACCEPTED (a red finding, with why it
// matters) or not applicable.
class SelfTestModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SelfTestModel)

public:
    enum Column { IssuerColumn, VariantColumn, VerdictColumn, DetailColumn, ColumnCount };
    // SortRole: what a column sorts by (the Verdict column: accepted, then rejected, then n/a).
    enum Role { VariantIdRole = Qt::UserRole + 1, AcceptedRole, ApplicableRole, SortRole };

    explicit SelfTestModel(QObject* parent = nullptr);

    void setReport(verify::SelfTestReport report);
    const verify::SelfTestReport& report() const { return m_report; }
    void setPalette(const QPalette& palette);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString verdictText(const verify::SelfTestVariant& variant);
    // The Why column's text: the finding, the rejecting step's reason, or why it does not apply.
    static QString whyText(const verify::SelfTestVariant& variant);

private:
    verify::SelfTestReport m_report;
    QPalette m_palette;
};

// The report as shown: sortable by any column (SortRole), optionally only the ACCEPTED variants.
class SelfTestFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SelfTestFilterModel)

public:
    explicit SelfTestFilterModel(QObject* parent = nullptr);
    void setAcceptedOnly(bool on);
    bool acceptedOnly() const { return m_acceptedOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_acceptedOnly = false;
};

// Runs the policy self-test off the UI thread (cancellable) and shows the report.
class SelfTestView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SelfTestView)

public:
    explicit SelfTestView(QWidget* parent = nullptr);
    ~SelfTestView() override;

    SelfTestModel* model() const { return m_model; }
    // What the table shows: sorted (accepted variants first until a header is clicked) and filtered.
    SelfTestFilterModel* shownModel() const { return m_proxy; }
    bool isRunning() const { return m_running; }
    QString summary() const;
    // Results older than the current policy are marked stale until the next run.
    bool isStale() const { return m_stale; }

public slots:
    void setPolicy(const jwb::policy::Policy& policy);
    // Mints the variants at this instant (Unix seconds); unset: the time of each run.
    void setEvaluationInstant(qint64 unixSeconds);
    void run();
    void cancel();

signals:
    void finished();

protected:
    void changeEvent(QEvent* event) override;

private:
    void onFinished(verify::SelfTestReport report, bool cancelled, quint64 generation);
    void updateSummary();
    void showSelectedTrace();

    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_generation = 0;
    bool m_running = false;
    bool m_stale = false;
    bool m_haveReport = false;
    bool m_cancelled = false;
    policy::Policy m_policy;
    std::optional<qint64> m_at;
    qint64 m_lastAt = 0;

    SelfTestModel* m_model = nullptr;
    SelfTestFilterModel* m_proxy = nullptr;
    QCheckBox* m_acceptedOnly = nullptr;
    QTableView* m_view = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_trace = nullptr;
};

} // namespace jwb::ui
