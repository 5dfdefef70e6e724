// SPDX-License-Identifier: Apache-2.0
// The corpus engine on corpora written here from tokens minted here: thread-count independence,
// deduplication, the what-if comparison of two crafted policies, cancellation, log extraction.
#include "CorpusFixtures.h"
#include "corpus/CorpusAnalyzer.h"
#include "crypto/Signer.h"
#include "policy/Policy.h"
#include "token/CompactToken.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace jwb;
using crypto::Algorithm;

namespace {

const QString kLogin = testing::kCorpusLoginIssuer;
const QString kBilling = testing::kCorpusBillingIssuer;
const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

QByteArray compact(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

// The report without what legitimately differs between runs (timing, thread count).
QJsonObject comparable(const corpus::CorpusReport& r)
{
    QJsonObject o = r.toJson();
    o.remove(QStringLiteral("elapsed_ms"));
    o.remove(QStringLiteral("threads"));
    return o;
}

const corpus::StepBucket* findStep(const corpus::PolicyReport& p, const QString& code)
{
    for (const corpus::StepBucket& b : p.byStep) {
        if (b.code == code)
            return &b;
    }
    return nullptr;
}

const corpus::GroupBucket* findGroup(const QList<corpus::GroupBucket>& list, const QString& name)
{
    for (const corpus::GroupBucket& g : list) {
        if (g.name == name)
            return &g;
    }
    return nullptr;
}

} // namespace

class TestCorpus final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<crypto::SigningKey> m_ec, m_hs;
    policy::Policy m_a;   // billing may use HS256 or ES256; login serves payments-api and ledger-api
    policy::Policy m_b;   // billing pinned to ES256 only; login serves payments-api only; billing gains reports-api
    int m_serial = 0;

    QByteArray mint(const QString& iss, Algorithm alg, const QJsonValue& aud, qint64 exp = kNow + 600)
    {
        const crypto::SigningKey& key = alg == Algorithm::HS256 ? *m_hs : *m_ec;
        const QJsonObject header{{QStringLiteral("alg"), crypto::algorithmName(alg)},
                                 {QStringLiteral("typ"), QStringLiteral("JWT")},
                                 {QStringLiteral("kid"), key.publicKey().kid}};
        const QJsonObject claims{{QStringLiteral("iss"), iss},
                                 {QStringLiteral("sub"), QStringLiteral("user-%1").arg(++m_serial)},
                                 {QStringLiteral("aud"), aud},
                                 {QStringLiteral("iat"), kNow - 60},
                                 {QStringLiteral("exp"), exp}};
        return crypto::mintCompact(compact(header), compact(claims), &key, alg);
    }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    corpus::CorpusOptions options(int threads) const
    {
        corpus::CorpusOptions o;
        o.atUnixSeconds = kNow;
        o.threads = threads;
        return o;
    }

