// SPDX-License-Identifier: Apache-2.0
#include "crypto/Signer.h"

#include "crypto/OpenSsl.h"
#include "keys/KeyFactory.h"
#include "keys/KeyMaterial.h"
#include "token/Base64Url.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace jwb::crypto {

struct SigningKey::Impl {
    ossl::Pkey privateKey; // RSA/EC/OKP
    QByteArray secret;     // HMAC

    ~Impl()
    {
        if (!secret.isEmpty())
            OPENSSL_cleanse(secret.data(), static_cast<size_t>(secret.size()));
    }
};

namespace {

Error signError(const char* code, const QString& message)
{
    return Error{QString::fromLatin1(code), message, QString()};
}

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };

// The public half as its own EVP_PKEY, so the verification key never carries private material.
ossl::Pkey publicHalf(EVP_PKEY* privateKey)
{
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(privateKey, &der);
    if (length <= 0)
        return {};
    const unsigned char* p = der;
    ossl::Pkey pub(d2i_PUBKEY(nullptr, &p, length));
    OPENSSL_free(der);
    return pub;
}

// Whether a key of this material can produce `alg` signatures at all. Strength is deliberately not
// checked: the self-test signs with weak keys to prove verification refuses them.
bool canSign(const keys::KeyMaterial& m, Algorithm alg)
{
    switch (family(alg)) {
    case Family::Hmac: return m.type() == keys::KeyType::Oct;
    case Family::Rsa:
    case Family::RsaPss: return m.type() == keys::KeyType::Rsa;
    case Family::Ecdsa:
        return m.type() == keys::KeyType::Ec
               && m.curve() == (alg == Algorithm::ES256   ? QLatin1StringView("P-256")
                                : alg == Algorithm::ES384 ? QLatin1StringView("P-384")
                                                          : QLatin1StringView("P-521"));
    case Family::EdDsa: return m.type() == keys::KeyType::Okp;
    case Family::None: break;
    }
    return false;
}

Result<QByteArray> digestSign(EVP_PKEY* pkey, Algorithm alg, QByteArrayView input)
{
    const ossl::MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr; // owned by ctx
    const EVP_MD* md = ossl::digestFor(alg);
    const char* mdName = md ? EVP_MD_get0_name(md) : nullptr; // EdDSA signs the message itself
    if (!ctx || EVP_DigestSignInit_ex(ctx.get(), &pctx, mdName, nullptr, nullptr, pkey, nullptr) != 1)
        return signError("ERR_SIGN_FAILED", QStringLiteral("The signing context could not be prepared."));
    if (family(alg) == Family::Rsa && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
        return signError("ERR_SIGN_FAILED", QStringLiteral("RSA padding could not be set."));
    if (family(alg) == Family::RsaPss
        && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
        return signError("ERR_SIGN_FAILED", QStringLiteral("RSA-PSS parameters could not be set."));
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, static_cast<size_t>(input.size())) != 1)
        return signError("ERR_SIGN_FAILED", QStringLiteral("The signature length could not be determined."));
    QByteArray signature(static_cast<qsizetype>(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       static_cast<size_t>(input.size()))
        != 1)
        return signError("ERR_SIGN_FAILED", QStringLiteral("Signing failed."));
    signature.resize(static_cast<qsizetype>(length));
    return signature;
}

// OpenSSL produces DER; JWS wants R||S, each left-padded to the field size (RFC 7518 section 3.4).
Result<QByteArray> derToRaw(const QByteArray& der, int unit)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (!sig)
        return signError("ERR_SIGN_FAILED", QStringLiteral("The ECDSA signature could not be decoded."));
    QByteArray raw(2 * unit, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, unit) == unit
                    && BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + unit, unit) == unit;
    ECDSA_SIG_free(sig);
    if (!ok)
        return signError("ERR_SIGN_FAILED", QStringLiteral("The ECDSA signature does not fit the curve."));
    return raw;
}

Result<QByteArray> hmacSign(const QByteArray& secret, Algorithm alg, QByteArrayView input)
{
    const EVP_MD* md = ossl::digestFor(alg);
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (!md
        || !EVP_Q_mac(nullptr, "HMAC", nullptr, EVP_MD_get0_name(md), nullptr, secret.constData(),
                      static_cast<size_t>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
                      static_cast<size_t>(input.size()), mac, sizeof mac, &length))
        return signError("ERR_SIGN_FAILED", QStringLiteral("The HMAC could not be computed."));
    return QByteArray(reinterpret_cast<const char*>(mac), static_cast<qsizetype>(length));
}

} // namespace

