// SPDX-License-Identifier: Apache-2.0
// The policy file format v1: loading YAML and JSON, every loader error with its line and field
// path, canonical saving, atomic replacement, key files, exception dates and load limits.

#include "FileSizeCap.h"
#include "policy/PolicyIO.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace jwb;
using namespace jwb::policy;

namespace {

const QString kPolicyDir = QStringLiteral(JWB_TEST_DATA "/policies");
const QString kSampleYaml = QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml");
const QString kSampleJson = QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.json");

Result<Policy> parseText(const QByteArray& text, Format format = Format::Yaml, const LoadLimits& limits = {})
{
    const QString name = format == Format::Json ? QStringLiteral("policy.json") : QStringLiteral("policy.yaml");
    return parsePolicy(text, format, name, kPolicyDir, limits);
}

Policy loadOrFail(const QString& path)
{
    auto policy = loadPolicyFile(path);
    if (!policy) {
        qWarning("%s", qPrintable(policy.error().toString()));
        return Policy();
    }
    return policy.value();
}

// The 1-based line of the first line of `text` containing `needle`.
int lineOf(const QByteArray& text, const QByteArray& needle)
{
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(needle))
            return static_cast<int>(i) + 1;
    }
    return 0;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// The login issuer's public JWK (also pinned in the sample policy), for inline key tests.
QByteArray loginJwkYaml(int indent)
{
    const QByteArray jwks = readAll(kPolicyDir + QStringLiteral("/keys/login.jwks.json"));
    const QByteArray pad(indent, ' ');
    // Inline JSON is valid YAML flow: the JWKS file's content is reused as is, on one line.
    QByteArray compact = jwks.simplified();
    return pad + "jwks: " + compact + '\n';
}

} // namespace

class TestPolicyIO final : public QObject {
    Q_OBJECT

private slots:
    void sampleYamlAndJson_loadToEqualPolicies();
    void sample_hasResolvedKeysAndExpectedShape();
    void sampleJson_isCanonicalSaveOfSampleYaml();
    void embeddedSample_equalsFileSample();
    void sourceLinesOf_matchesLoaderWithoutReadingKeyFiles();
    void effectiveRules_defaultsThenOverrides();
    void effectiveRules_withoutDefaults_failsClosed();
    void findIssuer_isExactMatch();
    void formatForPath_jsonByExtensionOnly();
    void loadPolicyFile_missingOrDirectory_isReadError();
    void embeddedSchema_isTheSchemaFile();

    void loaderErrors_haveCodeLineAndPath_data();
    void loaderErrors_haveCodeLineAndPath();
    void futureVersion_saysWhichFormat();
    void jsonSyntaxError_isReportedAsJsonWithLineAndColumn();
    void yamlSyntaxError_hasLine();

    void sourceLines_recordEveryFieldByPath();
    void roundTrip_yamlAndJson_giveEqualPolicyAndIdenticalBytes();
    void canonicalOutput_isInSchemaOrder();
    void ambiguousStrings_roundTripAsStrings();
    void optionalSections_areOmittedAndReloadEqual();

    void exceptionExpiry_dateMeansEndOfDayUtc();
    void exceptionExpiry_instantForms_data();
    void exceptionExpiry_instantForms();
    void exceptionKeys_areResolved();

    void keyFiles_resolveRelativeToPolicyDirectory();
    void keyFile_absolutePathIsUsedAsIs();
    void testJwks_areMarkedAsTestKeys();
    void keyError_reportsKeyProblemAtField();
    void resolveKeys_failureLeavesResolvedKeysIntact();
    void manyIssuers_keysResolvedInOrder_firstFailureInDocumentOrder();

    void save_replacesFileAndLeavesNoTemporaryFiles();
    void save_failedWrite_keepsOldFile();
    void save_unwritableDirectory_keepsOldFile();
    void save_missingDirectory_isAnError();

    void limits_millionIssuerFile_refusedBySize();
    void limits_tooManyIssuers();
    void limits_tooManyKeysPerIssuer();
    void limits_textLargerThanLimit();
    void hostileYaml_deepNestingAndAliases_refused();
};

void TestPolicyIO::sampleYamlAndJson_loadToEqualPolicies()
{
    auto yaml = loadPolicyFile(kSampleYaml);
    QVERIFY2(yaml.ok(), qPrintable(yaml ? QString() : yaml.error().toString()));
    auto json = loadPolicyFile(kSampleJson);
    QVERIFY2(json.ok(), qPrintable(json ? QString() : json.error().toString()));
    QVERIFY(yaml.value() == json.value());
    QCOMPARE(yaml->sourcePath, QFileInfo(kSampleYaml).absoluteFilePath());
}

void TestPolicyIO::sample_hasResolvedKeysAndExpectedShape()
{
    const Policy p = loadOrFail(kSampleYaml);
    QCOMPARE(p.name, QStringLiteral("payments-platform"));
    QCOMPARE(p.revision, 3);
    QCOMPARE(p.issuers.size(), 3);
    QSet<QString> domains;
    for (const Issuer& issuer : p.issuers) {
        domains.insert(issuer.trustDomain);
        QCOMPARE(issuer.keys.resolved.size(), 1);
        QVERIFY(!issuer.keys.resolved.first().testKey);
    }
    QCOMPARE(domains.size(), 2);
    QCOMPARE(p.issuers.at(0).keys.resolved.first().kid, QStringLiteral("login-2026-11"));
    QCOMPARE(p.issuers.at(1).keys.resolved.first().type, keys::KeyType::Ec);
    QCOMPARE(p.issuers.at(1).overrides.algorithms, QStringList{QStringLiteral("ES256")});
    QCOMPARE(p.exceptions.size(), 1);
    QCOMPARE(p.exceptions.first().owner, QStringLiteral("billing-team@example.com"));
    QCOMPARE(p.deployments.size(), 2);
    QVERIFY(p.hasDelegation);
    QVERIFY(p.issuers.at(0).keys.refresh.has_value());
    QCOMPARE(p.issuers.at(0).keys.refresh->cacheSeconds, std::optional<qint64>(600));
}

void TestPolicyIO::sampleJson_isCanonicalSaveOfSampleYaml()
{
    // The JSON sample is kept as the writer's own output, so it also shows the canonical form.
    QCOMPARE(serializePolicy(loadOrFail(kSampleYaml), Format::Json), readAll(kSampleJson));
}

