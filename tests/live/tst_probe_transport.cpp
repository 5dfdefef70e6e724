// SPDX-License-Identifier: Apache-2.0
// How the probe talks to a verifier: TLS verified (a staging CA only through --ca), redirects
// never followed, a hanging verifier bounded by the timeout. Against a real loopback HTTPS server.
#include "LoopbackHttpsServer.h"
#include "StagingPolicy.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>

using namespace jwb;

class TestProbeTransport final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<testing::LoopbackTls> m_tls;
    std::unique_ptr<testing::LoopbackHttpsServer> m_server;

    // The key-less attacks only: every one is expected rejected.
    probe::TokenSet mintNow() const
    {
        auto p = policy::parsePolicy(testing::stagingPolicyYaml(), policy::Format::Yaml, QStringLiteral("staging"),
                                     m_dir.path());
        if (!p)
            qFatal("staging policy: %s", qPrintable(p.error().toString()));
        probe::TokenSetOptions o;
        o.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
        auto set = probe::mintProbeTokens(p.value(), o);
        if (!set)
            qFatal("mint: %s", qPrintable(set.error().toString()));
        return set.value();
    }

    probe::ProbeTarget target(const char* path) const
    {
        probe::ProbeTarget t;
        t.url = QUrl(m_server->base() + QLatin1String(path));
        t.ratePerSecond = 50;
        return t;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tls = testing::makeLoopbackTls(m_dir.path());
        QVERIFY2(m_tls, "openssl could not make the test CA (apt-get install openssl)");
    }

    void init()
    {
        m_server = testing::startLoopbackServer(m_tls->server);
        QVERIFY(m_server);
        m_server->route("/api", testing::Route{200, "ok", {}, true, false});
        m_server->route("/moved", testing::Route{302, {}, "/api", true, false});
        m_server->route("/hang", testing::Route{200, {}, {}, true, true});
    }

    void stagingCa_trustedThroughCaFile()
    {
        const probe::TokenSet set = mintNow();
        probe::ProbeTarget t = target("api");
        t.caFile = m_dir.filePath(QStringLiteral("ca.pem"));
        const probe::ProbeReport report = probe::runProbe(set, t);
        QCOMPARE(report.sent, set.tokens.size());
        QCOMPARE(report.connectionFailures, 0);
        // The server accepts everything: each key-less attack is one the policy rejects.
        QCOMPARE(report.acceptsRejected, set.tokens.size());
        for (const probe::ProbeResult& r : report.results)
            QCOMPARE(r.httpStatus, 200);
        QCOMPARE(m_server->requests().size(), set.tokens.size());
    }

    void unknownCa_refused_noRequestReachesTheServer()
    {
        const probe::TokenSet set = mintNow();
        probe::ProbeTarget t = target("api");
        t.maxRequests = 2;
        const probe::ProbeReport report = probe::runProbe(set, t);
        QCOMPARE(report.sent, 2);
        QCOMPARE(report.connectionFailures, 2);
        QCOMPARE(report.inconclusive, set.tokens.size());
        QVERIFY(m_server->requests().isEmpty());
    }

    void redirect_inconclusive_andNotFollowed()
    {
        const probe::TokenSet set = mintNow();
        probe::ProbeTarget t = target("moved");
        t.caFile = m_dir.filePath(QStringLiteral("ca.pem"));
        const probe::ProbeReport report = probe::runProbe(set, t);
        QCOMPARE(report.inconclusive, set.tokens.size());
        for (const probe::ProbeResult& r : report.results) {
            QCOMPARE(r.httpStatus, 302);
            QCOMPARE(r.error, QStringLiteral("redirect (status 302) not followed"));
        }
        QVERIFY(!m_server->requests().contains("/api"));
    }

    void hangingVerifier_boundedByTimeout()
    {
        const probe::TokenSet set = mintNow();
        probe::ProbeTarget t = target("hang");
        t.caFile = m_dir.filePath(QStringLiteral("ca.pem"));
        t.timeoutSeconds = 1;
        t.maxRequests = 2;
        QElapsedTimer elapsed;
        elapsed.start();
        const probe::ProbeReport report = probe::runProbe(set, t);
        QVERIFY2(elapsed.elapsed() < 6000, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(report.sent, 2);
        QCOMPARE(report.connectionFailures, 2);
        QCOMPARE(report.results.at(0).error, QStringLiteral("no answer within 1 s"));
        QCOMPARE(report.inconclusive, set.tokens.size());
    }
};

QTEST_GUILESS_MAIN(TestProbeTransport)
#include "tst_probe_transport.moc"
