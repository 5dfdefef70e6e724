// SPDX-License-Identifier: Apache-2.0
// The workbench window driven like a user: find widgets by objectName, click and type, answer the
// dialogs. Isolated: test-mode standard paths, settings in a temporary directory.
#include "UiTestSupport.h"
#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "editors/MatrixEditor.h"
#include "models/AutosaveController.h"
#include "models/IssuerAudienceMatrixModel.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"
#include "views/MainWindow.h"
#include "views/ProblemsPanel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

using namespace jwb;
using namespace jwb::ui;

namespace {

int audienceColumn(const MainWindow& w, const QString& audience)
{
    return IssuerAudienceMatrixModel::FirstAudienceColumn + static_cast<int>(w.document()->audiences().indexOf(audience));
}

// Loads the sample and shows the window; false when it never gets exposed.
bool showSample(MainWindow& w)
{
    w.loadSample();
    w.show();
    return QTest::qWaitForWindowExposed(&w);
}

// The first Problems panel row whose rule starts with `rule` (match() with its default flags and hits).
QModelIndexList problemsWithRule(const ProblemsModel* problems, const QString& rule)
{
    return problems->match(problems->index(0, ProblemsModel::RuleColumn), Qt::DisplayRole, rule);
}

QString writeSample(const QTemporaryDir& dir, const QString& name = QStringLiteral("payments.yaml"))
{
    const QString path = dir.filePath(name);
    Status saved = policy::savePolicyFile(uitest::sample(), path);
    if (!saved)
        qFatal("cannot write sample: %s", qPrintable(saved.error().toString()));
    return path;
}

} // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("jwb-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QDir(AutosaveController::directory()).removeRecursively();
    }

    void init() { QDir(AutosaveController::directory()).removeRecursively(); }

    void startsEmpty_loadSample_titleShowsNameAndFile()
    {
        MainWindow w;
        w.loadSample();
        QCOMPARE(w.document()->policy(), uitest::sample());
        QCOMPARE(w.windowTitle(), QStringLiteral("payments-platform \u2014 untitled[*]"));
        QVERIFY(!w.isWindowModified());
        const auto* tabs = w.findChild<QTabWidget*>(QStringLiteral("pageTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Policy"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Defaults"));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Exceptions"));
    }

    void addPage_appendsTabAndPageSeesPolicyChanges()
    {
        MainWindow w;
        w.loadSample();
        auto* page = new QWidget;
        w.addPage(page, QStringLiteral("Token Lab"));
        QCOMPARE(w.pages()->count(), 4);
        QCOMPARE(w.pages()->tabText(3), QStringLiteral("Token Lab"));
        QSignalSpy changed(&w, &MainWindow::policyChanged);
        QVERIFY(w.document()->setDefaultClockSkew(20).ok());
        QCOMPARE(changed.count(), 1);
    }

    void matrixCellSpace_modelChanges_undoRestores()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        auto* view = w.findChild<QTableView*>(QStringLiteral("matrixView"));
        QVERIFY(view);
        const QModelIndex cell = view->model()->index(1, audienceColumn(w, QStringLiteral("ledger-api")));
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        view->setFocus();
        view->setCurrentIndex(cell);
        QTest::keyClick(view, Qt::Key_Space);
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(w.document()->policy().issuers.at(1).audiences.contains(QStringLiteral("ledger-api")));
        QVERIFY(w.isWindowModified());
        auto* undo = w.findChild<QAction*>(QStringLiteral("undoAction"));
        QVERIFY(undo);
        QCOMPARE(undo->text(), QStringLiteral("&Undo Allow audience ledger-api for https://auth.partner.example.net/"));
        // The cross-domain column is flagged in the header and in the Problems panel.
        QVERIFY(view->model()->headerData(cell.column(), Qt::Horizontal, Qt::DecorationRole).isValid());
        const ProblemsModel* problems = w.problemsPanel()->model();
        QTRY_VERIFY(problemsWithRule(problems, QStringLiteral("audience-cross-trust-domain")).size() == 1);
        undo->trigger();
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(w.document()->policy(), uitest::sample());
        QVERIFY(!w.isWindowModified());
    }

    void matrixCellClick_togglesCheckbox()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        auto* view = w.findChild<QTableView*>(QStringLiteral("matrixView"));
        const QModelIndex cell = view->model()->index(0, audienceColumn(w, QStringLiteral("billing-api")));
        QRect rect = view->visualRect(cell);
        // The check box sits at the left of the cell, vertically centred.
        const QPoint checkPoint(rect.left() + view->style()->pixelMetric(QStyle::PM_IndicatorWidth) / 2 + 4,
                                rect.center().y());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, checkPoint);
        QTRY_COMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(w.document()->undoStack()->undoText(),
                 QStringLiteral("Allow audience billing-api for https://login.example.com/"));
    }

    void addIssuerInPlace_save_reopen_samePolicy()
    {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(showSample(w));
        auto* add = w.findChild<QPushButton*>(QStringLiteral("addIssuerButton"));
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(w.document()->issuerCount(), 4);
        // The new issuer's cell is open for editing in place, in the frozen columns where it is seen.
        auto* view = w.findChild<QTableView*>(QStringLiteral("frozenColumns"));
        QVERIFY(view);
        QLineEdit* editor = nullptr;
        QTRY_VERIFY((editor = view->viewport()->findChild<QLineEdit*>()) != nullptr);
        QVERIFY2(editor == QApplication::focusWidget(),
                 qPrintable(QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : QStringLiteral("none")));
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("https://id.example.org/"));
        QTest::keyClick(editor, Qt::Key_Return); // the delegate commits on the next event loop turn
        QTRY_COMPARE(w.document()->policy().issuers.at(3).issuer, QStringLiteral("https://id.example.org/"));
        // Trust domain in the details form.
        auto* trust = w.findChild<QLineEdit*>(QStringLiteral("trustDomainEdit"));
        QVERIFY(trust);
        QTRY_VERIFY(trust->isVisible());
        trust->setFocus();
        QTest::keyClicks(trust, QStringLiteral("customers"));
        QCOMPARE(w.document()->policy().issuers.at(3).trustDomain, QStringLiteral("customers"));
        QCOMPARE(w.document()->undoStack()->undoText(), QStringLiteral("Set trust domain of https://id.example.org/ to customers"));
        // Tick partner-api for it.
        QVERIFY(w.matrixEditor()->model()->setData(
            w.matrixEditor()->model()->index(3, audienceColumn(w, QStringLiteral("partner-api"))), Qt::Checked,
            Qt::CheckStateRole));

        const QString path = dir.filePath(QStringLiteral("edited.yaml"));
        QVERIFY(w.saveAs(path));
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.windowTitle(), QStringLiteral("payments-platform \u2014 edited.yaml[*]"));

        MainWindow reopened;
        QVERIFY(reopened.openFile(path));
        QCOMPARE(reopened.document()->policy(), w.document()->policy());
        QCOMPARE(reopened.document()->policy().issuers.at(3).audiences, QStringList{QStringLiteral("partner-api")});
        QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().contains(QFileInfo(path).absoluteFilePath()));
    }

    void audienceHeaderDoubleClick_renamesInPlace()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        auto* view = w.findChild<QTableView*>(QStringLiteral("matrixView"));
        const int column = audienceColumn(w, QStringLiteral("billing-api"));
        QHeaderView* header = view->horizontalHeader();
        const QPoint at(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2);
        QTest::mouseDClick(header->viewport(), Qt::LeftButton, {}, at);
        auto* editor = w.findChild<QLineEdit*>(QStringLiteral("audienceHeaderEditor"));
        QVERIFY(editor);
        QTRY_VERIFY(editor->isVisible());
        QCOMPARE(editor->text(), QStringLiteral("billing-api"));
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("invoicing-api"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!editor->isVisible());
        QCOMPARE(view->model()->headerData(column, Qt::Horizontal).toString(), QStringLiteral("invoicing-api"));
        QCOMPARE(w.document()->policy().issuers.at(2).audiences,
                 (QStringList{QStringLiteral("ledger-api"), QStringLiteral("invoicing-api")}));
        QCOMPARE(w.document()->undoStack()->undoText(), QStringLiteral("Rename audience billing-api to invoicing-api"));
    }

    void saveAsJson_writesJson()
    {
        QTemporaryDir dir;
        MainWindow w;
        w.loadSample();
        const QString path = dir.filePath(QStringLiteral("p.json"));
        QVERIFY(w.saveAs(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().trimmed().startsWith('{'));
    }

    void clockSkew900_refusedWithMessage()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        // Through the document's setter: refused, the status bar says why.
        QVERIFY(!w.document()->setDefaultClockSkew(900));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("900")), qPrintable(w.statusBar()->currentMessage()));
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("300")));
        QCOMPARE(w.document()->policy().defaults.clockSkewSeconds, std::optional<int>(30));
        QVERIFY(!w.isWindowModified());
        // Through the spin box: typing 900 cannot get past the bound.
        w.pages()->setCurrentIndex(1);
        auto* spin = w.findChild<QSpinBox*>(QStringLiteral("defaultsClockSkew"));
        QVERIFY(spin);
        QCOMPARE(spin->value(), 30);
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("900"));
        QVERIFY(spin->value() <= 300);
        QVERIFY(w.document()->policy().defaults.clockSkewSeconds.value() <= 300);
        // Typing a valid value is one undo step.
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("45"));
        QCOMPARE(w.document()->policy().defaults.clockSkewSeconds, std::optional<int>(45));
        QCOMPARE(w.document()->undoStack()->undoText(), QStringLiteral("Set default clock skew to 45 s"));
    }

    void dirtyClose_cancelKeepsWindow_discardCloses()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        QVERIFY(w.document()->setDefaultClockSkew(20).ok());
        QVERIFY(w.isWindowModified());
        {
            uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Cancel));
            QVERIFY(!w.close());
            QCOMPARE(answer.count(), 1);
            QCOMPARE(answer.lastName(), QStringLiteral("unsavedChangesPrompt"));
        }
        QVERIFY(w.isVisible());
        QVERIFY(w.document()->isModified());
        QVERIFY(w.autosave()->write());
        const QString autosave = w.autosave()->pathFor({});
        QVERIFY(QFile::exists(autosave));
        {
            uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Discard));
            QVERIFY(w.close());
            QCOMPARE(answer.count(), 1);
        }
        QVERIFY(!w.isVisible());
        QVERIFY(!QFile::exists(autosave));
    }

    void dirtyClose_saveWritesFile()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        MainWindow w;
        QVERIFY(w.openFile(path));
        w.show();
        QVERIFY(w.document()->setDefaultClockSkew(15).ok());
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Save));
        QVERIFY(w.close());
        PolicyDocument reread;
        QVERIFY(reread.open(path).ok());
        QCOMPARE(reread.policy().defaults.clockSkewSeconds, std::optional<int>(15));
    }

    void cleanClose_noPrompt()
    {
        MainWindow w;
        w.loadSample();
        w.show();
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Cancel));
        QVERIFY(w.close());
        QCOMPARE(answer.count(), 0);
    }

    void autosave_offeredOnNextStart_recoveredAsUnsaved()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        QString autosave;
        {
            MainWindow crashed;
            QVERIFY(crashed.openFile(path));
            QVERIFY(crashed.document()->setDefaultClockSkew(45).ok());
            crashed.autosave()->setInterval(20);
            autosave = crashed.autosave()->pathFor(path);
            QTRY_VERIFY(QFile::exists(autosave)); // the periodic timer wrote it
            QVERIFY(autosave.startsWith(AutosaveController::directory()));
            // No close event: the destructor stands in for a crash and leaves the copy behind.
        }
        QVERIFY(QFile::exists(autosave));

        MainWindow next;
        QVERIFY(next.openFile(path));
        QCOMPARE(next.document()->policy().defaults.clockSkewSeconds, std::optional<int>(30));
        {
            uitest::DialogAnswerer answer(uitest::DialogAnswerer::named(QStringLiteral("recoverButton")));
            next.checkForRecovery();
            QCOMPARE(answer.count(), 1);
            QCOMPARE(answer.lastName(), QStringLiteral("recoveryPrompt"));
        }
        QCOMPARE(next.document()->policy().defaults.clockSkewSeconds, std::optional<int>(45));
        QCOMPARE(next.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(next.document()->isModified());
        QVERIFY(next.isWindowModified());
        // A clean save removes the copy.
        QVERIFY(next.save());
        QVERIFY(!QFile::exists(autosave));
    }

    void autosave_discardedOnRequest()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        QString autosave;
        {
            MainWindow crashed;
            QVERIFY(crashed.openFile(path));
            QVERIFY(crashed.document()->setDefaultClockSkew(45).ok());
            QVERIFY(crashed.autosave()->write());
            autosave = crashed.autosave()->pathFor(path);
        }
        MainWindow next;
        QVERIFY(next.openFile(path));
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::named(QStringLiteral("discardButton")));
        next.checkForRecovery();
        QCOMPARE(answer.count(), 1);
        QCOMPARE(next.document()->policy(), uitest::sample());
        QVERIFY(!next.document()->isModified());
        QVERIFY(!QFile::exists(autosave));
    }

    void autosaveUnwritable_statusNamesPath_documentStaysModified()
    {
        // A regular file where the autosave folder should be: no autosave can be written.
        const QString folder = AutosaveController::directory();
        QVERIFY(QDir().mkpath(QFileInfo(folder).absolutePath()));
        QFile blocker(folder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        MainWindow w;
        w.loadSample();
        QVERIFY(w.document()->setDefaultClockSkew(25).ok());
        const bool written = w.autosave()->write();
        const QString message = w.statusBar()->currentMessage();
        QVERIFY(QFile::remove(folder));
        QVERIFY(!written);
        QVERIFY2(message.startsWith(QStringLiteral("Autosave failed: ")), qPrintable(message));
        QVERIFY2(message.contains(w.autosave()->pathFor({})), qPrintable(message));
        QVERIFY(w.document()->isModified());
        QVERIFY(w.isWindowModified());
    }

    void saveIntoUnwritablePlace_errorShown_documentStaysModified()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        const QByteArray before = [&path] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        MainWindow w;
        QVERIFY(w.openFile(path));
        QVERIFY(w.document()->setDefaultClockSkew(25).ok());
        // Under a regular file: fails for every user, root included.
        const QString target = path + QStringLiteral("/copy.yaml");
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Ok));
        QVERIFY(!w.saveAs(target));
        QCOMPARE(answer.count(), 1);
        QCOMPARE(answer.lastName(), QStringLiteral("errorMessage"));
        QVERIFY2(answer.lastText().contains(target), qPrintable(answer.lastText()));
        QVERIFY(w.document()->isModified());
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void corruptAutosave_reportedNeverLoaded()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        MainWindow w;
        const QString autosave = w.autosave()->pathFor(QFileInfo(path).absoluteFilePath());
        QVERIFY(QDir().mkpath(QFileInfo(autosave).absolutePath()));
        {
            QFile file(autosave);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("jwt_policy: 1\nname: [unterminated\n  defaults: {clock_skew_seconds: 900\n");
        }
        QVERIFY(w.openFile(path));
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Ok));
        w.checkForRecovery();
        QCOMPARE(answer.count(), 1);
        QCOMPARE(answer.lastName(), QStringLiteral("corruptAutosaveMessage"));
        QVERIFY(answer.lastText().contains(QStringLiteral("not loaded")));
        QCOMPARE(w.document()->policy(), uitest::sample());
        QVERIFY(!w.document()->isModified());
        QVERIFY(!QFile::exists(autosave));
        QVERIFY(QFile::exists(autosave + QStringLiteral(".corrupt")));
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("Damaged")));
    }

    void staleAutosave_olderThanFile_ignoredSilently()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir);
        MainWindow w;
        const QString autosave = w.autosave()->pathFor(QFileInfo(path).absoluteFilePath());
        QVERIFY(QDir().mkpath(QFileInfo(autosave).absolutePath()));
        QVERIFY(QFile::copy(path, autosave));
        QFile touch(autosave);
        QVERIFY(touch.open(QIODevice::ReadWrite));
        QVERIFY(touch.setFileTime(QDateTime::currentDateTimeUtc().addDays(-1), QFileDevice::FileModificationTime));
        touch.close();
        QVERIFY(w.openFile(path));
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Ok));
        w.checkForRecovery();
        QCOMPARE(answer.count(), 0);
        QVERIFY(!QFile::exists(autosave));
    }

    void openInvalidFile_errorShown_policyUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.yaml"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("jwt_policy: 1\nname: x\ndefaults:\n  clock_skew_seconds: 900\n");
        }
        MainWindow w;
        w.loadSample();
        uitest::DialogAnswerer answer(uitest::DialogAnswerer::standard(QMessageBox::Ok));
        QVERIFY(!w.openFile(path));
        QCOMPARE(answer.count(), 1);
        QVERIFY2(answer.lastText().contains(QStringLiteral("clock_skew_seconds")), qPrintable(answer.lastText()));
        QCOMPARE(w.document()->policy(), uitest::sample());
    }

    void dropPolicyFile_opensIt()
    {
        QTemporaryDir dir;
        const QString path = writeSample(dir, QStringLiteral("dropped.json"));
        MainWindow w;
        w.loadSample();
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QTRY_COMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(w.windowTitle(), QStringLiteral("payments-platform \u2014 dropped.json[*]"));
        // Not a policy file: refused at drag enter.
        QMimeData other;
        other.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("notes.txt")))});
        QDragEnterEvent enterOther(QPoint(10, 10), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
        enterOther.setAccepted(false);
        QApplication::sendEvent(&w, &enterOther);
        QVERIFY(!enterOther.isAccepted());
    }

    void problemActivated_goesToField()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        QVERIFY(w.document()->addIssuer(QStringLiteral("https://new.example.com/"), QStringLiteral("lab")).ok());
        ProblemsModel* problems = w.problemsPanel()->model();
        QTRY_VERIFY(!problemsWithRule(problems, QStringLiteral("issuer-no-keys")).isEmpty());
        const QModelIndex finding = problemsWithRule(problems, QStringLiteral("issuer-no-keys")).first();
        w.pages()->setCurrentIndex(1);
        // The panel groups findings by rule: the finding's row is inside its rule's group.
        QTreeView* view = w.problemsPanel()->view();
        const QModelIndex row = w.problemsPanel()->viewIndexOf(finding.siblingAtColumn(ProblemsModel::MessageColumn));
        QVERIFY(row.isValid());
        view->scrollTo(row);
        const QRect rect = view->visualRect(row);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(w.pages()->currentIndex(), 0);
        QCOMPARE(w.matrixEditor()->currentIssuerRow(), 3);
        QCOMPARE(w.issuerDetails()->issuerRow(), 3);
    }

    void goToField_mapsPathsToEditors()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        QVERIFY(w.goToField(QStringLiteral("defaults.clock_skew_seconds")));
        QCOMPARE(w.pages()->currentIndex(), 1);
        QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("defaultsClockSkew"));
        QVERIFY(w.goToField(QStringLiteral("issuers[1].overrides.clock_skew_seconds")));
        QCOMPARE(w.pages()->currentIndex(), 0);
        QCOMPARE(w.issuerDetails()->issuerRow(), 1);
        QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("overridesClockSkew"));
        QVERIFY(w.goToField(QStringLiteral("exceptions[0].expires")));
        QCOMPARE(w.pages()->currentIndex(), 2);
        QCOMPARE(w.exceptionsEditor()->currentRow(), 0);
        QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("exceptionExpiresEdit"));
        QVERIFY(!w.goToField(QStringLiteral("issuers[42].keys")));
    }

    void everyControlHasTooltipAndAccessibleName()
    {
        MainWindow w;
        QVERIFY(showSample(w));
        QStringList missing;
        const auto widgets = w.findChildren<QWidget*>();
        for (QWidget* widget : widgets) {
            const bool control = qobject_cast<QAbstractButton*>(widget) || qobject_cast<QLineEdit*>(widget)
                                 || qobject_cast<QAbstractSpinBox*>(widget) || qobject_cast<QAbstractItemView*>(widget);
            // Qt's own parts (tab bar scroll buttons, spin box line edits) are not ours to name.
            if (!control || widget->objectName().isEmpty() || widget->objectName().startsWith(QLatin1String("qt_"))
                || qobject_cast<QTabBar*>(widget->parentWidget()))
                continue;
            if (widget->toolTip().isEmpty() || widget->accessibleName().isEmpty())
                missing.append(widget->objectName());
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u", ")));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
