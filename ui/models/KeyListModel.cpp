// SPDX-License-Identifier: Apache-2.0
#include "models/KeyListModel.h"

#include "commands/KeyCommands.h"
#include "crypto/Algorithm.h"
#include "models/Palette.h"
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
        reload();
        endResetModel();
    });
    // Keys of an issuer change as a whole (import, remove, undo): a reset is the honest notification.
    connect(document, &PolicyDocument::issuersChanged, this, [this](const QList<int>& rows) {
        if (!rows.contains(m_row))
            return;
        beginResetModel();
        reload();
        endResetModel();
    });
    // Exceptions grant keys: any change to them can add or drop rows (the granted keys are cached,
    // so the rows reported stay those of the last reset until the next one).
    const auto exceptionsChanged = [this] {
        beginResetModel();
        reload();
        endResetModel();
    };
    connect(document, &PolicyDocument::exceptionInserted, this, exceptionsChanged);
    connect(document, &PolicyDocument::exceptionRemoved, this, exceptionsChanged);
    connect(document, &PolicyDocument::exceptionChanged, this, exceptionsChanged);
    connect(document, &PolicyDocument::defaultsChanged, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, AlgorithmsColumn), index(rowCount() - 1, AlgorithmsColumn));
    });
    connect(document, &PolicyDocument::issuerAboutToBeRemoved, this, [this](int row) {
        if (row == m_row)
            beginResetModel();
    });
    connect(document, &PolicyDocument::issuerRemoved, this, [this](int row) {
        if (row == m_row) {
            m_row = -1;
            reload();
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
    reload();
    endResetModel();
}

void KeyListModel::setInstant(const QDateTime& at)
{
    beginResetModel();
    m_at = at;
    reload();
    endResetModel();
}

void KeyListModel::reload()
{
    m_granted.clear();
    if (m_row < 0 || m_row >= m_document->issuerCount())
        return;
    const policy::Policy& policy = m_document->policy();
    const QString& issuer = policy.issuers.at(m_row).issuer;
    const QDateTime at = m_at.isValid() ? m_at : QDateTime::currentDateTimeUtc();
    for (const policy::PolicyException& e : policy.exceptions) {
        if (e.issuer != issuer || !e.allow.keys || !e.activeAt(at))
            continue;
        for (const keys::Key& key : e.allow.keys->resolved)
            m_granted.append({key, e.id, e.expires, e.expiresIsDate});
    }
}

int KeyListModel::ownKeyCount() const
{
    if (m_row < 0 || m_row >= m_document->issuerCount())
        return 0;
    return static_cast<int>(m_document->policy().issuers.at(m_row).keys.resolved.size());
}

const keys::Key& KeyListModel::keyAt(int row) const
{
    const int own = ownKeyCount();
    return row < own ? m_document->policy().issuers.at(m_row).keys.resolved.at(row) : m_granted.at(row - own).key;
}

QStringList KeyListModel::pinnedAlgorithms(const keys::Key& key) const
{
    const policy::Policy& policy = m_document->policy();
    QStringList pin = policy.effectiveRules(policy.issuers.at(m_row)).algorithms;
    const QString& issuer = policy.issuers.at(m_row).issuer;
    const QDateTime at = m_at.isValid() ? m_at : QDateTime::currentDateTimeUtc();
    for (const policy::PolicyException& e : policy.exceptions)
        if (e.issuer == issuer && e.allow.algorithms && e.activeAt(at))
            pin += *e.allow.algorithms;
    QStringList out;
    for (crypto::Algorithm alg : key.usableAlgorithms())
        if (pin.contains(crypto::algorithmName(alg)))
            out.append(crypto::algorithmName(alg));
    return out;
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
    return ownKeyCount() + static_cast<int>(m_granted.size());
}

int KeyListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant KeyListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const keys::Key& key = keyAt(index.row());
    const int own = ownKeyCount();
    const GrantedKey* granted = index.row() >= own ? &m_granted.at(index.row() - own) : nullptr;
    const QString grantText = granted ? tr("exception %1, until %2")
                                            .arg(granted->exceptionId,
                                                 (granted->expiresIsDate ? granted->expires.toUTC().addSecs(-1) : granted->expires.toUTC())
                                                     .toString(granted->expiresIsDate ? QStringLiteral("yyyy-MM-dd")
                                                                                      : QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
                                      : QString();
    if (role == ThumbprintRole)
        return key.thumbprint;
    if (role == ExceptionRole)
        return granted ? granted->exceptionId : QString();
    if (role == PinnedAlgorithmsRole)
        return pinnedAlgorithms(key);
    if (role == Qt::EditRole && index.column() == KidColumn)
        return key.kid;
    const bool secret = key.type == keys::KeyType::Oct;
    if (role == Qt::BackgroundRole && granted)
        return tintBackground(QApplication::palette(), Tint::Warning);
    if (role == Qt::ForegroundRole && index.column() == AlgorithmsColumn && pinnedAlgorithms(key).isEmpty())
        return tintColor(QApplication::palette(), Tint::Danger);
    if (role == Qt::ToolTipRole) {
        if (granted && index.column() != SecretColumn)
            return tr("Accepted only while %1 is active: a dated loosening, not a pinned key.").arg(grantText);
        switch (index.column()) {
        case KidColumn:
            return isKidEditable(key.source)
                       ? tr("Key ID; a token's kid header must match it exactly (RFC 7515 section 4.1.4). "
                            "Double-click to set it.")
                       : tr("Key ID; a token's kid header must match it exactly (RFC 7515 section 4.1.4). "
                            "Set in %1.")
                             .arg(key.source);
        case AlgorithmsColumn:
            return pinnedAlgorithms(key).isEmpty()
                       ? tr("None of the algorithms this key can verify is pinned for the issuer: it verifies no "
                            "token (RFC 8725 section 3.1).")
                       : tr("Algorithms this key can verify given its type, size and JWK alg/use/key_ops "
                            "(RFC 7517 section 4, RFC 7518 section 3); \u2713 marks those the issuer pins.");
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
        const QStringList pinned = pinnedAlgorithms(key);
        QStringList names;
        for (crypto::Algorithm alg : key.usableAlgorithms()) {
            const QString name = crypto::algorithmName(alg);
            names.append(pinned.contains(name) ? name + QStringLiteral(" \u2713") : name);
        }
        return names.join(u", ");
    }
    case ThumbprintColumn:
        return key.thumbprint;
    case SecretColumn:
        if (!secret)
            return QStringLiteral("\u2014");
        return m_revealed ? secretOf(key) : kMask;
    case SourceColumn:
        return granted ? grantText : key.source;
    default:
        return {};
    }
}

Qt::ItemFlags KeyListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == KidColumn && index.row() < ownKeyCount()
        && isKidEditable(keyAt(index.row()).source))
        f |= Qt::ItemIsEditable;
    return f;
}

bool KeyListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() != KidColumn || index.row() >= ownKeyCount())
        return false;
    // The document's change resets this model (issuersChanged), which notifies the view.
    return setKeyKid(m_document, m_row, keyAt(index.row()).thumbprint, value.toString()).ok();
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
