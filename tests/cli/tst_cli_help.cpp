// SPDX-License-Identifier: Apache-2.0
// The built jwt-policy binary: `jwt-policy VERB --help` names the verb as it is typed on its usage
// line ("Usage: jwt-policy VERB [options]"), never the path of the executable, for every verb
// `jwt-policy --help` lists.
#include "CliProcess.h"

#include <QRegularExpression>
#include <QTest>

using jwb::testing::RunResult;
using jwb::testing::runCli;

namespace {

// The verbs of the program's own usage text ("Verbs:" then one "  name  description" per line).
QStringList listedVerbs()
{
    const RunResult r = runCli({QStringLiteral("--help")});
    QStringList verbs;
    bool inVerbs = false;
    static const QRegularExpression verbLine(QStringLiteral("^  ([a-z][a-z-]*)\\s"));
    for (const QString& line : QString::fromUtf8(r.out).split(u'\n')) {
        if (line == QLatin1String("Verbs:")) {
            inVerbs = true;
            continue;
        }
        if (!inVerbs)
            continue;
        const QRegularExpressionMatch m = verbLine.match(line);
        if (!m.hasMatch())
            break;
        verbs.append(m.captured(1));
    }
    return verbs;
}

} // namespace

class TestCliHelp final : public QObject {
    Q_OBJECT

private slots:
    void programHelp_listsTheDocumentedVerbs()
    {
        const QStringList verbs = listedVerbs();
        for (const char* verb : {"verify", "signature", "lint", "diff", "schema", "selftest", "check", "export", "gaps",
                                 "drift", "keys", "rehearse"})
            QVERIFY2(verbs.contains(QLatin1String(verb)), verb);
    }

    void verbHelp_usageLineNamesTheVerb_data()
    {
        QTest::addColumn<QString>("verb");
        for (const QString& verb : listedVerbs())
            QTest::newRow(qPrintable(verb)) << verb;
    }

    void verbHelp_usageLineNamesTheVerb()
    {
        QFETCH(QString, verb);
        for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            const RunResult r = runCli({verb, flag});
            QCOMPARE(r.exitCode, 0);
            const QString out = QString::fromUtf8(r.out);
            const QString first = out.section(u'\n', 0, 0);
            const QString expected = QStringLiteral("Usage: jwt-policy %1 [options]").arg(verb);
            QVERIFY2(first.startsWith(expected), qPrintable(first));
            // Neither the path the test started it by nor any other path.
            QVERIFY2(!out.contains(QStringLiteral(JWT_POLICY_BIN)), qPrintable(first));
            QVERIFY2(!first.contains(u'/'), qPrintable(first));
            QVERIFY(out.contains(QStringLiteral("--help")));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
