// SPDX-License-Identifier: Apache-2.0
// Self-test view: runs the core's adversarial variants off the UI thread, one row per variant;
// a planted weakness shows as ACCEPTED in red with its finding, the sample policy has none.
#include "UiTestSupport.h"
#include "util/Time.h"
#include "views/SelfTestView.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QStandardPaths>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;
using namespace jwb::ui;

namespace {

constexpr int kRunTimeoutMs = 120000;

qint64 fixedInstant() { return util::parseInstant(QStringLiteral("2026-11-01T10:10:00Z")).value(); }

policy::Policy weakPolicy()
{
    Result<policy::Policy> loaded = policy::loadPolicyFile(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/weak.yaml"));
    if (!loaded)
        qFatal("weak.yaml did not load: %s", qPrintable(loaded.error().toString()));
    return std::move(loaded).value();
}

} // namespace

class TestSelfTestView final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_view = std::make_unique<SelfTestView>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_view->model(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_view->setEvaluationInstant(fixedInstant());
        m_view->resize(1280, 800);
        m_view->show();
    }

    void cleanup()
    {
        m_tester.reset();
        m_view.reset();
    }

    void weakPolicy_plantedWeaknessIsRedFinding()
    {
        m_view->setPolicy(weakPolicy());
        m_view->findChild<QPushButton*>(QStringLiteral("runSelfTestButton"))->click();
        QVERIFY(m_view->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        const SelfTestModel* model = m_view->model();
        QVERIFY(model->rowCount() > 10);
        QVERIFY(model->report().acceptedCount() > 0);
        int redRows = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (!model->index(r, 0).data(SelfTestModel::AcceptedRole).toBool())
                continue;
            ++redRows;
            QCOMPARE(model->index(r, SelfTestModel::VerdictColumn).data().toString(), QStringLiteral("ACCEPTED"));
            QVERIFY(!model->index(r, SelfTestModel::DetailColumn).data().toString().isEmpty());
            QVERIFY(model->index(r, SelfTestModel::VerdictColumn).data(Qt::ForegroundRole).isValid());
        }
        QCOMPARE(redRows, model->report().acceptedCount());
        QVERIFY(m_view->summary().contains(QStringLiteral("ACCEPTED")));
        // The planted weaknesses of weak.yaml: jku allowlisted, 300 s of skew, no maximum lifetime.
        QVERIFY(acceptedIds(model).contains(QStringLiteral("jku-tolerated")));
        QVERIFY(acceptedIds(model).contains(QStringLiteral("expired-2-minutes")));
        QVERIFY(acceptedIds(model).contains(QStringLiteral("lifetime-over-limit")));
        // alg none stays rejected even though weak.yaml pins "none": the core never verifies it.
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, 0).data(SelfTestModel::VariantIdRole).toString().startsWith(QStringLiteral("alg-none")))
                QVERIFY(!model->index(r, 0).data(SelfTestModel::AcceptedRole).toBool());

    }

    void samplePolicy_noFindings()
    {
        m_view->setPolicy(uitest::sample());
        m_view->run();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        const SelfTestModel* model = m_view->model();
        QVERIFY(model->rowCount() > 10);
        QCOMPARE(model->report().acceptedCount(), 0);
        int rejected = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            const QString verdict = model->index(r, SelfTestModel::VerdictColumn).data().toString();
            QVERIFY2(verdict.startsWith(QStringLiteral("rejected at ")) || verdict == QStringLiteral("n/a"), qPrintable(verdict));
            rejected += verdict.startsWith(QStringLiteral("rejected at ")) ? 1 : 0;
        }
        QVERIFY(rejected > 10);
        // Three issuers in the sample policy, each attacked.
        QSet<QString> issuers;
        for (int r = 0; r < model->rowCount(); ++r)
            issuers.insert(model->index(r, SelfTestModel::IssuerColumn).data().toString());
        QVERIFY(issuers.size() >= 3);
        QVERIFY(m_view->summary().contains(QStringLiteral("none accepted")));
    }

    void policyChange_marksReportStale()
    {
        m_view->setPolicy(uitest::sample());
        m_view->run();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        QVERIFY(!m_view->isStale());
        m_view->setPolicy(weakPolicy());
        QVERIFY(m_view->isStale());
        QVERIFY(m_view->summary().contains(QStringLiteral("run again")));
    }

    void cancel_stopsAndReenablesRun()
    {
        m_view->setPolicy(uitest::sample());
        auto* run = m_view->findChild<QPushButton*>(QStringLiteral("runSelfTestButton"));
        auto* cancel = m_view->findChild<QPushButton*>(QStringLiteral("cancelSelfTestButton"));
        run->click();
        QVERIFY(!run->isEnabled());
        QVERIFY(cancel->isEnabled());
        cancel->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        QVERIFY(run->isEnabled());
        QVERIFY(!cancel->isEnabled());
    }

    void weakPolicy_acceptedFirst_sortable_acceptedOnlyFilter_whyInFull()
    {
        m_view->setPolicy(weakPolicy());
        m_view->run();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        auto* table = m_view->findChild<QTableView*>(QStringLiteral("selfTestTable"));
        QAbstractItemModel* shown = table->model();
        QCOMPARE(shown, static_cast<QAbstractItemModel*>(m_view->shownModel()));
        QAbstractItemModelTester proxyTester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int accepted = m_view->model()->report().acceptedCount();
        QVERIFY(accepted > 0);
        QCOMPARE(shown->rowCount(), m_view->model()->rowCount());
        // Accepted variants first, then the rejected, then what does not apply.
        for (int r = 0; r < shown->rowCount(); ++r)
            QCOMPARE(shown->index(r, 0).data(SelfTestModel::AcceptedRole).toBool(), r < accepted);
        bool seenNotApplicable = false;
        for (int r = accepted; r < shown->rowCount(); ++r) {
            const bool applicable = shown->index(r, 0).data(SelfTestModel::ApplicableRole).toBool();
            QVERIFY(!(seenNotApplicable && applicable));
            seenNotApplicable = seenNotApplicable || !applicable;
        }
        // The first finding is selected and its Why is given in full in the detail pane.
        QCOMPARE(table->currentIndex().row(), 0);
        auto* detail = m_view->findChild<QPlainTextEdit*>(QStringLiteral("selfTestTrace"));
        QTRY_VERIFY(detail->toPlainText().contains(shown->index(0, SelfTestModel::DetailColumn).data().toString()));
        QVERIFY(detail->height() >= 6 * detail->fontMetrics().lineSpacing());

        // Sorting by a header click: the variant titles in order.
        QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, {},
                          QPoint(table->horizontalHeader()->sectionViewportPosition(SelfTestModel::VariantColumn) + 5, 5));
        QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), int(SelfTestModel::VariantColumn));
        for (int r = 1; r < shown->rowCount(); ++r)
            QVERIFY(QString::compare(shown->index(r - 1, SelfTestModel::VariantColumn).data().toString(),
                                     shown->index(r, SelfTestModel::VariantColumn).data().toString(),
                                     Qt::CaseInsensitive)
                    * (table->horizontalHeader()->sortIndicatorOrder() == Qt::AscendingOrder ? 1 : -1)
                    <= 0);

        // Accepted only.
        auto* onlyAccepted = m_view->findChild<QCheckBox*>(QStringLiteral("acceptedOnlyCheck"));
        onlyAccepted->click();
        QCOMPARE(shown->rowCount(), accepted);
        for (int r = 0; r < shown->rowCount(); ++r)
            QVERIFY(shown->index(r, 0).data(SelfTestModel::AcceptedRole).toBool());
        onlyAccepted->click();
        QCOMPARE(shown->rowCount(), m_view->model()->rowCount());
    }

    void screenshot_renders1280x800()
    {
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") ? qEnvironmentVariable("JWB_SCREENSHOT_DIR")
                                                                             : temp.path();
        m_view->setPolicy(uitest::sample());
        m_view->run();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isRunning(), kRunTimeoutMs);
        QTest::qWait(50);
        const QPixmap shot = m_view->grab();
        QCOMPARE(shot.size() / shot.devicePixelRatio(), QSize(1280, 800));
        QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("selftest.png"))));
    }

private:
    static QStringList acceptedIds(const SelfTestModel* model)
    {
        QStringList ids;
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, 0).data(SelfTestModel::AcceptedRole).toBool())
                ids.append(model->index(r, 0).data(SelfTestModel::VariantIdRole).toString());
        return ids;
    }

    std::unique_ptr<SelfTestView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestSelfTestView)
#include "tst_selftestview.moc"
