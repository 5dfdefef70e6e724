// SPDX-License-Identifier: Apache-2.0
// Service exporters (issue 21): every service target reports every control for every issuer, the
// library facts the rows state (what each library does by itself, what the generated code does,
// what neither can), HMAC secrets only as environment variable names, --issuer narrowing and the
// library calls the generated code is built on. tests/live/tst_services_live.cpp runs the code.
#include "export/Export.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QSet>
#include <QTest>

using namespace jwb;
using exporting::GapStatus;
using exporting::Target;

namespace {

const QString kLogin = QStringLiteral("https://login.example.com/");
const QString kPartner = QStringLiteral("https://auth.partner.example.net/");
const QString kBilling = QStringLiteral("https://billing.internal.example.com/");
const char kSampleSecret[] = "NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh";

policy::Policy load(const QString& path)
{
    auto p = policy::loadPolicyFile(path);
    if (!p)
        qFatal("cannot load %s: %s", qPrintable(path), qPrintable(p.error().toString()));
    return *p;
}

policy::Policy sample() { return load(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml")); }
policy::Policy edge() { return load(QStringLiteral(JWB_TEST_DATA "/export/edge.yaml")); }

// The sample's billing exception (until 2027-03-31) is active then.
exporting::ExportProfile profile(const QString& issuer = {})
{
    exporting::ExportProfile p;
    p.atUnixSeconds = util::parseInstant(QStringLiteral("2026-12-01T00:00:00Z")).value();
    p.issuer = issuer;
    return p;
}

exporting::ExportResult exportOrFail(const policy::Policy& policy, Target t, const QString& issuer = {})
{
    auto r = exporting::exportPolicy(policy, t, profile(issuer));
    if (!r)
        qFatal("export failed: %s", qPrintable(r.error().toString()));
    return *r;
}

const exporting::GapEntry* findGap(const QList<exporting::GapEntry>& gaps, const QString& issuer, const QString& control)
{
    for (const auto& g : gaps) {
        if (g.issuer == issuer && g.control == control)
            return &g;
    }
    return nullptr;
}

} // namespace

class TestExportServices final : public QObject {
    Q_OBJECT

private slots:
    void serviceTargets_areListedNamedAndRoundTrip()
    {
        const QList<Target> services = exporting::serviceTargets();
        QCOMPARE(services.size(), 7);
        QStringList names;
        for (Target t : services) {
            names << exporting::targetName(t);
            QVERIFY2(exporting::allTargets().contains(t), qPrintable(exporting::targetName(t)));
            QVERIFY(!exporting::gatewayTargets().contains(t));
            QCOMPARE(exporting::targetFromName(exporting::targetName(t)), std::optional<Target>(t));
        }
        QCOMPARE(names, (QStringList{QStringLiteral("service:jose"), QStringLiteral("service:jsonwebtoken"),
                                     QStringLiteral("service:pyjwt"), QStringLiteral("service:jwcrypto"),
                                     QStringLiteral("service:golang-jwt"), QStringLiteral("service:spring"),
                                     QStringLiteral("service:dotnet")}));
    }

    void gapRows_coverEveryControlForEveryIssuer_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<bool>("edgePolicy");
        for (Target t : exporting::serviceTargets()) {
            QTest::newRow(qPrintable(exporting::targetName(t) + QStringLiteral(" sample"))) << int(t) << false;
            QTest::newRow(qPrintable(exporting::targetName(t) + QStringLiteral(" edge"))) << int(t) << true;
        }
    }

    void gapRows_coverEveryControlForEveryIssuer()
    {
        QFETCH(int, target);
        QFETCH(bool, edgePolicy);
        const auto policy = edgePolicy ? edge() : sample();
        const auto r = exportOrFail(policy, static_cast<Target>(target));
        const QStringList controls = exporting::controlIds();
        QCOMPARE(r.gaps.size(), policy.issuers.size() * controls.size());
        for (const auto& iss : policy.issuers) {
            QStringList seen;
            for (const auto& g : r.gaps) {
                if (g.issuer != iss.issuer)
                    continue;
                QCOMPARE(g.target, exporting::targetName(static_cast<Target>(target)));
                QVERIFY2(!g.detail.isEmpty(), qPrintable(g.control));
                // The gateway wording ("the service behind it") is never used for a service.
                QVERIFY2(!g.detail.contains(QStringLiteral("service behind it")), qPrintable(g.detail));
                seen << g.control;
            }
            QCOMPARE(seen, controls);
        }
        QVERIFY(!r.fileName.isEmpty());
        QVERIFY(r.text.startsWith("//") || r.text.startsWith("#"));
    }

    void gapRows_stateLibraryFacts_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("control");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("exported");
        const int E = int(GapStatus::Enforced), M = int(GapStatus::Emulated), N = int(GapStatus::NotEnforced),
                  U = int(GapStatus::NotUsed);
        auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };
        // jose: maxTokenAge bounds the age, so iat in the future and exp - iat are code.
        row("jose iat is code") << int(Target::ServiceJose) << kLogin << "iat" << M << "";
        row("jose lifetime is code") << int(Target::ServiceJose) << kLogin << "max_lifetime" << M << "3600 s";
        row("jose audience by option") << int(Target::ServiceJose) << kLogin << "audience_binding" << E
                                       << "payments-api, ledger-api";
        row("jose exp required by requiredClaims") << int(Target::ServiceJose) << kLogin << "exp_required" << E << "";
        row("jose skew by clockTolerance") << int(Target::ServiceJose) << kPartner << "clock_skew" << E << "10 s";
        row("jose header allowlist is code") << int(Target::ServiceJose) << kLogin << "header_allowlist" << M
                                             << "alg, typ, kid";
        row("jose typ is code") << int(Target::ServiceJose) << kLogin << "typ" << M << "jwt, at+jwt";
        // jsonwebtoken: exp only when present, no requiredClaims option.
        row("jsonwebtoken exp required is code") << int(Target::ServiceJsonwebtoken) << kLogin << "exp_required" << M << "";
        row("jsonwebtoken required claims are code") << int(Target::ServiceJsonwebtoken) << kLogin << "required_claims"
                                                     << M << "exp, iat, sub";
        row("jsonwebtoken issuer by option") << int(Target::ServiceJsonwebtoken) << kLogin << "issuer" << E << "";
        // PyJWT: leeway default 0 but settable; future iat refused by the library.
        row("pyjwt iat by library") << int(Target::ServicePyjwt) << kLogin << "iat" << E << "";
        row("pyjwt skew by leeway") << int(Target::ServicePyjwt) << kLogin << "clock_skew" << E << "30 s";
        row("pyjwt require option") << int(Target::ServicePyjwt) << kLogin << "required_claims" << E << "exp, iat, sub";
        // jwcrypto: check_claims turns its exp/nbf defaults off; aud takes one value.
        row("jwcrypto nbf is code") << int(Target::ServiceJwcrypto) << kLogin << "nbf" << M << "";
        row("jwcrypto audience is code") << int(Target::ServiceJwcrypto) << kLogin << "audience_binding" << M
                                         << "payments-api, ledger-api";
        row("jwcrypto exp required by check_claims") << int(Target::ServiceJwcrypto) << kLogin << "exp_required" << E << "";
        // golang-jwt v4: no leeway at all, no issuer/audience check by default.
        row("golang-jwt skew is code") << int(Target::ServiceGolangJwt) << kPartner << "clock_skew" << M << "10 s";
        row("golang-jwt issuer is code") << int(Target::ServiceGolangJwt) << kLogin << "issuer" << M << "";
        row("golang-jwt alg by WithValidMethods") << int(Target::ServiceGolangJwt) << kLogin << "algorithm_pin" << E
                                                  << "RS256";
        // Spring / .NET: generated only.
        row("spring issuer validator") << int(Target::ServiceSpring) << kLogin << "issuer" << E << "";
        row("spring audience is code") << int(Target::ServiceSpring) << kLogin << "audience_binding" << M
                                       << "payments-api, ledger-api";
        row("dotnet audience by ValidAudiences") << int(Target::ServiceDotnet) << kLogin << "audience_binding" << E
                                                 << "payments-api, ledger-api";
        row("dotnet exp by RequireExpirationTime") << int(Target::ServiceDotnet) << kLogin << "exp_required" << E << "";
        // Same on every service: subjects are code, nothing is fetched, the exception is carried.
        row("billing subjects are code") << int(Target::ServicePyjwt) << kBilling << "subject" << M
                                         << "billing-batch, billing-ui";
        row("no key refresh") << int(Target::ServiceJose) << kLogin << "key_refresh" << U << "";
        row("exception cannot expire") << int(Target::ServiceJose) << kBilling << "exceptions" << N << "";
        row("exception widens alg pin") << int(Target::ServiceJose) << kBilling << "algorithm_pin" << N
                                        << "RS256, HS256";
        row("hmac secret from environment") << int(Target::ServiceGolangJwt) << kBilling << "key_pinning" << N
                                            << "1 pinned key(s), 1 secret(s) from the environment";
        row("login keys pinned") << int(Target::ServiceJsonwebtoken) << kLogin << "key_pinning" << E << "1 pinned key(s)";
    }

    void gapRows_stateLibraryFacts()
    {
        QFETCH(int, target);
        QFETCH(QString, issuer);
        QFETCH(QString, control);
        QFETCH(int, status);
        QFETCH(QString, exported);
        const auto gaps = exportOrFail(sample(), static_cast<Target>(target)).gaps;
        const auto* g = findGap(gaps, issuer, control);
        QVERIFY(g);
        QCOMPARE(exporting::gapStatusName(g->status), exporting::gapStatusName(static_cast<GapStatus>(status)));
        QCOMPARE(g->exported, exported);
    }

    void hmacSecret_isNeverWritten_onlyItsEnvironmentVariable()
    {
        const auto policy = sample();
        for (Target t : exporting::serviceTargets()) {
            const auto r = exportOrFail(policy, t);
            QVERIFY2(!r.text.contains(kSampleSecret), qPrintable(exporting::targetName(t)));
            for (const auto& extra : r.extraFiles)
                QVERIFY(!extra.contains(kSampleSecret));
            const auto* pin = findGap(r.gaps, kBilling, QStringLiteral("key_pinning"));
            QVERIFY(pin);
            QVERIFY2(pin->detail.contains(QStringLiteral("JWB_HMAC_SECRET_BILLING_BATCH_HS256")), qPrintable(pin->detail));
            QVERIFY2(r.text.contains("JWB_HMAC_SECRET_BILLING_BATCH_HS256"), qPrintable(exporting::targetName(t)));
        }
    }

    void generatedCode_isBuiltOnTheLibraryCalls_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QStringList>("fragments");
        QTest::newRow("jose") << int(Target::ServiceJose)
                              << QStringList{QStringLiteral("createLocalJWKSet("), QStringLiteral("await jwtVerify(token"),
                                             QStringLiteral("clockTolerance: rules.clockSkewSeconds"),
                                             QStringLiteral("clockSkewSeconds: 10,")};
        QTest::newRow("jsonwebtoken") << int(Target::ServiceJsonwebtoken)
                                      << QStringList{QStringLiteral("jwt.verify(token, key"),
                                                     QStringLiteral("createPublicKey(`-----BEGIN PUBLIC KEY-----")};
        QTest::newRow("pyjwt") << int(Target::ServicePyjwt)
                               << QStringList{QStringLiteral("jwt.decode("), QStringLiteral("leeway=rules[\"clock_skew_seconds\"]"),
                                              QStringLiteral("options={\"require\": rules[\"required_claims\"]}")};
        QTest::newRow("jwcrypto") << int(Target::ServiceJwcrypto)
                                  << QStringList{QStringLiteral("jwt.JWT(check_claims=check_claims"),
                                                 QStringLiteral("verified.leeway = rules[\"clock_skew_seconds\"]")};
        QTest::newRow("golang-jwt") << int(Target::ServiceGolangJwt)
                                    << QStringList{QStringLiteral("\"github.com/golang-jwt/jwt/v4\""),
                                                   QStringLiteral("jwt.WithValidMethods(rules.Algorithms)"),
                                                   QStringLiteral("jwt.WithoutClaimsValidation()")};
        QTest::newRow("spring") << int(Target::ServiceSpring)
                                << QStringList{QStringLiteral("new NimbusJwtDecoder(processor)"),
                                               QStringLiteral("new JwtTimestampValidator(Duration.ofSeconds("),
                                               QStringLiteral("new ImmutableJWKSet<>(")};
        QTest::newRow("dotnet") << int(Target::ServiceDotnet)
                                << QStringList{QStringLiteral("new TokenValidationParameters"),
                                               QStringLiteral("TryAllIssuerSigningKeys = false"),
                                               QStringLiteral("ClockSkew = TimeSpan.FromSeconds(")};
    }

    void generatedCode_isBuiltOnTheLibraryCalls()
    {
        QFETCH(int, target);
        QFETCH(QStringList, fragments);
        const QString text = QString::fromUtf8(exportOrFail(sample(), static_cast<Target>(target)).text);
        for (const auto& f : fragments)
            QVERIFY2(text.contains(f), qPrintable(f));
        QVERIFY(text.contains(QStringLiteral("billing-hs256-until-migration")));
        QVERIFY(text.contains(QStringLiteral("re-export")));
    }

    void exports_areDeterministic()
    {
        const auto policy = sample();
        for (Target t : exporting::serviceTargets())
            QCOMPARE(exportOrFail(policy, t).text, exportOrFail(policy, t).text);
    }

    void issuerFlag_narrowsToOneIssuer()
    {
        const auto policy = sample();
        const auto r = exportOrFail(policy, Target::ServicePyjwt, kPartner);
        QCOMPARE(r.gaps.size(), exporting::controlIds().size());
        for (const auto& g : r.gaps)
            QCOMPARE(g.issuer, kPartner);
        QVERIFY(r.text.contains(kPartner.toUtf8()));
        QVERIFY(!r.text.contains(kLogin.toUtf8()));
        QVERIFY(!r.text.contains("billing-hs256-until-migration")); // the other issuer's exception stays out
        // A gateway target narrows the same way.
        const auto envoy = exportOrFail(policy, Target::Envoy, kPartner);
        QVERIFY(!envoy.text.contains(kLogin.toUtf8()));
    }

    void issuerFlag_unknownIssuer_isAnError()
    {
        const auto r = exporting::exportPolicy(sample(), Target::ServiceJose, profile(QStringLiteral("https://nobody/")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_EXPORT_UNKNOWN_ISSUER"));
    }

    void remoteOnlyIssuer_isAKeyPinningGap_andRejectedByTheCode()
    {
        const auto r = exportOrFail(edge(), Target::ServiceJose);
        const auto* pin = findGap(r.gaps, QStringLiteral("https://auth.remote.example.org/"), QStringLiteral("key_pinning"));
        QVERIFY(pin);
        QCOMPARE(pin->status, GapStatus::NotEnforced);
        QVERIFY(pin->detail.contains(QStringLiteral("https://keys.remote.example.org/jwks.json")));
        QVERIFY(pin->detail.contains(QStringLiteral("never fetches")));
        QVERIFY(r.text.contains("createLocalJWKSet({\"keys\":[]})"));
    }

    void testKeys_refusedUnlessStaging()
    {
        policy::Policy policy = sample();
        policy.issuers[0].keys.resolved[0].testKey = true;
        for (Target t : exporting::serviceTargets()) {
            const auto refused = exporting::exportPolicy(policy, t, profile());
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, QStringLiteral("ERR_EXPORT_TEST_KEYS"));
            auto staging = profile();
            staging.includeTestKeys = true;
            const auto staged = exporting::exportPolicy(policy, t, staging);
            QVERIFY(staged.ok());
            QVERIFY(staged->text.contains("STAGING EXPORT"));
            QCOMPARE(findGap(staged->gaps, kLogin, QStringLiteral("key_pinning"))->status, GapStatus::NotEnforced);
        }
    }

    void gapReport_coversGatewaysThenServices()
    {
        const auto policy = sample();
        const auto gaps = exporting::gapReport(policy, profile());
        QVERIFY(gaps.ok());
        const qsizetype perTarget = policy.issuers.size() * exporting::controlIds().size();
        const auto targets = exporting::gatewayTargets() + exporting::serviceTargets();
        QCOMPARE(gaps->size(), targets.size() * perTarget);
        for (qsizetype i = 0; i < targets.size(); ++i)
            QCOMPARE(gaps->at(i * perTarget).target, exporting::targetName(targets.at(i)));
    }
};

QTEST_GUILESS_MAIN(TestExportServices)
#include "tst_export_services.moc"
