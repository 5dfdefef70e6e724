// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>

namespace jwb::ui {

class PolicyDocument;

// The issuer x audience matrix over the document: one row per issuer; column 0 is the issuer
// (editable: rename in place), column 1 its trust domain (editable), then one checkable column per
// audience. A ticked cell means the issuer may issue tokens for that audience. Every change goes
// through the document (one undo step each); the model holds no copy of the policy.
class IssuerAudienceMatrixModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IssuerAudienceMatrixModel)

public:
    static constexpr int IssuerColumn = 0;
    static constexpr int TrustDomainColumn = 1;
    static constexpr int FirstAudienceColumn = 2;
    // bool, audience cells only: ticked for an audience shared across trust domains (the cells lint flags).
    static constexpr int FlaggedRole = Qt::UserRole + 1;

    explicit IssuerAudienceMatrixModel(PolicyDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Renames an audience column (horizontal sections >= FirstAudienceColumn).
    bool setHeaderData(int section, Qt::Orientation orientation, const QVariant& value, int role = Qt::EditRole) override;

    // Audience column index in PolicyDocument::audiences() for a model column, or -1.
    static int audienceIndex(int column) { return column >= FirstAudienceColumn ? column - FirstAudienceColumn : -1; }
    bool isSharedAcrossDomains(int column) const;

private:
    // The header and every cell of one column (a rename, a change of its shared flag).
    void refreshColumn(int column, const QList<int>& roles);

    PolicyDocument* m_document;
};

} // namespace jwb::ui
