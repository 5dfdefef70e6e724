// SPDX-License-Identifier: Apache-2.0
// The estate: its loader (valid files, every error class with file:line), the JWT library
// advisories and their version ordering, and the verdict and matrix logic on hand-made evidence.
#include "TestFiles.h"
#include "estate/Advisories.h"
#include "estate/Estate.h"
#include "estate/EstateReport.h"
#include "estate/EstateWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;
using namespace jwb::estate;
using jwb::testing::writeInto;

namespace {

const QString kIssuer = QStringLiteral("https://staging-login.example.test/");
const QString kPartner = QStringLiteral("https://partners.example.test/");

QString dataFile(const char* name)
{
    return QStringLiteral(JWB_TEST_DATA "/estate/") + QLatin1String(name);
}

// A directory with the staging policy and signing key beside the estate under test.
struct EstateDir {
    QTemporaryDir dir;
    EstateDir()
    {
        QFile::copy(dataFile("staging-policy.yaml"), dir.filePath(QStringLiteral("policy.yaml")));
        QFile::copy(QStringLiteral(JWB_TEST_DATA "/keys/ec-p256-private.pem"), dir.filePath(QStringLiteral("key.pem")));
        writeInto(dir, QStringLiteral("not-a-key.pem"), "-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n");
        writeInto(dir, QStringLiteral("broken-policy.yaml"), "jwt_policy: 1\nissuers: 3\n");
        writeInto(dir, QStringLiteral("envoy.yaml"), "static_resources: {}\n");
    }
    Result<Estate> load(const QByteArray& text, const QString& name = QStringLiteral("estate.yaml"))
    {
        return loadEstateFile(writeInto(dir, name, text));
    }
};

// The head every error case shares: lines 1-3.
const QByteArray kHead = "jwt_estate: 1\npolicy: policy.yaml\nverifiers:\n";

// A flag on an outcome in verdicts_followTheirPrecedence_data: the gap report predicts the token.
constexpr int kPredicted = 0x100;

probe::ProbeResult result(const QString& variant, const QString& cls, const QString& control, bool expectedAccepted,
                          probe::Outcome outcome, const QString& issuer = kIssuer)
{
    probe::ProbeResult r;
    r.variant = variant;
    r.variantClass = cls;
    r.control = control;
    r.issuer = issuer;
    r.fingerprint = QStringLiteral("sha256:") + variant;
    r.expectedAccepted = expectedAccepted;
    r.expectedStep = expectedAccepted ? QString() : cls;
    r.result = outcome;
    r.observed = outcome == probe::Outcome::Inconclusive
                     ? probe::Observed::Inconclusive
                     : ((outcome == probe::Outcome::Conforms) == expectedAccepted ? probe::Observed::Accepted
                                                                                  : probe::Observed::Rejected);
    return r;
}

probe::ProbeReport report(QList<probe::ProbeResult> results)
{
    probe::ProbeReport r;
    r.url = QStringLiteral("http://127.0.0.1:1/");
    r.issuer = kIssuer;
    for (const auto& x : results) {
        r.conforms += x.result == probe::Outcome::Conforms;
        r.acceptsRejected += x.result == probe::Outcome::AcceptsRejected;
        r.rejectsAccepted += x.result == probe::Outcome::RejectsAccepted;
        r.inconclusive += x.result == probe::Outcome::Inconclusive;
    }
    r.results = std::move(results);
    return r;
}

exporting::GapEntry gap(const QString& control, exporting::GapStatus status, const QString& issuer = kIssuer)
{
    exporting::GapEntry g;
    g.target = QStringLiteral("haproxy");
    g.issuer = issuer;
    g.control = control;
    g.status = status;
    g.detail = QStringLiteral("detail of ") + control;
    return g;
}

Verifier verifier(VerifierKind kind, const QString& name = QStringLiteral("v"))
{
    Verifier v;
    v.name = name;
    v.kind = kind;
    v.issuers = {kIssuer};
    return v;
}

QStringList L(std::initializer_list<const char*> items)
{
    QStringList l;
    for (const char* i : items)
        l << QString::fromUtf8(i);
    return l;
}

QStringList variants(const QList<Finding>& findings)
{
    QStringList l;
    for (const Finding& f : findings)
        l << (f.source == u"probe" ? f.variant : f.source + u':' + (f.id.isEmpty() ? f.control : f.id));
    return l;
}

// Everything the reader keeps of a verifier, as text, so two estates compare field by field.
QString describe(const Verifier& v)
{
    QStringList parts{v.name, verifierKindName(v.kind), v.owner, v.issuers.join(u','), v.configPath};
    if (v.library)
        parts << v.library->name << v.library->version << v.library->ecosystem;
    if (v.probe) {
        const ProbeSettings& p = *v.probe;
        parts << p.target.url.toString() << p.target.headerName << u'[' + p.target.prefix + u']'
              << p.target.accept.toString() << p.target.reject.toString() << p.target.caFile
              << QString::number(p.target.ratePerSecond) << QString::number(p.target.maxRequests)
              << QString::number(p.target.timeoutSeconds) << p.issuer << p.audience.value_or(QStringLiteral("(none)"))
              << p.signingKeyPath << QString::number(p.marginSeconds) << (p.signingKey ? QStringLiteral("key") : QStringLiteral("no key"));
    }
    return parts.join(u'|');
}

QStringList describe(const Estate& e)
{
    QStringList l{e.name, e.owner, e.policyPath, e.policy.name};
    for (const Verifier& v : e.verifiers)
        l << describe(v);
    return l;
}

} // namespace

class TestEstate final : public QObject {
    Q_OBJECT

private slots:
    // ---- loader ----

