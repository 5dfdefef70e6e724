// SPDX-License-Identifier: Apache-2.0
// The built jwt-policy with --format sarif: the shape code scanning reads (rule ids, levels, lines,
// artifact URIs, fingerprints), the same exit codes as text, and a usage error for verbs without SARIF.
// Validation against the SARIF 2.1.0 schema itself is ctest sarif_schema (tests/sarif/validate_sarif.py).
#include "CliProcess.h"
#include "TestFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMultiHash>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using jwb::testing::RunResult;
using jwb::testing::runCli;
using jwb::testing::writeFile;

namespace {

const QString kAt = QStringLiteral("2026-11-22T00:00:00Z");
const QString kFingerprint = QStringLiteral("jwtPolicyFinding/v1");

QString sourceFile(const char* relative)
{
    return QStringLiteral(JWB_SOURCE_DIR "/") + QLatin1String(relative);
}

QString linesPolicy()
{
    return QStringLiteral(JWB_TEST_DATA "/lint/lines.yaml");
}

QJsonObject parseObject(const QByteArray& text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    return doc.isObject() ? doc.object() : QJsonObject();
}

QJsonObject onlyRun(const QJsonObject& log)
{
    const QJsonArray runs = log.value(QStringLiteral("runs")).toArray();
    return runs.size() == 1 ? runs.first().toObject() : QJsonObject();
}

QJsonArray resultsOf(const QJsonObject& log)
{
    return onlyRun(log).value(QStringLiteral("results")).toArray();
}

QStringList ruleIdsOf(const QJsonObject& log)
{
    QStringList ids;
    const QJsonArray rules =
        onlyRun(log).value(QStringLiteral("tool")).toObject().value(QStringLiteral("driver")).toObject().value(QStringLiteral("rules")).toArray();
    for (const QJsonValue& r : rules)
        ids.append(r.toObject().value(QStringLiteral("id")).toString());
    return ids;
}

QJsonObject physicalOf(const QJsonObject& result)
{
    return result.value(QStringLiteral("locations")).toArray().first().toObject().value(QStringLiteral("physicalLocation")).toObject();
}

int startLineOf(const QJsonObject& result)
{
    return physicalOf(result).value(QStringLiteral("region")).toObject().value(QStringLiteral("startLine")).toInt();
}

QString fingerprintOf(const QJsonObject& result)
{
    return result.value(QStringLiteral("partialFingerprints")).toObject().value(kFingerprint).toString();
}

// The "# lint: rule-id" markers of lines.yaml: rule id -> line.
QMultiHash<QString, int> markedLines(const QString& path)
{
    QMultiHash<QString, int> marks;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return marks;
    static const QRegularExpression marker(QStringLiteral("#\\s*lint:\\s*([a-z0-9-]+)"));
    int line = 0;
    while (!file.atEnd()) {
        ++line;
        const QRegularExpressionMatch m = marker.match(QString::fromUtf8(file.readLine()));
        if (m.hasMatch())
            marks.insert(m.captured(1), line);
    }
    return marks;
}

} // namespace

class TestCliSarif final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void lint_markedLines_eachFindingAtItsCommentLine();
    void lint_levels_followSeverityOfJsonFindings();
    void lint_driver_namesToolVersionAndEveryRule();
    void lint_artifact_relativeToCurrentDirectoryElseFileUri_data();
    void lint_artifact_relativeToCurrentDirectoryElseFileUri();
    void lint_lineMoved_fingerprintsUnchangedLinesFollow();
    void gaps_levels_blockingErrorOtherNotEnforcedWarningEmulatedNote();
    void selftest_weakPolicy_acceptedVariantsAreErrorsOfTheirClass();
    void drift_unpinnedKey_errorAtTheKeyLineOfTheConfiguration();
    void exitCodes_sameAsText_data();
    void exitCodes_sameAsText();
    void verbWithoutSarif_refusesWithUsageError_data();
    void verbWithoutSarif_refusesWithUsageError();

private:
    QTemporaryDir m_dir;
};

