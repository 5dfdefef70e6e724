// SPDX-License-Identifier: Apache-2.0
// Lint: every rule fires on a policy built to show it and stays silent on the near miss; exceptions
// are judged on both sides of the evaluation instant; the sample policies show exactly what they
// are meant to show.

#include "PolicyFixtures.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "lint/Lint.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

using namespace jwb;
using policy::Policy;
using testing::keyFromFile;
using testing::partnerIssuer;

namespace {

using Mutation = void (*)(Policy&);

// 2026-11-22T00:00:00Z: the evaluation instant of every test here.
constexpr qint64 kAt = 1795305600;
constexpr qint64 kDay = 86400;

QDateTime instant(qint64 unixSeconds)
{
    return QDateTime::fromSecsSinceEpoch(unixSeconds, Qt::UTC);
}

// A weak key can only come from a signing key: the policy loaders refuse to build one.
keys::Key weakKeyFromPrivatePem(const char* name)
{
    QFile file(QStringLiteral(JWB_TEST_DATA "/keys/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", name);
    Result<crypto::SigningKey> signing = crypto::SigningKey::fromPrivatePem(file.readAll(), QStringLiteral("weak"));
    if (!signing)
        qFatal("cannot load %s: %s", name, qPrintable(signing.error().toString()));
    return signing->publicKey();
}

keys::Key hmac(int bytes, const QString& kid)
{
    Result<crypto::SigningKey> signing = crypto::SigningKey::fromSecret(QByteArray(bytes, 'k'), kid);
    if (!signing)
        qFatal("cannot build HMAC key: %s", qPrintable(signing.error().toString()));
    return signing->publicKey();
}

// A policy that lints clean: every rule's near miss starts from here.
Policy cleanPolicy() { return testing::cleanLoginPolicy(QStringLiteral("clean")); }

policy::PolicyException exceptionFor(const Policy& p, qint64 expires)
{
    return testing::rs384Exception(p.issuers.first().issuer, instant(expires));
}

QList<lint::Finding> findingsOf(const QList<lint::Finding>& all, const QString& rule)
{
    QList<lint::Finding> out;
    for (const lint::Finding& f : all) {
        if (f.ruleId == rule)
            out.append(f);
    }
    return out;
}

QString describe(const QList<lint::Finding>& findings)
{
    QStringList lines;
    for (const lint::Finding& f : findings)
        lines.append(QStringLiteral("%1 %2 @%3 (%4)").arg(lint::severityName(f.severity), f.ruleId, f.path, f.issuer));
    return lines.join(QStringLiteral("; "));
}

QStringList ruleIds(const QList<lint::Finding>& findings)
{
    QStringList ids;
    for (const lint::Finding& f : findings)
        ids.append(f.ruleId + u'@' + f.path);
    return ids;
}

} // namespace

Q_DECLARE_METATYPE(Mutation)

class TestLint final : public QObject {
    Q_OBJECT

private slots:
    void cleanPolicy_hasNoFindings();
    void ruleTable_idsAreStableKebabCaseWithReferences();

    void eachRule_firesOnItsTrigger_data();
    void eachRule_firesOnItsTrigger();
    void eachRule_silentOnNearMiss_data();
    void eachRule_silentOnNearMiss();
    void everyRule_hasATriggerRow();

    void exceptionExpiry_judgedOnBothSidesOfTheInstant_data();
    void exceptionExpiry_judgedOnBothSidesOfTheInstant();
    void expiredException_loosensNothing_soItsGrantsAreNotLinted();

    void inheritedDefault_reportedOnceForAllInheritingIssuers();
    void inheritedDefault_manyIssuers_messageNamesAFew();
    void override_reportedOnTheIssuersOwnPath();
    void findings_sortedErrorsFirstAndDeterministic();

