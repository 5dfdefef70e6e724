// SPDX-License-Identifier: Apache-2.0
#include "models/IssuerAudienceMatrixModel.h"

#include "models/Palette.h"
#include "models/PolicyDocument.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>

namespace jwb::ui {

IssuerAudienceMatrixModel::IssuerAudienceMatrixModel(PolicyDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document)
{
    connect(document, &PolicyDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &PolicyDocument::resetDone, this, [this] { endResetModel(); });
    connect(document, &PolicyDocument::issuerAboutToBeInserted, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(document, &PolicyDocument::issuerInserted, this, [this](int) { endInsertRows(); });
    connect(document, &PolicyDocument::issuerAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(document, &PolicyDocument::issuerRemoved, this, [this](int) { endRemoveRows(); });
    // Issuers changed: their rows, one range per run of adjacent rows (an audience rename's 50 rows
    // are spread over the estate; one range over all between would make the filter proxy test each).
    // Columns whose shared flag flipped are announced apart.
    connect(document, &PolicyDocument::issuersChanged, this, [this](const QList<int>& rows) {
        const int last = columnCount() - 1;
        for (qsizetype i = 0; i < rows.size() && last >= 0;) {
            qsizetype j = i;
            while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
                ++j;
            emit dataChanged(index(rows.at(i), 0), index(rows.at(j), last));
            i = j + 1;
        }
    });
    connect(document, &PolicyDocument::audienceSharingChanged, this, [this](const QStringList& audiences) {
        for (const QString& audience : audiences) {
            const int a = m_document->audienceColumn(audience);
            if (a >= 0)
                refreshColumn(a + FirstAudienceColumn, {Qt::BackgroundRole});
        }
    });
    connect(document, &PolicyDocument::audienceAboutToBeInserted, this, [this](int column) {
        beginInsertColumns({}, column + FirstAudienceColumn, column + FirstAudienceColumn);
    });
    connect(document, &PolicyDocument::audienceInserted, this, [this](int) { endInsertColumns(); });
    connect(document, &PolicyDocument::audienceAboutToBeRemoved, this, [this](int column) {
        beginRemoveColumns({}, column + FirstAudienceColumn, column + FirstAudienceColumn);
    });
    connect(document, &PolicyDocument::audienceRemoved, this, [this](int) { endRemoveColumns(); });
    connect(document, &PolicyDocument::audienceRenamed, this,
            [this](int column) { refreshColumn(column + FirstAudienceColumn, {}); });
}

int IssuerAudienceMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_document->issuerCount();
}

int IssuerAudienceMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstAudienceColumn + static_cast<int>(m_document->audiences().size());
}

void IssuerAudienceMatrixModel::refreshColumn(int column, const QList<int>& roles)
{
    emit headerDataChanged(Qt::Horizontal, column, column);
    if (rowCount() > 0)
        emit dataChanged(index(0, column), index(rowCount() - 1, column), roles);
}

bool IssuerAudienceMatrixModel::isSharedAcrossDomains(int column) const
{
    const int a = audienceIndex(column);
    if (a < 0 || a >= m_document->audiences().size())
        return false;
    return m_document->audienceSharedAcrossDomains(m_document->audiences().at(a));
}

QVariant IssuerAudienceMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& issuer = m_document->policy().issuers.at(index.row());
    const int column = index.column();
    if (column == IssuerColumn) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            return issuer.issuer;
        case Qt::ToolTipRole:
            return tr("Issuer %1: matched byte for byte against the token's iss claim (RFC 7519 section 4.1.1). "
                      "Double-click to rename.")
                .arg(issuer.issuer);
        default:
            return {};
        }
    }
    if (column == TrustDomainColumn) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            return issuer.trustDomain;
        case Qt::ToolTipRole:
            return tr("Trust domain of %1: issuers in different domains should not share an audience "
                      "(RFC 8725 section 3.9, cross-JWT confusion).")
                .arg(issuer.issuer);
        default:
            return {};
        }
    }
    const QString& audience = m_document->audiences().at(audienceIndex(column));
    const bool allowed = issuer.audiences.contains(audience);
    switch (role) {
    case FlaggedRole:
        return allowed && isSharedAcrossDomains(column);
    case Qt::CheckStateRole:
        return allowed ? Qt::Checked : Qt::Unchecked;
    case Qt::AccessibleTextRole:
        return allowed ? tr("%1 may issue tokens for %2").arg(issuer.issuer, audience)
                       : tr("%1 may not issue tokens for %2").arg(issuer.issuer, audience);
    case Qt::ToolTipRole:
        return tr("%1\nTicked: tokens from %2 are accepted when aud contains %3 (RFC 7519 section 4.1.3).")
            .arg(data(index, Qt::AccessibleTextRole).toString(), issuer.issuer, audience);
    case Qt::BackgroundRole:
        if (isSharedAcrossDomains(column))
            return tintBackground(QApplication::palette(), Tint::Warning);
        return {};
    default:
        return {};
    }
}