void TestCliSarif::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(JWT_POLICY_BIN)));
    QVERIFY(m_dir.isValid());
    // Artifact URIs are relative to the current directory: run from one outside the source tree
    // unless a test says otherwise.
    QVERIFY(QDir::setCurrent(m_dir.path()));
    QVERIFY(!markedLines(linesPolicy()).isEmpty());
}

void TestCliSarif::lint_markedLines_eachFindingAtItsCommentLine()
{
    const RunResult r = runCli({QStringLiteral("lint"), linesPolicy(), QStringLiteral("--at"), kAt, QStringLiteral("--format"),
                                QStringLiteral("sarif")});
    QCOMPARE(r.exitCode, 1);
    const QJsonArray results = resultsOf(parseObject(r.out));
    const QMultiHash<QString, int> marks = markedLines(linesPolicy());
    for (auto it = marks.cbegin(); it != marks.cend(); ++it) {
        bool found = false;
        for (const QJsonValue& v : results) {
            const QJsonObject result = v.toObject();
            if (result.value(QStringLiteral("ruleId")).toString() == it.key() && startLineOf(result) == it.value())
                found = true;
        }
        QVERIFY2(found, qPrintable(QStringLiteral("no %1 result at line %2").arg(it.key()).arg(it.value())));
    }
}

void TestCliSarif::lint_levels_followSeverityOfJsonFindings()
{
    const QStringList args{QStringLiteral("lint"), sourceFile("resources/policies/weak.yaml"), QStringLiteral("--at"), kAt};
    const RunResult json = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    const RunResult sarif = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("sarif")});
    QCOMPARE(json.exitCode, 1);
    QCOMPARE(sarif.exitCode, 1);
    const QJsonArray findings = parseObject(json.out).value(QStringLiteral("findings")).toArray();
    const QJsonArray results = resultsOf(parseObject(sarif.out));
    QVERIFY(!findings.isEmpty());
    QCOMPARE(results.size(), findings.size());
    const QHash<QString, QString> level{{QStringLiteral("error"), QStringLiteral("error")},
                                        {QStringLiteral("warning"), QStringLiteral("warning")},
                                        {QStringLiteral("info"), QStringLiteral("note")}};
    QSet<QString> levelsSeen;
    for (qsizetype i = 0; i < findings.size(); ++i) {
        const QJsonObject f = findings.at(i).toObject();
        const QJsonObject s = results.at(i).toObject();
        QCOMPARE(s.value(QStringLiteral("ruleId")).toString(), f.value(QStringLiteral("rule")).toString());
        QCOMPARE(s.value(QStringLiteral("level")).toString(), level.value(f.value(QStringLiteral("severity")).toString()));
        QCOMPARE(s.value(QStringLiteral("message")).toObject().value(QStringLiteral("text")).toString(),
                 f.value(QStringLiteral("message")).toString());
        if (f.value(QStringLiteral("line")).isDouble())
            QCOMPARE(startLineOf(s), f.value(QStringLiteral("line")).toInt());
        QVERIFY(!fingerprintOf(s).isEmpty());
        levelsSeen.insert(s.value(QStringLiteral("level")).toString());
    }
    QVERIFY(levelsSeen.contains(QStringLiteral("error")));
}

