// SPDX-License-Identifier: Apache-2.0
// Semantic diff: one row per change kind, each asserting the one change it produces and how it is
// classified; defaults changes reach exactly the issuers that inherit them.

#include "PolicyFixtures.h"
#include "keys/Key.h"
#include "policy/PolicyDiff.h"
#include "policy/PolicyIO.h"

#include <QFile>
#include <QSet>
#include <QTest>

#include <functional>

using namespace jwb;
using policy::ChangeClass;
using policy::Policy;
using testing::keyFromFile;

namespace {

using Mutation = void (*)(Policy&);

const QString kLogin = QStringLiteral("https://login.example.com/");
const QString kPartner = QStringLiteral("https://auth.partner.example.net/");

QDateTime instant(const char* rfc3339)
{
    return QDateTime::fromString(QLatin1String(rfc3339), Qt::ISODate);
}

policy::Issuer partnerIssuer() { return testing::partnerIssuer(QStringLiteral("partners")); }

policy::PolicyException exception() { return testing::rs384Exception(kLogin, instant("2027-01-31T00:00:00Z")); }

Policy basePolicy() { return testing::cleanLoginPolicy(QStringLiteral("payments")); }

struct Row {
    const char* tag;
    Mutation mutateOld;
    Mutation mutateNew;
    const char* kind;
    ChangeClass classification;
    const char* path;
    QString issuer;
    bool loosensBothWays = false; // moving a grant or a key source elsewhere loosens in either direction
};

const Mutation kNone = [](Policy&) {};

QList<Row> rows()
{
    using C = ChangeClass;
    return {
        {"issuer-added", kNone, [](Policy& p) { p.issuers.append(partnerIssuer()); }, "issuer-added", C::Loosening,
         "issuers[1]", kPartner},
        {"issuer-removed", [](Policy& p) { p.issuers.append(partnerIssuer()); }, kNone, "issuer-removed",
         C::Tightening, "issuers[1]", kPartner},
        {"trust-domain-changed", kNone, [](Policy& p) { p.issuers[0].trustDomain = QStringLiteral("staff"); },
         "trust-domain-changed", C::Neutral, "issuers[0].trust_domain", kLogin},
        {"audience-added", kNone, [](Policy& p) { p.issuers[0].audiences.append(QStringLiteral("ledger-api")); },
         "audience-added", C::Loosening, "issuers[0].audiences", kLogin},
        {"audience-removed", [](Policy& p) { p.issuers[0].audiences.append(QStringLiteral("ledger-api")); }, kNone,
         "audience-removed", C::Tightening, "issuers[0].audiences", kLogin},
        {"subject-added", [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice")}; },
         [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice"), QStringLiteral("bob")}; },
         "subject-added", C::Loosening, "issuers[0].subjects", kLogin},
        {"subject-removed",
         [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice"), QStringLiteral("bob")}; },
         [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice")}; }, "subject-removed",
         C::Tightening, "issuers[0].subjects", kLogin},
        {"subject-allowlist-added", kNone,
         [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice")}; }, "subject-allowlist-added",
         C::Tightening, "issuers[0].subjects", kLogin},
        {"subject-allowlist-removed", [](Policy& p) { p.issuers[0].subjects = QStringList{QStringLiteral("alice")}; },
         kNone, "subject-allowlist-removed", C::Loosening, "issuers[0].subjects", kLogin},
        {"algorithm-added", kNone, [](Policy& p) { p.defaults.algorithms->append(QStringLiteral("RS384")); },
         "algorithm-added", C::Loosening, "defaults.algorithms", kLogin},
        {"algorithm-added to an override", kNone,
         [](Policy& p) { p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("PS256")}; },
         "algorithm-added", C::Loosening, "issuers[0].overrides.algorithms", kLogin},
        {"algorithm-removed", [](Policy& p) { p.defaults.algorithms->append(QStringLiteral("RS384")); }, kNone,
         "algorithm-removed", C::Tightening, "defaults.algorithms", kLogin},
        {"skew-widened", kNone, [](Policy& p) { p.defaults.clockSkewSeconds = 90; }, "skew-widened", C::Loosening,
         "defaults.clock_skew_seconds", kLogin},
        {"skew-narrowed", kNone, [](Policy& p) { p.issuers[0].overrides.clockSkewSeconds = 5; }, "skew-narrowed",
         C::Tightening, "issuers[0].overrides.clock_skew_seconds", kLogin},
        {"lifetime-raised", kNone, [](Policy& p) { p.defaults.maxLifetimeSeconds = 7200; }, "lifetime-raised",
         C::Loosening, "defaults.max_lifetime_seconds", kLogin},
        {"lifetime-lowered", kNone, [](Policy& p) { p.defaults.maxLifetimeSeconds = 600; }, "lifetime-lowered",
         C::Tightening, "defaults.max_lifetime_seconds", kLogin},
        {"lifetime-added", [](Policy& p) { p.defaults.maxLifetimeSeconds.reset(); }, kNone, "lifetime-added",
         C::Tightening, "defaults.max_lifetime_seconds", kLogin},
        {"lifetime-removed", kNone, [](Policy& p) { p.defaults.maxLifetimeSeconds.reset(); }, "lifetime-removed",
         C::Loosening, "defaults.max_lifetime_seconds", kLogin},
        {"required-claim-added", kNone, [](Policy& p) { p.defaults.requiredClaims->append(QStringLiteral("sub")); },
         "required-claim-added", C::Tightening, "defaults.required_claims", kLogin},
        {"required-claim-removed", kNone,
         [](Policy& p) { p.defaults.requiredClaims = QStringList{QStringLiteral("exp")}; }, "required-claim-removed",
         C::Loosening, "defaults.required_claims", kLogin},
        {"header-allowed", kNone, [](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("jku")); },
         "header-allowed", C::Loosening, "defaults.allowed_headers", kLogin},
        {"header-disallowed", kNone, [](Policy& p) { p.defaults.allowedHeaders->removeAll(QStringLiteral("typ")); },
         "header-disallowed", C::Tightening, "defaults.allowed_headers", kLogin},
        {"type-added", kNone, [](Policy& p) { p.defaults.allowedTypes->append(QStringLiteral("JWT")); }, "type-added",
         C::Loosening, "defaults.allowed_types", kLogin},
        {"type-removed", [](Policy& p) { p.defaults.allowedTypes->append(QStringLiteral("JWT")); }, kNone,
         "type-removed", C::Tightening, "defaults.allowed_types", kLogin},
        {"type-check-added", [](Policy& p) { p.defaults.allowedTypes.reset(); }, kNone, "type-check-added",
         C::Tightening, "defaults.allowed_types", kLogin},
        {"type-check-removed", kNone, [](Policy& p) { p.defaults.allowedTypes.reset(); }, "type-check-removed",
         C::Loosening, "defaults.allowed_types", kLogin},
        {"require-type-enabled", kNone, [](Policy& p) { p.defaults.requireType = true; }, "require-type-enabled",
         C::Tightening, "defaults.require_type", kLogin},
        {"require-type-disabled", [](Policy& p) { p.defaults.requireType = true; }, kNone, "require-type-disabled",
         C::Loosening, "defaults.require_type", kLogin},
        {"require-kid-enabled", [](Policy& p) { p.defaults.requireKid = false; }, kNone, "require-kid-enabled",
         C::Tightening, "defaults.require_kid", kLogin},
        {"require-kid-disabled", kNone, [](Policy& p) { p.issuers[0].overrides.requireKid = false; },
         "require-kid-disabled", C::Loosening, "issuers[0].overrides.require_kid", kLogin},
        {"max-token-bytes-raised", kNone, [](Policy& p) { p.defaults.maxTokenBytes = 65536; },
         "max-token-bytes-raised", C::Loosening, "defaults.max_token_bytes", kLogin},
        {"max-token-bytes-lowered", kNone, [](Policy& p) { p.defaults.maxTokenBytes = 4096; },
         "max-token-bytes-lowered", C::Tightening, "defaults.max_token_bytes", kLogin},
        {"key-added", kNone,
         [](Policy& p) { p.issuers[0].keys.resolved.append(keyFromFile("ec-p384-public.pem", QStringLiteral("ec"))); },
         "key-added", C::Loosening, "issuers[0].keys", kLogin},
        {"key-removed",
         [](Policy& p) { p.issuers[0].keys.resolved.append(keyFromFile("ec-p384-public.pem", QStringLiteral("ec"))); },
         kNone, "key-removed", C::Tightening, "issuers[0].keys", kLogin},
        {"key-kid-changed", kNone, [](Policy& p) { p.issuers[0].keys.resolved[0].kid = QStringLiteral("login-renamed"); },
         "key-kid-changed", C::Neutral, "issuers[0].keys", kLogin},
        {"key-source-changed", kNone, [](Policy& p) { p.issuers[0].keys.jwksFile = QStringLiteral("keys/login.jwks"); },
         "key-source-changed", C::Neutral, "issuers[0].keys", kLogin},
        {"jwks-uri-added", [](Policy& p) { p.issuers[0].keys.jwksUri.clear(); }, kNone, "jwks-uri-added",
         C::Loosening, "issuers[0].keys.jwks_uri", kLogin},
        {"jwks-uri-removed", kNone, [](Policy& p) { p.issuers[0].keys.jwksUri.clear(); }, "jwks-uri-removed",
         C::Tightening, "issuers[0].keys.jwks_uri", kLogin},
        {"jwks-uri-changed, same host", kNone,
         [](Policy& p) { p.issuers[0].keys.jwksUri = QStringLiteral("https://login.example.com/keys/v2"); },
         "jwks-uri-changed", C::Neutral, "issuers[0].keys.jwks_uri", kLogin},
        {"jwks-uri-changed, other host", kNone,
         [](Policy& p) { p.issuers[0].keys.jwksUri = QStringLiteral("https://keys.cdn.example.net/login.json"); },
         "jwks-uri-changed", C::Loosening, "issuers[0].keys.jwks_uri", kLogin, true},
        {"jwks-uri-changed, https to http", kNone,
         [](Policy& p) { p.issuers[0].keys.jwksUri = QStringLiteral("http://login.example.com/.well-known/jwks.json"); },
         "jwks-uri-changed", C::Loosening, "issuers[0].keys.jwks_uri", kLogin},
        {"key-refresh-changed", kNone,
         [](Policy& p) { p.issuers[0].keys.refresh = policy::KeyRefresh{600, 3600, true, 60}; },
         "key-refresh-changed", C::Neutral, "issuers[0].keys.refresh", kLogin},
        {"exception-added", kNone, [](Policy& p) { p.exceptions.append(exception()); }, "exception-added",
         C::Loosening, "exceptions[0]", kLogin},
        {"exception-removed", [](Policy& p) { p.exceptions.append(exception()); }, kNone, "exception-removed",
         C::Tightening, "exceptions[0]", kLogin},
        {"exception-extended", [](Policy& p) { p.exceptions.append(exception()); },
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].expires = instant("2027-06-30T00:00:00Z");
         },
         "exception-extended", C::Loosening, "exceptions[0].expires", kLogin},
        {"exception-shortened", [](Policy& p) { p.exceptions.append(exception()); },
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].expires = instant("2026-12-15T00:00:00Z");
         },
         "exception-shortened", C::Tightening, "exceptions[0].expires", kLogin},
        {"exception-retargeted",
         [](Policy& p) {
             p.issuers.append(partnerIssuer());
             p.exceptions.append(exception());
         },
         [](Policy& p) {
             p.issuers.append(partnerIssuer());
             p.exceptions.append(exception());
             p.exceptions[0].issuer = kPartner;
         },
         "exception-retargeted", C::Loosening, "exceptions[0].issuer", kPartner, true},
        {"exception-widened", [](Policy& p) { p.exceptions.append(exception()); },
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].allow.clockSkewSeconds = 120;
         },
         "exception-widened", C::Loosening, "exceptions[0].allow", kLogin},
        {"exception-narrowed",
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].allow.algorithms->append(QStringLiteral("RS512"));
         },
         [](Policy& p) { p.exceptions.append(exception()); }, "exception-narrowed", C::Tightening,
         "exceptions[0].allow", kLogin},
        {"exception-owner-changed", [](Policy& p) { p.exceptions.append(exception()); },
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].owner = QStringLiteral("identity-team@example.com");
         },
         "exception-owner-changed", C::Neutral, "exceptions[0].owner", kLogin},
        {"exception-reason-changed", [](Policy& p) { p.exceptions.append(exception()); },
         [](Policy& p) {
             p.exceptions.append(exception());
             p.exceptions[0].reason = QStringLiteral("Tracked in SEC-8 now");
         },
         "exception-reason-changed", C::Neutral, "exceptions[0].reason", kLogin},
        {"delegation-act-allowed", kNone, [](Policy& p) { p.delegation.act = policy::Delegation::Act::Allow; },
         "delegation-act-allowed", C::Loosening, "delegation.act", QString()},
        {"delegation-act-rejected", [](Policy& p) { p.delegation.act = policy::Delegation::Act::Allow; }, kNone,
         "delegation-act-rejected", C::Tightening, "delegation.act", QString()},
        {"delegation-actor-added", [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw")}; },
         [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw"), QStringLiteral("batch")}; },
         "delegation-actor-added", C::Loosening, "delegation.allowed_actors", QString()},
        {"delegation-actor-removed",
         [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw"), QStringLiteral("batch")}; },
         [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw")}; }, "delegation-actor-removed",
         C::Tightening, "delegation.allowed_actors", QString()},
        {"delegation-actors-restricted", kNone,
         [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw")}; },
         "delegation-actors-restricted", C::Tightening, "delegation.allowed_actors", QString()},
        {"delegation-actors-unrestricted",
         [](Policy& p) { p.delegation.allowedActors = QStringList{QStringLiteral("gw")}; }, kNone,
         "delegation-actors-unrestricted", C::Loosening, "delegation.allowed_actors", QString()},
        {"delegation-chain-raised", kNone, [](Policy& p) { p.delegation.maxChain = 3; }, "delegation-chain-raised",
         C::Loosening, "delegation.max_chain", QString()},
        {"delegation-chain-lowered", [](Policy& p) { p.delegation.maxChain = 3; }, kNone, "delegation-chain-lowered",
         C::Tightening, "delegation.max_chain", QString()},
        {"delegation-nested-allowed", kNone, [](Policy& p) { p.delegation.nested = policy::Delegation::Nested::Verify; },
         "delegation-nested-allowed", C::Loosening, "delegation.nested", QString()},
        {"delegation-nested-rejected", [](Policy& p) { p.delegation.nested = policy::Delegation::Nested::Verify; },
         kNone, "delegation-nested-rejected", C::Tightening, "delegation.nested", QString()},
        {"delegation-nested-depth-raised", kNone, [](Policy& p) { p.delegation.maxNestedDepth = 2; },
         "delegation-nested-depth-raised", C::Loosening, "delegation.max_nested_depth", QString()},
        {"delegation-nested-depth-lowered", [](Policy& p) { p.delegation.maxNestedDepth = 2; }, kNone,
         "delegation-nested-depth-lowered", C::Tightening, "delegation.max_nested_depth", QString()},
        {"deployment-added", kNone, [](Policy& p) { p.deployments.append({QStringLiteral("envoy"), false}); },
         "deployment-added", C::Neutral, "deployments[0]", QString()},
        {"deployment-removed", [](Policy& p) { p.deployments.append({QStringLiteral("envoy"), false}); }, kNone,
         "deployment-removed", C::Neutral, "deployments[0]", QString()},
        {"deployment-changed", [](Policy& p) { p.deployments.append({QStringLiteral("envoy"), false}); },
         [](Policy& p) { p.deployments.append({QStringLiteral("envoy"), true}); }, "deployment-changed", C::Neutral,
         "deployments[0].only_verifier", QString()},
        {"policy-renamed", kNone, [](Policy& p) { p.name = QStringLiteral("payments-v2"); }, "policy-renamed",
         C::Neutral, "name", QString()},
        {"owner-changed", kNone, [](Policy& p) { p.owner = QStringLiteral("iam@example.com"); }, "owner-changed",
         C::Neutral, "owner", QString()},
        {"revision-changed", kNone, [](Policy& p) { p.revision = 2; }, "revision-changed", C::Neutral, "revision",
         QString()},
    };
}

QString describe(const QList<policy::Change>& changes)
{
    QStringList out;
    for (const policy::Change& c : changes)
        out.append(QStringLiteral("%1/%2 @%3 (%4): %5")
                       .arg(c.kind, policy::changeClassName(c.classification), c.path, c.issuer, c.message));
    return out.join(QStringLiteral("\n"));
}

} // namespace

Q_DECLARE_METATYPE(Mutation)
Q_DECLARE_METATYPE(jwb::policy::ChangeClass)

class TestPolicyDiff final : public QObject {
    Q_OBJECT

private slots:
    void identicalPolicies_haveNoChange();
    void eachKind_classifiedAsDocumented_data();
    void eachKind_classifiedAsDocumented();
    void everyDocumentedKind_hasARow();
    void defaultsChange_loosensEveryInheritingIssuer();
    void defaultsChange_nobodyInherits_reportedOnDefaults();
    void overrideEqualToInheritedValue_isNoChange();
    void reorderedLists_areNoChange();
    void samplePolicy_diffAgainstWeak_isLoosening();
};

void TestPolicyDiff::identicalPolicies_haveNoChange()
{
    const QList<policy::Change> changes = policy::diffPolicies(basePolicy(), basePolicy());
    QVERIFY2(changes.isEmpty(), qPrintable(describe(changes)));
}

void TestPolicyDiff::eachKind_classifiedAsDocumented_data()
{
    QTest::addColumn<Mutation>("mutateOld");
    QTest::addColumn<Mutation>("mutateNew");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<ChangeClass>("classification");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<bool>("loosensBothWays");
    for (const Row& row : rows())
        QTest::newRow(row.tag) << row.mutateOld << row.mutateNew << QString::fromLatin1(row.kind)
                               << row.classification << QString::fromLatin1(row.path) << row.issuer
                               << row.loosensBothWays;
}

void TestPolicyDiff::eachKind_classifiedAsDocumented()
{
    QFETCH(Mutation, mutateOld);
    QFETCH(Mutation, mutateNew);
    QFETCH(QString, kind);
    QFETCH(ChangeClass, classification);
    QFETCH(QString, path);
    QFETCH(QString, issuer);
    QFETCH(bool, loosensBothWays);

    Policy oldP = basePolicy();
    Policy newP = basePolicy();
    mutateOld(oldP);
    mutateNew(newP);
    const QList<policy::Change> changes = policy::diffPolicies(oldP, newP);
    QVERIFY2(changes.size() == 1, qPrintable(describe(changes)));
    const policy::Change& c = changes.first();
    QCOMPARE(c.kind, kind);
    QCOMPARE(policy::changeClassName(c.classification), policy::changeClassName(classification));
    QCOMPARE(c.path, path);
    QCOMPARE(c.issuer, issuer);
    QVERIFY(!c.message.isEmpty());

    // Swapping the revisions undoes the change: a loosening becomes a tightening and back.
    const QList<policy::Change> reverse = policy::diffPolicies(newP, oldP);
    QCOMPARE(reverse.size(), 1);
    if (classification == ChangeClass::Neutral || loosensBothWays)
        QCOMPARE(reverse.first().classification, classification);
    else
        QVERIFY(reverse.first().classification != classification && reverse.first().classification != ChangeClass::Neutral);
}

void TestPolicyDiff::everyDocumentedKind_hasARow()
{
    // The kinds listed in PolicyDiff.h's contract comment.
    QFile header(QStringLiteral(JWB_SOURCE_DIR "/core/policy/PolicyDiff.h"));
    QVERIFY(header.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(header.readAll());
    const qsizetype from = text.indexOf(QStringLiteral("issuer-added,"));
    const qsizetype to = text.indexOf(QStringLiteral("revision-changed."), from);
    QVERIFY(from > 0 && to > from);
    QString list = text.mid(from, to - from + QStringLiteral("revision-changed").size());
    list.replace(QStringLiteral("//"), QString());
    QSet<QString> documented;
    for (const QString& item : list.split(u',', Qt::SkipEmptyParts))
        documented.insert(item.trimmed());
    QSet<QString> covered;
    for (const Row& row : rows())
        covered.insert(QString::fromLatin1(row.kind));
    QVERIFY(documented.size() > 60);
    for (const QString& kind : documented)
        QVERIFY2(covered.contains(kind), qPrintable(QStringLiteral("no row for ") + kind));
    for (const QString& kind : covered)
        QVERIFY2(documented.contains(kind), qPrintable(QStringLiteral("undocumented kind ") + kind));
}

void TestPolicyDiff::defaultsChange_loosensEveryInheritingIssuer()
{
    Policy oldP = basePolicy();
    oldP.issuers.append(partnerIssuer());
    policy::Issuer third = partnerIssuer();
    third.issuer = QStringLiteral("https://billing.example.com/");
    third.overrides.clockSkewSeconds = 10;
    oldP.issuers.append(third);
    Policy newP = oldP;
    newP.defaults.clockSkewSeconds = 120;

    const QList<policy::Change> changes = policy::diffPolicies(oldP, newP);
    QStringList issuers;
    for (const policy::Change& c : changes) {
        QCOMPARE(c.kind, QStringLiteral("skew-widened"));
        QCOMPARE(c.classification, ChangeClass::Loosening);
        QCOMPARE(c.path, QStringLiteral("defaults.clock_skew_seconds"));
        issuers.append(c.issuer);
    }
    QCOMPARE(issuers, (QStringList{kLogin, kPartner})); // billing overrides its skew
}

void TestPolicyDiff::defaultsChange_nobodyInherits_reportedOnDefaults()
{
    Policy oldP = basePolicy();
    oldP.issuers[0].overrides.maxLifetimeSeconds = 900;
    Policy newP = oldP;
    newP.defaults.maxLifetimeSeconds = 86400;
    const QList<policy::Change> changes = policy::diffPolicies(oldP, newP);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().kind, QStringLiteral("lifetime-raised"));
    QCOMPARE(changes.first().classification, ChangeClass::Loosening); // the next issuer added inherits it
    QCOMPARE(changes.first().issuer, QString());
    QCOMPARE(changes.first().path, QStringLiteral("defaults.max_lifetime_seconds"));
}

void TestPolicyDiff::overrideEqualToInheritedValue_isNoChange()
{
    Policy newP = basePolicy();
    newP.issuers[0].overrides.clockSkewSeconds = 30;
    newP.issuers[0].overrides.algorithms = QStringList{QStringLiteral("RS256")};
    const QList<policy::Change> changes = policy::diffPolicies(basePolicy(), newP);
    QVERIFY2(changes.isEmpty(), qPrintable(describe(changes)));
}

void TestPolicyDiff::reorderedLists_areNoChange()
{
    Policy oldP = basePolicy();
    oldP.issuers.append(partnerIssuer());
    Policy newP = oldP;
    std::swap(newP.issuers[0], newP.issuers[1]);
    newP.defaults.allowedHeaders = QStringList{QStringLiteral("kid"), QStringLiteral("alg"), QStringLiteral("typ")};
    const QList<policy::Change> changes = policy::diffPolicies(oldP, newP);
    QVERIFY2(changes.isEmpty(), qPrintable(describe(changes)));
}

void TestPolicyDiff::samplePolicy_diffAgainstWeak_isLoosening()
{
    const Result<Policy> sample = policy::loadPolicyFile(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml"));
    const Result<Policy> weak = policy::loadPolicyFile(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/weak.yaml"));
    QVERIFY2(sample.ok(), sample.ok() ? "" : qPrintable(sample.error().toString()));
    QVERIFY2(weak.ok(), weak.ok() ? "" : qPrintable(weak.error().toString()));
    const QList<policy::Change> changes = policy::diffPolicies(*sample, *weak);
    QSet<QString> loosenings;
    for (const policy::Change& c : changes) {
        if (c.classification == ChangeClass::Loosening)
            loosenings.insert(c.kind + u'@' + c.issuer);
    }
    // The weak demo pins none, allows jku, widens the skew and drops the lifetime limit for the
    // issuer both files share.
    for (const char* expected : {"algorithm-added@https://login.example.com/", "header-allowed@https://login.example.com/",
                                 "skew-widened@https://login.example.com/", "lifetime-removed@https://login.example.com/",
                                 "type-check-removed@https://login.example.com/"})
        QVERIFY2(loosenings.contains(QLatin1String(expected)), qPrintable(describe(changes)));
}

QTEST_GUILESS_MAIN(TestPolicyDiff)
#include "tst_policydiff.moc"
