// SPDX-License-Identifier: Apache-2.0
#include "models/ProblemsModel.h"

#include "models/PolicyDocument.h"

#include <QApplication>
#include <QDateTime>
#include <QStyle>

#include <algorithm>
#include <utility>

namespace jwb::ui {

ProblemsModel::ProblemsModel(PolicyDocument* document, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
    , m_clock([] { return QDateTime::currentSecsSinceEpoch(); })
{
    m_pool.setMaxThreadCount(1);
    m_pending.setSingleShot(true);
    m_pending.setInterval(0);
    connect(&m_pending, &QTimer::timeout, this, &ProblemsModel::startLint);
    connect(document, &PolicyDocument::policyChanged, this, [this] {
        ++m_generation; // whatever runs now is for an older policy
        m_pending.start();
    });
    // Line numbers are shown only while they match the file: saving or undoing back changes that,
    // and only the location column, so the findings are not recomputed for it.
    connect(document, &PolicyDocument::modifiedChanged, this, [this] {
        if (!m_findings.isEmpty())
            emit dataChanged(index(0, LocationColumn), index(rowCount() - 1, LocationColumn), {Qt::DisplayRole});
    });
    refresh();
}

ProblemsModel::~ProblemsModel()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void ProblemsModel::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    refresh();
}

namespace {

// A drift finding shown like a lint finding: loosening drift is an error (the gateway accepts what
// the policy rejects), an unverifiable part a warning.
lint::Finding fromDrift(const exporting::DriftReport& report, const exporting::DriftFinding& d, const QString& name)
{
    lint::Finding f;
    f.ruleId = QStringLiteral("drift-") + d.kind;
    f.severity = d.classification == exporting::DriftClass::Loosening ? lint::Severity::Error : lint::Severity::Warning;
    f.message = QStringLiteral("Deployed %1 (%2): %3").arg(report.target, name, d.message);
    f.reference = QStringLiteral("drift against the deployed configuration");
    f.path = d.path;
    f.issuer = d.issuer;
    return f;
}

} // namespace

Status ProblemsModel::setDeployedConfig(exporting::DriftSource source, const QByteArray& config, const QString& name)
{
    const auto report = exporting::detectDrift(m_document->policy(), source, config, name, m_clock());
    if (!report)
        return report.error();
    m_deployed = DeployedConfig{source, config, name};
    refresh();
    return Ok{};
}

void ProblemsModel::clearDeployedConfig()
{
    m_deployed.reset();
    refresh();
}

namespace {

QList<lint::Finding> lintWithDrift(const policy::Policy& policy, qint64 now, exporting::DriftSource source,
                                   const QByteArray* config, const QString& name)
{
    QList<lint::Finding> findings = lint::lintPolicy(policy, now);
    if (config) {
        const auto report = exporting::detectDrift(policy, source, *config, name, now);
        if (report) {
            for (const exporting::DriftFinding& d : report->findings)
                findings.append(fromDrift(*report, d, name));
        }
    }
    return findings;
}

} // namespace

void ProblemsModel::refresh()
{
    m_pending.stop();
    const quint64 generation = ++m_generation;
    apply(lintWithDrift(m_document->policy(), m_clock(), m_deployed ? m_deployed->source : exporting::DriftSource{},
                        m_deployed ? &m_deployed->config : nullptr, m_deployed ? m_deployed->name : QString()),
          generation);
}

void ProblemsModel::startLint()
{
    const quint64 generation = m_generation;
    m_pool.clear(); // a queued run that has not started yet is for an older policy
    // The copy shares the policy's data with the document (implicit sharing); an edit while lint
    // runs detaches the document's side, never the worker's.
    m_pool.start([this, policy = m_document->policy(), now = m_clock(), deployed = m_deployed, generation]() {
        QList<lint::Finding> findings =
            lintWithDrift(policy, now, deployed ? deployed->source : exporting::DriftSource{},
                          deployed ? &deployed->config : nullptr, deployed ? deployed->name : QString());
        // The model outlives its pool's jobs (the destructor waits), so `this` is safe here.
        QMetaObject::invokeMethod(
            this, [this, findings = std::move(findings), generation]() mutable { apply(std::move(findings), generation); },
            Qt::QueuedConnection);
    });
}

void ProblemsModel::apply(QList<lint::Finding> findings, quint64 generation)
{
    if (generation != m_generation)
        return; // the policy changed since this run started; the run for it is queued
    m_applied = generation;
    // Most edits leave the findings as they were (a tick inside one trust domain): then the rows,
    // the open groups and the selection stay, and nothing is laid out again.
    const auto same = [](const lint::Finding& a, const lint::Finding& b) {
        return a.line == b.line && a.severity == b.severity && a.ruleId == b.ruleId && a.path == b.path
               && a.issuer == b.issuer && a.message == b.message && a.reference == b.reference;
    };
    if (findings.size() != m_findings.size()
        || !std::equal(findings.cbegin(), findings.cend(), m_findings.cbegin(), same)) {
        beginResetModel();
        m_findings = std::move(findings);
        endResetModel();
    }
    emit findingsChanged();
}

int ProblemsModel::count(lint::Severity severity) const
{
    return static_cast<int>(std::count_if(m_findings.cbegin(), m_findings.cend(),
                                          [severity](const lint::Finding& f) { return f.severity == severity; }));
}

int ProblemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ProblemsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const lint::Finding& f = m_findings.at(index.row());
    switch (role) {
    case PathRole:
        return f.path;
    case SeverityRole:
        return static_cast<int>(f.severity);
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return lint::severityName(f.severity);
        case MessageColumn:
            return f.message;
        case LocationColumn:
            return f.line > 0 && m_document->linesMatchFile() ? QStringLiteral("%1 (line %2)").arg(f.path).arg(f.line)
                                                              : f.path;
        case RuleColumn:
            return f.ruleId;
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() != SeverityColumn)
            return {};
        switch (f.severity) {
        case lint::Severity::Error:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        case lint::Severity::Warning:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        case lint::Severity::Info:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation);
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1\nRule %2 — %3\nDouble-click to go to %4.").arg(f.message, f.ruleId, f.reference, f.path);
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case MessageColumn:
        return tr("Problem");
    case LocationColumn:
        return tr("Field");
    case RuleColumn:
        return tr("Rule");
    default:
        return {};
    }
}

} // namespace jwb::ui
