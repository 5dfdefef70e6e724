// SPDX-License-Identifier: Apache-2.0
#include "keys/KeyFactory.h"

#include "keys/KeyMaterial.h"
#include "keys/Roca.h"

#include <openssl/core_names.h>

namespace jwb::keys::detail {

namespace {

// OpenSSL refuses to verify with larger moduli; refusing them at load gives the clearer message.
constexpr int kMaxRsaBits = 16384;

struct CurveInfo {
    const char* opensslName;
    QLatin1StringView jwkName;
    int fieldBytes;
    int bits;
};

constexpr CurveInfo kCurves[] = {
    {"prime256v1", QLatin1StringView("P-256"), 32, 256},
    {"secp384r1", QLatin1StringView("P-384"), 48, 384},
    {"secp521r1", QLatin1StringView("P-521"), 66, 521},
};

QByteArray bnBytes(const BIGNUM* bn)
{
    QByteArray out(BN_num_bytes(bn), Qt::Uninitialized);
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

Result<Key> fromRsa(crypto::ossl::Pkey pkey, const QString& location, Strength strength)
{
    BIGNUM* rawN = nullptr;
    BIGNUM* rawE = nullptr;
    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N, &rawN);
    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_E, &rawE);
    const crypto::ossl::Bn n(rawN), e(rawE);
    if (!n || !e) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_INVALID", QStringLiteral("The RSA key has no readable modulus or exponent."),
                        location);
    }
    const int bits = BN_num_bits(n.get());
    // Whatever its size: a ROCA key's private half can be computed from the public key.
    if (hasRocaFingerprint(n.get()))
        return keyError("ERR_KEY_ROCA",
                        QStringLiteral("The RSA modulus has the ROCA fingerprint (CVE-2017-15361): the key was "
                                       "made by an affected Infineon RSA library, and its private key can be "
                                       "computed from the public key. Revoke it and pin a newly generated key."),
                        location);
    if (bits < kMinRsaBits && strength == Strength::Enforce)
        return keyError("ERR_KEY_WEAK_RSA",
                        QStringLiteral("The RSA key has %1 bits; at least %2 are required (RFC 7518 section 3.3).")
                            .arg(bits)
                            .arg(kMinRsaBits),
                        location);
    if (bits > kMaxRsaBits)
        return keyError("ERR_KEY_UNSUPPORTED",
                        QStringLiteral("The RSA key has %1 bits; at most %2 are supported.").arg(bits).arg(kMaxRsaBits),
                        location);
    if (!BN_is_odd(n.get()) || !BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_num_bits(e.get()) > 64)
        return keyError("ERR_KEY_INVALID",
                        QStringLiteral("The RSA modulus or public exponent is not valid (both must be odd, the "
                                       "exponent between 3 and 2^64)."),
                        location);
    KeyMaterial::PublicParams params;
    params.n = bnBytes(n.get());
    params.e = bnBytes(e.get());
    Key key;
    key.type = KeyType::Rsa;
    key.bits = bits;
    key.source = location;
    auto material = std::make_shared<const KeyMaterial>(std::move(pkey), KeyType::Rsa, QString(), bits, std::move(params));
    key.thumbprint = material->thumbprint();
    key.material = std::move(material);
    return key;
}

Result<Key> fromEc(crypto::ossl::Pkey pkey, const QString& location)
{
    char groupName[64] = {};
    size_t groupLength = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, groupName, sizeof groupName,
                                       &groupLength) != 1) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_UNSUPPORTED",
                        QStringLiteral("The EC key does not use a named curve (explicit curve parameters are not "
                                       "supported)."),
                        location);
    }
    const CurveInfo* curve = nullptr;
    for (const CurveInfo& c : kCurves) {
        if (qstrcmp(groupName, c.opensslName) == 0)
            curve = &c;
    }
    if (!curve)
        return keyError("ERR_KEY_UNSUPPORTED",
                        QStringLiteral("The EC curve %1 is not supported; use P-256, P-384 or P-521.")
                            .arg(QString::fromUtf8(groupName)),
                        location);

    // The point must lie on the curve (an invalid-curve point leaks nothing to a verifier, but a
    // key that can never verify anything is a policy mistake worth refusing early). The quick check
    // (coordinates in range, on the curve, not the point at infinity) is the whole check here: the
    // full one adds n*Q == infinity, a scalar multiplication per key that dominated loading an
    // estate of 10,000 EC issuers, and it proves nothing more on P-256, P-384 and P-521, whose
    // cofactor is 1 (every point on the curve but infinity has order n).
    const crypto::ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check || EVP_PKEY_public_check_quick(check.get()) != 1) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_EC_POINT",
                        QStringLiteral("The EC public key is not a valid point on %1.").arg(curve->jwkName), location);
    }
    BIGNUM* rawX = nullptr;
    BIGNUM* rawY = nullptr;
    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, &rawX);
    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &rawY);
    const crypto::ossl::Bn x(rawX), y(rawY);
    if (!x || !y) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_EC_POINT", QStringLiteral("The EC public point cannot be read."), location);
    }
    KeyMaterial::PublicParams params;
    params.x.resize(curve->fieldBytes);
    params.y.resize(curve->fieldBytes);
    if (BN_bn2binpad(x.get(), reinterpret_cast<unsigned char*>(params.x.data()), curve->fieldBytes) < 0
        || BN_bn2binpad(y.get(), reinterpret_cast<unsigned char*>(params.y.data()), curve->fieldBytes) < 0) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_EC_POINT", QStringLiteral("The EC public point does not fit the curve."), location);
    }
    Key key;
    key.type = KeyType::Ec;
    key.curve = curve->jwkName;
    key.bits = curve->bits;
    key.source = location;
    auto material =
        std::make_shared<const KeyMaterial>(std::move(pkey), KeyType::Ec, key.curve, curve->bits, std::move(params));
    key.thumbprint = material->thumbprint();
    key.material = std::move(material);
    return key;
}