void TestPolicyIO::embeddedSample_equalsFileSample()
{
    auto embedded = loadSamplePolicy();
    QVERIFY2(embedded.ok(), qPrintable(embedded ? QString() : embedded.error().toString()));
    QVERIFY(embedded.value() == loadOrFail(kSampleYaml));
    QCOMPARE(embedded->issuers.at(2).keys.resolved.size(), 1);
}

void TestPolicyIO::sourceLinesOf_matchesLoaderWithoutReadingKeyFiles()
{
    // The canonical JSON sample on disk: what the loader records for it is what sourceLinesOf gives.
    const QByteArray json = readAll(kSampleJson);
    const SourceLines lines = sourceLinesOf(json, Format::Json);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines, loadOrFail(kSampleJson).sourceLines);
    // A key file that does not exist (a policy saved away from its keys) still gives its lines.
    const QByteArray text = "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n"
                            "      jwks_file: keys/absent.json\n";
    QCOMPARE(sourceLinesOf(text, Format::Yaml).value(QStringLiteral("issuers[0].keys.jwks_file")), 5);
    QVERIFY(sourceLinesOf("jwt_policy: [", Format::Yaml).isEmpty());
}

void TestPolicyIO::effectiveRules_defaultsThenOverrides()
{
    const Policy p = loadOrFail(kSampleYaml);
    const EffectiveRules login = p.effectiveRules(p.issuers.at(0));
    QCOMPARE(login.algorithms, QStringList{QStringLiteral("RS256")});
    QCOMPARE(login.clockSkewSeconds, 30);
    QCOMPARE(login.maxLifetimeSeconds, std::optional<qint64>(3600));
    QVERIFY(login.requireKid);
    const EffectiveRules partner = p.effectiveRules(p.issuers.at(1));
    QCOMPARE(partner.algorithms, QStringList{QStringLiteral("ES256")});
    QCOMPARE(partner.clockSkewSeconds, 10);
    QCOMPARE(partner.requiredClaims, login.requiredClaims);
    const EffectiveRules billing = p.effectiveRules(p.issuers.at(2));
    QCOMPARE(billing.maxLifetimeSeconds, std::optional<qint64>(900));
    QCOMPARE(billing.algorithms, QStringList{QStringLiteral("RS256")});
}

void TestPolicyIO::effectiveRules_withoutDefaults_failsClosed()
{
    auto p = parseText("jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    audiences: [x]\n");
    QVERIFY(p.ok());
    const EffectiveRules rules = p->effectiveRules(p->issuers.first());
    QVERIFY(rules.algorithms.isEmpty());
    QCOMPARE(rules.requiredClaims, QStringList{QStringLiteral("exp")});
    QVERIFY(!rules.maxLifetimeSeconds);
    QVERIFY(!rules.allowedTypes);
}

void TestPolicyIO::findIssuer_isExactMatch()
{
    const Policy p = loadOrFail(kSampleYaml);
    QVERIFY(p.findIssuer(u"https://login.example.com/") == &p.issuers.at(0));
    QVERIFY(!p.findIssuer(u"https://login.example.com"));
    QVERIFY(!p.findIssuer(u"https://LOGIN.example.com/"));
    QVERIFY(!p.findIssuer(u"https://login.example.com/ "));
    QVERIFY(!p.findIssuer(u"https://lоgin.example.com/")); // Cyrillic о
    QVERIFY(!p.findIssuer(u""));
}

void TestPolicyIO::formatForPath_jsonByExtensionOnly()
{
    QCOMPARE(formatForPath(QStringLiteral("a/policy.json")), Format::Json);
    QCOMPARE(formatForPath(QStringLiteral("POLICY.JSON")), Format::Json);
    QCOMPARE(formatForPath(QStringLiteral("policy.yaml")), Format::Yaml);
    QCOMPARE(formatForPath(QStringLiteral("policy.yml")), Format::Yaml);
    QCOMPARE(formatForPath(QStringLiteral("policy.json.bak")), Format::Yaml);
}