void TestCliSarif::lint_driver_namesToolVersionAndEveryRule()
{
    const RunResult r = runCli({QStringLiteral("lint"), sourceFile("resources/policies/sample.yaml"), QStringLiteral("--format"),
                                QStringLiteral("sarif")});
    const QJsonObject log = parseObject(r.out);
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("2.1.0"));
    const QJsonObject driver = onlyRun(log).value(QStringLiteral("tool")).toObject().value(QStringLiteral("driver")).toObject();
    QCOMPARE(driver.value(QStringLiteral("name")).toString(), QStringLiteral("jwt-policy"));
    QCOMPARE(driver.value(QStringLiteral("version")).toString(), QStringLiteral(JWB_VERSION));
    QVERIFY(driver.value(QStringLiteral("informationUri")).toString().startsWith(QStringLiteral("https://")));
    const QStringList ids = ruleIdsOf(log);
    for (const char* id : {"alg-none-allowed", "jwks-uri-not-https", "skew-above-60", "key-duplicate-kid", "test-key-present",
                           "exception-expiring", "audience-cross-trust-domain"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
    for (const QJsonValue& v : driver.value(QStringLiteral("rules")).toArray()) {
        const QJsonObject rule = v.toObject();
        QVERIFY(!rule.value(QStringLiteral("shortDescription")).toObject().value(QStringLiteral("text")).toString().isEmpty());
        QVERIFY(!rule.value(QStringLiteral("properties")).toObject().value(QStringLiteral("reference")).toString().isEmpty());
        const QString level = rule.value(QStringLiteral("defaultConfiguration")).toObject().value(QStringLiteral("level")).toString();
        QVERIFY2(QStringList({QStringLiteral("error"), QStringLiteral("warning"), QStringLiteral("note")}).contains(level),
                 qPrintable(level));
    }
    const QString alg = driver.value(QStringLiteral("rules")).toArray().at(ids.indexOf(QStringLiteral("alg-none-allowed"))).toObject()
                            .value(QStringLiteral("helpUri")).toString();
    QVERIFY2(alg.startsWith(QStringLiteral("https://www.rfc-editor.org/rfc/rfc8725")), qPrintable(alg));
}

void TestCliSarif::lint_artifact_relativeToCurrentDirectoryElseFileUri_data()
{
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QString>("policyArg");
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("uriBaseId");
    const QString source = QStringLiteral(JWB_SOURCE_DIR);
    QTest::newRow("under the current directory, relative argument")
        << source << QStringLiteral("tests/data/lint/lines.yaml") << QStringLiteral("tests/data/lint/lines.yaml") << QStringLiteral("SRCROOT");
    QTest::newRow("under the current directory, absolute argument")
        << source << linesPolicy() << QStringLiteral("tests/data/lint/lines.yaml") << QStringLiteral("SRCROOT");
    QTest::newRow("outside the current directory")
        << QString() << linesPolicy() << QUrl::fromLocalFile(linesPolicy()).toString(QUrl::FullyEncoded) << QString();
}

void TestCliSarif::lint_artifact_relativeToCurrentDirectoryElseFileUri()
{
    QFETCH(QString, cwd);
    QFETCH(QString, policyArg);
    QFETCH(QString, uri);
    QFETCH(QString, uriBaseId);
    if (!cwd.isEmpty())
        QVERIFY(QDir::setCurrent(cwd));
    const RunResult r = runCli({QStringLiteral("lint"), policyArg, QStringLiteral("--at"), kAt, QStringLiteral("--format"),
                                QStringLiteral("sarif")});
    QVERIFY(QDir::setCurrent(m_dir.path()));
    const QJsonObject log = parseObject(r.out);
    const QJsonArray results = resultsOf(log);
    QVERIFY(!results.isEmpty());
    for (const QJsonValue& v : results) {
        const QJsonObject artifact = physicalOf(v.toObject()).value(QStringLiteral("artifactLocation")).toObject();
        QCOMPARE(artifact.value(QStringLiteral("uri")).toString(), uri);
        QCOMPARE(artifact.value(QStringLiteral("uriBaseId")).toString(), uriBaseId);
    }
    // SRCROOT itself is the current directory, so a consumer can resolve the relative URIs.
    const QString root = onlyRun(log).value(QStringLiteral("originalUriBaseIds")).toObject().value(QStringLiteral("SRCROOT"))
                             .toObject().value(QStringLiteral("uri")).toString();
    QCOMPARE(root, QUrl::fromLocalFile((cwd.isEmpty() ? m_dir.path() : cwd) + u'/').toString(QUrl::FullyEncoded));
}

void TestCliSarif::lint_lineMoved_fingerprintsUnchangedLinesFollow()
{
    QFile original(linesPolicy());
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QString moved = m_dir.filePath(QStringLiteral("moved.yaml"));
    QVERIFY(writeFile(moved, QByteArray("# two comment lines\n# push every line down\n") + original.readAll()));
    auto run = [](const QString& file) {
        QHash<QString, int> lines;
        const RunResult r = runCli({QStringLiteral("lint"), file, QStringLiteral("--at"), kAt, QStringLiteral("--format"),
                                    QStringLiteral("sarif")});
        for (const QJsonValue& v : resultsOf(parseObject(r.out)))
            lines.insert(fingerprintOf(v.toObject()), startLineOf(v.toObject()));
        return lines;
    };
    const QHash<QString, int> before = run(linesPolicy());
    const QHash<QString, int> after = run(moved);
    QVERIFY(!before.isEmpty());
    QCOMPARE(QSet<QString>(after.keyBegin(), after.keyEnd()), QSet<QString>(before.keyBegin(), before.keyEnd()));
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QCOMPARE(after.value(it.key()), it.value() + 2);
}

void TestCliSarif::gaps_levels_blockingErrorOtherNotEnforcedWarningEmulatedNote()
{
    const QStringList args{QStringLiteral("gaps"), QStringLiteral("--policy"), sourceFile("tests/data/export/edge.yaml"),
                           QStringLiteral("--at"), kAt};
    const RunResult json = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    const RunResult sarif = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("sarif")});
    QCOMPARE(sarif.exitCode, json.exitCode);
    const QJsonObject report = parseObject(json.out);
    QStringList expected;
    for (const QJsonValue& v : report.value(QStringLiteral("gaps")).toArray()) {
        const QJsonObject g = v.toObject();
        const QString status = g.value(QStringLiteral("status")).toString();
        QString level;
        if (status == u"not_enforced")
            level = g.value(QStringLiteral("blocking")).toBool() ? QStringLiteral("error") : QStringLiteral("warning");
        else if (status == u"emulated")
            level = QStringLiteral("note");
        else
            continue;
        expected.append(QStringLiteral("gap/%1 %2 %3").arg(g.value(QStringLiteral("control")).toString(), level,
                                                           g.value(QStringLiteral("target")).toString()));
    }
    QStringList actual;
    for (const QJsonValue& v : resultsOf(parseObject(sarif.out))) {
        const QJsonObject r = v.toObject();
        actual.append(QStringLiteral("%1 %2 %3").arg(r.value(QStringLiteral("ruleId")).toString(),
                                                     r.value(QStringLiteral("level")).toString(),
                                                     r.value(QStringLiteral("properties")).toObject().value(QStringLiteral("target")).toString()));
    }
    // edge.yaml marks istio only_verifier and envoy not: both kinds of not_enforced rows occur.
    QVERIFY(expected.join(u'\n').contains(QStringLiteral(" error istio")));
    QVERIFY(expected.join(u'\n').contains(QStringLiteral(" warning envoy")));
    QCOMPARE(actual, expected);
    QStringList controls;
    for (const QJsonValue& c : report.value(QStringLiteral("controls")).toArray())
        controls.append(QStringLiteral("gap/") + c.toString());
    QCOMPARE(ruleIdsOf(parseObject(sarif.out)), controls);
}

