// SPDX-License-Identifier: Apache-2.0
// Key-rotation rehearsal on plans with known answers.
#include "keys/RotationRehearsal.h"

#include <QTest>

using namespace jwb;

namespace {

policy::Policy policyWith(std::optional<policy::KeyRefresh> refresh, std::optional<qint64> maxLifetime,
                          const QStringList& deployments = {})
{
    policy::Policy p;
    p.defaults.algorithms = QStringList{QStringLiteral("RS256")};
    p.defaults.maxLifetimeSeconds = maxLifetime;
    policy::Issuer issuer;
    issuer.issuer = QStringLiteral("https://login.example.com/");
    issuer.keys.jwksUri = QStringLiteral("https://login.example.com/jwks.json");
    issuer.keys.refresh = refresh;
    p.issuers = {issuer};
    for (const QString& d : deployments)
        p.deployments.append(policy::Deployment{d, false});
    return p;
}

const keys::TargetRehearsal* target(const keys::RehearsalReport& r, const QString& name)
{
    for (const keys::TargetRehearsal& t : r.targets) {
        if (t.behaviour.target == name)
            return &t;
    }
    return nullptr;
}

policy::KeyRefresh cache(qint64 seconds, bool refetch = false, qint64 cooldown = 0)
{
    policy::KeyRefresh r;
    r.cacheSeconds = seconds;
    r.refetchOnUnknownKid = refetch;
    r.cooldownSeconds = cooldown;
    return r;
}

} // namespace

class TestRotation final : public QObject {
    Q_OBJECT

private slots:
    void knownAnswers_data()
    {
        QTest::addColumn<qint64>("cacheSeconds");
        QTest::addColumn<bool>("refetch");
        QTest::addColumn<qint64>("cooldown");
        QTest::addColumn<qint64>("publishToSign");
        QTest::addColumn<qint64>("expectedRejection");
        QTest::newRow("cache600-gap300") << qint64(600) << false << qint64(0) << qint64(300) << qint64(300);
        QTest::newRow("cache600-gap900") << qint64(600) << false << qint64(0) << qint64(900) << qint64(0);
        QTest::newRow("cache600-gap600") << qint64(600) << false << qint64(0) << qint64(600) << qint64(0);
        QTest::newRow("cache600-gap0") << qint64(600) << false << qint64(0) << qint64(0) << qint64(600);
        QTest::newRow("refetch-cooldown30-gap10") << qint64(600) << true << qint64(30) << qint64(10) << qint64(20);
        QTest::newRow("refetch-cooldown30-gap60") << qint64(600) << true << qint64(30) << qint64(60) << qint64(0);
    }
    void knownAnswers()
    {
        QFETCH(qint64, cacheSeconds);
        QFETCH(bool, refetch);
        QFETCH(qint64, cooldown);
        QFETCH(qint64, publishToSign);
        QFETCH(qint64, expectedRejection);
        const policy::Policy p = policyWith(cache(cacheSeconds, refetch, cooldown), std::nullopt);
        const qint64 t0 = 1'800'000'000;
        const auto report = keys::rehearseRotation(p, p.issuers.first(), {t0, t0 + publishToSign, t0 + 86400});
        QVERIFY(report.ok());
        const keys::TargetRehearsal* own = target(*report, QStringLiteral("policy"));
        QVERIFY(own);
        QCOMPARE(own->goodTokensRejected.worstSeconds, expectedRejection);
        QVERIFY(own->goodTokensRejected.meanSeconds <= expectedRejection);
        QCOMPARE(report->anyGoodTokenRejected(), expectedRejection > 0);
        // The retired key stays trusted until the slowest cache refreshes: one full period.
        QCOMPARE(own->retiredKeyAccepted.worstSeconds, cacheSeconds);
        QVERIFY(own->retiredKeyAccepted.meanSeconds > 0 && own->retiredKeyAccepted.meanSeconds < cacheSeconds);
        QCOMPARE(own->advice.isEmpty(), false);
    }

    void endpointDown_extendsRetiredKeyByMaxStale()
    {
        policy::KeyRefresh r = cache(600);
        r.maxStaleSeconds = 3600;
        const policy::Policy p = policyWith(r, std::nullopt);
        const auto report = keys::rehearseRotation(p, p.issuers.first(), {0, 900, 5000});
        QCOMPARE(target(*report, QStringLiteral("policy"))->retiredKeyAcceptedIfEndpointDown, qint64(4200));
    }

    void oldTokensOutlivingTheirKey_areReported()
    {
        const policy::Policy p = policyWith(cache(60), 3600);
        const auto early = keys::rehearseRotation(p, p.issuers.first(), {0, 600, 2400});
        QCOMPARE(early->inFlightOldTokensRejected.worstSeconds, qint64(1800));
        QVERIFY(early->anyGoodTokenRejected());
        const auto late = keys::rehearseRotation(p, p.issuers.first(), {0, 600, 4200});
        QCOMPARE(late->inFlightOldTokensRejected.worstSeconds, qint64(0));
        QVERIFY(!late->anyGoodTokenRejected());
    }

    void deployments_useTheirOwnBehaviour()
    {
        const policy::Policy p = policyWith(cache(120), std::nullopt, {QStringLiteral("envoy"), QStringLiteral("istio"),
                                                                       QStringLiteral("kong")});
        const auto report = keys::rehearseRotation(p, p.issuers.first(), {0, 300, 10000});
        QCOMPARE(target(*report, QStringLiteral("envoy"))->behaviour.cacheSeconds, qint64(120));
        QCOMPARE(target(*report, QStringLiteral("envoy"))->goodTokensRejected.worstSeconds, qint64(0));
        // Istio refreshes on its own fixed interval, so the same plan rejects good tokens there.
        QVERIFY(target(*report, QStringLiteral("istio"))->goodTokensRejected.worstSeconds > 0);
        QVERIFY(!target(*report, QStringLiteral("kong"))->behaviour.fetchesKeys);
        QVERIFY(target(*report, QStringLiteral("jose"))->behaviour.reference);
        QVERIFY(report->anyGoodTokenRejected()); // because of istio, a real deployment
    }

    void badPlan_isAnError()
    {
        const policy::Policy p = policyWith(cache(600), std::nullopt);
        const auto report = keys::rehearseRotation(p, p.issuers.first(), {1000, 500, 2000});
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, QStringLiteral("ERR_REHEARSE_PLAN"));
    }
};

QTEST_GUILESS_MAIN(TestRotation)
#include "tst_rotation.moc"
