// SPDX-License-Identifier: Apache-2.0
// Exporters: golden files per target for the sample policy and the edge test policy, YAML that
// parses with exactly the gateway field names, a gap report covering every control for every issuer,
// the gateway facts the report states, and PEM export of public keys.
//
// Regenerate the goldens after an intended change: JWB_UPDATE_GOLDEN=1 ./tst_export
#include "export/Export.h"
#include "keys/Key.h"
#include "keys/PemExport.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace jwb;
using exporting::GapStatus;
using exporting::Target;

namespace {

const QString kGoldenDir = QStringLiteral(JWB_TEST_DATA "/golden");

QString samplePath()
{
    return QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml");
}

QString edgePath()
{
    return QStringLiteral(JWB_TEST_DATA "/export/edge.yaml");
}

// A fixed instant: the sample's billing exception (until 2027-03-31) is active.
qint64 exportInstant()
{
    return util::parseInstant(QStringLiteral("2026-12-01T00:00:00Z")).value();
}

policy::Policy load(const QString& path)
{
    auto p = policy::loadPolicyFile(path);
    if (!p)
        qFatal("cannot load %s: %s", qPrintable(path), qPrintable(p.error().toString()));
    return *p;
}

exporting::ExportProfile profileAt(qint64 at)
{
    exporting::ExportProfile p;
    p.atUnixSeconds = at;
    p.ns = QStringLiteral("payments");
    p.selector.insert(QStringLiteral("app"), QStringLiteral("payments-api"));
    return p;
}

exporting::ExportResult exportOrFail(const policy::Policy& policy, Target t, qint64 at = exportInstant())
{
    auto r = exporting::exportPolicy(policy, t, profileAt(at));
    if (!r)
        qFatal("export failed: %s", qPrintable(r.error().toString()));
    return *r;
}

bool updating()
{
    return qEnvironmentVariableIntValue("JWB_UPDATE_GOLDEN") == 1;
}

// Compares with the golden file, or rewrites it when JWB_UPDATE_GOLDEN=1.
void checkGolden(const QString& name, const QByteArray& actual)
{
    // "service:jose" names a target; a ':' in a file name breaks checkouts on some systems.
    const QString path = kGoldenDir + u'/' + QString(name).replace(u':', u'-');
    if (updating()) {
        QDir().mkpath(kGoldenDir);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
        f.write(actual);
        qInfo("golden rewritten: %s", qPrintable(name));
        return;
    }
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(QStringLiteral("missing golden %1 (JWB_UPDATE_GOLDEN=1 writes it)").arg(path)));
    const QByteArray expected = f.readAll();
    if (expected != actual) {
        const QList<QByteArray> a = actual.split('\n');
        const QList<QByteArray> e = expected.split('\n');
        for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
            const QByteArray al = i < a.size() ? a.at(i) : QByteArray("<eof>");
            const QByteArray el = i < e.size() ? e.at(i) : QByteArray("<eof>");
            if (al != el)
                QFAIL(qPrintable(QStringLiteral("%1 differs at line %2:\n  golden: %3\n  actual: %4")
                                     .arg(name)
                                     .arg(i + 1)
                                     .arg(QString::fromUtf8(el), QString::fromUtf8(al))));
        }
    }
}

QSet<QString> mapKeys(const YAML::Node& n)
{
    QSet<QString> keys;
    for (const auto& kv : n)
        keys.insert(QString::fromStdString(kv.first.Scalar()));
    return keys;
}

QString str(const YAML::Node& n)
{
    return QString::fromStdString(n.Scalar());
}

