// SPDX-License-Identifier: Apache-2.0
// Replays saved fuzzer inputs through the exact bodies of the libFuzzer targets (tests/fuzz/
// FuzzTargets.h), in the normal and the sanitizer builds: every input that once crashed, leaked or
// broke an invariant (tests/data/fuzz-regressions/<target>/), and the seed corpora
// (tests/fuzz/corpus/<target>/), so a regression shows up without clang or a fuzzing run.
#include "FuzzTargets.h"

#include <QDir>
#include <QTest>

using namespace jwb;

namespace {

using Runner = QString (*)(QByteArrayView);

QString runPolicyJson(QByteArrayView in) { return fuzz::runPolicy(in, policy::Format::Json); }
QString runPolicyYaml(QByteArrayView in) { return fuzz::runPolicy(in, policy::Format::Yaml); }

struct Target {
    const char* name;
    Runner run;
};
constexpr Target kTargets[] = {
    {"fuzz_verify", &fuzz::runVerify},
    {"fuzz_signature", &fuzz::runSignature},
    {"fuzz_policy_json", &runPolicyJson},
    {"fuzz_policy_yaml", &runPolicyYaml},
    {"fuzz_estate", &fuzz::runEstate},
};

QStringList filesIn(const QString& dir)
{
    QStringList out;
    for (const QFileInfo& fi : QDir(dir).entryInfoList(QDir::Files, QDir::Name))
        if (!fi.fileName().endsWith(QLatin1String(".md")))
            out.append(fi.absoluteFilePath());
    return out;
}

} // namespace

class TestFuzzRegressions final : public QObject {
    Q_OBJECT

private slots:
    void savedInputs_holdEveryInvariant_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("file");
        int rows = 0;
        for (int t = 0; t < int(std::size(kTargets)); ++t) {
            const QString name = QLatin1String(kTargets[t].name);
            const QString regressions = QStringLiteral(JWB_TEST_DATA "/fuzz-regressions/") + name;
            const QString seeds = QStringLiteral(JWB_FUZZ_DIR "/corpus/") + name;
            for (const QString& kind : {regressions, seeds}) {
                for (const QString& file : filesIn(kind)) {
                    const QString tag = (kind == seeds ? QStringLiteral("seed ") : QStringLiteral("regression ")) + name
                        + u'/' + QFileInfo(file).fileName();
                    QTest::newRow(qPrintable(tag)) << t << file;
                    ++rows;
                }
            }
        }
        if (rows < 20)
            qFatal("only %d saved fuzz inputs found: the seed corpora are missing", rows);
    }

    void savedInputs_holdEveryInvariant()
    {
        QFETCH(int, target);
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray input = f.readAll();
        QCOMPARE(kTargets[target].run(input), QString());
    }

    void fixtureTokens_verifyUnderTheFuzzPolicy()
    {
        // The fixed tokens are valid under the fuzz policy, so the fuzzer starts from inputs that reach
        // the claim steps instead of stopping at the signature.
        for (const QByteArray& token : fuzz::fixedTokens()) {
            verify::VerifyOptions options;
            options.atUnixSeconds = fuzz::kVerifyAt;
            const verify::Trace trace = fuzz::fixedVerifier().verify(token, options);
            QVERIFY2(trace.accepted, qPrintable(trace.toText()));
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
