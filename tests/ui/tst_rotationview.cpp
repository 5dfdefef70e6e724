// SPDX-License-Identifier: Apache-2.0
// The Rotation view and the Fetch keys dialog (offscreen): the view shows exactly what the core's
// rehearsal reports for the chosen issuer and plan; the dialog lists the diff and pins only on Pin.
// JWB_UPDATE_SCREENSHOTS=1 also renders docs/screenshots/rotation.png.
#include "TestKeys.h"
#include "UiTestSupport.h"

#include "dialogs/FetchKeysDialog.h"
#include "keys/KeyFetcher.h"
#include "views/RotationView.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace jwb;
using jwb::ui::FetchKeysDialog;
using jwb::ui::RotationView;
using testing::keyFromFile;

namespace {

constexpr qint64 kT0 = 1796083200; // 2026-12-01T00:00:00Z
const QString kLogin = QStringLiteral("https://login.example.com/");

template <typename T> T* child(QWidget& w, const char* name) {
    T* c = w.findChild<T*>(QLatin1String(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

} // namespace

class TestRotationView final : public QObject {
    Q_OBJECT

private slots:
    void setPolicy_listsIssuersAndRehearsesTheFirst() {
        RotationView view;
        QVERIFY(!view.report());
        const policy::Policy sample = uitest::sample();
        view.setPolicy(sample);
        QCOMPARE(child<QComboBox>(view, "issuerCombo")->count(), int(sample.issuers.size()));
        QCOMPARE(view.currentIssuer(), sample.issuers.first().issuer);
        QVERIFY(view.report());
    }

    void report_equalsTheCoreRehearsal() {
        RotationView view;
        const policy::Policy sample = uitest::sample();
        view.setPolicy(sample);
        view.setIssuer(kLogin);
        const keys::RotationPlan plan{kT0, kT0 + 300, kT0 + 1800};
        view.setPlan(plan);
        QVERIFY(view.report());
        const auto expected = keys::rehearseRotation(sample, *sample.findIssuer(kLogin), plan);
        QVERIFY(expected.ok());
        QCOMPARE(view.report()->targets.size(), expected->targets.size());
        for (qsizetype i = 0; i < expected->targets.size(); ++i) {
            QCOMPARE(view.report()->targets.at(i).behaviour.target, expected->targets.at(i).behaviour.target);
            QCOMPARE(view.report()->targets.at(i).goodTokensRejected.worstSeconds,
                     expected->targets.at(i).goodTokensRejected.worstSeconds);
            QCOMPARE(view.report()->targets.at(i).retiredKeyAccepted.worstSeconds,
                     expected->targets.at(i).retiredKeyAccepted.worstSeconds);
            for (const QString& advice : expected->targets.at(i).advice)
                QVERIFY2(view.adviceText().contains(advice), qPrintable(advice));
        }
    }

    void editingT1_recomputesTheReport() {
        RotationView view;
        view.setPolicy(uitest::sample());
        view.setIssuer(kLogin);
        view.setPlan({kT0, kT0 + 300, kT0 + 1800});
        auto* sign = child<QDateTimeEdit>(view, "signEdit");
        QCOMPARE(sign->timeSpec(), Qt::UTC);
        sign->setDateTime(QDateTime::fromSecsSinceEpoch(kT0 + 900, QTimeZone::utc()));
        QVERIFY(view.report());
        QCOMPARE(view.report()->plan.signAt, kT0 + 900);
    }

    void planOutOfOrder_showsTheErrorAndNoReport() {
        RotationView view;
        view.setPolicy(uitest::sample());
        view.setPlan({kT0 + 600, kT0, kT0 + 1800});
        QVERIFY(!view.report());
        QVERIFY(child<QLabel>(view, "rotationStatus")->text().startsWith(QStringLiteral("Invalid plan")));
        QVERIFY(view.adviceText().isEmpty());
        view.setPlan({kT0, kT0 + 600, kT0 + 1800});
        QVERIFY(view.report());
    }

    void fetchDialog_listsTheDiffAndPinsOnlyOnPin() {
        const policy::Policy sample = uitest::sample();
        FetchKeysDialog dialog(sample, kLogin);
        QSignalSpy pinned(&dialog, &FetchKeysDialog::pinRequested);
        auto* pin = child<QPushButton>(dialog, "pinButton");
        QVERIFY(!pin->isEnabled());

        keys::FetchedKeys fetched;
        fetched.issuer = kLogin;
        fetched.jwksUrl = QUrl(QStringLiteral("https://login.example.com/.well-known/jwks.json"));
        const QList<keys::Key> pinnedNow = keys::pinnedKeys(*sample.findIssuer(kLogin));
        QVERIFY(!pinnedNow.isEmpty());
        fetched.keys = {pinnedNow.first(), keyFromFile("ec-p256-public.pem", QStringLiteral("login-2027-01"))};
        dialog.showFetched(fetched);

        auto* table = child<QTableWidget>(dialog, "keyDiffTable");
        QCOMPARE(table->rowCount(), int(pinnedNow.size()) + 1);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("added"));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("login-2027-01"));
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("P-256"));
        QCOMPARE(dialog.diff()->unchanged.size(), 1);
        QVERIFY(pin->isEnabled());

        QTest::mouseClick(pin, Qt::LeftButton);
        QCOMPARE(pinned.size(), 1);
        QCOMPARE(pinned.first().at(0).toString(), kLogin);
        QCOMPARE(pinned.first().at(1).value<QList<keys::Key>>().size(), 2);
    }

    void fetchDialog_errorDisablesPin() {
        FetchKeysDialog dialog(uitest::sample(), kLogin);
        dialog.showError(Error{QStringLiteral("ERR_FETCH_TIMEOUT"), QStringLiteral("No answer."), {}});
        QVERIFY(!child<QPushButton>(dialog, "pinButton")->isEnabled());
        QVERIFY(child<QLabel>(dialog, "fetchStatus")->text().contains(QStringLiteral("ERR_FETCH_TIMEOUT")));
    }

    void screenshot_rendersAt1280x800() {
        RotationView view;
        view.setPolicy(uitest::sample());
        view.setIssuer(kLogin);
        view.setPlan({kT0, kT0 + 300, kT0 + 1800});
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPixmap shot = view.grab();
        QCOMPARE(shot.size(), QSize(1280, 800));
        // Both windows are drawn: the in-flight rejection (red) and the stale caches (amber).
        const QImage chart = child<QWidget>(view, "rotationTimeline")->grab().toImage();
        int red = 0;
        int amber = 0;
        for (int y = 0; y < chart.height(); ++y)
            for (int x = 0; x < chart.width(); ++x) {
                const QRgb px = chart.pixel(x, y) & 0xffffff;
                red += px == 0xd32f2f;
                amber += px == 0xf5a623;
            }
        QVERIFY(red > 100);
        QVERIFY(amber > 100);
        QTemporaryDir dir;
        QVERIFY(shot.save(dir.filePath(QStringLiteral("rotation.png"))));
        if (qEnvironmentVariableIntValue("JWB_UPDATE_SCREENSHOTS") == 1)
            QVERIFY(shot.save(QStringLiteral(JWB_SOURCE_DIR "/docs/screenshots/rotation.png")));
    }
};

QTEST_MAIN(TestRotationView)
#include "tst_rotationview.moc"
