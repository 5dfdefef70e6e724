// SPDX-License-Identifier: Apache-2.0
// File > Export Review Report...: the dialog previews the PDF's pages (A4 and Letter) or the HTML
// page, saves either format, and is reachable from the main window's File menu.
#include "dialogs/ReviewReportDialog.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"
#include "views/MainWindow.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <cstdlib>

using namespace jwb;
using jwb::ui::ReviewReportDialog;

namespace {

qint64 fixedNow()
{
    return util::parseInstant(QStringLiteral("2026-12-07T12:00:00Z")).value();
}

QList<QLabel*> pageLabels(const ReviewReportDialog& d)
{
    QList<QLabel*> pages;
    for (int i = 0;; ++i) {
        auto* label = d.findChild<QLabel*>(QStringLiteral("previewPage%1").arg(i));
        if (!label)
            return pages;
        pages << label;
    }
}

// Not a blank page: some pixels are far from white.
bool hasInk(const QImage& image)
{
    int dark = 0;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            dark += qGray(image.pixel(x, y)) < 128 ? 1 : 0;
    return dark > 50;
}

} // namespace

class TestReviewReportDialog final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void pdfPreview_showsEveryPageWithInk()
    {
        ReviewReportDialog d(policy::loadSamplePolicy().value(), QString(), fixedNow());
        const auto pages = pageLabels(d);
        QVERIFY(pages.size() >= 3);
        QCOMPARE(pages.size(), d.previewPageCount());
        for (QLabel* page : pages)
            QVERIFY(hasInk(page->pixmap().toImage()));
        QVERIFY(d.findChild<QLabel*>(QStringLiteral("statusLabel"))->text().contains(QStringLiteral("A4")));
        // A4 pages are taller relative to their width than Letter pages (297/210 = 1.414, 11/8.5 = 1.294);
        // rounding the page to whole pixels moves the ratio by a unit or two.
        const auto ratioNear = [](QSize size, int expected) {
            const int ratio = qRound(size.height() * 1000.0 / size.width());
            return std::abs(ratio - expected) <= 2;
        };
        const QSize a4 = pages.first()->pixmap().size();
        QVERIFY2(ratioNear(a4, 1414), qPrintable(QStringLiteral("%1x%2").arg(a4.width()).arg(a4.height())));
        auto* paper = d.findChild<QComboBox*>(QStringLiteral("paperCombo"));
        paper->setCurrentIndex(1);
        const QSize letter = pageLabels(d).first()->pixmap().size();
        QVERIFY2(ratioNear(letter, 1294), qPrintable(QStringLiteral("%1x%2").arg(letter.width()).arg(letter.height())));
        QVERIFY(d.findChild<QLabel*>(QStringLiteral("statusLabel"))->text().contains(QStringLiteral("Letter")));
    }

    void htmlPreview_showsTheReportAndDisablesPaper()
    {
        ReviewReportDialog d(policy::loadSamplePolicy().value(), QString(), fixedNow());
        auto* format = d.findChild<QComboBox*>(QStringLiteral("formatCombo"));
        format->setCurrentIndex(1);
        auto* html = d.findChild<QTextBrowser*>(QStringLiteral("htmlPreview"));
        QVERIFY(html);
        QCOMPARE(d.findChild<QStackedWidget*>()->currentWidget(), html);
        const QString text = html->toPlainText();
        const QStringList expected{QStringLiteral("https://login.example.com/"), QStringLiteral("https://auth.partner.example.net/"),
                                   QStringLiteral("https://billing.internal.example.com/"),
                                   QStringLiteral("billing-hs256-until-migration")};
        for (const auto& needle : expected)
            QVERIFY2(text.contains(needle), qPrintable(needle));
        QVERIFY(!d.findChild<QComboBox*>(QStringLiteral("paperCombo"))->isEnabled());
    }

    void saveTo_writesTheChosenFormat()
    {
        QTemporaryDir dir;
        ReviewReportDialog d(policy::loadSamplePolicy().value(), QString(), fixedNow());
        const QString pdf = dir.filePath(QStringLiteral("r.pdf"));
        QVERIFY(d.saveTo(pdf).ok());
        QFile p(pdf);
        QVERIFY(p.open(QIODevice::ReadOnly));
        QVERIFY(p.readAll().startsWith("%PDF-"));
        d.findChild<QComboBox*>(QStringLiteral("formatCombo"))->setCurrentIndex(1);
        const QString html = dir.filePath(QStringLiteral("r.html"));
        QVERIFY(d.saveTo(html).ok());
        QFile h(html);
        QVERIFY(h.open(QIODevice::ReadOnly));
        const QByteArray bytes = h.readAll();
        QVERIFY(bytes.startsWith("<!DOCTYPE html>"));
        QVERIFY(!bytes.contains("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh-4Cu2V5fs")); // the sample's HMAC secret
        const auto refused = d.saveTo(dir.filePath(QStringLiteral("missing/dir/r.html")));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("ERR_REPORT_WRITE"));
    }

    void grab_rendersTheDialog()
    {
        ReviewReportDialog d(policy::loadSamplePolicy().value(), QString(), fixedNow());
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        const QImage shot = d.grab().toImage();
        QVERIFY(hasInk(shot));
        // JWB_SCREENSHOT_DIR set: keep the picture for docs/screenshots.
        const QString out = qEnvironmentVariable("JWB_SCREENSHOT_DIR");
        if (!out.isEmpty())
            QVERIFY(shot.save(out + QStringLiteral("/review-report-dialog.png")));
    }

    void mainWindow_fileMenuHasExportReviewReport()
    {
        ui::MainWindow w;
        auto* action = w.findChild<QAction*>(QStringLiteral("exportReviewReportAction"));
        QVERIFY(action);
        QVERIFY(action->text().contains(QStringLiteral("Review")));
        const auto menus = w.menuBar()->actions();
        QVERIFY(!menus.isEmpty());
        QVERIFY(menus.first()->menu()->actions().contains(action));
    }
};

QTEST_MAIN(TestReviewReportDialog)
#include "tst_reviewreportdialog.moc"