Result<Key> fromOkp(crypto::ossl::Pkey pkey, const QString& curveName, const QString& location)
{
    KeyMaterial::PublicParams params;
    size_t length = 0;
    if (EVP_PKEY_get_raw_public_key(pkey.get(), nullptr, &length) != 1 || length == 0 || length > 64) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_INVALID", QStringLiteral("The %1 public key cannot be read.").arg(curveName),
                        location);
    }
    params.x.resize(static_cast<qsizetype>(length));
    if (EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(params.x.data()), &length) != 1) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_INVALID", QStringLiteral("The %1 public key cannot be read.").arg(curveName),
                        location);
    }
    Key key;
    key.type = KeyType::Okp;
    key.curve = curveName;
    key.bits = EVP_PKEY_get_bits(pkey.get());
    key.source = location;
    auto material =
        std::make_shared<const KeyMaterial>(std::move(pkey), KeyType::Okp, curveName, key.bits, std::move(params));
    key.thumbprint = material->thumbprint();
    key.material = std::move(material);
    return key;
}

} // namespace

Error keyError(const char* code, const QString& message, const QString& location)
{
    return Error{QString::fromLatin1(code), message, location};
}

Result<Key> keyFromPublicPkey(crypto::ossl::Pkey pkey, const QString& location, Strength strength)
{
    if (!pkey)
        return keyError("ERR_KEY_INVALID", QStringLiteral("No key could be read."), location);
    if (EVP_PKEY_is_a(pkey.get(), "RSA"))
        return fromRsa(std::move(pkey), location, strength);
    if (EVP_PKEY_is_a(pkey.get(), "EC"))
        return fromEc(std::move(pkey), location);
    if (EVP_PKEY_is_a(pkey.get(), "ED25519"))
        return fromOkp(std::move(pkey), QStringLiteral("Ed25519"), location);
    if (EVP_PKEY_is_a(pkey.get(), "ED448"))
        return fromOkp(std::move(pkey), QStringLiteral("Ed448"), location);
    const char* name = EVP_PKEY_get0_type_name(pkey.get());
    return keyError("ERR_KEY_UNSUPPORTED",
                    QStringLiteral("Keys of type %1 are not supported for JWS verification.")
                        .arg(name ? QString::fromLatin1(name) : QStringLiteral("(unknown)")),
                    location);
}

Result<Key> keyFromSecret(QByteArrayView secret, const QString& location, Strength strength)
{
    if (secret.isEmpty())
        return keyError("ERR_KEY_SHORT_HMAC", QStringLiteral("The HMAC secret is empty."), location);
    if (secret.size() < 32 && strength == Strength::Enforce)
        return keyError("ERR_KEY_SHORT_HMAC",
                        QStringLiteral("The HMAC secret has %1 bytes; at least 32 are required (RFC 7518 section "
                                       "3.2: no shorter than the hash output).")
                            .arg(secret.size()),
                        location);
    Key key;
    key.type = KeyType::Oct;
    key.bits = static_cast<int>(secret.size()) * 8;
    key.source = location;
    auto material = std::make_shared<const KeyMaterial>(secret.toByteArray());
    key.thumbprint = material->thumbprint();
    key.material = std::move(material);
    return key;
}

} // namespace jwb::keys::detail