    // A mixed corpus: accepted tokens in several repeats, expired ones (a per-token reason), an
    // unknown issuer, HS256 from billing, garbage and blank lines. Deterministic content.
    QByteArray mixedCorpus(int distinct)
    {
        QByteArray out;
        for (int i = 0; i < distinct; ++i) {
            QByteArray t;
            switch (i % 5) {
            case 0: t = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api")); break;
            case 1: t = mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api")); break;
            case 2: t = mint(kLogin, Algorithm::ES256, QStringLiteral("ledger-api"), kNow - 3600 - i); break;
            case 3: t = mint(QStringLiteral("https://evil.example/"), Algorithm::ES256, QStringLiteral("payments-api")); break;
            default: t = mint(kBilling, Algorithm::ES256, QJsonArray{QStringLiteral("billing-api"), QStringLiteral("ledger-api")}); break;
            }
            for (int r = 0; r <= i % 3; ++r)
                out += t + '\n';
            if (i % 7 == 0)
                out += "not a token at all\n\n";
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ec = crypto::SigningKey::generate(Algorithm::ES256, QStringLiteral("ec-1"));
        QVERIFY(ec.ok());
        m_ec = std::move(ec).value();
        auto hs = crypto::SigningKey::generate(Algorithm::HS256, QStringLiteral("hs-1"));
        QVERIFY(hs.ok());
        m_hs = std::move(hs).value();

        m_a = testing::corpusPolicy(QStringLiteral("policy-a"), 1, *m_ec, *m_hs);
        m_a.issuers[1].overrides.algorithms = QStringList{QStringLiteral("HS256"), QStringLiteral("ES256")};

        m_b = m_a;
        m_b.name = QStringLiteral("policy-b");
        m_b.revision = 2;
        m_b.issuers[0].audiences = QStringList{QStringLiteral("payments-api")};
        m_b.issuers[1].overrides.algorithms = QStringList{QStringLiteral("ES256")};
        m_b.issuers[1].audiences = QStringList{QStringLiteral("billing-api"), QStringLiteral("reports-api")};
    }

    void multiThread_equalsSingleThread()
    {
        const QString path = writeFile(QStringLiteral("mixed.txt"), mixedCorpus(400));
        const corpus::CorpusAnalyzer analyzer(m_a, &m_b);
        const auto one = analyzer.analyzeFiles({path}, options(1));
        QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error().toString()));
        QVERIFY(one->complete);
        QCOMPARE(one->threads, 1);
        QVERIFY(one->policyA.byStep.size() >= 2);
        QVERIFY(!one->changes.isEmpty());
        for (int threads : {2, 3, 8}) {
            const auto many = analyzer.analyzeFiles({path}, options(threads));
            QVERIFY(many.ok());
            QCOMPARE(many->threads, threads);
            QCOMPARE(comparable(*many), comparable(*one));
        }
    }

    void dedupe_countsOccurrencesOnceVerified()
    {
        const QByteArray good = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        const QByteArray expired = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"), kNow - 7200);
        const QByteArray unknown = mint(QStringLiteral("https://other.example/"), Algorithm::ES256, QStringLiteral("x"));
        QByteArray content;
        for (int i = 0; i < 5; ++i)
            content += good + '\n';
        for (int i = 0; i < 3; ++i)
            content += expired + "\r\n"; // CRLF files count the same
        content += unknown; // last line without a terminator
        const QString path = writeFile(QStringLiteral("dedupe.txt"), content);

        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({path}, options(2));
        QVERIFY(r.ok());
        QVERIFY(r->complete);
        QCOMPARE(r->lines, 9);
        QCOMPARE(r->tokens, 9);
        QCOMPARE(r->distinct, 3);
        QCOMPARE(r->policyA.accepted, 5);
        QCOMPARE(r->policyA.rejected, 4);

        const corpus::StepBucket* exp = findStep(r->policyA, QStringLiteral("ERR_EXPIRED"));
        QVERIFY(exp);
        QCOMPARE(exp->step, verify::StepId::Expiry);
        QCOMPARE(exp->count, 3);
        QCOMPARE(exp->distinct, 1);
        QCOMPARE(exp->fingerprints, QStringList{token::fingerprint(expired)});
        QVERIFY(!exp->reasonVaries);
        const corpus::StepBucket* iss = findStep(r->policyA, QStringLiteral("ERR_ISS_UNKNOWN"));
        QVERIFY(iss);
        QCOMPARE(iss->count, 1);
        QCOMPARE(r->policyA.byStep.first().code, QStringLiteral("ERR_EXPIRED")); // most tokens first

        const corpus::GroupBucket* login = findGroup(r->policyA.byIssuer, kLogin);
        QVERIFY(login);
        QCOMPARE(login->count, 8);
        QCOMPARE(login->distinct, 2);
        QCOMPARE(login->accepted, 5);
        QCOMPARE(login->rejected, 3);
        // iss of a token rejected before the issuer step is still grouped (read, untrusted).
        QVERIFY(findGroup(r->policyA.byIssuer, QStringLiteral("https://other.example/")));
        const corpus::GroupBucket* pay = findGroup(r->policyA.byAudience, QStringLiteral("payments-api"));
        QVERIFY(pay);
        QCOMPARE(pay->count, 8);

        // The report never carries a token, only fingerprints.
        const QByteArray text = QJsonDocument(r->toJson()).toJson();
        QVERIFY(!text.contains(good.left(good.lastIndexOf('.'))));
        QVERIFY(r->tokensByFingerprint.isEmpty());
    }

    void bucketOfPerTokenDates_saysReasonVaries()
    {
        QByteArray content;
        for (int i = 0; i < 4; ++i)
            content += mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"), kNow - 1000 - i) + '\n';
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({writeFile(QStringLiteral("exp.txt"), content)}, options(2));
        QVERIFY(r.ok());
        QCOMPARE(r->policyA.byStep.size(), 1); // one bucket, not one per exp instant
        QCOMPARE(r->policyA.byStep.first().distinct, 4);
        QVERIFY(r->policyA.byStep.first().reasonVaries);
    }

    void fingerprintLists_areBoundedWithTotals()
    {
        QByteArray content;
        QStringList expected;
        for (int i = 0; i < 10; ++i) {
            const QByteArray t = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"), kNow - 5000);
            content += t + '\n' + t + '\n';
            expected.append(token::fingerprint(t));
        }
        corpus::CorpusOptions o = options(2);
        o.maxFingerprintsPerBucket = 3;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({writeFile(QStringLiteral("bounded.txt"), content)}, o);
        QVERIFY(r.ok());
        const corpus::StepBucket& b = r->policyA.byStep.first();
        QCOMPARE(b.count, 20);
        QCOMPARE(b.distinct, 10);
        QCOMPARE(b.fingerprints, expected.mid(0, 3)); // the first three in corpus order
        const corpus::GroupBucket& g = r->policyA.byIssuer.first();
        QCOMPARE(g.fingerprints.size(), 3);
        QCOMPARE(g.distinct, 10);
    }

    void whatIf_listsTokensWhoseVerdictChanges()
    {
        QByteArray content;
        const QByteArray hs = mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api"));
        for (int i = 0; i < 1204; ++i) // one token seen 1,204 times: counted as occurrences
            content += hs + '\n';
        for (int i = 0; i < 3; ++i)
            content += mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api")) + '\n';
        for (int i = 0; i < 2; ++i)
            content += mint(kLogin, Algorithm::ES256, QStringLiteral("ledger-api")) + '\n';
        content += mint(kBilling, Algorithm::ES256, QStringLiteral("reports-api")) + '\n';
        const QByteArray unchanged = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        content += unchanged + '\n';
        const QString path = writeFile(QStringLiteral("whatif.txt"), content);

        const auto r = corpus::CorpusAnalyzer(m_a, &m_b).analyzeFiles({path}, options(2));
        QVERIFY(r.ok());
        QVERIFY(r->policyB);
        QCOMPARE(r->tokens, 1204 + 3 + 2 + 1 + 1);
        QCOMPARE(r->distinct, 1 + 3 + 2 + 1 + 1);
        QCOMPARE(r->policyA.accepted, 1204 + 3 + 2 + 1); // reports-api is not bound under A
        QCOMPARE(r->policyB->accepted, 1 + 1);
        QCOMPARE(r->changes.size(), 3);

        const corpus::VerdictChange& alg = r->changes.at(0);
        QCOMPARE(alg.direction, corpus::VerdictChange::Direction::NewlyRejected);
        QCOMPARE(alg.issuer, kBilling);
        QCOMPARE(alg.step, verify::StepId::Algorithm);
        QCOMPARE(alg.code, QStringLiteral("ERR_ALG_NOT_PINNED"));
        QCOMPARE(alg.count, 1207);
        QCOMPARE(alg.distinct, 4);
        QCOMPARE(alg.fingerprints.first(), token::fingerprint(hs));
        QVERIFY2(alg.summary().startsWith(
                     QStringLiteral("B rejects 1,207 tokens from https://billing.internal/ at `algorithm`: HS256")),
                 qPrintable(alg.summary()));

        const corpus::VerdictChange& aud = r->changes.at(1);
        QCOMPARE(aud.direction, corpus::VerdictChange::Direction::NewlyRejected);
        QCOMPARE(aud.issuer, kLogin);
        QCOMPARE(aud.step, verify::StepId::Audience);
        QCOMPARE(aud.count, 2);

        const corpus::VerdictChange& gained = r->changes.at(2);
        QCOMPARE(gained.direction, corpus::VerdictChange::Direction::NewlyAccepted);
        QCOMPARE(gained.step, verify::StepId::Audience);
        QCOMPARE(gained.count, 1);
        QVERIFY(gained.summary().startsWith(QStringLiteral("B accepts 1 token from https://billing.internal/")));
        QCOMPARE(r->changedCount(), 1207 + 2 + 1);

        const QJsonObject o = r->toJson();
        QCOMPARE(o.value(QStringLiteral("changed")).toInteger(), 1210);
        QCOMPARE(o.value(QStringLiteral("changes")).toArray().size(), 3);
        QCOMPARE(o.value(QStringLiteral("compare")).toObject().value(QStringLiteral("accepted")).toInteger(), 2);
    }

    void samePolicyTwice_changesNothing()
    {
        const QString path = writeFile(QStringLiteral("same.txt"), mixedCorpus(50));
        const auto r = corpus::CorpusAnalyzer(m_a, &m_a).analyzeFiles({path}, options(2));
        QVERIFY(r.ok());
        QVERIFY(r->changes.isEmpty());
        QCOMPARE(r->policyB->rejected, r->policyA.rejected);
    }

    void cancellation_neverClaimsCompleteness_data()
    {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("2 threads") << 2;
    }
    void cancellation_neverClaimsCompleteness()
    {
        QFETCH(int, threads);
        QByteArray content;
        for (int i = 0; i < 3000; ++i)
            content += mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api")) + '\n';
        const QString path = writeFile(QStringLiteral("cancel.txt"), content);
        const corpus::CorpusAnalyzer analyzer(m_a, &m_b);

        std::atomic<bool> cancel{false};
        int calls = 0;
        const auto r = analyzer.analyzeFiles({path}, options(threads), [&](const corpus::CorpusProgress& p) {
            ++calls;
            QVERIFY(p.bytesTotal == content.size());
            cancel = true; // at the first progress report, long before the end
        }, &cancel);
        QVERIFY(r.ok());
        QVERIFY(calls >= 1);
        QVERIFY(!r->complete);
        QVERIFY(r->cancelled);
        QVERIFY(r->tokens < 3000);
        QCOMPARE(r->tokens, r->policyA.accepted + r->policyA.rejected); // counts cover verified tokens only
        QCOMPARE(r->toJson().value(QStringLiteral("complete")).toBool(), false);

        std::atomic<bool> already{true};
        const auto none = analyzer.analyzeFiles({path}, options(threads), {}, &already);
        QVERIFY(none.ok());
        QVERIFY(!none->complete);
        QCOMPARE(none->tokens, 0);
    }

    void progress_reachesTheEnd()
    {
        const QString path = writeFile(QStringLiteral("progress.txt"), mixedCorpus(60));
        corpus::CorpusProgress last;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({path}, options(2),
                                                                [&last](const corpus::CorpusProgress& p) { last = p; });
        QVERIFY(r.ok());
        QCOMPARE(last.bytesRead, last.bytesTotal);
        QCOMPARE(last.tokens, r->tokens);
        QCOMPARE(last.verified, r->distinct);
        QCOMPARE(last.fraction(), 1.0);
    }

    void progressFraction_countsBytesReadLessThoseWaiting()
    {
        corpus::CorpusProgress p;
        QCOMPARE(p.fraction(), -1.0); // a pipe: the total is unknown
        p.bytesTotal = 1000;
        QCOMPARE(p.fraction(), 0.0);
        p.bytesRead = 1000; // everything read, 800 bytes of tokens not verified yet
        p.bytesWaiting = 800;
        QCOMPARE(p.fraction(), 0.2);
        p.bytesWaiting = 0;
        QCOMPARE(p.fraction(), 1.0);
        p.bytesRead = 1200; // a file that grew while being read
        QCOMPARE(p.fraction(), 1.0);
    }

    // Repeats first, then new tokens that are slow to verify: reading runs ahead of the workers, and
    // the fraction must still never go back and reach 1 only when everything is verified.
    void progress_neverGoesBackAndEndsWhenVerified()
    {
        const QByteArray repeated = mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api"));
        QByteArray content;
        for (int i = 0; i < 2000; ++i)
            content += repeated + '\n';
        for (int i = 0; i < 1500; ++i)
            content += mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api")) + '\n';
        const QString path = writeFile(QStringLiteral("progress-order.txt"), content);
        QList<corpus::CorpusProgress> seen;
        corpus::CorpusOptions everyChunk = options(2);
        everyChunk.progressIntervalMs = 0;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles(
            {path}, everyChunk, [&seen](const corpus::CorpusProgress& p) { seen.append(p); });
        QVERIFY(r.ok());
        QVERIFY(seen.size() >= 3500 / 256);
        for (qsizetype i = 1; i < seen.size(); ++i)
            QVERIFY2(seen[i].fraction() >= seen[i - 1].fraction(),
                     qPrintable(QStringLiteral("report %1: %2 after %3").arg(i).arg(seen[i].fraction()).arg(seen[i - 1].fraction())));
        for (const corpus::CorpusProgress& p : seen.first(seen.size() - 1))
            QVERIFY(p.fraction() < 1.0 || p.verified == r->distinct);
        QCOMPARE(seen.last().fraction(), 1.0);
        QCOMPARE(seen.last().bytesWaiting, 0);
    }

    void logLines_extractTokensInQuotesBearerAndJson()
    {
        const QByteArray a = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        const QByteArray b = mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api"));
        const QByteArray c = mint(kLogin, Algorithm::ES256, QStringLiteral("ledger-api"), kNow - 7200);
        QByteArray log;
        log += "2026-11-01T09:59:58Z INFO gateway request id=17 Authorization: Bearer " + a + " path=/pay\n";
        log += "2026-11-01T09:59:59Z DEBUG token=\"" + b + "\" user=bob\n";
        log += "{\"ts\":\"2026-11-01T10:00:00Z\",\"headers\":{\"authorization\":\"Bearer " + c + "\"},\"status\":401}\n";
        log += "2026-11-01T10:00:01Z INFO healthcheck ok\n";
        log += "{\"access_token\":\"" + a + "\",\"token_type\":\"Bearer\"}\n";
        const QString path = writeFile(QStringLiteral("gateway.log"), log);

        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({path}, options(2));
        QVERIFY(r.ok());
        QCOMPARE(r->lines, 5);
        QCOMPARE(r->linesWithoutToken, 1);
        QCOMPARE(r->tokens, 4);
        QCOMPARE(r->distinct, 3);
        QCOMPARE(r->policyA.accepted, 3);
        const corpus::StepBucket* exp = findStep(r->policyA, QStringLiteral("ERR_EXPIRED"));
        QVERIFY(exp);
        QCOMPARE(exp->fingerprints, QStringList{token::fingerprint(c)});
    }

    void tokenPerLineMode_verifiesMalformedLinesToo()
    {
        const QByteArray good = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        const QString path = writeFile(QStringLiteral("dump.txt"), good + "\n  not-a-token  \n");
        corpus::CorpusOptions o = options(1);
        o.mode = corpus::InputMode::TokenPerLine;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({path}, o);
        QVERIFY(r.ok());
        QCOMPARE(r->tokens, 2);
        QCOMPARE(r->policyA.rejected, 1);
        QCOMPARE(r->policyA.byStep.first().step, verify::StepId::Structure);
    }

    void overlongLines_areSkippedAndCounted()
    {
        const QByteArray good = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        QByteArray content = QByteArray(5000, 'A') + '\n' + good + '\n' + QByteArray(300000, 'B');
        corpus::CorpusOptions o = options(1);
        o.maxLineBytes = 1024;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({writeFile(QStringLiteral("long.txt"), content)}, o);
        QVERIFY(r.ok());
        QCOMPARE(r->lines, 3);
        QCOMPARE(r->overlongLines, 2);
        QCOMPARE(r->tokens, 1);
        QCOMPARE(r->policyA.accepted, 1);
    }

    void severalFilesAndDevices_areOneCorpus()
    {
        const QByteArray t = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        const QString f1 = writeFile(QStringLiteral("part1.txt"), t + '\n');
        QByteArray piped = t + '\n' + mint(kBilling, Algorithm::HS256, QStringLiteral("billing-api")) + '\n';
        QBuffer buffer(&piped);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        const auto r = corpus::CorpusAnalyzer(m_a).analyze(
            {corpus::CorpusInput::file(f1), corpus::CorpusInput{QStringLiteral("<stdin>"), {}, &buffer}}, options(2));
        QVERIFY(r.ok());
        QCOMPARE(r->files, (QStringList{f1, QStringLiteral("<stdin>")}));
        QCOMPARE(r->tokens, 3);
        QCOMPARE(r->distinct, 2);
    }

    void keepTokens_onlyWhenAsked()
    {
        const QByteArray t = mint(kLogin, Algorithm::ES256, QStringLiteral("payments-api"));
        const QString path = writeFile(QStringLiteral("keep.txt"), t + '\n' + t + '\n');
        corpus::CorpusOptions o = options(2);
        o.keepTokens = true;
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles({path}, o);
        QVERIFY(r.ok());
        QCOMPARE(r->tokensByFingerprint.size(), 1);
        QCOMPARE(r->tokensByFingerprint.value(token::fingerprint(t)), t);
    }

    void missingFile_isAnErrorNamingIt()
    {
        const QString missing = m_dir.filePath(QStringLiteral("nope.log"));
        const auto r = corpus::CorpusAnalyzer(m_a).analyzeFiles(
            {writeFile(QStringLiteral("ok.txt"), "x\n"), missing}, options(2));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_CORPUS_OPEN"));
        QCOMPARE(r.error().location, missing);
    }
};

QTEST_GUILESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
