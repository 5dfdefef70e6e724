// SPDX-License-Identifier: Apache-2.0
// The built jwt-policy's `estate check`: usage and file errors (exit 2, file:line on stderr, nothing
// probed), the JSON document's shape, verdicts from advisories alone, and an unreachable verifier.
#include "CliProcess.h"
#include "TestFiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using jwb::testing::RunResult;
using jwb::testing::runCli;
using jwb::testing::writeInto;

namespace {

const QByteArray kIssuer = "https://staging-login.example.test/";

QString data(const char* name)
{
    return QStringLiteral(JWB_TEST_DATA "/estate/") + QLatin1String(name);
}

QJsonObject json(const RunResult& r)
{
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s / %s", r.out.constData(), r.err.constData());
    return doc.object();
}

// An estate directory with the staging policy and keys next to the estate.
struct Dir {
    QTemporaryDir dir;
    Dir()
    {
        QFile::copy(data("staging-policy.yaml"), dir.filePath(QStringLiteral("policy.yaml")));
        QFile::copy(QStringLiteral(JWB_TEST_DATA "/keys/ec-p256-private.pem"), dir.filePath(QStringLiteral("key.pem")));
        QFile::copy(QStringLiteral(JWB_TEST_DATA "/keys/ec-p384-private.pem"), dir.filePath(QStringLiteral("other.pem")));
    }
    QString estate(const QByteArray& verifiers)
    {
        return writeInto(dir, QStringLiteral("estate.yaml"), "jwt_estate: 1\npolicy: policy.yaml\nverifiers:\n" + verifiers);
    }
};

QStringList check(const QString& estate, const QStringList& extra = {})
{
    return QStringList{QStringLiteral("estate"), QStringLiteral("check"), estate} + extra;
}

} // namespace