Result<SigningKey> SigningKey::generate(Algorithm alg, const QString& kid)
{
    auto impl = std::make_shared<Impl>();
    Result<keys::Key> pub = signError("ERR_SIGN_UNSUPPORTED", QStringLiteral("No key can be generated for this algorithm."));
    switch (family(alg)) {
    case Family::Hmac: {
        QByteArray secret(ossl::hashBytes(alg), '\0');
        if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(secret.size())) != 1) {
            ossl::clearErrors();
            return signError("ERR_SIGN_FAILED", QStringLiteral("No random bytes are available."));
        }
        pub = keys::detail::keyFromSecret(secret, QStringLiteral("generated"), keys::detail::Strength::Enforce);
        impl->secret = secret;
        OPENSSL_cleanse(secret.data(), static_cast<size_t>(secret.size()));
        break;
    }
    case Family::Rsa:
    case Family::RsaPss:
        impl->privateKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
        break;
    case Family::Ecdsa: {
        const char* curve = alg == Algorithm::ES256 ? "P-256" : alg == Algorithm::ES384 ? "P-384" : "P-521";
        impl->privateKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
        break;
    }
    case Family::EdDsa: impl->privateKey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); break;
    case Family::None: return pub.error();
    }
    if (family(alg) != Family::Hmac) {
        if (!impl->privateKey) {
            ossl::clearErrors();
            return signError("ERR_SIGN_FAILED", QStringLiteral("Key generation failed."));
        }
        pub = keys::detail::keyFromPublicPkey(publicHalf(impl->privateKey.get()), QStringLiteral("generated"),
                                              keys::detail::Strength::Enforce);
    }
    Result<SigningKey> key = assemble(std::move(impl), std::move(pub), kid);
    if (key)
        key.value().m_public.testKey = true; // minted here: lint flags it if it ever lands in a policy
    return key;
}

Result<SigningKey> SigningKey::fromPrivatePem(QByteArrayView pem, const QString& kid)
{
    const std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    // A callback that refuses: without one OpenSSL would prompt on the terminal for a passphrase.
    auto noPassphrase = [](char*, int, int, void*) -> int { return -1; };
    auto impl = std::make_shared<Impl>();
    if (bio)
        impl->privateKey.reset(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, noPassphrase, nullptr, nullptr, nullptr));
    if (!impl->privateKey) {
        ossl::clearErrors();
        return signError("ERR_KEY_PEM", QStringLiteral("No unencrypted PEM private key could be read."));
    }
    Result<keys::Key> pub = keys::detail::keyFromPublicPkey(publicHalf(impl->privateKey.get()), QStringLiteral("private PEM"),
                                                            keys::detail::Strength::Allow);
    return assemble(std::move(impl), std::move(pub), kid);
}

Result<SigningKey> SigningKey::fromSecret(QByteArrayView secret, const QString& kid)
{
    Result<keys::Key> pub = keys::detail::keyFromSecret(secret, QStringLiteral("secret"), keys::detail::Strength::Allow);
    if (!pub)
        return pub.error();
    auto impl = std::make_shared<Impl>();
    impl->secret = secret.toByteArray();
    return assemble(std::move(impl), std::move(pub), kid);
}

Result<SigningKey> SigningKey::assemble(std::shared_ptr<const Impl> impl, Result<keys::Key> pub,
                                        const QString& kid)
{
    if (!pub)
        return pub.error();
    SigningKey key;
    key.m_impl = std::move(impl);
    key.m_public = std::move(pub).value();
    key.m_public.kid = kid;
    return key;
}

QByteArray SigningKey::secret() const
{
    return m_impl ? m_impl->secret : QByteArray();
}

Result<QByteArray> SigningKey::sign(Algorithm alg, QByteArrayView input) const
{
    if (!m_impl || !m_public.material || !canSign(*m_public.material, alg))
        return signError("ERR_SIGN_KEY_MISMATCH",
                         QStringLiteral("This key cannot sign %1.").arg(algorithmName(alg)));
    Result<QByteArray> signature = family(alg) == Family::Hmac
                                       ? hmacSign(m_impl->secret, alg, input)
                                       : digestSign(m_impl->privateKey.get(), alg, input);
    if (signature && family(alg) == Family::Ecdsa)
        signature = derToRaw(*signature, m_public.material->signatureUnitBytes());
    if (!signature)
        ossl::clearErrors();
    return signature;
}

QByteArray mintCompact(QByteArrayView headerJson, QByteArrayView payloadJson, const SigningKey* key, Algorithm alg,
                       QByteArrayView rawSignature)
{
    QByteArray token = token::encodeBase64Url(headerJson);
    token += '.';
    token += token::encodeBase64Url(payloadJson);
    QByteArray signature;
    if (key) {
        Result<QByteArray> signed_ = key->sign(alg, token);
        if (!signed_)
            return {};
        signature = *signed_;
    } else {
        signature = rawSignature.toByteArray();
    }
    token += '.';
    token += token::encodeBase64Url(signature);
    return token;
}

QByteArray ecdsaRawToDer(QByteArrayView raw)
{
    if (raw.isEmpty() || raw.size() % 2 != 0)
        return {};
    const int half = static_cast<int>(raw.size() / 2);
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(bytes, half, nullptr);
    BIGNUM* s = BN_bin2bn(bytes + half, half, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return {};
    }
    unsigned char* out = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &out);
    QByteArray der = length > 0 ? QByteArray(reinterpret_cast<const char*>(out), length) : QByteArray();
    OPENSSL_free(out);
    ECDSA_SIG_free(sig);
    return der;
}

} // namespace jwb::crypto
