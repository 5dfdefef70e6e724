// SPDX-License-Identifier: Apache-2.0
// Input bounds of the core, each checked before the work it protects: token size, JSON depth, JWKS
// key count, RSA modulus size, PEM block count, policy file size, issuer count. The big inputs (a
// 100 MB policy, a 1,000,000-issuer policy) are generated in a temporary directory, streamed so the
// test itself stays small, and the loader's peak memory is compared with what reading them would cost.
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "policy/PolicyIO.h"
#include "token/Base64Url.h"
#include "token/CompactToken.h"
#include "verify/PolicyVerifier.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace jwb;
using testing::writeStreamed;
using verify::StepId;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// Peak resident memory of this process so far, in bytes (Linux reports KiB).
qint64 peakRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<qint64>(usage.ru_maxrss) * 1024;
}

QByteArray readData(const QString& relative)
{
    QFile f(QStringLiteral(JWB_TEST_DATA "/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(relative));
    return f.readAll();
}

// A JSON policy with `count` issuers, written issuer by issuer.
bool writeIssuerPolicy(const QString& path, int count)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("{\"jwt_policy\": 1, \"name\": \"many\", \"owner\": \"sec@example.com\","
            " \"defaults\": {\"algorithms\": [\"HS256\"]}, \"issuers\": [");
    for (int i = 0; i < count; ++i) {
        f.write(i ? ",\n" : "\n");
        f.write(QByteArrayLiteral("{\"issuer\": \"https://i") + QByteArray::number(i)
                + QByteArrayLiteral(".example.com/\", \"audiences\": [\"api\"]}"));
    }
    f.write("\n]}\n");
    return true;
}

QByteArray rsaJwk(const QString& kid)
{
    const QByteArray jwk = readData(QStringLiteral("vectors/rfc7515-a2.jwk.json")).trimmed();
    return jwk.left(jwk.size() - 1) + QByteArrayLiteral(", \"kid\": \"") + kid.toUtf8() + QByteArrayLiteral("\"}");
}

} // namespace

