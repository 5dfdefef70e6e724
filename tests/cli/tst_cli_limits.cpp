// SPDX-License-Identifier: Apache-2.0
// 100 MB inputs through the built jwt-policy: a token file, a corpus with a 100 MB line, a policy
// file. Each ends with a clear result or error, and the process's peak memory stays within 32 MiB of
// its peak on small inputs (getrusage(RUSAGE_CHILDREN) after each run: the largest child so far).
#include "CliProcess.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "token/Base64Url.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace jwb;
using testing::RunResult;
using testing::runCli;
using testing::writeFile;
using testing::writeStreamed;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
// What a bounded run may add to the peak of a run on small inputs. Reading a 100 MB input whole (or
// even the 64 MiB the CLI accepts from a pipe) would add more than this, in the normal build and in
// the sanitizer build alike, whose baseline is several times larger.
constexpr qint64 kHeadroom = 32 * kMiB;
const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

// Reading 100 MB takes a while in the sanitizer build.
const testing::RunOptions kSlowRun{{}, 300000, {}};

qint64 largestChildPeakBytes()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return static_cast<qint64>(usage.ru_maxrss) * 1024;
}

} // namespace

class TestCliLimits final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_policy;
    QByteArray m_token;
    qint64 m_peakBound = 0;

    void expectBoundedPeak()
    {
        const qint64 peak = largestChildPeakBytes();
        QVERIFY2(peak < m_peakBound, qPrintable(QStringLiteral("peak %1 MiB, bound %2 MiB").arg(peak / kMiB).arg(m_peakBound / kMiB)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto key = crypto::SigningKey::fromSecret(QByteArray(32, 'q'), QStringLiteral("hs-1"));
        QVERIFY(key.ok());
        m_policy = m_dir.filePath(QStringLiteral("policy.yaml"));
        QVERIFY(writeFile(m_policy,
                          "jwt_policy: 1\nname: limits\nowner: sec@example.com\ndefaults:\n  algorithms: [HS256]\n"
                          "issuers:\n  - issuer: https://login.example.com/\n    audiences: [api]\n    keys:\n"
                          "      jwks: {keys: [{kty: oct, kid: hs-1, k: "
                              + token::encodeBase64Url(QByteArray(32, 'q')) + "}]}\n"));
        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("kid"), QStringLiteral("hs-1")}};
        const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("https://login.example.com/")},
                                 {QStringLiteral("aud"), QStringLiteral("api")}, {QStringLiteral("exp"), kNow + 600}};
        m_token = crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact),
                                      QJsonDocument(claims).toJson(QJsonDocument::Compact), &key.value(), crypto::Algorithm::HS256);
        // The policy and token work, so the refusals below are about size alone.
        const RunResult ok = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policy,
                                     QStringLiteral("--at"), QString::number(kNow), QString::fromLatin1(m_token)},
                                    kSlowRun);
        QVERIFY2(ok.exitCode == 0, QByteArray(ok.out + ok.err).constData());
        // The same small token as a one-line corpus: the baseline of both verbs used below.
        const QString small = m_dir.filePath(QStringLiteral("small.log"));
        QVERIFY(writeFile(small, "Bearer " + m_token + "\n"));
        const RunResult check = runCli({QStringLiteral("check"), QStringLiteral("--policy"), m_policy,
                                        QStringLiteral("--at"), QString::number(kNow), small},
                                       kSlowRun);
        QCOMPARE(check.exitCode, 0);
        m_peakBound = largestChildPeakBytes() + kHeadroom;
    }

    void hundredMegabyteTokenFile_refusedBeforeReading()
    {
        const QString file = m_dir.filePath(QStringLiteral("token.jwt"));
        QVERIFY(writeStreamed(file, m_token.left(m_token.lastIndexOf('.') + 1), 'A', 100 * kMiB, "\n"));
        const RunResult r = runCli({QStringLiteral("verify"), QStringLiteral("--policy"), m_policy, file}, kSlowRun);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("ERR_INPUT_TOO_LARGE"), r.err.constData());
        QVERIFY(r.err.contains(file.toUtf8())); // says which input
        expectBoundedPeak();
        QFile::remove(file);
    }

    void hundredMegabyteCorpusLine_skippedAndCounted()
    {
        // One valid token, then a 100 MB line that looks like the start of a token, then the token again.
        const QString file = m_dir.filePath(QStringLiteral("corpus.log"));
        QVERIFY(writeStreamed(file, "Bearer " + m_token + "\nBearer eyJ", 'A', 100 * kMiB, "\nBearer " + m_token + "\n"));
        const RunResult r = runCli({QStringLiteral("check"), QStringLiteral("--policy"), m_policy, QStringLiteral("--at"),
                                    QString::number(kNow), QStringLiteral("--format"), QStringLiteral("json"), file},
                                   kSlowRun);
        QVERIFY2(r.exitCode >= 0 && r.exitCode <= 2, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(!report.isEmpty(), r.out.left(400).constData());
        QCOMPARE(report.value(QStringLiteral("overlong_lines")).toInteger(), 1);
        expectBoundedPeak();
        QFile::remove(file);
    }

    void hundredMegabytePolicyFile_refusedBeforeReading()
    {
        const QString file = m_dir.filePath(QStringLiteral("huge-policy.yaml"));
        QVERIFY(writeStreamed(file, "jwt_policy: 1\nname: huge\n# ", 'x', 100 * kMiB, "\n"));
        const RunResult r = runCli(
            {QStringLiteral("verify"), QStringLiteral("--policy"), file, QString::fromLatin1(m_token)}, kSlowRun);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("ERR_POLICY_TOO_LARGE"), r.err.constData());
        expectBoundedPeak();
        QFile::remove(file);
    }
};

QTEST_GUILESS_MAIN(TestCliLimits)
#include "tst_cli_limits.moc"
