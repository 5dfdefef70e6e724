// SPDX-License-Identifier: Apache-2.0
#include "models/EstateTokensModel.h"

#include "models/EstateMatrixModel.h"

#include <QFontDatabase>

namespace jwb::ui {

EstateTokensModel::EstateTokensModel(QObject* parent) : QAbstractTableModel(parent) {}

void EstateTokensModel::setResults(QList<probe::ProbeResult> results)
{
    beginResetModel();
    m_results = std::move(results);
    endResetModel();
}

int EstateTokensModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_results.size());
}

int EstateTokensModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EstateTokensModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() < 0 || index.row() >= rowCount() || index.column() < 0
        || index.column() >= ColumnCount)
        return {};
    const probe::ProbeResult& r = m_results.at(index.row());
    const QString outcome = probe::outcomeName(r.result);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case VariantColumn: return r.variant;
        case CoreColumn:
            return r.expectedAccepted ? tr("accepts") : tr("rejects at %1").arg(r.expectedStep);
        case StatusColumn: return r.httpStatus > 0 ? QString::number(r.httpStatus) : tr("none");
        case ObservedColumn: return probe::observedName(r.observed);
        case OutcomeColumn: return outcomeTitle(outcome);
        case FingerprintColumn: return r.fingerprint;
        default: return {};
        }
    }
    if (role == Qt::BackgroundRole && index.column() == OutcomeColumn) {
        const QColor c = outcomeBackground(QPalette(), outcome);
        return c.isValid() ? QVariant(c) : QVariant();
    }
    if (role == Qt::FontRole && index.column() == FingerprintColumn)
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role == Qt::ToolTipRole) {
        if (index.column() == StatusColumn && !r.error.isEmpty())
            return r.error;
        if (index.column() == OutcomeColumn)
            return outcomeMeaning(outcome);
        if (index.column() == VariantColumn && !r.control.isEmpty())
            return tr("gap control: %1").arg(r.control);
    }
    return {};
}

QVariant EstateTokensModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VariantColumn: return tr("Variant");
    case CoreColumn: return tr("Policy (core)");
    case StatusColumn: return tr("HTTP");
    case ObservedColumn: return tr("Verifier");
    case OutcomeColumn: return tr("Outcome");
    case FingerprintColumn: return tr("Fingerprint");
    default: return {};
    }
}

} // namespace jwb::ui