    void sampleYaml_loadsEveryField()
    {
        auto loaded = loadEstateFile(dataFile("estate.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
        const Estate& e = loaded.value();
        QCOMPARE(e.name, QStringLiteral("staging"));
        QCOMPARE(e.owner, QStringLiteral("platform-security@example.com"));
        QCOMPARE(e.policy.name, QStringLiteral("estate-staging"));
        QVERIFY(QDir::isAbsolutePath(e.policyPath));
        QCOMPARE(e.verifiers.size(), 3);

        const Verifier& edge = e.verifiers.at(0);
        QCOMPARE(edge.kind, VerifierKind::Haproxy);
        QCOMPARE(edge.issuers, (QStringList{kIssuer, kPartner}));
        QVERIFY(edge.probe.has_value());
        QCOMPARE(edge.probe->target.url.toString(), QStringLiteral("http://127.0.0.1:9/"));
        QCOMPARE(edge.probe->target.ratePerSecond, 20.0);
        QCOMPARE(edge.probe->target.maxRequests, 200);
        QCOMPARE(edge.probe->target.timeoutSeconds, 3);
        QVERIFY(edge.probe->signingKey.has_value());
        QVERIFY(edge.probe->signingKeyPath.endsWith(QStringLiteral("/keys/ec-p256-private.pem")));
        QVERIFY(!edge.probe->signingKeyPath.contains(QStringLiteral("..")));
        QCOMPARE(exportTargetFor(edge.kind), std::optional(exporting::Target::Haproxy));

        const Verifier& orders = e.verifiers.at(1);
        QCOMPARE(orders.kind, VerifierKind::Service);
        QCOMPARE(orders.probe->issuer, kIssuer); // defaults to the verifier's first issuer
        QCOMPARE(orders.probe->audience, std::optional(QStringLiteral("orders-api")));
        QCOMPARE(orders.probe->target.accept.toString(), QStringLiteral("200-299"));
        QCOMPARE(orders.probe->target.reject.toString(), QStringLiteral("401,403"));
        QCOMPARE(orders.library, std::optional(LibraryRef{QStringLiteral("jsonwebtoken"), QStringLiteral("9.0.3"),
                                                          QStringLiteral("npm"), std::nullopt}));
        QCOMPARE(exportTargetFor(orders.kind), std::nullopt);

        const Verifier& billing = e.verifiers.at(2);
        QVERIFY(!billing.probe.has_value());
        QCOMPARE(billing.library->version, QStringLiteral("2.6.0"));
        QCOMPARE(e.sourceLines.value(QStringLiteral("verifiers[1].probe.url")), 24);
    }

    void sampleJson_loadsLikeYaml()
    {
        auto loaded = loadEstateFile(dataFile("estate.json"));
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->name, QStringLiteral("staging-json"));
        QCOMPARE(loaded->verifiers.size(), 1);
        QCOMPARE(loaded->verifiers.first().library->version, QStringLiteral("8.5.1"));
    }

    void probeDefaults_areTheProbesOwn()
    {
        EstateDir d;
        auto loaded = d.load(kHead + "  - name: a\n    kind: envoy\n    issuers: [" + kIssuer.toUtf8() +
                             "]\n    config: envoy.yaml\n    probe: {url: \"https://gw.staging.example.test/api\"}\n");
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
        const ProbeSettings& p = *loaded->verifiers.first().probe;
        const probe::ProbeTarget defaults;
        QCOMPARE(p.target.headerName, defaults.headerName);
        QCOMPARE(p.target.prefix, defaults.prefix);
        QCOMPARE(p.target.maxRequests, defaults.maxRequests);
        QCOMPARE(p.marginSeconds, 5);
        QVERIFY(!p.signingKey.has_value());
        QVERIFY(loaded->verifiers.first().configPath.endsWith(QStringLiteral("/envoy.yaml")));
        QCOMPARE(driftSourceFor(VerifierKind::Envoy), std::optional(exporting::DriftSource::Envoy));
    }

    void badFile_failsWithCodeAndFileLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("location"); // after the file name
        const QByteArray iss = kIssuer.toUtf8();
        const QByteArray ok = "  - name: a\n    kind: service\n    issuers: [" + iss + "]\n"; // lines 4-6

        QTest::newRow("version missing") << QByteArray("policy: policy.yaml\nverifiers: []\n")
                                         << "ERR_ESTATE_VERSION" << ":1: jwt_estate";
        QTest::newRow("version 2") << QByteArray("jwt_estate: 2\npolicy: policy.yaml\n") << "ERR_ESTATE_VERSION"
                                   << ":1: jwt_estate";
        QTest::newRow("not a mapping") << QByteArray("- 1\n") << "ERR_ESTATE_TYPE" << ":1";
        QTest::newRow("yaml syntax") << QByteArray("jwt_estate: 1\npolicy: [unclosed\n") << "ERR_ESTATE_SYNTAX" << ":";
        QTest::newRow("unknown top field") << kHead + ok + "colour: blue\n" << "ERR_ESTATE_UNKNOWN_FIELD" << ":7: colour";
        QTest::newRow("unknown verifier field")
            << kHead + ok + "    port: 8080\n" << "ERR_ESTATE_UNKNOWN_FIELD" << ":7: verifiers[0].port";
        QTest::newRow("unknown probe field") << kHead + ok + "    probe: {url: \"http://127.0.0.1:1/\", retries: 3}\n"
                                             << "ERR_ESTATE_UNKNOWN_FIELD" << ":7: verifiers[0].probe.retries";
        QTest::newRow("duplicate key") << kHead + ok + "    name: b\n" << "ERR_ESTATE_DUPLICATE_KEY" << ":7: verifiers[0].name";
        QTest::newRow("policy missing") << QByteArray("jwt_estate: 1\nverifiers: []\n") << "ERR_ESTATE_MISSING_FIELD"
                                        << ":1: policy";
        QTest::newRow("policy file absent") << QByteArray("jwt_estate: 1\npolicy: nowhere.yaml\nverifiers: []\n")
                                            << "ERR_ESTATE_FILE" << ":2: policy";
        QTest::newRow("policy does not load") << QByteArray("jwt_estate: 1\npolicy: broken-policy.yaml\nverifiers: []\n")
                                              << "ERR_ESTATE_POLICY" << ":2: policy";
        QTest::newRow("verifiers empty") << QByteArray("jwt_estate: 1\npolicy: policy.yaml\nverifiers: []\n")
                                         << "ERR_ESTATE_VALUE" << ":3: verifiers";
        QTest::newRow("verifiers wrong type") << QByteArray("jwt_estate: 1\npolicy: policy.yaml\nverifiers: {a: 1}\n")
                                              << "ERR_ESTATE_TYPE" << ":3: verifiers";
        QTest::newRow("name missing") << kHead + "  - kind: service\n    issuers: [" + iss + "]\n"
                                      << "ERR_ESTATE_MISSING_FIELD" << ":4: verifiers[0].name";
        QTest::newRow("kind missing") << kHead + "  - name: a\n    issuers: [" + iss + "]\n"
                                      << "ERR_ESTATE_MISSING_FIELD" << ":4: verifiers[0].kind";
        QTest::newRow("issuers missing") << kHead + "  - name: a\n    kind: service\n" << "ERR_ESTATE_MISSING_FIELD"
                                         << ":4: verifiers[0].issuers";
        QTest::newRow("unknown kind") << kHead + "  - name: a\n    kind: traefik\n    issuers: [" + iss + "]\n"
                                      << "ERR_ESTATE_KIND" << ":5: verifiers[0].kind";
        QTest::newRow("kind wrong type") << kHead + "  - name: a\n    kind: [envoy]\n    issuers: [" + iss + "]\n"
                                         << "ERR_ESTATE_TYPE" << ":5: verifiers[0].kind";
        QTest::newRow("issuers wrong type") << kHead + "  - name: a\n    kind: service\n    issuers: " + iss + "\n"
                                            << "ERR_ESTATE_TYPE" << ":6: verifiers[0].issuers";
        QTest::newRow("unknown issuer") << kHead + "  - name: a\n    kind: service\n    issuers:\n      - https://x.test/\n"
                                        << "ERR_ESTATE_UNKNOWN_ISSUER" << ":7: verifiers[0].issuers[0]";
        QTest::newRow("duplicate verifier") << kHead + ok + "  - name: a\n    kind: envoy\n    issuers: [" + iss + "]\n"
                                            << "ERR_ESTATE_DUPLICATE_VERIFIER" << ":7: verifiers[1].name";
        QTest::newRow("bad url scheme") << kHead + ok + "    probe:\n      url: ftp://127.0.0.1/\n" << "ERR_ESTATE_URL"
                                        << ":8: verifiers[0].probe.url";
        QTest::newRow("url without host") << kHead + ok + "    probe:\n      url: \"http:///x\"\n" << "ERR_ESTATE_URL"
                                          << ":8: verifiers[0].probe.url";
        QTest::newRow("url with credentials") << kHead + ok + "    probe:\n      url: http://u:p@127.0.0.1/\n"
                                              << "ERR_ESTATE_URL" << ":8: verifiers[0].probe.url";
        QTest::newRow("probe url missing") << kHead + ok + "    probe:\n      rate: 5\n" << "ERR_ESTATE_MISSING_FIELD"
                                           << ":7: verifiers[0].probe.url";
        QTest::newRow("probe issuer not the verifier's")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      issuer: " + kPartner.toUtf8() + "\n"
            << "ERR_ESTATE_VALUE" << ":9: verifiers[0].probe.issuer";
        QTest::newRow("probe issuer unknown") << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      issuer: x\n"
                                              << "ERR_ESTATE_UNKNOWN_ISSUER" << ":9: verifiers[0].probe.issuer";
        QTest::newRow("probe audience unknown")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      audience: ledger\n" << "ERR_ESTATE_VALUE"
            << ":9: verifiers[0].probe.audience";
        QTest::newRow("signing key absent")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      signing_key: none.pem\n" << "ERR_ESTATE_FILE"
            << ":9: verifiers[0].probe.signing_key";
        QTest::newRow("signing key not a key")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      signing_key: not-a-key.pem\n"
            << "ERR_ESTATE_KEY" << ":9: verifiers[0].probe.signing_key";
        QTest::newRow("ca absent") << kHead + ok + "    probe:\n      url: https://127.0.0.1:1/\n      ca: ca.pem\n"
                                   << "ERR_ESTATE_FILE" << ":9: verifiers[0].probe.ca";
        QTest::newRow("bad status") << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      accept_status: ok\n"
                                    << "ERR_ESTATE_VALUE" << ":9: verifiers[0].probe.accept_status";
        QTest::newRow("accept and reject overlap")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      accept_status: 200-404\n"
            << "ERR_ESTATE_VALUE" << ":9: verifiers[0].probe.reject_status";
        QTest::newRow("max_requests range")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      max_requests: 0\n" << "ERR_ESTATE_RANGE"
            << ":9: verifiers[0].probe.max_requests";
        QTest::newRow("timeout wrong type")
            << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      timeout: soon\n" << "ERR_ESTATE_TYPE"
            << ":9: verifiers[0].probe.timeout";
        QTest::newRow("rate not positive") << kHead + ok + "    probe:\n      url: http://127.0.0.1:1/\n      rate: 0\n"
                                           << "ERR_ESTATE_RANGE" << ":9: verifiers[0].probe.rate";
        QTest::newRow("config on a kind without drift")
            << kHead + "  - name: a\n    kind: haproxy\n    issuers: [" + iss + "]\n    config: envoy.yaml\n"
            << "ERR_ESTATE_VALUE" << ":7: verifiers[0].config";
        QTest::newRow("config absent") << kHead + "  - name: a\n    kind: kong\n    issuers: [" + iss + "]\n    config: k.yaml\n"
                                       << "ERR_ESTATE_FILE" << ":7: verifiers[0].config";
        QTest::newRow("library on a gateway")
            << kHead + "  - name: a\n    kind: envoy\n    issuers: [" + iss + "]\n    library: {name: x, version: '1'}\n"
            << "ERR_ESTATE_VALUE" << ":7: verifiers[0].library";
        QTest::newRow("library version missing") << kHead + ok + "    library: {name: jsonwebtoken}\n"
                                                 << "ERR_ESTATE_MISSING_FIELD" << ":7: verifiers[0].library.version";
        QTest::newRow("library version not a version") << kHead + ok + "    library: {name: jose, version: latest}\n"
                                                       << "ERR_ESTATE_VALUE" << ":7: verifiers[0].library.version";
        QTest::newRow("library export not a service export")
            << kHead + ok + "    library: {name: jose, version: 5.10.0, export: envoy}\n" << "ERR_ESTATE_VALUE"
            << ":7: verifiers[0].library.export";
        QTest::newRow("library export unknown")
            << kHead + ok + "    library: {name: jose, version: 5.10.0, export: \"service:fast-jwt\"}\n" << "ERR_ESTATE_VALUE"
            << ":7: verifiers[0].library.export";
    }