void TestPolicyIO::loadPolicyFile_missingOrDirectory_isReadError()
{
    auto missing = loadPolicyFile(kPolicyDir + QStringLiteral("/absent.yaml"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, QStringLiteral("ERR_POLICY_READ"));
    QCOMPARE(missing.error().location, kPolicyDir + QStringLiteral("/absent.yaml"));
    auto directory = loadPolicyFile(kPolicyDir);
    QVERIFY(!directory.ok());
    QCOMPARE(directory.error().code, QStringLiteral("ERR_POLICY_READ"));
}

void TestPolicyIO::embeddedSchema_isTheSchemaFile()
{
    // loadSamplePolicy registers the core resources; the schema printed by `jwt-policy schema` is
    // the file in resources/schema, not a copy.
    QVERIFY(loadSamplePolicy().ok());
    const QByteArray embedded = readAll(QStringLiteral(":/schema/jwt-policy-v1.schema.json"));
    QVERIFY(!embedded.isEmpty());
    QCOMPARE(embedded, readAll(QStringLiteral(JWB_SOURCE_DIR "/resources/schema/jwt-policy-v1.schema.json")));
}

void TestPolicyIO::loaderErrors_haveCodeLineAndPath_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("json");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("path");

    const auto yaml = [](const char* name, const char* text, const char* code, int line, const char* path) {
        QTest::newRow(name) << QByteArray(text) << false << QString::fromLatin1(code) << line << QString::fromLatin1(path);
    };
    const auto json = [](const char* name, const char* text, const char* code, int line, const char* path) {
        QTest::newRow(name) << QByteArray(text) << true << QString::fromLatin1(code) << line << QString::fromLatin1(path);
    };

    yaml("unknown top-level field", "jwt_policy: 1\nissuers: []\nfoo: 1\n", "ERR_POLICY_UNKNOWN_FIELD", 3, "foo");
    yaml("unknown nested field",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    overrides:\n      skew: 5\n",
         "ERR_POLICY_UNKNOWN_FIELD", 5, "issuers[0].overrides.skew");
    yaml("unknown key source", "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jku: x\n",
         "ERR_POLICY_UNKNOWN_FIELD", 5, "issuers[0].keys.jku");
    yaml("jwks_uri not allowed in exception keys",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n    expires: 2027-01-01\n"
         "    issuer: https://a.example/\n    allow:\n      keys:\n        jwks_uri: https://a.example/jwks\n",
         "ERR_POLICY_UNKNOWN_FIELD", 10, "exceptions[0].allow.keys.jwks_uri");
    yaml("string for integer", "jwt_policy: 1\nrevision: three\n", "ERR_POLICY_TYPE", 2, "revision");
    yaml("quoted integer", "jwt_policy: 1\ndefaults:\n  clock_skew_seconds: \"30\"\n", "ERR_POLICY_TYPE", 3,
         "defaults.clock_skew_seconds");
    yaml("fraction for integer", "jwt_policy: 1\ndefaults:\n  max_lifetime_seconds: 3600.5\n", "ERR_POLICY_TYPE", 3,
         "defaults.max_lifetime_seconds");
    yaml("scalar for list", "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    audiences: payments-api\n",
         "ERR_POLICY_TYPE", 4, "issuers[0].audiences");
    yaml("number for string", "jwt_policy: 1\nname: 123\n", "ERR_POLICY_TYPE", 2, "name");
    yaml("null for string", "jwt_policy: 1\nname:\nowner: x\n", "ERR_POLICY_TYPE", 2, "name");
    yaml("boolean in string list", "jwt_policy: 1\ndefaults:\n  algorithms: [RS256, true]\n", "ERR_POLICY_TYPE", 3,
         "defaults.algorithms[1]");
    yaml("string for boolean", "jwt_policy: 1\ndefaults:\n  require_kid: yes\n", "ERR_POLICY_TYPE", 3,
         "defaults.require_kid");
    yaml("mapping for issuers", "jwt_policy: 1\nissuers:\n  a: b\n", "ERR_POLICY_TYPE", 3, "issuers");
    yaml("policy is a list", "- jwt_policy\n", "ERR_POLICY_TYPE", 1, "");
    yaml("version missing", "name: x\nissuers: []\n", "ERR_POLICY_VERSION", 1, "jwt_policy");
    yaml("version too high", "name: x\njwt_policy: 2\n", "ERR_POLICY_VERSION", 2, "jwt_policy");
    yaml("version zero", "jwt_policy: 0\n", "ERR_POLICY_VERSION", 1, "jwt_policy");
    yaml("version as string", "jwt_policy: \"1\"\n", "ERR_POLICY_TYPE", 1, "jwt_policy");
    yaml("skew above 300",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n  - issuer: https://b.example/\n    overrides:\n"
         "      clock_skew_seconds: 301\n",
         "ERR_POLICY_RANGE", 6, "issuers[1].overrides.clock_skew_seconds");
    yaml("negative skew", "jwt_policy: 1\ndefaults:\n  clock_skew_seconds: -1\n", "ERR_POLICY_RANGE", 3,
         "defaults.clock_skew_seconds");
    yaml("zero max lifetime", "jwt_policy: 1\ndefaults:\n  max_lifetime_seconds: 0\n", "ERR_POLICY_RANGE", 3,
         "defaults.max_lifetime_seconds");
    yaml("token bytes below 64", "jwt_policy: 1\ndefaults:\n  max_token_bytes: 63\n", "ERR_POLICY_RANGE", 3,
         "defaults.max_token_bytes");
    yaml("token bytes above 1 MiB", "jwt_policy: 1\ndefaults:\n  max_token_bytes: 1048577\n", "ERR_POLICY_RANGE", 3,
         "defaults.max_token_bytes");
    yaml("integer overflow", "jwt_policy: 1\ndefaults:\n  max_lifetime_seconds: 99999999999999999999\n",
         "ERR_POLICY_RANGE", 3, "defaults.max_lifetime_seconds");
    yaml("exception skew above 300",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n    expires: 2027-01-01\n"
         "    issuer: https://a.example/\n    allow: { clock_skew_seconds: 600 }\n",
         "ERR_POLICY_RANGE", 8, "exceptions[0].allow.clock_skew_seconds");
    yaml("max_chain zero", "jwt_policy: 1\ndelegation:\n  max_chain: 0\n", "ERR_POLICY_RANGE", 3,
         "delegation.max_chain");
    yaml("duplicate issuer",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n  - issuer: https://b.example/\n"
         "  - trust_domain: x\n    issuer: https://a.example/\n",
         "ERR_POLICY_DUPLICATE_ISSUER", 6, "issuers[2].issuer");
    yaml("duplicate exception id",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n    expires: 2027-01-01\n"
         "    issuer: https://a.example/\n  - id: e\n    expires: 2027-01-01\n    issuer: https://a.example/\n",
         "ERR_POLICY_DUPLICATE_EXCEPTION", 8, "exceptions[1].id");
    yaml("exception names unknown issuer",
         "jwt_policy: 1\nexceptions:\n  - id: e\n    expires: 2027-01-01\n    issuer: https://b.example/\n"
         "issuers:\n  - issuer: https://a.example/\n",
         "ERR_POLICY_UNKNOWN_ISSUER", 5, "exceptions[0].issuer");
    yaml("exception without expires",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n    issuer: https://a.example/\n",
         "ERR_POLICY_MISSING_FIELD", 5, "exceptions[0].expires");
    yaml("exception without id",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - expires: 2027-01-01\n"
         "    issuer: https://a.example/\n",
         "ERR_POLICY_MISSING_FIELD", 5, "exceptions[0].id");
    yaml("impossible date",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n    expires: 2026-02-30\n"
         "    issuer: https://a.example/\n",
         "ERR_POLICY_DATE", 6, "exceptions[0].expires");
    yaml("instant without zone",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n"
         "    expires: 2026-12-31T18:00:00\n    issuer: https://a.example/\n",
         "ERR_POLICY_DATE", 6, "exceptions[0].expires");
    yaml("hour 25",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n"
         "    expires: 2026-12-31T25:00:00Z\n    issuer: https://a.example/\n",
         "ERR_POLICY_DATE", 6, "exceptions[0].expires");
    yaml("issuer entry without issuer", "jwt_policy: 1\nissuers:\n  - trust_domain: workforce\n",
         "ERR_POLICY_MISSING_FIELD", 3, "issuers[0].issuer");
    yaml("empty issuer", "jwt_policy: 1\nissuers:\n  - issuer: \"\"\n", "ERR_POLICY_VALUE", 3, "issuers[0].issuer");
    yaml("deployment without target", "jwt_policy: 1\ndeployments:\n  - only_verifier: true\n",
         "ERR_POLICY_MISSING_FIELD", 3, "deployments[0].target");
    yaml("unknown deployment target", "jwt_policy: 1\ndeployments:\n  - target: apache\n", "ERR_POLICY_VALUE", 3,
         "deployments[0].target");
    yaml("unknown act value", "jwt_policy: 1\ndelegation:\n  act: maybe\n", "ERR_POLICY_VALUE", 3, "delegation.act");
    yaml("unknown nested value", "jwt_policy: 1\ndelegation:\n  nested: always\n", "ERR_POLICY_VALUE", 3,
         "delegation.nested");
    yaml("duplicate key", "jwt_policy: 1\nname: a\nowner: o\nname: b\n", "ERR_POLICY_DUPLICATE_KEY", 4, "name");
    yaml("duplicate nested key", "jwt_policy: 1\ndefaults:\n  clock_skew_seconds: 10\n  clock_skew_seconds: 300\n",
         "ERR_POLICY_DUPLICATE_KEY", 4, "defaults.clock_skew_seconds");
    yaml("duplicate member inside a JWK",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks:\n        keys:\n"
         "          - kty: oct\n            kid: a\n            kid: b\n",
         "ERR_POLICY_DUPLICATE_KEY", 9, "issuers[0].keys.jwks.keys[0].kid");
    yaml("jwks without keys", "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks: {}\n",
         "ERR_POLICY_MISSING_FIELD", 5, "issuers[0].keys.jwks.keys");
    yaml("missing jwks_file",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks_file: keys/absent.json\n",
         "ERR_POLICY_KEY", 5, "issuers[0].keys.jwks_file");
    yaml("jwks_file is a directory",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks_file: keys\n",
         "ERR_POLICY_KEY", 5, "issuers[0].keys.jwks_file");
    yaml("jwks_file holds PEM",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks_file: keys/partner.pem\n",
         "ERR_POLICY_KEY", 5, "issuers[0].keys.jwks_file");
    yaml("missing pem file",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      pem_files:\n"
         "        - keys/partner.pem\n        - keys/absent.pem\n",
         "ERR_POLICY_KEY", 7, "issuers[0].keys.pem_files[1]");
    yaml("short HMAC key inline",
         "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      jwks:\n        keys:\n"
         "          - {kty: oct, kid: short, k: c2hvcnQ}\n",
         "ERR_POLICY_KEY", 5, "issuers[0].keys.jwks");
    yaml("YAML alias", "jwt_policy: 1\nname: &n x\nowner: *n\n", "ERR_POLICY_SYNTAX", 3, "");
    yaml("YAML custom tag", "jwt_policy: 1\nname: !!binary aGVsbG8=\n", "ERR_POLICY_SYNTAX", 2, "");
    yaml("two documents", "jwt_policy: 1\n---\njwt_policy: 1\n", "ERR_POLICY_SYNTAX", 3, "");
    yaml("empty file", "", "ERR_POLICY_SYNTAX", 0, "");
    yaml("complex key", "jwt_policy: 1\n? [a, b]\n: c\n", "ERR_POLICY_SYNTAX", 2, "");

    json("JSON unknown field", "{\n  \"jwt_policy\": 1,\n  \"issuers\": [\n    {\"issuer\": \"https://a.example/\",\n"
                               "     \"audience\": [\"x\"]}\n  ]\n}\n",
         "ERR_POLICY_UNKNOWN_FIELD", 5, "issuers[0].audience");
    json("JSON quoted integer", "{\"jwt_policy\": 1, \"revision\": \"3\"}", "ERR_POLICY_TYPE", 1, "revision");
    json("JSON fraction", "{\n  \"jwt_policy\": 1,\n  \"defaults\": {\"clock_skew_seconds\": 30.0}\n}\n",
         "ERR_POLICY_TYPE", 3, "defaults.clock_skew_seconds");
    json("JSON string true is a string",
         "{\n  \"jwt_policy\": 1,\n  \"defaults\": {\n    \"require_kid\": \"true\"\n  }\n}\n", "ERR_POLICY_TYPE", 4,
         "defaults.require_kid");
    json("JSON duplicate member", "{\n  \"jwt_policy\": 1,\n  \"name\": \"a\",\n  \"name\": \"b\"\n}\n",
         "ERR_POLICY_DUPLICATE_KEY", 4, "name");
    json("JSON version too high", "{\"jwt_policy\": 7}", "ERR_POLICY_VERSION", 1, "jwt_policy");
    json("JSON skew range", "{\n  \"jwt_policy\": 1,\n  \"defaults\": {\n    \"clock_skew_seconds\": 900\n  }\n}\n",
         "ERR_POLICY_RANGE", 4, "defaults.clock_skew_seconds");
    json("JSON trailing comma", "{\n  \"jwt_policy\": 1,\n  \"name\": \"x\",\n}\n", "ERR_POLICY_SYNTAX", 4, "");
    json("JSON top-level array", "[1]", "ERR_POLICY_SYNTAX", 1, "");
}

