// SPDX-License-Identifier: Apache-2.0
// Service exports run by their real libraries (issue 21): each runnable service target is exported
// for the staging policy (the P-256 test key pinned in keys.test_jwks, a staging export), its
// generated verification code is run by a small driver (tests/live/services-drivers/) over every
// token of the probe's self-test and boundary set (signed with the pinned test key at test time),
// and each verdict must equal the core's. A deviation is allowed only where the export's own gap
// report says not_enforced for the token's control AND the table below names it; each table entry
// must be seen. So a generated snippet that accepts a rejected token fails, and so does a gap row
// that claims a control the code does not keep.
#include "LiveServer.h"
#include "StagingPolicy.h"
#include "export/Export.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace jwb;
using exporting::Target;

namespace {

const QString kDrivers = QStringLiteral(JWB_SOURCE_DIR "/tests/live/services-drivers");
const QString kNodeModules = QStringLiteral(JWB_SOURCE_DIR "/tests/node/node_modules");
const QString kGocode = QStringLiteral("/usr/share/gocode/src");
// Debian's interpreter: python3-jwt and python3-jwcrypto are installed for it, not for a pyenv shim.
const QString kPython = QStringLiteral("/usr/bin/python3");
// Every time boundary of the token set is this far from its edge; the whole run must stay inside.
constexpr int kMarginSeconds = 10;

// A verdict the library reaches that differs from the core's, and the control whose gap row must
// say not_enforced for it. Empty for every library today: each emulates what it lacks. Entries are
// (target, variant) -> control.
struct ExpectedDeviation {
    Target target;
    const char* variant;
    const char* control;
};
constexpr ExpectedDeviation kExpectedDeviations[] = {
    // None: jose, jsonwebtoken, PyJWT, jwcrypto and golang-jwt v4 keep every control the staging
    // policy uses once the generated code is around them.
    {Target::ServiceJose, nullptr, nullptr},
};

QList<ExpectedDeviation> deviationsFor(Target t)
{
    QList<ExpectedDeviation> out;
    for (const auto& d : kExpectedDeviations) {
        if (d.target == t && d.variant)
            out << d;
    }
    return out;
}

struct DriverRun {
    QStringList verdicts; // "accept", "reject ...", "error ..."
    QString problem;      // why it did not run
    QByteArray log;
};

DriverRun runProcess(const QString& program, const QStringList& args, const QByteArray& input,
                     const QProcessEnvironment& env, const QString& workDir, int timeoutMs)
{
    DriverRun run;
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workDir);
    p.start();
    if (!p.waitForStarted(10000)) {
        run.problem = QStringLiteral("%1 did not start: %2").arg(program, p.errorString());
        return run;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        run.problem = QStringLiteral("%1 did not finish within %2 ms").arg(program).arg(timeoutMs);
    }
    const QByteArray out = p.readAllStandardOutput();
    run.log = p.readAllStandardError();
    if (run.problem.isEmpty() && (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0))
        run.problem = QStringLiteral("%1 exited with %2").arg(program).arg(p.exitCode());
    for (const QByteArray& line : out.split('\n')) {
        if (!line.isEmpty())
            run.verdicts << QString::fromUtf8(line);
    }
    return run;
}