    void loadedPolicy_findingsCarryFileLines();
    void samplePolicies_showExactlyTheirIntendedFindings_data();
    void samplePolicies_showExactlyTheirIntendedFindings();
};

void TestLint::cleanPolicy_hasNoFindings()
{
    const QList<lint::Finding> findings = lint::lintPolicy(cleanPolicy(), kAt);
    QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
}

void TestLint::ruleTable_idsAreStableKebabCaseWithReferences()
{
    const QRegularExpression kebab(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    QSet<QString> seen;
    const QList<lint::RuleInfo> rules = lint::allRules();
    QVERIFY(rules.size() >= 22);
    for (const lint::RuleInfo& rule : rules) {
        QVERIFY2(kebab.match(rule.id).hasMatch(), qPrintable(rule.id));
        QVERIFY2(!seen.contains(rule.id), qPrintable(QStringLiteral("duplicate rule id ") + rule.id));
        seen.insert(rule.id);
        QVERIFY2(!rule.summary.isEmpty(), qPrintable(rule.id));
        QVERIFY2(!rule.reference.isEmpty(), qPrintable(rule.id));
    }
    for (const char* required :
         {"alg-none-allowed", "alg-unknown", "alg-families-mixed", "symmetric-with-jwks-uri", "skew-above-60",
          "lifetime-missing", "lifetime-above-1h", "issuer-no-audience", "audience-cross-trust-domain",
          "header-key-selecting-allowed", "crit-allowed", "jwks-uri-not-https", "jwks-uri-foreign-host", "key-weak",
          "key-duplicate-kid", "key-unusable", "exception-expired", "exception-expiring", "exception-no-owner",
          "policy-no-owner", "test-key-present", "issuer-no-keys", "alg-pin-empty"})
        QVERIFY2(seen.contains(QLatin1String(required)), required);
}

// Every rule's trigger: row tag, mutation of the clean policy, rule, severity, path, issuer.
using AddTrigger = std::function<void(const char* tag, Mutation mutate, const char* rule, const char* severity,
                                      const char* path, const QString& issuer)>;

void triggerRows(const AddTrigger& add)
{

    const QString login = QStringLiteral("https://login.example.com/");
    const QString partner = QStringLiteral("https://auth.partner.example.net/");

    add("policy-no-owner", Mutation([](Policy& p) { p.owner.clear(); }), "policy-no-owner", "warning", "owner", QString());
    add("policy-no-issuers", Mutation([](Policy& p) { p.issuers.clear(); }), "policy-no-issuers", "warning", "issuers", QString());
    add("alg-none-allowed", Mutation([](Policy& p) { p.defaults.algorithms->append(QStringLiteral("none")); }), "alg-none-allowed", "error", "defaults.algorithms", login);
    add("alg-none-allowed, any spelling", Mutation([](Policy& p) { p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("nOnE")}; }), "alg-none-allowed", "error", "issuers[0].overrides.algorithms", login);
    add("alg-none-allowed, granted by an exception", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.algorithms = QStringList{QStringLiteral("none")};
    }), "alg-none-allowed", "error", "exceptions[0].allow.algorithms", login);
    add("alg-unknown, wrong case", Mutation([](Policy& p) { p.defaults.algorithms = QStringList{QStringLiteral("rs256")}; }), "alg-unknown", "error", "defaults.algorithms", login);
    add("alg-unknown, unsupported name", Mutation([](Policy& p) { p.defaults.algorithms->append(QStringLiteral("ES256K")); }), "alg-unknown", "error", "defaults.algorithms", login);
    add("alg-families-mixed", Mutation([](Policy& p) {
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("HS256")};
    }), "alg-families-mixed", "error", "issuers[0].overrides.algorithms", login);
    add("exception-mixes-families", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.algorithms = QStringList{QStringLiteral("HS256")};
    }), "exception-mixes-families", "info", "exceptions[0].allow.algorithms", login);
    add("alg-pin-empty", Mutation([](Policy& p) { p.defaults.algorithms = QStringList(); }), "alg-pin-empty", "warning", "defaults.algorithms", login);
    add("alg-pin-empty, only unusable names", Mutation([](Policy& p) { p.defaults.algorithms = QStringList{QStringLiteral("none")}; }), "alg-pin-empty", "warning", "defaults.algorithms", login);
    add("symmetric-with-jwks-uri", Mutation([](Policy& p) {
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("HS256")};
        p.issuers[0].keys.resolved = {hmac(32, QStringLiteral("shared"))};
    }), "symmetric-with-jwks-uri", "error", "issuers[0].keys.jwks_uri", login);
    add("key-set-mixed", Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(hmac(32, QStringLiteral("shared")));
    }), "key-set-mixed", "error", "issuers[0].keys", login);
    add("header-key-selecting-allowed, jku",
        Mutation([](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("jku")); }),
        "header-key-selecting-allowed", "error", "defaults.allowed_headers", login);
    add("header-key-selecting-allowed, x5u",
        Mutation([](Policy& p) { p.issuers[0].overrides.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("x5u")}; }),
        "header-key-selecting-allowed", "error", "issuers[0].overrides.allowed_headers", login);
    add("header-key-selecting-allowed, jwk",
        Mutation([](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("jwk")); }),
        "header-key-selecting-allowed", "error", "defaults.allowed_headers", login);
    add("header-key-selecting-allowed, x5c",
        Mutation([](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("x5c")); }),
        "header-key-selecting-allowed", "error", "defaults.allowed_headers", login);
    add("header-key-selecting-allowed, granted by an exception", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.headers = QStringList{QStringLiteral("x5c")};
    }), "header-key-selecting-allowed", "error", "exceptions[0].allow.headers", login);
    add("crit-allowed", Mutation([](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("crit")); }), "crit-allowed", "warning", "defaults.allowed_headers", login);
    add("type-unchecked", Mutation([](Policy& p) { p.defaults.allowedTypes.reset(); }), "type-unchecked", "info", "defaults.allowed_types", login);
    add("skew-above-60", Mutation([](Policy& p) { p.defaults.clockSkewSeconds = 61; }), "skew-above-60", "warning", "defaults.clock_skew_seconds", login);
    add("skew-above-60, granted by an exception", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.clockSkewSeconds = 120;
    }), "skew-above-60", "warning", "exceptions[0].allow.clock_skew_seconds", login);
    add("lifetime-missing", Mutation([](Policy& p) { p.defaults.maxLifetimeSeconds.reset(); }), "lifetime-missing", "warning", "defaults.max_lifetime_seconds", login);
    add("lifetime-above-1h", Mutation([](Policy& p) { p.issuers[0].overrides.maxLifetimeSeconds = 3601; }), "lifetime-above-1h", "warning", "issuers[0].overrides.max_lifetime_seconds", login);
    add("lifetime-above-1h, granted by an exception", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.maxLifetimeSeconds = 86400;
    }), "lifetime-above-1h", "warning", "exceptions[0].allow.max_lifetime_seconds", login);
    add("exp-not-required", Mutation([](Policy& p) { p.defaults.requiredClaims = QStringList{QStringLiteral("iat")}; }), "exp-not-required", "error", "defaults.required_claims", login);
    add("issuer-no-audience", Mutation([](Policy& p) { p.issuers[0].audiences.clear(); }), "issuer-no-audience", "error", "issuers[0].audiences", login);
    add("audience-cross-trust-domain", Mutation([](Policy& p) {
        p.issuers.append(partnerIssuer(QStringLiteral("partners")));
        p.issuers[1].audiences.append(QStringLiteral("payments-api"));
    }), "audience-cross-trust-domain", "warning", "issuers[1].audiences[1]", partner);
    add("audience-cross-trust-domain, undeclared domain", Mutation([](Policy& p) {
        p.issuers.append(partnerIssuer(QString()));
        p.issuers[1].audiences = QStringList{QStringLiteral("payments-api")};
    }), "audience-cross-trust-domain", "warning", "issuers[1].audiences[0]", partner);
    add("jwks-uri-not-https", Mutation([](Policy& p) {
        p.issuers[0].keys.jwksUri = QStringLiteral("http://login.example.com/.well-known/jwks.json");
    }), "jwks-uri-not-https", "error", "issuers[0].keys.jwks_uri", login);
    add("jwks-uri-foreign-host", Mutation([](Policy& p) {
        p.issuers[0].keys.jwksUri = QStringLiteral("https://keys.cdn.example.net/login.json");
    }), "jwks-uri-foreign-host", "warning", "issuers[0].keys.jwks_uri", login);
    add("issuer-no-keys", Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.clear();
        p.issuers[0].keys.jwksUri.clear();
    }), "issuer-no-keys", "warning", "issuers[0].keys", login);
    add("key-weak, RSA 1024", Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(weakKeyFromPrivatePem("rsa1024-private.pem"));
    }), "key-weak", "error", "issuers[0].keys", login);
    add("key-weak, HMAC shorter than HS512's hash", Mutation([](Policy& p) {
        p.issuers[0].keys.jwksUri.clear();
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("HS512")};
        p.issuers[0].keys.resolved = {hmac(32, QStringLiteral("shared"))};
    }), "key-weak", "error", "issuers[0].keys", login);
    add("key-duplicate-kid", Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(keyFromFile("rsa2048-cert.pem", QStringLiteral("login-1")));
    }), "key-duplicate-kid", "warning", "issuers[0].keys", login);
    add("key-unusable", Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(keyFromFile("ec-p256-public.pem", QStringLiteral("ec-1")));
    }), "key-unusable", "warning", "issuers[0].keys", login);
    add("key-no-kid-required", Mutation([](Policy& p) {
        p.defaults.requireKid = true;
        p.issuers[0].keys.resolved.append(keyFromFile("rsa2048-cert.pem", QString()));
    }), "key-no-kid-required", "warning", "issuers[0].keys", login);
    add("test-key-present", Mutation([](Policy& p) { p.issuers[0].keys.resolved[0].testKey = true; }), "test-key-present", "error", "issuers[0].keys", login);
    add("exception-no-owner", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].owner.clear();
    }), "exception-no-owner", "error", "exceptions[0].owner", login);
    add("exception-no-reason", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].reason = QStringLiteral("  ");
    }), "exception-no-reason", "warning", "exceptions[0].reason", login);
    add("exception-unknown-issuer", Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].issuer = QStringLiteral("https://login.example.com"); // no trailing slash
    }), "exception-unknown-issuer", "error", "exceptions[0].issuer", QStringLiteral("https://login.example.com"));
    add("exception-expired", Mutation([](Policy& p) { p.exceptions.append(exceptionFor(p, kAt - kDay)); }), "exception-expired", "warning", "exceptions[0].expires", login);
    add("exception-expiring", Mutation([](Policy& p) { p.exceptions.append(exceptionFor(p, kAt + 3 * kDay)); }), "exception-expiring", "warning", "exceptions[0].expires", login);
    add("delegation-any-actor", Mutation([](Policy& p) {
        p.hasDelegation = true;
        p.delegation.act = policy::Delegation::Act::Allow;
    }), "delegation-any-actor", "warning", "delegation.allowed_actors", QString());
}

