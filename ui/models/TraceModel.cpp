// SPDX-License-Identifier: Apache-2.0
#include "models/TraceModel.h"

#include "models/Palette.h"
#include "widgets/VerdictIcon.h"

#include <utility>

namespace jwb::ui {

TraceModel::TraceModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceModel::setRows(QList<TraceRow> rows)
{
    if (rows.size() == m_rows.size()) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(static_cast<int>(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void TraceModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    m_icons = {};
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, VerdictColumn), index(static_cast<int>(m_rows.size()) - 1, VerdictColumn),
                         {Qt::DecorationRole});
}

int TraceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString TraceModel::untrustedText() { return tr("untrusted: read before the signature was verified"); }

const QIcon& TraceModel::icon(verify::Verdict verdict) const
{
    QIcon& cached = m_icons[static_cast<std::size_t>(verdict)];
    if (cached.isNull())
        cached = verdictIcon(verdict, m_palette);
    return cached;
}

QVariant TraceModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceRow& row = m_rows.at(index.row());
    switch (role) {
    case VerdictRole:
        return static_cast<int>(row.verdict);
    case StepIdRole:
        return row.stepName;
    case CodeRole:
        return row.code;
    case UntrustedRole:
        return row.untrusted;
    default:
        break;
    }
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case VerdictColumn:
            return verdictLabel(row.verdict);
        case StepColumn:
            return row.title;
        case ReasonColumn:
            return row.exceptionId.isEmpty() ? row.reason
                                             : row.reason + tr(" [exception %1]").arg(row.exceptionId);
        case ReferenceColumn:
            return row.reference;
        case TrustColumn:
            return row.untrusted ? tr("untrusted") : QString();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DecorationRole && column == VerdictColumn)
        return icon(row.verdict);
    if (role == Qt::ToolTipRole) {
        QString tip = QStringLiteral("%1 (%2): %3\n%4").arg(row.title, row.stepName, row.reason, row.reference);
        if (!row.code.isEmpty())
            tip += QStringLiteral("\n") + row.code;
        if (row.untrusted)
            tip += QStringLiteral("\n") + untrustedText();
        if (!row.exceptionId.isEmpty())
            tip += tr("\nPassed only because of the dated exception '%1'.").arg(row.exceptionId);
        return tip;
    }
    if (role == Qt::ForegroundRole) {
        if (column == TrustColumn && row.untrusted)
            return tintColor(m_palette, Tint::Warning);
        if (column == VerdictColumn && row.verdict == verify::Verdict::Fail)
            return tintColor(m_palette, Tint::Danger);
        if (row.verdict == verify::Verdict::Skipped)
            return m_palette.color(QPalette::Disabled, QPalette::Text);
        return {};
    }
    if (role == Qt::BackgroundRole && row.verdict == verify::Verdict::Fail)
        return tintBackground(m_palette, Tint::Danger);
    if (role == Qt::AccessibleTextRole && column == VerdictColumn)
        return verdictLabel(row.verdict);
    return {};
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case VerdictColumn:
        return tr("Verdict");
    case StepColumn:
        return tr("Step");
    case ReasonColumn:
        return tr("Reason");
    case ReferenceColumn:
        return tr("Reference");
    case TrustColumn:
        return tr("Trust");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace jwb::ui
