// SPDX-License-Identifier: Apache-2.0
// The verification pipeline against tokens minted here: per algorithm, per step, and one row per
// attack class with the exact step and code that reject it.
#include "TraceAssertions.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "policy/Policy.h"
#include "token/Base64Url.h"
#include "token/CompactToken.h"
#include "verify/PolicyVerifier.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace jwb;
using crypto::Algorithm;
using testing::expectRejectedAt;
using verify::StepId;

namespace {

const QString kIssuer = QStringLiteral("https://login.example.com/");
const QString kPartner = QStringLiteral("https://partner.example.net/");
const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

QByteArray readData(const QString& name)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/verify/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return f.readAll();
}

crypto::SigningKey loadSigner(const QString& file, const QString& kid)
{
    auto key = crypto::SigningKey::fromPrivatePem(readData(file), kid);
    if (!key)
        qFatal("cannot load %s: %s", qPrintable(file), qPrintable(key.error().toString()));
    return std::move(key).value();
}

QByteArray jsonBytes(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QByteArray b64(const QByteArray& raw) { return token::encodeBase64Url(raw); }

// Replaces the signature segment of a compact token.
QByteArray withSignature(const QByteArray& token, const QByteArray& rawSignature)
{
    return token.left(token.lastIndexOf('.') + 1) + b64(rawSignature);
}

QByteArray signatureOf(const QByteArray& token)
{
    return *token::decodeBase64Url(token.mid(token.lastIndexOf('.') + 1));
}

} // namespace

class TestVerify final : public QObject {
    Q_OBJECT

private:
    std::optional<crypto::SigningKey> m_rsa, m_ec, m_ed, m_ed448, m_hs;
    policy::Policy m_policy;
    std::unique_ptr<verify::PolicyVerifier> m_verifier;