void TestLint::eachRule_firesOnItsTrigger_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("severity");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("issuer");
    triggerRows([](const char* tag, Mutation mutate, const char* rule, const char* severity, const char* path,
                   const QString& issuer) {
        QTest::newRow(tag) << mutate << rule << severity << path << issuer;
    });
}

void TestLint::eachRule_firesOnItsTrigger()
{
    QFETCH(Mutation, mutate);
    QFETCH(QString, rule);
    QFETCH(QString, severity);
    QFETCH(QString, path);
    QFETCH(QString, issuer);

    Policy p = cleanPolicy();
    mutate(p);
    const QList<lint::Finding> all = lint::lintPolicy(p, kAt);
    const QList<lint::Finding> hits = findingsOf(all, rule);
    QVERIFY2(!hits.isEmpty(), qPrintable(QStringLiteral("no %1 in: %2").arg(rule, describe(all))));
    bool matched = false;
    for (const lint::Finding& f : hits) {
        QCOMPARE(lint::severityName(f.severity), severity);
        QVERIFY(!f.message.isEmpty());
        QVERIFY(!f.reference.isEmpty());
        matched = matched || (f.path == path && f.issuer == issuer);
    }
    QVERIFY2(matched, qPrintable(QStringLiteral("expected at %1 (%2), got: %3").arg(path, issuer, describe(hits))));
}