class TestCliEstate final : public QObject {
    Q_OBJECT

private slots:
    void usageErrors_exitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no sub-verb") << QStringList{QStringLiteral("estate")} << QByteArray("sub-verb 'check'");
        QTest::newRow("wrong sub-verb") << QStringList{QStringLiteral("estate"), QStringLiteral("probe"), data("estate.yaml")}
                                        << QByteArray("sub-verb 'check'");
        QTest::newRow("no file") << QStringList{QStringLiteral("estate"), QStringLiteral("check")}
                                 << QByteArray("exactly one estate file");
        QTest::newRow("two files") << check(data("estate.yaml"), {data("estate.json")}) << QByteArray("exactly one");
        QTest::newRow("bad format") << check(data("estate.json"), {QStringLiteral("--format"), QStringLiteral("xml")})
                                    << QByteArray("xml");
        QTest::newRow("missing estate") << check(QStringLiteral("/nonexistent/estate.yaml")) << QByteArray("ERR_ESTATE_READ");
        QTest::newRow("missing advisories")
            << check(data("estate.json"), {QStringLiteral("--advisories"), QStringLiteral("/nonexistent.json")})
            << QByteArray("cannot read the advisories file");
    }

    void usageErrors_exitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const RunResult r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void brokenEstate_namesFileLineAndField()
    {
        Dir d;
        const QString path = d.estate("  - name: a\n    kind: service\n    issuers: [" + kIssuer + "]\n    colour: red\n");
        const RunResult r = runCli(check(path));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains((path + QStringLiteral(":7: verifiers[0].colour")).toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("ERR_ESTATE_UNKNOWN_FIELD") || r.err.contains("unknown field"));
    }

    void signingKeyNotPinned_failsBeforeAnyRequest()
    {
        Dir d;
        // Port 9 on loopback: nothing is sent anyway, the key is refused first.
        const QString path = d.estate("  - name: a\n    kind: service\n    issuers: [" + kIssuer +
                                      "]\n    probe:\n      url: http://127.0.0.1:9/\n      signing_key: other.pem\n");
        const RunResult r = runCli(check(path));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("verifiers[0].probe"), r.err.constData());
        QVERIFY2(r.err.contains("not pinned"), r.err.constData());
    }

    void advisoriesAlone_makeAServiceWeak_json()
    {
        const RunResult r = runCli(check(data("estate.json"), {QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(r.exitCode, 1);
        const QJsonObject j = json(r);
        QCOMPARE(j.value(QStringLiteral("name")).toString(), QStringLiteral("staging-json"));
        QCOMPARE(j.value(QStringLiteral("policy")).toString(), QStringLiteral("estate-staging"));
        QCOMPARE(j.value(QStringLiteral("advisories_updated")).toString().size(), 10);
        QVERIFY(j.value(QStringLiteral("estate")).toString().endsWith(QStringLiteral("estate.json")));
        const QJsonObject v = j.value(QStringLiteral("verifiers")).toArray().first().toObject();
        QCOMPARE(v.value(QStringLiteral("name")).toString(), QStringLiteral("orders-api"));
        QCOMPARE(v.value(QStringLiteral("verdict")).toString(), QStringLiteral("weak"));
        QVERIFY(v.value(QStringLiteral("probe")).isNull());
        QVERIFY(v.value(QStringLiteral("target")).isNull());
        QStringList ids;
        for (const QJsonValue& a : v.value(QStringLiteral("advisories")).toArray())
            ids << a.toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QStringList{QStringLiteral("CVE-2022-23540"), QStringLiteral("CVE-2022-23541")}));
        const QJsonArray unexplained = v.value(QStringLiteral("unexplained")).toArray();
        QCOMPARE(unexplained.size(), 2);
        QCOMPARE(unexplained.first().toObject().value(QStringLiteral("source")).toString(), QStringLiteral("advisory"));
        const QJsonObject matrix = j.value(QStringLiteral("matrix")).toObject();
        QCOMPARE(matrix.value(QStringLiteral("classes")).toArray().first().toString(), QStringLiteral("valid"));
        const QJsonObject cells =
            matrix.value(QStringLiteral("rows")).toArray().first().toObject().value(QStringLiteral("cells")).toObject();
        QCOMPARE(cells.size(), matrix.value(QStringLiteral("classes")).toArray().size());
        QCOMPARE(cells.value(QStringLiteral("alg_none")).toString(), QStringLiteral("not_probed"));
        QCOMPARE(j.value(QStringLiteral("summary")).toObject().value(QStringLiteral("weak")).toInt(), 1);
    }

    void sarif_advisoriesAreErrorsAtTheVerifiersLine()
    {
        const RunResult r = runCli(check(data("estate.json"), {QStringLiteral("--format"), QStringLiteral("sarif")}));
        QCOMPARE(r.exitCode, 1); // the text output's exit code
        const QJsonObject run = json(r).value(QStringLiteral("runs")).toArray().first().toObject();
        QVERIFY(run.value(QStringLiteral("automationDetails")).toObject().value(QStringLiteral("id")).toString()
                    .startsWith(QStringLiteral("jwt-policy/estate/")));
        const QJsonArray results = run.value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), 2);
        for (const QJsonValue& value : results) {
            const QJsonObject res = value.toObject();
            QCOMPARE(res.value(QStringLiteral("ruleId")).toString(), QStringLiteral("estate/advisory"));
            QCOMPARE(res.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
            QCOMPARE(res.value(QStringLiteral("properties")).toObject().value(QStringLiteral("verifier")).toString(),
                     QStringLiteral("orders-api"));
            const QJsonObject location = res.value(QStringLiteral("locations")).toArray().first().toObject();
            QVERIFY(location.value(QStringLiteral("physicalLocation")).toObject().value(QStringLiteral("artifactLocation"))
                        .toObject().value(QStringLiteral("uri")).toString().endsWith(QStringLiteral("estate.json")));
            QVERIFY(location.value(QStringLiteral("physicalLocation")).toObject().value(QStringLiteral("region"))
                        .toObject().value(QStringLiteral("startLine")).toInt() > 0);
        }
        QVERIFY(results.at(0).toObject().value(QStringLiteral("partialFingerprints")).toObject()
                != results.at(1).toObject().value(QStringLiteral("partialFingerprints")).toObject());
        QStringList rules;
        for (const QJsonValue& rule : run.value(QStringLiteral("tool")).toObject().value(QStringLiteral("driver")).toObject()
                                          .value(QStringLiteral("rules")).toArray())
            rules << rule.toObject().value(QStringLiteral("id")).toString();
        for (const char* id : {"estate/unexplained_acceptance", "estate/drift_loosening", "estate/advisory",
                               "estate/rejects_accepted", "estate/known_gap", "estate/inconclusive"})
            QVERIFY2(rules.contains(QLatin1String(id)), id);
    }

    void serviceLibraryExport_isItsTarget_json()
    {
        Dir d;
        const QString path = d.estate("  - name: ledger\n    kind: service\n    issuers: [" + kIssuer +
                                      "]\n    library: {name: jose, version: 5.10.0, ecosystem: npm, export: \"service:jose\"}\n");
        const RunResult r = runCli(check(path, {QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(r.exitCode, 0);
        const QJsonObject v = json(r).value(QStringLiteral("verifiers")).toArray().first().toObject();
        QCOMPARE(v.value(QStringLiteral("target")).toString(), QStringLiteral("service:jose"));
        QCOMPARE(v.value(QStringLiteral("library")).toObject().value(QStringLiteral("export")).toString(),
                 QStringLiteral("service:jose"));
        QCOMPARE(v.value(QStringLiteral("verdict")).toString(), QStringLiteral("conforms"));

        const QString bad = d.estate("  - name: ledger\n    kind: service\n    issuers: [" + kIssuer +
                                     "]\n    library: {name: jose, version: 5.10.0, export: kong}\n");
        const RunResult refused = runCli(check(bad));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("estate.yaml:7: verifiers[0].library.export"), refused.err.constData());
        QVERIFY2(refused.err.contains("service:jose"), refused.err.constData());
    }

    void patchedLibrary_conforms_exitZero()
    {
        Dir d;
        const QString path = d.estate("  - name: billing\n    kind: service\n    issuers: [" + kIssuer +
                                      "]\n    library: {name: PyJWT, version: '2.6.0', ecosystem: PyPI}\n");
        const RunResult r = runCli(check(path));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("advisories updated 20"), r.out.constData());
        QVERIFY(r.out.contains("billing"));
        QVERIFY(r.out.contains("conforms"));
        QVERIFY(r.out.contains("1 conform"));
    }

    void ownAdvisoriesFile_replacesTheBuiltInList()
    {
        Dir d;
        const QString adv = writeInto(
            d.dir, QStringLiteral("adv.json"),
            "{\"jwt_advisories\": 1, \"updated\": \"2027-01-31\", \"advisories\": [{\"id\": \"CVE-2099-0001\", "
            "\"ecosystem\": \"PyPI\", \"library\": \"PyJWT\", \"weakness\": \"claim_check\", \"affected\": "
            "[{\"introduced\": \"2.0.0\", \"fixed\": \"2.7.0\"}], \"fixed\": \"2.7.0\", \"summary\": \"test entry\", "
            "\"reference\": \"https://example.test/adv\"}]}");
        const QString path = d.estate("  - name: billing\n    kind: service\n    issuers: [" + kIssuer +
                                      "]\n    library: {name: PyJWT, version: '2.6.0'}\n");
        const RunResult r = runCli(check(path, {QStringLiteral("--advisories"), adv, QStringLiteral("--format"),
                                                QStringLiteral("json")}));
        QCOMPARE(r.exitCode, 1);
        const QJsonObject j = json(r);
        QCOMPARE(j.value(QStringLiteral("advisories_updated")).toString(), QStringLiteral("2027-01-31"));
        const QJsonObject v = j.value(QStringLiteral("verifiers")).toArray().first().toObject();
        QCOMPARE(v.value(QStringLiteral("advisories")).toArray().first().toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("CVE-2099-0001"));
    }

    void unreachableVerifier_isInconclusive_exitOne()
    {
        Dir d;
        // Nothing listens on 127.0.0.1:9 here: every token is inconclusive, the check ends quickly.
        const QString path = d.estate("  - name: gone\n    kind: haproxy\n    issuers: [" + kIssuer +
                                      "]\n    probe:\n      url: http://127.0.0.1:9/\n      signing_key: key.pem\n"
                                      "      max_requests: 5\n      timeout: 1\n      rate: 50\n");
        const RunResult r = runCli(check(path, {QStringLiteral("--format"), QStringLiteral("json")}), {}, 60000);
        QCOMPARE(r.exitCode, 1);
        const QJsonObject v = json(r).value(QStringLiteral("verifiers")).toArray().first().toObject();
        QCOMPARE(v.value(QStringLiteral("verdict")).toString(), QStringLiteral("inconclusive"));
        QCOMPARE(v.value(QStringLiteral("target")).toString(), QStringLiteral("haproxy"));
        const QJsonObject summary = v.value(QStringLiteral("probe")).toObject().value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("accepts_rejected")).toInt(), 0);
        QVERIFY(summary.value(QStringLiteral("inconclusive")).toInt() > 0);
        QVERIFY(v.value(QStringLiteral("explained")).toArray().isEmpty());
        QVERIFY(v.value(QStringLiteral("unexplained")).toArray().isEmpty());
        // A token never appears in output, only its fingerprint.
        QVERIFY(!r.out.contains("eyJ"));
    }

    void schemaEstate_printsTheBundledSchema()
    {
        const RunResult r = runCli({QStringLiteral("schema"), QStringLiteral("--estate")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, jwb::testing::readFile(QStringLiteral(JWB_SOURCE_DIR "/resources/schema/jwt-estate-v1.schema.json")));
        QVERIFY(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("title")).toString().contains(
            QStringLiteral("estate")));
        // Without --estate: the policy schema, as before.
        QVERIFY(runCli({QStringLiteral("schema")}).out.contains("jwt_policy"));
    }

    void help_listsTheVerb()
    {
        const RunResult r = runCli({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("estate"));
    }
};

QTEST_GUILESS_MAIN(TestCliEstate)
#include "tst_cli_estate.moc"