QSet<QString> thumbprints(const QList<keys::Key>& keys)
{
    QSet<QString> t;
    for (const auto& k : keys)
        t.insert(k.thumbprint);
    return t;
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

class TestExport final : public QObject {
    Q_OBJECT

private slots:
    void exports_matchGoldenFiles_data()
    {
        QTest::addColumn<QString>("policyPath");
        QTest::addColumn<QString>("stem");
        QTest::addColumn<int>("target");
        for (const auto& [path, stem] : {std::pair{samplePath(), QStringLiteral("sample")},
                                         std::pair{edgePath(), QStringLiteral("edge")}}) {
            for (Target t : exporting::allTargets()) {
                const QString name = stem + u'.' + exporting::targetName(t);
                QTest::newRow(qPrintable(name)) << path << stem << static_cast<int>(t);
            }
        }
    }

    void exports_matchGoldenFiles()
    {
        QFETCH(QString, policyPath);
        QFETCH(QString, stem);
        QFETCH(int, target);
        const Target t = static_cast<Target>(target);
        const auto result = exportOrFail(load(policyPath), t);
        const QString base = stem + u'.' + exporting::targetName(t);
        checkGolden(base + u'.' + exporting::targetFileSuffix(t), result.text);
        for (auto it = result.extraFiles.cbegin(); it != result.extraFiles.cend(); ++it)
            checkGolden(base + QStringLiteral(".extra.") + it.key(), it.value());
    }

    void exports_areDeterministic()
    {
        const auto policy = load(samplePath());
        for (Target t : exporting::allTargets())
            QCOMPARE(exportOrFail(policy, t).text, exportOrFail(policy, t).text);
    }

    void canonicalExport_isTheSavedPolicy()
    {
        const auto policy = load(samplePath());
        QCOMPARE(exportOrFail(policy, Target::CanonicalYaml).text, policy::serializePolicy(policy, policy::Format::Yaml));
        QCOMPARE(exportOrFail(policy, Target::CanonicalJson).text, policy::serializePolicy(policy, policy::Format::Json));
        QVERIFY(exportOrFail(policy, Target::CanonicalJson).gaps.isEmpty());
    }

    void envoyYaml_parsesWithJwtAuthnFieldNames()
    {
        const auto policy = load(samplePath());
        const YAML::Node root = YAML::Load(exportOrFail(policy, Target::Envoy).text.toStdString());
        QCOMPARE(str(root["name"]), QStringLiteral("envoy.filters.http.jwt_authn"));
        const YAML::Node tc = root["typed_config"];
        QCOMPARE(str(tc["@type"]),
                 QStringLiteral("type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication"));
        QCOMPARE(mapKeys(tc), (QSet<QString>{QStringLiteral("@type"), QStringLiteral("providers"), QStringLiteral("rules")}));
        const QSet<QString> allowed{QStringLiteral("issuer"),          QStringLiteral("audiences"),
                                    QStringLiteral("local_jwks"),      QStringLiteral("remote_jwks"),
                                    QStringLiteral("from_headers"),    QStringLiteral("clock_skew_seconds"),
                                    QStringLiteral("require_expiration"), QStringLiteral("max_lifetime")};
        QCOMPARE(static_cast<int>(tc["providers"].size()), policy.issuers.size());
        for (const auto& kv : tc["providers"]) {
            const YAML::Node p = kv.second;
            QVERIFY(mapKeys(p).subtract(allowed).isEmpty());
            const auto* iss = policy.findIssuer(str(p["issuer"]));
            QVERIFY(iss);
            QCOMPARE(mapKeys(p["local_jwks"]), QSet<QString>{QStringLiteral("inline_string")});
            // The inline JWKS is the policy's pinned keys, by RFC 7638 thumbprint.
            const auto jwks = keys::parseJwks(str(p["local_jwks"]["inline_string"]).toUtf8(), QStringLiteral("envoy"));
            QVERIFY2(jwks.ok(), jwks.ok() ? "" : qPrintable(jwks.error().toString()));
            QCOMPARE(thumbprints(*jwks), thumbprints(iss->keys.resolved));
            QCOMPARE(str(p["require_expiration"]), QStringLiteral("true"));
            QCOMPARE(str(p["from_headers"][0]["value_prefix"]), QStringLiteral("Bearer "));
        }
        QCOMPARE(str(tc["providers"]["partners"]["clock_skew_seconds"]), QStringLiteral("10"));
        QCOMPARE(str(tc["providers"]["workforce"]["max_lifetime"]), QStringLiteral("3600s"));
        QCOMPARE(static_cast<int>(tc["rules"][0]["requires"]["requires_any"]["requirements"].size()), 3);
    }

    void envoyRemoteJwks_hasHttpUriAndCacheDuration()
    {
        const YAML::Node tc = YAML::Load(exportOrFail(load(edgePath()), Target::Envoy).text.toStdString())["typed_config"];
        const YAML::Node remote = tc["providers"]["remote"]["remote_jwks"];
        QCOMPARE(mapKeys(remote), (QSet<QString>{QStringLiteral("http_uri"), QStringLiteral("cache_duration"),
                                                 QStringLiteral("async_fetch")}));
        QCOMPARE(mapKeys(remote["http_uri"]),
                 (QSet<QString>{QStringLiteral("uri"), QStringLiteral("cluster"), QStringLiteral("timeout")}));
        QCOMPARE(str(remote["http_uri"]["uri"]), QStringLiteral("https://keys.remote.example.org/jwks.json"));
        QCOMPARE(str(remote["cache_duration"]), QStringLiteral("300s"));
    }

    void istioYaml_hasRequestAuthenticationAndAuthorizationPolicy()
    {
        const auto policy = load(edgePath());
        const auto docs = YAML::LoadAll(exportOrFail(policy, Target::Istio).text.toStdString());
        QCOMPARE(static_cast<int>(docs.size()), 2);
        QCOMPARE(str(docs[0]["kind"]), QStringLiteral("RequestAuthentication"));
        QCOMPARE(str(docs[0]["metadata"]["namespace"]), QStringLiteral("payments"));
        QCOMPARE(str(docs[0]["spec"]["selector"]["matchLabels"]["app"]), QStringLiteral("payments-api"));
        const YAML::Node rules = docs[0]["spec"]["jwtRules"];
        QCOMPARE(static_cast<int>(rules.size()), 2);
        const QSet<QString> allowed{QStringLiteral("issuer"), QStringLiteral("audiences"), QStringLiteral("jwksUri"),
                                    QStringLiteral("jwks"), QStringLiteral("fromHeaders")};
        for (const auto& r : rules)
            QVERIFY(mapKeys(r).subtract(allowed).isEmpty());
        QVERIFY(rules[0]["jwks"]);
        QCOMPARE(str(rules[1]["jwksUri"]), QStringLiteral("https://keys.remote.example.org/jwks.json"));
        QCOMPARE(mapKeys(rules[0]["fromHeaders"][0]), (QSet<QString>{QStringLiteral("name"), QStringLiteral("prefix")}));
        QCOMPARE(str(docs[1]["kind"]), QStringLiteral("AuthorizationPolicy"));
        const YAML::Node principals = docs[1]["spec"]["rules"][0]["from"][0]["source"]["requestPrincipals"];
        QCOMPARE(str(principals[0]), QStringLiteral("https://login.example.com//*"));
        QCOMPARE(str(principals[1]), QStringLiteral("https://auth.remote.example.org//svc-reporting"));
    }

    void kongYaml_hasJwtPluginAndOneCredentialPerIssuer()
    {
        const auto policy = load(samplePath());
        const YAML::Node root = YAML::Load(exportOrFail(policy, Target::Kong).text.toStdString());
        const YAML::Node plugin = root["services"][0]["plugins"][0];
        QCOMPARE(str(plugin["name"]), QStringLiteral("jwt"));
        QCOMPARE(str(plugin["config"]["key_claim_name"]), QStringLiteral("iss"));
        QCOMPARE(str(plugin["config"]["claims_to_verify"][0]), QStringLiteral("exp"));
        QCOMPARE(str(plugin["config"]["claims_to_verify"][1]), QStringLiteral("nbf"));
        QCOMPARE(str(plugin["config"]["maximum_expiration"]), QStringLiteral("3600"));
        const YAML::Node consumers = root["consumers"];
        QCOMPARE(static_cast<int>(consumers.size()), policy.issuers.size());
        for (const auto& c : consumers) {
            QCOMPARE(static_cast<int>(c["jwt_secrets"].size()), 1);
            const YAML::Node s = c["jwt_secrets"][0];
            QCOMPARE(mapKeys(s), (QSet<QString>{QStringLiteral("key"), QStringLiteral("algorithm"),
                                                 QStringLiteral("rsa_public_key")}));
            const auto* iss = policy.findIssuer(str(s["key"]));
            QVERIFY(iss);
            const auto pem = keys::parsePem(str(s["rsa_public_key"]).toUtf8(), QStringLiteral("kong"));
            QVERIFY2(pem.ok(), pem.ok() ? "" : qPrintable(pem.error().toString()));
            QVERIFY(thumbprints(iss->keys.resolved).contains(pem->first().thumbprint));
        }
        QCOMPARE(str(consumers[1]["jwt_secrets"][0]["algorithm"]), QStringLiteral("ES256"));
    }

    void nginxSnippet_usesMapsAndWritesKeyFile()
    {
        const auto result = exportOrFail(load(samplePath()), Target::Nginx);
        const QString text = QString::fromUtf8(result.text);
        for (const auto& directive : {QStringLiteral("auth_jwt_key_file "), QStringLiteral("auth_jwt_leeway 10s;"),
                                      QStringLiteral("auth_jwt_type signed;"), QStringLiteral("auth_jwt_require "),
                                      QStringLiteral("map \"$jwt_claim_iss $jwt_header_alg\" $jwb_alg_ok"),
                                      QStringLiteral("map \"$jwt_claim_iss $jwt_claim_aud\" $jwb_aud_ok")})
            QVERIFY2(text.contains(directive), qPrintable(directive));
        QCOMPARE(result.extraFiles.size(), 1);
        const auto jwks = keys::parseJwks(result.extraFiles.first(), QStringLiteral("nginx"));
        QVERIFY(jwks.ok());
        QCOMPARE(jwks->size(), 3); // the oct secret of the exception is never written
    }

    void opaModule_callsDecodeVerifyPerIssuerAndExpiresExceptions()
    {
        const QString text = QString::fromUtf8(exportOrFail(load(samplePath()), Target::Opa).text);
        QVERIFY(text.startsWith(u'#'));
        QVERIFY(text.contains(QStringLiteral("package jwb.authz")));
        QCOMPARE(text.count(QStringLiteral("io.jwt.decode_verify(token")), 4); // 3 issuers + 1 exception rule
        QVERIFY(text.contains(QStringLiteral("now_ns < time.parse_rfc3339_ns(\"2027-04-01T00:00:00Z\")")));
        QVERIFY(text.contains(QStringLiteral("\"aud\": aud")));
    }

    void exports_neverContainSecrets()
    {
        const auto policy = load(samplePath());
        for (Target t : exporting::gatewayTargets()) {
            const auto r = exportOrFail(policy, t);
            QVERIFY2(!r.text.contains("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh"), qPrintable(exporting::targetName(t)));
            for (const auto& extra : r.extraFiles)
                QVERIFY(!extra.contains("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh"));
            for (const auto& g : r.gaps)
                QVERIFY(!g.detail.contains(QStringLiteral("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh")));
        }
    }

    void gapReport_coversEveryControlForEveryIssuerOnEveryTarget_data()
    {
        QTest::addColumn<QString>("policyPath");
        QTest::newRow("sample") << samplePath();
        QTest::newRow("edge") << edgePath();
    }

    void gapReport_coversEveryControlForEveryIssuerOnEveryTarget()
    {
        QFETCH(QString, policyPath);
        const auto policy = load(policyPath);
        const QStringList controls = exporting::controlIds();
        QCOMPARE(controls.size(), 17);
        for (Target t : exporting::gatewayTargets()) {
            const auto gaps = exportOrFail(policy, t).gaps;
            QCOMPARE(gaps.size(), policy.issuers.size() * controls.size());
            for (const auto& iss : policy.issuers) {
                QStringList seen;
                for (const auto& g : gaps) {
                    if (g.issuer != iss.issuer)
                        continue;
                    QCOMPARE(g.target, exporting::targetName(t));
                    QVERIFY2(!g.detail.isEmpty(), qPrintable(g.control));
                    if (g.status == GapStatus::NotEnforced)
                        QVERIFY(g.detail.contains(QStringLiteral("must verify locally")));
                    seen << g.control;
                }
                QCOMPARE(seen, controls); // each once, in report order
            }
        }
    }

    void gapReport_statesGatewayFacts_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("control");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("exported");
        const QString login = QStringLiteral("https://login.example.com/");
        const QString partner = QStringLiteral("https://auth.partner.example.net/");
        const QString billing = QStringLiteral("https://billing.internal.example.com/");
        const int E = static_cast<int>(GapStatus::Enforced), M = static_cast<int>(GapStatus::Emulated),
                  N = static_cast<int>(GapStatus::NotEnforced);
        auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };
        row("envoy has no alg field") << int(Target::Envoy) << login << "algorithm_pin" << N << "";
        row("envoy has no typ field") << int(Target::Envoy) << login << "typ" << N << "";
        row("envoy skew exported as policy") << int(Target::Envoy) << partner << "clock_skew" << E << "10 s";
        row("envoy requires exp") << int(Target::Envoy) << login << "exp_required" << E << "";
        row("envoy cannot require iat") << int(Target::Envoy) << login << "required_claims" << N << "";
        row("envoy cannot expire exceptions") << int(Target::Envoy) << billing << "exceptions" << N << "";
        row("envoy exception widens alg pin") << int(Target::Envoy) << billing << "algorithm_pin" << N << "";
        row("istio skew fixed 60 s") << int(Target::Istio) << login << "clock_skew" << N << "60 s";
        row("istio has no lifetime") << int(Target::Istio) << login << "max_lifetime" << N << "unlimited";
        row("istio subjects via principals") << int(Target::Istio) << billing << "subject" << M << "billing-batch, billing-ui";
        row("kong has no audience check") << int(Target::Kong) << login << "audience_binding" << N << "";
        row("kong has no leeway") << int(Target::Kong) << login << "clock_skew" << E << "0 s";
        row("kong pins the credential alg") << int(Target::Kong) << partner << "algorithm_pin" << E << "ES256";
        row("kong lifetime is exp - now") << int(Target::Kong) << login << "max_lifetime" << M << "3600 s";
        row("kong billing lifetime wider") << int(Target::Kong) << billing << "max_lifetime" << N << "3600 s";
        row("nginx alg via map") << int(Target::Nginx) << login << "algorithm_pin" << M << "RS256";
        row("nginx one leeway for all") << int(Target::Nginx) << login << "clock_skew" << E << "10 s";
        row("nginx cannot compute lifetime") << int(Target::Nginx) << login << "max_lifetime" << N << "unlimited";
        row("opa expires exceptions") << int(Target::Opa) << billing << "exceptions" << M << "";
        row("opa emulates skew") << int(Target::Opa) << login << "clock_skew" << M << "30 s";
        row("opa emulates header allowlist") << int(Target::Opa) << login << "header_allowlist" << M << "alg, typ, kid";
    }

    void gapReport_statesGatewayFacts()
    {
        QFETCH(int, target);
        QFETCH(QString, issuer);
        QFETCH(QString, control);
        QFETCH(int, status);
        QFETCH(QString, exported);
        const auto gaps = exportOrFail(load(samplePath()), static_cast<Target>(target)).gaps;
        const auto* g = findGap(gaps, issuer, control);
        QVERIFY(g);
        QCOMPARE(exporting::gapStatusName(g->status), exporting::gapStatusName(static_cast<GapStatus>(status)));
        QCOMPARE(g->exported, exported);
    }

    void exceptionGap_namesIdAndExpiry_andDisappearsAfterExpiry()
    {
        const auto policy = load(samplePath());
        const QString billing = QStringLiteral("https://billing.internal.example.com/");
        const auto active = exportOrFail(policy, Target::Envoy).gaps;
        const auto* g = findGap(active, billing, QStringLiteral("exceptions"));
        QVERIFY(g->detail.contains(QStringLiteral("billing-hs256-until-migration")));
        QVERIFY(g->detail.contains(QStringLiteral("2027-04-01T00:00:00Z")));
        QVERIFY(g->detail.contains(QStringLiteral("re-export")));

        const qint64 after = util::parseInstant(QStringLiteral("2027-06-01T00:00:00Z")).value();
        const auto later = exportOrFail(policy, Target::Envoy, after);
        const auto* g2 = findGap(later.gaps, billing, QStringLiteral("exceptions"));
        QCOMPARE(g2->status, GapStatus::NotUsed);
        QVERIFY(g2->detail.contains(QStringLiteral("expired, not exported")));
        QCOMPARE(findGap(later.gaps, billing, QStringLiteral("algorithm_pin"))->policy, QStringLiteral("RS256"));
    }

    void remoteJwks_isAKeyPinningGap()
    {
        const auto gaps = exportOrFail(load(edgePath()), Target::Envoy).gaps;
        const auto* pin = findGap(gaps, QStringLiteral("https://auth.remote.example.org/"), QStringLiteral("key_pinning"));
        QCOMPARE(pin->status, GapStatus::NotEnforced);
        QVERIFY(pin->detail.contains(QStringLiteral("https://keys.remote.example.org/jwks.json")));
        const auto* refresh = findGap(gaps, QStringLiteral("https://auth.remote.example.org/"), QStringLiteral("key_refresh"));
        QCOMPARE(refresh->status, GapStatus::Enforced);
        QCOMPARE(refresh->exported, QStringLiteral("300 s"));
        const auto istio = exportOrFail(load(edgePath()), Target::Istio).gaps;
        QCOMPARE(findGap(istio, QStringLiteral("https://auth.remote.example.org/"), QStringLiteral("key_refresh"))->status,
                 GapStatus::NotEnforced);
    }

    void blockingGaps_onlyOnOnlyVerifierTargets()
    {
        const auto edge = load(edgePath());
        const auto gaps = exporting::gapReport(edge, profileAt(exportInstant()));
        QVERIFY(gaps.ok());
        int blocking = 0;
        for (const auto& g : *gaps) {
            if (exporting::isBlockingGap(edge, g)) {
                ++blocking;
                QCOMPARE(g.target, QStringLiteral("istio"));
            }
        }
        QVERIFY(blocking > 0);
        const auto sample = load(samplePath());
        const auto sampleGaps = exporting::gapReport(sample, profileAt(exportInstant()));
        for (const auto& g : *sampleGaps)
            QVERIFY(!exporting::isBlockingGap(sample, g));
    }

    // Found by the gateway schema checks (tests/schemas): an issuer holding only an HMAC secret got
    // an inline JWKS with no keys, which Envoy logs as invalid. It is left out of Envoy providers and
    // Istio rules/principals while another issuer remains; its gap rows still cover it.
    void issuerWithOnlyAnHmacSecret_isLeftOutOfEnvoyAndIstio()
    {
        const QByteArray text = "jwt_policy: 1\nname: hmac-mix\ndefaults:\n  algorithms: [RS256, HS256]\n"
                                "issuers:\n"
                                "  - issuer: https://hs.example.com/\n    audiences: [api]\n    keys:\n"
                                "      jwks:\n        keys:\n          - {kty: oct, kid: hs1, k: "
                                "NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh-4Cu2V5fs}\n"
                                "  - issuer: https://remote.example.org/\n    audiences: [api]\n    keys:\n"
                                "      jwks_uri: https://keys.remote.example.org/jwks.json\n";
        const auto policy = policy::parsePolicy(text, policy::Format::Yaml, QStringLiteral("hmac-mix"), QString());
        QVERIFY2(policy.ok(), policy.ok() ? "" : qPrintable(policy.error().toString()));
        const QString hs = QStringLiteral("https://hs.example.com/");

        const auto envoy = exportOrFail(*policy, Target::Envoy);
        QVERIFY(!envoy.text.contains("\"keys\":[]"));
        const YAML::Node tc = YAML::Load(envoy.text.toStdString())["typed_config"];
        QCOMPARE(mapKeys(tc["providers"]), QSet<QString>{QStringLiteral("remote-example-org")});
        QCOMPARE(str(tc["rules"][0]["requires"]["provider_name"]), QStringLiteral("remote-example-org"));
        QCOMPARE(findGap(envoy.gaps, hs, QStringLiteral("key_pinning"))->status, GapStatus::NotEnforced);

        const auto istio = exportOrFail(*policy, Target::Istio);
        const auto docs = YAML::LoadAll(istio.text.toStdString());
        QCOMPARE(static_cast<int>(docs[0]["spec"]["jwtRules"].size()), 1);
        QCOMPARE(str(docs[0]["spec"]["jwtRules"][0]["issuer"]), QStringLiteral("https://remote.example.org/"));
        const YAML::Node principals = docs[1]["spec"]["rules"][0]["from"][0]["source"]["requestPrincipals"];
        QCOMPARE(static_cast<int>(principals.size()), 1);
        QCOMPARE(str(principals[0]), QStringLiteral("https://remote.example.org//*"));
        QCOMPARE(findGap(istio.gaps, hs, QStringLiteral("key_pinning"))->status, GapStatus::NotEnforced);
    }

    void policyWithoutIssuers_isAnError()
    {
        policy::Policy empty;
        empty.name = QStringLiteral("empty");
        for (Target t : exporting::gatewayTargets()) {
            const auto r = exporting::exportPolicy(empty, t, {});
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, QStringLiteral("ERR_EXPORT_NO_ISSUERS"));
        }
    }

    void targetNames_roundTrip()
    {
        for (Target t : exporting::allTargets())
            QCOMPARE(exporting::targetFromName(exporting::targetName(t)), std::optional<Target>(t));
        QVERIFY(!exporting::targetFromName(u"no-such-gateway"));
    }

    void publicPem_roundTripsByThumbprint_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rsa") << QStringLiteral("rsa2048-public.pem");
        QTest::newRow("p256") << QStringLiteral("ec-p256-public.pem");
        QTest::newRow("p384") << QStringLiteral("ec-p384-public.pem");
        QTest::newRow("p521") << QStringLiteral("ec-p521-public.pem");
        QTest::newRow("ed25519") << QStringLiteral("ed25519-public.pem");
        QTest::newRow("ed448") << QStringLiteral("ed448-public.pem");
    }

    void publicPem_roundTripsByThumbprint()
    {
        QFETCH(QString, file);
        const auto loaded = keys::loadKeyFile(QStringLiteral(JWB_TEST_DATA "/keys/") + file);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        const auto pem = keys::toPublicPem(loaded->first());
        QVERIFY2(pem.ok(), pem.ok() ? "" : qPrintable(pem.error().toString()));
        QVERIFY(pem->startsWith("-----BEGIN PUBLIC KEY-----\n"));
        const auto again = keys::parsePem(*pem, QStringLiteral("round trip"));
        QVERIFY(again.ok());
        QCOMPARE(again->first().thumbprint, loaded->first().thumbprint);
    }

    void publicPem_refusesSecrets()
    {
        const auto k = keys::hmacKey(QByteArray(32, 'k'), QStringLiteral("h"), QStringLiteral("test"));
        QVERIFY(k.ok());
        const auto pem = keys::toPublicPem(*k);
        QVERIFY(!pem.ok());
        QCOMPARE(pem.error().code, QStringLiteral("ERR_KEY_PEM_EXPORT"));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
