// SPDX-License-Identifier: Apache-2.0
// The probe's token set: every class against a staging policy with its expected verdict and step,
// only the key-less attacks without a signing key, boundary tokens a margin from their edges, and
// reports that name tokens by fingerprint only.
#include "StagingPolicy.h"
#include "export/Export.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"
#include "verify/PolicyVerifier.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace jwb;

namespace {

const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

policy::Policy stagingPolicy()
{
    auto p = policy::parsePolicy(testing::stagingPolicyYaml(), policy::Format::Yaml, QStringLiteral("staging-policy.yaml"),
                                 QStringLiteral("."));
    if (!p)
        qFatal("staging policy does not load: %s", qPrintable(p.error().toString()));
    return p.value();
}

const probe::ProbeToken* findToken(const probe::TokenSet& set, const QString& variant)
{
    for (const probe::ProbeToken& t : set.tokens) {
        if (t.variant == variant)
            return &t;
    }
    return nullptr;
}

QStringList variants(const probe::TokenSet& set)
{
    QStringList ids;
    for (const probe::ProbeToken& t : set.tokens)
        ids << t.variant;
    return ids;
}

// One row per token the staging policy gets: id, class, control, expected verdict, first failing step.
struct Row {
    const char* variant;
    const char* cls;
    const char* control;
    bool accepted;
    const char* step;
};
const Row kSignedRows[] = {
    {"valid-aud-orders-api", "valid", "", true, ""},
    {"valid-aud-billing-api", "valid", "", true, ""},
    {"alg-none-none", "alg_none", "algorithm_pin", false, "algorithm"},
    {"alg-none-None", "alg_none", "algorithm_pin", false, "algorithm"},
    {"alg-none-NONE", "alg_none", "algorithm_pin", false, "algorithm"},
    {"alg-none-nOnE", "alg_none", "algorithm_pin", false, "algorithm"},
    {"hs256-public-key-pem-staging-1", "alg_confusion", "algorithm_pin", false, "algorithm"},
    {"hs256-public-key-jwk-staging-1", "alg_confusion", "algorithm_pin", false, "algorithm"},
    {"embedded-jwk", "embedded_key", "key_pinning", false, "header"},
    {"jku-elsewhere", "key_url", "key_pinning", false, "header"},
    {"x5u-elsewhere", "key_url", "key_pinning", false, "header"},
    {"jku-tolerated", "header", "header_allowlist", false, "header"},
    {"x5u-tolerated", "header", "header_allowlist", false, "header"},
    {"jwk-tolerated", "header", "header_allowlist", false, "header"},
    {"x5c-tolerated", "header", "header_allowlist", false, "header"},
    {"kid-traversal", "kid_injection", "algorithm_pin", false, "algorithm"},
    {"kid-sql-injection", "kid_injection", "algorithm_pin", false, "algorithm"},
    {"signature-stripped", "signature", "key_pinning", false, "signature"},
    {"signature-zeroed", "signature", "key_pinning", false, "signature"},
    {"ecdsa-der", "signature", "key_pinning", false, "signature"},
    {"crit-unknown", "crit", "crit", false, "header"},
    {"expired", "expiry", "exp_required", false, "expiry"},
    {"expired-2-minutes", "expiry", "clock_skew", false, "expiry"},
    {"not-yet-valid", "not_before", "nbf", false, "not_before"},
    {"lifetime-over-limit", "lifetime", "max_lifetime", false, "lifetime"},
    {"audience-missing", "audience", "audience_binding", false, "audience"},
    {"foreign-issuer", "issuer", "issuer", false, "issuer"},
    {"typ-mismatch", "typ", "typ", false, "type"},
    {"duplicate-claims", "duplicate_claims", "exp_required", false, "structure"},
    {"duplicate-alg", "duplicate_claims", "algorithm_pin", false, "structure"},
    {"skew-inside", "expiry", "clock_skew", true, ""},
    {"skew-outside", "expiry", "clock_skew", false, "expiry"},
    {"lifetime-inside", "lifetime", "max_lifetime", true, ""},
    {"lifetime-outside", "lifetime", "max_lifetime", false, "lifetime"},
    {"nbf-inside-skew", "not_before", "nbf", true, ""},
    {"nbf-outside-skew", "not_before", "nbf", false, "not_before"},
    {"iat-future-inside-skew", "issued_at", "iat", true, ""},
    {"iat-future-outside-skew", "issued_at", "iat", false, "issued_at"},
    {"missing-claim-exp", "required_claims", "exp_required", false, "expiry"},
    {"missing-claim-iat", "required_claims", "required_claims", false, "required_claims"},
    {"missing-claim-sub", "required_claims", "required_claims", false, "required_claims"},
    {"header-cty", "header", "header_allowlist", false, "header"},
    {"header-x5t", "header", "header_allowlist", false, "header"},
    {"header-x5t#S256", "header", "header_allowlist", false, "header"},
    {"header-x-probe", "header", "header_allowlist", false, "header"},
    {"typ-missing", "typ", "typ", false, "type"},
    {"typ-wrong", "typ", "typ", false, "type"},
    {"audience-wrong", "audience", "audience_binding", false, "audience"},
};

} // namespace