void TestLint::eachRule_silentOnNearMiss_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<QString>("rule");

    QTest::newRow("policy-no-owner: owner set") << Mutation([](Policy&) {}) << "policy-no-owner";
    QTest::newRow("alg-none-allowed: RS256 only") << Mutation([](Policy&) {}) << "alg-none-allowed";
    QTest::newRow("alg-unknown: every registered name") << Mutation([](Policy& p) {
        p.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("RS384"), QStringLiteral("PS256")};
    }) << "alg-unknown";
    QTest::newRow("alg-families-mixed: two asymmetric families") << Mutation([](Policy& p) {
        p.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("ES256")};
    }) << "alg-families-mixed";
    QTest::newRow("alg-families-mixed: HMAC alone") << Mutation([](Policy& p) {
        p.defaults.algorithms = QStringList{QStringLiteral("HS256"), QStringLiteral("HS512")};
    }) << "alg-families-mixed";
    QTest::newRow("alg-families-mixed: HMAC only through a dated exception") << Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt + 60 * kDay));
        p.exceptions[0].allow.algorithms = QStringList{QStringLiteral("HS256")};
    }) << "alg-families-mixed";
    QTest::newRow("symmetric-with-jwks-uri: HMAC without jwks_uri") << Mutation([](Policy& p) {
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("HS256")};
        p.issuers[0].keys.jwksUri.clear();
        p.issuers[0].keys.resolved = {hmac(32, QStringLiteral("shared"))};
    }) << "symmetric-with-jwks-uri";
    QTest::newRow("header-key-selecting-allowed: x5t is only a hint")
        << Mutation([](Policy& p) { p.defaults.allowedHeaders->append(QStringLiteral("x5t")); })
        << "header-key-selecting-allowed";
    QTest::newRow("crit-allowed: beside a known extension") << Mutation([](Policy& p) {
        p.defaults.allowedHeaders->append({QStringLiteral("crit"), QStringLiteral("b64")});
    }) << "crit-allowed";
    QTest::newRow("skew-above-60: exactly 60")
        << Mutation([](Policy& p) { p.defaults.clockSkewSeconds = 60; }) << "skew-above-60";
    QTest::newRow("skew-above-60: wide skew only in an expired exception") << Mutation([](Policy& p) {
        p.exceptions.append(exceptionFor(p, kAt));
        p.exceptions[0].allow.clockSkewSeconds = 300;
    }) << "skew-above-60";
    QTest::newRow("lifetime-missing: every issuer sets its own") << Mutation([](Policy& p) {
        p.defaults.maxLifetimeSeconds.reset();
        p.issuers[0].overrides.maxLifetimeSeconds = 600;
    }) << "lifetime-missing";
    QTest::newRow("lifetime-above-1h: exactly one hour")
        << Mutation([](Policy& p) { p.defaults.maxLifetimeSeconds = 3600; }) << "lifetime-above-1h";
    QTest::newRow("lifetime-above-1h: long default overridden by every issuer") << Mutation([](Policy& p) {
        p.defaults.maxLifetimeSeconds = 86400;
        p.issuers[0].overrides.maxLifetimeSeconds = 900;
    }) << "lifetime-above-1h";
    QTest::newRow("exp-not-required: exp among others") << Mutation([](Policy& p) {
        p.defaults.requiredClaims = QStringList{QStringLiteral("iat"), QStringLiteral("exp")};
    }) << "exp-not-required";
    QTest::newRow("issuer-no-audience: one audience") << Mutation([](Policy&) {}) << "issuer-no-audience";
    QTest::newRow("audience-cross-trust-domain: same trust domain") << Mutation([](Policy& p) {
        p.issuers.append(partnerIssuer(QStringLiteral("workforce")));
        p.issuers[1].audiences.append(QStringLiteral("payments-api"));
    }) << "audience-cross-trust-domain";
    QTest::newRow("audience-cross-trust-domain: distinct audiences")
        << Mutation([](Policy& p) { p.issuers.append(partnerIssuer(QStringLiteral("partners"))); })
        << "audience-cross-trust-domain";
    QTest::newRow("jwks-uri-not-https: https") << Mutation([](Policy&) {}) << "jwks-uri-not-https";
    QTest::newRow("jwks-uri-foreign-host: same host, other case") << Mutation([](Policy& p) {
        p.issuers[0].keys.jwksUri = QStringLiteral("https://LOGIN.example.com/keys");
    }) << "jwks-uri-foreign-host";
    QTest::newRow("jwks-uri-foreign-host: issuer is not a URL") << Mutation([](Policy& p) {
        p.issuers[0].issuer = QStringLiteral("login-service");
    }) << "jwks-uri-foreign-host";
    QTest::newRow("issuer-no-keys: keys published at a jwks_uri")
        << Mutation([](Policy& p) { p.issuers[0].keys.resolved.clear(); }) << "issuer-no-keys";
    QTest::newRow("key-weak: RSA 2048") << Mutation([](Policy&) {}) << "key-weak";
    QTest::newRow("key-weak: HMAC as long as the hash") << Mutation([](Policy& p) {
        p.issuers[0].keys.jwksUri.clear();
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("HS512")};
        p.issuers[0].keys.resolved = {hmac(64, QStringLiteral("shared"))};
    }) << "key-weak";
    QTest::newRow("key-duplicate-kid: distinct kids") << Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(keyFromFile("rsa2048-cert.pem", QStringLiteral("login-2")));
    }) << "key-duplicate-kid";
    QTest::newRow("key-unusable: pin covers the EC key") << Mutation([](Policy& p) {
        p.issuers[0].keys.resolved.append(keyFromFile("ec-p256-public.pem", QStringLiteral("ec-1")));
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("ES256")};
    }) << "key-unusable";
    QTest::newRow("key-no-kid-required: require_kid off") << Mutation([](Policy& p) {
        p.defaults.requireKid = false;
        p.issuers[0].overrides.requireKid.reset();
        p.issuers[0].keys.resolved.append(keyFromFile("rsa2048-cert.pem", QString()));
    }) << "key-no-kid-required";
    QTest::newRow("key-no-kid-required: every key has a kid") << Mutation([](Policy& p) {
        p.defaults.requireKid = true;
    }) << "key-no-kid-required";
    QTest::newRow("test-key-present: real keys only") << Mutation([](Policy&) {}) << "test-key-present";
    QTest::newRow("exception-no-owner: owned")
        << Mutation([](Policy& p) { p.exceptions.append(exceptionFor(p, kAt + 60 * kDay)); }) << "exception-no-owner";
    QTest::newRow("exception-unknown-issuer: names a policy issuer")
        << Mutation([](Policy& p) { p.exceptions.append(exceptionFor(p, kAt + 60 * kDay)); })
        << "exception-unknown-issuer";
    QTest::newRow("delegation-any-actor: actors listed") << Mutation([](Policy& p) {
        p.hasDelegation = true;
        p.delegation.act = policy::Delegation::Act::Allow;
        p.delegation.allowedActors = QStringList{QStringLiteral("gateway")};
    }) << "delegation-any-actor";
    QTest::newRow("delegation-any-actor: act rejected") << Mutation([](Policy& p) {
        p.hasDelegation = true;
        p.delegation.act = policy::Delegation::Act::Reject;
    }) << "delegation-any-actor";
    QTest::newRow("type-unchecked: types listed") << Mutation([](Policy&) {}) << "type-unchecked";
    QTest::newRow("alg-pin-empty: pinned") << Mutation([](Policy&) {}) << "alg-pin-empty";
    QTest::newRow("policy-no-issuers: one issuer") << Mutation([](Policy&) {}) << "policy-no-issuers";
}