void TestPolicyIO::loaderErrors_haveCodeLineAndPath()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, json);
    QFETCH(QString, code);
    QFETCH(int, line);
    QFETCH(QString, path);

    auto policy = parseText(text, json ? Format::Json : Format::Yaml);
    QVERIFY2(!policy.ok(), "the policy was accepted");
    QCOMPARE(policy.error().code, code);
    QString expected = json ? QStringLiteral("policy.json") : QStringLiteral("policy.yaml");
    if (line > 0)
        expected += u':' + QString::number(line);
    if (!path.isEmpty())
        expected += QStringLiteral(": ") + path;
    QCOMPARE(policy.error().location, expected);
    QVERIFY(!policy.error().message.isEmpty());
}

void TestPolicyIO::futureVersion_saysWhichFormat()
{
    auto policy = parseText("jwt_policy: 2\n");
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().message, QStringLiteral("written for format 2; this build reads format 1"));
}

void TestPolicyIO::jsonSyntaxError_isReportedAsJsonWithLineAndColumn()
{
    auto policy = parseText("{\n  \"jwt_policy\": 1,\n  \"name\": payments\n}\n", Format::Json);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_SYNTAX"));
    QCOMPARE(policy.error().location, QStringLiteral("policy.json:3"));
    QVERIFY2(policy.error().message.startsWith(QStringLiteral("JSON syntax error at column ")),
             qPrintable(policy.error().message));
}

void TestPolicyIO::yamlSyntaxError_hasLine()
{
    auto policy = parseText("jwt_policy: 1\nname: x\nissuers: [a, b\nowner: y\n");
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_SYNTAX"));
    QVERIFY2(policy.error().location.startsWith(QStringLiteral("policy.yaml:")), qPrintable(policy.error().location));
    QVERIFY(policy.error().message.startsWith(QStringLiteral("YAML")));
}