    void badFile_failsWithCodeAndFileLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(QString, location);
        EstateDir d;
        auto loaded = d.load(text);
        QVERIFY2(!loaded.ok(), "a broken estate must not load");
        QCOMPARE(loaded.error().code, code);
        const QString expected = d.dir.filePath(QStringLiteral("estate.yaml")) + location;
        QVERIFY2(loaded.error().location.startsWith(expected),
                 qPrintable(loaded.error().location + QStringLiteral(" / expected ") + expected + QStringLiteral(" / ") +
                            loaded.error().message));
        QVERIFY(!loaded.error().message.isEmpty());
    }

    void jsonSyntaxError_namesTheJsonFile()
    {
        EstateDir d;
        auto loaded = d.load("{\"jwt_estate\": 1, \"policy\": }", QStringLiteral("estate.json"));
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("ERR_ESTATE_SYNTAX"));
        QVERIFY(loaded.error().location.startsWith(d.dir.filePath(QStringLiteral("estate.json"))));
    }

    void oversizedAndMissingFiles_areRefusedBeforeParsing()
    {
        EstateDir d;
        EstateLimits tiny;
        tiny.maxFileBytes = 16;
        auto big = loadEstateFile(writeInto(d.dir, QStringLiteral("big.yaml"), kHead + kHead), tiny);
        QCOMPARE(big.error().code, QStringLiteral("ERR_ESTATE_TOO_LARGE"));
        QCOMPARE(loadEstateFile(d.dir.filePath(QStringLiteral("absent.yaml"))).error().code, QStringLiteral("ERR_ESTATE_READ"));
        QCOMPARE(loadEstateFile(d.dir.path()).error().code, QStringLiteral("ERR_ESTATE_READ"));
        EstateLimits few;
        few.maxVerifiers = 1;
        const QByteArray two = kHead + "  - {name: a, kind: service, issuers: [" + kIssuer.toUtf8() + "]}\n" +
                               "  - {name: b, kind: service, issuers: [" + kIssuer.toUtf8() + "]}\n";
        QCOMPARE(loadEstateFile(writeInto(d.dir, QStringLiteral("two.yaml"), two), few).error().code,
                 QStringLiteral("ERR_ESTATE_LIMIT"));
    }

    void deepNesting_isRefused()
    {
        EstateDir d;
        QByteArray deep = kHead + "  - name: a\n    kind: service\n    issuers: [" + kIssuer.toUtf8() + "]\n    owner: ";
        deep += QByteArray(200, '[') + QByteArray(200, ']') + "\n";
        auto loaded = d.load(deep);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("ERR_ESTATE_SYNTAX"));
    }

    void everyKind_roundTripsItsName()
    {
        for (const QString& name : verifierKindNames())
            QCOMPARE(verifierKindName(*verifierKindFromName(name)), name);
        QCOMPARE(verifierKindFromName(u"Envoy"), std::nullopt);
        QCOMPARE(exportTargetFor(VerifierKind::Apache), std::optional(exporting::Target::Apache));
        QCOMPARE(driftSourceFor(VerifierKind::Nginx), std::nullopt);
    }

    // ---- advisories ----

    void compareVersions_ordersLikeRegistries_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("expected");
        QTest::newRow("equal") << "9.0.3" << "9.0.3" << 0;
        QTest::newRow("missing parts are zero") << "1.0" << "1.0.0" << 0;
        QTest::newRow("numeric not lexical") << "1.10.0" << "1.9.0" << 1;
        QTest::newRow("major") << "10.0" << "9.99.99" << 1;
        QTest::newRow("leading v") << "v5.2.1" << "5.2.1" << 0;
        QTest::newRow("build metadata") << "3.2.2+incompatible" << "3.2.2" << 0;
        QTest::newRow("semver rc before release") << "5.0.0-rc.1" << "5.0.0" << -1;
        QTest::newRow("preview before release") << "4.0.0-preview1" << "4.0.0" << -1;
        QTest::newRow("pep440 alpha") << "2.0.0a1" << "2.0.0" << -1;
        QTest::newRow("alpha before beta") << "2.0.0a1" << "2.0.0b1" << -1;
        QTest::newRow("beta before rc") << "1.0.0-beta.2" << "1.0.0-rc.1" << -1;
        QTest::newRow("rc numbers") << "1.0.0-rc.2" << "1.0.0-rc.10" << -1;
        QTest::newRow("post after release") << "1.0.post1" << "1.0" << 1;
        QTest::newRow("patch release after rc") << "1.0.1" << "1.0.0-rc1" << 1;
        QTest::newRow("ruby pre") << "2.2.0.pre.beta.0" << "2.2.0" << -1;
        QTest::newRow("leading zeros") << "1.02" << "1.2" << 0;
    }

    void compareVersions_ordersLikeRegistries()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, expected);
        QCOMPARE(compareVersions(a, b), expected);
        QCOMPARE(compareVersions(b, a), -expected);
    }

    void bundledAdvisories_loadWithTheirDate()
    {
        auto db = loadBundledAdvisories();
        QVERIFY2(db.ok(), qPrintable(db ? QString() : db.error().toString()));
        QCOMPARE(db->updated.size(), 10);
        QVERIFY(db->advisories.size() >= 15);
        QStringList libraries;
        for (const Advisory& a : db->advisories) {
            QVERIFY2(a.id.startsWith(QStringLiteral("CVE-")) || a.id.startsWith(QStringLiteral("GHSA-")), qPrintable(a.id));
            QVERIFY(a.reference.startsWith(QStringLiteral("https://")));
            QVERIFY(!a.summary.isEmpty());
            libraries << a.library;
        }
        for (const char* lib : {"jsonwebtoken", "jose", "fast-jwt", "PyJWT", "python-jose", "jwcrypto", "golang-jwt",
                                "jwt-go", "nimbus-jose-jwt", "System.IdentityModel.Tokens.Jwt", "jwt", "libjwt"})
            QVERIFY2(libraries.contains(QLatin1String(lib)), lib);
    }

    void matchAdvisories_findsAffectedVersionsOnly_data()
    {
        QTest::addColumn<QString>("library");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("ecosystem");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("jsonwebtoken 8.5.1") << "jsonwebtoken" << "8.5.1" << "npm"
                                            << L({"CVE-2022-23540", "CVE-2022-23541"});
        QTest::newRow("jsonwebtoken 9.0.0 fixed") << "jsonwebtoken" << "9.0.0" << "npm" << QStringList{};
        QTest::newRow("jsonwebtoken 9.0.3") << "jsonwebtoken" << "9.0.3" << "" << QStringList{};
        QTest::newRow("name is case-insensitive") << "JSONWebToken" << "8.0.0" << "" 
                                                  << L({"CVE-2022-23540", "CVE-2022-23541"});
        QTest::newRow("other ecosystem") << "jsonwebtoken" << "8.5.1" << "PyPI" << QStringList{};
        QTest::newRow("jose 2.0.6") << "jose" << "2.0.6" << "npm" << L({"CVE-2024-28176"});
        QTest::newRow("jose 2.0.7") << "jose" << "2.0.7" << "npm" << QStringList{};
        QTest::newRow("jose 4.15.4") << "jose" << "4.15.4" << "npm" << L({"CVE-2024-28176"});
        QTest::newRow("jose 5.10.0") << "jose" << "5.10.0" << "npm" << QStringList{};
        QTest::newRow("PyJWT 2.6.0 (Debian 12)") << "PyJWT" << "2.6.0" << "PyPI" << QStringList{};
        QTest::newRow("PyJWT 2.3.0") << "PyJWT" << "2.3.0" << "PyPI" << L({"CVE-2022-29217"});
        QTest::newRow("PyJWT 1.4.0 before the range") << "PyJWT" << "1.4.0" << "PyPI" << QStringList{};
        QTest::newRow("PyJWT 2.10.0") << "pyjwt" << "2.10.0" << "PyPI" << L({"CVE-2024-53861", "CVE-2026-48523"});
        QTest::newRow("PyJWT 2.12.1 last affected") << "PyJWT" << "2.12.1" << "" << L({"CVE-2026-48523"});
        QTest::newRow("PyJWT 2.12.2") << "PyJWT" << "2.12.2" << "" << QStringList{};
        QTest::newRow("Debian package alias") << "python3-jwt" << "2.4.0" << "" << QStringList{};
        QTest::newRow("golang-jwt v4.5.0") << "github.com/golang-jwt/jwt/v4" << "v4.5.0" << "Go"
                                           << L({"CVE-2024-51744", "CVE-2025-30204"});
        QTest::newRow("golang-jwt v4.5.1") << "golang-jwt" << "v4.5.1" << "Go" << L({"CVE-2025-30204"});
        QTest::newRow("golang-jwt v5.2.1") << "github.com/golang-jwt/jwt/v5" << "v5.2.1" << "Go"
                                           << L({"CVE-2025-30204"});
        QTest::newRow("golang-jwt v5.2.2") << "golang-jwt" << "5.2.2" << "Go" << QStringList{};
        QTest::newRow("golang-jwt v5.0.0-rc.1") << "golang-jwt" << "v5.0.0-rc.1" << "Go" << L({"CVE-2025-30204"});
        QTest::newRow("jwt-go v3.2.0") << "github.com/dgrijalva/jwt-go" << "v3.2.0+incompatible" << "Go"
                                       << L({"CVE-2020-26160"});
        QTest::newRow("nimbus 9.37.1") << "nimbus-jose-jwt" << "9.37.1" << "Maven" << L({"CVE-2023-52428"});
        QTest::newRow("System.IdentityModel 6.33.0") << "System.IdentityModel.Tokens.Jwt" << "6.33.0" << "NuGet"
                                                     << L({"CVE-2024-21319"});
        QTest::newRow("System.IdentityModel 7.1.2") << "System.IdentityModel.Tokens.Jwt" << "7.1.2" << "NuGet"
                                                    << QStringList{};
        QTest::newRow("ruby jwt 3.1.0") << "jwt" << "3.1.0" << "RubyGems" << L({"CVE-2026-45363"});
        QTest::newRow("libjwt 3.3.2") << "libjwt" << "3.3.2" << "C" << L({"CVE-2026-44699"});
        QTest::newRow("libjwt 1.17.0") << "libjwt" << "1.17.0" << "C" << QStringList{};
        QTest::newRow("unknown library") << "my-own-jwt" << "0.1.0" << "" << QStringList{};
    }

    void matchAdvisories_findsAffectedVersionsOnly()
    {
        QFETCH(QString, library);
        QFETCH(QString, version);
        QFETCH(QString, ecosystem);
        QFETCH(QStringList, ids);
        auto db = loadBundledAdvisories();
        QVERIFY(db.ok());
        QStringList found;
        for (const Advisory& a : matchAdvisories(db.value(), library, version, ecosystem))
            found << a.id;
        QCOMPARE(found, ids);
    }

    void parseAdvisories_refusesMalformedEntries_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("where");
        const QByteArray entry = R"({"id": "CVE-1", "ecosystem": "npm", "library": "x", "weakness": "parser",
                                     "affected": [{"introduced": "0", "fixed": "1.0"}], "fixed": "1.0",
                                     "summary": "s", "reference": "https://example.test/")";
        QTest::newRow("not json") << QByteArray("{") << "";
        QTest::newRow("format") << QByteArray(R"({"jwt_advisories": 2, "updated": "2026-01-01", "advisories": []})")
                                << "jwt_advisories";
        QTest::newRow("bad date") << QByteArray(R"({"jwt_advisories": 1, "updated": "last week", "advisories": []})")
                                  << "updated";
        QTest::newRow("unknown top field")
            << QByteArray(R"({"jwt_advisories": 1, "updated": "2026-01-01", "advisories": [], "x": 1})") << "x";
        QTest::newRow("unknown entry field")
            << QByteArray(R"({"jwt_advisories": 1, "updated": "2026-01-01", "advisories": [)") + entry +
                   R"(, "severity": "high"}]})"
            << "advisories[0].severity";
        QTest::newRow("unknown weakness")
            << QByteArray(R"({"jwt_advisories": 1, "updated": "2026-01-01", "advisories": [)") +
                   QByteArray(entry).replace("\"parser\"", "\"spooky\"") + "}]}"
            << "advisories[0].weakness";
        QTest::newRow("range with both ends")
            << QByteArray(R"({"jwt_advisories": 1, "updated": "2026-01-01", "advisories": [)") +
                   QByteArray(entry).replace(R"("fixed": "1.0"}])", R"("fixed": "1.0", "last_affected": "0.9"}])") + "}]}"
            << "advisories[0].affected[0]";
        QTest::newRow("http reference")
            << QByteArray(R"({"jwt_advisories": 1, "updated": "2026-01-01", "advisories": [)") +
                   QByteArray(entry).replace("https://", "http://") + "}]}"
            << "advisories[0].reference";
    }

    void parseAdvisories_refusesMalformedEntries()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, where);
        auto db = parseAdvisories(json, QStringLiteral("adv.json"));
        QVERIFY(!db.ok());
        QVERIFY(db.error().code.startsWith(QStringLiteral("ERR_ADVISORIES_")));
        QCOMPARE(db.error().location, where.isEmpty() ? QStringLiteral("adv.json") : QStringLiteral("adv.json: ") + where);
    }

    // ---- writer ----

    void writer_roundTripsThroughTheReader_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("yaml") << false;
        QTest::newRow("json") << true;
    }

    void writer_roundTripsThroughTheReader()
    {
        QFETCH(bool, json);
        EstateDir d;
        writeInto(d.dir, QStringLiteral("ca.pem"), testing::readFile(QStringLiteral(JWB_TEST_DATA "/keys/rsa2048-cert.pem")));
        // Every field the reader knows, defaults and non-defaults, and strings YAML would misread
        // unquoted (a colon, a hash, quotes, a backslash, a tab, a leading space).
        const QByteArray source = "jwt_estate: 1\nname: \"a: b # c\"\nowner: \"o \\\"q\\\" \\\\ \\t\"\npolicy: policy.yaml\n"
                                  "verifiers:\n"
                                  "  - name: edge\n    kind: haproxy\n    owner: \" edge\"\n    issuers: [" + kIssuer.toUtf8() + ", " +
                                  kPartner.toUtf8() + "]\n"
                                  "    probe:\n      url: \"https://127.0.0.1:8443/api?x=1\"\n      issuer: " + kPartner.toUtf8() +
                                  "\n      audience: orders-api\n      signing_key: key.pem\n      header: X-Token\n"
                                  "      prefix: \"\"\n      accept_status: \"200,204\"\n      reject_status: \"401-403\"\n"
                                  "      ca: ca.pem\n      rate: 2.5\n      max_requests: 7\n      timeout: 9\n      margin: 3\n"
                                  "  - name: envoy-edge\n    kind: envoy\n    issuers: [" + kIssuer.toUtf8() + "]\n    config: envoy.yaml\n"
                                  "  - name: svc\n    kind: service\n    issuers: [" + kIssuer.toUtf8() + "]\n"
                                  "    library: {name: jsonwebtoken, version: 9.0.3, ecosystem: npm}\n"
                                  "    probe: {url: \"http://127.0.0.1:9/orders\"}\n";
        auto loaded = d.load(source);
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
        const QString base = d.dir.path();
        const QByteArray written = json ? estateToJson(*loaded, base) : estateToYaml(*loaded, base);
        const QString name = json ? QStringLiteral("written.json") : QStringLiteral("written.yaml");
        QCOMPARE(isJsonEstatePath(name), json);
        auto reread = parseEstate(written, json, name, base);
        QVERIFY2(reread.ok(), qPrintable((reread ? QString() : reread.error().toString()) + u'\n' + QString::fromUtf8(written)));
        QCOMPARE(describe(*reread), describe(*loaded));
        // Written again, the same text: nothing is lost or reordered on the way.
        QCOMPARE(json ? estateToJson(*reread, base) : estateToYaml(*reread, base), written);
        // Paths under the estate's folder are written relative to it; defaults are left out.
        QVERIFY(written.contains("key.pem"));
        QVERIFY(!written.contains(QByteArray(base.toUtf8() + "/key.pem")));
        QVERIFY(!written.contains("Authorization"));
        if (!json)
            QVERIFY(written.contains("    library: {name: \"jsonwebtoken\", version: \"9.0.3\", ecosystem: \"npm\"}\n"));
    }

    void writer_sampleFiles_roundTrip()
    {
        for (const char* file : {"estate.yaml", "estate.json"}) {
            auto loaded = loadEstateFile(dataFile(file));
            QVERIFY2(loaded.ok(), file);
            const QString base = QFileInfo(dataFile(file)).absolutePath();
            for (bool json : {false, true}) {
                const QByteArray written = json ? estateToJson(*loaded, base) : estateToYaml(*loaded, base);
                auto reread = parseEstate(written, json, QStringLiteral("written"), base);
                QVERIFY2(reread.ok(), qPrintable(reread ? QString() : reread.error().toString()));
                QCOMPARE(describe(*reread), describe(*loaded));
            }
        }
    }

    void writer_farAwayPaths_stayAbsolute()
    {
        EstateDir d;
        auto loaded = d.load(kHead + "  - name: a\n    kind: service\n    issuers: [" + kIssuer.toUtf8() + "]\n");
        QVERIFY(loaded.ok());
        Estate e = *loaded;
        QTemporaryDir other;
        const QString base = other.filePath(QStringLiteral("deep/er"));
        const QByteArray yaml = estateToYaml(e, base);
        QVERIFY2(yaml.contains(QByteArray("policy: \"" + e.policyPath.toUtf8() + "\"")), yaml.constData());
    }

    // ---- verdicts and the matrix ----

    void predictedGap_explainsTheAcceptance_butTheVerifierIsWeak()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("valid-aud-orders-api"), QStringLiteral("valid"), {}, true, probe::Outcome::Conforms),
                          result(QStringLiteral("typ-missing"), QStringLiteral("typ"), QStringLiteral("typ"), false,
                                 probe::Outcome::AcceptsRejected),
                          result(QStringLiteral("typ-wrong"), QStringLiteral("typ"), QStringLiteral("typ"), false,
                                 probe::Outcome::Conforms)});
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("typ"), exporting::GapStatus::NotEnforced),
                                                 gap(QStringLiteral("typ"), exporting::GapStatus::Enforced, kPartner)};
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Haproxy), e);
        // Predicted or not, it accepts what the policy rejects: weak, and the finding is explained.
        QCOMPARE(a.verdict, Verdict::Weak);
        QCOMPARE(a.target, QStringLiteral("haproxy"));
        QCOMPARE(variants(a.explained), QStringList{QStringLiteral("typ-missing")});
        QVERIFY(a.unexplained.isEmpty());
        QCOMPARE(a.explained.first().predicted, QStringLiteral("not_enforced"));
        QVERIFY(a.explained.first().detail.contains(QStringLiteral("detail of typ")));
        QCOMPARE(a.cells.value(QStringLiteral("typ")), QStringLiteral("accepts_rejected"));
        QCOMPARE(a.cells.value(QStringLiteral("valid")), QStringLiteral("conforms"));
    }

    void predictedAndUnpredictedAcceptances_isWeak()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("typ-missing"), QStringLiteral("typ"), QStringLiteral("typ"), false,
                                 probe::Outcome::AcceptsRejected),
                          result(QStringLiteral("alg-none-none"), QStringLiteral("alg_none"), QStringLiteral("algorithm_pin"),
                                 false, probe::Outcome::AcceptsRejected)});
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("typ"), exporting::GapStatus::NotEnforced),
                                                 gap(QStringLiteral("algorithm_pin"), exporting::GapStatus::Enforced)};
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Haproxy), e);
        QCOMPARE(a.verdict, Verdict::Weak);
        QCOMPARE(variants(a.explained), QStringList{QStringLiteral("typ-missing")});
        QCOMPARE(variants(a.unexplained), QStringList{QStringLiteral("alg-none-none")});
    }

    void rejectionWhereTheExportIsStricter_isExplained_butStillBreaksTraffic()
    {
        auto stricter = gap(QStringLiteral("clock_skew"), exporting::GapStatus::Enforced);
        stricter.stricter = true;
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("skew-inside"), QStringLiteral("expiry"), QStringLiteral("clock_skew"), true,
                                 probe::Outcome::RejectsAccepted),
                          result(QStringLiteral("valid-aud-a"), QStringLiteral("valid"), {}, true, probe::Outcome::Conforms)});
        e.probe->results[0].httpStatus = 401;
        e.predicted = QList<exporting::GapEntry>{stricter};
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Apache), e);
        QCOMPARE(a.verdict, Verdict::BreaksValidTraffic);
        QCOMPARE(variants(a.explainedRejections), QStringList{QStringLiteral("skew-inside")});
        QCOMPARE(a.explainedRejections.first().result, QStringLiteral("rejects_accepted"));
        QVERIFY(a.explainedRejections.first().detail.contains(QStringLiteral("HTTP 401")));
        QVERIFY(a.explained.isEmpty() && a.unexplained.isEmpty());
        QCOMPARE(a.cells.value(QStringLiteral("expiry")), QStringLiteral("rejects_accepted")); // the matrix still shows it

        // One reason, the predicted one: the refusal is not counted a second time as unpredicted.
        QVERIFY2(a.reasons.contains(QStringLiteral(
                     "rejects 1 token(s) the policy accepts, as its apache gap report predicted (stricter)")),
                 qPrintable(a.reasons.join(u'|')));
        QVERIFY(!a.reasons.contains(QStringLiteral("rejects 1 token(s) the policy accepts")));

        // The same row enforced as the policy does (not stricter): the refusal is unpredicted.
        stricter.stricter = false;
        e.predicted = QList<exporting::GapEntry>{stricter};
        const VerifierAssessment b = assessVerifier(verifier(VerifierKind::Apache), e);
        QCOMPARE(b.verdict, Verdict::BreaksValidTraffic);
        QVERIFY(b.explainedRejections.isEmpty());
        QVERIFY2(b.reasons.contains(QStringLiteral("rejects 1 token(s) the policy accepts")), qPrintable(b.reasons.join(u'|')));

        // An inconclusive token besides a predicted acceptance: still weak, nothing is hidden.
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("typ"), exporting::GapStatus::NotEnforced)};
        e.probe = report({result(QStringLiteral("typ-missing"), QStringLiteral("typ"), QStringLiteral("typ"), false,
                                 probe::Outcome::AcceptsRejected),
                          result(QStringLiteral("expired"), QStringLiteral("expiry"), QStringLiteral("exp_required"), false,
                                 probe::Outcome::Inconclusive)});
        QCOMPARE(assessVerifier(verifier(VerifierKind::Haproxy), e).verdict, Verdict::Weak);
    }

    void serviceWithAGeneratedExport_isJudgedAgainstItsGapRows()
    {
        Verifier service = verifier(VerifierKind::Service);
        service.library = LibraryRef{QStringLiteral("jose"), QStringLiteral("5.10.0"), QStringLiteral("npm"),
                                     exporting::Target::ServiceJose};
        QCOMPARE(referenceTargetFor(service), std::optional(exporting::Target::ServiceJose));
        QCOMPARE(referenceTargetFor(verifier(VerifierKind::Service)), std::nullopt);
        QCOMPARE(referenceTargetFor(verifier(VerifierKind::Apache)), std::optional(exporting::Target::Apache));
        VerifierEvidence e;
        e.libraryChecked = true;
        e.probe = report({result(QStringLiteral("duplicate-claims"), QStringLiteral("duplicate_claims"),
                                 QStringLiteral("duplicate_claims"), false, probe::Outcome::AcceptsRejected),
                          result(QStringLiteral("foreign-issuer"), QStringLiteral("issuer"), QStringLiteral("issuer"), false,
                                 probe::Outcome::AcceptsRejected)});
        auto dup = gap(QStringLiteral("duplicate_claims"), exporting::GapStatus::NotEnforced);
        dup.target = QStringLiteral("service:jose");
        auto iss = gap(QStringLiteral("issuer"), exporting::GapStatus::Enforced);
        iss.target = QStringLiteral("service:jose");
        e.predicted = QList<exporting::GapEntry>{dup, iss};
        const VerifierAssessment a = assessVerifier(service, e);
        QCOMPARE(a.target, QStringLiteral("service:jose"));
        QCOMPARE(variants(a.explained), QStringList{QStringLiteral("duplicate-claims")});
        QCOMPARE(variants(a.unexplained), QStringList{QStringLiteral("foreign-issuer")});
        QVERIFY(a.unexplained.first().detail.contains(QStringLiteral("service:jose gap report")));
        QCOMPARE(a.verdict, Verdict::Weak);
    }

    void libraryExport_isReadAndWritten()
    {
        EstateDir d;
        auto loaded = d.load(kHead + "  - name: orders\n    kind: service\n    issuers: [" + kIssuer.toUtf8() +
                             "]\n    library: {name: jose, version: 5.10.0, ecosystem: npm, export: \"service:jose\"}\n");
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->verifiers.first().library->exportTarget, std::optional(exporting::Target::ServiceJose));
        const QByteArray yaml = estateToYaml(*loaded, d.dir.path());
        QVERIFY2(yaml.contains("export: \"service:jose\""), yaml.constData());
        auto reread = parseEstate(yaml, false, QStringLiteral("w.yaml"), d.dir.path());
        QVERIFY(reread.ok());
        QCOMPARE(reread->verifiers.first().library, loaded->verifiers.first().library);
        auto rereadJson = parseEstate(estateToJson(*loaded, d.dir.path()), true, QStringLiteral("w.json"), d.dir.path());
        QVERIFY(rereadJson.ok());
        QCOMPARE(rereadJson->verifiers.first().library, loaded->verifiers.first().library);
    }

    void acceptanceOfAnEnforcedControl_isUnexplained_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("predicted");
        QTest::newRow("enforced") << int(exporting::GapStatus::Enforced) << "enforced";
        QTest::newRow("emulated") << int(exporting::GapStatus::Emulated) << "emulated";
        QTest::newRow("not_used") << int(exporting::GapStatus::NotUsed) << "not_used";
    }

    void acceptanceOfAnEnforcedControl_isUnexplained()
    {
        QFETCH(int, status);
        QFETCH(QString, predicted);
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("alg-none-none"), QStringLiteral("alg_none"), QStringLiteral("algorithm_pin"),
                                 false, probe::Outcome::AcceptsRejected)});
        e.predicted = QList<exporting::GapEntry>{
            gap(QStringLiteral("algorithm_pin"), static_cast<exporting::GapStatus>(status))};
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Haproxy), e);
        QCOMPARE(a.verdict, Verdict::Weak);
        QVERIFY(a.explained.isEmpty());
        QCOMPARE(variants(a.unexplained), QStringList{QStringLiteral("alg-none-none")});
        QCOMPARE(a.unexplained.first().predicted, predicted);
    }

    void gapOfAnotherIssuer_doesNotExplain()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("audience-wrong"), QStringLiteral("audience"), QStringLiteral("audience_binding"),
                                 false, probe::Outcome::AcceptsRejected)});
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("audience_binding"), exporting::GapStatus::NotEnforced, kPartner)};
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Apache), e);
        QCOMPARE(variants(a.unexplained), QStringList{QStringLiteral("audience-wrong")});
        QCOMPARE(a.unexplained.first().predicted, QStringLiteral("none"));
    }

    void serviceAcceptance_isUnexplained_noPrediction()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("foreign-issuer"), QStringLiteral("issuer"), QStringLiteral("issuer"), false,
                                 probe::Outcome::AcceptsRejected)});
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Service), e);
        QCOMPARE(a.verdict, Verdict::Weak);
        QVERIFY(a.target.isEmpty());
        QCOMPARE(a.unexplained.first().predicted, QStringLiteral("none"));
        QVERIFY(a.unexplained.first().detail.contains(QStringLiteral("no export predicts")));
    }

    void verdicts_followTheirPrecedence_data()
    {
        QTest::addColumn<QList<int>>("outcomes");
        QTest::addColumn<int>("verdict");
        using O = probe::Outcome;
        QTest::newRow("all conform") << QList<int>{int(O::Conforms), int(O::Conforms)} << int(Verdict::Conforms);
        QTest::newRow("rejects valid") << QList<int>{int(O::Conforms), int(O::RejectsAccepted)}
                                       << int(Verdict::BreaksValidTraffic);
        QTest::newRow("inconclusive") << QList<int>{int(O::Conforms), int(O::Inconclusive)} << int(Verdict::Inconclusive);
        QTest::newRow("breaking beats inconclusive") << QList<int>{int(O::Inconclusive), int(O::RejectsAccepted)}
                                                     << int(Verdict::BreaksValidTraffic);
        QTest::newRow("a predicted acceptance is weak") << QList<int>{int(O::Conforms), int(O::AcceptsRejected) | kPredicted}
                                                        << int(Verdict::Weak);
        QTest::newRow("a predicted acceptance beats breaking")
            << QList<int>{int(O::AcceptsRejected) | kPredicted, int(O::RejectsAccepted)} << int(Verdict::Weak);
        QTest::newRow("weak beats everything")
            << QList<int>{int(O::Inconclusive), int(O::RejectsAccepted), int(O::AcceptsRejected)} << int(Verdict::Weak);
    }

    void verdicts_followTheirPrecedence()
    {
        QFETCH(QList<int>, outcomes);
        QFETCH(int, verdict);
        QList<probe::ProbeResult> results;
        for (int i = 0; i < outcomes.size(); ++i) {
            // kPredicted: the token's control is not_enforced in the target's gap report.
            const bool predicted = outcomes.at(i) & kPredicted;
            const auto o = static_cast<probe::Outcome>(outcomes.at(i) & ~kPredicted);
            const bool expectedAccepted = o == probe::Outcome::RejectsAccepted;
            results << result(QStringLiteral("v%1").arg(i), QStringLiteral("expiry"),
                              predicted ? QStringLiteral("typ") : QStringLiteral("clock_skew"), expectedAccepted, o);
        }
        VerifierEvidence e;
        e.probe = report(results);
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("typ"), exporting::GapStatus::NotEnforced)};
        QCOMPARE(int(assessVerifier(verifier(VerifierKind::Haproxy), e).verdict), verdict);
    }

    void cell_isTheWorstOutcomeOfItsClass()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("skew-inside"), QStringLiteral("expiry"), QStringLiteral("clock_skew"), true,
                                 probe::Outcome::Conforms),
                          result(QStringLiteral("skew-outside"), QStringLiteral("expiry"), QStringLiteral("clock_skew"), false,
                                 probe::Outcome::Inconclusive),
                          result(QStringLiteral("expired"), QStringLiteral("expiry"), QStringLiteral("exp_required"), false,
                                 probe::Outcome::Conforms),
                          result(QStringLiteral("nbf-inside-skew"), QStringLiteral("not_before"), QStringLiteral("nbf"), true,
                                 probe::Outcome::RejectsAccepted),
                          result(QStringLiteral("nbf-outside-skew"), QStringLiteral("not_before"), QStringLiteral("nbf"), false,
                                 probe::Outcome::AcceptsRejected)});
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Service), e);
        QCOMPARE(a.cells.value(QStringLiteral("expiry")), QStringLiteral("inconclusive"));
        QCOMPARE(a.cells.value(QStringLiteral("not_before")), QStringLiteral("accepts_rejected"));
        QVERIFY(!a.cells.contains(QStringLiteral("typ")));
    }

    void driftLooseningAndAdvisories_makeAVerifierWeak()
    {
        VerifierEvidence drift;
        drift.drift = exporting::DriftReport{QStringLiteral("envoy"),
                                             {exporting::DriftFinding{QStringLiteral("clock_skew"), kIssuer,
                                                                      QStringLiteral("providers.a.clock_skew_seconds"),
                                                                      QStringLiteral("600 s, the policy allows 30 s"),
                                                                      exporting::DriftClass::Loosening},
                                              exporting::DriftFinding{QStringLiteral("unreadable"), kIssuer, QStringLiteral("x"),
                                                                      QStringLiteral("keys in a file"),
                                                                      exporting::DriftClass::Unverified}},
                                             1};
        const VerifierAssessment d = assessVerifier(verifier(VerifierKind::Envoy), drift);
        QCOMPARE(d.verdict, Verdict::Weak);
        QCOMPARE(variants(d.unexplained), QStringList{QStringLiteral("drift:clock_skew")});
        QVERIFY(d.reasons.contains(QStringLiteral("not probed")));

        VerifierEvidence clean;
        clean.drift = exporting::DriftReport{QStringLiteral("envoy"), {}, 1};
        QCOMPARE(assessVerifier(verifier(VerifierKind::Envoy), clean).verdict, Verdict::Conforms);

        auto db = loadBundledAdvisories();
        QVERIFY(db.ok());
        Verifier service = verifier(VerifierKind::Service);
        service.library = LibraryRef{QStringLiteral("jsonwebtoken"), QStringLiteral("8.5.1"), QStringLiteral("npm"), std::nullopt};
        VerifierEvidence lib;
        lib.libraryChecked = true;
        lib.advisories = matchAdvisories(db.value(), service.library->name, service.library->version);
        const VerifierAssessment s = assessVerifier(service, lib);
        QCOMPARE(s.verdict, Verdict::Weak);
        QCOMPARE(variants(s.unexplained),
                 (QStringList{QStringLiteral("advisory:CVE-2022-23540"), QStringLiteral("advisory:CVE-2022-23541")}));
        QVERIFY(s.unexplained.first().detail.contains(QStringLiteral("Fixed in 9.0.0")));

        VerifierEvidence fixedLib;
        fixedLib.libraryChecked = true;
        QCOMPARE(assessVerifier(service, fixedLib).verdict, Verdict::Conforms);
    }

    void nothingChecked_isInconclusive()
    {
        const VerifierAssessment a = assessVerifier(verifier(VerifierKind::Istio), VerifierEvidence{});
        QCOMPARE(a.verdict, Verdict::Inconclusive);
        QVERIFY(a.reasons.last().contains(QStringLiteral("nothing to check")));
    }

    void matrix_listsEveryClassForEveryVerifier()
    {
        VerifierEvidence weak;
        weak.probe = report({result(QStringLiteral("foreign-issuer"), QStringLiteral("issuer"), QStringLiteral("issuer"), false,
                                    probe::Outcome::AcceptsRejected),
                             result(QStringLiteral("audience-wrong"), QStringLiteral("audience"),
                                    QStringLiteral("audience_binding"), false, probe::Outcome::AcceptsRejected),
                             result(QStringLiteral("x-new"), QStringLiteral("future_class"), QStringLiteral("x"), false,
                                    probe::Outcome::Conforms)});
        VerifierEvidence fine;
        fine.probe = report({result(QStringLiteral("valid-aud-a"), QStringLiteral("valid"), {}, true, probe::Outcome::Conforms)});
        const QList<VerifierAssessment> all{assessVerifier(verifier(VerifierKind::Service, QStringLiteral("weak-svc")), weak),
                                            assessVerifier(verifier(VerifierKind::Service, QStringLiteral("fine-svc")), fine)};
        const EstateMatrix m = buildMatrix(all);
        QCOMPARE(m.classes.first(), QStringLiteral("valid"));
        QCOMPARE(m.classes.last(), QStringLiteral("future_class")); // unknown classes are appended, not dropped
        QCOMPARE(m.classes.size(), matrixClassOrder().size() + 1);
        QCOMPARE(m.rows.size(), 2);
        QCOMPARE(m.rows.at(0).cells.size(), m.classes.size());
        QCOMPARE(m.rows.at(0).cells.value(QStringLiteral("issuer")), QStringLiteral("accepts_rejected"));
        QCOMPARE(m.rows.at(0).cells.value(QStringLiteral("valid")), kNotProbed);
        QCOMPARE(m.rows.at(0).unexplainedClasses, (QStringList{QStringLiteral("audience"), QStringLiteral("issuer")}));
        QCOMPARE(m.rows.at(1).cells.value(QStringLiteral("valid")), QStringLiteral("conforms"));
        QVERIFY(m.rows.at(1).unexplainedClasses.isEmpty());

        EstateReport r;
        r.verifiers = all;
        r.matrix = m;
        QCOMPARE(estateExitCode(r), 1);
        r.verifiers.removeFirst();
        QCOMPARE(estateExitCode(r), 0);
        r.cancelled = true;
        QCOMPARE(estateExitCode(r), 1);
    }

    void json_hasTheDocumentedShape()
    {
        VerifierEvidence e;
        e.probe = report({result(QStringLiteral("typ-missing"), QStringLiteral("typ"), QStringLiteral("typ"), false,
                                 probe::Outcome::AcceptsRejected)});
        e.predicted = QList<exporting::GapEntry>{gap(QStringLiteral("typ"), exporting::GapStatus::NotEnforced)};
        EstateReport r;
        r.estatePath = QStringLiteral("/x/estate.yaml");
        r.policyName = QStringLiteral("p");
        r.advisoriesUpdated = QStringLiteral("2026-12-07");
        r.checkedAtUnixSeconds = 1796083200;
        r.verifiers = {assessVerifier(verifier(VerifierKind::Haproxy, QStringLiteral("edge")), e)};
        r.matrix = buildMatrix(r.verifiers);
        const QJsonObject j = estateReportToJson(r);
        for (const char* key : {"estate", "name", "policy", "policy_file", "checked_at", "advisories_updated", "cancelled",
                                "summary", "verifiers", "matrix"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QCOMPARE(j.value(QStringLiteral("advisories_updated")).toString(), QStringLiteral("2026-12-07"));
        QCOMPARE(j.value(QStringLiteral("summary")).toObject().value(QStringLiteral("weak")).toInt(), 1);
        QVERIFY(!j.value(QStringLiteral("summary")).toObject().contains(QStringLiteral("known_gaps")));
        const QJsonObject v = j.value(QStringLiteral("verifiers")).toArray().first().toObject();
        for (const char* key : {"name", "kind", "owner", "issuers", "target", "verdict", "reasons", "probe", "drift",
                                "library", "advisories", "explained", "unexplained", "explained_rejections"})
            QVERIFY2(v.contains(QLatin1String(key)), key);
        QCOMPARE(v.value(QStringLiteral("verdict")).toString(), QStringLiteral("weak"));
        QCOMPARE(v.value(QStringLiteral("target")).toString(), QStringLiteral("haproxy"));
        QVERIFY(v.value(QStringLiteral("drift")).isNull());
        QCOMPARE(v.value(QStringLiteral("probe")).toObject().value(QStringLiteral("summary")).toObject()
                     .value(QStringLiteral("accepts_rejected")).toInt(), 1);
        const QJsonObject explained = v.value(QStringLiteral("explained")).toArray().first().toObject();
        QCOMPARE(explained.value(QStringLiteral("source")).toString(), QStringLiteral("probe"));
        QCOMPARE(explained.value(QStringLiteral("variant")).toString(), QStringLiteral("typ-missing"));
        QCOMPARE(explained.value(QStringLiteral("predicted")).toString(), QStringLiteral("not_enforced"));
        QCOMPARE(explained.value(QStringLiteral("result")).toString(), QStringLiteral("accepts_rejected"));
        const QJsonObject matrix = j.value(QStringLiteral("matrix")).toObject();
        QCOMPARE(matrix.value(QStringLiteral("classes")).toArray().size(), matrixClassOrder().size());
        const QJsonObject row = matrix.value(QStringLiteral("rows")).toArray().first().toObject();
        QCOMPARE(row.value(QStringLiteral("verifier")).toString(), QStringLiteral("edge"));
        QCOMPARE(row.value(QStringLiteral("cells")).toObject().value(QStringLiteral("typ")).toString(),
                 QStringLiteral("accepts_rejected"));
        QCOMPARE(row.value(QStringLiteral("cells")).toObject().value(QStringLiteral("crit")).toString(), kNotProbed);
        // No token bytes: a fingerprint is the only name of a token.
        QVERIFY(!QJsonDocument(j).toJson().contains("eyJ"));
    }
};

QTEST_GUILESS_MAIN(TestEstate)
#include "tst_estate.moc"