void TestLint::eachRule_silentOnNearMiss()
{
    QFETCH(Mutation, mutate);
    QFETCH(QString, rule);
    Policy p = cleanPolicy();
    mutate(p);
    const QList<lint::Finding> all = lint::lintPolicy(p, kAt);
    QVERIFY2(findingsOf(all, rule).isEmpty(), qPrintable(describe(all)));
}

void TestLint::everyRule_hasATriggerRow()
{
    QSet<QString> triggered;
    triggerRows([&triggered](const char*, Mutation, const char* rule, const char*, const char*, const QString&) {
        triggered.insert(QString::fromLatin1(rule));
    });
    for (const lint::RuleInfo& rule : lint::allRules())
        QVERIFY2(triggered.contains(rule.id), qPrintable(QStringLiteral("no trigger row for ") + rule.id));
    QCOMPARE(triggered.size(), lint::allRules().size());
}

void TestLint::exceptionExpiry_judgedOnBothSidesOfTheInstant_data()
{
    QTest::addColumn<qint64>("expiresOffset");
    QTest::addColumn<QString>("expected"); // rule id, or empty for none

    QTest::newRow("expired a day ago") << qint64(-kDay) << "exception-expired";
    QTest::newRow("expired one second ago") << qint64(-1) << "exception-expired";
    QTest::newRow("expires at the instant (no longer active)") << qint64(0) << "exception-expired";
    QTest::newRow("expires in one second") << qint64(1) << "exception-expiring";
    QTest::newRow("expires in exactly 14 days") << qint64(14 * kDay) << "exception-expiring";
    QTest::newRow("expires in 14 days and a second") << qint64(14 * kDay + 1) << "";
    QTest::newRow("expires in 90 days") << qint64(90 * kDay) << "";
}

