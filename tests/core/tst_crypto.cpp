// SPDX-License-Identifier: Apache-2.0
// Signing and verification: every algorithm round trip, every malformed-signature class, key
// constraints at verification time, and the per-thread contexts under concurrency.
#include "crypto/Algorithm.h"
#include "crypto/Signer.h"
#include "crypto/Verifier.h"
#include "keys/Key.h"

#include <QFile>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <map>
#include <thread>

using namespace jwb;
using namespace jwb::crypto;

Q_DECLARE_METATYPE(jwb::crypto::SignatureResult)

namespace {

QByteArray readKey(const char* name)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/keys/") + QLatin1StringView(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test key %s", name);
    return f.readAll();
}

const SigningKey& fixedKey(const char* pemName)
{
    static std::map<std::string, SigningKey> cache;
    auto it = cache.find(pemName);
    if (it == cache.end()) {
        Result<SigningKey> key = SigningKey::fromPrivatePem(readKey(pemName), QString::fromLatin1(pemName));
        if (!key)
            qFatal("%s: %s", pemName, qPrintable(key.error().toString()));
        it = cache.emplace(pemName, std::move(key).value()).first;
    }
    return it->second;
}

const SigningKey& keyFor(Algorithm alg)
{
    switch (family(alg)) {
    case Family::Rsa:
    case Family::RsaPss: return fixedKey("rsa2048-private.pem");
    case Family::Ecdsa:
        return fixedKey(alg == Algorithm::ES256   ? "ec-p256-private.pem"
                        : alg == Algorithm::ES384 ? "ec-p384-private.pem"
                                                  : "ec-p521-private.pem");
    case Family::EdDsa: return fixedKey("ed25519-private.pem");
    case Family::Hmac:
    case Family::None: break;
    }
    static const SigningKey hmac = *SigningKey::fromSecret(QByteArray(64, '\x5a'), QStringLiteral("hs"));
    return hmac;
}

const QByteArray kInput = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc2NzIyNTYwMH0";

QByteArray flipBit(QByteArray data, qsizetype byte, int bit = 0)
{
    data[byte] = static_cast<char>(data[byte] ^ (1 << bit));
    return data;
}

// R||S with chosen values (big-endian, left-padded) for the range checks.
QByteArray rawEcdsa(const BIGNUM* r, const BIGNUM* s, int unit)
{
    QByteArray out(2 * unit, '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    BN_bn2binpad(r, p, unit);
    BN_bn2binpad(s, p + unit, unit);
    return out;
}

BIGNUM* curveOrder(int nid)
{
    EC_GROUP* group = EC_GROUP_new_by_curve_name(nid);
    BIGNUM* n = BN_dup(EC_GROUP_get0_order(group));
    EC_GROUP_free(group);
    return n;
}

} // namespace

class TstCrypto final : public QObject {
    Q_OBJECT

private slots:
    void algorithmNames_areExactAndNoneIsNeverSupported();
    void roundTrip_verifiesForEveryAlgorithm_data();
    void roundTrip_verifiesForEveryAlgorithm();
    void ed448_roundTripsWithFixedKey();
    void generatedKeys_signAndVerifyAndAreMarkedAsTestKeys_data();
    void generatedKeys_signAndVerifyAndAreMarkedAsTestKeys();
    void derEcdsaSignature_isMalformed();
    void ecdsaScalarsOutsideRange_areMalformed_data();
    void ecdsaScalarsOutsideRange_areMalformed();
    void wrongLengthSignatures_areMalformed_data();
    void wrongLengthSignatures_areMalformed();
    void ed448SignatureUnderEd25519Key_fails();
    void hs256With16ByteKey_isRefused();
    void hs384With32ByteKey_isUnusable();
    void publicKeyAsHmacSecret_isKeyMismatch_data();
    void publicKeyAsHmacSecret_isKeyMismatch();
    void rsaPkcs1SignatureUnderPss_isInvalid();
    void pssWithOtherSaltLength_isInvalid();
    void weakRsaSigningKey_signsButNeverVerifies();
    void jwkRestrictions_applyAtVerification();
    void fromPrivatePem_refusesEncryptedAndPublicPem();
    void mintCompact_buildsThreeSegmentsOrUsesRawSignature();
    void twoThreadsSameKey_verifyCorrectly_data();
    void twoThreadsSameKey_verifyCorrectly();
    void shortLivedKeys_verifyAndReleaseContexts();
    void moreThreadsThanSlots_manyKeys_verifyCorrectly();
};

