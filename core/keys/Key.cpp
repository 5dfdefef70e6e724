// SPDX-License-Identifier: Apache-2.0
#include "keys/Key.h"

#include "crypto/OpenSsl.h"
#include "keys/JwkInternal.h"
#include "keys/KeyFactory.h"
#include "keys/KeyMaterial.h"
#include "util/BoundedRead.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

namespace jwb::keys {

namespace {

using crypto::Algorithm;
using crypto::Family;

bool refuse(QString* why, const QString& reason)
{
    if (why)
        *why = reason;
    return false;
}

QLatin1StringView curveFor(Algorithm alg)
{
    switch (alg) {
    case Algorithm::ES256: return QLatin1StringView("P-256");
    case Algorithm::ES384: return QLatin1StringView("P-384");
    case Algorithm::ES512: return QLatin1StringView("P-521");
    default: return {};
    }
}

} // namespace

QString keyTypeName(KeyType t)
{
    switch (t) {
    case KeyType::Rsa: return QStringLiteral("RSA");
    case KeyType::Ec: return QStringLiteral("EC");
    case KeyType::Okp: return QStringLiteral("OKP");
    case KeyType::Oct: return QStringLiteral("oct");
    }
    return QStringLiteral("unknown");
}

bool Key::usableWith(Algorithm alg, QString* why) const
{
    // Decided on the material, not on the descriptive fields: those are plain data anyone may edit,
    // and an asymmetric key must never become an HMAC secret because a field says "oct".
    if (!material)
        return refuse(why, QStringLiteral("The key has no key material."));
    const KeyMaterial& m = *material;
    const Family fam = crypto::family(alg);
    const QLatin1StringView name = crypto::algorithmNameView(alg);
    switch (fam) {
    case Family::None:
        return refuse(why, QStringLiteral("The algorithm is not supported."));
    case Family::Hmac:
        if (m.type() != KeyType::Oct)
            return refuse(why, QStringLiteral("%1 needs a symmetric (oct) key; a %2 public key is never used as "
                                              "an HMAC secret.")
                                   .arg(name, keyTypeName(m.type())));
        if (m.secret().size() < crypto::ossl::hashBytes(alg))
            return refuse(why, QStringLiteral("%1 needs a secret of at least %2 bytes; this one has %3.")
                                   .arg(name)
                                   .arg(crypto::ossl::hashBytes(alg))
                                   .arg(m.secret().size()));
        break;
    case Family::Rsa:
    case Family::RsaPss:
        if (m.type() != KeyType::Rsa)
            return refuse(why, QStringLiteral("%1 needs an RSA key, not %2.").arg(name, keyTypeName(m.type())));
        if (m.bits() < kMinRsaBits)
            return refuse(why, QStringLiteral("The RSA key has %1 bits; at least %2 are required.")
                                   .arg(m.bits())
                                   .arg(kMinRsaBits));
        break;
    case Family::Ecdsa:
        if (m.type() != KeyType::Ec || m.curve() != curveFor(alg))
            return refuse(why, QStringLiteral("%1 needs an EC key on %2, not %3 %4.")
                                   .arg(name, curveFor(alg), keyTypeName(m.type()), m.curve())
                                   .trimmed());
        break;
    case Family::EdDsa:
        if (m.type() != KeyType::Okp)
            return refuse(why, QStringLiteral("EdDSA needs an OKP key (Ed25519 or Ed448), not %1.")
                                   .arg(keyTypeName(m.type())));
        break;
    }
    // RFC 7517 sections 4.2-4.4: the JWK's own restrictions.
    if (!jwkAlg.isEmpty() && jwkAlg != name)
        return refuse(why, QStringLiteral("The key is restricted to alg %1, not %2.").arg(jwkAlg, name));
    if (!use.isEmpty() && use != QLatin1StringView("sig"))
        return refuse(why, QStringLiteral("The key's use is \"%1\", not \"sig\".").arg(use));
    if (!keyOps.isEmpty() && !keyOps.contains(QLatin1StringView("verify")))
        return refuse(why, QStringLiteral("The key's key_ops (%1) do not include \"verify\".")
                               .arg(keyOps.join(QStringLiteral(", "))));
    return true;
}

QList<Algorithm> Key::usableAlgorithms() const
{
    QList<Algorithm> out;
    for (int i = 0; i < crypto::kAlgorithmCount; ++i) {
        const auto alg = static_cast<Algorithm>(i);
        if (usableWith(alg))
            out.append(alg);
    }
    return out;
}

QString Key::description() const
{
    // The common case shares the material's prebuilt text; the fields are only consulted when they
    // could say something else (a certificate, or a hand-built Key without material).
    if (material && certSubject.isEmpty() && material->type() == type && material->bits() == bits
        && material->curve() == curve)
        return material->description();
    QString text;
    switch (type) {
    case KeyType::Rsa: text = QStringLiteral("RSA %1").arg(bits); break;
    case KeyType::Ec:
    case KeyType::Okp: text = keyTypeName(type) + QLatin1Char(' ') + curve; break;
    case KeyType::Oct: text = QStringLiteral("oct %1").arg(bits); break;
    }
    if (!certSubject.isEmpty()) {
        text += QStringLiteral(" (certificate %1").arg(certSubject);
        if (certNotAfter)
            text += QStringLiteral(", expires ")
                    + QDateTime::fromSecsSinceEpoch(certNotAfter, Qt::UTC).toString(Qt::ISODate);
        text += QLatin1Char(')');
    }
    return text;
}

Result<QList<Key>> parseKeyData(QByteArrayView data, const QString& sourceName)
{
    qsizetype i = 0;
    while (i < data.size() && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        ++i;
    if (i < data.size() && data[i] == '{') {
        Result<json::Value> value = detail::parseKeyJson(data, sourceName);
        if (!value)
            return value.error();
        if (value->find("keys"))
            return detail::keysFromJwksValue(*value, sourceName);
        Result<Key> key = detail::keyFromJwkValue(*value, sourceName);
        if (!key)
            return key.error();
        return QList<Key>{std::move(key).value()};
    }
    return parsePem(data, sourceName);
}

Result<QList<Key>> loadKeyFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return detail::keyError("ERR_KEY_FILE",
                                QStringLiteral("The key file cannot be read: %1").arg(file.errorString()), path);
    if (file.size() > detail::kMaxKeyDataBytes)
        return detail::keyError("ERR_KEY_TOO_LARGE",
                                QStringLiteral("The key file is larger than %1 MiB.")
                                    .arg(detail::kMaxKeyDataBytes / (1024 * 1024)),
                                path);
    const QByteArray data = util::readAtMost(file, detail::kMaxKeyDataBytes);
    if (data.size() > detail::kMaxKeyDataBytes)
        return detail::keyError("ERR_KEY_TOO_LARGE", QStringLiteral("The key file is too large."), path);
    return parseKeyData(data, path);
}

Result<Key> hmacKey(QByteArrayView secret, const QString& kid, const QString& sourceName)
{
    Result<Key> key = detail::keyFromSecret(secret, sourceName, detail::Strength::Enforce);
    if (key)
        key.value().kid = kid;
    return key;
}

} // namespace jwb::keys