void TestLint::exceptionExpiry_judgedOnBothSidesOfTheInstant()
{
    QFETCH(qint64, expiresOffset);
    QFETCH(QString, expected);
    Policy p = cleanPolicy();
    p.exceptions.append(exceptionFor(p, kAt + expiresOffset));
    const QList<lint::Finding> all = lint::lintPolicy(p, kAt);
    QStringList expiry;
    for (const lint::Finding& f : all) {
        if (f.ruleId == u"exception-expired" || f.ruleId == u"exception-expiring")
            expiry.append(f.ruleId);
    }
    QCOMPARE(expiry, expected.isEmpty() ? QStringList() : QStringList{expected});
    QVERIFY2(all.size() == expiry.size(), qPrintable(describe(all)));
}

void TestLint::expiredException_loosensNothing_soItsGrantsAreNotLinted()
{
    Policy p = cleanPolicy();
    p.exceptions.append(exceptionFor(p, kAt - kDay));
    p.exceptions[0].allow.algorithms = QStringList{QStringLiteral("none")};
    p.exceptions[0].allow.headers = QStringList{QStringLiteral("jku")};
    const QList<lint::Finding> expired = lint::lintPolicy(p, kAt);
    QCOMPARE(ruleIds(expired), QStringList{QStringLiteral("exception-expired@exceptions[0].expires")});

    // The same exception, judged before its expiry, grants and is reported.
    const QList<lint::Finding> active = lint::lintPolicy(p, kAt - 30 * kDay);
    QCOMPARE(findingsOf(active, QStringLiteral("alg-none-allowed")).size(), 1);
    QCOMPARE(findingsOf(active, QStringLiteral("header-key-selecting-allowed")).size(), 1);
}