void TstCrypto::algorithmNames_areExactAndNoneIsNeverSupported()
{
    for (int i = 0; i < kAlgorithmCount; ++i) {
        const auto alg = static_cast<Algorithm>(i);
        QCOMPARE(algorithmFromName(algorithmName(alg)), alg);
        QCOMPARE(algorithmNameView(alg), algorithmName(alg));
        QCOMPARE(algorithmNameText(alg).toString(), algorithmName(alg)); // the table's two columns agree
    }
    QCOMPARE(algorithmFromName(u"rs256"), Algorithm::Unsupported);
    QCOMPARE(algorithmFromName(u"RS256 "), Algorithm::Unsupported);
    QCOMPARE(algorithmFromName(u"none"), Algorithm::Unsupported);
    QCOMPARE(algorithmFromName(u""), Algorithm::Unsupported);
    for (const char16_t* spelling : {u"none", u"None", u"NONE", u"nOnE"})
        QVERIFY(isNoneSpelling(spelling));
    QVERIFY(!isNoneSpelling(u"nonE "));
    QVERIFY(!isNoneSpelling(u"HS256"));
    QCOMPARE(family(Algorithm::PS512), Family::RsaPss);
    QCOMPARE(family(Algorithm::Unsupported), Family::None);
    QCOMPARE(familyName(Family::RsaPss), QStringLiteral("RSA-PSS"));
    QVERIFY(isSymmetric(Algorithm::HS384));
    QVERIFY(!isSymmetric(Algorithm::EdDSA));
    AlgorithmSet set;
    set.insert(Algorithm::ES256);
    set.insert(Algorithm::Unsupported);
    QVERIFY(set.contains(Algorithm::ES256));
    QVERIFY(!set.contains(Algorithm::Unsupported));
    QVERIFY(!set.contains(Algorithm::ES384));
}

void TstCrypto::roundTrip_verifiesForEveryAlgorithm_data()
{
    QTest::addColumn<Algorithm>("alg");
    for (int i = 0; i < kAlgorithmCount; ++i)
        QTest::newRow(qPrintable(algorithmName(static_cast<Algorithm>(i)))) << static_cast<Algorithm>(i);
}

void TstCrypto::roundTrip_verifiesForEveryAlgorithm()
{
    QFETCH(Algorithm, alg);
    const SigningKey& key = keyFor(alg);
    const Result<QByteArray> sig = key.sign(alg, kInput);
    QVERIFY2(sig.ok(), sig ? "" : qPrintable(sig.error().toString()));
    if (family(alg) == Family::Ecdsa)
        QCOMPARE(sig->size(), 2 * ((key.publicKey().bits + 7) / 8)); // raw R||S: 64, 96, 132
    QString detail;
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, *sig, &detail), SignatureResult::Valid);
    QVERIFY(detail.isEmpty());
    // Twice more: the kept contexts must give the same answer on reuse, valid and invalid alike.
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, *sig), SignatureResult::Valid);

    // One flipped bit anywhere fails: in the signing input (header or payload) and in the signature.
    QCOMPARE(verifySignature(key.publicKey(), alg, flipBit(kInput, 3), *sig, &detail), SignatureResult::Invalid);
    QVERIFY(!detail.isEmpty());
    QCOMPARE(verifySignature(key.publicKey(), alg, flipBit(kInput, kInput.size() - 1, 1), *sig),
             SignatureResult::Invalid);
    const SignatureResult flippedSig = verifySignature(key.publicKey(), alg, kInput, flipBit(*sig, sig->size() / 2 + 1));
    QVERIFY(flippedSig == SignatureResult::Invalid || flippedSig == SignatureResult::Malformed);
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, flipBit(*sig, sig->size() - 1, 7)), SignatureResult::Invalid);
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, *sig), SignatureResult::Valid);
    // Failures leave nothing in OpenSSL's per-thread error queue for the next caller to trip over.
    QCOMPARE(ERR_peek_error(), 0UL);

    // Against the key loaded from its public PEM/JWK as a policy would hold it.
    const Result<keys::Key> policyKey = keys::parseJwk(keys::toPublicJwk(key.publicKey()), QStringLiteral("jwk"));
    QVERIFY(policyKey.ok());
    QCOMPARE(verifySignature(*policyKey, alg, kInput, *sig), SignatureResult::Valid);
}

