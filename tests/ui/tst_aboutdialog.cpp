// SPDX-License-Identifier: Apache-2.0
// The About dialog states the product version and the Qt and OpenSSL libraries loaded at run time.
#include "dialogs/AboutDialog.h"
#include "util/Versions.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/crypto.h>

using jwb::ui::AboutDialog;

class TestAboutDialog final : public QObject {
    Q_OBJECT

private:
    static QString labelText(const AboutDialog& dialog, const char* objectName)
    {
        const auto* label = dialog.findChild<QLabel*>(QString::fromLatin1(objectName));
        return label ? label->text() : QStringLiteral("<no label %1>").arg(QString::fromLatin1(objectName));
    }

private slots:
    void versionsHelpers_reportRuntimeLibraries()
    {
        QCOMPARE(jwb::util::productVersion(), QStringLiteral(JWB_VERSION));
        QCOMPARE(jwb::util::qtVersion(), QString::fromLatin1(qVersion()));
        QVERIFY(jwb::util::opensslVersion().startsWith(QStringLiteral("OpenSSL 3.")));
        QCOMPARE(jwb::util::opensslVersion(), QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION)));
    }

    void labels_showProductVersionLicenceQtAndOpenSsl()
    {
        AboutDialog dialog;
        QCOMPARE(labelText(dialog, "productLabel"), QStringLiteral("JWT Policy Workbench"));
        QCOMPARE(labelText(dialog, "versionLabel"), QStringLiteral(JWB_VERSION));
        QVERIFY(labelText(dialog, "licenceLabel").contains(QStringLiteral("Apache-2.0")));
        QCOMPARE(labelText(dialog, "qtVersionLabel"), QString::fromLatin1(qVersion()));
        QCOMPARE(labelText(dialog, "opensslVersionLabel"),
                 QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION)));
        QVERIFY(dialog.windowTitle().contains(QStringLiteral("JWT Policy Workbench")));
    }

    void icon_isTheEmbeddedProductIcon()
    {
        AboutDialog dialog;
        const auto* iconLabel = dialog.findChild<QLabel*>(QStringLiteral("iconLabel"));
        QVERIFY(iconLabel);
        const QPixmap pixmap = iconLabel->pixmap();
        QVERIFY(!pixmap.isNull());
        QVERIFY(pixmap.width() >= 64);
        // Not a blank square: the shield's blue and the badge's green are both drawn.
        const QImage image = pixmap.toImage();
        bool sawBlue = false;
        bool sawGreen = false;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                const QColor c = image.pixelColor(x, y);
                if (c.alpha() < 200)
                    continue;
                sawBlue = sawBlue || (c.blue() > c.red() + 60 && c.blue() > c.green() + 30);
                sawGreen = sawGreen || (c.green() > c.red() + 60 && c.green() > c.blue() + 30);
            }
        }
        QVERIFY(sawBlue);
        QVERIFY(sawGreen);
        QVERIFY(!dialog.windowIcon().isNull());
    }

    void copyButton_putsVersionReportOnClipboard()
    {
        AboutDialog dialog;
        auto* copy = dialog.findChild<QPushButton*>(QStringLiteral("copyButton"));
        QVERIFY(copy);
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QCOMPARE(copied, dialog.versionReport());
        QVERIFY(copied.contains(QStringLiteral("JWT Policy Workbench " JWB_VERSION)));
        QVERIFY(copied.contains(QStringLiteral("Qt: ") + QString::fromLatin1(qVersion())));
        QVERIFY(copied.contains(QStringLiteral("OpenSSL: ") + jwb::util::opensslVersion()));
    }

    void grab_rendersWholeDialogWithoutClipping()
    {
        AboutDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // Every label gets at least the width its text needs (fixed-size layout: nothing elided).
        const auto labels = dialog.findChildren<QLabel*>();
        for (const QLabel* label : labels) {
            if (label->wordWrap() || label->text().isEmpty())
                continue;
            QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->objectName()));
        }
        const QPixmap shot = dialog.grab();
        QVERIFY(shot.width() >= 300 && shot.height() >= 150);
        // JWB_SCREENSHOT_DIR=docs/screenshots refreshes the documentation image.
        const QString outDir = qEnvironmentVariable("JWB_SCREENSHOT_DIR");
        QTemporaryDir temp;
        const QString path =
            QDir(outDir.isEmpty() ? temp.path() : outDir).filePath(QStringLiteral("about.png"));
        QVERIFY(shot.save(path));
        QVERIFY(QFileInfo(path).size() > 1000);
    }

    void closeButton_rejectsDialog()
    {
        AboutDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.isVisible());
    }
};

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