void TestLint::inheritedDefault_reportedOnceForAllInheritingIssuers()
{
    Policy p = cleanPolicy();
    p.issuers.append(partnerIssuer(QStringLiteral("partners")));
    p.defaults.clockSkewSeconds = 120;
    const QList<lint::Finding> skew = findingsOf(lint::lintPolicy(p, kAt), QStringLiteral("skew-above-60"));
    QCOMPARE(skew.size(), 1);
    QCOMPARE(skew.first().path, QStringLiteral("defaults.clock_skew_seconds"));
    QCOMPARE(skew.first().issuer, QString()); // several issuers: none singled out
    QVERIFY(skew.first().message.contains(QStringLiteral("https://login.example.com/")));
    QVERIFY(skew.first().message.contains(QStringLiteral("https://auth.partner.example.net/")));
    QVERIFY(skew.first().message.contains(QStringLiteral("2 min")));
}

void TestLint::inheritedDefault_manyIssuers_messageNamesAFew()
{
    Policy p = cleanPolicy();
    for (int i = 1; i < 7; ++i) {
        policy::Issuer issuer = p.issuers.first();
        issuer.issuer = QStringLiteral("https://tenant%1.example.com/").arg(i);
        issuer.keys.jwksUri = QStringLiteral("https://tenant%1.example.com/jwks").arg(i);
        p.issuers.append(issuer);
    }
    p.defaults.maxLifetimeSeconds = 7200;
    const QList<lint::Finding> all = lint::lintPolicy(p, kAt);
    QCOMPARE(ruleIds(all), QStringList{QStringLiteral("lifetime-above-1h@defaults.max_lifetime_seconds")});
    QVERIFY2(all.first().message.contains(QStringLiteral("inherited by 7 issuers")), qPrintable(all.first().message));
    QVERIFY2(all.first().message.contains(QStringLiteral("and 2 more")), qPrintable(all.first().message));
    QVERIFY(!all.first().message.contains(QStringLiteral("tenant6")));
}

void TestLint::override_reportedOnTheIssuersOwnPath()
{
    Policy p = cleanPolicy();
    p.issuers.append(partnerIssuer(QStringLiteral("partners")));
    p.defaults.clockSkewSeconds = 120;
    p.issuers[0].overrides.clockSkewSeconds = 10;
    p.issuers[1].overrides.clockSkewSeconds = 90;
    const QList<lint::Finding> skew = findingsOf(lint::lintPolicy(p, kAt), QStringLiteral("skew-above-60"));
    QCOMPARE(skew.size(), 1); // the 120 s default reaches nobody
    QCOMPARE(skew.first().path, QStringLiteral("issuers[1].overrides.clock_skew_seconds"));
    QCOMPARE(skew.first().issuer, QStringLiteral("https://auth.partner.example.net/"));
}