void TestPolicyIO::sourceLines_recordEveryFieldByPath()
{
    const QByteArray yamlText = readAll(kSampleYaml);
    const Policy yaml = loadOrFail(kSampleYaml);
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("jwt_policy")), lineOf(yamlText, "jwt_policy: 1"));
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("issuers[1].overrides.clock_skew_seconds")),
             lineOf(yamlText, "clock_skew_seconds: 10"));
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("exceptions[0].expires")), lineOf(yamlText, "expires: 2027-03-31"));
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("issuers[2].subjects[1]")), lineOf(yamlText, "subjects: ["));
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("issuers[1].keys.jwks.keys[0]")), lineOf(yamlText, "kty: EC"));
    QCOMPARE(yaml.sourceLines.value(QStringLiteral("deployments[1].target")), lineOf(yamlText, "target: kong"));

    const QByteArray jsonText = readAll(kSampleJson);
    const Policy json = loadOrFail(kSampleJson);
    QCOMPARE(json.sourceLines.value(QStringLiteral("issuers[1].overrides.clock_skew_seconds")),
             lineOf(jsonText, "\"clock_skew_seconds\": 10"));
    QCOMPARE(json.sourceLines.value(QStringLiteral("delegation.act")), lineOf(jsonText, "\"act\": \"reject\""));
    // Every recorded line is inside the file.
    const int lines = static_cast<int>(yamlText.count('\n'));
    for (auto it = yaml.sourceLines.begin(); it != yaml.sourceLines.end(); ++it)
        QVERIFY2(it.value() >= 1 && it.value() <= lines, qPrintable(it.key()));
    QVERIFY(yaml.sourceLines.size() > 60);
}

void TestPolicyIO::roundTrip_yamlAndJson_giveEqualPolicyAndIdenticalBytes()
{
    for (const QString& path : {kSampleYaml, kSampleJson, QString(kPolicyDir + QStringLiteral("/key-files.yaml"))}) {
        const Policy original = loadOrFail(path);
        QVERIFY(!original.issuers.isEmpty());
        for (Format format : {Format::Yaml, Format::Json}) {
            const QByteArray first = serializePolicy(original, format);
            auto reloaded = parsePolicy(first, format, QStringLiteral("saved"), QFileInfo(path).absolutePath());
            QVERIFY2(reloaded.ok(), qPrintable(reloaded ? QString() : reloaded.error().toString() + u'\n'
                                                                 + QString::fromUtf8(first)));
            QVERIFY(reloaded.value() == original);
            QCOMPARE(serializePolicy(reloaded.value(), format), first);
            QCOMPARE(serializePolicy(original, format), first);
        }
    }
    // YAML and JSON of the same policy save the same content: converting back and forth is stable.
    const Policy sample = loadOrFail(kSampleYaml);
    auto viaJson = parsePolicy(serializePolicy(sample, Format::Json), Format::Json, QStringLiteral("j"), QString());
    QVERIFY(viaJson.ok());
    QCOMPARE(serializePolicy(viaJson.value(), Format::Yaml), serializePolicy(sample, Format::Yaml));
}

void TestPolicyIO::canonicalOutput_isInSchemaOrder()
{
    const Policy sample = loadOrFail(kSampleJson);
    const QByteArray yaml = serializePolicy(sample, Format::Yaml);
    QVERIFY2(yaml.startsWith("jwt_policy: 1\nname: payments-platform\nowner: platform-security@example.com\n"
                             "revision: 3\ndefaults:\n  algorithms: [RS256]\n  clock_skew_seconds: 30\n"),
             yaml.constData());
    QVERIFY(yaml.contains("expires: 2027-03-31\n"));
    QVERIFY(yaml.indexOf("issuers:") < yaml.indexOf("exceptions:"));
    QVERIFY(yaml.indexOf("exceptions:") < yaml.indexOf("delegation:"));
    QVERIFY(yaml.indexOf("delegation:") < yaml.indexOf("deployments:"));
    QVERIFY(yaml.endsWith('\n'));

    const QByteArray json = serializePolicy(sample, Format::Json);
    QVERIFY2(json.startsWith("{\n  \"jwt_policy\": 1,\n  \"name\": \"payments-platform\",\n"), json.constData());
    QVERIFY(json.contains("\"algorithms\": [\"RS256\"]"));
    QVERIFY(json.indexOf("\"issuer\": \"https://login.example.com/\"") < json.indexOf("\"trust_domain\": \"workforce\""));
    QVERIFY(json.contains("\"expires\": \"2027-03-31\""));
}

void TestPolicyIO::ambiguousStrings_roundTripAsStrings()
{
    Policy p;
    p.name = QStringLiteral("true");
    p.owner = QStringLiteral("null");
    Issuer issuer;
    issuer.issuer = QStringLiteral("https://a.example/#frag: x");
    issuer.trustDomain = QStringLiteral("123");
    issuer.audiences = {QStringLiteral("2026-01-01"), QStringLiteral("yes"), QStringLiteral("1.5"),
                        QStringLiteral("- dash"), QStringLiteral("zahlungs-plattform-ü"), QStringLiteral("~"),
                        QStringLiteral("a, b"), QStringLiteral("0x1F"), QStringLiteral("'quoted'")};
    issuer.subjects = {QStringLiteral("line\nbreak"), QStringLiteral(" padded "), QStringLiteral("tab\there"),
                       QStringLiteral("urn:example:"), QStringLiteral("#comment"), QStringLiteral("@at"),
                       QStringLiteral("`tick"), QStringLiteral("!bang"), QStringLiteral("%pct"),
                       QStringLiteral("&anchor"), QStringLiteral("*alias"), QStringLiteral("|pipe"),
                       QStringLiteral(">folded"), QStringLiteral("{brace}"), QStringLiteral("[bracket]"),
                       QStringLiteral("? question"), QStringLiteral(",comma"), QStringLiteral("a #b"),
                       QStringLiteral("quote\"inside"), QStringLiteral("back\\slash"), QStringLiteral("\u2028sep"),
                       QStringLiteral("nul\x01ctl"), QStringLiteral("---"), QStringLiteral("...")};
    p.issuers.append(issuer);
    p.defaults.allowedTypes = QStringList{QStringLiteral("at+jwt"), QStringLiteral("False")};
    for (Format format : {Format::Yaml, Format::Json}) {
        const QByteArray text = serializePolicy(p, format);
        auto reloaded = parsePolicy(text, format, QStringLiteral("ambiguous"), QString());
        QVERIFY2(reloaded.ok(), qPrintable(reloaded ? QString() : reloaded.error().toString() + u'\n' + QString::fromUtf8(text)));
        QVERIFY2(reloaded.value() == p, text.constData());
    }
}

