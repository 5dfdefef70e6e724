// SPDX-License-Identifier: Apache-2.0
#include "models/KeyListModel.h"

#include "crypto/Algorithm.h"
#include "models/PolicyDocument.h"

#include <QApplication>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStyle>

namespace jwb::ui {

namespace {

const QString kMask = QStringLiteral("\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022");

QString secretOf(const keys::Key& key)
{
    const QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(key)).object();
    return jwk.value(QLatin1String("k")).toString();
}

} // namespace

KeyListModel::KeyListModel(PolicyDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document)
{
    connect(document, &PolicyDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &PolicyDocument::resetDone, this, [this] {
        m_row = -1;
        endResetModel();
    });
    // Keys of an issuer change as a whole (import, remove, undo): a reset is the honest notification.
    connect(document, &PolicyDocument::issuerChanged, this, [this](int row) {
        if (row != m_row)
            return;
        beginResetModel();
        endResetModel();
    });
    connect(document, &PolicyDocument::issuerAboutToBeRemoved, this, [this](int row) {
        if (row == m_row)
            beginResetModel();
    });
    connect(document, &PolicyDocument::issuerRemoved, this, [this](int row) {
        if (row == m_row) {
            m_row = -1;
            endResetModel();
        } else if (row < m_row) {
            --m_row; // same issuer, new index; its keys did not change
        }
    });
    connect(document, &PolicyDocument::issuerInserted, this, [this](int row) {
        if (m_row >= 0 && row <= m_row)
            ++m_row;
    });
}

void KeyListModel::setIssuerRow(int row)
{
    if (row >= m_document->issuerCount())
        row = -1;
    if (row == m_row)
        return;
    beginResetModel();
    m_row = row;
    endResetModel();
}

void KeyListModel::setSecretsRevealed(bool revealed)
{
    if (revealed == m_revealed)
        return;
    m_revealed = revealed;
    if (rowCount() > 0)
        emit dataChanged(index(0, SecretColumn), index(rowCount() - 1, SecretColumn));
}

int KeyListModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || m_row < 0 || m_row >= m_document->issuerCount())
        return 0;
    return static_cast<int>(m_document->policy().issuers.at(m_row).keys.resolved.size());
}

int KeyListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant KeyListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const keys::Key& key = m_document->policy().issuers.at(m_row).keys.resolved.at(index.row());
    if (role == ThumbprintRole)
        return key.thumbprint;
    const bool secret = key.type == keys::KeyType::Oct;
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case KidColumn:
            return tr("Key ID; a token's kid header must match it exactly (RFC 7515 section 4.1.4).");
        case AlgorithmsColumn:
            return tr("Algorithms this key can verify given its type, size and JWK alg/use/key_ops "
                      "(RFC 7517 section 4, RFC 7518 section 3).");
        case ThumbprintColumn:
            return tr("JWK SHA-256 thumbprint (RFC 7638): identifies the key independent of its kid.");
        case SecretColumn:
            return secret ? tr("HMAC secret (RFC 7518 section 3.2). Masked unless \"Reveal secrets\" is on.")
                          : tr("Public key: nothing secret is stored.");
        default:
            return key.testKey ? tr("Test key minted in the workbench: never ship it.") : key.description();
        }
    }
    if (role == Qt::FontRole && (index.column() == ThumbprintColumn || index.column() == SecretColumn))
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (role == Qt::DecorationRole && index.column() == KidColumn && key.testKey)
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KidColumn:
        return key.kid.isEmpty() ? tr("(no kid)") : key.kid;
    case TypeColumn:
        return keys::keyTypeName(key.type);
    case CurveOrSizeColumn:
        return key.curve.isEmpty() ? tr("%1 bits").arg(key.bits) : key.curve;
    case AlgorithmsColumn: {
        QStringList names;
        for (crypto::Algorithm alg : key.usableAlgorithms())
            names.append(crypto::algorithmName(alg));
        return names.join(u", ");
    }
    case ThumbprintColumn:
        return key.thumbprint;
    case SecretColumn:
        if (!secret)
            return QStringLiteral("\u2014");
        return m_revealed ? secretOf(key) : kMask;
    case SourceColumn:
        return key.source;
    default:
        return {};
    }
}

QVariant KeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case CurveOrSizeColumn:
            return tr("EC/OKP curve, or RSA modulus / HMAC secret size in bits (RFC 7518 sections 3.2-3.4)");
        case ThumbprintColumn:
            return tr("JWK SHA-256 thumbprint (RFC 7638)");
        case SourceColumn:
            return tr("Where the key is pinned: inline JWKS entry, jwks_file or pem_files");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KidColumn:
        return tr("kid");
    case TypeColumn:
        return tr("Type");
    case CurveOrSizeColumn:
        return tr("Size");
    case AlgorithmsColumn:
        return tr("Algorithms");
    case ThumbprintColumn:
        return tr("Thumbprint");
    case SecretColumn:
        return tr("Secret");
    case SourceColumn:
        return tr("Source");
    default:
        return {};
    }
}

} // namespace jwb::ui
