// SPDX-License-Identifier: Apache-2.0
// Published JWS examples (RFC 7515 Appendix A, RFC 7520 section 4, RFC 7797, RFC 8037 A.4) with their
// own keys, from tests/data/vectors: each verifies with its key and fails with a wrong key or one
// changed byte; the examples that use something the product refuses on purpose are refused at the
// step that owns the rule.
#include "TraceAssertions.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "token/Base64Url.h"
#include "verify/PolicyVerifier.h"

#include <QFile>
#include <QTest>

using namespace jwb;
using namespace Qt::StringLiterals;
using testing::expectRejectedAt;
using verify::StepId;

namespace {

QString vectorPath(const QString& name) { return QStringLiteral(JWB_TEST_DATA "/vectors/") + name; }

QByteArray readVector(const QString& name)
{
    QFile f(vectorPath(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing vector %s", qPrintable(name));
    return f.readAll().trimmed();
}

QList<keys::Key> loadKeys(const QString& name)
{
    auto loaded = keys::loadKeyFile(vectorPath(name));
    if (!loaded)
        qFatal("cannot load %s: %s", qPrintable(name), qPrintable(loaded.error().toString()));
    return loaded.value();
}

verify::Trace check(const QByteArray& token, const QList<keys::Key>& keys)
{
    return verify::verifySignatureOnly(token, keys, std::nullopt);
}

// Replaces the character at `index` by another base64url character, so the segment stays decodable
// and only the bytes under it change.
QByteArray withCharChanged(QByteArray token, qsizetype index)
{
    token[index] = token.at(index) == 'A' ? 'B' : 'A';
    return token;
}

qsizetype payloadMiddle(const QByteArray& token)
{
    const qsizetype first = token.indexOf('.');
    const qsizetype second = token.indexOf('.', first + 1);
    return first + 1 + (second - first - 1) / 2;
}

} // namespace

class TestVectors final : public QObject {
    Q_OBJECT

private:
    static void publishedRows()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("keyFile");
        QTest::addColumn<QString>("wrongKeyFile"); // same key type, different key
        QTest::addColumn<QString>("alg");
        QTest::newRow("RFC 7515 A.1 HS256") << u"rfc7515-a1.jwt"_s << u"rfc7515-a1.jwk.json"_s << u"rfc7520-hmac.jwk.json"_s << u"HS256"_s;
        QTest::newRow("RFC 7515 A.2 RS256") << u"rfc7515-a2.jwt"_s << u"rfc7515-a2.jwk.json"_s << u"rfc7520-rsa.jwk.json"_s << u"RS256"_s;
        QTest::newRow("RFC 7515 A.3 ES256") << u"rfc7515-a3.jwt"_s << u"rfc7515-a3.jwk.json"_s << u""_s << u"ES256"_s;
        QTest::newRow("RFC 7515 A.4 ES512") << u"rfc7515-a4.jwt"_s << u"rfc7515-a4.jwk.json"_s << u"rfc7520-p521.jwk.json"_s << u"ES512"_s;
        QTest::newRow("RFC 7520 4.1 RS256") << u"rfc7520-4.1.jwt"_s << u"rfc7520-rsa.jwk.json"_s << u"rfc7515-a2.jwk.json"_s << u"RS256"_s;
        QTest::newRow("RFC 7520 4.2 PS384") << u"rfc7520-4.2.jwt"_s << u"rfc7520-rsa.jwk.json"_s << u"rfc7515-a2.jwk.json"_s << u"PS384"_s;
        QTest::newRow("RFC 7520 4.3 ES512") << u"rfc7520-4.3.jwt"_s << u"rfc7520-p521.jwk.json"_s << u"rfc7515-a4.jwk.json"_s << u"ES512"_s;
        QTest::newRow("RFC 7520 4.4 HS256") << u"rfc7520-4.4.jwt"_s << u"rfc7520-hmac.jwk.json"_s << u"rfc7515-a1.jwk.json"_s << u"HS256"_s;
        QTest::newRow("RFC 8037 A.4 EdDSA") << u"rfc8037-a4.jwt"_s << u"rfc8037-a2.jwk.json"_s << u""_s << u"EdDSA"_s;
    }

private slots:
    void published_verifiesWithItsKey_data() { publishedRows(); }
    void published_failsWithWrongKey_data() { publishedRows(); }
    void published_failsWithOneChangedPayloadByte_data() { publishedRows(); }
    void published_failsWithOneChangedSignatureByte_data() { publishedRows(); }

    void published_verifiesWithItsKey()
    {
        QFETCH(QString, token);
        QFETCH(QString, keyFile);
        QFETCH(QString, alg);
        const verify::Trace trace = check(readVector(token), loadKeys(keyFile));
        QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        QCOMPARE(trace.step(StepId::Signature)->verdict, verify::Verdict::Pass);
        QCOMPARE(trace.step(StepId::Algorithm)->verdict, verify::Verdict::Pass);
        // The same vector with its algorithm pinned explicitly, as `signature --alg` does.
        const auto pinned = crypto::algorithmFromName(alg);
        QVERIFY(verify::verifySignatureOnly(readVector(token), loadKeys(keyFile), pinned).accepted);
    }

    void published_failsWithWrongKey()
    {
        QFETCH(QString, token);
        QFETCH(QString, keyFile);
        QFETCH(QString, wrongKeyFile);
        QList<keys::Key> wrong;
        if (wrongKeyFile.isEmpty()) {
            // No second published key of this type: the vector's own key type, freshly generated.
            const keys::Key right = loadKeys(keyFile).first();
            const crypto::Algorithm a = right.type == keys::KeyType::Ec ? crypto::Algorithm::ES256 : crypto::Algorithm::EdDSA;
            auto other = crypto::SigningKey::generate(a, right.kid);
            QVERIFY(other.ok());
            wrong = {other->publicKey()};
        } else {
            wrong = loadKeys(wrongKeyFile);
        }
        // Same kid as the right key, so the wrong key is selected and the signature step decides.
        const QString kid = loadKeys(keyFile).first().kid;
        for (keys::Key& k : wrong)
            k.kid = kid;
        expectRejectedAt(check(readVector(token), wrong), StepId::Signature, QStringLiteral("ERR_SIGNATURE_INVALID"));
    }

    void published_failsWithOneChangedPayloadByte()
    {
        QFETCH(QString, token);
        QFETCH(QString, keyFile);
        const QByteArray original = readVector(token);
        expectRejectedAt(check(withCharChanged(original, payloadMiddle(original)), loadKeys(keyFile)), StepId::Signature);
    }

    void published_failsWithOneChangedSignatureByte()
    {
        QFETCH(QString, token);
        QFETCH(QString, keyFile);
        const QByteArray original = readVector(token);
        QByteArray sig = *token::decodeBase64Url(original.mid(original.lastIndexOf('.') + 1));
        sig[sig.size() / 2] = static_cast<char>(sig.at(sig.size() / 2) ^ 0x20);
        const QByteArray changed = original.left(original.lastIndexOf('.') + 1) + token::encodeBase64Url(sig);
        expectRejectedAt(check(changed, loadKeys(keyFile)), StepId::Signature);
    }

    void rfc7515A1_expiredPayload_stillVerifiesAtSignatureLayer()
    {
        // exp 1300819380 (2011-03-22): a policy would reject it at expiry; the JWS layer has no clock.
        const QByteArray token = readVector(QStringLiteral("rfc7515-a1.jwt"));
        QVERIFY(token.contains("eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAs"));
        const verify::Trace trace = check(token, loadKeys(QStringLiteral("rfc7515-a1.jwk.json")));
        QVERIFY(trace.accepted);
        QVERIFY(!trace.step(StepId::Expiry) || trace.step(StepId::Expiry)->verdict != verify::Verdict::Fail);
    }

    void rfc7515A5_unsecured_rejectedAtAlgorithm()
    {
        // Even with every published key offered, alg "none" never verifies.
        QList<keys::Key> all = loadKeys(QStringLiteral("rfc7515-a1.jwk.json")) + loadKeys(QStringLiteral("rfc7515-a2.jwk.json"));
        expectRejectedAt(check(readVector(QStringLiteral("rfc7515-a5.jwt")), all), StepId::Algorithm,
                        QStringLiteral("ERR_ALG_NONE"));
    }

    void rfc7797_unencodedPayload_rejectedAtHeader()
    {
        const verify::Trace trace = check(readVector(QStringLiteral("rfc7797-4.2-detached.jwt")),
                                          loadKeys(QStringLiteral("rfc7515-a1.jwk.json")));
        // The example lists "b64" in crit, an extension the product does not implement on purpose.
        expectRejectedAt(trace, StepId::Header, QStringLiteral("ERR_HEADER_CRIT"));
        QCOMPARE(trace.step(StepId::Signature) ? trace.step(StepId::Signature)->verdict : verify::Verdict::Skipped,
                 verify::Verdict::Skipped); // the MAC is never computed over a payload we refuse to interpret
        // The same header without crit is refused for b64 itself.
        const QByteArray bare = token::encodeBase64Url("{\"alg\":\"HS256\",\"b64\":false}") + ".."
            + readVector(QStringLiteral("rfc7797-4.2-detached.jwt")).split('.').at(2);
        expectRejectedAt(check(bare, loadKeys(QStringLiteral("rfc7515-a1.jwk.json"))), StepId::Header,
                        QStringLiteral("ERR_HEADER_B64"));
    }

    void rfc7520Detached_rejectedAtSignature()
    {
        // Detached content (RFC 7515 Appendix F) is not supported: the empty payload segment is what
        // the signature is checked over, so the published MAC does not match.
        const QList<keys::Key> key = loadKeys(QStringLiteral("rfc7520-hmac.jwk.json"));
        expectRejectedAt(check(readVector(QStringLiteral("rfc7520-4.5-detached.jwt")), key), StepId::Signature,
                        QStringLiteral("ERR_SIGNATURE_INVALID"));
        // With its content attached it is exactly the 4.4 example, which verifies.
        QVERIFY(check(readVector(QStringLiteral("rfc7520-4.4.jwt")), key).accepted);
    }

    void rfc7520JsonSerialization_rejectedAtStructure()
    {
        const QByteArray flattened = readVector(QStringLiteral("rfc7520-4.1-flattened.json"));
        QVERIFY(flattened.startsWith('{'));
        expectRejectedAt(check(flattened, loadKeys(QStringLiteral("rfc7520-rsa.jwk.json"))), StepId::Structure);
    }

    void publishedKeys_meetStrengthRules()
    {
        // Every published key is at or above the product's floors, so no vector passes by exception.
        const QList<QPair<QString, int>> expected = {
            {QStringLiteral("rfc7515-a1.jwk.json"), 512},  {QStringLiteral("rfc7515-a2.jwk.json"), 2048},
            {QStringLiteral("rfc7520-rsa.jwk.json"), 2048}, {QStringLiteral("rfc7520-hmac.jwk.json"), 256},
        };
        for (const auto& [file, bits] : expected) {
            const QList<keys::Key> k = loadKeys(file);
            QCOMPARE(k.size(), 1);
            QCOMPARE(k.first().bits, bits);
        }
        // The RFC 7520 HMAC key says alg HS256: using it for HS512 is refused at the key step.
        const QByteArray token = readVector(QStringLiteral("rfc7520-4.4.jwt"));
        const verify::Trace trace = verify::verifySignatureOnly(token, loadKeys(QStringLiteral("rfc7520-hmac.jwk.json")),
                                                                crypto::Algorithm::HS512);
        QVERIFY(!trace.accepted);
    }
};

QTEST_GUILESS_MAIN(TestVectors)
#include "tst_vectors.moc"
