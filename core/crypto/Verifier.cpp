// SPDX-License-Identifier: Apache-2.0
#include "crypto/Verifier.h"

#include "crypto/OpenSsl.h"
#include "crypto/VerifyContext.h"
#include "keys/KeyMaterial.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <new>

namespace jwb::crypto {

namespace {

using keys::KeyMaterial;

// The largest DER ECDSA signature we produce: SEQUENCE (3 bytes of header for P-521) holding two
// INTEGERs of at most 66 value bytes plus a sign byte and a 2-byte header each.
constexpr int kMaxDerEcdsa = 3 + 2 * (2 + 1 + 66);

struct Outcome {
    SignatureResult result;
    const char* reason; // static text, never signature or key bytes
};

constexpr Outcome valid() { return {SignatureResult::Valid, nullptr}; }
constexpr Outcome internalError(const char* why) { return {SignatureResult::InternalError, why}; }

// One SHA-2 pass over the signing input with the thread's kept digest context.
bool digestInput(VerifyContext& c, Algorithm alg, QByteArrayView input, unsigned char* out, unsigned int* outLength)
{
    if (!c.digest) {
        c.digest.reset(EVP_MD_CTX_new());
        if (!c.digest)
            return false;
    }
    const EVP_MD* md = ossl::digestFor(alg);
    return md && EVP_DigestInit_ex2(c.digest.get(), md, nullptr) == 1
           && EVP_DigestUpdate(c.digest.get(), input.data(), static_cast<size_t>(input.size())) == 1
           && EVP_DigestFinal_ex(c.digest.get(), out, outLength) == 1;
}

// The kept EVP_PKEY_CTX for RS*/PS*/ES*, with verify_init, padding and digest done once.
EVP_PKEY_CTX* pkeyContext(VerifyContext& c, const KeyMaterial& m, Algorithm alg)
{
    ossl::PkeyCtx& slot = c.verify[static_cast<std::size_t>(alg)];
    if (slot)
        return slot.get();
    ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m.pkey(), nullptr));
    const EVP_MD* md = ossl::digestFor(alg);
    if (!ctx || !md || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1)
        return nullptr;
    const Family fam = family(alg);
    if (fam == Family::Rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
        return nullptr;
    // RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash output (exactly: a
    // verifier that accepted any salt length would accept signatures no JOSE signer makes).
    if (fam == Family::RsaPss
        && (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) != 1))
        return nullptr;
    slot = std::move(ctx);
    return slot.get();
}

Outcome verifyWithPkeyContext(VerifyContext& c, const KeyMaterial& m, Algorithm alg, QByteArrayView input,
                              const unsigned char* sig, size_t sigLength)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    if (!digestInput(c, alg, input, digest, &digestLength))
        return internalError("the digest of the signing input could not be computed");
    EVP_PKEY_CTX* ctx = pkeyContext(c, m, alg);
    if (!ctx)
        return internalError("the verification context could not be prepared");
    const int rc = EVP_PKEY_verify(ctx, sig, sigLength, digest, digestLength);
    if (rc == 1)
        return valid();
    if (rc == 0)
        return {SignatureResult::Invalid, "the signature does not match the header, payload and key"};
    return internalError("the signature could not be checked");
}

Outcome verifyRsa(VerifyContext& c, const KeyMaterial& m, Algorithm alg, QByteArrayView input, QByteArrayView sig)
{
    // RFC 8017 section 8.2.2 / 8.1.2: the signature is exactly as long as the modulus.
    if (sig.size() != m.signatureUnitBytes())
        return {SignatureResult::Malformed, "the RSA signature is not exactly as long as the key's modulus"};
    return verifyWithPkeyContext(c, m, alg, input, reinterpret_cast<const unsigned char*>(sig.data()),
                                 static_cast<size_t>(sig.size()));
}

// False when `value` is outside [1, n-1].
bool inScalarRange(const BIGNUM* value, const BIGNUM* order)
{
    return !BN_is_zero(value) && BN_cmp(value, order) < 0;
}

Outcome verifyEcdsa(VerifyContext& c, const KeyMaterial& m, Algorithm alg, QByteArrayView input, QByteArrayView sig)
{
    // RFC 7518 section 3.4: R and S as fixed-length big-endian octets, concatenated. Anything
    // else (DER included) is refused before any arithmetic.
    const int unit = m.signatureUnitBytes();
    if (sig.size() != 2 * unit)
        return {SignatureResult::Malformed,
                "the ECDSA signature is not R||S of exactly twice the curve size (DER is not accepted)"};
    const BIGNUM* order = m.ecOrder();
    if (!order)
        return internalError("the curve order is unknown");
    if (!c.ecdsa) {
        ossl::EcdsaSig ecSig(ECDSA_SIG_new());
        ossl::Bn r(BN_new());
        ossl::Bn s(BN_new());
        if (!ecSig || !r || !s)
            return internalError("out of memory");
        c.ecdsaR = r.get();
        c.ecdsaS = s.get();
        ECDSA_SIG_set0(ecSig.get(), r.release(), s.release()); // ecSig owns r and s from here
        c.ecdsa = std::move(ecSig);
    }
    // Read into the kept numbers: BN_bin2bn reuses their storage, so only a context's first signature
    // allocates.
    const auto* bytes = reinterpret_cast<const unsigned char*>(sig.data());
    if (!BN_bin2bn(bytes, unit, c.ecdsaR) || !BN_bin2bn(bytes + unit, unit, c.ecdsaS))
        return internalError("out of memory");
    if (!inScalarRange(c.ecdsaR, order) || !inScalarRange(c.ecdsaS, order))
        return {SignatureResult::Malformed, "r or s of the ECDSA signature is outside [1, n-1]"};
    // r, s < n and n fits in `unit` bytes, so the encoding fits kMaxDerEcdsa by construction.
    unsigned char der[kMaxDerEcdsa];
    unsigned char* out = der;
    const int derLength = i2d_ECDSA_SIG(c.ecdsa.get(), &out);
    if (derLength <= 0)
        return internalError("the ECDSA signature could not be encoded");
    return verifyWithPkeyContext(c, m, alg, input, der, static_cast<size_t>(derLength));
}

