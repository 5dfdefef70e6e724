// SPDX-License-Identifier: Apache-2.0
// The built jwt-policy binary: `lint` and `diff` exit codes (0 / 1 / 2) and their --format json shapes.
#include "CliProcess.h"
#include "TestFiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using jwb::testing::RunResult;
using jwb::testing::runCli;
using jwb::testing::writeFile;

namespace {

const QString kAt = QStringLiteral("2026-11-22T00:00:00Z");

QString sourcePolicy(const char* name)
{
    return QStringLiteral(JWB_SOURCE_DIR "/resources/policies/") + QLatin1String(name);
}

QString lintData(const char* name)
{
    return QStringLiteral(JWB_TEST_DATA "/lint/") + QLatin1String(name);
}

QJsonObject parseObject(const QByteArray& text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    return doc.object();
}

// Data rows name a file made in initTestCase as "@name"; this puts its path in `dir` in its place.
QStringList inDir(QStringList args, const QTemporaryDir& dir)
{
    for (QString& arg : args) {
        if (arg.startsWith(u'@'))
            arg = dir.filePath(arg.mid(1));
    }
    return args;
}

} // namespace

class TestCliLint final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void lint_samplePolicy_exitsZeroWithJsonShape();
    void lint_weakPolicy_exitsOneAndCountsErrors();
    void lint_warningsOnly_exitsZero();
    void lint_textFormat_fileLineSeverityRuleMessageReference();
    void lint_atDecidesExceptionExpiry();
    void lint_unreadableInput_exitsTwo_data();
    void lint_unreadableInput_exitsTwo();

    void diff_samePolicy_exitsZeroNoChanges();
    void diff_onlyTightening_exitsZero();
    void diff_loosening_exitsOneWithJsonShape();
    void diff_textFormat_namesClassificationAndKind();
    void diff_badInput_exitsTwo_data();
    void diff_badInput_exitsTwo();

private:
    QTemporaryDir m_dir;
};

void TestCliLint::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(JWT_POLICY_BIN)));
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("malformed.yaml")), "jwt_policy: 1\nname: [unclosed\n"));
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("unknown-field.yaml")),
                      "jwt_policy: 1\nname: x\nowner: a@example.com\nclock_skew: 30\n"));
}

void TestCliLint::lint_samplePolicy_exitsZeroWithJsonShape()
{
    const RunResult run = runCli({QStringLiteral("lint"), sourcePolicy("sample.yaml"), QStringLiteral("--format"),
                                  QStringLiteral("json"), QStringLiteral("--at"), kAt});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = parseObject(run.out);
    QVERIFY2(!root.isEmpty(), run.out.constData());
    QCOMPARE(root.value(QStringLiteral("policy")).toString(), QStringLiteral("payments-platform"));
    QVERIFY(root.value(QStringLiteral("findings")).isArray());
    const QJsonObject counts = root.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("error")).toInt(-1), 0);
    QCOMPARE(counts.value(QStringLiteral("warning")).toInt(-1), 0);
    QCOMPARE(counts.value(QStringLiteral("info")).toInt(-1), root.value(QStringLiteral("findings")).toArray().size());
}

void TestCliLint::lint_weakPolicy_exitsOneAndCountsErrors()
{
    const RunResult run = runCli({QStringLiteral("lint"), sourcePolicy("weak.yaml"), QStringLiteral("--format"),
                                  QStringLiteral("json"), QStringLiteral("--at"), kAt});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject root = parseObject(run.out);
    QCOMPARE(root.value(QStringLiteral("policy")).toString(), QStringLiteral("weak-demo"));
    const QJsonArray findings = root.value(QStringLiteral("findings")).toArray();
    QStringList rules;
    int errors = 0;
    for (const QJsonValue& value : findings) {
        const QJsonObject f = value.toObject();
        for (const char* key : {"rule", "severity", "message", "reference", "path", "issuer", "line"})
            QVERIFY2(f.contains(QLatin1String(key)), key);
        QVERIFY(f.value(QStringLiteral("line")).toInt() > 0);
        rules.append(f.value(QStringLiteral("rule")).toString());
        errors += f.value(QStringLiteral("severity")).toString() == u"error" ? 1 : 0;
    }
    QVERIFY(rules.contains(QStringLiteral("alg-none-allowed")));
    QVERIFY(rules.contains(QStringLiteral("header-key-selecting-allowed")));
    QCOMPARE(root.value(QStringLiteral("counts")).toObject().value(QStringLiteral("error")).toInt(), errors);
    QVERIFY(errors >= 2);
}

