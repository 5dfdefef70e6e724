// SPDX-License-Identifier: Apache-2.0
// JWK and JWK Set parsing (RFC 7517, RFC 7518 section 6, RFC 8037) and public JWK export.

#include "keys/JwkInternal.h"

#include "keys/KeyFactory.h"
#include "keys/KeyMaterial.h"
#include "token/Base64Url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <initializer_list>
#include <span>

namespace jwb::keys {

namespace {

using detail::keyError;

// Beyond this a "key set" is not a pinned set any more but a dump; refusing bounds memory and
// load time for hostile files.
constexpr int kMaxKeysInSet = 256;

struct Ctx {
    const QString& location; // "keys/login.jwks.json: keys[2]"
    QString member(const char* name) const { return location + QLatin1Char('.') + QLatin1StringView(name); }
};

Error memberError(const Ctx& ctx, const char* name, const QString& message)
{
    return keyError("ERR_KEY_INVALID_MEMBER", message, ctx.member(name));
}

// A required or optional string member. nullopt with `error` set when present but not a string.
const json::Value* stringMember(const json::Value& jwk, const char* name, const Ctx& ctx, std::optional<Error>& error)
{
    const json::Value* v = jwk.find(name);
    if (v && !v->isString()) {
        error = memberError(ctx, name, QStringLiteral("\"%1\" must be a string.").arg(QLatin1StringView(name)));
        return nullptr;
    }
    return v;
}

// A string member that must be present: never null on success.
Result<const json::Value*> requiredStringMember(const json::Value& jwk, const char* name, const Ctx& ctx)
{
    std::optional<Error> error;
    const json::Value* v = stringMember(jwk, name, ctx, error);
    if (error)
        return *error;
    if (!v)
        return memberError(ctx, name, QStringLiteral("The required member \"%1\" is missing.").arg(QLatin1StringView(name)));
    return v;
}

// Decodes a required base64url member strictly (one accepted encoding per value).
Result<QByteArray> bytesMember(const json::Value& jwk, const char* name, const Ctx& ctx)
{
    const Result<const json::Value*> v = requiredStringMember(jwk, name, ctx);
    if (!v)
        return v.error();
    const std::string_view text = (*v)->toString();
    std::optional<QByteArray> decoded = token::decodeBase64Url(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
    if (!decoded || decoded->isEmpty())
        return memberError(ctx, name,
                           QStringLiteral("\"%1\" is not valid unpadded base64url.").arg(QLatin1StringView(name)));
    return *decoded;
}

crypto::ossl::Pkey pkeyFromData(const char* type, OSSL_PARAM* params)
{
    EVP_PKEY* raw = nullptr;
    const crypto::ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        crypto::ossl::clearErrors();
        return {};
    }
    return crypto::ossl::Pkey(raw);
}

// A JWK "crv" name, the name OpenSSL knows it by, and its coordinate (EC) or key (OKP) length.
struct Curve {
    const char* jwkName;
    const char* opensslName;
    int bytes;
};
constexpr Curve kEcCurves[] = {{"P-256", "prime256v1", 32}, {"P-384", "secp384r1", 48}, {"P-521", "secp521r1", 66}};
constexpr Curve kOkpCurves[] = {{"Ed25519", "ED25519", 32}, {"Ed448", "ED448", 57}};

struct CurveMember {
    const json::Value* crv; // never null
    const Curve* curve;     // never null
};

// The required "crv" member looked up in `curves`; `unsupported` (with %1 for the name) when absent.
Result<CurveMember> curveMember(const json::Value& jwk, const Ctx& ctx, std::span<const Curve> curves,
                                const QString& unsupported)
{
    const Result<const json::Value*> crvMember = requiredStringMember(jwk, "crv", ctx);
    if (!crvMember)
        return crvMember.error();
    const json::Value* crv = *crvMember;
    const std::string_view name = crv->toString();
    for (const Curve& curve : curves) {
        if (name == curve.jwkName)
            return CurveMember{crv, &curve};
    }
    return keyError("ERR_KEY_UNSUPPORTED", unsupported.arg(crv->toQString()), ctx.member("crv"));
}

struct ParamBldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

Result<Key> rsaFromJwk(const json::Value& jwk, const Ctx& ctx)
{
    Result<QByteArray> n = bytesMember(jwk, "n", ctx);
    if (!n)
        return n.error();
    Result<QByteArray> e = bytesMember(jwk, "e", ctx);
    if (!e)
        return e.error();
    const crypto::ossl::Bn bnN(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->constData()), static_cast<int>(n->size()), nullptr));
    const crypto::ossl::Bn bnE(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->constData()), static_cast<int>(e->size()), nullptr));
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
    if (!bnN || !bnE || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get())
        || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get())) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_INVALID", QStringLiteral("The RSA key could not be built."), ctx.location);
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    crypto::ossl::Pkey pkey = params ? pkeyFromData("RSA", params.get()) : crypto::ossl::Pkey();
    if (!pkey)
        return keyError("ERR_KEY_INVALID", QStringLiteral("The RSA modulus and exponent do not form a key."),
                        ctx.location);
    return detail::keyFromPublicPkey(std::move(pkey), ctx.location, detail::Strength::Enforce);
}

