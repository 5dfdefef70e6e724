// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractTableModel>

namespace jwb::ui {

class PolicyDocument;

// The pinned keys of one issuer (issuers[row].keys.resolved), read from the document: kid, type,
// curve or size, the algorithms the key can serve, its RFC 7638 thumbprint, where it came from.
// HMAC secrets are masked unless revealed.
class KeyListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyListModel)

public:
    enum Column { KidColumn, TypeColumn, CurveOrSizeColumn, AlgorithmsColumn, ThumbprintColumn, SecretColumn,
                  SourceColumn, ColumnCount };
    // Role giving the key's thumbprint for any column (used by "Remove key").
    static constexpr int ThumbprintRole = Qt::UserRole + 1;

    explicit KeyListModel(PolicyDocument* document, QObject* parent = nullptr);

    // -1: no issuer (empty model).
    void setIssuerRow(int row);
    int issuerRow() const { return m_row; }
    void setSecretsRevealed(bool revealed);
    bool secretsRevealed() const { return m_revealed; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    PolicyDocument* m_document;
    int m_row = -1;
    bool m_revealed = false;
};

} // namespace jwb::ui