void TestCliLint::lint_warningsOnly_exitsZero()
{
    const RunResult run = runCli({QStringLiteral("lint"), lintData("base.yaml"), QStringLiteral("--format"),
                                  QStringLiteral("json"), QStringLiteral("--at"), kAt});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject counts = parseObject(run.out).value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("error")).toInt(-1), 0);
    QCOMPARE(counts.value(QStringLiteral("warning")).toInt(-1), 1);
}

void TestCliLint::lint_textFormat_fileLineSeverityRuleMessageReference()
{
    const QString file = sourcePolicy("weak.yaml");
    const RunResult run = runCli({QStringLiteral("lint"), file, QStringLiteral("--at"), kAt});
    QCOMPARE(run.exitCode, 1);
    const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
    const QRegularExpression shape(QStringLiteral("^%1:(\\d+): (error|warning|info) \\[([a-z0-9-]+)\\] .+ \\((.+)\\)$")
                                       .arg(QRegularExpression::escape(file)));
    int findings = 0;
    bool sawNone = false;
    for (const QString& line : lines) {
        const QRegularExpressionMatch m = shape.match(line);
        if (!m.hasMatch())
            continue;
        ++findings;
        if (m.captured(3) == u"alg-none-allowed") {
            sawNone = true;
            QCOMPARE(m.captured(2), QStringLiteral("error"));
            QVERIFY(m.captured(4).contains(QStringLiteral("RFC 8725")));
        }
    }
    QVERIFY2(sawNone, run.out.constData());
    QCOMPARE(findings, lines.size() - 1); // plus one summary line
}

void TestCliLint::lint_atDecidesExceptionExpiry()
{
    // The sample's exception ends with 2027-03-31: two weeks before, lint warns; after, it is expired.
    const auto rulesAt = [](const QString& at) {
        const RunResult run = runCli({QStringLiteral("lint"), sourcePolicy("sample.yaml"), QStringLiteral("--format"),
                                      QStringLiteral("json"), QStringLiteral("--at"), at});
        QStringList rules;
        for (const QJsonValue& f : parseObject(run.out).value(QStringLiteral("findings")).toArray())
            rules.append(f.toObject().value(QStringLiteral("rule")).toString());
        return rules;
    };
    QVERIFY(!rulesAt(kAt).contains(QStringLiteral("exception-expiring")));
    QVERIFY(rulesAt(QStringLiteral("2027-03-25T00:00:00Z")).contains(QStringLiteral("exception-expiring")));
    QVERIFY(rulesAt(QStringLiteral("1806624000")).contains(QStringLiteral("exception-expired"))); // 2027-04-02
}

void TestCliLint::lint_unreadableInput_exitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("missing file") << QStringList{QStringLiteral("lint"), QStringLiteral("/nonexistent/policy.yaml")};
    QTest::newRow("malformed YAML") << QStringList{QStringLiteral("lint"), QStringLiteral("@malformed.yaml")};
    QTest::newRow("unknown field") << QStringList{QStringLiteral("lint"), QStringLiteral("@unknown-field.yaml")};
    QTest::newRow("no file") << QStringList{QStringLiteral("lint")};
    QTest::newRow("two files") << QStringList{QStringLiteral("lint"), sourcePolicy("sample.yaml"), sourcePolicy("weak.yaml")};
    QTest::newRow("bad format") << QStringList{QStringLiteral("lint"), sourcePolicy("sample.yaml"),
                                               QStringLiteral("--format"), QStringLiteral("xml")};
    QTest::newRow("bad instant") << QStringList{QStringLiteral("lint"), sourcePolicy("sample.yaml"),
                                                QStringLiteral("--at"), QStringLiteral("tomorrow")};
}

void TestCliLint::lint_unreadableInput_exitsTwo()
{
    QFETCH(QStringList, args);
    const RunResult run = runCli(inDir(args, m_dir));
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
    QVERIFY(run.out.isEmpty());
}