Result<Key> ecFromJwk(const json::Value& jwk, const Ctx& ctx)
{
    const Result<CurveMember> curve =
        curveMember(jwk, ctx, kEcCurves, QStringLiteral("The EC curve \"%1\" is not supported; use P-256, P-384 or P-521."));
    if (!curve)
        return curve.error();
    const json::Value* crv = curve->crv;
    const char* groupName = curve->curve->opensslName;
    const int fieldBytes = curve->curve->bytes;
    Result<QByteArray> x = bytesMember(jwk, "x", ctx);
    if (!x)
        return x.error();
    Result<QByteArray> y = bytesMember(jwk, "y", ctx);
    if (!y)
        return y.error();
    // RFC 7518 section 6.2.1.2: the coordinates are the full field size, leading zeros included.
    for (const auto& [member, value] : {std::pair{"x", &x.value()}, std::pair{"y", &y.value()}}) {
        if (value->size() != fieldBytes)
            return keyError("ERR_KEY_EC_POINT",
                            QStringLiteral("\"%1\" has %2 bytes; %3 requires exactly %4.")
                                .arg(QLatin1StringView(member))
                                .arg(value->size())
                                .arg(crv->toQString())
                                .arg(fieldBytes),
                            ctx.member(member));
    }
    QByteArray point;
    point.reserve(1 + 2 * fieldBytes);
    point += '\x04'; // uncompressed SEC1 point
    point += *x;
    point += *y;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(groupName), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), static_cast<size_t>(point.size())),
        OSSL_PARAM_construct_end(),
    };
    crypto::ossl::Pkey pkey = pkeyFromData("EC", params);
    if (!pkey) // OpenSSL refuses to import a point that is not on the curve
        return keyError("ERR_KEY_EC_POINT",
                        QStringLiteral("The point (x, y) is not on the curve %1.").arg(crv->toQString()),
                        ctx.location);
    return detail::keyFromPublicPkey(std::move(pkey), ctx.location, detail::Strength::Enforce);
}

Result<Key> okpFromJwk(const json::Value& jwk, const Ctx& ctx)
{
    const Result<CurveMember> curve =
        curveMember(jwk, ctx, kOkpCurves,
                    QStringLiteral("The OKP curve \"%1\" is not a signature curve this product supports; use "
                                   "Ed25519 or Ed448."));
    if (!curve)
        return curve.error();
    const json::Value* crv = curve->crv;
    const char* type = curve->curve->opensslName;
    const int length = curve->curve->bytes;
    Result<QByteArray> x = bytesMember(jwk, "x", ctx);
    if (!x)
        return x.error();
    if (x->size() != length)
        return memberError(ctx, "x",
                           QStringLiteral("\"x\" has %1 bytes; %2 requires exactly %3.")
                               .arg(x->size())
                               .arg(crv->toQString())
                               .arg(length));
    crypto::ossl::Pkey pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, type, nullptr,
                                                           reinterpret_cast<const unsigned char*>(x->constData()),
                                                           static_cast<size_t>(x->size())));
    if (!pkey) {
        crypto::ossl::clearErrors();
        return keyError("ERR_KEY_INVALID", QStringLiteral("The %1 public key is not valid.").arg(crv->toQString()),
                        ctx.location);
    }
    return detail::keyFromPublicPkey(std::move(pkey), ctx.location, detail::Strength::Enforce);
}