void TestLint::findings_sortedErrorsFirstAndDeterministic()
{
    Policy p = cleanPolicy();
    p.owner.clear();                                          // warning
    p.defaults.allowedTypes.reset();                          // info
    p.defaults.algorithms->append(QStringLiteral("none"));    // error
    p.issuers[0].audiences.clear();                           // error
    const QList<lint::Finding> first = lint::lintPolicy(p, kAt);
    QCOMPARE(ruleIds(first), ruleIds(lint::lintPolicy(p, kAt)));
    QCOMPARE(ruleIds(first), (QStringList{QStringLiteral("alg-none-allowed@defaults.algorithms"),
                                          QStringLiteral("issuer-no-audience@issuers[0].audiences"),
                                          QStringLiteral("policy-no-owner@owner"),
                                          QStringLiteral("type-unchecked@defaults.allowed_types")}));
}

void TestLint::loadedPolicy_findingsCarryFileLines()
{
    const Result<Policy> loaded = policy::loadPolicyFile(QStringLiteral(JWB_TEST_DATA "/lint/lines.yaml"));
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    const QList<lint::Finding> all = lint::lintPolicy(*loaded, kAt);

    // Expected lines are marked in the file with "# lint: RULE" comments.
    QFile file(QStringLiteral(JWB_TEST_DATA "/lint/lines.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    QStringList expected;
    for (int i = 0; i < lines.size(); ++i) {
        const qsizetype mark = lines.at(i).indexOf(QStringLiteral("# lint: "));
        if (mark >= 0)
            expected.append(QStringLiteral("%1:%2").arg(lines.at(i).mid(mark + 8).trimmed()).arg(i + 1));
    }
    QStringList actual;
    for (const lint::Finding& f : all)
        actual.append(QStringLiteral("%1:%2").arg(f.ruleId).arg(f.line));
    expected.sort();
    actual.sort();
    QCOMPARE(actual, expected);

    // Key findings point at the key itself.
    const QList<lint::Finding> testKeys = findingsOf(all, QStringLiteral("test-key-present"));
    QCOMPARE(testKeys.size(), 1);
    QCOMPARE(testKeys.first().path, QStringLiteral("issuers[1].keys.test_jwks.keys[0]"));
    QCOMPARE(findingsOf(all, QStringLiteral("key-duplicate-kid")).first().path,
             QStringLiteral("issuers[0].keys.jwks.keys[1]"));

    // A date-only expiry is shown as written, not as the next midnight it is stored as.
    const QList<lint::Finding> expiring = findingsOf(all, QStringLiteral("exception-expiring"));
    QCOMPARE(expiring.size(), 1);
    QVERIFY2(expiring.first().message.contains(QStringLiteral("2026-11-30")), qPrintable(expiring.first().message));
}

void TestLint::samplePolicies_showExactlyTheirIntendedFindings_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected"); // "rule@path", in report order

    // What each shipped policy is meant to show. A new file in resources/policies needs a row.
    const QHash<QString, QStringList> intended{
        {QStringLiteral("sample.yaml"),
         {QStringLiteral("exception-mixes-families@exceptions[0].allow.algorithms")}},
        {QStringLiteral("sample.json"),
         {QStringLiteral("exception-mixes-families@exceptions[0].allow.algorithms")}},
        {QStringLiteral("weak.yaml"),
         {QStringLiteral("alg-none-allowed@defaults.algorithms"),
          QStringLiteral("header-key-selecting-allowed@defaults.allowed_headers"),
          QStringLiteral("skew-above-60@defaults.clock_skew_seconds"),
          QStringLiteral("lifetime-missing@defaults.max_lifetime_seconds"),
          QStringLiteral("type-unchecked@defaults.allowed_types")}},
    };
    const QDir dir(QStringLiteral(JWB_SOURCE_DIR "/resources/policies"));
    const QStringList files = dir.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml"), QStringLiteral("*.json")},
                                            QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString& name : files) {
        QTest::newRow(qPrintable(name)) << dir.filePath(name)
                                        << intended.value(name, {QStringLiteral("<no intended findings listed>")});
    }
}

void TestLint::samplePolicies_showExactlyTheirIntendedFindings()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    const Result<Policy> loaded = policy::loadPolicyFile(file);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    const QList<lint::Finding> all = lint::lintPolicy(*loaded, kAt);
    QCOMPARE(ruleIds(all), expected);
    for (const lint::Finding& f : all)
        QVERIFY2(f.line > 0, qPrintable(f.ruleId + QStringLiteral(" has no file line")));
}

QTEST_GUILESS_MAIN(TestLint)
#include "tst_lint.moc"
