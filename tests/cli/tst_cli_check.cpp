// SPDX-License-Identifier: Apache-2.0
// jwt-policy check, run as the built binary: exit codes 0/1/2, the JSON shape, --compare, stdin.
#include "CliProcess.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "token/CompactToken.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace jwb;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();
const QString kAt = QStringLiteral("2026-11-01T10:00:00Z");

using testing::RunResult;
using testing::runCli;

QByteArray policyYaml(const char* name, const char* billingAlgorithms)
{
    return QByteArray("jwt_policy: 1\n"
                      "name: ") + name + "\n"
           "owner: sec@example.com\n"
           "revision: 1\n"
           "defaults:\n"
           "  algorithms: [ES256]\n"
           "  clock_skew_seconds: 30\n"
           "  required_claims: [exp]\n"
           "issuers:\n"
           "  - issuer: https://login.example.com/\n"
           "    audiences: [payments-api]\n"
           "    keys:\n"
           "      jwks_file: login.jwks.json\n"
           "  - issuer: https://billing.internal/\n"
           "    audiences: [billing-api]\n"
           "    keys:\n"
           "      jwks_file: billing.jwks.json\n"
           "    overrides:\n"
           "      algorithms: " + billingAlgorithms + "\n";
}

} // namespace

class TestCliCheck final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<crypto::SigningKey> m_ec, m_hs;
    QString m_policyA; // billing: HS256 and ES256
    QString m_policyB; // billing: ES256 only
    QString m_good;    // accepted tokens only
    QString m_mixed;   // accepted, expired, HS256 from billing
    QByteArray m_hsToken;

    QByteArray mint(const QString& iss, crypto::Algorithm alg, const QString& aud, qint64 exp) const
    {
        const crypto::SigningKey& key = alg == crypto::Algorithm::HS256 ? *m_hs : *m_ec;
        const QJsonObject header{{QStringLiteral("alg"), crypto::algorithmName(alg)},
                                 {QStringLiteral("kid"), key.publicKey().kid}};
        const QJsonObject claims{{QStringLiteral("iss"), iss}, {QStringLiteral("aud"), aud},
                                 {QStringLiteral("exp"), exp}, {QStringLiteral("jti"), QString(QString::number(exp) + aud)}};
        return crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact),
                                   QJsonDocument(claims).toJson(QJsonDocument::Compact), &key, alg);
    }

    QString write(const QString& name, const QByteArray& content)
    {
        return testing::writeInto(m_dir, name, content);
    }

    QStringList check(const QStringList& extra) const
    {
        return QStringList{QStringLiteral("check"), QStringLiteral("--policy"), m_policyA, QStringLiteral("--at"), kAt}
               + extra;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ec = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("ec-1"));
        QVERIFY(ec.ok());
        m_ec = std::move(ec).value();
        auto hs = crypto::SigningKey::generate(crypto::Algorithm::HS256, QStringLiteral("hs-1"));
        QVERIFY(hs.ok());
        m_hs = std::move(hs).value();
        write(QStringLiteral("login.jwks.json"), "{\"keys\":[" + keys::toPublicJwk(m_ec->publicKey()) + "]}");
        write(QStringLiteral("billing.jwks.json"), "{\"keys\":[" + keys::toPublicJwk(m_ec->publicKey()) + ","
                                                       + keys::toPublicJwk(m_hs->publicKey()) + "]}");
        m_policyA = write(QStringLiteral("a.yaml"), policyYaml("policy-a", "[HS256, ES256]"));
        m_policyB = write(QStringLiteral("b.yaml"), policyYaml("policy-b", "[ES256]"));

        const QByteArray login = mint(QStringLiteral("https://login.example.com/"), crypto::Algorithm::ES256,
                                      QStringLiteral("payments-api"), kNow + 600);
        const QByteArray billingEs = mint(QStringLiteral("https://billing.internal/"), crypto::Algorithm::ES256,
                                          QStringLiteral("billing-api"), kNow + 600);
        m_hsToken = mint(QStringLiteral("https://billing.internal/"), crypto::Algorithm::HS256,
                         QStringLiteral("billing-api"), kNow + 600);
        const QByteArray expired = mint(QStringLiteral("https://login.example.com/"), crypto::Algorithm::ES256,
                                        QStringLiteral("payments-api"), kNow - 7200);
        m_good = write(QStringLiteral("good.txt"), login + '\n' + login + '\n' + billingEs + '\n');
        m_mixed = write(QStringLiteral("mixed.log"),
                        "GET /pay Authorization: Bearer " + login + "\n" + "token=\"" + m_hsToken + "\"\n"
                            + "{\"auth\":\"Bearer " + expired + "\"}\n" + m_hsToken + "\nno token here\n");
    }

    void help_namesTheVerbAndOptions()
    {
        const RunResult r = runCli({QStringLiteral("check"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--compare"));
        QVERIFY(r.out.contains("--threads"));
        QVERIFY(runCli({QStringLiteral("--help")}).out.contains("check"));
    }

    void allAccepted_exitZero_textSummary()
    {
        const RunResult r = runCli(check({m_good}));
        QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
        QVERIFY(r.out.contains("3 tokens (2 distinct)"));
        QVERIFY(r.out.contains("3 accepted, 0 rejected"));
        QVERIFY(r.err.isEmpty()); // no progress bar when stderr is not a terminal
    }

    void someRejected_exitOne_jsonShape()
    {
        const RunResult r = runCli(check({QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--threads"),
                                          QStringLiteral("2"), m_mixed}));
        QVERIFY2(r.exitCode == 1, QByteArray(r.out + r.err).constData());
        QJsonParseError error{};
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("complete")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("tokens")).toInteger(), 4);
        QCOMPARE(o.value(QStringLiteral("distinct")).toInteger(), 3);
        QCOMPARE(o.value(QStringLiteral("accepted")).toInteger(), 3);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 1);
        QCOMPARE(o.value(QStringLiteral("lines")).toInteger(), 5);
        QCOMPARE(o.value(QStringLiteral("lines_without_token")).toInteger(), 1);
        QCOMPARE(o.value(QStringLiteral("threads")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("at")).toString(), kAt);

        const QJsonArray steps = o.value(QStringLiteral("by_step")).toArray();
        QCOMPARE(steps.size(), 1);
        const QJsonObject s = steps.at(0).toObject();
        QCOMPARE(s.value(QStringLiteral("step")).toString(), QStringLiteral("expiry"));
        QCOMPARE(s.value(QStringLiteral("code")).toString(), QStringLiteral("ERR_EXPIRED"));
        QVERIFY(s.value(QStringLiteral("reason")).toString().startsWith(u"expired at"));
        QCOMPARE(s.value(QStringLiteral("count")).toInteger(), 1);
        QCOMPARE(s.value(QStringLiteral("fingerprints")).toArray().size(), 1);
        QVERIFY(s.value(QStringLiteral("fingerprints")).toArray().at(0).toString().startsWith(u"sha256:"));

        const QJsonArray issuers = o.value(QStringLiteral("by_issuer")).toArray();
        QCOMPARE(issuers.size(), 2);
        for (const QJsonValue& v : issuers) {
            const QJsonObject g = v.toObject();
            for (const char* key : {"issuer", "count", "distinct", "accepted", "rejected", "fingerprints"})
                QVERIFY2(g.contains(QLatin1String(key)), key);
        }
        QCOMPARE(issuers.at(0).toObject().value(QStringLiteral("count")).toInteger(), 2); // most first
        QCOMPARE(o.value(QStringLiteral("by_audience")).toArray().size(), 2);
        QVERIFY(o.value(QStringLiteral("changes")).toArray().isEmpty());
        QVERIFY(!o.contains(QStringLiteral("compare")));
        QVERIFY(!r.out.contains(m_hsToken.left(m_hsToken.lastIndexOf('.')))); // never a token
    }

    void threadCounts_printTheSameReport()
    {
        auto report = [this](const QString& threads) {
            const RunResult r = runCli(check({QStringLiteral("--compare"), m_policyB, QStringLiteral("--format"),
                                              QStringLiteral("json"), QStringLiteral("--threads"), threads, m_mixed, m_good}));
            QJsonObject o = QJsonDocument::fromJson(r.out).object();
            o.remove(QStringLiteral("elapsed_ms"));
            o.remove(QStringLiteral("threads"));
            return o;
        };
        const QJsonObject one = report(QStringLiteral("1"));
        QCOMPARE(one.value(QStringLiteral("tokens")).toInteger(), 7);
        QCOMPARE(report(QStringLiteral("2")), one);
        QCOMPARE(report(QStringLiteral("4")), one);
    }

    void compare_changedVerdicts_exitOne()
    {
        const RunResult r = runCli(check({QStringLiteral("--compare"), m_policyB, QStringLiteral("--format"),
                                          QStringLiteral("json"), m_mixed}));
        QVERIFY2(r.exitCode == 1, QByteArray(r.out + r.err).constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("changed")).toInteger(), 2);
        const QJsonArray changes = o.value(QStringLiteral("changes")).toArray();
        QCOMPARE(changes.size(), 1);
        const QJsonObject c = changes.at(0).toObject();
        QCOMPARE(c.value(QStringLiteral("direction")).toString(), QStringLiteral("newly_rejected"));
        QCOMPARE(c.value(QStringLiteral("issuer")).toString(), QStringLiteral("https://billing.internal/"));
        QCOMPARE(c.value(QStringLiteral("step")).toString(), QStringLiteral("algorithm"));
        QCOMPARE(c.value(QStringLiteral("count")).toInteger(), 2);
        QCOMPARE(c.value(QStringLiteral("distinct")).toInteger(), 1);
        QCOMPARE(c.value(QStringLiteral("fingerprints")).toArray().at(0).toString(), token::fingerprint(m_hsToken));
        QVERIFY(c.value(QStringLiteral("summary")).toString().startsWith(
            u"B rejects 2 tokens from https://billing.internal/ at `algorithm`"));
        const QJsonObject b = o.value(QStringLiteral("compare")).toObject();
        QCOMPARE(b.value(QStringLiteral("policy")).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("policy-b"));
        QCOMPARE(b.value(QStringLiteral("rejected")).toInteger(), 3);

        const RunResult text = runCli(check({QStringLiteral("--compare"), m_policyB, m_mixed}));
        QCOMPARE(text.exitCode, 1);
        QVERIFY(text.out.contains("B rejects 2 tokens from https://billing.internal/ at `algorithm`: HS256"));
    }

    void compare_noChange_exitZero_evenWithRejections()
    {
        const RunResult r = runCli(check({QStringLiteral("--compare"), m_policyA, m_mixed}));
        QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
        QVERIFY(r.out.contains("Verdict changes from A to B: 0 tokens"));
    }

    void stdinDash_isACorpus()
    {
        QFile f(m_good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const RunResult r = runCli(check({QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("-")}),
                                   f.readAll());
        QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("tokens")).toInteger(), 3);
        QCOMPARE(o.value(QStringLiteral("files")).toArray().at(0).toString(), QStringLiteral("<stdin>"));
    }

    void errors_exitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("code");
        const QString missing = m_dir.filePath(QStringLiteral("missing.log"));
        QTest::newRow("no policy") << QStringList{QStringLiteral("check"), m_good} << QByteArray("ERR_USAGE_POLICY");
        QTest::newRow("missing corpus") << check({m_good, missing}) << QByteArray("ERR_CORPUS_OPEN");
        QTest::newRow("no corpus") << check({}) << QByteArray("ERR_USAGE_ARGS");
        QTest::newRow("bad threads") << check({QStringLiteral("--threads"), QStringLiteral("0"), m_good})
                                     << QByteArray("ERR_USAGE_THREADS");
        QTest::newRow("bad format") << check({QStringLiteral("--format"), QStringLiteral("xml"), m_good})
                                    << QByteArray("ERR_USAGE_FORMAT");
        QTest::newRow("bad compare policy")
            << check({QStringLiteral("--compare"), missing, m_good}) << QByteArray("ERR_POLICY");
        QTest::newRow("no token in corpus")
            << check({write(QStringLiteral("empty.log"), "nothing\nto see\n")}) << QByteArray("ERR_CORPUS_EMPTY");
    }
    void errors_exitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, code);
        const RunResult r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(code), r.err);
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliCheck)
#include "tst_cli_check.moc"
