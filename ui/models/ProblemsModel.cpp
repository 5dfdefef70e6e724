// SPDX-License-Identifier: Apache-2.0
#include "models/ProblemsModel.h"

#include "models/PolicyDocument.h"

#include <QApplication>
#include <QDateTime>
#include <QStyle>

#include <utility>

namespace jwb::ui {

ProblemsModel::ProblemsModel(PolicyDocument* document, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
    , m_clock([] { return QDateTime::currentSecsSinceEpoch(); })
{
    m_pending.setSingleShot(true);
    m_pending.setInterval(0);
    connect(&m_pending, &QTimer::timeout, this, &ProblemsModel::refresh);
    connect(document, &PolicyDocument::policyChanged, &m_pending, qOverload<>(&QTimer::start));
    refresh();
}

void ProblemsModel::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    refresh();
}

void ProblemsModel::refresh()
{
    m_pending.stop();
    QList<lint::Finding> findings = lint::lintPolicy(m_document->policy(), m_clock());
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
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
            return f.line > 0 ? QStringLiteral("%1 (line %2)").arg(f.path).arg(f.line) : f.path;
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
