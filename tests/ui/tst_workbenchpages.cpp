// SPDX-License-Identifier: Apache-2.0
// The whole workbench: every page is installed and follows the policy being edited.
#include "models/PolicyDocument.h"
#include "views/MainWindow.h"
#include "views/TokenLabView.h"
#include "views/WorkbenchPages.h"

#include <QAction>
#include <QDateTime>
#include <QFile>
#include <QStandardPaths>
#include <QTabWidget>
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
};

QTEST_MAIN(TestWorkbenchPages)
#include "tst_workbenchpages.moc"
