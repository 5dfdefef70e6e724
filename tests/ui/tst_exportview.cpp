// SPDX-License-Identifier: Apache-2.0
// The Export view (offscreen): target picker drives the preview and the gap table, profile fields
// change the export live and are remembered per policy, Copy fills the clipboard. A policy holding test
// keys previews the staging export with a warning, and Save / Copy ask before writing (both answers).
// JWB_UPDATE_SCREENSHOTS=1 also renders docs/screenshots/export.png.
#include "UiTestSupport.h"

#include "commands/TestKeyCommands.h"
#include "crypto/Signer.h"
#include "views/ExportView.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QCoreApplication>
#include <QFile>
#include <QFormLayout>
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

// The sample with one workbench test key pinned for its first issuer (as the mint dialog does).
policy::Policy sampleWithTestKey()
{
    ui::PolicyDocument document;
    document.reset(uitest::sample(), {});
    Result<crypto::SigningKey> key = crypto::SigningKey::generate(crypto::Algorithm::ES256,
                                                                  QStringLiteral("workbench-test-es256-0001"));
    if (!key || !ui::addTestKey(&document, 0, key->publicKey()))
        qFatal("test key not added");
    return document.policy();
}

QString readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
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

    // Every target the core exports is offered, the gateways HAProxy and Apache among them.
    void targetPicker_offersEveryCoreTarget()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        auto* combo = child<QComboBox>(view, "targetCombo");
        QCOMPARE(combo->count(), int(exporting::allTargets().size()));
        for (exporting::Target t : exporting::allTargets())
            QVERIFY2(combo->findData(static_cast<int>(t)) >= 0, qPrintable(exporting::targetName(t)));
        for (exporting::Target t : {exporting::Target::Haproxy, exporting::Target::Apache}) {
            combo->setCurrentIndex(combo->findData(static_cast<int>(t)));
            QCOMPARE(view.currentTarget(), t);
            QVERIFY(view.previewText().contains(QStringLiteral("jwt-policy export --to ") + exporting::targetName(t)));
            QCOMPARE(child<QTableView>(view, "gapTable")->model()->rowCount(), 3 * 17);
        }
        // Service targets (issue 21): the code as the core exports it, with its gap rows.
        for (exporting::Target t : exporting::serviceTargets()) {
            combo->setCurrentIndex(combo->findData(static_cast<int>(t)));
            QCOMPARE(view.currentTarget(), t);
            exporting::ExportProfile profile;
            profile.atUnixSeconds = kInstant;
            const auto core = exporting::exportPolicy(uitest::sample(), t, profile);
            QVERIFY(core.ok());
            QCOMPARE(view.previewText(), QString::fromUtf8(core->text));
            QCOMPARE(child<QTableView>(view, "gapTable")->model()->rowCount(), int(core->gaps.size()));
            QVERIFY(child<QPushButton>(view, "saveButton")->isEnabled());
        }
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

    void testKeys_previewIsStagingExportWithWarningNamingThem()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(sampleWithTestKey());
        view.setTarget(exporting::Target::Envoy);
        QVERIFY(view.isStaging());
        QVERIFY(view.previewText().contains(QStringLiteral("STAGING EXPORT")));
        auto* warning = child<QLabel>(view, "stagingWarning");
        QVERIFY(warning->isVisibleTo(&view));
        QVERIFY(warning->text().contains(QStringLiteral("workbench-test-es256-0001")));
        QVERIFY(child<QPushButton>(view, "saveButton")->isEnabled());

        // Without test keys, no warning and a production export.
        view.setPolicy(uitest::sample());
        QVERIFY(!view.isStaging());
        QVERIFY(!warning->isVisibleTo(&view));
        QVERIFY(!view.previewText().contains(QStringLiteral("STAGING EXPORT")));
    }

    void saveStaging_cancelled_writesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("envoy.yaml"));
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(sampleWithTestKey());
        view.setTarget(exporting::Target::Envoy);
        int asked = 0;
        QString named;
        view.setStagingConfirmation([&](ui::ExportView::StagingAction action, const QString& keys) {
            ++asked;
            named = keys;
            return action != ui::ExportView::StagingAction::Save;
        });
        int chosen = 0;
        view.setSavePathChooser([&](const QString&) {
            ++chosen;
            return path;
        });
        QTest::mouseClick(child<QPushButton>(view, "saveButton"), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QVERIFY(named.contains(QStringLiteral("workbench-test-es256-0001")));
        QCOMPARE(chosen, 0); // cancelled before a path was asked for
        QVERIFY(!QFile::exists(path));
    }

    void saveStaging_confirmed_writesTheStagingExport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("envoy.yaml"));
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(sampleWithTestKey());
        view.setTarget(exporting::Target::Envoy);
        int asked = 0;
        view.setStagingConfirmation([&](ui::ExportView::StagingAction action, const QString&) {
            ++asked;
            return action == ui::ExportView::StagingAction::Save;
        });
        view.setSavePathChooser([&](const QString& suggested) {
            return suggested.endsWith(QStringLiteral(".envoy.yaml")) ? path : QString();
        });
        QString exported;
        connect(&view, &ui::ExportView::exported, this, [&exported](const QString& p) { exported = p; });
        QTest::mouseClick(child<QPushButton>(view, "saveButton"), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QCOMPARE(exported, path);
        const QString written = readFile(path);
        QVERIFY(written.contains(QStringLiteral("STAGING EXPORT")));
        QCOMPARE(written, view.previewText());
    }

    void copyStaging_asksFirst_bothAnswers()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(sampleWithTestKey());
        view.setTarget(exporting::Target::Kong);
        bool answer = false;
        int asked = 0;
        view.setStagingConfirmation([&](ui::ExportView::StagingAction action, const QString&) {
            ++asked;
            return action == ui::ExportView::StagingAction::Copy && answer;
        });
        QApplication::clipboard()->setText(QStringLiteral("untouched"));
        QTest::mouseClick(child<QPushButton>(view, "copyButton"), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("untouched"));
        answer = true;
        QTest::mouseClick(child<QPushButton>(view, "copyButton"), Qt::LeftButton);
        QCOMPARE(asked, 2);
        QTRY_COMPARE(QApplication::clipboard()->text(), view.previewText());
        QVERIFY(view.previewText().contains(QStringLiteral("STAGING EXPORT")));
    }

    void saveStaging_defaultQuestionNamesTheAction_cancelWritesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("opa.rego"));
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(sampleWithTestKey());
        view.setTarget(exporting::Target::Opa);
        view.setSavePathChooser([&path](const QString&) { return path; });
        view.show();
        QString buttonText;
        uitest::DialogAnswerer answerer([&buttonText](QMessageBox* box) -> QAbstractButton* {
            for (QAbstractButton* b : box->buttons())
                if (box->buttonRole(b) == QMessageBox::AcceptRole)
                    buttonText = b->text();
            return box->button(QMessageBox::Cancel);
        });
        view.save();
        QCOMPARE(answerer.count(), 1);
        QCOMPARE(answerer.lastName(), QStringLiteral("stagingExportPrompt"));
        QVERIFY(answerer.lastText().contains(QStringLiteral("workbench-test-es256-0001")));
        QCOMPARE(buttonText, QStringLiteral("Save staging export"));
        QVERIFY(!QFile::exists(path));
    }

    void saveProduction_asksNothing_writesExport()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nginx.conf"));
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        view.setTarget(exporting::Target::Nginx);
        int asked = 0;
        view.setStagingConfirmation([&asked](ui::ExportView::StagingAction, const QString&) {
            ++asked;
            return false;
        });
        view.setSavePathChooser([&path](const QString&) { return path; });
        view.save();
        QCOMPARE(asked, 0);
        QCOMPARE(readFile(path), view.previewText());
    }

    void profile_showsOnlyTheSelectedTargetsFields_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QStringList>("shown");
        const QStringList all{QStringLiteral("namespaceEdit"), QStringLiteral("selectorEdit"), QStringLiteral("clusterEdit"),
                              QStringLiteral("serviceEdit"),   QStringLiteral("routeEdit"),    QStringLiteral("headerEdit"),
                              QStringLiteral("timeoutSpin")};
        QTest::newRow("envoy") << int(exporting::Target::Envoy)
                               << QStringList{QStringLiteral("clusterEdit"), QStringLiteral("routeEdit"),
                                              QStringLiteral("headerEdit"), QStringLiteral("timeoutSpin")};
        QTest::newRow("istio") << int(exporting::Target::Istio)
                               << QStringList{QStringLiteral("namespaceEdit"), QStringLiteral("selectorEdit"),
                                              QStringLiteral("headerEdit")};
        QTest::newRow("kong") << int(exporting::Target::Kong)
                              << QStringList{QStringLiteral("serviceEdit"), QStringLiteral("routeEdit"),
                                             QStringLiteral("headerEdit")};
        QTest::newRow("nginx") << int(exporting::Target::Nginx)
                               << QStringList{QStringLiteral("routeEdit"), QStringLiteral("headerEdit")};
        QTest::newRow("haproxy") << int(exporting::Target::Haproxy)
                                 << QStringList{QStringLiteral("routeEdit"), QStringLiteral("headerEdit")};
        QTest::newRow("service:jose") << int(exporting::Target::ServiceJose) << QStringList{QStringLiteral("noProfileLabel")};
        QTest::newRow("opa") << int(exporting::Target::Opa) << QStringList{QStringLiteral("noProfileLabel")};
        QTest::newRow("canonical-yaml") << int(exporting::Target::CanonicalYaml)
                                        << QStringList{QStringLiteral("noProfileLabel")};
    }

    void profile_showsOnlyTheSelectedTargetsFields()
    {
        QFETCH(int, target);
        QFETCH(QStringList, shown);
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        view.setTarget(static_cast<exporting::Target>(target));
        for (const char* name : {"namespaceEdit", "selectorEdit", "clusterEdit", "serviceEdit", "routeEdit", "headerEdit",
                                 "timeoutSpin", "noProfileLabel"}) {
            QWidget* field = child<QWidget>(view, name);
            QCOMPARE(field->isVisibleTo(&view), shown.contains(QLatin1String(name)));
        }
    }

    void gapDetail_showsSelectedRowInFull()
    {
        ui::ExportView view;
        view.setExportInstant(kInstant);
        view.setPolicy(uitest::sample());
        view.setTarget(exporting::Target::Kong);
        auto* table = child<QTableView>(view, "gapTable");
        auto* detail = child<QLabel>(view, "gapDetail");
        // Pick the row with the longest advice: the column cannot show it whole, the pane must.
        int longest = 0;
        for (int r = 1; r < table->model()->rowCount(); ++r)
            if (table->model()->index(r, 3).data().toString().size()
                > table->model()->index(longest, 3).data().toString().size())
                longest = r;
        table->setCurrentIndex(table->model()->index(longest, 0));
        const QString advice = table->model()->index(longest, 3).data().toString();
        QVERIFY(advice.size() > 60);
        QVERIFY(detail->text().contains(advice.toHtmlEscaped()));
        QVERIFY(detail->text().contains(table->model()->index(longest, 0).data().toString().toHtmlEscaped()));
        // The footer keeps the counts only.
        QVERIFY(!child<QLabel>(view, "summaryLabel")->text().contains(QStringLiteral("must verify")));
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

        // A service target: its code, highlighted, beside what the library enforces.
        view.setTarget(exporting::Target::ServiceGolangJwt);
        const QPixmap service = view.grab();
        QVERIFY(service.save(dir.filePath(QStringLiteral("export-service.png"))));
        if (qEnvironmentVariableIntValue("JWB_UPDATE_SCREENSHOTS") == 1)
            QVERIFY(service.save(QStringLiteral(JWB_SOURCE_DIR "/docs/screenshots/export-service.png")));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestExportView)
#include "tst_exportview.moc"
