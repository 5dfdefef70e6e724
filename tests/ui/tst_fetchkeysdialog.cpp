// SPDX-License-Identifier: Apache-2.0
// The Fetch keys dialog (offscreen) through a real fetch: its own KeyFetcher asks a local HTTPS server
// (tests/support/LoopbackHttpsServer.h, trusted through a test CA) for the issuer's keys; the dialog
// shows them and their diff, pins exactly what was served, and on a refused answer shows the error
// and keeps Pin disabled.
#include "LoopbackHttpsServer.h"

#include "dialogs/FetchKeysDialog.h"
#include "keys/KeyFetcher.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <utility>

using namespace jwb;
using jwb::ui::FetchKeysDialog;
using testing::jwksBytes;
using testing::LoopbackHttpsServer;
using testing::Route;

namespace {

constexpr int kFetchWaitMs = 10000;

template <typename T> T* child(QWidget& w, const char* name) {
    T* c = w.findChild<T*>(QLatin1String(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

QStringList thumbprints(const QList<keys::Key>& list) {
    QStringList out;
    for (const keys::Key& key : list)
        out.append(key.thumbprint);
    return out;
}

} // namespace

class TestFetchKeysDialog final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::LoopbackTls m_tls;
    std::unique_ptr<LoopbackHttpsServer> m_server;
    const testing::FetchTestKeys m_keys;

    // A dialog on the loopback issuer, which pins the RSA and EC keys and publishes its keys through
    // metadata naming /jwks; its fetcher trusts the test CA.
    std::unique_ptr<FetchKeysDialog> dialogServing(const Route& jwks) const {
        m_server->serveMetadata("/jwks");
        m_server->route("/jwks", jwks);
        auto dialog = std::make_unique<FetchKeysDialog>(
            testing::policyPinning(m_server->base(), {m_keys.rsa, m_keys.ec}, m_dir.path()),
            m_server->base());
        dialog->fetcher()->setSslConfiguration(m_tls.client);
        return dialog;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const auto tls = testing::makeLoopbackTls(m_dir.path());
        QVERIFY2(tls, "cannot make the test CA and server certificate with openssl");
        m_tls = *tls;
    }

    void init() {
        m_server = testing::startLoopbackServer(m_tls.server);
        QVERIFY(m_server);
    }
    void cleanup() { m_server.reset(); }

    void liveFetch_showsTheDiffAndPinsExactlyTheServedKeys() {
        const QList<keys::Key> served{m_keys.ec, m_keys.ed}; // EC stays, Ed25519 is new, RSA is gone
        const auto owned = dialogServing(Route{200, jwksBytes(served), {}, true, false});
        FetchKeysDialog& dialog = *owned;
        const QString issuer = m_server->base();
        QSignalSpy pinned(&dialog, &FetchKeysDialog::pinRequested);
        auto* pin = child<QPushButton>(dialog, "pinButton");
        auto* table = child<QTableWidget>(dialog, "keyDiffTable");
        auto* status = child<QLabel>(dialog, "fetchStatus");

        dialog.startFetch();
        QVERIFY(!pin->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.diff().has_value(), kFetchWaitMs);

        QCOMPARE(m_server->requests(), (QList<QByteArray>{"/.well-known/openid-configuration", "/jwks"}));
        QCOMPARE(table->rowCount(), 3);
        const QList<std::pair<QString, QString>> rows{{QStringLiteral("added"), QStringLiteral("ed-1")},
                                                      {QStringLiteral("removed"), QStringLiteral("rsa-1")},
                                                      {QStringLiteral("unchanged"), QStringLiteral("ec-1")}};
        for (int row = 0; row < rows.size(); ++row) {
            QCOMPARE(table->item(row, 0)->text(), rows.at(row).first);
            QCOMPARE(table->item(row, 1)->text(), rows.at(row).second);
        }
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("Ed25519"));
        QCOMPARE(table->item(1, 3)->text(), QStringLiteral("2048 bits"));
        QCOMPARE(table->item(0, 4)->text(), m_keys.ed.thumbprint);
        QVERIFY2(status->text().contains(QStringLiteral("1 added, 1 removed, 1 unchanged")),
                 qPrintable(status->text()));
        QVERIFY2(status->text().contains(issuer + QStringLiteral("jwks")), qPrintable(status->text()));
        QVERIFY(pin->isEnabled());
        QCOMPARE(pinned.size(), 0); // nothing is pinned before Pin is pressed

        QTest::mouseClick(pin, Qt::LeftButton);
        QCOMPARE(pinned.size(), 1);
        QCOMPARE(pinned.first().at(0).toString(), issuer);
        const auto keysPinned = pinned.first().at(1).value<QList<keys::Key>>();
        QCOMPARE(thumbprints(keysPinned), thumbprints(served));
        QCOMPARE(keysPinned.at(0).kid, QStringLiteral("ec-1"));
        QCOMPARE(keysPinned.at(1).kid, QStringLiteral("ed-1"));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void refusedAnswer_showsTheErrorAndPinStaysDisabled_data() {
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::newRow("server error") << 500 << QByteArray("{}") << QStringLiteral("ERR_FETCH_HTTP_STATUS");
        // Valid JSON padding: only the size can be the reason for refusal.
        QTest::newRow("oversize key set")
            << 200 << QByteArray("{\"keys\":[],\"pad\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}")
            << QStringLiteral("ERR_FETCH_TOO_LARGE");
    }
    void refusedAnswer_showsTheErrorAndPinStaysDisabled() {
        QFETCH(int, httpStatus);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        const auto owned = dialogServing(Route{httpStatus, body, {}, true, false});
        FetchKeysDialog& dialog = *owned;
        QSignalSpy pinned(&dialog, &FetchKeysDialog::pinRequested);
        auto* pin = child<QPushButton>(dialog, "pinButton");
        auto* retry = child<QPushButton>(dialog, "retryButton");
        auto* status = child<QLabel>(dialog, "fetchStatus");

        dialog.startFetch();
        QVERIFY(!retry->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(retry->isEnabled(), kFetchWaitMs); // the fetch has ended
        QVERIFY2(status->text().startsWith(QStringLiteral("Not fetched (%1)").arg(code)),
                 qPrintable(status->text()));
        QVERIFY(m_server->requests().contains("/jwks"));
        QVERIFY(!pin->isEnabled());
        QVERIFY(!dialog.diff());
        QCOMPARE(child<QTableWidget>(dialog, "keyDiffTable")->rowCount(), 0);
        QTest::mouseClick(pin, Qt::LeftButton); // disabled: no effect
        QCOMPARE(pinned.size(), 0);
    }
};

QTEST_MAIN(TestFetchKeysDialog)
#include "tst_fetchkeysdialog.moc"
