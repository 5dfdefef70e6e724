// SPDX-License-Identifier: Apache-2.0
// `jwt-policy probe` as a process: usage and input errors, the JSON contract against a real jose
// service, exit codes for conforming, weak and unreachable verifiers, and the request bounds
// counted on the server's side.
#include "CliProcess.h"
#include "JoseService.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

using namespace jwb;

namespace {

QJsonObject parseJson(const testing::RunResult& r)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning().noquote() << "not JSON:" << r.out << r.err;
    return doc.object();
}

// GET on the service's own counter of the requests it saw (tests/live/services/jose-service.mjs).
QJsonObject serverRequests(const QString& baseUrl)
{
    QNetworkAccessManager nam;
    QNetworkReply* reply = nam.get(QNetworkRequest(QUrl(baseUrl + QStringLiteral("/__requests"))));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return o;
}

QStringList acceptsRejected(const QJsonObject& report)
{
    QStringList ids;
    for (const QJsonValue& v : report.value(QStringLiteral("results")).toArray()) {
        if (v[QStringLiteral("result")].toString() == u"accepts_rejected")
            ids << v[QStringLiteral("variant")].toString();
    }
    ids.sort();
    return ids;
}

} // namespace

class TestCliProbe final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_policy;
    std::unique_ptr<testing::LiveServer> m_server;

    QStringList probeArgs(const QString& url, const QStringList& extra) const
    {
        return QStringList{QStringLiteral("probe"), QStringLiteral("--policy"), m_policy, QStringLiteral("--url"), url}
               + extra;
    }

    bool start(bool weak)
    {
        m_server = std::make_unique<testing::LiveServer>(m_dir, weak ? QStringLiteral("jose-weak") : QStringLiteral("jose"));
        return testing::startJoseService(*m_server, m_dir, weak);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_policy = testing::writeStagingPolicy(m_dir);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed() && m_server)
            qWarning().noquote() << "jose service log:\n" << m_server->log();
        if (m_server)
            m_server->stop();
    }

    void help_saysOwnStagingSystemsOnly()
    {
        const testing::RunResult r = testing::runCli({QStringLiteral("probe"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("ONLY at staging systems you own or run"), r.out.constData());
        for (const char* flag : {"--url", "--signing-key", "--rate", "--max-requests", "--timeout", "--margin",
                                 "--accept-status", "--reject-status", "--ca", "--header", "--prefix"})
            QVERIFY2(r.out.contains(flag), flag);
    }

    void badInput_exits2WithCode_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("code");
        const QString closed = QStringLiteral("http://127.0.0.1:9/");
        const QString policy = m_policy;
        auto a = [&](const QStringList& extra) { return probeArgs(closed, extra); };
        QTest::newRow("no url") << QStringList{QStringLiteral("probe"), QStringLiteral("--policy"), policy}
                                << QStringLiteral("ERR_USAGE_URL");
        QTest::newRow("ftp url") << probeArgs(QStringLiteral("ftp://127.0.0.1/"), {}) << QStringLiteral("ERR_USAGE_URL");
        QTest::newRow("no policy") << QStringList{QStringLiteral("probe"), QStringLiteral("--url"), closed}
                                   << QStringLiteral("ERR_USAGE_POLICY");
        QTest::newRow("rate zero") << a({QStringLiteral("--rate"), QStringLiteral("0")}) << QStringLiteral("ERR_USAGE_RATE");
        QTest::newRow("rate word") << a({QStringLiteral("--rate"), QStringLiteral("fast")}) << QStringLiteral("ERR_USAGE_RATE");
        QTest::newRow("max requests zero") << a({QStringLiteral("--max-requests"), QStringLiteral("0")})
                                           << QStringLiteral("ERR_USAGE_MAX_REQUESTS");
        QTest::newRow("timeout zero") << a({QStringLiteral("--timeout"), QStringLiteral("0")}) << QStringLiteral("ERR_USAGE_TIMEOUT");
        QTest::newRow("margin zero") << a({QStringLiteral("--margin"), QStringLiteral("0")}) << QStringLiteral("ERR_USAGE_MARGIN");
        QTest::newRow("accept status") << a({QStringLiteral("--accept-status"), QStringLiteral("2xx")})
                                       << QStringLiteral("ERR_PROBE_STATUS_RANGE");
        QTest::newRow("overlapping statuses") << a({QStringLiteral("--reject-status"), QStringLiteral("200,401")})
                                              << QStringLiteral("ERR_PROBE_STATUS_RANGE");
        QTest::newRow("header name") << a({QStringLiteral("--header"), QStringLiteral("Bad Header")})
                                     << QStringLiteral("ERR_USAGE_HEADER");
        QTest::newRow("format") << a({QStringLiteral("--format"), QStringLiteral("xml")}) << QStringLiteral("ERR_USAGE_FORMAT");
        QTest::newRow("ca missing") << a({QStringLiteral("--ca"), m_dir.filePath(QStringLiteral("none.pem"))})
                                    << QStringLiteral("ERR_USAGE_CA");
        QTest::newRow("key missing") << a({QStringLiteral("--signing-key"), m_dir.filePath(QStringLiteral("none.pem"))})
                                     << QStringLiteral("ERR_PROBE_KEY_FILE");
        QTest::newRow("key not a key") << a({QStringLiteral("--signing-key"), policy}) << QStringLiteral("ERR_PROBE_KEY_FILE");
        QTest::newRow("key not pinned") << a({QStringLiteral("--signing-key"),
                                              QStringLiteral(JWB_TEST_DATA "/keys/ec-p384-private.pem")})
                                        << QStringLiteral("ERR_PROBE_KEY_NOT_PINNED");
        QTest::newRow("unknown issuer") << a({QStringLiteral("--issuer"), QStringLiteral("https://nobody.example/")})
                                        << QStringLiteral("ERR_PROBE_UNKNOWN_ISSUER");
        QTest::newRow("unknown audience") << a({QStringLiteral("--audience"), QStringLiteral("nobody-api")})
                                          << QStringLiteral("ERR_PROBE_UNKNOWN_AUDIENCE");
        QTest::newRow("positional") << a({QStringLiteral("extra")}) << QStringLiteral("ERR_USAGE_ARGS");
    }
    void badInput_exits2WithCode()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, code);
        const testing::RunResult r = testing::runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(code.toLatin1()), r.err.constData());
        QVERIFY(r.out.isEmpty()); // refused before anything was minted or sent
    }

    void strictService_json_hasEveryContractKey()
    {
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const testing::RunResult r = testing::runCli(probeArgs(
            m_server->baseUrl() + QStringLiteral("/orders"),
            {QStringLiteral("--signing-key"), testing::stagingKeyPath(), QStringLiteral("--rate"), QStringLiteral("50"),
             QStringLiteral("--format"), QStringLiteral("json")}));
        // jose cannot check a header allowlist, exp - iat or duplicate members: those disagree.
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = parseJson(r);
        QCOMPARE(o.value(QStringLiteral("url")).toString(), m_server->baseUrl() + QStringLiteral("/orders"));
        QCOMPARE(o.value(QStringLiteral("issuer")).toString(), testing::kStagingIssuer);
        QCOMPARE(o.value(QStringLiteral("margin_seconds")).toInt(-1), 5);
        const QJsonObject summary = o.value(QStringLiteral("summary")).toObject();
        for (const char* key : {"conforms", "accepts_rejected", "rejects_accepted", "inconclusive"})
            QVERIFY2(summary.value(QLatin1String(key)).isDouble(), key);
        QVERIFY(summary.value(QStringLiteral("not_covered")).isArray());
        QCOMPARE(summary.value(QStringLiteral("inconclusive")).toInt(), 0);
        QCOMPARE(summary.value(QStringLiteral("rejects_accepted")).toInt(), 0);
        QVERIFY(summary.value(QStringLiteral("accepts_rejected")).toInt() > 0);
        const QJsonArray results = o.value(QStringLiteral("results")).toArray();
        QVERIFY(results.size() > 40);
        QCOMPARE(summary.value(QStringLiteral("conforms")).toInt() + summary.value(QStringLiteral("accepts_rejected")).toInt(),
                 results.size());
        for (const QJsonValue& v : results) {
            const QJsonObject e = v.toObject();
            for (const char* key : {"variant", "class", "control", "expected", "expected_step", "observed", "result", "fingerprint"})
                QVERIFY2(e.value(QLatin1String(key)).isString(), key);
            QVERIFY(e.value(QStringLiteral("http_status")).isDouble());
            QCOMPARE(e.size(), 9);
            QVERIFY(QStringList({QStringLiteral("accepted"), QStringLiteral("rejected")}).contains(e[QStringLiteral("expected")].toString()));
            QVERIFY(e.value(QStringLiteral("fingerprint")).toString().startsWith(u"sha256:"));
        }
        QCOMPARE(serverRequests(m_server->baseUrl()).value(QStringLiteral("count")).toInt(), results.size());
    }

    void strictService_withoutKey_conforms_exit0()
    {
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const testing::RunResult r = testing::runCli(probeArgs(m_server->baseUrl() + QStringLiteral("/orders"), {}));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY2(r.out.contains("summary: 11 conforms, 0 accepts_rejected, 0 rejects_accepted, 0 inconclusive"), r.out.constData());
        QVERIFY(r.out.contains("not covered: expiry: needs --signing-key"));
        QVERIFY(r.out.contains("margin: 5 s"));
    }

    void weakService_exit1_onAudienceAndIssuer()
    {
        QVERIFY2(start(true), qPrintable(testing::joseStartProblem(*m_server)));
        const testing::RunResult r = testing::runCli(probeArgs(
            m_server->baseUrl() + QStringLiteral("/orders"),
            {QStringLiteral("--signing-key"), testing::stagingKeyPath(), QStringLiteral("--rate"), QStringLiteral("50"),
             QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(r.exitCode, 1);
        const QStringList weak = acceptsRejected(parseJson(r));
        for (const char* id : {"audience-missing", "audience-wrong", "foreign-issuer"})
            QVERIFY2(weak.contains(QLatin1String(id)), qPrintable(weak.join(u' ')));
    }

    void connectionRefused_inconclusive_exit2()
    {
        const quint16 port = testing::LiveServer::freePort(); // nothing listens there now
        QVERIFY(port != 0);
        const testing::RunResult r = testing::runCli(probeArgs(QStringLiteral("http://127.0.0.1:%1/").arg(port),
                                                               {QStringLiteral("--max-requests"), QStringLiteral("3"),
                                                                QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("ERR_PROBE_CONNECTION"), r.err.constData());
        const QJsonObject o = parseJson(r);
        const QJsonArray results = o.value(QStringLiteral("results")).toArray();
        QCOMPARE(o.value(QStringLiteral("summary")).toObject().value(QStringLiteral("inconclusive")).toInt(), results.size());
        for (const QJsonValue& v : results) {
            QCOMPARE(v[QStringLiteral("observed")].toString(), QStringLiteral("inconclusive"));
            QCOMPARE(v[QStringLiteral("http_status")].toInt(-1), 0);
            QVERIFY2(!v[QStringLiteral("error")].toString().isEmpty(), "an inconclusive result says why");
        }
    }

    void rateAndMaxRequests_boundWhatTheServerSees()
    {
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const testing::RunResult r = testing::runCli(probeArgs(
            m_server->baseUrl() + QStringLiteral("/orders"),
            {QStringLiteral("--signing-key"), testing::stagingKeyPath(), QStringLiteral("--rate"), QStringLiteral("5"),
             QStringLiteral("--max-requests"), QStringLiteral("7")}));
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
        QVERIFY2(r.out.contains("not sent: --max-requests 7 reached"), r.out.constData());
        QVERIFY(r.out.contains(", 7 sent\n"));
        const QJsonObject seen = serverRequests(m_server->baseUrl());
        QCOMPARE(seen.value(QStringLiteral("count")).toInt(), 7);
        // 5 per second: requests start at least 200 ms apart (50 ms allowed for timer slack).
        const QJsonArray times = seen.value(QStringLiteral("times")).toArray();
        for (qsizetype i = 1; i < times.size(); ++i)
            QVERIFY2(times.at(i).toDouble() - times.at(i - 1).toDouble() >= 150,
                     QJsonDocument(seen).toJson(QJsonDocument::Compact).constData());
    }
};

QTEST_GUILESS_MAIN(TestCliProbe)
#include "tst_cli_probe.moc"