void TestPolicyIO::optionalSections_areOmittedAndReloadEqual()
{
    auto p = parseText("jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n");
    QVERIFY(p.ok());
    QVERIFY(!p->hasDelegation);
    const QByteArray yaml = serializePolicy(p.value(), Format::Yaml);
    QCOMPARE(yaml, QByteArray("jwt_policy: 1\nrevision: 0\nissuers:\n  - issuer: https://a.example/\n    audiences: []\n"));
    const QByteArray json = serializePolicy(p.value(), Format::Json);
    QCOMPARE(json, QByteArray("{\n  \"jwt_policy\": 1,\n  \"revision\": 0,\n  \"issuers\": [\n    {\n"
                              "      \"issuer\": \"https://a.example/\",\n      \"audiences\": []\n    }\n  ]\n}\n"));
    // A delegation section written with defaults only is kept as present.
    auto withDelegation = parseText("jwt_policy: 1\ndelegation: {}\n");
    QVERIFY(withDelegation.ok());
    QVERIFY(withDelegation->hasDelegation);
    auto again = parseText(serializePolicy(withDelegation.value(), Format::Yaml));
    QVERIFY(again.ok());
    QVERIFY(again.value() == withDelegation.value());
}

void TestPolicyIO::exceptionExpiry_dateMeansEndOfDayUtc()
{
    const Policy p = loadOrFail(kSampleYaml);
    const PolicyException& e = p.exceptions.first();
    QVERIFY(e.expiresIsDate);
    QCOMPARE(e.expires, QDateTime(QDate(2027, 4, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(e.activeAt(QDateTime(QDate(2027, 3, 31), QTime(23, 59, 59), Qt::UTC)));
    QVERIFY(!e.activeAt(QDateTime(QDate(2027, 4, 1), QTime(0, 0), Qt::UTC)));
    // A date written on a day of the month's end and of the year's end.
    auto p2 = parseText("jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n"
                        "    expires: 2026-12-31\n    issuer: https://a.example/\n");
    QVERIFY(p2.ok());
    QCOMPARE(p2->exceptions.first().expires, QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(serializePolicy(p2.value(), Format::Yaml).contains("    expires: 2026-12-31\n"));
}

void TestPolicyIO::exceptionExpiry_instantForms_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<QDateTime>("expires");
    QTest::addColumn<QByteArray>("saved");

    QTest::newRow("UTC") << QByteArray("2026-12-31T18:00:00Z") << QDateTime(QDate(2026, 12, 31), QTime(18, 0), Qt::UTC)
                         << QByteArray("\"2026-12-31T18:00:00Z\"");
    QTest::newRow("offset") << QByteArray("2026-12-31T18:00:00+02:00")
                            << QDateTime(QDate(2026, 12, 31), QTime(16, 0), Qt::UTC)
                            << QByteArray("\"2026-12-31T16:00:00Z\"");
    QTest::newRow("negative offset, lower case") << QByteArray("2026-12-31t22:30:00-05:30")
                                                 << QDateTime(QDate(2027, 1, 1), QTime(4, 0), Qt::UTC)
                                                 << QByteArray("\"2027-01-01T04:00:00Z\"");
    QTest::newRow("microseconds") << QByteArray("2026-12-31T18:00:00.123456z")
                                  << QDateTime(QDate(2026, 12, 31), QTime(18, 0, 0, 123), Qt::UTC)
                                  << QByteArray("\"2026-12-31T18:00:00.123Z\"");
}

void TestPolicyIO::exceptionExpiry_instantForms()
{
    QFETCH(QByteArray, written);
    QFETCH(QDateTime, expires);
    QFETCH(QByteArray, saved);
    auto p = parseText("jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\nexceptions:\n  - id: e\n"
                       "    expires: " + written + "\n    issuer: https://a.example/\n");
    QVERIFY2(p.ok(), qPrintable(p ? QString() : p.error().toString()));
    const PolicyException& e = p->exceptions.first();
    QVERIFY(!e.expiresIsDate);
    QCOMPARE(e.expires, expires);
    QVERIFY(e.activeAt(expires.addMSecs(-1)));
    QVERIFY(!e.activeAt(expires));
    const QByteArray yaml = serializePolicy(p.value(), Format::Yaml);
    QVERIFY2(yaml.contains(QByteArray("expires: " + saved + '\n')), yaml.constData());
    QVERIFY(serializePolicy(p.value(), Format::Json).contains(QByteArray("\"expires\": " + saved)));
    auto reloaded = parseText(yaml);
    QVERIFY(reloaded.ok());
    QVERIFY(reloaded.value() == p.value());
}

void TestPolicyIO::exceptionKeys_areResolved()
{
    const Policy p = loadOrFail(kSampleYaml);
    const ExceptionAllow& allow = p.exceptions.first().allow;
    QCOMPARE(allow.algorithms, QStringList{QStringLiteral("HS256")});
    QVERIFY(allow.keys.has_value());
    QCOMPARE(allow.keys->resolved.size(), 1);
    QCOMPARE(allow.keys->resolved.first().type, keys::KeyType::Oct);
    QCOMPARE(allow.keys->resolved.first().kid, QStringLiteral("billing-batch-hs256"));
}

void TestPolicyIO::keyFiles_resolveRelativeToPolicyDirectory()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("team/policy/keys")));
    const QString policyDir = tmp.filePath(QStringLiteral("team/policy"));
    for (const char* file : {"keys/login.jwks.json", "keys/partner.pem", "keys/billing.pem", "key-files.yaml"})
        QVERIFY(QFile::copy(kPolicyDir + u'/' + QLatin1String(file), policyDir + u'/' + QLatin1String(file)));

    // The working directory is elsewhere: paths are relative to the policy file, not to the process.
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(tmp.path()));
    auto policy = loadPolicyFile(QStringLiteral("team/policy/key-files.yaml"));
    QVERIFY(QDir::setCurrent(previous));
    QVERIFY2(policy.ok(), qPrintable(policy ? QString() : policy.error().toString()));
    QCOMPARE(policy->issuers.size(), 3);
    QCOMPARE(policy->issuers.at(0).keys.resolved.size(), 1);
    QCOMPARE(policy->issuers.at(0).keys.resolved.first().kid, QStringLiteral("login-2026-11"));
    QCOMPARE(policy->issuers.at(1).keys.resolved.size(), 1);
    QCOMPARE(policy->issuers.at(1).keys.resolved.first().curve, QStringLiteral("P-256"));
    QCOMPARE(policy->issuers.at(2).keys.resolved.first().type, keys::KeyType::Rsa);
    QCOMPARE(policy->issuers.at(1).keys.pemFiles, QStringList{QStringLiteral("keys/partner.pem")});

    // The same file loaded from text with the wrong base directory cannot find its keys.
    auto misplaced = parsePolicy(readAll(policyDir + QStringLiteral("/key-files.yaml")), Format::Yaml,
                                 QStringLiteral("key-files.yaml"), tmp.path());
    QVERIFY(!misplaced.ok());
    QCOMPARE(misplaced.error().code, QStringLiteral("ERR_POLICY_KEY"));
    QVERIFY(misplaced.error().location.endsWith(QStringLiteral("issuers[0].keys.jwks_file")));
}