Outcome verifyEddsa(VerifyContext& c, const KeyMaterial& m, QByteArrayView input, QByteArrayView sig)
{
    // RFC 8032: 64-byte Ed25519 and 114-byte Ed448 signatures; an Ed448 signature under an Ed25519
    // key (or the reverse) is refused by length.
    const qsizetype expected = m.curve() == QLatin1StringView("Ed25519") ? 64 : 114;
    if (sig.size() != expected)
        return {SignatureResult::Malformed, "the EdDSA signature has the wrong length for the key's curve"};
    if (!c.eddsa) {
        ossl::MdCtx ctx(EVP_MD_CTX_new());
        if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, m.pkey(), nullptr) != 1)
            return internalError("the EdDSA context could not be prepared");
        c.eddsa = std::move(ctx);
    } else if (EVP_DigestVerifyInit_ex(c.eddsa.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) != 1) {
        // EdDSA is one-shot: the kept context is re-armed with its key (no new key context is built).
        return internalError("the EdDSA context could not be re-initialised");
    }
    const int rc = EVP_DigestVerify(c.eddsa.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                                    static_cast<size_t>(sig.size()),
                                    reinterpret_cast<const unsigned char*>(input.data()),
                                    static_cast<size_t>(input.size()));
    if (rc == 1)
        return valid();
    if (rc == 0)
        return {SignatureResult::Invalid, "the signature does not match the header, payload and key"};
    return internalError("the signature could not be checked");
}

Outcome verifyHmac(VerifyContext& c, const KeyMaterial& m, Algorithm alg, QByteArrayView input, QByteArrayView sig)
{
    const int macLength = ossl::hashBytes(alg);
    if (sig.size() != macLength)
        return {SignatureResult::Malformed, "the HMAC signature is not exactly as long as the hash output"};
    ossl::MacCtx& slot = c.hmac[static_cast<std::size_t>(alg) - static_cast<std::size_t>(Algorithm::HS256)];
    if (!slot) {
        ossl::MacCtx ctx(EVP_MAC_CTX_new(ossl::hmac()));
        const EVP_MD* md = ossl::digestFor(alg);
        if (!ctx || !md)
            return internalError("the HMAC context could not be prepared");
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md)), 0),
            OSSL_PARAM_construct_end(),
        };
        const QByteArray& secret = m.secret();
        if (EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(secret.constData()),
                         static_cast<size_t>(secret.size()), params)
            != 1)
            return internalError("the HMAC context could not be prepared");
        slot = std::move(ctx);
    } else if (EVP_MAC_init(slot.get(), nullptr, 0, nullptr) != 1) {
        // A NULL key restarts the MAC with the key already set (the padded key blocks are kept).
        return internalError("the HMAC context could not be re-initialised");
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    if (EVP_MAC_update(slot.get(), reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<size_t>(input.size()))
            != 1
        || EVP_MAC_final(slot.get(), mac, &length, sizeof mac) != 1 || length != static_cast<size_t>(macLength))
        return internalError("the HMAC could not be computed");
    const bool same = CRYPTO_memcmp(mac, sig.data(), length) == 0; // constant time
    OPENSSL_cleanse(mac, sizeof mac);
    if (same)
        return valid();
    return {SignatureResult::Invalid, "the signature does not match the header, payload and key"};
}

Outcome dispatch(VerifyContext& c, const KeyMaterial& m, Algorithm alg, QByteArrayView input, QByteArrayView sig)
{
    switch (family(alg)) {
    case Family::Hmac: return verifyHmac(c, m, alg, input, sig);
    case Family::Rsa:
    case Family::RsaPss: return verifyRsa(c, m, alg, input, sig);
    case Family::Ecdsa: return verifyEcdsa(c, m, alg, input, sig);
    case Family::EdDsa: return verifyEddsa(c, m, input, sig);
    case Family::None: break;
    }
    return {SignatureResult::KeyMismatch, "the algorithm is not supported"};
}

} // namespace

SignatureResult verifySignature(const keys::Key& key, Algorithm alg, QByteArrayView signingInput,
                                QByteArrayView signature, QString* detail)
{
    QString why;
    if (!key.usableWith(alg, detail ? &why : nullptr)) {
        if (detail)
            *detail = why;
        return SignatureResult::KeyMismatch;
    }
    const KeyMaterial& material = *key.material;

    VerifyContext* context = material.acquireContext();
    if (!context)
        context = new (std::nothrow) VerifyContext;
    Outcome outcome = context ? dispatch(*context, material, alg, signingInput, signature)
                              : internalError("out of memory");
    if (outcome.result == SignatureResult::InternalError) {
        delete context; // its state is unknown: never reuse it (fail closed and rebuild next time)
    } else if (context) {
        material.releaseContext(context);
    }
    if (outcome.result != SignatureResult::Valid) {
        ossl::clearErrors();
        if (detail)
            *detail = QString::fromLatin1(outcome.reason);
    }
    return outcome.result;
}

} // namespace jwb::crypto