Result<Key> octFromJwk(const json::Value& jwk, const Ctx& ctx)
{
    Result<QByteArray> k = bytesMember(jwk, "k", ctx);
    if (!k)
        return k.error();
    Result<Key> key = detail::keyFromSecret(*k, ctx.location, detail::Strength::Enforce);
    OPENSSL_cleanse(k.value().data(), static_cast<size_t>(k->size()));
    return key;
}

} // namespace

namespace detail {

Result<Key> keyFromJwkValue(const json::Value& jwk, const QString& location)
{
    const Ctx ctx{location};
    if (!jwk.isObject())
        return keyError("ERR_KEY_INVALID", QStringLiteral("A JWK must be a JSON object."), location);

    // A policy pins public keys; a private key in a policy file is a leak waiting to happen.
    for (const char* priv : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
        if (jwk.find(priv))
            return keyError("ERR_KEY_PRIVATE_IN_JWK",
                            QStringLiteral("The JWK contains the private member \"%1\"; a policy may only hold "
                                           "public keys. Remove the private members.")
                                .arg(QLatin1StringView(priv)),
                            ctx.member(priv));
    }

    const Result<const json::Value*> ktyMember = requiredStringMember(jwk, "kty", ctx);
    if (!ktyMember)
        return ktyMember.error();
    const json::Value* kty = *ktyMember;
    std::optional<Error> error;

    // Optional metadata: checked for type now so a typo is not silently ignored.
    const json::Value* kid = stringMember(jwk, "kid", ctx, error);
    const json::Value* alg = error ? nullptr : stringMember(jwk, "alg", ctx, error);
    const json::Value* use = error ? nullptr : stringMember(jwk, "use", ctx, error);
    if (error)
        return *error;
    QStringList keyOps;
    if (const json::Value* ops = jwk.find("key_ops")) {
        if (!ops->isArray())
            return memberError(ctx, "key_ops", QStringLiteral("\"key_ops\" must be an array of strings."));
        for (const json::Value& op : ops->items()) {
            if (!op.isString())
                return memberError(ctx, "key_ops", QStringLiteral("\"key_ops\" must be an array of strings."));
            const QString value = op.toQString();
            if (keyOps.contains(value)) // RFC 7517 section 4.3
                return memberError(ctx, "key_ops", QStringLiteral("\"key_ops\" lists \"%1\" twice.").arg(value));
            keyOps.append(value);
        }
    }

    const std::string_view type = kty->toString();
    Result<Key> key = type == "RSA"  ? rsaFromJwk(jwk, ctx)
                      : type == "EC" ? ecFromJwk(jwk, ctx)
                      : type == "OKP" ? okpFromJwk(jwk, ctx)
                      : type == "oct" ? octFromJwk(jwk, ctx)
                                      : Result<Key>(keyError("ERR_KEY_UNSUPPORTED",
                                                             QStringLiteral("The key type \"%1\" is not supported; "
                                                                            "use RSA, EC, OKP or oct.")
                                                                 .arg(kty->toQString()),
                                                             ctx.member("kty")));
    if (!key)
        return key;
    Key& k = key.value();
    if (kid)
        k.kid = kid->toQString();
    if (alg)
        k.jwkAlg = alg->toQString();
    if (use)
        k.use = use->toQString();
    k.keyOps = keyOps;

    // "HMAC keys shorter than the hash output are refused at load": with an alg we know the hash.
    if (k.type == KeyType::Oct && alg) {
        const crypto::Algorithm a = crypto::algorithmFromName(k.jwkAlg);
        const int needed = crypto::ossl::hashBytes(a);
        if (crypto::family(a) == crypto::Family::Hmac && k.bits / 8 < needed)
            return keyError("ERR_KEY_SHORT_HMAC",
                            QStringLiteral("The %1 secret has %2 bytes; %3 requires at least %4.")
                                .arg(k.jwkAlg)
                                .arg(k.bits / 8)
                                .arg(k.jwkAlg)
                                .arg(needed),
                            ctx.member("k"));
    }
    return key;
}

Result<QList<Key>> keysFromJwksValue(const json::Value& jwks, const QString& sourceName)
{
    if (!jwks.isObject())
        return keyError("ERR_KEY_INVALID", QStringLiteral("A JWK Set must be a JSON object."), sourceName);
    const json::Value* keys = jwks.find("keys");
    if (!keys || !keys->isArray())
        return keyError("ERR_KEY_INVALID_MEMBER", QStringLiteral("A JWK Set needs a \"keys\" array."),
                        sourceName + QStringLiteral(": keys"));
    if (keys->items().size() > static_cast<std::size_t>(kMaxKeysInSet))
        return keyError("ERR_KEY_TOO_MANY",
                        QStringLiteral("The JWK Set has %1 keys; at most %2 are accepted.")
                            .arg(keys->items().size())
                            .arg(kMaxKeysInSet),
                        sourceName + QStringLiteral(": keys"));
    QList<Key> out;
    out.reserve(static_cast<qsizetype>(keys->items().size()));
    int index = 0;
    for (const json::Value& item : keys->items()) {
        Result<Key> key = keyFromJwkValue(item, sourceName + QStringLiteral(": keys[%1]").arg(index));
        if (!key)
            return key.error(); // a bad key set never half-loads
        key.value().source = sourceName + QStringLiteral(" #%1").arg(index);
        out.append(std::move(key).value());
        ++index;
    }
    return out;
}

Result<json::Value> parseKeyJson(QByteArrayView text, const QString& sourceName)
{
    json::Limits limits;
    limits.maxDepth = 8;                   // {"keys":[{"key_ops":[...]}]} needs 3
    limits.maxBytes = kMaxKeyDataBytes;     // 256 large RSA keys fit comfortably
    Result<json::Value> value = json::parse(text, limits);
    if (!value)
        return keyError("ERR_KEY_JSON",
                        QStringLiteral("The key data is not valid JSON: %1").arg(value.error().message),
                        value.error().location.isEmpty() ? sourceName
                                                         : sourceName + QStringLiteral(": ") + value.error().location);
    return value;
}

} // namespace detail

