// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace jwb::ui {

class PolicyDocument;

// The pinned keys of one issuer (issuers[row].keys.resolved), read from the document: kid, type,
// curve or size, the algorithms the key can serve, its RFC 7638 thumbprint, where it came from.
// HMAC secrets are masked unless revealed. Below them, the extra keys an active exception grants the
// issuer (exceptions[].allow.keys), marked with the exception's id and expiry. The kid of a key pinned
// inline is editable (an undoable edit through the document); the Algorithms column marks with a
// check the algorithms the issuer pins (its effective pin, plus an active exception's algorithms).
class KeyListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyListModel)

public:
    enum Column { KidColumn, TypeColumn, CurveOrSizeColumn, AlgorithmsColumn, ThumbprintColumn, SecretColumn,
                  SourceColumn, ColumnCount };
    // Role giving the key's thumbprint for any column (used by "Remove key").
    static constexpr int ThumbprintRole = Qt::UserRole + 1;
    // The id of the exception that grants the key, empty for the issuer's own keys.
    static constexpr int ExceptionRole = Qt::UserRole + 2;
    // The algorithms the key can serve that the issuer pins (QStringList).
    static constexpr int PinnedAlgorithmsRole = Qt::UserRole + 3;

    explicit KeyListModel(PolicyDocument* document, QObject* parent = nullptr);

    // -1: no issuer (empty model).
    void setIssuerRow(int row);
    int issuerRow() const { return m_row; }
    void setSecretsRevealed(bool revealed);
    bool secretsRevealed() const { return m_revealed; }
    // The instant that decides which exceptions are active; unset: now.
    void setInstant(const QDateTime& at);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    // A key an active exception adds for the issuer.
    struct GrantedKey {
        keys::Key key;
        QString exceptionId;
        QDateTime expires;
        bool expiresIsDate = false;
    };
    void reload(); // within a reset: recomputes m_granted
    int ownKeyCount() const;
    const keys::Key& keyAt(int row) const;
    QStringList pinnedAlgorithms(const keys::Key& key) const;

    PolicyDocument* m_document;
    int m_row = -1;
    bool m_revealed = false;
    QDateTime m_at; // invalid: now
    QList<GrantedKey> m_granted;
};

} // namespace jwb::ui