void TestPolicyIO::keyFile_absolutePathIsUsedAsIs()
{
    const QByteArray text = "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      pem_files: ["
                            + (kPolicyDir + QStringLiteral("/keys/partner.pem")).toUtf8() + "]\n";
    auto policy = parsePolicy(text, Format::Yaml, QStringLiteral("abs.yaml"), QDir::rootPath());
    QVERIFY2(policy.ok(), qPrintable(policy ? QString() : policy.error().toString()));
    QCOMPARE(policy->issuers.first().keys.resolved.size(), 1);
}

void TestPolicyIO::testJwks_areMarkedAsTestKeys()
{
    const QByteArray text = "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n"
                            + loginJwkYaml(6).replace("jwks:", "test_jwks:")
                            + "      jwks_file: keys/login.jwks.json\n";
    auto policy = parseText(text);
    QVERIFY2(policy.ok(), qPrintable(policy ? QString() : policy.error().toString()));
    const QList<keys::Key>& resolved = policy->issuers.first().keys.resolved;
    QCOMPARE(resolved.size(), 2);
    int testKeys = 0;
    for (const keys::Key& key : resolved)
        testKeys += key.testKey ? 1 : 0;
    QCOMPARE(testKeys, 1);
    QVERIFY(policy->issuers.first().keys.testJwks.has_value());
    auto reloaded = parseText(serializePolicy(policy.value(), Format::Yaml));
    QVERIFY(reloaded.ok());
    QVERIFY(reloaded.value() == policy.value());
}

void TestPolicyIO::keyError_reportsKeyProblemAtField()
{
    // The key layer's message (which file) is kept; the loader adds the field and its line.
    const QByteArray text = "jwt_policy: 1\nissuers:\n  - issuer: https://a.example/\n    keys:\n      pem_files: [keys/absent.pem]\n";
    auto policy = parseText(text);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_KEY"));
    QCOMPARE(policy.error().location, QStringLiteral("policy.yaml:5: issuers[0].keys.pem_files[0]"));
    QVERIFY2(policy.error().message.contains(QStringLiteral("keys/absent.pem")), qPrintable(policy.error().message));
}

void TestPolicyIO::resolveKeys_failureLeavesResolvedKeysIntact()
{
    Policy p = loadOrFail(kSampleYaml);
    QCOMPARE(p.issuers.at(0).keys.resolved.size(), 1);
    p.issuers[2].keys.jwksFile = QStringLiteral("keys/absent.json");
    const Status status = resolveKeys(p, kPolicyDir);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_POLICY_KEY"));
    QVERIFY(status.error().location.contains(QStringLiteral("issuers[2].keys.jwks_file")));
    // Nothing was replaced: every issuer keeps the keys it had.
    for (const Issuer& issuer : p.issuers)
        QCOMPARE(issuer.keys.resolved.size(), 1);

    p.issuers[2].keys.jwksFile = QStringLiteral("keys/login.jwks.json");
    QVERIFY(resolveKeys(p, kPolicyDir).ok());
    QCOMPARE(p.issuers.at(2).keys.resolved.size(), 2);
}

// Above kParallelKeyIssuers (512) the issuers' keys are imported on several threads: every issuer
// still gets its own keys, and of two bad keys the one earlier in the file is reported, whichever
// thread met it first.
void TestPolicyIO::manyIssuers_keysResolvedInOrder_firstFailureInDocumentOrder()
{
    constexpr int kIssuers = 1500;
    auto estate = [](int badFirst, int badSecond) {
        QByteArray text = "jwt_policy: 1\ndefaults:\n  algorithms: [HS256]\nissuers:\n";
        for (int i = 0; i < kIssuers; ++i) {
            // A 32-byte secret per issuer, distinct so the thumbprints tell the keys apart.
            const QByteArray secret = QByteArray::number(i).rightJustified(32, '0').toBase64(
                QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
            const QByteArray k = (i == badFirst || i == badSecond) ? QByteArray("not*base64url") : secret;
            text += "  - issuer: https://tenant-" + QByteArray::number(i) + ".example/\n    audiences: [api]\n"
                    "    keys:\n      jwks:\n        keys:\n          - {kty: oct, kid: k" + QByteArray::number(i)
                    + ", k: " + k + "}\n";
        }
        return text;
    };
    auto loaded = parseText(estate(-1, -1));
    QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->issuers.size(), kIssuers);
    for (int i = 0; i < kIssuers; ++i) {
        const Issuer& issuer = loaded->issuers.at(i);
        QCOMPARE(issuer.keys.resolved.size(), 1);
        QCOMPARE(issuer.keys.resolved.at(0).kid, QStringLiteral("k%1").arg(i));
    }
    for (int run = 0; run < 5; ++run) {
        auto failed = parseText(estate(1200, 1400));
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, QStringLiteral("ERR_POLICY_KEY"));
        QVERIFY2(failed.error().location.contains(QStringLiteral("issuers[1200].keys.jwks")),
                 qPrintable(failed.error().location));
    }
}