void TstCrypto::ed448_roundTripsWithFixedKey()
{
    const SigningKey& key = fixedKey("ed448-private.pem");
    QCOMPARE(key.publicKey().curve, QStringLiteral("Ed448"));
    const Result<QByteArray> sig = key.sign(Algorithm::EdDSA, kInput);
    QVERIFY(sig.ok());
    QCOMPARE(sig->size(), 114);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::EdDSA, kInput, *sig), SignatureResult::Valid);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::EdDSA, flipBit(kInput, 0), *sig), SignatureResult::Invalid);
    const Result<QList<keys::Key>> pub = keys::parsePem(readKey("ed448-public.pem"), QStringLiteral("pub"));
    QVERIFY(pub.ok());
    QCOMPARE(verifySignature(pub->first(), Algorithm::EdDSA, kInput, *sig), SignatureResult::Valid);
}

void TstCrypto::generatedKeys_signAndVerifyAndAreMarkedAsTestKeys_data()
{
    QTest::addColumn<Algorithm>("alg");
    for (Algorithm a : {Algorithm::HS256, Algorithm::HS512, Algorithm::RS256, Algorithm::PS384, Algorithm::ES256,
                        Algorithm::ES384, Algorithm::ES512, Algorithm::EdDSA})
        QTest::newRow(qPrintable(algorithmName(a))) << a;
}

void TstCrypto::generatedKeys_signAndVerifyAndAreMarkedAsTestKeys()
{
    QFETCH(Algorithm, alg);
    const Result<SigningKey> key = SigningKey::generate(alg, QStringLiteral("gen-1"));
    QVERIFY2(key.ok(), key ? "" : qPrintable(key.error().toString()));
    QCOMPARE(key->publicKey().kid, QStringLiteral("gen-1"));
    QVERIFY(key->publicKey().testKey);
    QVERIFY(key->publicKey().usableWith(alg));
    QCOMPARE(key->secret().isEmpty(), !isSymmetric(alg));
    if (isSymmetric(alg))
        QCOMPARE(key->secret().size(), key->publicKey().bits / 8);
    const Result<QByteArray> sig = key->sign(alg, kInput);
    QVERIFY(sig.ok());
    QCOMPARE(verifySignature(key->publicKey(), alg, kInput, *sig), SignatureResult::Valid);
    // A key of the wrong family refuses to sign rather than producing something else.
    const Algorithm other = isSymmetric(alg) ? Algorithm::RS256 : Algorithm::HS256;
    QVERIFY(!key->sign(other, kInput).ok());
    QVERIFY(!SigningKey::generate(Algorithm::Unsupported, QString()).ok());
}

void TstCrypto::derEcdsaSignature_isMalformed()
{
    const SigningKey& key = keyFor(Algorithm::ES256);
    const Result<QByteArray> raw = key.sign(Algorithm::ES256, kInput);
    QVERIFY(raw.ok());
    // Re-encode the same (valid) R and S as DER, the form OpenSSL and Java produce natively.
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->constData()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw->constData()) + 32, 32, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, r, s);
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig, &der);
    QByteArray derSig(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::ES256, kInput, derSig), SignatureResult::Malformed);
    // Even padded to 64 bytes a DER blob is not R||S.
    QByteArray padded = derSig.leftJustified(64, '\0');
    QVERIFY(verifySignature(key.publicKey(), Algorithm::ES256, kInput, padded) != SignatureResult::Valid);
}

void TstCrypto::ecdsaScalarsOutsideRange_areMalformed_data()
{
    QTest::addColumn<Algorithm>("alg");
    QTest::addColumn<QString>("which"); // r0, s0, rn, sn, zero, rmax
    for (Algorithm a : {Algorithm::ES256, Algorithm::ES384, Algorithm::ES512}) {
        for (const char* w : {"r=0", "s=0", "r=n", "s=n", "all zero", "r=2^k-1"})
            QTest::newRow(qPrintable(algorithmName(a) + QLatin1Char(' ') + QLatin1StringView(w)))
                << a << QString::fromLatin1(w);
    }
}

