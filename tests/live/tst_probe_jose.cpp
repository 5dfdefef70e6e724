// SPDX-License-Identifier: Apache-2.0
// The probe against a real verifier: a Node service built on panva/jose's jwtVerify, configured as
// closely to the staging policy as jose allows. Everything conforms except what jose cannot be told
// to check; a service started without its issuer and audience options is caught on exactly those.
#include "JoseService.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace jwb;

namespace {

// What jose 5 cannot be configured to enforce, so a jose service accepts it although the policy
// does not: a header allowlist (it ignores members it does not know, and with a local JWKS it
// ignores jku/x5u/jwk/x5c), a limit on exp - iat (maxTokenAge bounds the age from iat, not the
// lifetime), and duplicate JSON members (JSON.parse keeps the last).
const QStringList kJoseCannot{
    QStringLiteral("jku-tolerated"),    QStringLiteral("x5u-tolerated"),      QStringLiteral("jwk-tolerated"),
    QStringLiteral("x5c-tolerated"),    QStringLiteral("header-cty"),         QStringLiteral("header-x5t"),
    QStringLiteral("header-x5t#S256"),  QStringLiteral("header-x-probe"),     QStringLiteral("lifetime-outside"),
    QStringLiteral("lifetime-over-limit"), QStringLiteral("duplicate-claims"), QStringLiteral("duplicate-alg"),
};
// What the weak service (no issuer, no audience option) lets through besides.
const QStringList kWeakAlso{QStringLiteral("audience-missing"), QStringLiteral("audience-wrong"),
                            QStringLiteral("foreign-issuer")};

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

QStringList withOutcome(const probe::ProbeReport& report, probe::Outcome outcome)
{
    QStringList ids;
    for (const probe::ProbeResult& r : report.results) {
        if (r.result == outcome)
            ids << r.variant;
    }
    return sorted(ids);
}

QString describe(const probe::ProbeReport& report)
{
    QString text;
    for (const probe::ProbeResult& r : report.results)
        text += QStringLiteral("%1 expected=%2 observed=%3 status=%4 %5 %6\n")
                    .arg(r.variant, r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected"),
                         probe::observedName(r.observed))
                    .arg(r.httpStatus)
                    .arg(probe::outcomeName(r.result), r.error);
    return text;
}

} // namespace

class TestProbeJose final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::LiveServer> m_server;
    crypto::SigningKey m_key = testing::stagingSigningKey();

    policy::Policy policy() const
    {
        auto p = policy::loadPolicyFile(testing::writeStagingPolicy(m_dir));
        if (!p)
            qFatal("staging policy: %s", qPrintable(p.error().toString()));
        return p.value();
    }

    probe::TokenSet mintNow() const
    {
        probe::TokenSetOptions o;
        o.signingKey = &m_key;
        o.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
        auto set = probe::mintProbeTokens(policy(), o);
        if (!set)
            qFatal("mint: %s", qPrintable(set.error().toString()));
        return set.value();
    }

    probe::ProbeTarget target()
    {
        probe::ProbeTarget t;
        t.url = QUrl(m_server->baseUrl() + QStringLiteral("/orders"));
        t.ratePerSecond = 50; // loopback; keeps the run short and the boundaries well inside the margin
        return t;
    }

    bool start(bool weak)
    {
        m_server = std::make_unique<testing::LiveServer>(m_dir, weak ? QStringLiteral("jose-weak") : QStringLiteral("jose"));
        return testing::startJoseService(*m_server, m_dir, weak);
    }

private slots:
    void cleanup()
    {
        if (QTest::currentTestFailed() && m_server)
            qWarning().noquote() << "jose service log:\n" << m_server->log();
        if (m_server)
            m_server->stop();
    }

    void strictService_conformsExceptWhatJoseCannotCheck()
    {
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const probe::TokenSet set = mintNow();
        const probe::ProbeReport report = probe::runProbe(set, target());
        QVERIFY2(report.inconclusive == 0, qPrintable(describe(report)));
        QCOMPARE(report.sent, set.tokens.size());
        QCOMPARE(withOutcome(report, probe::Outcome::AcceptsRejected), sorted(kJoseCannot));
        QCOMPARE(withOutcome(report, probe::Outcome::RejectsAccepted), QStringList());
        QCOMPARE(report.conforms, set.tokens.size() - kJoseCannot.size());
        QCOMPARE(probe::probeExitCode(report), 1);
        // One request per token reached the service, counted on its side.
        QCOMPARE(m_server->log().count("request "), set.tokens.size());
    }

    void weakService_foundOnExactlyAudienceAndIssuer()
    {
        QVERIFY2(start(true), qPrintable(testing::joseStartProblem(*m_server)));
        const probe::ProbeReport report = probe::runProbe(mintNow(), target());
        QVERIFY2(report.inconclusive == 0, qPrintable(describe(report)));
        QCOMPARE(withOutcome(report, probe::Outcome::AcceptsRejected), sorted(kJoseCannot + kWeakAlso));
        QCOMPARE(withOutcome(report, probe::Outcome::RejectsAccepted), QStringList());
        for (const probe::ProbeResult& r : report.results) {
            if (kWeakAlso.contains(r.variant))
                QVERIFY2(r.control == u"audience_binding" || r.control == u"issuer", qPrintable(r.variant));
        }
    }

    void workerThread_withoutEventLoopOfItsOwn_probes()
    {
        // The GUI and the estate run the probe off the main thread, whose event loop is not running
        // here either: runProbe must bring its own.
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const probe::TokenSet set = mintNow();
        const probe::ProbeTarget t = target();
        probe::ProbeReport report;
        int lastDone = 0;
        std::unique_ptr<QThread> worker(QThread::create([&] {
            report = probe::runProbe(set, t, nullptr, [&lastDone](int done, int) { lastDone = done; });
        }));
        worker->start();
        QVERIFY(worker->wait(120000));
        QCOMPARE(report.sent, set.tokens.size());
        QCOMPARE(report.inconclusive, 0);
        QCOMPARE(lastDone, set.tokens.size());
        QCOMPARE(withOutcome(report, probe::Outcome::AcceptsRejected), sorted(kJoseCannot));
    }

    void cancel_stopsBetweenRequests()
    {
        QVERIFY2(start(false), qPrintable(testing::joseStartProblem(*m_server)));
        const probe::TokenSet set = mintNow();
        std::atomic_bool cancel = false;
        const probe::ProbeReport report = probe::runProbe(set, target(), &cancel, [&cancel](int done, int) {
            if (done == 3)
                cancel = true;
        });
        QVERIFY(report.cancelled);
        QCOMPARE(report.sent, 3);
        QCOMPARE(report.inconclusive, set.tokens.size() - 3);
    }
};

QTEST_GUILESS_MAIN(TestProbeJose)
#include "tst_probe_jose.moc"
