// SPDX-License-Identifier: Apache-2.0
// The adversarial self-test: a strict policy withstands every variant, planted weaknesses are found.
#include "PolicyFixtures.h"
#include "crypto/Signer.h"
#include "policy/PolicyIO.h"
#include "verify/SelfTest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace jwb;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

QStringList acceptedIds(const verify::SelfTestReport& report)
{
    QStringList ids;
    for (const verify::SelfTestVariant& v : report.variants) {
        if (v.accepted)
            ids.append(v.id);
    }
    return ids;
}

} // namespace

class TestSelfTest final : public QObject {
    Q_OBJECT

private:
    policy::Policy strictPolicy(crypto::Algorithm alg) const
    {
        auto key = crypto::SigningKey::generate(alg, QStringLiteral("prod-1"));
        if (!key)
            qFatal("key generation failed");
        policy::Policy p;
        p.name = QStringLiteral("strict");
        p.owner = QStringLiteral("sec@example.com");
        testing::setStrictDefaults(p.defaults, QStringList{crypto::algorithmName(alg)});
        policy::Issuer a = testing::workforceIssuer();
        a.keys.resolved = {key->publicKey()};
        policy::Issuer b;
        b.issuer = QStringLiteral("https://partner.example.net/");
        b.trustDomain = QStringLiteral("partners");
        b.audiences = QStringList{QStringLiteral("partner-api")};
        b.keys.resolved = {key->publicKey()};
        p.issuers = {a, b};
        return p;
    }

private slots:
    void strictPolicy_rejectsEveryVariant_data()
    {
        QTest::addColumn<int>("alg");
        for (crypto::Algorithm a : {crypto::Algorithm::RS256, crypto::Algorithm::ES256, crypto::Algorithm::EdDSA})
            QTest::newRow(qPrintable(crypto::algorithmName(a))) << static_cast<int>(a);
    }
    void strictPolicy_rejectsEveryVariant()
    {
        QFETCH(int, alg);
        const policy::Policy p = strictPolicy(static_cast<crypto::Algorithm>(alg));
        const verify::SelfTestReport report = verify::runSelfTest(p, kNow);
        QVERIFY2(report.notes.isEmpty(), qPrintable(report.notes.join(u'\n')));
        QCOMPARE(acceptedIds(report), QStringList());
        QVERIFY(report.variants.size() >= 2 * 25);
        // Each attack class is rejected at the step that owns it.
        QHash<QString, QString> expected{
            {QStringLiteral("alg-none-nOnE"), QStringLiteral("algorithm")},
            {QStringLiteral("embedded-jwk"), QStringLiteral("header")},
            {QStringLiteral("jku-elsewhere"), QStringLiteral("header")},
            {QStringLiteral("kid-traversal"), QStringLiteral("algorithm")},
            {QStringLiteral("signature-zeroed"), QStringLiteral("signature")},
            {QStringLiteral("crit-unknown"), QStringLiteral("header")},
            {QStringLiteral("expired"), QStringLiteral("expiry")},
            {QStringLiteral("not-yet-valid"), QStringLiteral("not_before")},
            {QStringLiteral("lifetime-over-limit"), QStringLiteral("lifetime")},
            {QStringLiteral("audience-other-row"), QStringLiteral("audience")},
            {QStringLiteral("foreign-issuer"), QStringLiteral("issuer")},
            {QStringLiteral("typ-mismatch"), QStringLiteral("type")},
            {QStringLiteral("duplicate-claims"), QStringLiteral("structure")},
        };
        for (const verify::SelfTestVariant& v : report.variants) {
            if (v.issuer != p.issuers.first().issuer || !expected.contains(v.id))
                continue;
            QVERIFY2(v.applicable, qPrintable(v.id));
            QCOMPARE(verify::stepIdName(v.trace.firstFailure()->id), expected.value(v.id));
        }
    }

    void weakPolicy_findingsNameThePlantedWeaknesses()
    {
        policy::Policy p = strictPolicy(crypto::Algorithm::RS256);
        p.defaults.allowedHeaders->append(QStringLiteral("jku"));
        p.defaults.algorithms->append(QStringLiteral("none"));
        p.defaults.maxLifetimeSeconds.reset();
        p.defaults.clockSkewSeconds = 300;
        p.defaults.allowedTypes.reset();
        const verify::SelfTestReport report = verify::runSelfTest(p, kNow);
        const QStringList accepted = acceptedIds(report);
        for (const char* id : {"jku-tolerated", "lifetime-over-limit", "expired-2-minutes", "typ-mismatch"})
            QVERIFY2(accepted.contains(QLatin1String(id)), qPrintable(accepted.join(u", ")));
        // "none" in the pin is still never honoured by the core.
        QVERIFY(!accepted.contains(QStringLiteral("alg-none-none")));
        for (const verify::SelfTestVariant& v : report.variants) {
            if (v.accepted)
                QVERIFY(!v.finding.isEmpty());
        }
        const QJsonObject json = verify::selfTestToJson(report);
        QCOMPARE(json.value(QStringLiteral("accepted")).toInt(), report.acceptedCount());
        QCOMPARE(json.value(QStringLiteral("variants")).toArray().size(), report.variants.size());
    }

    void callersPolicy_isNeverModified()
    {
        const policy::Policy p = strictPolicy(crypto::Algorithm::ES256);
        const policy::Policy before = p;
        const int keysBefore = p.issuers.first().keys.resolved.size();
        verify::runSelfTest(p, kNow);
        QCOMPARE(p.issuers.first().keys.resolved.size(), keysBefore);
        QVERIFY(p == before);
    }

    void cancelled_stopsBetweenIssuers()
    {
        const std::atomic_bool cancel{true};
        const verify::SelfTestReport report = verify::runSelfTest(strictPolicy(crypto::Algorithm::ES256), kNow, &cancel);
        QVERIFY(report.variants.isEmpty());
    }

    void samplePolicy_withstandsEveryVariant()
    {
        const auto sample = policy::loadSamplePolicy();
        QVERIFY2(sample.ok(), qPrintable(sample.ok() ? QString() : sample.error().toString()));
        const verify::SelfTestReport report = verify::runSelfTest(*sample, kNow);
        QCOMPARE(acceptedIds(report), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSelfTest)
#include "tst_selftest.moc"