void TstCrypto::ecdsaScalarsOutsideRange_areMalformed()
{
    QFETCH(Algorithm, alg);
    QFETCH(QString, which);
    const SigningKey& key = keyFor(alg);
    const int nid = alg == Algorithm::ES256 ? NID_X9_62_prime256v1 : alg == Algorithm::ES384 ? NID_secp384r1 : NID_secp521r1;
    const int unit = (key.publicKey().bits + 7) / 8;
    BIGNUM* n = curveOrder(nid);
    BIGNUM* zero = BN_new();
    BN_zero(zero);
    BIGNUM* one = BN_new();
    BN_one(one);
    BIGNUM* max = BN_new();
    BN_set_bit(max, unit * 8); // 2^(8*unit)
    BN_sub_word(max, 1);       // the largest value the fixed-length field can hold
    QByteArray sig;
    if (which == QLatin1StringView("r=0"))
        sig = rawEcdsa(zero, one, unit);
    else if (which == QLatin1StringView("s=0"))
        sig = rawEcdsa(one, zero, unit);
    else if (which == QLatin1StringView("r=n"))
        sig = rawEcdsa(n, one, unit);
    else if (which == QLatin1StringView("s=n"))
        sig = rawEcdsa(one, n, unit);
    else if (which == QLatin1StringView("all zero"))
        sig = QByteArray(2 * unit, '\0');
    else
        sig = rawEcdsa(max, one, unit);
    BN_free(n);
    BN_free(zero);
    BN_free(one);
    BN_free(max);
    QString detail;
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, sig, &detail), SignatureResult::Malformed);
    QVERIFY(detail.contains(QStringLiteral("[1, n-1]")));
}

void TstCrypto::wrongLengthSignatures_areMalformed_data()
{
    QTest::addColumn<Algorithm>("alg");
    QTest::addColumn<int>("delta");
    for (Algorithm a : {Algorithm::HS256, Algorithm::HS512, Algorithm::RS256, Algorithm::PS256, Algorithm::ES256,
                        Algorithm::ES512, Algorithm::EdDSA}) {
        QTest::newRow(qPrintable(algorithmName(a) + QStringLiteral(" one byte short"))) << a << -1;
        QTest::newRow(qPrintable(algorithmName(a) + QStringLiteral(" one byte long"))) << a << 1;
    }
}

void TstCrypto::wrongLengthSignatures_areMalformed()
{
    QFETCH(Algorithm, alg);
    QFETCH(int, delta);
    const SigningKey& key = keyFor(alg);
    QByteArray sig = *key.sign(alg, kInput);
    sig = delta < 0 ? sig.chopped(1) : sig + '\0';
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, sig), SignatureResult::Malformed);
    QCOMPARE(verifySignature(key.publicKey(), alg, kInput, QByteArray()), SignatureResult::Malformed);
}

void TstCrypto::ed448SignatureUnderEd25519Key_fails()
{
    const Result<QByteArray> ed448Sig = fixedKey("ed448-private.pem").sign(Algorithm::EdDSA, kInput);
    QVERIFY(ed448Sig.ok());
    const keys::Key& ed25519 = fixedKey("ed25519-private.pem").publicKey();
    QCOMPARE(verifySignature(ed25519, Algorithm::EdDSA, kInput, *ed448Sig), SignatureResult::Malformed);
    // And the reverse: an Ed25519 signature under the Ed448 key.
    const Result<QByteArray> ed25519Sig = fixedKey("ed25519-private.pem").sign(Algorithm::EdDSA, kInput);
    QCOMPARE(verifySignature(fixedKey("ed448-private.pem").publicKey(), Algorithm::EdDSA, kInput, *ed25519Sig),
             SignatureResult::Malformed);
}