class TestProbeTokens final : public QObject {
    Q_OBJECT

private:
    policy::Policy m_policy = stagingPolicy();
    crypto::SigningKey m_key = testing::stagingSigningKey();

    probe::TokenSet mint(const crypto::SigningKey* key, std::optional<QString> audience = std::nullopt) const
    {
        probe::TokenSetOptions o;
        o.signingKey = key;
        o.audience = std::move(audience);
        o.nowUnixSeconds = kNow;
        auto set = probe::mintProbeTokens(m_policy, o);
        if (!set)
            qFatal("mintProbeTokens failed: %s", qPrintable(set.error().toString()));
        return set.value();
    }

private slots:
    void signedSet_tokenHasClassControlAndCoreVerdict_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("cls");
        QTest::addColumn<QString>("control");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("step");
        for (const Row& r : kSignedRows)
            QTest::newRow(r.variant) << QString::fromLatin1(r.variant) << QString::fromLatin1(r.cls)
                                     << QString::fromLatin1(r.control) << r.accepted << QString::fromLatin1(r.step);
    }
    void signedSet_tokenHasClassControlAndCoreVerdict()
    {
        QFETCH(QString, variant);
        QFETCH(QString, cls);
        QFETCH(QString, control);
        QFETCH(bool, accepted);
        QFETCH(QString, step);
        const probe::TokenSet set = mint(&m_key);
        const probe::ProbeToken* t = findToken(set, variant);
        QVERIFY2(t, qPrintable(variants(set).join(u' ')));
        QCOMPARE(t->variantClass, cls);
        QCOMPARE(t->control, control);
        QCOMPARE(t->expectedAccepted, accepted);
        QCOMPARE(t->expectedStep, step);
        QCOMPARE(t->issuer, testing::kStagingIssuer);
        QVERIFY(t->fingerprint.startsWith(u"sha256:"));
        // The expectation is the core's own verdict on exactly these bytes at the minting instant.
        const verify::PolicyVerifier verifier(m_policy);
        QCOMPARE(verifier.verify(t->token, verify::VerifyOptions{kNow}).accepted, accepted);
        // Every token keeps its verdict within the margin (5 s, its edge excluded) of the minting instant.
        QVERIFY(t->stableFrom <= kNow - 4);
        QVERIFY(t->stableUntil >= kNow + 4);
        QVERIFY(control.isEmpty() || exporting::controlIds().contains(control));
    }

    void signedSet_holdsExactlyTheTableRows_andNotCoveredSaysWhy()
    {
        const probe::TokenSet set = mint(&m_key);
        QStringList expected;
        for (const Row& r : kSignedRows)
            expected << QString::fromLatin1(r.variant);
        QStringList got = variants(set);
        QCOMPARE(QSet<QString>(got.begin(), got.end()).size(), got.size()); // ids are unique
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
        QCOMPARE(set.notCovered,
                 QStringList({QStringLiteral("audience (audience-other-row): no other issuer has an audience outside this "
                                             "issuer's row"),
                              QStringLiteral("subject (subject-unknown): the issuer has no subjects allowlist")}));
        QCOMPARE(set.issuer, testing::kStagingIssuer);
        QCOMPARE(set.mintedAtUnixSeconds, kNow);
        QCOMPARE(set.marginSeconds, 5);
    }

    void withoutKey_onlyKeylessClasses_andEverySignedClassNotCovered()
    {
        const probe::TokenSet set = mint(nullptr);
        const QSet<QString> keyless{QStringLiteral("alg_none"), QStringLiteral("alg_confusion"), QStringLiteral("embedded_key"),
                                    QStringLiteral("key_url"), QStringLiteral("kid_injection")};
        QSet<QString> classes;
        for (const probe::ProbeToken& t : set.tokens) {
            classes.insert(t.variantClass);
            QVERIFY2(!t.expectedAccepted, qPrintable(t.variant));
        }
        QCOMPARE(classes, keyless);
        QCOMPARE(set.tokens.size(), 4 + 2 + 1 + 2 + 2);
        for (const char* cls : {"valid", "signature", "crit", "expiry", "not_before", "issued_at", "lifetime", "audience",
                                "issuer", "typ", "header", "required_claims", "subject", "duplicate_claims"})
            QVERIFY2(set.notCovered.contains(QLatin1String(cls) + QStringLiteral(": needs --signing-key")), cls);
        // The attacker's header names a kid the policy pins, as a gateway choosing keys by kid sees it.
        QCOMPARE(findToken(set, QStringLiteral("alg-none-none"))->trace.step(verify::StepId::Algorithm)->verdict,
                 verify::Verdict::Fail);
    }

    void audienceOption_oneValidControl_andUnknownAudienceRefused()
    {
        const probe::TokenSet set = mint(&m_key, QStringLiteral("billing-api"));
        QVERIFY(findToken(set, QStringLiteral("valid-aud-billing-api")));
        QVERIFY(!findToken(set, QStringLiteral("valid-aud-orders-api")));
        QCOMPARE(findToken(set, QStringLiteral("skew-inside"))->audience, QStringLiteral("billing-api"));

        probe::TokenSetOptions o;
        o.signingKey = &m_key;
        o.audience = QStringLiteral("not-ours");
        o.nowUnixSeconds = kNow;
        const auto refused = probe::mintProbeTokens(m_policy, o);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("ERR_PROBE_UNKNOWN_AUDIENCE"));
    }

    void bad_options_areErrors_data()
    {
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<bool>("foreignKey");
        QTest::addColumn<int>("margin");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown issuer") << QStringLiteral("https://nobody.example/") << false << 5
                                        << QStringLiteral("ERR_PROBE_UNKNOWN_ISSUER");
        QTest::newRow("key not pinned") << QString() << true << 5 << QStringLiteral("ERR_PROBE_KEY_NOT_PINNED");
        QTest::newRow("margin zero") << QString() << false << 0 << QStringLiteral("ERR_PROBE_MARGIN");
    }
    void bad_options_areErrors()
    {
        QFETCH(QString, issuer);
        QFETCH(bool, foreignKey);
        QFETCH(int, margin);
        QFETCH(QString, code);
        auto other = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("staging-1"));
        QVERIFY(other);
        probe::TokenSetOptions o;
        o.issuer = issuer;
        o.signingKey = foreignKey ? &other.value() : &m_key;
        o.marginSeconds = margin;
        o.nowUnixSeconds = kNow;
        const auto set = probe::mintProbeTokens(m_policy, o);
        QVERIFY(!set);
        QCOMPARE(set.error().code, code);
        QVERIFY(!set.error().message.isEmpty());
    }

    void boundaries_keepTheMarginFromTheirEdges()
    {
        probe::TokenSetOptions o;
        o.signingKey = &m_key;
        o.nowUnixSeconds = kNow;
        o.marginSeconds = 7;
        const auto set = probe::mintProbeTokens(m_policy, o);
        QVERIFY(set);
        const verify::PolicyVerifier verifier(m_policy);
        // Each boundary keeps its verdict up to the margin's last second (6 s) and has crossed its
        // edge a second beyond the margin (8 s): the edge lies exactly 7 s away.
        auto acceptedAt = [&](const QString& id, qint64 at) {
            return verifier.verify(findToken(set.value(), id)->token, verify::VerifyOptions{at}).accepted;
        };
        QVERIFY(acceptedAt(QStringLiteral("skew-inside"), kNow + 6));
        QVERIFY(!acceptedAt(QStringLiteral("skew-inside"), kNow + 8));
        QVERIFY(!acceptedAt(QStringLiteral("skew-outside"), kNow - 6));
        QVERIFY(acceptedAt(QStringLiteral("skew-outside"), kNow - 8));
        QVERIFY(acceptedAt(QStringLiteral("nbf-inside-skew"), kNow - 6));
        QVERIFY(!acceptedAt(QStringLiteral("nbf-inside-skew"), kNow - 8));
        QVERIFY(!acceptedAt(QStringLiteral("nbf-outside-skew"), kNow + 6));
        QVERIFY(acceptedAt(QStringLiteral("nbf-outside-skew"), kNow + 8));
        QVERIFY(acceptedAt(QStringLiteral("iat-future-inside-skew"), kNow - 6));
        QVERIFY(!acceptedAt(QStringLiteral("iat-future-inside-skew"), kNow - 8));
        QVERIFY(!acceptedAt(QStringLiteral("iat-future-outside-skew"), kNow + 6));
        QVERIFY(acceptedAt(QStringLiteral("iat-future-outside-skew"), kNow + 8));
        for (const probe::ProbeToken& t : set->tokens) {
            QVERIFY2(t.stableFrom <= kNow - 6, qPrintable(t.variant));
            QVERIFY2(t.stableUntil >= kNow + 6, qPrintable(t.variant));
        }
        // Lifetime does not move with the clock: exp - iat is max - 7 and max + 7.
        QVERIFY(acceptedAt(QStringLiteral("lifetime-inside"), kNow));
        QVERIFY(!acceptedAt(QStringLiteral("lifetime-outside"), kNow));
        const QString reason = findToken(set.value(), QStringLiteral("lifetime-outside"))->trace.firstFailure()->reason();
        QVERIFY2(reason.contains(u"3607"), qPrintable(reason));
        QCOMPARE(set->marginSeconds, 7);
    }

    void report_namesTokensByFingerprintOnly()
    {
        const probe::TokenSet set = mint(&m_key);
        probe::ProbeTarget target;
        target.url = QUrl(QStringLiteral("ftp://127.0.0.1/")); // refused before anything is sent
        const probe::ProbeReport report = probe::runProbe(set, target);
        QCOMPARE(report.sent, 0);
        QCOMPARE(report.inconclusive, set.tokens.size());
        const QByteArray json = QJsonDocument(probe::probeReportToJson(report)).toJson();
        for (const probe::ProbeToken& t : set.tokens) {
            const QList<QByteArray> segments = t.token.split('.');
            for (const QByteArray& segment : segments) {
                if (segment.size() > 8)
                    QVERIFY2(!json.contains(segment), qPrintable(t.variant));
            }
            QVERIFY(json.contains(t.fingerprint.toLatin1()));
        }
        QCOMPARE(probe::probeExitCode(report), 0);
    }

    void tokensMintedLongAgo_areNotSent()
    {
        // kNow lies weeks away from the clock: no token's verdict holds now, so none may be sent.
        const probe::TokenSet set = mint(&m_key);
        probe::ProbeTarget target;
        target.url = QUrl(QStringLiteral("http://127.0.0.1:9/"));
        const probe::ProbeReport report = probe::runProbe(set, target);
        QCOMPARE(report.sent, 0);
        for (const probe::ProbeResult& r : report.results) {
            QCOMPARE(r.result, probe::Outcome::Inconclusive);
            QVERIFY2(r.error.startsWith(u"not sent: "), qPrintable(r.error));
        }
    }

    void statusRanges_parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical"); // empty: an error
        QTest::newRow("range") << QStringLiteral("200-299") << QStringLiteral("200-299");
        QTest::newRow("list") << QStringLiteral("401, 403") << QStringLiteral("401,403");
        QTest::newRow("mixed") << QStringLiteral("200-204,304") << QStringLiteral("200-204,304");
        QTest::newRow("reversed") << QStringLiteral("299-200") << QString();
        QTest::newRow("out of range") << QStringLiteral("99") << QString();
        QTest::newRow("word") << QStringLiteral("ok") << QString();
        QTest::newRow("empty item") << QStringLiteral("401,,403") << QString();
    }
    void statusRanges_parse()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto parsed = probe::StatusRanges::parse(text);
        if (canonical.isEmpty()) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, QStringLiteral("ERR_PROBE_STATUS_RANGE"));
        } else {
            QVERIFY(parsed);
            QCOMPARE(parsed->toString(), canonical);
        }
    }
};

QTEST_GUILESS_MAIN(TestProbeTokens)
#include "tst_probetokens.moc"
