// SPDX-License-Identifier: Apache-2.0
#include "models/TraceTokensModel.h"

#include "models/Palette.h"
#include "widgets/VerdictIcon.h"

#include <utility>

namespace jwb::ui {

TraceTokensModel::TraceTokensModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceTokensModel::setTokens(QList<TokenSummary> tokens)
{
    if (tokens.size() == m_tokens.size()) {
        m_tokens = std::move(tokens);
        if (!m_tokens.isEmpty())
            emit dataChanged(index(0, 0), index(static_cast<int>(m_tokens.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_tokens = std::move(tokens);
    endResetModel();
}

void TraceTokensModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_tokens.isEmpty())
        emit dataChanged(index(0, 0), index(static_cast<int>(m_tokens.size()) - 1, ColumnCount - 1));
}

int TraceTokensModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_tokens.size());
}

int TraceTokensModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TraceTokensModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TokenSummary& token = m_tokens.at(index.row());
    if (role == AcceptedRole)
        return token.accepted;
    if (role == FailureCodeRole)
        return token.failureCode;
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case LineColumn:
            return token.line;
        case VerdictColumn:
            return token.verdictText;
        case IssuerColumn:
            return token.issuer;
        case FingerprintColumn:
            return token.fingerprint;
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::DecorationRole && column == VerdictColumn)
        return verdictIcon(token.accepted ? verify::Verdict::Pass : verify::Verdict::Fail, m_palette);
    if (role == Qt::ForegroundRole && column == VerdictColumn && !token.accepted)
        return tintColor(m_palette, Tint::Danger);
    if (role == Qt::ToolTipRole) {
        QString tip = tr("Line %1, %2: %3").arg(token.line).arg(token.fingerprint, token.verdictText);
        if (!token.failureCode.isEmpty())
            tip += QStringLiteral(" (") + token.failureCode + u')';
        if (!token.issuer.isEmpty() && !token.accepted)
            tip += tr("\niss '%1' is untrusted: the token was not accepted").arg(token.issuer);
        return tip;
    }
    return {};
}

QVariant TraceTokensModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case LineColumn:
        return tr("Line");
    case VerdictColumn:
        return tr("Verdict");
    case IssuerColumn:
        return tr("Issuer (iss)");
    case FingerprintColumn:
        return tr("Fingerprint");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace jwb::ui