void TstCrypto::hs256With16ByteKey_isRefused()
{
    const QByteArray secret(16, 'w');
    const Result<keys::Key> loaded = keys::hmacKey(secret, QStringLiteral("weak"), QStringLiteral("test"));
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code, QStringLiteral("ERR_KEY_SHORT_HMAC"));

    // A signing key may hold it (to mint the attack token) but verification refuses to use it.
    const Result<SigningKey> signer = SigningKey::fromSecret(secret, QStringLiteral("weak"));
    QVERIFY(signer.ok());
    const Result<QByteArray> sig = signer->sign(Algorithm::HS256, kInput);
    QVERIFY(sig.ok());
    QVERIFY(!signer->publicKey().usableWith(Algorithm::HS256));
    QCOMPARE(verifySignature(signer->publicKey(), Algorithm::HS256, kInput, *sig), SignatureResult::KeyMismatch);
}

void TstCrypto::hs384With32ByteKey_isUnusable()
{
    const Result<keys::Key> key = keys::hmacKey(QByteArray(32, 'x'), QString(), QStringLiteral("test"));
    QVERIFY(key.ok());
    QVERIFY(key->usableWith(Algorithm::HS256));
    QString why;
    QVERIFY(!key->usableWith(Algorithm::HS384, &why));
    QVERIFY(why.contains(QStringLiteral("48")));
    QVERIFY(!key->usableWith(Algorithm::HS512));
    const Result<SigningKey> signer = SigningKey::fromSecret(QByteArray(32, 'x'), QString());
    const Result<QByteArray> sig = signer->sign(Algorithm::HS384, kInput);
    QVERIFY(sig.ok());
    QString detail;
    QCOMPARE(verifySignature(*key, Algorithm::HS384, kInput, *sig, &detail), SignatureResult::KeyMismatch);
    QVERIFY(!detail.isEmpty());
}

void TstCrypto::publicKeyAsHmacSecret_isKeyMismatch_data()
{
    QTest::addColumn<QString>("pem");
    for (const char* n : {"rsa2048-public.pem", "ec-p256-public.pem", "ed25519-public.pem"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void TstCrypto::publicKeyAsHmacSecret_isKeyMismatch()
{
    QFETCH(QString, pem);
    const QByteArray pemBytes = readKey(qPrintable(pem));
    const Result<QList<keys::Key>> pub = keys::parsePem(pemBytes, pem);
    QVERIFY(pub.ok());
    const keys::Key& key = pub->first();
    // The classic confusion attack: HMAC keyed with the public key's PEM text or JWK bytes.
    for (const QByteArray& secret : {pemBytes, keys::toPublicJwk(key)}) {
        const Result<SigningKey> attacker = SigningKey::fromSecret(secret, QString());
        QVERIFY(attacker.ok());
        const QByteArray sig = *attacker->sign(Algorithm::HS256, kInput);
        QCOMPARE(verifySignature(key, Algorithm::HS256, kInput, sig), SignatureResult::KeyMismatch);
    }
}

void TstCrypto::rsaPkcs1SignatureUnderPss_isInvalid()
{
    const SigningKey& key = keyFor(Algorithm::RS256);
    const QByteArray pkcs1 = *key.sign(Algorithm::RS256, kInput);
    const QByteArray pss = *key.sign(Algorithm::PS256, kInput);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::PS256, kInput, pkcs1), SignatureResult::Invalid);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::RS256, kInput, pss), SignatureResult::Invalid);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::RS384, kInput, pkcs1), SignatureResult::Invalid);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::RS256, kInput, pkcs1), SignatureResult::Valid);
}

void TstCrypto::pssWithOtherSaltLength_isInvalid()
{
    // RFC 7518 section 3.5 fixes the salt at the hash length; a signature with another salt length is
    // not a PS256 signature even though generic PSS verification (salt auto-detect) would accept it.
    const QByteArray pem = readKey("rsa2048-private.pem");
    BIO* bio = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    QVERIFY(pkey);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    QCOMPARE(EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", nullptr, nullptr, pkey, nullptr), 1);
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 20);
    unsigned char sig[256];
    size_t length = sizeof sig;
    QCOMPARE(EVP_DigestSign(ctx, sig, &length, reinterpret_cast<const unsigned char*>(kInput.constData()),
                            static_cast<size_t>(kInput.size())),
             1);
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    const QByteArray salt20(reinterpret_cast<const char*>(sig), static_cast<qsizetype>(length));
    QCOMPARE(verifySignature(keyFor(Algorithm::PS256).publicKey(), Algorithm::PS256, kInput, salt20),
             SignatureResult::Invalid);
}

