// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "export/Drift.h"

#include "lint/Lint.h"

#include <QAbstractTableModel>
#include <QList>
#include <QThreadPool>
#include <QTimer>

#include <functional>

namespace jwb::ui {

class PolicyDocument;

// The lint findings (lint::lintPolicy) of the document's current policy, recomputed after every
// change. Several signals of one edit (a macro command) are coalesced into one lint run, which runs
// on a worker thread on a copy of the policy: a 10,000-issuer lint never holds the UI thread, and a
// result for a policy edited since is dropped (only the latest run's findings are shown).
class ProblemsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsModel)

public:
    enum Column { SeverityColumn, MessageColumn, LocationColumn, RuleColumn, ColumnCount };
    static constexpr int PathRole = Qt::UserRole + 1;     // finding.path, for "go to field"
    static constexpr int SeverityRole = Qt::UserRole + 2; // lint::Severity as int

    explicit ProblemsModel(PolicyDocument* document, QObject* parent = nullptr);

    // Unix seconds deciding expired/expiring exceptions (tests fix it).
    void setClock(std::function<qint64()> clock);
    ~ProblemsModel() override;

    // Runs lint now, on this thread (otherwise it runs on a worker after a change).
    void refresh();
    // Whether a lint run for the current policy is still to come (the findings shown are older).
    bool isPending() const { return m_pending.isActive() || m_applied != m_generation; }
    // Adds the drift of a deployed gateway configuration (exporting::detectDrift) to the findings,
    // recomputed with lint after every policy change until cleared. Returns the parse error, if any,
    // and keeps the previous configuration in that case.
    Status setDeployedConfig(exporting::DriftSource source, const QByteArray& config, const QString& name);
    void clearDeployedConfig();
    bool hasDeployedConfig() const { return m_deployed.has_value(); }
    const lint::Finding& finding(int row) const { return m_findings.at(row); }
    int count(lint::Severity severity) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // After every lint run for the current policy, also when its findings are the ones shown (the
    // model is reset only when they differ).
    void findingsChanged();

private:
    void startLint();
    void apply(QList<lint::Finding> findings, quint64 generation);

    PolicyDocument* m_document;
    std::function<qint64()> m_clock;
    QList<lint::Finding> m_findings; // derived from the document, never edited here
    struct DeployedConfig {
        exporting::DriftSource source;
        QByteArray config;
        QString name;
    };
    std::optional<DeployedConfig> m_deployed;
    QTimer m_pending;
    QThreadPool m_pool;       // one worker: runs are queued, a queued stale one is dropped
    quint64 m_generation = 0; // of the latest policy handed to lint
    quint64 m_applied = 0;    // of the findings shown
};

} // namespace jwb::ui
