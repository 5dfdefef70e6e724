// SPDX-License-Identifier: Apache-2.0
// PEM export of public keys. The key is rebuilt from its public JWK members with OpenSSL's
// EVP_PKEY_fromdata (no hand-written encoding), then written with PEM_write_bio_PUBKEY.
#include "keys/PemExport.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>

namespace jwb::keys {

namespace {

struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };

Error pemError(const Key& key, const QString& why)
{
    ERR_clear_error();
    return Error{QStringLiteral("ERR_KEY_PEM_EXPORT"), QStringLiteral("cannot write a PEM public key: ") + why,
                 key.source};
}

QByteArray member(const QJsonObject& jwk, const char* name)
{
    return QByteArray::fromBase64(jwk.value(QLatin1String(name)).toString().toLatin1(),
                                  QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::unique_ptr<BIGNUM, BnFree> bignum(const QByteArray& bytes)
{
    return std::unique_ptr<BIGNUM, BnFree>(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()), static_cast<int>(bytes.size()), nullptr));
}

std::unique_ptr<EVP_PKEY, PkeyFree> fromParams(const char* type, OSSL_PARAM_BLD* bld)
{
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        return nullptr;
    return std::unique_ptr<EVP_PKEY, PkeyFree>(raw);
}

const char* ecGroupName(const QString& crv)
{
    if (crv == u"P-256")
        return "prime256v1";
    if (crv == u"P-384")
        return "secp384r1";
    if (crv == u"P-521")
        return "secp521r1";
    return nullptr;
}

} // namespace

Result<QByteArray> toPublicPem(const Key& key)
{
    if (key.type == KeyType::Oct)
        return pemError(key, QStringLiteral("an HMAC secret has no public form"));
    const QJsonObject jwk = QJsonDocument::fromJson(toPublicJwk(key)).object();
    std::unique_ptr<EVP_PKEY, PkeyFree> pkey;
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld)
        return pemError(key, QStringLiteral("out of memory"));
    if (key.type == KeyType::Rsa) {
        auto n = bignum(member(jwk, "n"));
        auto e = bignum(member(jwk, "e"));
        if (!n || !e || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get())
            || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
            return pemError(key, QStringLiteral("RSA members n/e are missing"));
        pkey = fromParams("RSA", bld.get());
    } else if (key.type == KeyType::Ec) {
        const char* group = ecGroupName(jwk.value(QStringLiteral("crv")).toString());
        const QByteArray x = member(jwk, "x");
        const QByteArray y = member(jwk, "y");
        if (!group || x.isEmpty() || x.size() != y.size())
            return pemError(key, QStringLiteral("unsupported curve or malformed EC point"));
        // SEC 1 uncompressed point: 0x04 || X || Y.
        const QByteArray point = QByteArray(1, '\x04') + x + y;
        if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0)
            || !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                                 static_cast<size_t>(point.size())))
            return pemError(key, QStringLiteral("cannot build the EC parameters"));
        pkey = fromParams("EC", bld.get());
    } else {
        const QString crv = jwk.value(QStringLiteral("crv")).toString();
        const QByteArray x = member(jwk, "x");
        const int id = crv == u"Ed25519" ? EVP_PKEY_ED25519 : crv == u"Ed448" ? EVP_PKEY_ED448 : 0;
        if (id == 0 || x.isEmpty())
            return pemError(key, QStringLiteral("unsupported OKP curve"));
        pkey.reset(EVP_PKEY_new_raw_public_key(id, nullptr, reinterpret_cast<const unsigned char*>(x.constData()),
                                               static_cast<size_t>(x.size())));
    }
    if (!pkey)
        return pemError(key, QStringLiteral("OpenSSL refused the key material"));
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1)
        return pemError(key, QStringLiteral("PEM encoding failed"));
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(len));
}

} // namespace jwb::keys
