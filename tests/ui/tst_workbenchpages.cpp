// SPDX-License-Identifier: Apache-2.0
// The whole workbench: every page is installed and follows the policy being edited.
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"
#include "views/ProblemsPanel.h"
#include "views/MainWindow.h"
#include "views/TokenLabView.h"
#include "views/WorkbenchPages.h"

#include <QAction>
#include <QDateTime>
#include <QFile>
#include <QMenu>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QTest>

using namespace jwb;

class TestWorkbenchPages final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyPageIsInstalled()
    {
        ui::MainWindow window;
        ui::installWorkbenchPages(window);
        window.loadSample();
        QStringList titles;
        for (int i = 0; i < window.pages()->count(); ++i)
            titles.append(window.pages()->tabText(i));
        for (const char* title : {"Token Lab", "Self-test", "Corpus", "Export", "Key rotation"})
            QVERIFY2(titles.contains(QLatin1String(title)), qPrintable(titles.join(u", ")));
        for (const char* name : {"tokenLabPage", "selfTestPage", "corpusPage", "exportPage", "rotationPage"})
            QVERIFY2(window.findChild<QWidget*>(QLatin1String(name)), name);
        QVERIFY(window.findChild<QAction*>(QStringLiteral("fetchKeysAction")));
    }

    void everyPageHasAShortcutListedInTheViewMenu()
    {
        ui::MainWindow window;
        ui::installWorkbenchPages(window);
        window.loadSample();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* view = window.findChild<QMenu*>(QStringLiteral("viewMenu"));
        QVERIFY(view);
        QTabWidget* pages = window.pages();
        QVERIFY(pages->count() >= 8);
        for (int i = pages->count() - 1; i >= 0; --i) {
            const QString name = QStringLiteral("goToPage%1Action").arg(i + 1);
            auto* action = window.findChild<QAction*>(name);
            QVERIFY2(action, qPrintable(name));
            QVERIFY2(view->actions().contains(action), qPrintable(name));
            QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
            QCOMPARE(QString(action->text()).remove(u'&'), QString(pages->tabText(i)).remove(u'&'));
            QVERIFY(pages->tabToolTip(i).contains(action->shortcut().toString(QKeySequence::NativeText)));
            // The key itself, pressed on the window, goes to the page.
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(pages->currentIndex(), i);
        }
    }

    void tokenLabFollowsPolicyEdits_andUndo()
    {
        ui::MainWindow window;
        ui::installWorkbenchPages(window);
        window.loadSample();
        auto* lab = window.findChild<ui::TokenLabView*>(QStringLiteral("tokenLabPage"));
        QVERIFY(lab);
        QFile token(QStringLiteral(JWB_SOURCE_DIR "/resources/tokens/sample-valid.jwt"));
        QVERIFY(token.open(QIODevice::ReadOnly));
        lab->setEvaluationInstant(QDateTime(QDate(2026, 11, 1), QTime(10, 10), Qt::UTC).toSecsSinceEpoch());
        lab->setTokenText(QString::fromLatin1(token.readAll().trimmed()));
        QTRY_VERIFY(!lab->result().tokens.isEmpty() && lab->result().tokens.first().accepted);

        // Close the login issuer's payments-api cell in the matrix: the same token is now rejected
        // at the audience step, without touching the Token Lab.
        const int column = window.document()->audiences().indexOf(QStringLiteral("payments-api"));
        QVERIFY(column >= 0);
        QVERIFY(window.document()->setAudienceAllowed(0, column, false).ok());
        QTRY_VERIFY(!lab->result().tokens.isEmpty() && !lab->result().tokens.first().accepted);
        QCOMPARE(lab->result().tokens.first().failureCode, QStringLiteral("ERR_AUD_NOT_BOUND"));

        window.document()->undoStack()->undo();
        QTRY_VERIFY(!lab->result().tokens.isEmpty() && lab->result().tokens.first().accepted);
    }

    void driftOfDeployedConfig_showsInProblems_andFollowsEdits()
    {
        ui::MainWindow window;
        ui::installWorkbenchPages(window);
        window.loadSample();
        ui::ProblemsModel* problems = window.problemsPanel()->model();
        problems->refresh();
        const int errorsBefore = problems->count(lint::Severity::Error);

        // The sample's own Envoy export, with one provider's skew widened from 30 s to 300 s.
        QFile golden(QStringLiteral(JWB_TEST_DATA "/golden/sample.envoy.yaml"));
        QVERIFY(golden.open(QIODevice::ReadOnly));
        QByteArray config = golden.readAll();
        const qsizetype at = config.indexOf("clock_skew_seconds: 30");
        QVERIFY(at > 0);
        config.replace(at, qsizetype(sizeof("clock_skew_seconds: 30") - 1), "clock_skew_seconds: 300");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("envoy-deployed.yaml"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(config);
        out.close();

        const Status s = ui::checkDrift(window, QStringLiteral("envoy"), path);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(problems->count(lint::Severity::Error), errorsBefore + 1);
        QStringList rules;
        for (int row = 0; row < problems->rowCount(); ++row)
            rules.append(problems->finding(row).ruleId);
        QVERIFY2(rules.contains(QStringLiteral("drift-clock_skew")), qPrintable(rules.join(u", ")));

        // Widening the policy's own default skew to 300 s makes the deployment no longer looser.
        QVERIFY(window.document()->setDefaultClockSkew(300).ok());
        problems->refresh();
        rules.clear();
        for (int row = 0; row < problems->rowCount(); ++row)
            rules.append(problems->finding(row).ruleId);
        QVERIFY(!rules.contains(QStringLiteral("drift-clock_skew")));

        // A file that is not YAML is refused with its reason, and the findings stay as they were.
        QFile bad(dir.filePath(QStringLiteral("bad.yaml")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("providers: [unclosed");
        bad.close();
        QVERIFY(!ui::checkDrift(window, QStringLiteral("envoy"), bad.fileName()).ok());
        QVERIFY(problems->hasDeployedConfig());
    }
};

QTEST_MAIN(TestWorkbenchPages)
#include "tst_workbenchpages.moc"