void TestCliLint::diff_samePolicy_exitsZeroNoChanges()
{
    const RunResult run = runCli({QStringLiteral("diff"), sourcePolicy("sample.yaml"), sourcePolicy("sample.json"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = parseObject(run.out);
    QVERIFY2(root.value(QStringLiteral("changes")).toArray().isEmpty(), run.out.constData());
    const QJsonObject counts = root.value(QStringLiteral("counts")).toObject();
    for (const char* key : {"tightening", "loosening", "neutral"})
        QCOMPARE(counts.value(QLatin1String(key)).toInt(-1), 0);
}

void TestCliLint::diff_onlyTightening_exitsZero()
{
    const RunResult run = runCli({QStringLiteral("diff"), lintData("base.yaml"), lintData("tighter.yaml"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject root = parseObject(run.out);
    QStringList kinds;
    for (const QJsonValue& c : root.value(QStringLiteral("changes")).toArray())
        kinds.append(c.toObject().value(QStringLiteral("kind")).toString());
    QCOMPARE(kinds, (QStringList{QStringLiteral("revision-changed"), QStringLiteral("algorithm-removed"),
                                 QStringLiteral("skew-narrowed"), QStringLiteral("audience-removed")}));
    const QJsonObject counts = root.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("tightening")).toInt(), 3);
    QCOMPARE(counts.value(QStringLiteral("loosening")).toInt(), 0);
    QCOMPARE(counts.value(QStringLiteral("neutral")).toInt(), 1);
}

void TestCliLint::diff_loosening_exitsOneWithJsonShape()
{
    const RunResult run = runCli({QStringLiteral("diff"), lintData("tighter.yaml"), lintData("base.yaml"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject root = parseObject(run.out);
    const QJsonArray changes = root.value(QStringLiteral("changes")).toArray();
    QCOMPARE(changes.size(), 4);
    int loosening = 0;
    for (const QJsonValue& value : changes) {
        const QJsonObject c = value.toObject();
        QCOMPARE(c.size(), 5);
        for (const char* key : {"kind", "classification", "issuer", "path", "message"})
            QVERIFY2(c.value(QLatin1String(key)).isString(), key);
        if (c.value(QStringLiteral("classification")).toString() == u"loosening") {
            ++loosening;
            QCOMPARE(c.value(QStringLiteral("issuer")).toString(), QStringLiteral("https://login.example.com/"));
        }
    }
    QCOMPARE(loosening, 3);
    QCOMPARE(root.value(QStringLiteral("counts")).toObject().value(QStringLiteral("loosening")).toInt(), 3);
}

void TestCliLint::diff_textFormat_namesClassificationAndKind()
{
    const RunResult run = runCli({QStringLiteral("diff"), lintData("tighter.yaml"), lintData("base.yaml")});
    QCOMPARE(run.exitCode, 1);
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.contains(QStringLiteral("loosening  [skew-widened]")), run.out.constData());
    QVERIFY(text.contains(QStringLiteral("defaults.clock_skew_seconds")));
    QVERIFY(text.contains(QStringLiteral("3 loosening")));
}

void TestCliLint::diff_badInput_exitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("missing old") << QStringList{QStringLiteral("diff"), QStringLiteral("/nonexistent.yaml"),
                                                sourcePolicy("sample.yaml")};
    QTest::newRow("malformed new") << QStringList{QStringLiteral("diff"), sourcePolicy("sample.yaml"),
                                                  QStringLiteral("@malformed.yaml")};
    QTest::newRow("one file") << QStringList{QStringLiteral("diff"), sourcePolicy("sample.yaml")};
    QTest::newRow("bad format") << QStringList{QStringLiteral("diff"), sourcePolicy("sample.yaml"),
                                               sourcePolicy("weak.yaml"), QStringLiteral("--format=yaml")};
}

void TestCliLint::diff_badInput_exitsTwo()
{
    QFETCH(QStringList, args);
    const RunResult run = runCli(inDir(args, m_dir));
    QCOMPARE(run.exitCode, 2);
    QVERIFY(!run.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliLint)
#include "tst_cli_lint.moc"