class TestLimits final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaults_areTheDocumentedOnes()
    {
        // docs/security.md lists these; a change here is a change there.
        const policy::LoadLimits load;
        QCOMPARE(load.maxFileBytes, 64 * kMiB);
        QCOMPARE(load.maxIssuers, 100000);
        QCOMPARE(load.maxKeysPerIssuer, 256);
        const policy::EffectiveRules rules;
        QCOMPARE(rules.maxTokenBytes, qint64(16384));
        QCOMPARE(token::ParseLimits{}.maxJsonDepth, 16);
        QCOMPARE(keys::kMinRsaBits, 2048);
    }

    void oversizedToken_rejectedAtSizeBeforeDecoding()
    {
        auto hs = crypto::SigningKey::fromSecret(QByteArray(32, 's'), QStringLiteral("k"));
        QVERIFY(hs.ok());
        policy::Policy p;
        p.name = QStringLiteral("limits");
        p.defaults.algorithms = QStringList{QStringLiteral("HS256")};
        p.defaults.maxTokenBytes = 1024;
        policy::Issuer issuer;
        issuer.issuer = QStringLiteral("https://login.example.com/");
        issuer.audiences = QStringList{QStringLiteral("api")};
        issuer.keys.resolved = {hs->publicKey()};
        p.issuers = {issuer};
        const verify::PolicyVerifier verifier(p);
        // Valid in every other respect, one byte over the bound; then 16 MB of garbage that is not
        // even base64url: both stop at the size step, so nothing of either is decoded.
        const QByteArray header = "{\"alg\":\"HS256\",\"kid\":\"k\"}";
        QByteArray payload = "{\"iss\":\"https://login.example.com/\",\"aud\":\"api\",\"exp\":2000000000,\"pad\":\"";
        const qsizetype fixed = token::encodeBase64Url(header).size() + 2 + 43;
        while (token::encodeBase64Url(QByteArray(payload + "\"}")).size() + fixed < 1025)
            payload += 'x';
        const QByteArray token = crypto::mintCompact(header, QByteArray(payload + "\"}"), &hs.value(), crypto::Algorithm::HS256);
        QVERIFY(token.size() > 1024 && token.size() <= 1027); // just over the bound
        for (const QByteArray& t : {token, QByteArray(16 * kMiB, '!')}) {
            const verify::Trace trace = verifier.verify(t, {1700000000});
            QVERIFY(!trace.accepted);
            QCOMPARE(trace.firstFailure()->id, StepId::Size);
            QCOMPARE(trace.firstFailure()->code.toString(), QStringLiteral("ERR_TOKEN_TOO_LARGE"));
            QCOMPARE(trace.step(StepId::Structure)->verdict, verify::Verdict::Skipped);
        }
        // The JWS layer alone has its own bound (1 MiB by default).
        const verify::Trace sigOnly = verify::verifySignatureOnly(QByteArray(kMiB + 1, 'e'), {hs->publicKey()}, std::nullopt);
        QCOMPARE(sigOnly.firstFailure()->id, StepId::Size);
    }

    void deepJson_rejectedAtStructure()
    {
        // Header nesting one past the bound; the payload 100,000 levels deep (no recursion blow-up).
        const QByteArray deepHeader = "{\"alg\":\"HS256\",\"x\":" + QByteArray(16, '[') + QByteArray(16, ']') + "}";
        const QByteArray deepPayload = QByteArray(100000, '[') + QByteArray(100000, ']');
        for (const auto& [h, pl] : {std::pair{deepHeader, QByteArray("{}")}, std::pair{QByteArray("{\"alg\":\"HS256\"}"), deepPayload}}) {
            const QByteArray t = token::encodeBase64Url(h) + '.' + token::encodeBase64Url(pl) + ".c2ln";
            const auto parsed = token::parseCompact(t, token::ParseLimits{4 * kMiB, 16});
            QVERIFY(std::holds_alternative<token::ParseFailure>(parsed));
        }
    }

    void jwksKeyCount_boundedBeforeParsingKeys()
    {
        auto jwks = [](int n) -> QByteArray {
            QByteArray out = "{\"keys\":[";
            for (int i = 0; i < n; ++i)
                out += (i ? "," : "") + rsaJwk(QStringLiteral("k%1").arg(i));
            return out + "]}";
        };
        const auto atLimit = keys::parseJwks(jwks(256), QStringLiteral("inline"));
        QVERIFY2(atLimit.ok(), qPrintable(atLimit.ok() ? QString() : atLimit.error().toString()));
        QCOMPARE(atLimit->size(), 256);
        const auto over = keys::parseJwks(jwks(257), QStringLiteral("inline"));
        QVERIFY(!over.ok());
        QCOMPARE(over.error().code, QStringLiteral("ERR_KEY_TOO_MANY"));
    }

    void hugeRsaModulus_refused()
    {
        // 16,392 bits (above the 16,384 bound): odd, top bit set, so only its size is wrong.
        QByteArray n(2049, '\x5a');
        n[0] = '\xc1';
        n[n.size() - 1] = '\x01';
        const QByteArray jwk = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + token::encodeBase64Url(n) + "\"}";
        const auto key = keys::parseJwk(jwk, QStringLiteral("huge"));
        QVERIFY(!key.ok());
        QCOMPARE(key.error().code, QStringLiteral("ERR_KEY_UNSUPPORTED"));
        // A JWK value megabytes long is stopped by the key data bound before any base64 is decoded.
        const QByteArray giant = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + QByteArray(8 * kMiB, 'A') + "\"}";
        QVERIFY(!keys::parseKeyData(giant, QStringLiteral("giant")).ok());
    }

    void pemBlockCount_bounded()
    {
        const QByteArray one = readData(QStringLiteral("verify/ec256.pub.pem"));
        QByteArray many;
        for (int i = 0; i < 257; ++i)
            many += one;
        const auto keys = keys::parsePem(many, QStringLiteral("many.pem"));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, QStringLiteral("ERR_KEY_TOO_MANY"));
    }

    void hundredMegabytePolicy_refusedBeforeReading()
    {
        const QString file = path("huge.yaml");
        QVERIFY(writeStreamed(file, "jwt_policy: 1\nname: huge\n# ", 'x', 100 * kMiB, "\n"));
        const qint64 before = peakRssBytes();
        const auto loaded = policy::loadPolicyFile(file);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("ERR_POLICY_TOO_LARGE"));
        QVERIFY(loaded.error().toString().contains(file));
        // Reading the file would have cost 100 MB; the bound is checked on the size first.
        QVERIFY2(peakRssBytes() - before < 16 * kMiB, qPrintable(QString::number(peakRssBytes() - before)));
    }

    void millionIssuerPolicy_refusedBySizeBeforeParsing()
    {
        const QString file = path("million.json");
        QVERIFY(writeIssuerPolicy(file, 1200000));
        QVERIFY(QFileInfo(file).size() > 64 * kMiB);
        const qint64 before = peakRssBytes();
        const auto loaded = policy::loadPolicyFile(file);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("ERR_POLICY_TOO_LARGE"));
        QVERIFY2(peakRssBytes() - before < 16 * kMiB, qPrintable(QString::number(peakRssBytes() - before)));
        QFile::remove(file);
    }

    void issuerCount_boundedEvenWhenSizeAllows()
    {
        // The size bound raised out of the way: the issuer bound still holds, with a clear error.
        const QString over = path("over.json");
        QVERIFY(writeIssuerPolicy(over, 100001));
        QFile f(over);
        QVERIFY(f.open(QIODevice::ReadOnly));
        policy::LoadLimits limits;
        limits.maxFileBytes = 64 * kMiB;
        const auto loaded = policy::parsePolicy(f.readAll(), policy::Format::Json, over, m_dir.path(), limits);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("ERR_POLICY_LIMIT"));
        QVERIFY(loaded.error().message.contains(QLatin1String("100001")));
    }

    void saveKilledMidWrite_keepsPreviousFileIntact()
    {
        // The previous file: a small, valid policy saved the normal way.
        const QString target = path("interrupted.yaml");
        policy::Policy previous;
        previous.name = QStringLiteral("previous");
        previous.defaults.algorithms = QStringList{QStringLiteral("ES256")};
        QVERIFY(policy::savePolicyFile(previous, target).ok());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();

        // The helper's file size is capped at 64 KiB, well inside its ~1 MB policy: the kernel kills
        // it with SIGXFSZ in the middle of the write, the one moment a non-atomic save would leave a
        // truncated policy behind.
        QProcess helper;
        helper.start(QStringLiteral(JWB_SAVE_HELPER), {target, QStringLiteral("8000"), QStringLiteral("fsize"), QStringLiteral("65536")});
        QVERIFY(helper.waitForFinished(120000));
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
        QFile expected(target + QStringLiteral(".expected"));
        QVERIFY(expected.open(QIODevice::ReadOnly));
        QVERIFY(expected.size() > 10 * 65536); // the write really was cut part-way

        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        f.close();
        const auto reloaded = policy::loadPolicyFile(target);
        QVERIFY2(reloaded.ok(), qPrintable(reloaded.ok() ? QString() : reloaded.error().toString()));
        QCOMPARE(reloaded->name, QStringLiteral("previous"));

        // Control: without the cap the same helper completes and the file becomes the new policy.
        helper.start(QStringLiteral(JWB_SAVE_HELPER), {target, QStringLiteral("8000"), QStringLiteral("once")});
        QVERIFY(helper.waitForFinished(120000));
        QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
        QCOMPARE(helper.exitCode(), 0);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), expected.readAll());
    }

    void saveKilledAtRandomMoments_fileIsOldOrNewNeverPartial()
    {
        const QString target = path("killed.yaml");
        policy::Policy previous;
        previous.name = QStringLiteral("previous");
        QVERIFY(policy::savePolicyFile(previous, target).ok());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray old = f.readAll();
        f.close();
        for (int round = 0; round < 6; ++round) {
            QProcess helper;
            helper.start(QStringLiteral(JWB_SAVE_HELPER), {target, QStringLiteral("4000"), QStringLiteral("loop")});
            QVERIFY(helper.waitForReadyRead(120000));
            QCOMPARE(helper.readLine().trimmed(), QByteArray("ready"));
            QTest::qWait(QRandomGenerator::global()->bounded(5, 120));
            helper.kill(); // SIGKILL: no handler, no cleanup
            QVERIFY(helper.waitForFinished(30000));
            QFile expected(target + QStringLiteral(".expected"));
            QVERIFY(expected.open(QIODevice::ReadOnly));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray now = f.readAll();
            f.close();
            QVERIFY2(now == old || now == expected.readAll(), qPrintable(QStringLiteral("round %1: %2 bytes").arg(round).arg(now.size())));
            QVERIFY(policy::loadPolicyFile(target).ok());
        }
    }

    void tenThousandIssuers_loadAndVerify()
    {
        // An estate of 10,000 issuers (a tenth of the bound): loads, compiles and verifies.
        const QString file = path("tenk.json");
        QVERIFY(writeIssuerPolicy(file, 10000));
        const auto loaded = policy::loadPolicyFile(file);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->issuers.size(), 10000);
        const verify::PolicyVerifier verifier(loaded.value());
        const QByteArray token = token::encodeBase64Url("{\"alg\":\"HS256\"}") + '.'
            + token::encodeBase64Url("{\"iss\":\"https://i9999.example.com/\",\"aud\":\"api\",\"exp\":2000000000}") + ".c2ln";
        const verify::Trace trace = verifier.verify(token, {1700000000});
        QVERIFY(!trace.accepted); // no keys pinned: fails closed at the key step, after finding the issuer
        QCOMPARE(trace.step(StepId::Issuer)->verdict, verify::Verdict::Pass);
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
