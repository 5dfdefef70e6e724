// SPDX-License-Identifier: Apache-2.0
// The screenshot renderer writes every page of the workbench at 1280x800 and at 1024x700, the
// smallest size it is laid out for. With JWB_SCREENSHOT_DIR set, it writes there (used to refresh
// docs/screenshots); otherwise into a temporary directory.
#include "UiTestSupport.h"
#include "models/Palette.h"
#include "views/MainWindow.h"
#include "views/Screenshots.h"
#include "views/WorkbenchPages.h"

#include <QFileInfo>
#include <QSettings>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;
using namespace jwb::ui;

class TestScreenshots final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("tokenLab")); // splitter sizes another run left behind
    }

    void rendersEveryPageAtBothSizes()
    {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR") ? qEnvironmentVariable("JWB_SCREENSHOT_DIR")
                                                                             : temp.path();
        MainWindow window;
        installWorkbenchPages(window);
        window.loadSample();
        Result<QStringList> written = renderScreenshots(window, dir);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
        const QStringList pages{QStringLiteral("matrix"),   QStringLiteral("issuer-keys"), QStringLiteral("issuer-overrides"),
                                QStringLiteral("defaults"), QStringLiteral("exceptions"),  QStringLiteral("tokenlab"),
                                QStringLiteral("selftest"), QStringLiteral("corpus"),      QStringLiteral("export"),
                                QStringLiteral("rotation"), QStringLiteral("problems")};
        QStringList names;
        for (const QString& path : written.value())
            names.append(QFileInfo(path).completeBaseName());
        for (const QString& page : pages) {
            QVERIFY2(names.contains(page), qPrintable(page));
            QVERIFY2(names.contains(page + QStringLiteral("-1024x700")), qPrintable(page));
        }
        QCOMPARE(written->size(), 2 * pages.size());
        for (const QString& path : written.value()) {
            QImage image(path);
            QVERIFY2(!image.isNull(), qPrintable(path));
            const QSize expected = path.endsWith(QStringLiteral("-1024x700.png")) ? kSmallestWindowSize : kScreenshotSize;
            QCOMPARE(image.size() / image.devicePixelRatio(), expected);
            // Not blank: a rendered window has many distinct colours.
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 37)
                for (int x = 0; x < image.width(); x += 41)
                    colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() > 5, qPrintable(path));
        }
    }

    // The semantic tints are derived from the palette: with a dark one they must still differ
    // from the background they sit on.
    void darkPalette_tintsStayDistinct()
    {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        const QPalette previous = QApplication::palette();
        QApplication::setPalette(dark);
        QTemporaryDir temp;
        const QString dir = qEnvironmentVariableIsSet("JWB_SCREENSHOT_DIR")
                                ? qEnvironmentVariable("JWB_SCREENSHOT_DIR") + QStringLiteral("/dark")
                                : temp.path();
        MainWindow window;
        installWorkbenchPages(window);
        window.loadSample();
        Result<QStringList> written = renderScreenshots(window, dir);
        QApplication::setPalette(previous);
        QVERIFY(written.ok());
        const QColor base = dark.color(QPalette::Base);
        for (Tint tint : {Tint::Danger, Tint::Warning, Tint::Ok}) {
            const QColor text = tintColor(dark, tint);
            QVERIFY(text.lightnessF() - base.lightnessF() > 0.35); // readable on Base
            QVERIFY(tintBackground(dark, tint) != base);
        }
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