Result<Key> parseJwk(QByteArrayView jwkJson, const QString& sourceName)
{
    Result<json::Value> value = detail::parseKeyJson(jwkJson, sourceName);
    if (!value)
        return value.error();
    return detail::keyFromJwkValue(*value, sourceName);
}

Result<QList<Key>> parseJwks(QByteArrayView jwksJson, const QString& sourceName)
{
    Result<json::Value> value = detail::parseKeyJson(jwksJson, sourceName);
    if (!value)
        return value.error();
    return detail::keysFromJwksValue(*value, sourceName);
}

QByteArray toPublicJwk(const Key& key)
{
    if (!key.material)
        return {};
    const KeyMaterial& m = *key.material;
    QJsonObject jwk; // QJsonObject orders members by name: the output is canonical
    jwk.insert(QStringLiteral("kty"), keyTypeName(m.type()));
    auto b64 = [](const QByteArray& bytes) { return QString::fromLatin1(token::encodeBase64Url(bytes)); };
    switch (m.type()) {
    case KeyType::Rsa:
        jwk.insert(QStringLiteral("n"), b64(m.params().n));
        jwk.insert(QStringLiteral("e"), b64(m.params().e));
        break;
    case KeyType::Ec:
        jwk.insert(QStringLiteral("crv"), m.curve());
        jwk.insert(QStringLiteral("x"), b64(m.params().x));
        jwk.insert(QStringLiteral("y"), b64(m.params().y));
        break;
    case KeyType::Okp:
        jwk.insert(QStringLiteral("crv"), m.curve());
        jwk.insert(QStringLiteral("x"), b64(m.params().x));
        break;
    case KeyType::Oct:
        jwk.insert(QStringLiteral("k"), b64(m.secret()));
        break;
    }
    if (!key.kid.isEmpty())
        jwk.insert(QStringLiteral("kid"), key.kid);
    if (!key.jwkAlg.isEmpty())
        jwk.insert(QStringLiteral("alg"), key.jwkAlg);
    if (!key.use.isEmpty())
        jwk.insert(QStringLiteral("use"), key.use);
    if (!key.keyOps.isEmpty())
        jwk.insert(QStringLiteral("key_ops"), QJsonArray::fromStringList(key.keyOps));
    return QJsonDocument(jwk).toJson(QJsonDocument::Compact);
}

} // namespace jwb::keys