QProcessEnvironment isolatedEnv(const QTemporaryDir& dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GOCACHE"), dir.filePath(QStringLiteral("gocache")));
    env.insert(QStringLiteral("GOPATH"), dir.filePath(QStringLiteral("gopath")));
    env.insert(QStringLiteral("GOPROXY"), QStringLiteral("off"));
    env.insert(QStringLiteral("GOFLAGS"), QStringLiteral("-mod=mod"));
    env.insert(QStringLiteral("GO111MODULE"), QStringLiteral("on"));
    env.insert(QStringLiteral("GONOSUMDB"), QStringLiteral("*"));
    env.insert(QStringLiteral("GOTOOLCHAIN"), QStringLiteral("local"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    return env;
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace

class TestServicesLive final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    crypto::SigningKey m_key = testing::stagingSigningKey();
    QString m_failureLog;

    policy::Policy policy() const
    {
        auto p = policy::loadPolicyFile(testing::writeStagingPolicy(m_dir));
        if (!p)
            qFatal("staging policy: %s", qPrintable(p.error().toString()));
        return p.value();
    }

    // Prepares the driver for the generated code (already written by the CLI) in `work`; returns the command that reads tokens on
    // standard input, or an empty program with `problem` set (what to install).
    struct Command {
        QString program;
        QStringList args;
        int timeoutMs = 60000;
    };

    Command prepare(Target t, const exporting::ExportResult& exported, const QString& work, const QProcessEnvironment& env,
                    QString& problem)
    {
        const QString code = QDir(work).filePath(exported.fileName); // the Go package is built from its folder
        switch (t) {
        case Target::ServiceJose:
        case Target::ServiceJsonwebtoken: {
            const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
            const QString pkg = t == Target::ServiceJose ? QStringLiteral("jose") : QStringLiteral("jsonwebtoken");
            if (node.isEmpty() || !QFile::exists(kNodeModules + u'/' + pkg + QStringLiteral("/package.json"))) {
                problem = QStringLiteral("node 20 and tests/node/node_modules/%1 are needed: apt-get install nodejs; "
                                         "installer/deps-node.sh")
                              .arg(pkg);
                return {};
            }
            // The generated module imports its library by name: resolve it from the pinned tree.
            QFile::link(kNodeModules, QDir(work).filePath(QStringLiteral("node_modules")));
            return {node, {kDrivers + QStringLiteral("/node-driver.mjs"), code}};
        }
        case Target::ServicePyjwt:
        case Target::ServiceJwcrypto: {
            const QString module = t == Target::ServicePyjwt ? QStringLiteral("jwt") : QStringLiteral("jwcrypto");
            if (!QFile::exists(kPython)
                || runProcess(kPython, {QStringLiteral("-c"), QStringLiteral("import %1").arg(module)}, {}, env, work, 20000)
                       .problem.size()) {
                problem = QStringLiteral("%1 with %2 is needed: apt-get install python3-jwt python3-jwcrypto")
                              .arg(kPython, module);
                return {};
            }
            return {kPython, {kDrivers + QStringLiteral("/python-driver.py"), code}};
        }
        case Target::ServiceGolangJwt: {
            const QString go = QStandardPaths::findExecutable(QStringLiteral("go"));
            if (go.isEmpty() || !QFile::exists(kGocode + QStringLiteral("/github.com/golang-jwt/jwt/go.mod"))) {
                problem = QStringLiteral("go and Debian's golang-jwt are needed: apt-get install golang-go "
                                         "golang-github-golang-jwt-jwt-dev");
                return {};
            }
            QFile mod(kDrivers + QStringLiteral("/go.mod.in"));
            mod.open(QIODevice::ReadOnly);
            writeFile(QDir(work).filePath(QStringLiteral("go.mod")), mod.readAll().replace("@GOCODE@", kGocode.toUtf8()));
            QFile::copy(kDrivers + QStringLiteral("/go-driver.go"), QDir(work).filePath(QStringLiteral("main.go")));
            // Built before the tokens are minted, so compile time never eats the boundary margin.
            const QString binary = QDir(work).filePath(QStringLiteral("driver"));
            const DriverRun build = runProcess(go, {QStringLiteral("build"), QStringLiteral("-o"), binary, QStringLiteral(".")},
                                               {}, env, work, 300000);
            if (!build.problem.isEmpty()) {
                problem = QStringLiteral("go build (offline, GOPROXY=off) failed: %1\n%2")
                              .arg(build.problem, QString::fromUtf8(build.log));
                return {};
            }
            return {binary, {}};
        }
        default:
            problem = QStringLiteral("not a runnable service target");
            return {};
        }
    }

private slots:
    void cleanup()
    {
        if (QTest::currentTestFailed() && !m_failureLog.isEmpty())
            qWarning().noquote() << m_failureLog;
        m_failureLog.clear();
    }

    void generatedCode_decidesAsTheCore_exceptNamedGaps_data()
    {
        QTest::addColumn<int>("target");
        for (Target t : {Target::ServiceJose, Target::ServiceJsonwebtoken, Target::ServicePyjwt, Target::ServiceJwcrypto,
                         Target::ServiceGolangJwt})
            QTest::newRow(qPrintable(exporting::targetName(t))) << int(t);
    }

    void generatedCode_decidesAsTheCore_exceptNamedGaps()
    {
        QFETCH(int, target);
        const Target t = static_cast<Target>(target);
        const policy::Policy staging = policy();
        exporting::ExportProfile profile;
        profile.atUnixSeconds = QDateTime::currentSecsSinceEpoch();
        profile.includeTestKeys = true; // the staging policy pins the test key it signs with
        const auto exported = exporting::exportPolicy(staging, t, profile);
        QVERIFY2(exported.ok(), exported.ok() ? "" : qPrintable(exported.error().toString()));

        const QString work = m_dir.filePath(exporting::targetName(t).replace(u':', u'-'));
        QVERIFY(QDir().mkpath(work));
        const QProcessEnvironment env = isolatedEnv(m_dir);

        // The code a service pastes in is what the CLI writes: one issuer (--issuer), into a
        // directory under the export's own name (-o DIR/); the Go package goes to its own folder.
        const QString codeDir = t == Target::ServiceGolangJwt ? QDir(work).filePath(QStringLiteral("jwtverify")) : work;
        const DriverRun cli = runProcess(
            QStringLiteral(JWT_POLICY_BIN),
            {QStringLiteral("export"), QStringLiteral("--policy"), testing::writeStagingPolicy(m_dir), QStringLiteral("--to"),
             exporting::targetName(t), QStringLiteral("--issuer"), testing::kStagingIssuer, QStringLiteral("--include-test-keys"),
             QStringLiteral("--at"), QDateTime::fromSecsSinceEpoch(profile.atUnixSeconds, Qt::UTC).toString(Qt::ISODate),
             QStringLiteral("-o"), codeDir + u'/'},
            {}, env, work, 30000);
        QVERIFY2(cli.problem.isEmpty(), qPrintable(cli.problem + u'\n' + QString::fromUtf8(cli.log)));
        QFile written(QDir(codeDir).filePath(exported->fileName));
        QVERIFY2(written.open(QIODevice::ReadOnly), qPrintable(written.fileName()));
        QCOMPARE(written.readAll(), exported->text);

        QString problem;
        const Command command = prepare(t, *exported, work, env, problem);
        if (command.program.isEmpty())
            QFAIL(qPrintable(problem)); // a missing library is a failure, with what to install

        probe::TokenSetOptions options;
        options.signingKey = &m_key;
        options.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
        options.marginSeconds = kMarginSeconds;
        const auto set = probe::mintProbeTokens(staging, options);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().toString()));
        QVERIFY(set->tokens.size() > 30);
        QByteArray input;
        for (const auto& token : set->tokens)
            input += token.token + '\n';
        const qint64 started = QDateTime::currentSecsSinceEpoch();
        const DriverRun run = runProcess(command.program, command.args, input, env, work, command.timeoutMs);
        const qint64 finished = QDateTime::currentSecsSinceEpoch();
        m_failureLog = QStringLiteral("driver stderr:\n") + QString::fromUtf8(run.log);
        QVERIFY2(run.problem.isEmpty(), qPrintable(run.problem));
        QCOMPARE(run.verdicts.size(), set->tokens.size());

        // The gap rows of this very export, by control (one issuer).
        QHash<QString, exporting::GapStatus> rows;
        for (const auto& g : exported->gaps)
            rows.insert(g.control, g.status);
        const QList<ExpectedDeviation> expected = deviationsFor(t);
        for (const auto& d : expected)
            QVERIFY2(rows.value(QString::fromLatin1(d.control)) == exporting::GapStatus::NotEnforced,
                     qPrintable(QStringLiteral("%1: the table expects a deviation on %2, but its gap row is %3")
                                    .arg(QString::fromLatin1(d.variant), QString::fromLatin1(d.control),
                                         exporting::gapStatusName(rows.value(QString::fromLatin1(d.control))))));

        QStringList wrong;
        QStringList seenDeviations;
        QString table;
        for (qsizetype i = 0; i < set->tokens.size(); ++i) {
            const probe::ProbeToken& token = set->tokens.at(i);
            const QString& verdict = run.verdicts.at(i);
            table += QStringLiteral("%1 [%2] core=%3 lib=%4\n")
                         .arg(token.variant, token.control,
                              token.expectedAccepted ? QStringLiteral("accept") : QStringLiteral("reject:") + token.expectedStep,
                              verdict);
            // Time-dependent verdicts hold only inside the token's stable window.
            if (started < token.stableFrom || finished > token.stableUntil) {
                wrong << QStringLiteral("%1: the run (%2..%3) left its stable window (%4..%5); the margin is too small")
                             .arg(token.variant).arg(started).arg(finished).arg(token.stableFrom).arg(token.stableUntil);
                continue;
            }
            if (verdict.startsWith(QStringLiteral("error"))) {
                wrong << QStringLiteral("%1: the generated code failed instead of rejecting: %2").arg(token.variant, verdict);
                continue;
            }
            const bool accepted = verdict == u"accept";
            if (accepted == token.expectedAccepted)
                continue;
            const bool named = std::any_of(expected.begin(), expected.end(), [&token](const ExpectedDeviation& d) {
                return token.variant == QLatin1String(d.variant);
            });
            const bool gapSaysSo = rows.value(token.control) == exporting::GapStatus::NotEnforced;
            if (named && gapSaysSo) {
                seenDeviations << token.variant;
                continue;
            }
            wrong << QStringLiteral("%1 (control %2, gap row %3): the core %4 it, %5 %6 it (%7)")
                         .arg(token.variant, token.control.isEmpty() ? QStringLiteral("-") : token.control,
                              token.control.isEmpty() ? QStringLiteral("-") : exporting::gapStatusName(rows.value(token.control)),
                              token.expectedAccepted ? QStringLiteral("accepts") : QStringLiteral("rejects"),
                              exporting::targetName(t), accepted ? QStringLiteral("accepts") : QStringLiteral("rejects"), verdict);
        }
        for (const auto& d : expected) {
            if (!seenDeviations.contains(QLatin1String(d.variant)))
                wrong << QStringLiteral("%1: the table expects a deviation that did not happen").arg(QLatin1String(d.variant));
        }
        m_failureLog += QStringLiteral("verdicts:\n") + table;
        qInfo("%s: %lld tokens, %lld accepted by the core, %lld expected deviations seen", qPrintable(exporting::targetName(t)),
              static_cast<long long>(set->tokens.size()),
              static_cast<long long>(std::count_if(set->tokens.begin(), set->tokens.end(),
                                                   [](const probe::ProbeToken& p) { return p.expectedAccepted; })),
              static_cast<long long>(seenDeviations.size()));
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestServicesLive)
#include "tst_services_live.moc"