void TestCliSarif::selftest_weakPolicy_acceptedVariantsAreErrorsOfTheirClass()
{
    const QStringList args{QStringLiteral("selftest"), QStringLiteral("--policy"), sourceFile("resources/policies/weak.yaml"),
                           QStringLiteral("--at"), kAt};
    const RunResult json = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    const RunResult sarif = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("sarif")});
    QCOMPARE(sarif.exitCode, 1);
    const QJsonArray results = resultsOf(parseObject(sarif.out));
    QCOMPARE(results.size(), parseObject(json.out).value(QStringLiteral("accepted")).toInt());
    const QStringList rules = ruleIdsOf(parseObject(sarif.out));
    QVERIFY(rules.contains(QStringLiteral("selftest/alg_none")));
    QVERIFY(rules.contains(QStringLiteral("selftest/alg_confusion")));
    for (const QJsonValue& v : results) {
        const QJsonObject r = v.toObject();
        QCOMPARE(r.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
        QCOMPARE(r.value(QStringLiteral("ruleId")).toString(),
                 QStringLiteral("selftest/") + r.value(QStringLiteral("properties")).toObject().value(QStringLiteral("class")).toString());
        QVERIFY(startLineOf(r) > 0);
    }
}

void TestCliSarif::drift_unpinnedKey_errorAtTheKeyLineOfTheConfiguration()
{
    const QString config = QStringLiteral(JWB_TEST_DATA "/drift/kong-unpinned-key.yaml");
    const RunResult r = runCli({QStringLiteral("drift"), QStringLiteral("--policy"), sourceFile("tests/data/export/edge.yaml"),
                                QStringLiteral("--kong"), config, QStringLiteral("--at"), kAt, QStringLiteral("--format"),
                                QStringLiteral("sarif")});
    QCOMPARE(r.exitCode, 1);
    const QJsonArray results = resultsOf(parseObject(r.out));
    QCOMPARE(results.size(), 1);
    const QJsonObject result = results.first().toObject();
    QCOMPARE(result.value(QStringLiteral("ruleId")).toString(), QStringLiteral("drift/unpinned_key"));
    QCOMPARE(result.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
    QCOMPARE(physicalOf(result).value(QStringLiteral("artifactLocation")).toObject().value(QStringLiteral("uri")).toString(),
             QUrl::fromLocalFile(config).toString(QUrl::FullyEncoded));
    QFile file(config);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    const int line = startLineOf(result);
    QVERIFY(line > 0 && line <= lines.size());
    QVERIFY2(lines.at(line - 1).contains("rsa_public_key"), lines.at(line - 1).constData());
}

void TestCliSarif::exitCodes_sameAsText_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    const QString weak = sourceFile("resources/policies/weak.yaml");
    const QString sample = sourceFile("resources/policies/sample.yaml");
    const QString edge = sourceFile("tests/data/export/edge.yaml");
    QTest::newRow("lint sample") << QStringList{QStringLiteral("lint"), sample, QStringLiteral("--at"), kAt} << 0;
    QTest::newRow("lint weak") << QStringList{QStringLiteral("lint"), weak, QStringLiteral("--at"), kAt} << 1;
    QTest::newRow("gaps edge") << QStringList{QStringLiteral("gaps"), QStringLiteral("--policy"), edge} << 1;
    QTest::newRow("selftest sample") << QStringList{QStringLiteral("selftest"), QStringLiteral("--policy"), sample,
                                                    QStringLiteral("--at"), kAt}
                                     << 0;
    QTest::newRow("drift match") << QStringList{QStringLiteral("drift"), QStringLiteral("--policy"), edge, QStringLiteral("--envoy"),
                                                QStringLiteral(JWB_TEST_DATA "/drift/envoy-match.yaml")}
                                 << 0;
    QTest::newRow("lint missing file") << QStringList{QStringLiteral("lint"), QStringLiteral("/nonexistent/policy.yaml")} << 2;
    QTest::newRow("probe without url") << QStringList{QStringLiteral("probe"), QStringLiteral("--policy"), sample} << 2;
}

