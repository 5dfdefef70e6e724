// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>
#include <QTimer>

namespace jwb::ui {

class PolicyDocument;

// What the matrix view shows of IssuerAudienceMatrixModel at estate scale: a filter text matched
// against issuers, trust domains and audiences, "only ticked" (audience columns some shown issuer
// ticks), "only flagged" (issuers and audiences shared across trust domains), and rows grouped by
// trust domain. Edits pass through to the source model unchanged. Without a filter and grouping
// it maps every row and column to itself.
//
// The filter text: an audience name containing it narrows the columns to such audiences and the
// rows to issuers ticking one of them; otherwise it narrows the rows to issuers whose iss or trust
// domain contains it and leaves the columns alone. Case-insensitive.
class MatrixFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixFilterModel)

public:
    // bool, trust-domain cells while grouped: the first row of its trust domain's group.
    static constexpr int GroupStartRole = Qt::UserRole + 2;

    explicit MatrixFilterModel(PolicyDocument* document, QObject* parent = nullptr);

    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }
    void setOnlyTicked(bool on);
    bool onlyTicked() const { return m_onlyTicked; }
    void setOnlyFlagged(bool on);
    bool onlyFlagged() const { return m_onlyFlagged; }
    void setGroupByTrustDomain(bool on);
    bool groupByTrustDomain() const { return m_group; }
    // Whether anything is hidden (a filter text or a toggle is on).
    bool isFiltering() const { return !m_text.isEmpty() || m_onlyTicked || m_onlyFlagged; }
    void clearFilters();

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool filterAcceptsColumn(int sourceColumn, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool acceptsIssuer(int sourceRow) const;
    // Recomputes what the column filter needs, then filters rows and columns again.
    void refilter();
    // After a document change: the columns "only ticked" keeps depend on the ticks.
    void scheduleRefilter();

    PolicyDocument* m_document;
    QString m_text;
    bool m_onlyTicked = false;
    bool m_onlyFlagged = false;
    bool m_group = false;
    QSet<QString> m_matchingAudiences; // audiences whose name contains m_text
    QSet<QString> m_tickedByShown;     // audiences ticked by an accepted issuer (only ticked)
    QTimer m_pending;
};

} // namespace jwb::ui
