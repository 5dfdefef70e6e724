// SPDX-License-Identifier: Apache-2.0
#include "models/MatrixFilterModel.h"

#include "models/IssuerAudienceMatrixModel.h"
#include "models/PolicyDocument.h"

#include <QFont>

#include <algorithm>

namespace jwb::ui {

MatrixFilterModel::MatrixFilterModel(PolicyDocument* document, QObject* parent)
    : QSortFilterProxyModel(parent), m_document(document)
{
    // Rows follow edits on their own (dynamic filtering); the column sets do not, so they are
    // recomputed once per event-loop turn after changes, and only while a filter needs them.
    m_pending.setSingleShot(true);
    m_pending.setInterval(0);
    connect(&m_pending, &QTimer::timeout, this, &MatrixFilterModel::refilter);
    connect(document, &PolicyDocument::policyChanged, this, &MatrixFilterModel::scheduleRefilter);
    connect(document, &PolicyDocument::audienceSharingChanged, this, &MatrixFilterModel::scheduleRefilter);
}

void MatrixFilterModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    refilter();
}

void MatrixFilterModel::setOnlyTicked(bool on)
{
    if (on == m_onlyTicked)
        return;
    m_onlyTicked = on;
    refilter();
}

void MatrixFilterModel::setOnlyFlagged(bool on)
{
    if (on == m_onlyFlagged)
        return;
    m_onlyFlagged = on;
    refilter();
}

void MatrixFilterModel::setGroupByTrustDomain(bool on)
{
    if (on == m_group)
        return;
    m_group = on;
    // Sorting by the trust-domain column with the source row as tie-break keeps each group in
    // policy order; column -1 restores the policy order itself.
    sort(on ? IssuerAudienceMatrixModel::TrustDomainColumn : -1);
}

void MatrixFilterModel::clearFilters()
{
    m_text.clear();
    m_onlyTicked = false;
    m_onlyFlagged = false;
    refilter();
}

void MatrixFilterModel::scheduleRefilter()
{
    if (isFiltering())
        m_pending.start();
}

void MatrixFilterModel::refilter()
{
    m_pending.stop();
    m_matchingAudiences.clear();
    if (!m_text.isEmpty()) {
        for (const QString& audience : m_document->audiences())
            if (audience.contains(m_text, Qt::CaseInsensitive))
                m_matchingAudiences.insert(audience);
    }
    m_tickedByShown.clear();
    if (m_onlyTicked) {
        const auto& issuers = m_document->policy().issuers;
        for (int row = 0; row < issuers.size(); ++row) {
            if (!acceptsIssuer(row))
                continue;
            for (const QString& audience : issuers.at(row).audiences)
                m_tickedByShown.insert(audience);
        }
    }
    invalidateFilter();
}

bool MatrixFilterModel::acceptsIssuer(int sourceRow) const
{
    const auto& issuers = m_document->policy().issuers;
    if (sourceRow < 0 || sourceRow >= issuers.size())
        return false;
    const auto& issuer = issuers.at(sourceRow);
    if (m_onlyFlagged) {
        const bool flagged = std::any_of(issuer.audiences.cbegin(), issuer.audiences.cend(), [this](const QString& a) {
            return m_document->audienceSharedAcrossDomains(a);
        });
        if (!flagged)
            return false;
    }
    if (m_text.isEmpty())
        return true;
    if (!m_matchingAudiences.isEmpty())
        return std::any_of(issuer.audiences.cbegin(), issuer.audiences.cend(),
                           [this](const QString& a) { return m_matchingAudiences.contains(a); });
    return issuer.issuer.contains(m_text, Qt::CaseInsensitive) || issuer.trustDomain.contains(m_text, Qt::CaseInsensitive);
}

bool MatrixFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    return !sourceParent.isValid() && acceptsIssuer(sourceRow);
}

bool MatrixFilterModel::filterAcceptsColumn(int sourceColumn, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const int a = IssuerAudienceMatrixModel::audienceIndex(sourceColumn);
    if (a < 0)
        return true; // issuer and trust domain are always shown
    if (a >= m_document->audiences().size())
        return false;
    const QString& audience = m_document->audiences().at(a);
    if (!m_matchingAudiences.isEmpty() && !m_matchingAudiences.contains(audience))
        return false;
    if (m_onlyFlagged && !m_document->audienceSharedAcrossDomains(audience))
        return false;
    if (m_onlyTicked && !m_tickedByShown.contains(audience))
        return false;
    return true;
}

bool MatrixFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (m_group) {
        const auto& issuers = m_document->policy().issuers;
        const int order = QString::compare(issuers.at(left.row()).trustDomain, issuers.at(right.row()).trustDomain);
        if (order != 0)
            return order < 0;
    }
    return left.row() < right.row();
}

QVariant MatrixFilterModel::data(const QModelIndex& index, int role) const
{
    if (m_group && index.isValid() && index.column() == IssuerAudienceMatrixModel::TrustDomainColumn
        && (role == GroupStartRole || role == Qt::FontRole || role == Qt::DisplayRole)) {
        const QString domain = QSortFilterProxyModel::data(index, Qt::EditRole).toString();
        const bool start = index.row() == 0
                           || QSortFilterProxyModel::data(this->index(index.row() - 1, index.column()), Qt::EditRole)
                                      .toString()
                                  != domain;
        if (role == GroupStartRole)
            return start;
        if (role == Qt::FontRole) {
            if (!start)
                return QSortFilterProxyModel::data(index, role);
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        // The group's first row names it; the others leave the column quiet so the groups stand out.
        if (start)
            return domain.isEmpty() ? tr("(no trust domain)") : domain;
        return QStringLiteral("\u2003\u00B7");
    }
    return QSortFilterProxyModel::data(index, role);
}

} // namespace jwb::ui
