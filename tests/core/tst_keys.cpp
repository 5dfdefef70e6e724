// SPDX-License-Identifier: Apache-2.0
// Key loading: every JWK/JWKS/PEM/certificate path, every refusal code, thumbprints, key constraints.
#include "crypto/Algorithm.h"
#include "keys/Key.h"

#include <QFile>
#include <QProcess>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>

using namespace jwb;
using namespace jwb::keys;
using jwb::crypto::Algorithm;

namespace {

QByteArray readData(const QString& name)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/keys/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data file %s", qPrintable(name));
    return f.readAll();
}

Key pemKey(const QString& name)
{
    const Result<QList<Key>> keys = parsePem(readData(name), name);
    if (!keys || keys->size() != 1)
        qFatal("test key %s does not load: %s", qPrintable(name), keys ? "count" : qPrintable(keys.error().toString()));
    return keys->first();
}

// The public JWK of a fixed test key as an object the tests can then damage member by member.
QJsonObject jwkObject(const QString& pemName)
{
    return QJsonDocument::fromJson(toPublicJwk(pemKey(pemName))).object();
}

QByteArray toJson(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString b64(const QByteArray& raw)
{
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject octJwk(int bytes)
{
    QJsonObject o;
    o.insert(QStringLiteral("kty"), QStringLiteral("oct"));
    o.insert(QStringLiteral("k"), b64(QByteArray(bytes, 'k')));
    return o;
}

} // namespace

class TstKeys final : public QObject {
    Q_OBJECT

private slots:
    void rfc7638Example_hasTheRfcThumbprint();
    void pemAndJwkOfSameKey_haveSameThumbprint_data();
    void pemAndJwkOfSameKey_haveSameThumbprint();
    void publicKeyPem_loadsEveryType_data();
    void publicKeyPem_loadsEveryType();
    void pkcs1RsaPublicKey_loadsSameKeyAsSpki();
    void certificate_givesItsPublicKeyAndSubject();
    void severalPemBlocks_loadInOrder();
    void privateKeyPem_isRefused_data();
    void privateKeyPem_isRefused();
    void damagedOrEmptyPem_isRefused_data();
    void damagedOrEmptyPem_isRefused();
    void unsupportedPemBlock_isRefused();
    void rsa1024_isRefusedAsWeak();
    void rocaModulus_isRefusedAsPemAndJwk();
    void ordinaryRsaKeys_haveNoRocaFingerprint();
    void jwkWithPrivateMember_isRefused_data();
    void jwkWithPrivateMember_isRefused();
    void badJwk_isRefusedWithCode_data();
    void badJwk_isRefusedWithCode();
    void ecPointOffCurve_isRefused();
    void ecCoordinateOfWrongLength_isRefused_data();
    void ecCoordinateOfWrongLength_isRefused();
    void shortHmacSecret_isRefusedAtLoad();
    void jwks_loadsAllKeysAndNamesSources();
    void jwksWithTooManyKeys_isRefused();
    void jwksWithOneBadKey_doesNotHalfLoad();
    void jwkMetadata_isKept();
    void usableWith_matchesTypeCurveAndSize_data();
    void usableWith_matchesTypeCurveAndSize();
    void jwkAlgUseAndKeyOps_restrictUse();
    void usableAlgorithms_listsFamily();
    void toPublicJwk_roundTripsWithoutPrivateMembers_data();
    void toPublicJwk_roundTripsWithoutPrivateMembers();
    void parseKeyData_sniffsJwkJwksAndPem();
    void loadKeyFile_readsFilesAndReportsMissingOnes();
    void description_summarisesKey();
};

void TstKeys::rfc7638Example_hasTheRfcThumbprint()
{
    const Result<Key> key = parseJwk(readData(QStringLiteral("rfc7638-example.jwk.json")), QStringLiteral("rfc"));
    QVERIFY2(key.ok(), key ? "" : qPrintable(key.error().toString()));
    QCOMPARE(key->thumbprint, QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
    QCOMPARE(key->kid, QStringLiteral("2011-04-29"));
    QCOMPARE(key->jwkAlg, QStringLiteral("RS256"));
    QCOMPARE(key->type, KeyType::Rsa);
    QCOMPARE(key->bits, 2048);
}

void TstKeys::pemAndJwkOfSameKey_haveSameThumbprint_data()
{
    QTest::addColumn<QString>("pem");
    for (const char* name : {"rsa2048-public.pem", "ec-p256-public.pem", "ec-p384-public.pem", "ec-p521-public.pem",
                             "ed25519-public.pem", "ed448-public.pem"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TstKeys::pemAndJwkOfSameKey_haveSameThumbprint()
{
    QFETCH(QString, pem);
    const Key fromPem = pemKey(pem);
    QVERIFY(!fromPem.thumbprint.isEmpty());
    QCOMPARE(fromPem.thumbprint.size(), 43); // 32 bytes of SHA-256 in unpadded base64url
    const Result<Key> fromJwk = parseJwk(toPublicJwk(fromPem), QStringLiteral("jwk"));
    QVERIFY2(fromJwk.ok(), fromJwk ? "" : qPrintable(fromJwk.error().toString()));
    QCOMPARE(fromJwk->thumbprint, fromPem.thumbprint);
}

void TstKeys::publicKeyPem_loadsEveryType_data()
{
    QTest::addColumn<QString>("pem");
    QTest::addColumn<KeyType>("type");
    QTest::addColumn<QString>("curve");
    QTest::addColumn<int>("bits");
    QTest::newRow("rsa") << QStringLiteral("rsa2048-public.pem") << KeyType::Rsa << QString() << 2048;
    QTest::newRow("p256") << QStringLiteral("ec-p256-public.pem") << KeyType::Ec << QStringLiteral("P-256") << 256;
    QTest::newRow("p384") << QStringLiteral("ec-p384-public.pem") << KeyType::Ec << QStringLiteral("P-384") << 384;
    QTest::newRow("p521") << QStringLiteral("ec-p521-public.pem") << KeyType::Ec << QStringLiteral("P-521") << 521;
    QTest::newRow("ed25519") << QStringLiteral("ed25519-public.pem") << KeyType::Okp << QStringLiteral("Ed25519")
                             << 256;
    QTest::newRow("ed448") << QStringLiteral("ed448-public.pem") << KeyType::Okp << QStringLiteral("Ed448") << 456;
}

void TstKeys::publicKeyPem_loadsEveryType()
{
    QFETCH(QString, pem);
    QFETCH(KeyType, type);
    QFETCH(QString, curve);
    QFETCH(int, bits);
    const Key key = pemKey(pem);
    QCOMPARE(key.type, type);
    QCOMPARE(key.curve, curve);
    QCOMPARE(key.bits, bits);
    QVERIFY(key.kid.isEmpty());
    QCOMPARE(key.source, pem);
    QVERIFY(key.material);
}

void TstKeys::pkcs1RsaPublicKey_loadsSameKeyAsSpki()
{
    const Key pkcs1 = pemKey(QStringLiteral("rsa2048-public-pkcs1.pem"));
    QCOMPARE(pkcs1.type, KeyType::Rsa);
    QCOMPARE(pkcs1.thumbprint, pemKey(QStringLiteral("rsa2048-public.pem")).thumbprint);
}

void TstKeys::certificate_givesItsPublicKeyAndSubject()
{
    const Key cert = pemKey(QStringLiteral("rsa2048-cert.pem"));
    QCOMPARE(cert.type, KeyType::Rsa);
    QCOMPARE(cert.thumbprint, pemKey(QStringLiteral("rsa2048-public.pem")).thumbprint);
    QVERIFY2(cert.certSubject.contains(QStringLiteral("CN=jwb-test-signer")), qPrintable(cert.certSubject));
    QVERIFY(cert.certNotAfter > 4'000'000'000LL); // made with -days 36500
    QVERIFY(cert.description().contains(QStringLiteral("CN=jwb-test-signer")));
}

void TstKeys::severalPemBlocks_loadInOrder()
{
    const QByteArray pem = QByteArray("Comment lines before a block are allowed.\n")
                           + readData(QStringLiteral("ec-p256-public.pem")) + readData(QStringLiteral("rsa2048-cert.pem"))
                           + readData(QStringLiteral("ed25519-public.pem"));
    const Result<QList<Key>> keys = parsePem(pem, QStringLiteral("bundle.pem"));
    QVERIFY2(keys.ok(), keys ? "" : qPrintable(keys.error().toString()));
    QCOMPARE(keys->size(), 3);
    QCOMPARE(keys->at(0).type, KeyType::Ec);
    QCOMPARE(keys->at(1).type, KeyType::Rsa);
    QCOMPARE(keys->at(2).type, KeyType::Okp);
    QCOMPARE(keys->at(1).source, QStringLiteral("bundle.pem #1"));
}

void TstKeys::privateKeyPem_isRefused_data()
{
    QTest::addColumn<QString>("pem");
    for (const char* name : {"rsa2048-private.pem", "ec-p256-private.pem", "ed25519-private.pem"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TstKeys::privateKeyPem_isRefused()
{
    QFETCH(QString, pem);
    // Even after a good public key: the whole file is refused, nothing half-loads.
    const QByteArray data = readData(QStringLiteral("ec-p384-public.pem")) + readData(pem);
    const Result<QList<Key>> keys = parsePem(data, pem);
    QVERIFY(!keys.ok());
    QCOMPARE(keys.error().code, QStringLiteral("ERR_KEY_PRIVATE_IN_PEM"));
    QVERIFY(keys.error().location.startsWith(pem));
    QVERIFY(keys.error().location.contains(QStringLiteral("PEM block 2")));
}

void TstKeys::damagedOrEmptyPem_isRefused_data()
{
    QTest::addColumn<QByteArray>("data");
    QByteArray good = readData(QStringLiteral("ec-p256-public.pem"));
    QByteArray badBase64 = good;
    badBase64.replace(30, 4, "!!!!");
    QByteArray truncated = good.left(good.indexOf("-----END"));
    QByteArray garbageDer = "-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAA\n-----END PUBLIC KEY-----\n";
    QByteArray garbageCert = "-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAA\n-----END CERTIFICATE-----\n";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text only") << QByteArray("not a key at all\n");
    QTest::newRow("bad base64") << badBase64;
    QTest::newRow("missing END line") << truncated;
    QTest::newRow("garbage SPKI") << garbageDer;
    QTest::newRow("garbage certificate") << garbageCert;
}

void TstKeys::damagedOrEmptyPem_isRefused()
{
    QFETCH(QByteArray, data);
    const Result<QList<Key>> keys = parsePem(data, QStringLiteral("k.pem"));
    QVERIFY(!keys.ok());
    QCOMPARE(keys.error().code, QStringLiteral("ERR_KEY_PEM"));
    QVERIFY(keys.error().location.startsWith(QStringLiteral("k.pem")));
    QCOMPARE(ERR_peek_error(), 0UL);
}

void TstKeys::unsupportedPemBlock_isRefused()
{
    const QByteArray params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    const Result<QList<Key>> keys = parsePem(params, QStringLiteral("p.pem"));
    QVERIFY(!keys.ok());
    QCOMPARE(keys.error().code, QStringLiteral("ERR_KEY_UNSUPPORTED"));
}

// Issue 20: CVE-2017-15361. roca-2048-public.pem is built by make_roca_key.py with the affected
// library's prime structure (k*M + 65537^a mod M); it is 2048 bits, so only the fingerprint refuses it.
void TstKeys::rocaModulus_isRefusedAsPemAndJwk()
{
    const QByteArray pemText = readData(QStringLiteral("roca-2048-public.pem"));
    const Result<QList<Key>> pem = parsePem(pemText, QStringLiteral("roca.pem"));
    QVERIFY(!pem.ok());
    QCOMPARE(pem.error().code, QStringLiteral("ERR_KEY_ROCA"));
    QVERIFY(pem.error().message.contains(QStringLiteral("CVE-2017-15361")));
    QVERIFY(pem.error().location.startsWith(QStringLiteral("roca.pem")));

    // The same modulus as a JWK, put into an otherwise genuine key's JWK.
    const Result<QList<Key>> strong = parsePem(readData(QStringLiteral("rsa2048-public.pem")), QStringLiteral("s"));
    QVERIFY(strong.ok());
    QJsonObject jwk = QJsonDocument::fromJson(toPublicJwk(strong->first())).object();
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), {QStringLiteral("rsa"), QStringLiteral("-pubin"), QStringLiteral("-noout"),
                                              QStringLiteral("-modulus")});
    QVERIFY(openssl.waitForStarted());
    openssl.write(pemText);
    openssl.closeWriteChannel();
    QVERIFY(openssl.waitForFinished());
    const QByteArray hex = openssl.readAllStandardOutput().trimmed().split('=').last();
    QCOMPARE(hex.size(), 512);
    jwk.insert(QStringLiteral("n"), b64(QByteArray::fromHex(hex)));
    const Result<Key> roca = parseJwk(toJson(jwk), QStringLiteral("roca.jwk"));
    QVERIFY(!roca.ok());
    QCOMPARE(roca.error().code, QStringLiteral("ERR_KEY_ROCA"));
}

void TstKeys::ordinaryRsaKeys_haveNoRocaFingerprint()
{
    for (const char* name : {"rsa2048-public.pem", "rsa2048-public-pkcs1.pem", "rsa2048-cert.pem"}) {
        const Result<QList<Key>> pem = parsePem(readData(QLatin1String(name)), QLatin1String(name));
        QVERIFY2(pem.ok(), name);
    }
    const Result<Key> rfc = parseJwk(readData(QStringLiteral("rfc7638-example.jwk.json")), QStringLiteral("rfc"));
    QVERIFY2(rfc.ok(), qPrintable(rfc.ok() ? QString() : rfc.error().message));
}

void TstKeys::rsa1024_isRefusedAsWeak()
{
    const Result<QList<Key>> pem = parsePem(readData(QStringLiteral("rsa1024-public.pem")), QStringLiteral("weak.pem"));
    QVERIFY(!pem.ok());
    QCOMPARE(pem.error().code, QStringLiteral("ERR_KEY_WEAK_RSA"));

    // The same key as a JWK (built from the raw modulus): refused the same way.
    const Result<QList<Key>> strong = parsePem(readData(QStringLiteral("rsa2048-public.pem")), QStringLiteral("s"));
    QVERIFY(strong.ok());
    QJsonObject jwk = QJsonDocument::fromJson(toPublicJwk(strong->first())).object();
    const QByteArray modulus = QByteArray::fromBase64(jwk.value(QStringLiteral("n")).toString().toLatin1(),
                                                      QByteArray::Base64UrlEncoding);
    jwk.insert(QStringLiteral("n"), b64(modulus.left(128))); // 1024 bits, top bit set
    const Result<Key> weak = parseJwk(toJson(jwk), QStringLiteral("weak.jwk"));
    QVERIFY(!weak.ok());
    QCOMPARE(weak.error().code, QStringLiteral("ERR_KEY_WEAK_RSA"));
}

void TstKeys::jwkWithPrivateMember_isRefused_data()
{
    QTest::addColumn<QString>("pem");
    QTest::addColumn<QString>("member");
    for (const char* m : {"d", "p", "q", "dp", "dq", "qi"})
        QTest::newRow(qPrintable(QStringLiteral("RSA %1").arg(QLatin1StringView(m))))
            << QStringLiteral("rsa2048-public.pem") << QString::fromLatin1(m);
    QTest::newRow("EC d") << QStringLiteral("ec-p256-public.pem") << QStringLiteral("d");
    QTest::newRow("OKP d") << QStringLiteral("ed25519-public.pem") << QStringLiteral("d");
}

void TstKeys::jwkWithPrivateMember_isRefused()
{
    QFETCH(QString, pem);
    QFETCH(QString, member);
    QJsonObject jwk = jwkObject(pem);
    jwk.insert(member, QStringLiteral("AQAB"));
    const Result<Key> key = parseJwk(toJson(jwk), QStringLiteral("leak.jwk"));
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, QStringLiteral("ERR_KEY_PRIVATE_IN_JWK"));
    QCOMPARE(key.error().location, QStringLiteral("leak.jwk.") + member);
}

void TstKeys::badJwk_isRefusedWithCode_data()
{
    QTest::addColumn<QByteArray>("jwk");
    QTest::addColumn<QString>("code");

    const QByteArray rsa = toJson(jwkObject(QStringLiteral("rsa2048-public.pem")));
    QJsonObject noN = QJsonDocument::fromJson(rsa).object();
    noN.remove(QStringLiteral("n"));
    QJsonObject paddedE = QJsonDocument::fromJson(rsa).object();
    paddedE.insert(QStringLiteral("e"), QStringLiteral("AQAB===="));
    QJsonObject evenE = QJsonDocument::fromJson(rsa).object();
    evenE.insert(QStringLiteral("e"), b64(QByteArray("\x01\x00\x00", 3)));
    QJsonObject numericKty = QJsonDocument::fromJson(rsa).object();
    numericKty.insert(QStringLiteral("kty"), 1);
    QJsonObject opsNotArray = QJsonDocument::fromJson(rsa).object();
    opsNotArray.insert(QStringLiteral("key_ops"), QStringLiteral("verify"));
    QJsonObject opsTwice = QJsonDocument::fromJson(rsa).object();
    opsTwice.insert(QStringLiteral("key_ops"), QJsonArray{QStringLiteral("verify"), QStringLiteral("verify")});
    QJsonObject kidNumber = QJsonDocument::fromJson(rsa).object();
    kidNumber.insert(QStringLiteral("kid"), 7);
    QJsonObject p192 = jwkObject(QStringLiteral("ec-p256-public.pem"));
    p192.insert(QStringLiteral("crv"), QStringLiteral("P-192"));
    QJsonObject x25519 = jwkObject(QStringLiteral("ed25519-public.pem"));
    x25519.insert(QStringLiteral("crv"), QStringLiteral("X25519"));
    QJsonObject shortEd = jwkObject(QStringLiteral("ed25519-public.pem"));
    shortEd.insert(QStringLiteral("x"), b64(QByteArray(31, 'x')));
    QJsonObject noCrv = jwkObject(QStringLiteral("ec-p256-public.pem"));
    noCrv.remove(QStringLiteral("crv"));

    QTest::newRow("not JSON") << QByteArray("{kty: RSA}") << QStringLiteral("ERR_KEY_JSON");
    QTest::newRow("duplicate member") << QByteArray(R"({"kty":"oct","kty":"RSA","k":"AAAA"})")
                                      << QStringLiteral("ERR_KEY_JSON");
    QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("ERR_KEY_INVALID");
    QTest::newRow("missing kty") << QByteArray(R"({"n":"AQAB"})") << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("kty not a string") << toJson(numericKty) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("unknown kty") << QByteArray(R"({"kty":"DSA","y":"AQAB"})") << QStringLiteral("ERR_KEY_UNSUPPORTED");
    QTest::newRow("kty wrong case") << QByteArray(R"({"kty":"rsa","n":"AQAB","e":"AQAB"})")
                                    << QStringLiteral("ERR_KEY_UNSUPPORTED");
    QTest::newRow("missing n") << toJson(noN) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("padded base64url") << toJson(paddedE) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("even exponent") << toJson(evenE) << QStringLiteral("ERR_KEY_INVALID");
    QTest::newRow("key_ops not an array") << toJson(opsNotArray) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("key_ops duplicate") << toJson(opsTwice) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("kid not a string") << toJson(kidNumber) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("EC unknown curve") << toJson(p192) << QStringLiteral("ERR_KEY_UNSUPPORTED");
    QTest::newRow("EC missing crv") << toJson(noCrv) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("OKP X25519 (not a signature curve)") << toJson(x25519) << QStringLiteral("ERR_KEY_UNSUPPORTED");
    QTest::newRow("OKP short x") << toJson(shortEd) << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("oct missing k") << QByteArray(R"({"kty":"oct"})") << QStringLiteral("ERR_KEY_INVALID_MEMBER");
    QTest::newRow("oct short k") << toJson(octJwk(16)) << QStringLiteral("ERR_KEY_SHORT_HMAC");
}

void TstKeys::badJwk_isRefusedWithCode()
{
    QFETCH(QByteArray, jwk);
    QFETCH(QString, code);
    const Result<Key> key = parseJwk(jwk, QStringLiteral("bad.jwk"));
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, code);
    QVERIFY(key.error().location.startsWith(QStringLiteral("bad.jwk")));
    QVERIFY(!key.error().message.isEmpty());
    QCOMPARE(ERR_peek_error(), 0UL); // OpenSSL's error queue is left clean
}

void TstKeys::ecPointOffCurve_isRefused()
{
    QJsonObject jwk = jwkObject(QStringLiteral("ec-p256-public.pem"));
    QByteArray y = QByteArray::fromBase64(jwk.value(QStringLiteral("y")).toString().toLatin1(),
                                          QByteArray::Base64UrlEncoding);
    y[31] = static_cast<char>(y[31] ^ 0x01);
    jwk.insert(QStringLiteral("y"), b64(y));
    const Result<Key> key = parseJwk(toJson(jwk), QStringLiteral("off.jwk"));
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, QStringLiteral("ERR_KEY_EC_POINT"));
    QCOMPARE(ERR_peek_error(), 0UL);
}

void TstKeys::ecCoordinateOfWrongLength_isRefused_data()
{
    QTest::addColumn<QString>("pem");
    QTest::addColumn<QString>("member");
    QTest::addColumn<int>("delta");
    QTest::newRow("P-256 x short") << QStringLiteral("ec-p256-public.pem") << QStringLiteral("x") << -1;
    QTest::newRow("P-256 y long") << QStringLiteral("ec-p256-public.pem") << QStringLiteral("y") << 1;
    QTest::newRow("P-384 x short") << QStringLiteral("ec-p384-public.pem") << QStringLiteral("x") << -1;
    QTest::newRow("P-521 y short") << QStringLiteral("ec-p521-public.pem") << QStringLiteral("y") << -1;
}

void TstKeys::ecCoordinateOfWrongLength_isRefused()
{
    QFETCH(QString, pem);
    QFETCH(QString, member);
    QFETCH(int, delta);
    QJsonObject jwk = jwkObject(pem);
    QByteArray v = QByteArray::fromBase64(jwk.value(member).toString().toLatin1(), QByteArray::Base64UrlEncoding);
    v = delta < 0 ? v.mid(1) : QByteArray(1, '\0') + v; // same number, wrong encoding length
    jwk.insert(member, b64(v));
    const Result<Key> key = parseJwk(toJson(jwk), QStringLiteral("len.jwk"));
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, QStringLiteral("ERR_KEY_EC_POINT"));
    QCOMPARE(key.error().location, QStringLiteral("len.jwk.") + member);
}

void TstKeys::shortHmacSecret_isRefusedAtLoad()
{
    const Result<Key> k31 = hmacKey(QByteArray(31, 's'), QStringLiteral("k"), QStringLiteral("secret"));
    QVERIFY(!k31.ok());
    QCOMPARE(k31.error().code, QStringLiteral("ERR_KEY_SHORT_HMAC"));
    const Result<Key> k32 = hmacKey(QByteArray(32, 's'), QStringLiteral("k"), QStringLiteral("secret"));
    QVERIFY(k32.ok());
    QCOMPARE(k32->bits, 256);
    QCOMPARE(k32->kid, QStringLiteral("k"));

    // With an alg the hash output is known: HS512 needs 64 bytes at load.
    QJsonObject jwk = octJwk(32);
    jwk.insert(QStringLiteral("alg"), QStringLiteral("HS512"));
    const Result<Key> hs512 = parseJwk(toJson(jwk), QStringLiteral("hs.jwk"));
    QVERIFY(!hs512.ok());
    QCOMPARE(hs512.error().code, QStringLiteral("ERR_KEY_SHORT_HMAC"));
    jwk.insert(QStringLiteral("k"), b64(QByteArray(64, 'k')));
    QVERIFY(parseJwk(toJson(jwk), QStringLiteral("hs.jwk")).ok());
}

void TstKeys::jwks_loadsAllKeysAndNamesSources()
{
    QJsonArray keys;
    for (const char* pem : {"rsa2048-public.pem", "ec-p384-public.pem", "ed448-public.pem"}) {
        QJsonObject o = jwkObject(QString::fromLatin1(pem));
        o.insert(QStringLiteral("kid"), QString::fromLatin1(pem));
        keys.append(o);
    }
    keys.append(octJwk(48));
    QJsonObject set;
    set.insert(QStringLiteral("keys"), keys);
    const Result<QList<Key>> parsed = parseJwks(toJson(set), QStringLiteral("inline jwks"));
    QVERIFY2(parsed.ok(), parsed ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->size(), 4);
    QCOMPARE(parsed->at(0).kid, QStringLiteral("rsa2048-public.pem"));
    QCOMPARE(parsed->at(1).curve, QStringLiteral("P-384"));
    QCOMPARE(parsed->at(2).curve, QStringLiteral("Ed448"));
    QCOMPARE(parsed->at(3).type, KeyType::Oct);
    QCOMPARE(parsed->at(2).source, QStringLiteral("inline jwks #2"));

    const Result<QList<Key>> noKeys = parseJwks(QByteArray(R"({"keyz":[]})"), QStringLiteral("j"));
    QVERIFY(!noKeys.ok());
    QCOMPARE(noKeys.error().code, QStringLiteral("ERR_KEY_INVALID_MEMBER"));
}

void TstKeys::jwksWithTooManyKeys_isRefused()
{
    QJsonArray keys;
    for (int i = 0; i < 256; ++i)
        keys.append(octJwk(32));
    QJsonObject set;
    set.insert(QStringLiteral("keys"), keys);
    const Result<QList<Key>> atLimit = parseJwks(toJson(set), QStringLiteral("big"));
    QVERIFY(atLimit.ok());
    QCOMPARE(atLimit->size(), 256);
    keys.append(octJwk(32));
    set.insert(QStringLiteral("keys"), keys);
    const Result<QList<Key>> over = parseJwks(toJson(set), QStringLiteral("big"));
    QVERIFY(!over.ok());
    QCOMPARE(over.error().code, QStringLiteral("ERR_KEY_TOO_MANY"));
}

void TstKeys::jwksWithOneBadKey_doesNotHalfLoad()
{
    QJsonObject bad = jwkObject(QStringLiteral("ec-p256-public.pem"));
    bad.insert(QStringLiteral("d"), QStringLiteral("AAAA"));
    QJsonObject set;
    set.insert(QStringLiteral("keys"), QJsonArray{jwkObject(QStringLiteral("ed25519-public.pem")), bad});
    const Result<QList<Key>> parsed = parseJwks(toJson(set), QStringLiteral("set.json"));
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, QStringLiteral("ERR_KEY_PRIVATE_IN_JWK"));
    QCOMPARE(parsed.error().location, QStringLiteral("set.json: keys[1].d"));
}

void TstKeys::jwkMetadata_isKept()
{
    QJsonObject jwk = jwkObject(QStringLiteral("ec-p256-public.pem"));
    jwk.insert(QStringLiteral("kid"), QStringLiteral("2026-signing"));
    jwk.insert(QStringLiteral("alg"), QStringLiteral("ES256"));
    jwk.insert(QStringLiteral("use"), QStringLiteral("sig"));
    jwk.insert(QStringLiteral("key_ops"), QJsonArray{QStringLiteral("verify")});
    jwk.insert(QStringLiteral("x5t"), QStringLiteral("ignored")); // unknown members are ignored (RFC 7517 4)
    const Result<Key> key = parseJwk(toJson(jwk), QStringLiteral("m"));
    QVERIFY(key.ok());
    QCOMPARE(key->kid, QStringLiteral("2026-signing"));
    QCOMPARE(key->jwkAlg, QStringLiteral("ES256"));
    QCOMPARE(key->use, QStringLiteral("sig"));
    QCOMPARE(key->keyOps, QStringList{QStringLiteral("verify")});
    QVERIFY(key->usableWith(Algorithm::ES256));
}

void TstKeys::usableWith_matchesTypeCurveAndSize_data()
{
    QTest::addColumn<QString>("source"); // PEM file name or "oct:N"
    QTest::addColumn<Algorithm>("alg");
    QTest::addColumn<bool>("usable");
    const QString rsa = QStringLiteral("rsa2048-public.pem");
    QTest::newRow("RS256 on RSA") << rsa << Algorithm::RS256 << true;
    QTest::newRow("RS512 on RSA") << rsa << Algorithm::RS512 << true;
    QTest::newRow("PS384 on RSA") << rsa << Algorithm::PS384 << true;
    QTest::newRow("HS256 on RSA public key") << rsa << Algorithm::HS256 << false;
    QTest::newRow("ES256 on RSA") << rsa << Algorithm::ES256 << false;
    QTest::newRow("EdDSA on RSA") << rsa << Algorithm::EdDSA << false;
    QTest::newRow("ES256 on P-256") << QStringLiteral("ec-p256-public.pem") << Algorithm::ES256 << true;
    QTest::newRow("ES384 on P-256") << QStringLiteral("ec-p256-public.pem") << Algorithm::ES384 << false;
    QTest::newRow("HS256 on P-256") << QStringLiteral("ec-p256-public.pem") << Algorithm::HS256 << false;
    QTest::newRow("ES384 on P-384") << QStringLiteral("ec-p384-public.pem") << Algorithm::ES384 << true;
    QTest::newRow("ES512 on P-384") << QStringLiteral("ec-p384-public.pem") << Algorithm::ES512 << false;
    QTest::newRow("ES512 on P-521") << QStringLiteral("ec-p521-public.pem") << Algorithm::ES512 << true;
    QTest::newRow("EdDSA on Ed25519") << QStringLiteral("ed25519-public.pem") << Algorithm::EdDSA << true;
    QTest::newRow("EdDSA on Ed448") << QStringLiteral("ed448-public.pem") << Algorithm::EdDSA << true;
    QTest::newRow("HS256 on Ed25519") << QStringLiteral("ed25519-public.pem") << Algorithm::HS256 << false;
    QTest::newRow("RS256 on Ed25519") << QStringLiteral("ed25519-public.pem") << Algorithm::RS256 << false;
    QTest::newRow("HS256 on 32-byte oct") << QStringLiteral("oct:32") << Algorithm::HS256 << true;
    QTest::newRow("HS384 on 32-byte oct") << QStringLiteral("oct:32") << Algorithm::HS384 << false;
    QTest::newRow("HS384 on 48-byte oct") << QStringLiteral("oct:48") << Algorithm::HS384 << true;
    QTest::newRow("HS512 on 48-byte oct") << QStringLiteral("oct:48") << Algorithm::HS512 << false;
    QTest::newRow("HS512 on 64-byte oct") << QStringLiteral("oct:64") << Algorithm::HS512 << true;
    QTest::newRow("RS256 on oct") << QStringLiteral("oct:64") << Algorithm::RS256 << false;
    QTest::newRow("Unsupported on oct") << QStringLiteral("oct:64") << Algorithm::Unsupported << false;
}

void TstKeys::usableWith_matchesTypeCurveAndSize()
{
    QFETCH(QString, source);
    QFETCH(Algorithm, alg);
    QFETCH(bool, usable);
    Key key;
    if (source.startsWith(QStringLiteral("oct:"))) {
        const Result<Key> k = hmacKey(QByteArray(source.mid(4).toInt(), 'z'), QString(), source);
        QVERIFY(k.ok());
        key = *k;
    } else {
        key = pemKey(source);
    }
    QString why;
    QCOMPARE(key.usableWith(alg, &why), usable);
    QCOMPARE(why.isEmpty(), usable);
}

void TstKeys::jwkAlgUseAndKeyOps_restrictUse()
{
    const QJsonObject base = jwkObject(QStringLiteral("rsa2048-public.pem"));
    auto load = [](const QJsonObject& o) {
        const Result<Key> k = parseJwk(toJson(o), QStringLiteral("r"));
        if (!k)
            qFatal("%s", qPrintable(k.error().toString()));
        return *k;
    };
    QJsonObject withAlg = base;
    withAlg.insert(QStringLiteral("alg"), QStringLiteral("PS256"));
    QVERIFY(load(withAlg).usableWith(Algorithm::PS256));
    QString why;
    QVERIFY(!load(withAlg).usableWith(Algorithm::RS256, &why));
    QVERIFY(why.contains(QStringLiteral("PS256")));

    QJsonObject enc = base;
    enc.insert(QStringLiteral("use"), QStringLiteral("enc"));
    QVERIFY(!load(enc).usableWith(Algorithm::RS256));
    QJsonObject sig = base;
    sig.insert(QStringLiteral("use"), QStringLiteral("sig"));
    QVERIFY(load(sig).usableWith(Algorithm::RS256));

    QJsonObject signOnly = base;
    signOnly.insert(QStringLiteral("key_ops"), QJsonArray{QStringLiteral("sign"), QStringLiteral("encrypt")});
    QVERIFY(!load(signOnly).usableWith(Algorithm::RS256));
    QJsonObject verify = base;
    verify.insert(QStringLiteral("key_ops"), QJsonArray{QStringLiteral("sign"), QStringLiteral("verify")});
    QVERIFY(load(verify).usableWith(Algorithm::RS256));

    // The material decides, not the editable descriptive fields.
    Key relabelled = pemKey(QStringLiteral("rsa2048-public.pem"));
    relabelled.type = KeyType::Oct;
    QVERIFY(!relabelled.usableWith(Algorithm::HS256));
    Key empty;
    QVERIFY(!empty.usableWith(Algorithm::RS256));
}

void TstKeys::usableAlgorithms_listsFamily()
{
    const QList<Algorithm> rsa = pemKey(QStringLiteral("rsa2048-public.pem")).usableAlgorithms();
    QCOMPARE(rsa, (QList<Algorithm>{Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256,
                                    Algorithm::PS384, Algorithm::PS512}));
    QCOMPARE(pemKey(QStringLiteral("ec-p521-public.pem")).usableAlgorithms(), QList<Algorithm>{Algorithm::ES512});
    const Result<Key> oct = hmacKey(QByteArray(48, 'q'), QString(), QStringLiteral("s"));
    QCOMPARE(oct->usableAlgorithms(), (QList<Algorithm>{Algorithm::HS256, Algorithm::HS384}));
}

void TstKeys::toPublicJwk_roundTripsWithoutPrivateMembers_data()
{
    QTest::addColumn<QString>("pem");
    QTest::addColumn<QStringList>("members");
    QTest::newRow("RSA") << QStringLiteral("rsa2048-public.pem")
                         << QStringList{QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    QTest::newRow("EC") << QStringLiteral("ec-p521-public.pem")
                        << QStringList{QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"),
                                       QStringLiteral("y")};
    QTest::newRow("OKP") << QStringLiteral("ed448-public.pem")
                         << QStringList{QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x")};
}

void TstKeys::toPublicJwk_roundTripsWithoutPrivateMembers()
{
    QFETCH(QString, pem);
    QFETCH(QStringList, members);
    Key key = pemKey(pem);
    QCOMPARE(QJsonDocument::fromJson(toPublicJwk(key)).object().keys(), members);
    key.kid = QStringLiteral("k1");
    key.use = QStringLiteral("sig");
    const QByteArray jwk = toPublicJwk(key);
    const Result<Key> back = parseJwk(jwk, QStringLiteral("back"));
    QVERIFY(back.ok());
    QCOMPARE(back->kid, QStringLiteral("k1"));
    QCOMPARE(back->use, QStringLiteral("sig"));
    QCOMPARE(back->thumbprint, key.thumbprint);
    QCOMPARE(toPublicJwk(*back), jwk); // canonical: same bytes every time

    const Result<Key> oct = hmacKey(QByteArray(32, 'o'), QStringLiteral("h"), QStringLiteral("s"));
    const QJsonObject octJson = QJsonDocument::fromJson(toPublicJwk(*oct)).object();
    QCOMPARE(octJson.value(QStringLiteral("k")).toString(), b64(QByteArray(32, 'o')));
    QCOMPARE(octJson.value(QStringLiteral("kty")).toString(), QStringLiteral("oct"));
}

void TstKeys::parseKeyData_sniffsJwkJwksAndPem()
{
    const QByteArray jwk = toJson(jwkObject(QStringLiteral("ec-p256-public.pem")));
    const Result<QList<Key>> one = parseKeyData(QByteArray("\n  " + jwk), QStringLiteral("a"));
    QVERIFY(one.ok());
    QCOMPARE(one->size(), 1);
    const Result<QList<Key>> set = parseKeyData(QByteArray("{\"keys\":[" + jwk + "," + jwk + "]}"), QStringLiteral("b"));
    QVERIFY(set.ok());
    QCOMPARE(set->size(), 2);
    const Result<QList<Key>> pem = parseKeyData(readData(QStringLiteral("ed25519-public.pem")), QStringLiteral("c"));
    QVERIFY(pem.ok());
    QCOMPARE(pem->first().type, KeyType::Okp);
    const Result<QList<Key>> badJson = parseKeyData("{\"keys\": [", QStringLiteral("d"));
    QVERIFY(!badJson.ok());
    QCOMPARE(badJson.error().code, QStringLiteral("ERR_KEY_JSON"));
}

void TstKeys::loadKeyFile_readsFilesAndReportsMissingOnes()
{
    const Result<QList<Key>> cert = loadKeyFile(QStringLiteral(JWB_TEST_DATA "/keys/rsa2048-cert.pem"));
    QVERIFY(cert.ok());
    const Result<QList<Key>> rfc = loadKeyFile(QStringLiteral(JWB_TEST_DATA "/keys/rfc7638-example.jwk.json"));
    QVERIFY(rfc.ok());
    QCOMPARE(rfc->first().thumbprint, QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("nope.pem"));
    const Result<QList<Key>> none = loadKeyFile(missing);
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, QStringLiteral("ERR_KEY_FILE"));
    QCOMPARE(none.error().location, missing);
}

void TstKeys::description_summarisesKey()
{
    QCOMPARE(pemKey(QStringLiteral("rsa2048-public.pem")).description(), QStringLiteral("RSA 2048"));
    QCOMPARE(pemKey(QStringLiteral("ec-p256-public.pem")).description(), QStringLiteral("EC P-256"));
    QCOMPARE(pemKey(QStringLiteral("ed25519-public.pem")).description(), QStringLiteral("OKP Ed25519"));
    QCOMPARE(hmacKey(QByteArray(32, 'd'), QString(), QStringLiteral("s"))->description(), QStringLiteral("oct 256"));
    QCOMPARE(keyTypeName(KeyType::Oct), QStringLiteral("oct"));
    QCOMPARE(keyTypeName(KeyType::Okp), QStringLiteral("OKP"));
}

QTEST_GUILESS_MAIN(TstKeys)
#include "tst_keys.moc"
