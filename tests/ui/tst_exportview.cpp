// SPDX-License-Identifier: Apache-2.0
// The Export view (offscreen): target picker drives the preview and the gap table, profile fields
// change the export live and are remembered per policy, Copy fills the clipboard.
// JWB_UPDATE_SCREENSHOTS=1 also renders docs/screenshots/export.png.
#include "UiTestSupport.h"

#include "views/ExportView.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace jwb;

namespace {

constexpr qint64 kInstant = 1795996800; // 2026-12-01T00:00:00Z: the sample's exception is active

template <typename T>
T* child(QWidget& w, const char* name)
{
    T* c = w.findChild<T*>(QLatin1String(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

} // namespace

class TestExportView final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("jwb-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_exportview"));
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings().clear();
    }

    void withoutPolicy_previewExplainsAndButtonsAreDisabled()
    {
        ui::ExportView view;
        QVERIFY(!child<QPushButton>(view, "saveButton")->isEnabled());
        QVERIFY(!child<QPushButton>(view, "copyButton")->isEnabled());
        QVERIFY(!view.previewText().isEmpty());
        QCOMPARE(child<QTableView>(view, "gapTable")->model()->rowCount(), 0);
    }

    void targetPicker_drivesPreviewAndGapTable()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        auto* combo = child<QComboBox>(view, "targetCombo");
        auto* table = child<QTableView>(view, "gapTable");
        QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        combo->setCurrentIndex(combo->findData(static_cast<int>(exporting::Target::Kong)));
        QCOMPARE(view.currentTarget(), exporting::Target::Kong);
        QVERIFY(view.previewText().contains(QStringLiteral("_format_version: \"3.0\"")));
        QCOMPARE(table->model()->rowCount(), 3 * 17);
        QVERIFY(child<QLabel>(view, "summaryLabel")->text().contains(QStringLiteral("not enforced")));

        combo->setCurrentIndex(combo->findData(static_cast<int>(exporting::Target::Opa)));
        QVERIFY(view.previewText().contains(QStringLiteral("io.jwt.decode_verify")));

        combo->setCurrentIndex(combo->findData(static_cast<int>(exporting::Target::CanonicalYaml)));
        QVERIFY(view.previewText().contains(QStringLiteral("jwt_policy: 1")));
        QCOMPARE(table->model()->rowCount(), 0);
    }

    void previewEqualsCoreExport()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        const auto policy = uitest::sample();
        view.setPolicy(policy);
        view.setTarget(exporting::Target::Envoy);
        exporting::ExportProfile profile;
        profile.atUnixSeconds = kInstant;
        const auto expected = exporting::exportPolicy(policy, exporting::Target::Envoy, profile);
        QVERIFY(expected.ok());
        QCOMPARE(view.previewText(), QString::fromUtf8(expected->text));
        QVERIFY(child<QPlainTextEdit>(view, "previewEdit")->isReadOnly());
    }

    void profileFields_changeExportLive_andAreRememberedPerPolicy()
    {
        {
            ui::ExportView view;
            view.setExportInstant(kInstant);
            view.setPolicy(uitest::sample());
            view.setTarget(exporting::Target::Istio);
            auto* ns = child<QLineEdit>(view, "namespaceEdit");
            ns->clear();
            QTest::keyClicks(ns, QStringLiteral("payments-prod"));
            QTest::keyClicks(child<QLineEdit>(view, "selectorEdit"), QStringLiteral("app=payments-api"));
            QVERIFY(view.previewText().contains(QStringLiteral("namespace: payments-prod")));
            QVERIFY(view.previewText().contains(QStringLiteral("app: payments-api")));
        }
        ui::ExportView again;
        again.setExportInstant(kInstant);
        again.setPolicy(uitest::sample());
        QCOMPARE(again.currentTarget(), exporting::Target::Istio);
        QCOMPARE(child<QLineEdit>(again, "namespaceEdit")->text(), QStringLiteral("payments-prod"));
        QVERIFY(again.previewText().contains(QStringLiteral("namespace: payments-prod")));
    }

    void copyButton_putsExportOnClipboard()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        view.setTarget(exporting::Target::Nginx);
        QApplication::clipboard()->clear();
        QTest::mouseClick(child<QPushButton>(view, "copyButton"), Qt::LeftButton);
        QTRY_COMPARE(QApplication::clipboard()->text(), view.previewText());
        QVERIFY(view.previewText().contains(QStringLiteral("auth_jwt_require")));
    }

    void policyWithoutIssuers_showsTheError()
    {
        ui::ExportView view;
        policy::Policy empty;
        empty.name = QStringLiteral("empty-policy");
        view.setPolicy(empty);
        view.setTarget(exporting::Target::Envoy);
        QVERIFY(view.previewText().contains(QStringLiteral("no issuers")));
        QVERIFY(!child<QPushButton>(view, "saveButton")->isEnabled());
    }

    void rendersScreenshot()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        view.setTarget(exporting::Target::Envoy);
        child<QLineEdit>(view, "namespaceEdit")->setText(QStringLiteral("payments"));
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPixmap shot = view.grab();
        QCOMPARE(shot.size(), QSize(1280, 800));
        QTemporaryDir dir;
        QVERIFY(shot.save(dir.filePath(QStringLiteral("export.png"))));
        if (qEnvironmentVariableIntValue("JWB_UPDATE_SCREENSHOTS") == 1)
            QVERIFY(shot.save(QStringLiteral(JWB_SOURCE_DIR "/docs/screenshots/export.png")));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestExportView)
#include "tst_exportview.moc"