void TestPolicyIO::save_replacesFileAndLeavesNoTemporaryFiles()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Policy sample = loadOrFail(kSampleYaml);
    for (const QString& name : {QStringLiteral("policy.yaml"), QStringLiteral("policy.json")}) {
        const QString path = tmp.filePath(name);
        QVERIFY(writeFile(path, "old content\n"));
        const Status saved = savePolicyFile(sample, path);
        QVERIFY2(saved.ok(), qPrintable(saved ? QString() : saved.error().toString()));
        QCOMPARE(readAll(path), serializePolicy(sample, formatForPath(path)));
        // Keys are inline in the sample, so the saved copy loads anywhere.
        QVERIFY(loadOrFail(path) == sample);
    }
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestPolicyIO::save_failedWrite_keepsOldFile()
{
    // A write that fails half-way (file size limit: works even for root, unlike permissions).
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("policy.yaml"));
    const QByteArray old = "jwt_policy: 1\nissuers: []\n";
    QVERIFY(writeFile(path, old));
    const Policy sample = loadOrFail(kSampleYaml);

    Status status = Ok{};
    {
        const testing::FileSizeCap cap(512);
        QVERIFY(cap.active());
        status = savePolicyFile(sample, path);
    }

    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_POLICY_WRITE"));
    QCOMPARE(readAll(path), old);
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("policy.yaml")});
}

void TestPolicyIO::save_unwritableDirectory_keepsOldFile()
{
    if (geteuid() == 0)
        QSKIP("root ignores directory permissions; save_failedWrite_keepsOldFile covers the failing write");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("policy.yaml"));
    const QByteArray old = "jwt_policy: 1\nissuers: []\n";
    QVERIFY(writeFile(path, old));
    QVERIFY(QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const Status status = savePolicyFile(loadOrFail(kSampleYaml), path);
    QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_POLICY_WRITE"));
    QCOMPARE(readAll(path), old);
}

void TestPolicyIO::save_missingDirectory_isAnError()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Status status = savePolicyFile(loadOrFail(kSampleYaml), tmp.filePath(QStringLiteral("absent/policy.yaml")));
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, QStringLiteral("ERR_POLICY_WRITE"));
}

void TestPolicyIO::limits_millionIssuerFile_refusedBySize()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("huge.yaml"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("jwt_policy: 1\nissuers:\n");
        QByteArray chunk;
        // 1.7 million issuers: over the 64 MiB bound, so it is refused by its size before parsing.
        for (int i = 0; i < 1700000; ++i) {
            chunk += "  - issuer: https://issuer-" + QByteArray::number(i) + ".example.com/\n";
            if (chunk.size() > (1 << 20)) {
                QVERIFY(file.write(chunk) == chunk.size());
                chunk.clear();
            }
        }
        QVERIFY(file.write(chunk) == chunk.size());
    }
    QVERIFY(QFileInfo(path).size() > LoadLimits{}.maxFileBytes);
    auto policy = loadPolicyFile(path);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_TOO_LARGE"));
    QCOMPARE(policy.error().location, path);
}

void TestPolicyIO::limits_tooManyIssuers()
{
    const LoadLimits defaults;
    QByteArray text = "jwt_policy: 1\nissuers:\n";
    for (int i = 0; i <= defaults.maxIssuers; ++i)
        text += "  - issuer: i" + QByteArray::number(i) + "\n";
    QVERIFY(text.size() < defaults.maxFileBytes);
    auto policy = parseText(text);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_LIMIT"));
    QCOMPARE(policy.error().location, QStringLiteral("policy.yaml:3: issuers"));

    LoadLimits two;
    two.maxIssuers = 2;
    auto sample = parsePolicy(readAll(kSampleYaml), Format::Yaml, QStringLiteral("sample.yaml"), QString(), two);
    QVERIFY(!sample.ok());
    QCOMPARE(sample.error().code, QStringLiteral("ERR_POLICY_LIMIT"));
    two.maxIssuers = 3;
    QVERIFY(parsePolicy(readAll(kSampleYaml), Format::Yaml, QStringLiteral("sample.yaml"), QString(), two).ok());
}

void TestPolicyIO::limits_tooManyKeysPerIssuer()
{
    LoadLimits none;
    none.maxKeysPerIssuer = 0;
    auto inlineKeys = parsePolicy(readAll(kSampleYaml), Format::Yaml, QStringLiteral("sample.yaml"), QString(), none);
    QVERIFY(!inlineKeys.ok());
    QCOMPARE(inlineKeys.error().code, QStringLiteral("ERR_POLICY_LIMIT"));
    QVERIFY2(inlineKeys.error().location.endsWith(QStringLiteral("issuers[0].keys.jwks.keys")),
             qPrintable(inlineKeys.error().location));

    // Keys from files are counted after parsing.
    auto fromFiles = parsePolicy(readAll(kPolicyDir + QStringLiteral("/key-files.yaml")), Format::Yaml,
                                 QStringLiteral("key-files.yaml"), kPolicyDir, none);
    QVERIFY(!fromFiles.ok());
    QCOMPARE(fromFiles.error().code, QStringLiteral("ERR_POLICY_LIMIT"));
    QVERIFY(fromFiles.error().location.endsWith(QStringLiteral("issuers[0].keys")));
}

void TestPolicyIO::limits_textLargerThanLimit()
{
    LoadLimits small;
    small.maxFileBytes = 100;
    auto policy = parsePolicy(readAll(kSampleYaml), Format::Yaml, QStringLiteral("sample.yaml"), QString(), small);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, QStringLiteral("ERR_POLICY_TOO_LARGE"));
}

void TestPolicyIO::hostileYaml_deepNestingAndAliases_refused()
{
    QByteArray deep = "jwt_policy: 1\nname: " + QByteArray(5000, '[') + QByteArray(5000, ']') + "\n";
    auto nested = parseText(deep);
    QVERIFY(!nested.ok());
    QCOMPARE(nested.error().code, QStringLiteral("ERR_POLICY_SYNTAX"));

    // "Billion laughs": refused at the first alias, never expanded.
    QByteArray laughs = "jwt_policy: 1\na: &a [x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'k'; ++c)
        laughs += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, char(c - 1)) + ", *"
                  + QByteArray(1, char(c - 1)) + "]\n";
    auto aliases = parseText(laughs);
    QVERIFY(!aliases.ok());
    QCOMPARE(aliases.error().code, QStringLiteral("ERR_POLICY_SYNTAX"));

    const QByteArray deepJson = "{\"jwt_policy\": 1, \"name\": " + QByteArray(3000, '[') + QByteArray(3000, ']') + "}";
    auto json = parseText(deepJson, Format::Json);
    QVERIFY(!json.ok());
    QCOMPARE(json.error().code, QStringLiteral("ERR_POLICY_SYNTAX"));
}

QTEST_GUILESS_MAIN(TestPolicyIO)
#include "tst_policyio.moc"