bool IssuerAudienceMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return false;
    const int column = index.column();
    if (column == IssuerColumn && role == Qt::EditRole)
        return m_document->renameIssuer(index.row(), value.toString()).ok();
    if (column == TrustDomainColumn && role == Qt::EditRole)
        return m_document->setIssuerTrustDomain(index.row(), value.toString()).ok();
    if (column >= FirstAudienceColumn && role == Qt::CheckStateRole) {
        const bool allowed = value.toInt() == Qt::Checked;
        return m_document->setAudienceAllowed(index.row(), audienceIndex(column), allowed).ok();
    }
    return false;
}

Qt::ItemFlags IssuerAudienceMatrixModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() < FirstAudienceColumn)
        return base | Qt::ItemIsEditable;
    return base | Qt::ItemIsUserCheckable;
}

QVariant IssuerAudienceMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount())
            return {};
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (section < 0 || section >= columnCount())
        return {};
    if (section == IssuerColumn) {
        if (role == Qt::DisplayRole)
            return tr("Issuer (iss)");
        if (role == Qt::ToolTipRole)
            return tr("Issuers this policy trusts; iss must match exactly (RFC 7519 section 4.1.1).");
        return {};
    }
    if (section == TrustDomainColumn) {
        if (role == Qt::DisplayRole)
            return tr("Trust domain");
        if (role == Qt::ToolTipRole)
            return tr("Groups issuers that belong together; an audience shared across domains is flagged "
                      "(RFC 8725 section 3.9).");
        return {};
    }
    const QString& audience = m_document->audiences().at(audienceIndex(section));
    const bool shared = isSharedAcrossDomains(section);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return audience;
    case Qt::DecorationRole:
        if (shared)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole:
        if (shared)
            return tr("Audience %1 is accepted from issuers in different trust domains (%2): a token minted "
                      "for one domain is valid in the other. Use distinct audiences per domain "
                      "(RFC 8725 section 3.9, RFC 7519 section 4.1.3). Double-click to rename.")
                .arg(audience, m_document->trustDomainsForAudience(audience).join(u", "));
        return tr("Audience %1: a ticked issuer may issue tokens whose aud contains it (RFC 7519 section 4.1.3). "
                  "Double-click to rename.")
            .arg(audience);
    case Qt::BackgroundRole:
        if (shared)
            return tintBackground(QApplication::palette(), Tint::Warning);
        return {};
    default:
        return {};
    }
}

bool IssuerAudienceMatrixModel::setHeaderData(int section, Qt::Orientation orientation, const QVariant& value, int role)
{
    if (orientation != Qt::Horizontal || role != Qt::EditRole || section < FirstAudienceColumn
        || section >= columnCount())
        return false;
    return m_document->renameAudience(audienceIndex(section), value.toString()).ok();
}

} // namespace jwb::ui