    QJsonObject header(const QString& alg, const QString& kid) const
    {
        return {{QStringLiteral("alg"), alg}, {QStringLiteral("typ"), QStringLiteral("JWT")}, {QStringLiteral("kid"), kid}};
    }
    QJsonObject claims() const
    {
        return {{QStringLiteral("iss"), kIssuer},
                {QStringLiteral("sub"), QStringLiteral("alice")},
                {QStringLiteral("aud"), QStringLiteral("payments-api")},
                {QStringLiteral("iat"), kNow - 60},
                {QStringLiteral("exp"), kNow + 600}};
    }
    const crypto::SigningKey& signerFor(Algorithm alg) const
    {
        switch (crypto::family(alg)) {
        case crypto::Family::Rsa:
        case crypto::Family::RsaPss: return *m_rsa;
        case crypto::Family::Ecdsa: return *m_ec;
        case crypto::Family::EdDsa: return *m_ed;
        default: return *m_hs;
        }
    }
    QByteArray mint(const QByteArray& headerJson, const QByteArray& payloadJson, Algorithm alg) const
    {
        return crypto::mintCompact(headerJson, payloadJson, &signerFor(alg), alg);
    }
    QByteArray mint(const QJsonObject& h, const QJsonObject& c) const
    {
        return mint(jsonBytes(h), jsonBytes(c), crypto::algorithmFromName(h.value(QStringLiteral("alg")).toString()));
    }
    QByteArray valid(Algorithm alg = Algorithm::RS256) const
    {
        return mint(header(crypto::algorithmName(alg), signerFor(alg).publicKey().kid), claims());
    }
    verify::Trace check(const QByteArray& token, qint64 at = kNow) const
    {
        return m_verifier->verify(token, verify::VerifyOptions{at});
    }
    void rebuildVerifier() { m_verifier = std::make_unique<verify::PolicyVerifier>(m_policy); }

private slots:
    void initTestCase()
    {
        m_rsa = loadSigner(QStringLiteral("rsa.key"), QStringLiteral("rsa-1"));
        m_ec = loadSigner(QStringLiteral("ec256.key"), QStringLiteral("ec-1"));
        m_ed = loadSigner(QStringLiteral("ed25519.key"), QStringLiteral("ed-1"));
        m_ed448 = loadSigner(QStringLiteral("ed448.key"), QStringLiteral("ed-1"));
        auto hs = crypto::SigningKey::fromSecret(QByteArray(64, 'k'), QStringLiteral("hs-1"));
        QVERIFY2(hs.ok(), qPrintable(hs.ok() ? QString() : hs.error().toString()));
        m_hs = std::move(hs).value();

        m_policy.name = QStringLiteral("test");
        m_policy.owner = QStringLiteral("sec@example.com");
        m_policy.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("PS256"),
                                                   QStringLiteral("ES256"), QStringLiteral("EdDSA")};
        m_policy.defaults.clockSkewSeconds = 30;
        m_policy.defaults.maxLifetimeSeconds = 3600;
        m_policy.defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
        m_policy.defaults.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid")};
        m_policy.defaults.requireKid = true;
        policy::Issuer login;
        login.issuer = kIssuer;
        login.trustDomain = QStringLiteral("workforce");
        login.audiences = QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api")};
        login.keys.resolved = {m_rsa->publicKey(), m_ec->publicKey(), m_ed->publicKey()};
        policy::Issuer partner;
        partner.issuer = kPartner;
        partner.trustDomain = QStringLiteral("partners");
        partner.audiences = QStringList{QStringLiteral("partner-api")};
        partner.keys.resolved = {m_ec->publicKey()};
        m_policy.issuers = {login, partner};
        rebuildVerifier();
    }

    void validToken_passesEveryStep_data()
    {
        QTest::addColumn<int>("alg");
        for (Algorithm a : {Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::EdDSA})
            QTest::newRow(qPrintable(crypto::algorithmName(a))) << static_cast<int>(a);
    }
    void validToken_passesEveryStep()
    {
        QFETCH(int, alg);
        const verify::Trace trace = check(valid(static_cast<Algorithm>(alg)));
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        QCOMPARE(trace.steps.size(), verify::kStepCount);
        for (int i = 0; i < verify::kStepCount; ++i)
            QCOMPARE(trace.steps.at(i).id, static_cast<StepId>(i)); // fixed order, every step present
        QCOMPARE(trace.step(StepId::Signature)->verdict, verify::Verdict::Pass);
        QVERIFY(trace.step(StepId::Issuer)->untrusted); // iss chose the entry before the signature was checked
        QVERIFY(!trace.step(StepId::Audience)->untrusted);
    }

    void allAlgorithms_verifyWhenPinned_data()
    {
        QTest::addColumn<int>("alg");
        for (int a = 0; a < crypto::kAlgorithmCount; ++a)
            QTest::newRow(qPrintable(crypto::algorithmName(static_cast<Algorithm>(a)))) << a;
    }
    void allAlgorithms_verifyWhenPinned()
    {
        QFETCH(int, alg);
        const Algorithm a = static_cast<Algorithm>(alg);
        // A key made for this algorithm (ES384/ES512 need their own curves), pinned with it alone.
        auto signer = crypto::SigningKey::generate(a, QStringLiteral("k-") + crypto::algorithmName(a));
        QVERIFY2(signer.ok(), qPrintable(signer.ok() ? QString() : signer.error().toString()));
        policy::Policy p = m_policy;
        p.defaults.algorithms = QStringList{crypto::algorithmName(a)};
        p.issuers[0].keys.resolved = {signer->publicKey()};
        const verify::PolicyVerifier verifier(p);
        const QByteArray token = crypto::mintCompact(jsonBytes(header(crypto::algorithmName(a), signer->publicKey().kid)),
                                                     jsonBytes(claims()), &signer.value(), a);
        const verify::Trace trace = verifier.verify(token, {kNow});
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        // One bit of the signature flipped fails at the signature step, under every algorithm.
        QByteArray sig = signatureOf(token);
        sig[sig.size() - 1] = static_cast<char>(sig.at(sig.size() - 1) ^ 0x01);
        expectRejectedAt(verifier.verify(withSignature(token, sig), {kNow}), StepId::Signature);
    }

    void bitFlips_failAtSignature_data()
    {
        QTest::addColumn<int>("alg");
        QTest::addColumn<QString>("segment");
        for (Algorithm a : {Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::EdDSA}) {
            for (const char* seg : {"header", "payload", "signature"})
                QTest::newRow(qPrintable(crypto::algorithmName(a) + u'-' + QLatin1String(seg)))
                    << static_cast<int>(a) << QString::fromLatin1(seg);
        }
    }
    void bitFlips_failAtSignature()
    {
        QFETCH(int, alg);
        QFETCH(QString, segment);
        const Algorithm a = static_cast<Algorithm>(alg);
        const QByteArray token = valid(a);
        const QList<QByteArray> parts = token.split('.');
        QByteArray h = *token::decodeBase64Url(parts[0]);
        QByteArray p = *token::decodeBase64Url(parts[1]);
        QByteArray s = *token::decodeBase64Url(parts[2]);
        // One bit inside a value no earlier step judges ("JWT" -> "JWU", "alice" -> "alicd"), so the
        // change is caught by the signature and nothing else.
        if (segment == u"header")
            h[h.indexOf("JWT") + 2] = static_cast<char>(h.at(h.indexOf("JWT") + 2) ^ 0x01);
        else if (segment == u"payload")
            p[p.indexOf("alice") + 4] = static_cast<char>(p.at(p.indexOf("alice") + 4) ^ 0x01);
        else
            s[s.size() / 2] = static_cast<char>(s.at(s.size() / 2) ^ 0x01);
        const QByteArray tampered = b64(h) + '.' + b64(p) + '.' + b64(s);
        expectRejectedAt(check(tampered), StepId::Signature);
    }

    void rawCharacterFlip_isRejected()
    {
        // Flipping a bit of an encoded character: either the segment no longer decodes strictly
        // (structure) or the signature no longer matches. Never accepted.
        const QByteArray token = valid();
        for (qsizetype i = 0; i < token.size(); i += 7) {
            if (token.at(i) == '.')
                continue;
            QByteArray t = token;
            t[i] = static_cast<char>(t.at(i) ^ 0x01);
            QVERIFY2(!check(t).accepted, qPrintable(QStringLiteral("flip at %1 accepted").arg(i)));
        }
    }

    // --- One test per attack class -------------------------------------------------------------

    void algNone_anySpelling_rejectedAtAlgorithm_data()
    {
        QTest::addColumn<QString>("spelling");
        for (const char* s : {"none", "None", "NONE", "nOnE"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void algNone_anySpelling_rejectedAtAlgorithm()
    {
        QFETCH(QString, spelling);
        const QByteArray unsigned_ = b64(jsonBytes(header(spelling, QStringLiteral("rsa-1")))) + '.' + b64(jsonBytes(claims())) + '.';
        const verify::Trace trace = check(unsigned_);
        expectRejectedAt(trace, StepId::Algorithm, QStringLiteral("ERR_ALG_NONE"));
        QCOMPARE(trace.step(StepId::Key)->verdict, verify::Verdict::Skipped); // no key touched
    }

    void hs256WithPublicKeyAsSecret_rejectedAtAlgorithm_data()
    {
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("rsa-pem") << readData(QStringLiteral("rsa.pub.pem"));
        QTest::newRow("rsa-jwk") << keys::toPublicJwk(m_rsa->publicKey());
        QTest::newRow("ec-pem") << readData(QStringLiteral("ec256.pub.pem"));
        QTest::newRow("ec-jwk") << keys::toPublicJwk(m_ec->publicKey());
        QTest::newRow("ed25519-pem") << readData(QStringLiteral("ed25519.pub.pem"));
        QTest::newRow("ed25519-jwk") << keys::toPublicJwk(m_ed->publicKey());
    }
    void hs256WithPublicKeyAsSecret_rejectedAtAlgorithm()
    {
        QFETCH(QByteArray, secret);
        auto forged = crypto::SigningKey::fromSecret(secret, QStringLiteral("rsa-1"));
        QVERIFY(forged.ok());
        const QByteArray token = crypto::mintCompact(jsonBytes(header(QStringLiteral("HS256"), QStringLiteral("rsa-1"))),
                                                     jsonBytes(claims()), &forged.value(), Algorithm::HS256);
        const verify::Trace trace = check(token);
        expectRejectedAt(trace, StepId::Algorithm, QStringLiteral("ERR_ALG_NOT_PINNED"));
        QCOMPARE(trace.step(StepId::Key)->verdict, verify::Verdict::Skipped);
    }

    void hs256WithPublicKey_evenWhenHs256Pinned_rejectedAtKey()
    {
        // A misconfigured pin that mixes families must still never use a public key as an HMAC secret.
        policy::Policy mixed = m_policy;
        mixed.defaults.algorithms->append(QStringLiteral("HS256"));
        const verify::PolicyVerifier verifier(mixed);
        auto forged = crypto::SigningKey::fromSecret(readData(QStringLiteral("rsa.pub.pem")), QStringLiteral("rsa-1"));
        QVERIFY(forged.ok());
        const QByteArray token = crypto::mintCompact(jsonBytes(header(QStringLiteral("HS256"), QStringLiteral("rsa-1"))),
                                                     jsonBytes(claims()), &forged.value(), Algorithm::HS256);
        expectRejectedAt(verifier.verify(token, {kNow}), StepId::Key, QStringLiteral("ERR_KEY_UNUSABLE"));
    }

    void ecdsaMalformedSignatures_rejectedAtSignature_data()
    {
        QTest::addColumn<QByteArray>("signature");
        const QByteArray good = signatureOf(valid(Algorithm::ES256));
        // P-256 group order n.
        const QByteArray n = QByteArray::fromHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        QTest::newRow("all-zero") << QByteArray(64, '\0');
        QTest::newRow("der-encoded") << crypto::ecdsaRawToDer(good);
        QTest::newRow("r-equals-n") << (n + good.mid(32));
        QTest::newRow("s-equals-n") << (good.left(32) + n);
        QTest::newRow("truncated") << good.left(63);
    }
    void ecdsaMalformedSignatures_rejectedAtSignature()
    {
        QFETCH(QByteArray, signature);
        const QByteArray token = withSignature(valid(Algorithm::ES256), signature);
        expectRejectedAt(check(token), StepId::Signature, QStringLiteral("ERR_SIGNATURE_MALFORMED"));
    }

    void strippedSignature_rejectedAtSignature()
    {
        const QByteArray token = withSignature(valid(), {});
        expectRejectedAt(check(token), StepId::Signature, QStringLiteral("ERR_SIGNATURE_MISSING"));
    }

    void keySelectingHeaders_rejectedAtHeader_data()
    {
        QTest::addColumn<QString>("member");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("jwk") << QStringLiteral("jwk")
                             << QJsonValue(QJsonDocument::fromJson(keys::toPublicJwk(m_rsa->publicKey())).object());
        QTest::newRow("jku") << QStringLiteral("jku") << QJsonValue(QStringLiteral("https://attacker.example/jwks.json"));
        QTest::newRow("x5u") << QStringLiteral("x5u") << QJsonValue(QStringLiteral("https://attacker.example/cert.pem"));
        QTest::newRow("x5c") << QStringLiteral("x5c") << QJsonValue(QJsonArray{QStringLiteral("MIIB")});
    }
    void keySelectingHeaders_rejectedAtHeader()
    {
        QFETCH(QString, member);
        QFETCH(QJsonValue, value);
        QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        h.insert(member, value);
        const verify::Trace trace = check(mint(h, claims()));
        expectRejectedAt(trace, StepId::Header, QStringLiteral("ERR_HEADER_KEY_SELECTOR"));
    }

    // Header names are compared as packed tags up to 7 bytes and as strings beyond: every length
    // must match exactly, and a name differing in any one byte must not.
    void headerAllowlist_matchesNamesOfEveryLengthExactly()
    {
        const QStringList names{QStringLiteral("a"),     QStringLiteral("ab"),     QStringLiteral("abc"),
                                QStringLiteral("abcd"),  QStringLiteral("abcde"),  QStringLiteral("abcdef"),
                                QStringLiteral("abcdefg"), QStringLiteral("abcdefgh")};
        const policy::Policy saved = m_policy;
        m_policy.defaults.allowedHeaders = m_policy.defaults.allowedHeaders.value_or(QStringList()) + names;
        rebuildVerifier();
        for (const QString& name : names) {
            QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
            h.insert(name, 1);
            const verify::Trace allowed = check(mint(h, claims()));
            QVERIFY2(allowed.accepted, qPrintable(name + u'\n' + allowed.toText()));
            for (qsizetype i = 0; i < name.size(); ++i) {
                QString nearMiss = name;
                nearMiss[i] = QLatin1Char('z');
                QJsonObject bad = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
                bad.insert(nearMiss, 1);
                expectRejectedAt(check(mint(bad, claims())), StepId::Header, QStringLiteral("ERR_HEADER_NOT_ALLOWED"));
            }
        }
        m_policy = saved;
        rebuildVerifier();
    }

    void kidInjection_rejectedAtKey_data()
    {
        QTest::addColumn<QString>("kid");
        QTest::newRow("path-traversal") << QStringLiteral("../../../../dev/null");
        QTest::newRow("sql") << QStringLiteral("x' UNION SELECT 'secret' --");
        QTest::newRow("case-change") << QStringLiteral("RSA-1");
    }
    void kidInjection_rejectedAtKey()
    {
        QFETCH(QString, kid);
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), kid), claims())), StepId::Key,
                         QStringLiteral("ERR_KEY_UNKNOWN_KID"));
    }

    void unknownCrit_rejectedAtHeader()
    {
        QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")});
        h.insert(QStringLiteral("exp"), kNow + 60);
        expectRejectedAt(check(mint(h, claims())), StepId::Header, QStringLiteral("ERR_HEADER_CRIT"));
    }

    void unencodedPayload_rejectedAtHeader()
    {
        QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        h.insert(QStringLiteral("b64"), false);
        h.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("b64")});
        expectRejectedAt(check(mint(h, claims())), StepId::Header);
        QJsonObject noCrit = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        noCrit.insert(QStringLiteral("b64"), false);
        expectRejectedAt(check(mint(noCrit, claims())), StepId::Header, QStringLiteral("ERR_HEADER_B64"));
    }

    void duplicateMembers_rejectedAtStructure_data()
    {
        QTest::addColumn<QByteArray>("headerJson");
        QTest::addColumn<QByteArray>("payloadJson");
        const QByteArray goodPayload = jsonBytes(claims());
        QTest::newRow("duplicate-alg") << QByteArray("{\"alg\":\"HS256\",\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"rsa-1\"}")
                                       << goodPayload;
        QByteArray dupExp = goodPayload;
        dupExp.chop(1);
        dupExp += ",\"exp\":" + QByteArray::number(kNow + 99999) + '}';
        QTest::newRow("duplicate-exp") << jsonBytes(header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))) << dupExp;
        QByteArray deep = QByteArray("{\"iss\":\"") + kIssuer.toUtf8() + "\",\"x\":" + QByteArray(5000, '[')
                          + QByteArray(5000, ']') + '}';
        QTest::newRow("deeply-nested") << jsonBytes(header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))) << deep;
    }
    void duplicateMembers_rejectedAtStructure()
    {
        QFETCH(QByteArray, headerJson);
        QFETCH(QByteArray, payloadJson);
        expectRejectedAt(check(mint(headerJson, payloadJson, Algorithm::RS256)), StepId::Structure);
    }

    void malformedBase64Url_rejectedAtStructure_data()
    {
        QTest::addColumn<QByteArray>("token");
        const QByteArray t = valid();
        const QList<QByteArray> parts = t.split('.');
        QTest::newRow("padded") << (parts[0] + "==." + parts[1] + '.' + parts[2]);
        QTest::newRow("standard-alphabet") << QByteArray(t).replace('-', '+').replace('_', '/');
        QTest::newRow("whitespace") << (parts[0] + '.' + parts[1].left(10) + ' ' + parts[1].mid(10) + '.' + parts[2]);
        QTest::newRow("newline") << (parts[0] + ".\n" + parts[1] + '.' + parts[2]);
        // Non-canonical: same bytes, but the unused trailing bits of the last character set.
        QByteArray header = parts[0];
        const int rem = header.size() % 4;
        if (rem != 0) {
            const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
            const int idx = alphabet.indexOf(header.back());
            header.back() = alphabet.at(idx | (rem == 2 ? 0x0F : 0x03));
        }
        if (header != parts[0])
            QTest::newRow("non-canonical") << (header + '.' + parts[1] + '.' + parts[2]);
        QTest::newRow("four-segments") << (t + ".AAAA");
        QTest::newRow("jwe") << QByteArray("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA");
    }
    void malformedBase64Url_rejectedAtStructure()
    {
        QFETCH(QByteArray, token);
        expectRejectedAt(check(token), StepId::Structure);
    }

    // Issue 20: every registered claim of RFC 7519 §4.1 is type-checked by the step that owns it.
    void registeredClaimOfWrongType_rejectedAtItsStep_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("code");
        QTest::newRow("iss-number") << "iss" << QJsonValue(5) << "issuer" << "ERR_ISS_TYPE";
        QTest::newRow("sub-number") << "sub" << QJsonValue(42) << "subject" << "ERR_SUB_TYPE";
        QTest::newRow("sub-object") << "sub" << QJsonValue(QJsonObject{{QStringLiteral("id"), 1}}) << "subject"
                                    << "ERR_SUB_TYPE";
        QTest::newRow("jti-number") << "jti" << QJsonValue(7) << "required_claims" << "ERR_JTI_TYPE";
        QTest::newRow("jti-array") << "jti" << QJsonValue(QJsonArray{QStringLiteral("a")}) << "required_claims"
                                   << "ERR_JTI_TYPE";
        QTest::newRow("aud-array-of-numbers") << "aud" << QJsonValue(QJsonArray{1, 2}) << "audience" << "ERR_AUD_TYPE";
        QTest::newRow("exp-string") << "exp" << QJsonValue(QStringLiteral("tomorrow")) << "expiry" << "ERR_CLAIM_TYPE";
        QTest::newRow("nbf-bool") << "nbf" << QJsonValue(true) << "not_before" << "ERR_CLAIM_TYPE";
        QTest::newRow("iat-null") << "iat" << QJsonValue(QJsonValue::Null) << "issued_at" << "ERR_CLAIM_TYPE";
    }
    void registeredClaimOfWrongType_rejectedAtItsStep()
    {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, step);
        QFETCH(QString, code);
        QJsonObject c = claims();
        c.insert(claim, value);
        const verify::Trace t = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c));
        QVERIFY2(!t.accepted, qPrintable(t.toText()));
        const verify::TraceStep* failure = t.firstFailure();
        QVERIFY(failure);
        QCOMPARE(verify::stepIdName(failure->id), step);
        QCOMPARE(failure->code.toString(), code);
    }

    void nonIntegerNumericDates_stayAccepted()
    {
        QJsonObject c = claims();
        c.insert(QStringLiteral("exp"), double(kNow) + 600.5);
        c.insert(QStringLiteral("iat"), double(kNow) - 59.25);
        const verify::Trace t = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c));
        QVERIFY2(t.accepted, qPrintable(t.toText()));
    }

    // Issue 20: people read a trace top-down, and "no exp" is the cause, so expiry fails first.
    void missingExp_failsFirstAtExpiry()
    {
        QCOMPARE(m_policy.defaults.maxLifetimeSeconds, std::optional<qint64>(3600)); // the fixture's limit
        QJsonObject c = claims();
        c.remove(QStringLiteral("exp"));
        const verify::Trace t = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c));
        expectRejectedAt(t, StepId::Expiry, QStringLiteral("ERR_EXP_MISSING"));
        const verify::TraceStep* lifetime = t.step(StepId::Lifetime);
        QVERIFY(lifetime);
        QCOMPARE(lifetime->verdict, verify::Verdict::Fail); // still diagnosed after expiry
    }

    void missingExp_notRequired_skipsExpiry()
    {
        const auto fixture = m_policy.defaults.requiredClaims;
        m_policy.defaults.requiredClaims = QStringList{QStringLiteral("iat")};
        rebuildVerifier();
        QJsonObject c = claims();
        c.remove(QStringLiteral("exp"));
        const verify::Trace t = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c));
        const verify::TraceStep* expiry = t.step(StepId::Expiry);
        QVERIFY(expiry);
        QCOMPARE(expiry->verdict, verify::Verdict::Skipped);
        QCOMPARE(expiry->code.toString(), QStringLiteral("SKIPPED_EXP_ABSENT"));
        expectRejectedAt(t, StepId::Lifetime, QStringLiteral("ERR_LIFETIME_UNKNOWN"));
        m_policy.defaults.requiredClaims = fixture;
        rebuildVerifier();
    }

    void numericDateAbuse_rejectedAtExpiry_data()
    {
        QTest::addColumn<QJsonValue>("exp");
        QTest::addColumn<QString>("code");
        QTest::newRow("string") << QJsonValue(QString::number(kNow + 600)) << QStringLiteral("ERR_CLAIM_TYPE");
        QTest::newRow("float-beyond-range") << QJsonValue(1e300) << QStringLiteral("ERR_CLAIM_RANGE");
        QTest::newRow("negative") << QJsonValue(-5) << QStringLiteral("ERR_CLAIM_RANGE");
    }
    void numericDateAbuse_rejectedAtExpiry()
    {
        QFETCH(QJsonValue, exp);
        QFETCH(QString, code);
        QJsonObject c = claims();
        c.insert(QStringLiteral("exp"), exp);
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c)), StepId::Expiry, code);
    }

    void hugeNumberExp_rejectedAtExpiry()
    {
        QByteArray payload = jsonBytes(claims());
        payload.replace(QByteArray::number(kNow + 600), "184467440737095516160000");
        expectRejectedAt(check(mint(jsonBytes(header(QStringLiteral("RS256"), QStringLiteral("rsa-1"))), payload,
                                    Algorithm::RS256)),
                         StepId::Expiry, QStringLiteral("ERR_CLAIM_RANGE"));
    }

    void audienceAbuse_rejectedAtAudience_data()
    {
        QTest::addColumn<QJsonValue>("aud");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty-array") << QJsonValue(QJsonArray{}) << QStringLiteral("ERR_AUD_EMPTY");
        QTest::newRow("empty-string") << QJsonValue(QString()) << QStringLiteral("ERR_AUD_NOT_BOUND");
        QTest::newRow("other-issuers-row") << QJsonValue(QStringLiteral("partner-api")) << QStringLiteral("ERR_AUD_NOT_BOUND");
        QTest::newRow("foreign") << QJsonValue(QStringLiteral("https://evil.example/")) << QStringLiteral("ERR_AUD_NOT_BOUND");
        QTest::newRow("number") << QJsonValue(5) << QStringLiteral("ERR_AUD_TYPE");
    }
    void audienceAbuse_rejectedAtAudience()
    {
        QFETCH(QJsonValue, aud);
        QFETCH(QString, code);
        QJsonObject c = claims();
        c.insert(QStringLiteral("aud"), aud);
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c)), StepId::Audience, code);
    }

    void missingAudience_rejectedAtAudience()
    {
        QJsonObject c = claims();
        c.remove(QStringLiteral("aud"));
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c)), StepId::Audience,
                         QStringLiteral("ERR_AUD_MISSING"));
    }

    void issuerLookAlikes_rejectedAtIssuer_data()
    {
        QTest::addColumn<QString>("iss");
        QTest::newRow("no-trailing-slash") << QStringLiteral("https://login.example.com");
        QTest::newRow("case-change") << QStringLiteral("https://Login.example.com/");
        QTest::newRow("cyrillic-o") << QStringLiteral("https://l\u043Egin.example.com/");
        QTest::newRow("extra-slash") << QStringLiteral("https://login.example.com//");
    }
    void issuerLookAlikes_rejectedAtIssuer()
    {
        QFETCH(QString, iss);
        QJsonObject c = claims();
        c.insert(QStringLiteral("iss"), iss);
        const verify::Trace trace = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c));
        expectRejectedAt(trace, StepId::Issuer, QStringLiteral("ERR_ISS_UNKNOWN"));
        QCOMPARE(trace.step(StepId::Key)->verdict, verify::Verdict::Skipped); // no trust entry, no keys
    }

    void weakKeys_refusedAtLoad()
    {
        const auto rsa1024 = keys::parsePem(readData(QStringLiteral("rsa1024.pub.pem")), QStringLiteral("rsa1024.pub.pem"));
        QVERIFY(!rsa1024.ok());
        QCOMPARE(rsa1024.error().code, QStringLiteral("ERR_KEY_WEAK_RSA"));
        const auto shortHmac = keys::hmacKey(QByteArray(16, 's'), QStringLiteral("hs"), QStringLiteral("test"));
        QVERIFY(!shortHmac.ok());
        QCOMPARE(shortHmac.error().code, QStringLiteral("ERR_KEY_SHORT_HMAC"));
    }

    void ed448SignatureUnderEd25519Key_rejectedAtSignature()
    {
        const QByteArray token = crypto::mintCompact(jsonBytes(header(QStringLiteral("EdDSA"), QStringLiteral("ed-1"))),
                                                     jsonBytes(claims()), &*m_ed448, Algorithm::EdDSA);
        expectRejectedAt(check(token), StepId::Signature);
    }

    void jwkWithUseEnc_rejectedAtKey()
    {
        QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(m_rsa->publicKey())).object();
        jwk.insert(QStringLiteral("use"), QStringLiteral("enc"));
        jwk.insert(QStringLiteral("kid"), QStringLiteral("rsa-enc"));
        const auto encKey = keys::parseJwk(jsonBytes(jwk), QStringLiteral("test"));
        QVERIFY2(encKey.ok(), qPrintable(encKey.ok() ? QString() : encKey.error().toString()));
        policy::Policy p = m_policy;
        p.issuers[0].keys.resolved.append(encKey.value());
        const verify::PolicyVerifier verifier(p);
        const QByteArray token = mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-enc")), claims());
        expectRejectedAt(verifier.verify(token, {kNow}), StepId::Key, QStringLiteral("ERR_KEY_UNUSABLE"));
    }

    void timeWindow_respectsSkew_data()
    {
        QTest::addColumn<qint64>("at");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("step");
        // exp = kNow + 600, iat = kNow - 60, nbf = kNow - 30, skew 30.
        QTest::newRow("expired-inside-skew") << kNow + 620 << true << QString();
        QTest::newRow("expired-at-skew-edge") << kNow + 630 << false << QStringLiteral("expiry");
        QTest::newRow("expired-outside-skew") << kNow + 700 << false << QStringLiteral("expiry");
        QTest::newRow("not-yet-valid-inside-skew") << kNow - 50 << true << QString();
        QTest::newRow("not-yet-valid-outside-skew") << kNow - 100 << false << QStringLiteral("not_before");
    }
    void timeWindow_respectsSkew()
    {
        QFETCH(qint64, at);
        QFETCH(bool, accepted);
        QFETCH(QString, step);
        QJsonObject c = claims();
        c.insert(QStringLiteral("nbf"), kNow - 30);
        c.insert(QStringLiteral("iat"), kNow - 30);
        const verify::Trace trace = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c), at);
        QCOMPARE(trace.accepted, accepted);
        if (!accepted)
            QCOMPARE(verify::stepIdName(trace.firstFailure()->id), step);
    }

    void issuedInFuture_rejectedAtIssuedAt()
    {
        QJsonObject c = claims();
        c.insert(QStringLiteral("iat"), kNow + 120);
        c.insert(QStringLiteral("exp"), kNow + 900);
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c)), StepId::IssuedAt,
                         QStringLiteral("ERR_IAT_FUTURE"));
    }

    void lifetimeOverLimit_rejectedAtLifetime()
    {
        QJsonObject c = claims();
        c.insert(QStringLiteral("exp"), kNow + 7200);
        expectRejectedAt(check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c)), StepId::Lifetime,
                         QStringLiteral("ERR_LIFETIME_EXCEEDED"));
    }

    void megabyteToken_rejectedAtSizeBeforeDecoding()
    {
        const QByteArray huge = valid() + QByteArray(1024 * 1024, 'A');
        const verify::Trace trace = check(huge);
        expectRejectedAt(trace, StepId::Size, QStringLiteral("ERR_TOKEN_TOO_LARGE"));
        QCOMPARE(trace.step(StepId::Structure)->verdict, verify::Verdict::Skipped);
    }

    void requiredClaimMissing_rejectedAtRequiredClaims()
    {
        QJsonObject c = claims();
        c.remove(QStringLiteral("iat"));
        policy::Policy p = m_policy;
        p.defaults.maxLifetimeSeconds.reset();
        const verify::PolicyVerifier verifier(p);
        expectRejectedAt(verifier.verify(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c), {kNow}),
                         StepId::RequiredClaims, QStringLiteral("ERR_CLAIM_MISSING"));
    }

    void typMismatch_rejectedAtType()
    {
        policy::Policy p = m_policy;
        p.defaults.allowedTypes = QStringList{QStringLiteral("at+jwt")};
        const verify::PolicyVerifier verifier(p);
        const QByteArray plainJwt = mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), claims());
        expectRejectedAt(verifier.verify(plainJwt, {kNow}), StepId::Type, QStringLiteral("ERR_TYPE_NOT_ALLOWED"));
        QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        h.insert(QStringLiteral("typ"), QStringLiteral("application/AT+JWT")); // RFC 7515 §4.1.9 comparison
        QVERIFY(verifier.verify(mint(h, claims()), {kNow}).accepted);
    }

    void algorithmFromOtherFamily_neverTouchesKey()
    {
        policy::Policy p = m_policy;
        p.defaults.algorithms = QStringList{QStringLiteral("ES256")};
        const verify::PolicyVerifier verifier(p);
        const verify::Trace trace = verifier.verify(valid(Algorithm::RS256), {kNow});
        expectRejectedAt(trace, StepId::Algorithm, QStringLiteral("ERR_ALG_NOT_PINNED"));
        QCOMPARE(trace.step(StepId::Key)->code.toString(), QStringLiteral("SKIPPED_KEY_ALG"));
        QCOMPARE(trace.step(StepId::Signature)->verdict, verify::Verdict::Skipped);
    }

    void failureThenDiagnosis_neverTurnsBackToAccepted()
    {
        // Expired and foreign audience: the first failure is reported, later steps still run for
        // diagnosis and are marked, and the verdict stays rejected.
        QJsonObject c = claims();
        c.insert(QStringLiteral("aud"), QStringLiteral("elsewhere"));
        const verify::Trace trace = check(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c), kNow + 5000);
        QVERIFY(!trace.accepted);
        QCOMPARE(trace.firstFailure()->id, StepId::Expiry);
        QCOMPARE(trace.step(StepId::Audience)->verdict, verify::Verdict::Fail);
        QCOMPARE(trace.step(StepId::Subject)->verdict, verify::Verdict::Skipped);
    }

    void stopAtFirstFailure_skipsDiagnosis()
    {
        verify::VerifyOptions options{kNow + 5000};
        options.stopAtFirstFailure = true;
        const verify::Trace trace = m_verifier->verify(valid(), options);
        QCOMPARE(trace.firstFailure()->id, StepId::Expiry);
        QCOMPARE(trace.step(StepId::Audience)->code.toString(), QStringLiteral("SKIPPED_AFTER_FAILURE"));
    }

    // --- Dated exceptions (issue 3) ------------------------------------------------------------

    void exception_appliesOnlyBeforeExpiryAndOnlyForItsIssuer()
    {
        policy::Policy p = m_policy;
        p.issuers[0].keys.resolved.append(m_hs->publicKey());
        policy::PolicyException ex;
        ex.id = QStringLiteral("login-hs256-migration");
        ex.owner = QStringLiteral("team@example.com");
        ex.reason = QStringLiteral("legacy signer");
        ex.expires = QDateTime::fromSecsSinceEpoch(kNow + 3600, Qt::UTC);
        ex.issuer = kIssuer;
        ex.allow.algorithms = QStringList{QStringLiteral("HS256")};
        p.exceptions = {ex};
        const verify::PolicyVerifier verifier(p);
        const QByteArray token = mint(header(QStringLiteral("HS256"), QStringLiteral("hs-1")), claims());

        const verify::Trace before = verifier.verify(token, {kNow});
        QVERIFY2(before.accepted, qPrintable(before.toText()));
        const verify::TraceStep* algStep = before.step(StepId::Algorithm);
        QCOMPARE(algStep->verdict, verify::Verdict::Warning);
        QCOMPARE(algStep->exceptionId, ex.id);
        QVERIFY(algStep->reason().contains(ex.id));

        // At the instant it expires it changes nothing (exp moved so only the exception matters).
        QJsonObject later = claims();
        later.insert(QStringLiteral("iat"), kNow + 3600);
        later.insert(QStringLiteral("exp"), kNow + 3900);
        const QByteArray laterToken = mint(header(QStringLiteral("HS256"), QStringLiteral("hs-1")), later);
        expectRejectedAt(verifier.verify(laterToken, {kNow + 3600}), StepId::Algorithm,
                         QStringLiteral("ERR_ALG_NOT_PINNED"));
        QVERIFY(verifier.verify(laterToken, {kNow + 3599}).accepted);

        // Another issuer gains nothing from it.
        QJsonObject partnerClaims = claims();
        partnerClaims.insert(QStringLiteral("iss"), kPartner);
        partnerClaims.insert(QStringLiteral("aud"), QStringLiteral("partner-api"));
        expectRejectedAt(verifier.verify(mint(header(QStringLiteral("HS256"), QStringLiteral("hs-1")), partnerClaims), {kNow}),
                         StepId::Algorithm, QStringLiteral("ERR_ALG_NOT_PINNED"));
    }

    void exception_widerSkew_isAWarningNamingIt()
    {
        policy::Policy p = m_policy;
        policy::PolicyException ex;
        ex.id = QStringLiteral("clock-drift");
        ex.owner = QStringLiteral("team@example.com");
        ex.expires = QDateTime::fromSecsSinceEpoch(kNow + 86400, Qt::UTC);
        ex.issuer = kIssuer;
        ex.allow.clockSkewSeconds = 120;
        p.exceptions = {ex};
        const verify::PolicyVerifier verifier(p);
        const verify::Trace trace = verifier.verify(valid(), {kNow + 680});
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        QCOMPARE(trace.step(StepId::Expiry)->verdict, verify::Verdict::Warning);
        QCOMPARE(trace.step(StepId::Expiry)->exceptionId, ex.id);
    }

    // --- Delegation and nested tokens (issue 3) ------------------------------------------------

    void actClaim_checkedAgainstPolicy_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<int>("maxChain");
        QTest::addColumn<bool>("twoLinks");
        QTest::addColumn<QString>("code");
        const int reject = static_cast<int>(policy::Delegation::Act::Reject);
        const int allow = static_cast<int>(policy::Delegation::Act::Allow);
        QTest::newRow("rejected-by-default") << reject << QStringList() << 1 << false << QStringLiteral("ERR_ACT_REJECTED");
        QTest::newRow("allowed-actor") << allow << QStringList{QStringLiteral("batch-service")} << 1 << false
                                       << QStringLiteral("OK_ACT");
        QTest::newRow("actor-not-allowed") << allow << QStringList{QStringLiteral("other")} << 1 << false
                                           << QStringLiteral("ERR_ACT_NOT_ALLOWED");
        QTest::newRow("chain-too-long") << allow << QStringList() << 1 << true << QStringLiteral("ERR_ACT_CHAIN");
        QTest::newRow("chain-within-limit") << allow << QStringList() << 2 << true << QStringLiteral("OK_ACT");
    }
    void actClaim_checkedAgainstPolicy()
    {
        QFETCH(int, mode);
        QFETCH(QStringList, allowed);
        QFETCH(int, maxChain);
        QFETCH(bool, twoLinks);
        QFETCH(QString, code);
        policy::Policy p = m_policy;
        p.delegation.act = static_cast<policy::Delegation::Act>(mode);
        p.delegation.allowedActors = allowed;
        p.delegation.maxChain = maxChain;
        const verify::PolicyVerifier verifier(p);
        QJsonObject act{{QStringLiteral("sub"), QStringLiteral("batch-service")}};
        if (twoLinks)
            act.insert(QStringLiteral("act"), QJsonObject{{QStringLiteral("sub"), QStringLiteral("scheduler")}});
        QJsonObject c = claims();
        c.insert(QStringLiteral("act"), act);
        const verify::Trace trace = verifier.verify(mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), c), {kNow});
        const verify::TraceStep* step = trace.step(StepId::Delegation);
        QCOMPARE(step->code.toString(), code);
        QCOMPARE(trace.accepted, code == u"OK_ACT");
        QVERIFY(step->reason().contains(u"batch-service") || code == u"ERR_ACT_CHAIN" || code == u"ERR_ACT_NOT_ALLOWED");
    }

    void nestedToken_verifiedOnlyWhenPolicySaysSo()
    {
        const QByteArray inner = valid(Algorithm::ES256);
        QJsonObject h = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        h.insert(QStringLiteral("cty"), QStringLiteral("JWT"));
        h.insert(QStringLiteral("iss"), kIssuer);
        const QByteArray outer = crypto::mintCompact(jsonBytes(h), inner, &*m_rsa, Algorithm::RS256);

        policy::Policy p = m_policy;
        p.defaults.allowedHeaders->append({QStringLiteral("cty"), QStringLiteral("iss")});
        {
            const verify::PolicyVerifier verifier(p);
            expectRejectedAt(verifier.verify(outer, {kNow}), StepId::Nested, QStringLiteral("ERR_NESTED_REJECTED"));
        }
        p.delegation.nested = policy::Delegation::Nested::Verify;
        {
            const verify::PolicyVerifier verifier(p);
            const verify::Trace trace = verifier.verify(outer, {kNow});
            QVERIFY2(trace.accepted, qPrintable(trace.toText()));
            QVERIFY(trace.nested);
            QVERIFY(trace.nested->accepted);
            QVERIFY(trace.toText().contains(u"inner token:"));
            // An inner token that fails makes the outer fail, naming the inner step.
            const QByteArray badInner = withSignature(inner, QByteArray(64, '\0'));
            const QByteArray outerBad = crypto::mintCompact(jsonBytes(h), badInner, &*m_rsa, Algorithm::RS256);
            const verify::Trace bad = verifier.verify(outerBad, {kNow});
            expectRejectedAt(bad, StepId::Nested, QStringLiteral("ERR_NESTED_INNER"));
            QCOMPARE(bad.step(StepId::Nested)->arg1, QStringLiteral("signature"));
        }
        {
            // Depth is bounded: a token nested twice exceeds max_nested_depth 1.
            const QByteArray twice = crypto::mintCompact(jsonBytes(h), outer, &*m_rsa, Algorithm::RS256);
            const verify::PolicyVerifier verifier(p);
            const verify::Trace trace = verifier.verify(twice, {kNow});
            QVERIFY(!trace.accepted);
            QCOMPARE(trace.nested->firstFailure()->code.toString(), QStringLiteral("ERR_NESTED_DEPTH"));
        }
    }

    // --- Redaction and reproducibility ---------------------------------------------------------

    void trace_neverContainsTokenOrSignature()
    {
        const QByteArray token = valid();
        const QByteArray signatureSegment = token.mid(token.lastIndexOf('.') + 1);
        for (const verify::Trace& trace : {check(token), check(token, kNow + 99999)}) {
            const QByteArray all = QJsonDocument(trace.toJson()).toJson() + trace.toText().toUtf8()
                                   + trace.toMarkdown().toUtf8();
            QVERIFY(!all.contains(signatureSegment.left(16)));
            QVERIFY(!all.contains(token.left(token.indexOf('.'))));
            QVERIFY(trace.fingerprint().startsWith(u"sha256:"));
        }
    }

    // The trace keeps the token's bytes and hashes them only when read; whatever the verdict, the
    // name is the one token::fingerprint gives (over the first MiB of a larger token), and every
    // output carries that name.
    void fingerprintReadFromTrace_namesTheToken_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<bool>("computeFingerprint");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("failureCode"); // empty when accepted

        const QByteArray good = valid();
        const QByteArray badSignature = withSignature(good, QByteArray(256, 'x'));
        const QByteArray oversize = good + QByteArray(64 * 1024, 'A');
        const QByteArray overMebibyte = good + QByteArray(1024 * 1024, 'A');
        QTest::newRow("accepted") << good << true << token::fingerprint(good) << QString();
        QTest::newRow("rejected at signature") << badSignature << true << token::fingerprint(badSignature)
                                               << QStringLiteral("ERR_SIGNATURE_INVALID");
        QTest::newRow("oversize, rejected at size") << oversize << true << token::fingerprint(oversize)
                                                    << QStringLiteral("ERR_TOKEN_TOO_LARGE");
        QTest::newRow("over a MiB, first MiB named") << overMebibyte << true
                                                     << token::fingerprint(overMebibyte.first(1024 * 1024))
                                                     << QStringLiteral("ERR_TOKEN_TOO_LARGE");
        QTest::newRow("accepted, fingerprint off") << good << false << QString() << QString();
        QTest::newRow("rejected, fingerprint off") << badSignature << false << QString()
                                                   << QStringLiteral("ERR_SIGNATURE_INVALID");
    }

    void fingerprintReadFromTrace_namesTheToken()
    {
        QFETCH(QByteArray, token);
        QFETCH(bool, computeFingerprint);
        QFETCH(QString, expected);
        QFETCH(QString, failureCode);

        verify::VerifyOptions options{kNow};
        options.computeFingerprint = computeFingerprint;
        const verify::Trace trace = m_verifier->verify(token, options);
        QCOMPARE(trace.accepted, failureCode.isEmpty());
        if (!failureCode.isEmpty())
            QCOMPARE(trace.firstFailure()->code.toString(), failureCode);
        QCOMPARE(trace.fingerprint(), expected);
        QCOMPARE(trace.fingerprint(), expected); // read twice: nothing is consumed or cached
        QCOMPARE(expected.isEmpty(), !computeFingerprint);

        const verify::Trace copy = trace; // a copied trace names the same token
        QCOMPARE(copy.fingerprint(), expected);
        QCOMPARE(trace.toJson().value(QStringLiteral("fingerprint")).toString(), expected);
        if (computeFingerprint) {
            QVERIFY(trace.toText().startsWith((failureCode.isEmpty() ? QStringLiteral("ACCEPTED  ")
                                                                     : QStringLiteral("REJECTED  ")) + expected));
            QVERIFY(trace.toMarkdown().contains(u'`' + expected + u'`'));
        }
    }

    // A QByteArray token is shared rather than copied, except raw data, whose bytes the caller may
    // overwrite or free once verify returns: the trace must still name the token it verified.
    void fingerprint_sharedOrCopied_survivesTheCallersBuffer()
    {
        const QByteArray good = valid();
        const QString expected = token::fingerprint(good);

        QByteArray owned = good;
        const verify::Trace sharedTrace = m_verifier->verify(owned, verify::VerifyOptions{kNow});
        owned.fill('x'); // detaches: the trace keeps the bytes it was given
        QCOMPARE(sharedTrace.fingerprint(), expected);

        std::vector<char> buffer(good.begin(), good.end());
        const QByteArray raw = QByteArray::fromRawData(buffer.data(), static_cast<qsizetype>(buffer.size()));
        const verify::Trace rawTrace = m_verifier->verify(raw, verify::VerifyOptions{kNow});
        std::fill(buffer.begin(), buffer.end(), 'x'); // the caller reuses its buffer
        QVERIFY(rawTrace.accepted);
        QCOMPARE(rawTrace.fingerprint(), expected);
    }

    // keepPolicyAlive off (the corpus engine) must change nothing a reader sees while the verifier
    // lives: the same steps, reasons and verdicts as the default, for accepted and rejected tokens.
    void keepPolicyAliveOff_givesTheSameTraceWhileTheVerifierLives()
    {
        QJsonObject unknownClaims = claims();
        unknownClaims.insert(QStringLiteral("iss"), QStringLiteral("https://evil.example/"));
        QJsonObject expired = claims();
        expired.insert(QStringLiteral("exp"), kNow - 3600);
        const QByteArray tokens[] = {valid(), mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), unknownClaims),
                                     mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), expired),
                                     mint(header(QStringLiteral("HS256"), QStringLiteral("rsa-1")), claims())};
        for (const QByteArray& token : tokens) {
            for (const bool stopAtFirstFailure : {false, true}) {
                verify::VerifyOptions kept{.atUnixSeconds = kNow, .stopAtFirstFailure = stopAtFirstFailure};
                verify::VerifyOptions borrowed = kept;
                borrowed.keepPolicyAlive = false;
                const verify::Trace a = m_verifier->verify(token, kept);
                const verify::Trace b = m_verifier->verify(token, borrowed);
                QCOMPARE(b.toJson(), a.toJson());
                QCOMPARE(b.issuer.toString(), a.issuer.toString());
                QCOMPARE(b.audienceList(), a.audienceList());
            }
        }
    }

    // Steps view their texts (TraceText): the policy's, kept through the trace, or the trace's own
    // copies of values read from the token. A trace, its copies and moves must read the same after
    // the verifier and the token are gone (ASan reports any view left dangling).
    void trace_outlivesVerifierAndToken_keepsItsTexts()
    {
        QJsonObject unknownClaims = claims();
        unknownClaims.insert(QStringLiteral("iss"), QStringLiteral("https://evil.example/\u202e"));
        QJsonObject selectorHeader = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        selectorHeader.insert(QStringLiteral("x5u"), QStringLiteral("https://evil.example/cert"));
        const QByteArray tokens[] = {valid(), mint(header(QStringLiteral("RS256"), QStringLiteral("rsa-1")), unknownClaims),
                                     mint(selectorHeader, claims())};
        for (const QByteArray& token : tokens) {
            std::vector<char> buffer(token.begin(), token.end());
            std::optional<verify::Trace> trace;
            QJsonObject expected;
            {
                const verify::PolicyVerifier shortLived(m_policy);
                trace = shortLived.verify(QByteArray::fromRawData(buffer.data(), static_cast<qsizetype>(buffer.size())),
                                          verify::VerifyOptions{kNow});
                expected = trace->toJson();
            }
            std::fill(buffer.begin(), buffer.end(), 'x');
            const verify::PolicyVerifier unrelated(policy::Policy{}); // reuses the freed memory, if any
            QCOMPARE(trace->toJson(), expected);
            const verify::Trace copy = *trace;
            verify::Trace moved = std::move(*trace);
            trace.reset();
            QCOMPARE(copy.toJson(), expected);
            QCOMPARE(moved.toJson(), expected);
            QVERIFY(expected.value(QStringLiteral("steps")).toArray().size() > 0);
        }
        QVERIFY(check(tokens[1]).toText().contains(QStringLiteral("https://evil.example/\ufffd")));
        QVERIFY(check(tokens[2]).toText().contains(QStringLiteral("header member 'x5u'")));

        // The signature-only path writes some steps in sub-runs with rules made for the call.
        QJsonObject critHeader = header(QStringLiteral("RS256"), QStringLiteral("rsa-1"));
        critHeader.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")});
        const QList<keys::Key> keySet{m_rsa->publicKey()};
        for (const auto& [token, pinned] : {std::pair{mint(critHeader, claims()), std::optional<Algorithm>()},
                                            std::pair{valid(), std::optional<Algorithm>(Algorithm::ES256)}}) {
            std::optional<verify::Trace> trace = verify::verifySignatureOnly(token, keySet, pinned);
            const QJsonObject expected = trace->toJson();
            const verify::Trace copy = *trace;
            trace.reset();
            QVERIFY(!copy.accepted);
            QCOMPARE(copy.toJson(), expected);
        }
    }

    void fingerprintOfSignatureOnlyTrace_namesTheBoundedToken()
    {
        const QList<keys::Key> keySet{m_rsa->publicKey()};
        const QByteArray good = valid();
        QCOMPARE(verify::verifySignatureOnly(good, keySet, std::nullopt).fingerprint(), token::fingerprint(good));
        const QByteArray big = good + QByteArray(100, 'A');
        const verify::Trace tooBig = verify::verifySignatureOnly(big, keySet, std::nullopt, good.size());
        expectRejectedAt(tooBig, StepId::Size, QStringLiteral("ERR_TOKEN_TOO_LARGE"));
        QCOMPARE(tooBig.fingerprint(), token::fingerprint(good)); // the maxTokenBytes prefix, as before
    }

    void sameInputs_sameTrace()
    {
        const QByteArray token = valid();
        QCOMPARE(check(token).toJson(), check(token).toJson());
    }

    void jsonShape_matchesContract()
    {
        const QJsonObject o = check(valid()).toJson();
        QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("accepted"));
        QVERIFY(o.value(QStringLiteral("fingerprint")).isString());
        const QJsonArray steps = o.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), verify::kStepCount);
        const QStringList ids{QStringLiteral("size"), QStringLiteral("structure"), QStringLiteral("header"),
                              QStringLiteral("type"), QStringLiteral("algorithm"), QStringLiteral("issuer"),
                              QStringLiteral("key"), QStringLiteral("signature"), QStringLiteral("expiry"),
                              QStringLiteral("not_before"), QStringLiteral("issued_at"), QStringLiteral("lifetime"),
                              QStringLiteral("audience"), QStringLiteral("subject"), QStringLiteral("required_claims")};
        for (int i = 0; i < ids.size(); ++i) {
            const QJsonObject s = steps.at(i).toObject();
            QCOMPARE(s.value(QStringLiteral("id")).toString(), ids.at(i));
            for (const char* member : {"title", "verdict", "reason", "ref"})
                QVERIFY2(s.value(QLatin1String(member)).isString(), member);
        }
    }

    // --- The JWS layer without a policy ---------------------------------------------------------

    void signatureOnly_checksKeyAndSignature()
    {
        const QList<keys::Key> keySet{m_rsa->publicKey()};
        QVERIFY(verify::verifySignatureOnly(valid(), keySet, std::nullopt).accepted);
        QVERIFY(!verify::verifySignatureOnly(withSignature(valid(), QByteArray(256, 'x')), keySet, std::nullopt).accepted);
        const verify::Trace pinned = verify::verifySignatureOnly(valid(), keySet, Algorithm::PS256);
        expectRejectedAt(pinned, StepId::Algorithm, QStringLiteral("ERR_ALG_NOT_PINNED"));
        QCOMPARE(pinned.firstFailure()->reason(), QStringLiteral("RS256 is not in the pinned list [PS256]"));
        const QByteArray none = b64("{\"alg\":\"none\"}") + '.' + b64("anything, not JSON") + '.';
        expectRejectedAt(verify::verifySignatureOnly(none, keySet, std::nullopt), StepId::Algorithm,
                         QStringLiteral("ERR_ALG_NONE"));
        // The payload need not be JSON.
        const QByteArray raw = crypto::mintCompact("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "plain bytes", &*m_rsa,
                                                   Algorithm::RS256);
        QVERIFY(verify::verifySignatureOnly(raw, keySet, std::nullopt).accepted);
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