void TstCrypto::weakRsaSigningKey_signsButNeverVerifies()
{
    const Result<SigningKey> weak = SigningKey::fromPrivatePem(readKey("rsa1024-private.pem"), QStringLiteral("w"));
    QVERIFY(weak.ok());
    QCOMPARE(weak->publicKey().bits, 1024);
    const Result<QByteArray> sig = weak->sign(Algorithm::RS256, kInput);
    QVERIFY(sig.ok());
    QCOMPARE(verifySignature(weak->publicKey(), Algorithm::RS256, kInput, *sig), SignatureResult::KeyMismatch);
}

void TstCrypto::jwkRestrictions_applyAtVerification()
{
    const SigningKey& signer = keyFor(Algorithm::ES256);
    const QByteArray sig = *signer.sign(Algorithm::ES256, kInput);
    keys::Key key = signer.publicKey();
    key.use = QStringLiteral("enc");
    QCOMPARE(verifySignature(key, Algorithm::ES256, kInput, sig), SignatureResult::KeyMismatch);
    key.use = QStringLiteral("sig");
    key.jwkAlg = QStringLiteral("ES384");
    QCOMPARE(verifySignature(key, Algorithm::ES256, kInput, sig), SignatureResult::KeyMismatch);
    key.jwkAlg = QStringLiteral("ES256");
    key.keyOps = QStringList{QStringLiteral("sign")};
    QCOMPARE(verifySignature(key, Algorithm::ES256, kInput, sig), SignatureResult::KeyMismatch);
    key.keyOps = QStringList{QStringLiteral("verify")};
    QCOMPARE(verifySignature(key, Algorithm::ES256, kInput, sig), SignatureResult::Valid);
    QCOMPARE(verifySignature(key, Algorithm::Unsupported, kInput, sig), SignatureResult::KeyMismatch);
    QCOMPARE(verifySignature(keys::Key(), Algorithm::ES256, kInput, sig), SignatureResult::KeyMismatch);
}

void TstCrypto::fromPrivatePem_refusesEncryptedAndPublicPem()
{
    QVERIFY(!SigningKey::fromPrivatePem(readKey("rsa2048-public.pem"), QString()).ok());
    QVERIFY(!SigningKey::fromPrivatePem(QByteArray("garbage"), QString()).ok());

    // An encrypted private key: refused without prompting for a passphrase.
    const QByteArray pem = readKey("ec-p256-private.pem");
    BIO* in = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    BIO* out = BIO_new(BIO_s_mem());
    char pass[] = "test-passphrase";
    QCOMPARE(PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_128_cbc(), pass, sizeof pass - 1, nullptr, nullptr), 1);
    char* data = nullptr;
    const long length = BIO_get_mem_data(out, &data);
    const QByteArray encrypted(data, length);
    BIO_free(out);
    EVP_PKEY_free(pkey);
    QVERIFY(encrypted.contains("ENCRYPTED PRIVATE KEY"));
    const Result<SigningKey> key = SigningKey::fromPrivatePem(encrypted, QString());
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, QStringLiteral("ERR_KEY_PEM"));
}

void TstCrypto::mintCompact_buildsThreeSegmentsOrUsesRawSignature()
{
    const SigningKey& key = keyFor(Algorithm::ES256);
    const QByteArray header = R"({"alg":"ES256","kid":"k1"})";
    const QByteArray payload = R"({"sub":"alice"})";
    const QByteArray token = mintCompact(header, payload, &key, Algorithm::ES256);
    const QList<QByteArray> parts = token.split('.');
    QCOMPARE(parts.size(), 3);
    QCOMPARE(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding), header);
    QCOMPARE(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding), payload);
    QVERIFY(!parts[2].contains('='));
    const QByteArray signingInput = parts[0] + '.' + parts[1];
    const QByteArray sig = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
    QCOMPARE(sig.size(), 64);
    QCOMPARE(verifySignature(key.publicKey(), Algorithm::ES256, signingInput, sig), SignatureResult::Valid);

    const QByteArray raw = mintCompact(header, payload, nullptr, Algorithm::ES256, QByteArray(64, '\0'));
    QCOMPARE(QByteArray::fromBase64(raw.split('.').at(2), QByteArray::Base64UrlEncoding), QByteArray(64, '\0'));
    QVERIFY(mintCompact(header, payload, nullptr, Algorithm::ES256).endsWith('.'));
    QVERIFY(mintCompact(header, payload, &key, Algorithm::RS256).isEmpty()); // cannot sign: no token
}