void TestCliSarif::exitCodes_sameAsText()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    const RunResult text = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("text")});
    const RunResult sarif = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("sarif")});
    QCOMPARE(text.exitCode, exitCode);
    QCOMPARE(sarif.exitCode, exitCode);
    if (exitCode == 2)
        QVERIFY(sarif.out.isEmpty());
    else
        QCOMPARE(parseObject(sarif.out).value(QStringLiteral("version")).toString(), QStringLiteral("2.1.0"));
}

void TestCliSarif::verbWithoutSarif_refusesWithUsageError_data()
{
    QTest::addColumn<QStringList>("args");
    const QString sample = sourceFile("resources/policies/sample.yaml");
    QTest::newRow("verify") << QStringList{QStringLiteral("verify"), QStringLiteral("--policy"), sample,
                                           sourceFile("resources/tokens/sample-valid.jwt")};
    QTest::newRow("diff") << QStringList{QStringLiteral("diff"), sample, sourceFile("resources/policies/weak.yaml")};
    QTest::newRow("export") << QStringList{QStringLiteral("export"), QStringLiteral("--policy"), sample, QStringLiteral("--to"),
                                           QStringLiteral("envoy")};
}

void TestCliSarif::verbWithoutSarif_refusesWithUsageError()
{
    QFETCH(QStringList, args);
    const RunResult r = runCli(args + QStringList{QStringLiteral("--format"), QStringLiteral("sarif")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("ERR_USAGE_FORMAT"), r.err.constData());
    QVERIFY2(r.err.contains("sarif"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestCliSarif)
#include "tst_cli_sarif.moc"
