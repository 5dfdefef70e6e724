// SPDX-License-Identifier: Apache-2.0
// jwt-policy report, run as the built binary: the PDF (read back with pdftotext, poppler-utils) and
// the HTML hold every issuer, exception and lint finding of the sample and test policies; neither
// holds an HMAC secret, a private key or a token; bad input exits 2 with a clear message.
#include "export/Export.h"
#include "lint/Lint.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;

namespace {

constexpr int kTimeoutMs = 120000;
const QString kAt = QStringLiteral("2026-12-07T12:00:00Z");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// The environment of every run: QtGui warns on stderr when XDG_RUNTIME_DIR is unset (as under CI), so
// each run gets a private one (QTemporaryDir makes it 0700, as Qt expects) and stderr holds only the
// tool's own messages.
QProcessEnvironment reportEnvironment()
{
    static const QTemporaryDir runtimeDir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
    return env;
}

Run runPolicy(const QStringList& args, const QProcessEnvironment& env = reportEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(JWT_POLICY_BIN), args);
    if (!p.waitForFinished(kTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// The PDF's text in content order, with all whitespace removed: cells wrap long ids and URLs over
// lines, and a check for a string must not depend on where the layout broke it. NFKC folds the
// ligatures the font shapes (U+FB01 for "fi"), which pdftotext hands back as one character.
QString pdfText(const QString& pdf, bool squeeze = true)
{
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-raw"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(kTimeoutMs))
        return {};
    const QString text = QString::fromUtf8(p.readAllStandardOutput()).normalized(QString::NormalizationForm_KC);
    return squeeze ? QString(text).remove(QRegularExpression(QStringLiteral("\\s+"))) : text;
}

QString squeezed(QString s)
{
    return s.remove(QRegularExpression(QStringLiteral("\\s+")));
}

QString readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString samplePath()
{
    return QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml");
}

QString linesPath()
{
    return QStringLiteral(JWB_TEST_DATA "/lint/lines.yaml");
}

// Everything the document must show of `policyPath`, as the core reports it.
QStringList expectedStrings(const QString& policyPath)
{
    const policy::Policy p = policy::loadPolicyFile(policyPath).value();
    QStringList needles;
    for (const auto& i : p.issuers)
        needles << i.issuer;
    for (const auto& e : p.exceptions)
        needles << e.id << e.owner << e.reason;
    for (const auto& f : lint::lintPolicy(p, util::parseInstant(kAt).value()))
        needles << f.ruleId << f.message;
    return needles;
}

// Secrets of the inputs that must never be printed: the sample's HMAC secret, and private keys.
QStringList forbiddenStrings()
{
    QStringList secrets{QStringLiteral("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh-4Cu2V5fs"), QStringLiteral("PRIVATE KEY")};
    const QString pem = readAll(QStringLiteral(JWB_TEST_DATA "/keys/ec-p256-private.pem"));
    for (const QString& line : pem.split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith(u'-'))
            secrets << line;
    }
    // The sample tokens: a whole token is never printed.
    for (const char* token : {"sample-valid.jwt", "sample-billing-hs256.jwt"}) {
        const QString t = readAll(QStringLiteral(JWB_SOURCE_DIR "/resources/tokens/") + QString::fromLatin1(token)).trimmed();
        if (!t.isEmpty())
            secrets << t << t.section(u'.', 2, 2);
    }
    return secrets;
}

} // namespace

class TestCliReport final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty(),
                 "pdftotext is missing: install poppler-utils (installer/deps-debian.sh)");
    }

    void pdf_holdsEveryIssuerExceptionAndFinding_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("paper");
        QTest::newRow("sample A4") << samplePath() << "a4";
        QTest::newRow("sample Letter") << samplePath() << "letter";
        QTest::newRow("test policy A4") << linesPath() << "a4";
    }
    void pdf_holdsEveryIssuerExceptionAndFinding()
    {
        QFETCH(QString, policy);
        QFETCH(QString, paper);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("review.pdf"));
        const Run r = runPolicy({QStringLiteral("report"), QStringLiteral("--policy"), policy, QStringLiteral("--at"), kAt,
                                 QStringLiteral("--paper"), paper, QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("wrote ")));
        QVERIFY(readAll(out).startsWith(QStringLiteral("%PDF-")));
        const QString text = pdfText(out);
        QVERIFY(!text.isEmpty());
        for (const QString& needle : expectedStrings(policy))
            QVERIFY2(text.contains(squeezed(needle)), qPrintable(QStringLiteral("missing from the PDF: ") + needle));
        for (const QString& section : {QStringLiteral("Contents"), QStringLiteral("Algorithmpins"), QStringLiteral("Headerallowlist"),
                                       QStringLiteral("RFC7638thumbprint"), QStringLiteral("Self-test"),
                                       QStringLiteral("Enforcementgapsperexporttarget")})
            QVERIFY2(text.contains(section), qPrintable(section));
        for (const QString& secret : forbiddenStrings())
            QVERIFY2(!text.contains(squeezed(secret)), qPrintable(QStringLiteral("secret in the PDF: ") + secret.left(12)));
        // Page numbers on every page, "Page n of N", and the contents points at real pages.
        const QString raw = pdfText(out, false);
        const auto pages = raw.split(u'\f', Qt::SkipEmptyParts);
        QVERIFY(pages.size() >= 3);
        for (int i = 0; i < pages.size(); ++i)
            QVERIFY2(pages.at(i).contains(QStringLiteral("Page %1 of %2").arg(i + 1).arg(pages.size())), qPrintable(QString::number(i)));
        // Every section the contents lists starts on the page it names, and every export target's
        // heading is printed (a layout that stops painting part-way loses headings, not pages).
        static const QRegularExpression entry(QStringLiteral("^(\\d+\\. .+) (\\d+)$"));
        int entries = 0;
        for (const QString& line : pages.first().normalized(QString::NormalizationForm_KC).split(u'\n')) {
            const auto m = entry.match(line.trimmed());
            if (!m.hasMatch())
                continue;
            ++entries;
            const int page = m.captured(2).toInt();
            QVERIFY2(page >= 1 && page <= pages.size(), qPrintable(line));
            const QStringList onPage = pages.at(page - 1).normalized(QString::NormalizationForm_KC).split(u'\n');
            QVERIFY2(onPage.contains(m.captured(1)), qPrintable(QStringLiteral("not on page %1: %2").arg(page).arg(m.captured(1))));
        }
        QVERIFY(entries >= 10);
        const QStringList lines = raw.normalized(QString::NormalizationForm_KC).split(u'\n');
        exporting::ExportProfile profile;
        profile.atUnixSeconds = util::parseInstant(kAt).value();
        // Held in locals: a range-for over value() of a temporary Result would read freed memory.
        const auto loaded = policy::loadPolicyFile(policy);
        QVERIFY(loaded.ok());
        const auto gaps = exporting::gapReport(loaded.value(), profile);
        QVERIFY(gaps.ok());
        for (const auto& gap : gaps.value())
            QVERIFY2(lines.contains(gap.target), qPrintable(QStringLiteral("no heading for target ") + gap.target));
    }

    void html_isSelfContainedAndComplete()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("review.html"));
        const Run r = runPolicy({QStringLiteral("report"), QStringLiteral("--policy"), linesPath(), QStringLiteral("--at"), kAt,
                                 QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString html = readAll(out);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("<style>")));
        QVERIFY(html.contains(QStringLiteral("src=\"data:image/png;base64,")));
        // Nothing fetched from elsewhere: no external stylesheet, script or image.
        QVERIFY(!html.contains(QStringLiteral("<link")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
        QVERIFY(!html.contains(QStringLiteral("src=\"http")));
        for (const QString& needle : expectedStrings(linesPath()))
            QVERIFY2(html.contains(needle.toHtmlEscaped()), qPrintable(QStringLiteral("missing from the HTML: ") + needle));
        QVERIFY(html.contains(QStringLiteral("TEST KEY")));
        QVERIFY(html.contains(QStringLiteral("EXPIRED")));
        for (const QString& secret : forbiddenStrings())
            QVERIFY2(!html.contains(secret), qPrintable(QStringLiteral("secret in the HTML: ") + secret.left(12)));
    }

    void estateAndCompare_reportVerifiersDiffAndNoPrivateKey()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("review.pdf"));
        const QString estate = QStringLiteral(JWB_TEST_DATA "/estate/estate.yaml");
        const Run r = runPolicy({QStringLiteral("report"), QStringLiteral("--policy"), QStringLiteral(JWB_TEST_DATA "/estate/staging-policy.yaml"),
                                 QStringLiteral("--estate"), estate, QStringLiteral("--compare"), samplePath(),
                                 QStringLiteral("--at"), kAt, QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString text = pdfText(out);
        QVERIFY(text.contains(QStringLiteral("Changeunderreview")));
        // The sample (revision 3) as the old revision: issuers added are loosening and listed before
        // the tightening rows.
        QVERIFY(text.contains(QStringLiteral("Fromrevision3torevision1:")));
        const qsizetype loosening = text.indexOf(QStringLiteral("looseningissuer-added"));
        const qsizetype tightening = text.indexOf(QStringLiteral("tighteningissuer-removed"));
        QVERIFY2(loosening >= 0 && tightening > loosening, qPrintable(QStringLiteral("%1 %2").arg(loosening).arg(tightening)));
        QVERIFY(text.contains(QStringLiteral("edge-haproxy")));
        QVERIFY(text.contains(QStringLiteral("orders-api")));
        QVERIFY(text.contains(QStringLiteral("notprobed")));
        for (const QString& secret : forbiddenStrings())
            QVERIFY2(!text.contains(squeezed(secret)), qPrintable(QStringLiteral("secret in the PDF: ") + secret.left(12)));
    }

    void platformUnset_defaultsToOffscreen()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("review.html"));
        QProcessEnvironment env = reportEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        const Run r = runPolicy({QStringLiteral("report"), QStringLiteral("--policy"), samplePath(), QStringLiteral("-o"), out}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(readAll(out).contains(QStringLiteral("payments-platform")));
    }

    void badInput_exits2WithMessage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString out = QStringLiteral("/tmp/jwb-never-written.pdf");
        QTest::newRow("no policy") << QStringList{QStringLiteral("-o"), out} << "--policy FILE is required";
        QTest::newRow("no output") << QStringList{QStringLiteral("--policy"), samplePath()} << "-o FILE is required";
        QTest::newRow("unknown suffix") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("-o"), QStringLiteral("review.docx")}
                                        << "name it .pdf, .html or .htm";
        QTest::newRow("bad paper") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("--paper"), QStringLiteral("a5"), QStringLiteral("-o"), out}
                                   << "--paper is a4 or letter";
        QTest::newRow("bad at") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("--at"), QStringLiteral("soon"), QStringLiteral("-o"), out}
                                << "ERR_TIME_FORMAT";
        QTest::newRow("missing policy") << QStringList{QStringLiteral("--policy"), QStringLiteral("/nonexistent/p.yaml"), QStringLiteral("-o"), out}
                                        << "/nonexistent/p.yaml";
        QTest::newRow("invalid policy") << QStringList{QStringLiteral("--policy"), QStringLiteral(JWB_TEST_DATA "/lint/base.yaml"),
                                                       QStringLiteral("--compare"), QStringLiteral(JWB_SOURCE_DIR "/README.md"), QStringLiteral("-o"), out}
                                        << "README.md";
        QTest::newRow("missing estate") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("--estate"), QStringLiteral("/nonexistent/e.yaml"),
                                                       QStringLiteral("-o"), out}
                                        << "/nonexistent/e.yaml";
        QTest::newRow("unwritable output") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("-o"), QStringLiteral("/nonexistent-dir/r.pdf")}
                                           << "ERR_REPORT_WRITE";
        QTest::newRow("positional") << QStringList{QStringLiteral("--policy"), samplePath(), QStringLiteral("-o"), out, QStringLiteral("extra")}
                                    << "ERR_USAGE_ARGS";
    }
    void badInput_exits2WithMessage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runPolicy(QStringList{QStringLiteral("report")} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("jwt-policy report: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/jwb-never-written.pdf")));
    }

    void help_documentsEveryOption()
    {
        const Run r = runPolicy({QStringLiteral("report"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char* option : {"--policy", "--estate", "--compare", "--at", "--paper", "--output"})
            QVERIFY2(r.out.contains(QString::fromLatin1(option)), option);
    }
};

QTEST_GUILESS_MAIN(TestCliReport)
#include "tst_cli_report.moc"
