// SPDX-License-Identifier: Apache-2.0
// The Corpus view driven like a user would: analyse files, read the table and the chart, drill down
// to a bucket's fingerprints, open one in the Token Lab, switch grouping, cancel. With
// JWB_SCREENSHOT_DIR set it also writes corpus.png there (used to refresh docs/screenshots).
#include "CorpusFixtures.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "policy/Policy.h"
#include "token/CompactToken.h"
#include "views/CorpusView.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;
using jwb::ui::CorpusView;

namespace {

const QString kLogin = testing::kCorpusLoginIssuer;
const QString kBilling = testing::kCorpusBillingIssuer;
const qint64 kNow = QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC).toSecsSinceEpoch();

QByteArray compact(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

} // namespace

class TestCorpusView final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<crypto::SigningKey> m_ec, m_hs;
    policy::Policy m_policy;
    QString m_corpus;
    QByteArray m_expired;
    int m_serial = 0;

    QByteArray mint(const QString& iss, crypto::Algorithm alg, const QJsonValue& aud, qint64 exp = kNow + 600)
    {
        const crypto::SigningKey& key = alg == crypto::Algorithm::HS256 ? *m_hs : *m_ec;
        const QJsonObject header{{QStringLiteral("alg"), crypto::algorithmName(alg)},
                                 {QStringLiteral("kid"), key.publicKey().kid}};
        const QJsonObject claims{{QStringLiteral("iss"), iss}, {QStringLiteral("aud"), aud},
                                 {QStringLiteral("sub"), QStringLiteral("user-%1").arg(++m_serial)},
                                 {QStringLiteral("exp"), exp}};
        return crypto::mintCompact(compact(header), compact(claims), &key, alg);
    }

    QString write(const QString& name, const QByteArray& content)
    {
        return testing::writeInto(m_dir, name, content);
    }

    static bool runAndWait(CorpusView& view, const QStringList& files)
    {
        QSignalSpy finished(&view, &CorpusView::analysisFinished);
        view.analyzeFiles(files);
        return finished.wait(60000) && !view.isRunning();
    }

    static QTableView* table(CorpusView& view) { return view.findChild<QTableView*>(QStringLiteral("bucketTable")); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ec = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("ec-1"));
        auto hs = crypto::SigningKey::generate(crypto::Algorithm::HS256, QStringLiteral("hs-1"));
        QVERIFY(ec.ok() && hs.ok());
        m_ec = std::move(ec).value();
        m_hs = std::move(hs).value();

        m_policy = testing::corpusPolicy(QStringLiteral("payments-platform"), 4, *m_ec, *m_hs);

        // A gateway log: mostly good tokens, plus expired ones, HS256 from billing (not pinned), a
        // foreign issuer, a wrong audience and a tampered signature.
        QByteArray log;
        for (int i = 0; i < 40; ++i)
            log += "INFO request Authorization: Bearer " + mint(kLogin, crypto::Algorithm::ES256, QStringLiteral("payments-api"))
                   + '\n';
        m_expired = mint(kLogin, crypto::Algorithm::ES256, QStringLiteral("ledger-api"), kNow - 7200);
        for (int i = 0; i < 12; ++i)
            log += "WARN token=\"" + m_expired + "\"\n";
        for (int i = 0; i < 6; ++i)
            log += mint(kLogin, crypto::Algorithm::ES256, QStringLiteral("ledger-api"), kNow - 3000 - i) + '\n';
        for (int i = 0; i < 18; ++i)
            log += "{\"auth\":\"Bearer " + mint(kBilling, crypto::Algorithm::HS256, QStringLiteral("billing-api")) + "\"}\n";
        for (int i = 0; i < 5; ++i)
            log += mint(QStringLiteral("https://evil.example/"), crypto::Algorithm::ES256, QStringLiteral("payments-api")) + '\n';
        for (int i = 0; i < 3; ++i)
            log += mint(kBilling, crypto::Algorithm::ES256, QStringLiteral("payments-api")) + '\n';
        QByteArray tampered = mint(kLogin, crypto::Algorithm::ES256, QStringLiteral("payments-api"));
        const qsizetype at = tampered.lastIndexOf('.') + 10; // inside the signature
        tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
        log += tampered + '\n';
        log += "DEBUG healthcheck ok\n";
        m_corpus = write(QStringLiteral("gateway.log"), log);
    }

    void analyze_fillsSummaryTableAndFingerprints()
    {
        CorpusView view;
        view.resize(1100, 700);
        view.setPolicy(m_policy);
        view.setEvaluationInstant(kNow);
        view.setThreads(2);
        QVERIFY(runAndWait(view, {m_corpus}));
        QVERIFY(view.report());
        QVERIFY(view.report()->complete);
        QCOMPARE(view.report()->tokens, 85);
        QCOMPARE(view.report()->policyA.accepted, 40);

        QTableView* t = table(view);
        QVERIFY(t);
        QAbstractItemModelTester tester(t->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(t->model()->rowCount(), view.report()->policyA.byStep.size());
        QCOMPARE(t->model()->index(0, 0).data().toString(), QStringLiteral("algorithm")); // 18 HS256: most first
        QCOMPARE(t->model()->index(0, 2).data().toString(), QStringLiteral("18"));
        const QString summary = view.findChild<QLabel*>(QStringLiteral("summaryLabel"))->text();
        QVERIFY2(summary.contains(QStringLiteral("85 tokens")), qPrintable(summary));
        QVERIFY(!summary.contains(QStringLiteral("Incomplete")));

        // The first row is selected: its fingerprints are listed.
        auto* list = view.findChild<QListWidget*>(QStringLiteral("fingerprintList"));
        QCOMPARE(list->count(), 18);
        QVERIFY(list->item(0)->text().startsWith(QStringLiteral("sha256:")));
    }

    void drillDown_opensTheTokenInTheTokenLab()
    {
        CorpusView view;
        view.setPolicy(m_policy);
        view.setEvaluationInstant(kNow);
        QVERIFY(runAndWait(view, {m_corpus}));
        QTableView* t = table(view);
        int expiryRow = -1;
        for (int r = 0; r < t->model()->rowCount(); ++r) {
            if (t->model()->index(r, 0).data().toString() == u"expiry")
                expiryRow = r;
        }
        QVERIFY(expiryRow >= 0);
        QCOMPARE(t->model()->index(expiryRow, 2).data().toString(), QStringLiteral("18")); // 12 + 6 occurrences
        t->selectRow(expiryRow);
        auto* list = view.findChild<QListWidget*>(QStringLiteral("fingerprintList"));
        QCOMPARE(list->count(), 7);
        QCOMPARE(list->item(0)->text(), token::fingerprint(m_expired)); // first seen first

        QSignalSpy opened(&view, &CorpusView::openInTokenLab);
        list->setCurrentRow(0);
        auto* button = view.findChild<QPushButton*>(QStringLiteral("openInLabButton"));
        QVERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toByteArray(), m_expired);
    }

    void grouping_showsIssuersAndAudiences()
    {
        CorpusView view;
        view.setPolicy(m_policy);
        view.setEvaluationInstant(kNow);
        QVERIFY(runAndWait(view, {m_corpus}));
        auto* combo = view.findChild<QComboBox*>(QStringLiteral("groupingCombo"));
        combo->setCurrentIndex(1);
        QTableView* t = table(view);
        QCOMPARE(t->model()->rowCount(), 3); // login, billing, evil
        QCOMPARE(t->model()->index(0, 0).data().toString(), kLogin);
        QCOMPARE(t->model()->index(0, 1).data().toString(), QStringLiteral("59"));
        combo->setCurrentIndex(2);
        QCOMPARE(t->model()->rowCount(), view.report()->policyA.byAudience.size());
        QCOMPARE(t->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Audience"));
    }

    void cancel_showsAnIncompleteReport()
    {
        QByteArray many;
        for (int i = 0; i < 1500; ++i)
            many += mint(kLogin, crypto::Algorithm::ES256, QStringLiteral("payments-api")) + '\n';
        const QString path = write(QStringLiteral("many.txt"), many);
        CorpusView view;
        view.setPolicy(m_policy);
        view.setEvaluationInstant(kNow);
        QSignalSpy finished(&view, &CorpusView::analysisFinished);
        view.analyzeFiles({path});
        QVERIFY(view.isRunning());
        auto* cancel = view.findChild<QPushButton*>(QStringLiteral("cancelButton"));
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(view.report());
        QVERIFY(!view.report()->complete);
        QVERIFY(view.report()->tokens < 1500);
        QVERIFY(view.findChild<QLabel*>(QStringLiteral("summaryLabel"))->text().contains(QStringLiteral("Incomplete")));
        QVERIFY(!cancel->isEnabled());
    }

    void errors_andMissingPolicy_areShownNotThrown()
    {
        CorpusView view;
        auto* status = view.findChild<QLabel*>(QStringLiteral("statusLabel"));
        view.analyzeFiles({m_corpus});
        QVERIFY(!view.isRunning());
        QVERIFY(status->text().contains(QStringLiteral("policy")));

        view.setPolicy(m_policy);
        QVERIFY(runAndWait(view, {m_dir.filePath(QStringLiteral("missing.log"))}));
        QVERIFY(!view.report());
        QVERIFY2(status->text().contains(QStringLiteral("missing.log")), qPrintable(status->text()));
    }

    void destroyedWhileRunning_stopsCleanly()
    {
        auto* view = new CorpusView;
        view->setPolicy(m_policy);
        view->analyzeFiles({m_corpus});
        delete view; // cancels and joins the worker
        QVERIFY(true);
    }

    void screenshot_rendersTheView()
    {
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") ? qEnvironmentVariable("JWB_SCREENSHOT_DIR")
                                                                             : temp.path();
        CorpusView view;
        view.resize(1280, 800);
        view.setPolicy(m_policy);
        view.setEvaluationInstant(kNow);
        view.setThreads(2);
        QVERIFY(runAndWait(view, {m_corpus}));
        table(view)->selectRow(1);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString path = dir + QStringLiteral("/corpus.png");
        QVERIFY(view.grab().save(path));
        const QImage image(path);
        QCOMPARE(image.size() / image.devicePixelRatio(), QSize(1280, 800));
        // The chart's bars are drawn in the danger tint: some strongly red pixels exist.
        bool sawRed = false;
        for (int y = 0; y < image.height() && !sawRed; y += 3)
            for (int x = image.width() / 2; x < image.width() && !sawRed; x += 3) {
                const QColor c = image.pixelColor(x, y);
                sawRed = c.red() > c.green() + 60 && c.red() > c.blue() + 60;
            }
        QVERIFY(sawRed);
    }
};

QTEST_MAIN(TestCorpusView)
#include "tst_corpusview.moc"