void TstCrypto::twoThreadsSameKey_verifyCorrectly_data()
{
    QTest::addColumn<Algorithm>("alg");
    for (Algorithm a : {Algorithm::HS256, Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::EdDSA})
        QTest::newRow(qPrintable(algorithmName(a))) << a;
}

void TstCrypto::twoThreadsSameKey_verifyCorrectly()
{
    QFETCH(Algorithm, alg);
    constexpr int kIterations = 10000;
    const SigningKey& signer = keyFor(alg);
    const keys::Key key = signer.publicKey();
    // Two different messages so a context carrying state from the other thread's message would show.
    const QByteArray inputs[2] = {kInput, kInput + "Zg"};
    const QByteArray sigs[2] = {*signer.sign(alg, inputs[0]), *signer.sign(alg, inputs[1])};
    std::atomic<int> wrong{0};
    std::atomic<int> checked{0};
    auto worker = [&](int t) {
        for (int i = 0; i < kIterations; ++i) {
            const int m = (i + t) & 1;
            const bool tamper = i % 3 == 0;
            const SignatureResult expected = tamper ? SignatureResult::Invalid : SignatureResult::Valid;
            const QByteArray& sig = tamper ? sigs[1 - m] : sigs[m];
            if (verifySignature(key, alg, inputs[m], sig) != expected)
                wrong.fetch_add(1);
            checked.fetch_add(1);
        }
    };
    std::thread a(worker, 0);
    std::thread b(worker, 1);
    a.join();
    b.join();
    QCOMPARE(checked.load(), 2 * kIterations);
    QCOMPARE(wrong.load(), 0);
}

void TstCrypto::shortLivedKeys_verifyAndReleaseContexts()
{
    // Contexts belong to the key: keys come and go (policy reloads) and each verifies correctly.
    const SigningKey& signer = keyFor(Algorithm::HS256);
    const QByteArray sig = *signer.sign(Algorithm::HS256, kInput);
    for (int i = 0; i < 200; ++i) {
        const Result<keys::Key> key = keys::hmacKey(signer.secret(), QString(), QStringLiteral("s"));
        QVERIFY(key.ok());
        std::thread t([&key, &sig] {
            if (verifySignature(*key, Algorithm::HS256, kInput, sig) != SignatureResult::Valid)
                qFatal("verification in a worker thread failed");
        });
        t.join();
        QCOMPARE(verifySignature(*key, Algorithm::HS256, kInput, sig), SignatureResult::Valid);
    }
}

void TstCrypto::moreThreadsThanSlots_manyKeys_verifyCorrectly()
{
    // Sixteen threads over three keys of different families: threads share slots, borrow idle
    // contexts from each other and build extra ones; every answer must still be right.
    struct Case {
        const keys::Key* key;
        Algorithm alg;
        QByteArray sig;
    };
    std::vector<Case> cases;
    for (Algorithm alg : {Algorithm::HS256, Algorithm::HS512, Algorithm::RS256, Algorithm::PS256}) {
        const SigningKey& signer = keyFor(alg);
        cases.push_back({&signer.publicKey(), alg, *signer.sign(alg, kInput)});
    }
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&cases, &wrong, t] {
            for (int i = 0; i < 300; ++i) {
                const Case& c = cases[static_cast<std::size_t>(i + t) % cases.size()];
                const bool tamper = (i + t) % 5 == 0;
                const SignatureResult expected = tamper ? SignatureResult::Invalid : SignatureResult::Valid;
                if (verifySignature(*c.key, c.alg, tamper ? flipBit(kInput, 7) : kInput, c.sig) != expected)
                    wrong.fetch_add(1);
            }
        });
    }
    for (std::thread& t : threads)
        t.join();
    QCOMPARE(wrong.load(), 0);
}

QTEST_GUILESS_MAIN(TstCrypto)
#include "tst_crypto.moc"
