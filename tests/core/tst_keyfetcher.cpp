// SPDX-License-Identifier: Apache-2.0
// KeyFetcher against a local HTTPS server on 127.0.0.1 that this test starts, with a CA and server
// certificate made by the openssl CLI in a temporary directory (tests/support/LoopbackHttpsServer.h).
// Nothing leaves the loopback interface.
#include "Command.h"
#include "LoopbackHttpsServer.h"
#include "keys/KeyFetcher.h"
#include "policy/PolicyIO.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace jwb;
using testing::jwksBytes;
using testing::LoopbackHttpsServer;
using testing::makeLoopbackTls;
using testing::policyPinning;
using testing::Route;

namespace {

// Runs `jwt-policy ARGS` in process; returns the exit code, fills out/err.
int runCli(const QStringList& args, QString* out, QString* err) {
    QString o;
    QString e;
    QTextStream outStream(&o);
    QTextStream errStream(&e);
    QBuffer in;
    in.open(QIODevice::ReadOnly);
    cli::CliIo io{outStream, errStream, in};
    const int code = cli::runCli(QStringList{QStringLiteral("jwt-policy")} + args, io);
    outStream.flush();
    errStream.flush();
    *out = o;
    *err = e;
    return code;
}

} // namespace

class TestKeyFetcher final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::LoopbackTls m_tls;
    std::unique_ptr<LoopbackHttpsServer> m_server;
    const testing::FetchTestKeys m_keys;

    QString issuer() const { return m_server->base(); }

    // A policy pinning the RSA key for the loopback issuer, optionally naming a jwks_uri.
    policy::Policy policyFor(const QString& iss, const QString& jwksUri = {}) const {
        return policyPinning(iss, {m_keys.rsa}, m_dir.path(), jwksUri);
    }

    std::unique_ptr<keys::KeyFetcher> fetcher(int timeoutMs = 5000) const {
        auto f = std::make_unique<keys::KeyFetcher>();
        f->setSslConfiguration(m_tls.client);
        keys::FetchLimits limits;
        limits.timeoutMs = timeoutMs;
        f->setLimits(limits);
        return f;
    }

    void serveMetadata(const QByteArray& jwksPath) { m_server->serveMetadata(jwksPath); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const auto tls = makeLoopbackTls(m_dir.path());
        QVERIFY2(tls, "cannot make the test CA and server certificate with openssl");
        m_tls = *tls;
    }

    void init() {
        m_server = testing::startLoopbackServer(m_tls.server);
        QVERIFY(m_server);
    }
    void cleanup() { m_server.reset(); }

    void metadataDiscovery_findsPublishedKeys() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, jwksBytes({m_keys.rsa, m_keys.ec}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->keys.size(), 2);
        QCOMPARE(result->keys.at(0).thumbprint, m_keys.rsa.thumbprint);
        QCOMPARE(result->keys.at(1).kid, QStringLiteral("ec-1"));
        QCOMPARE(result->metadataUrl.path(), QStringLiteral("/.well-known/openid-configuration"));
        QCOMPARE(result->jwksUrl.path(), QStringLiteral("/jwks"));
    }

    void openIdMetadataMissing_fallsBackToOAuthMetadata() {
        QJsonObject metadata{{QStringLiteral("issuer"), issuer()},
                             {QStringLiteral("jwks_uri"), QString(issuer() + QStringLiteral("oauth-jwks"))}};
        m_server->route("/.well-known/oauth-authorization-server",
                        Route{200, QJsonDocument(metadata).toJson(), {}, true, false});
        m_server->route("/oauth-jwks", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->keys.size(), 1);
        QCOMPARE(m_server->requests(),
                 (QList<QByteArray>{"/.well-known/openid-configuration",
                                    "/.well-known/oauth-authorization-server", "/oauth-jwks"}));
    }

    void metadataNamingAnotherIssuer_isRefused() {
        QJsonObject metadata{{QStringLiteral("issuer"), QString(issuer() + QStringLiteral("other"))},
                             {QStringLiteral("jwks_uri"), QString(issuer() + QStringLiteral("jwks"))}};
        m_server->route("/.well-known/openid-configuration",
                        Route{200, QJsonDocument(metadata).toJson(), {}, true, false});
        m_server->route("/jwks", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_METADATA_ISSUER"));
        QVERIFY(!m_server->requests().contains("/jwks"));
    }

    void policyJwksUri_isFetchedWithoutMetadata() {
        m_server->route("/keys.json", Route{200, jwksBytes({m_keys.ed}), {}, true, false});
        const auto result =
            fetcher()->fetch(policyFor(issuer(), issuer() + QStringLiteral("keys.json")), issuer());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->keys.size(), 1);
        QVERIFY(result->metadataUrl.isEmpty());
        QCOMPARE(m_server->requests(), QList<QByteArray>{"/keys.json"});
    }

    void sameHostRedirect_isFollowed() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{302, {}, "/jwks-v2", true, false});
        m_server->route("/jwks-v2", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->jwksUrl.path(), QStringLiteral("/jwks-v2"));
    }

    void redirectToAnotherHost_isRefused() {
        serveMetadata("/jwks");
        // "localhost" reaches this same server, but it is another host name than the issuer's.
        const QByteArray elsewhere = "https://localhost:" + QByteArray::number(m_server->port()) + "/jwks-v2";
        m_server->route("/jwks", Route{302, {}, elsewhere, true, false});
        m_server->route("/jwks-v2", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_REDIRECT"));
        QVERIFY(!m_server->requests().contains("/jwks-v2"));
    }

    void redirectToPlainHttp_isRefused() {
        serveMetadata("/jwks");
        const QByteArray http = "http://127.0.0.1:" + QByteArray::number(m_server->port()) + "/jwks-v2";
        m_server->route("/jwks", Route{301, {}, http, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_REDIRECT"));
    }

    void metadataJwksUriOnForeignHost_isRefused() {
        QJsonObject metadata{
            {QStringLiteral("issuer"), issuer()},
            {QStringLiteral("jwks_uri"), QStringLiteral("https://localhost:%1/jwks").arg(m_server->port())}};
        m_server->route("/.well-known/openid-configuration",
                        Route{200, QJsonDocument(metadata).toJson(), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_FOREIGN_HOST"));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void oversizeJwks_isRefused_data() {
        QTest::addColumn<bool>("announceLength");
        QTest::newRow("content-length over the limit") << true;
        QTest::newRow("streamed past the limit") << false;
    }
    void oversizeJwks_isRefused() {
        QFETCH(bool, announceLength);
        serveMetadata("/jwks");
        // Valid JSON padding: only the size can be the reason for refusal.
        const QByteArray big = "{\"keys\":[],\"pad\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
        m_server->route("/jwks", Route{200, big, {}, announceLength, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_TOO_LARGE"));
    }

    void slowServer_timesOut() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, {}, {}, true, true});
        QElapsedTimer clock;
        clock.start();
        const auto result = fetcher(500)->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_TIMEOUT"));
        QVERIFY2(clock.elapsed() < 10000, "the fetch must stop at its timeout, not hang");
    }

    void nonHttpsUri_isRefusedWithoutConnection_data() {
        QTest::addColumn<QString>("iss");
        QTest::addColumn<QString>("jwksUri");
        QTest::newRow("http jwks_uri")
            << QStringLiteral("https://127.0.0.1:%1/") << QStringLiteral("http://127.0.0.1:%1/jwks");
        QTest::newRow("http issuer, no jwks_uri") << QStringLiteral("http://127.0.0.1:%1/") << QString();
    }
    void nonHttpsUri_isRefusedWithoutConnection() {
        QFETCH(QString, iss);
        QFETCH(QString, jwksUri);
        const QString port = QString::number(m_server->port());
        const QString issuerUrl = iss.arg(port);
        const auto result = fetcher()->fetch(
            policyFor(issuerUrl, jwksUri.isEmpty() ? QString() : jwksUri.arg(port)), issuerUrl);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_NOT_HTTPS"));
        QTest::qWait(50); // a connection, had one been made, would have arrived by now
        QCOMPARE(m_server->connections(), 0);
    }

    void invalidJson_isRefused() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, "{\"keys\": [", {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_INVALID_JSON"));
    }

    void invalidJwks_isRefused() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, "{\"keys\": [{\"kty\": \"RSA\", \"n\": 5}]}", {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_INVALID_JWKS"));
    }

    void duplicateKid_isRefused() {
        serveMetadata("/jwks");
        keys::Key twin = m_keys.ec;
        twin.kid = m_keys.rsa.kid;
        m_server->route("/jwks", Route{200, jwksBytes({m_keys.rsa, twin}), {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_DUPLICATE_KID"));
        QVERIFY(result.error().location.endsWith(QStringLiteral("keys[1]")));
    }

    void untrustedServerCertificate_isRefused() {
        serveMetadata("/jwks");
        keys::KeyFetcher f; // system CAs only: the test CA is unknown to them
        keys::FetchLimits limits;
        limits.timeoutMs = 5000;
        f.setLimits(limits);
        const auto result = f.fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_TLS"));
        QVERIFY(m_server->requests().isEmpty());
    }

    void caFromPem_isTrusted() {
        m_server->route("/keys.json", Route{200, jwksBytes({m_keys.ed}), {}, true, false});
        keys::KeyFetcher f;
        QFile ca(m_dir.path() + QStringLiteral("/ca.pem"));
        QVERIFY(ca.open(QIODevice::ReadOnly));
        QVERIFY(f.setCaCertificatesPem(ca.readAll()).ok());
        QCOMPARE(f.setCaCertificatesPem("not a certificate").error().code,
                 QStringLiteral("ERR_FETCH_CA_FILE"));
        const auto result = f.fetch(policyFor(issuer(), issuer() + QStringLiteral("keys.json")), issuer());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    }

    void asyncStart_emitsFetchedOnce() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        auto f = fetcher();
        QSignalSpy fetched(f.get(), &keys::KeyFetcher::fetched);
        QSignalSpy failed(f.get(), &keys::KeyFetcher::failed);
        f->start(policyFor(issuer()), issuer());
        QVERIFY(f->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 10000);
        QCOMPARE(failed.size(), 0);
        QVERIFY(!f->isRunning());
        QCOMPARE(fetched.first().first().value<keys::FetchedKeys>().keys.first().kid, QStringLiteral("ec-1"));
    }

    void unknownIssuer_failsAsynchronously() {
        auto f = fetcher();
        QSignalSpy failed(f.get(), &keys::KeyFetcher::failed);
        f->start(policyFor(issuer()), QStringLiteral("https://nobody.invalid/"));
        QCOMPARE(failed.size(), 0); // reported after start() returns
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 2000);
        QCOMPARE(failed.first().first().value<Error>().code, QStringLiteral("ERR_FETCH_UNKNOWN_ISSUER"));
    }

    void redirectLoop_stopsAfterTheLimit() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{307, {}, "/jwks", true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_FETCH_REDIRECT"));
        QCOMPARE(m_server->requests().count("/jwks"), keys::FetchLimits{}.maxRedirects + 1);
    }

    void refusedAnswers_haveTheirOwnCodes_data() {
        QTest::addColumn<QByteArray>("metadata");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("jwks");
        QTest::addColumn<QString>("code");
        const QByteArray meta = "{\"issuer\":\"%ISS%\",\"jwks_uri\":\"%ISS%jwks\"}";
        QTest::newRow("server error")
            << meta << 500 << QByteArray("{}") << QStringLiteral("ERR_FETCH_HTTP_STATUS");
        QTest::newRow("metadata without jwks_uri") << QByteArray("{\"issuer\":\"%ISS%\"}") << 200
                                                   << QByteArray() << QStringLiteral("ERR_FETCH_METADATA");
        QTest::newRow("metadata not an object")
            << QByteArray("[1]") << 200 << QByteArray() << QStringLiteral("ERR_FETCH_INVALID_JSON");
        QTest::newRow("empty key set")
            << meta << 200 << QByteArray("{\"keys\":[]}") << QStringLiteral("ERR_FETCH_EMPTY_JWKS");
        QTest::newRow("symmetric key published")
            << meta << 200
            << QByteArray("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":"
                          "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}")
            << QStringLiteral("ERR_FETCH_SECRET_KEY");
    }
    void refusedAnswers_haveTheirOwnCodes() {
        QFETCH(QByteArray, metadata);
        QFETCH(int, status);
        QFETCH(QByteArray, jwks);
        QFETCH(QString, code);
        metadata.replace("%ISS%", issuer().toUtf8());
        m_server->route("/.well-known/openid-configuration", Route{200, metadata, {}, true, false});
        m_server->route("/.well-known/oauth-authorization-server", Route{200, metadata, {}, true, false});
        m_server->route("/jwks", Route{status, jwks, {}, true, false});
        const auto result = fetcher()->fetch(policyFor(issuer()), issuer());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, code);
    }

    void abort_reportsOnceAndStops() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, {}, {}, true, true});
        auto f = fetcher();
        QSignalSpy failed(f.get(), &keys::KeyFetcher::failed);
        QSignalSpy fetched(f.get(), &keys::KeyFetcher::fetched);
        f->start(policyFor(issuer()), issuer());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requests().contains("/jwks"), 5000);
        f->abort();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().value<Error>().code, QStringLiteral("ERR_FETCH_ABORTED"));
        QVERIFY(!f->isRunning());
        f->abort(); // nothing running: no second report
        QTest::qWait(100);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(fetched.size(), 0);
    }

    void restart_dropsTheEarlierRunsReport() {
        serveMetadata("/jwks");
        m_server->route("/jwks", Route{200, jwksBytes({m_keys.ec}), {}, true, false});
        auto f = fetcher();
        QSignalSpy fetched(f.get(), &keys::KeyFetcher::fetched);
        QSignalSpy failed(f.get(), &keys::KeyFetcher::failed);
        const policy::Policy policy = policyFor(issuer());
        f->start(policy, QStringLiteral("https://nobody.invalid/")); // its failure is queued
        f->start(policy, issuer());
        QTRY_COMPARE_WITH_TIMEOUT(fetched.size(), 1, 10000);
        QCOMPARE(failed.size(), 0);
    }

    void diff_sortsKeysByThumbprint() {
        keys::Key renamed = m_keys.ec;
        renamed.kid = QStringLiteral("ec-renamed"); // same material: unchanged
        const keys::KeySetDiff diff = keys::diffKeySets({m_keys.rsa, m_keys.ec}, {renamed, m_keys.ed});
        QCOMPARE(diff.added.size(), 1);
        QCOMPARE(diff.added.first().thumbprint, m_keys.ed.thumbprint);
        QCOMPARE(diff.removed.size(), 1);
        QCOMPARE(diff.removed.first().kid, QStringLiteral("rsa-1"));
        QCOMPARE(diff.unchanged.size(), 1);
        QCOMPARE(diff.unchanged.first().kid, QStringLiteral("ec-renamed"));
        QVERIFY(diff.changed());
        QVERIFY(!keys::diffKeySets({m_keys.rsa}, {m_keys.rsa}).changed());

        const QJsonObject json = keys::diffToJson(diff);
        QCOMPARE(json.value(QStringLiteral("added"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("curve"))
                     .toString(),
                 QStringLiteral("Ed25519"));
        QCOMPARE(json.value(QStringLiteral("removed"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("size"))
                     .toInt(),
                 2048);
    }

    void pinKeys_replacesThePinnedSet() {
        const policy::Policy before = policyFor(issuer(), issuer() + QStringLiteral("keys.json"));
        const auto pinned = keys::pinKeys(before, issuer(), {m_keys.ec, m_keys.ed});
        QVERIFY2(pinned.ok(), qPrintable(pinned.ok() ? QString() : pinned.error().toString()));
        const policy::Issuer* iss = pinned->findIssuer(issuer());
        QVERIFY(iss);
        QCOMPARE(iss->keys.jwksUri, issuer() + QStringLiteral("keys.json"));
        QCOMPARE(keys::pinnedKeys(*iss).size(), 2);
        QVERIFY(!keys::diffKeySets(keys::pinnedKeys(*iss), {m_keys.ec, m_keys.ed}).changed());
        // What is saved loads back equal.
        const QByteArray saved = policy::serializePolicy(*pinned, policy::Format::Yaml);
        const auto reloaded =
            policy::parsePolicy(saved, policy::Format::Yaml, QStringLiteral("saved.yaml"), m_dir.path());
        QVERIFY2(reloaded.ok(), qPrintable(reloaded.ok() ? QString() : reloaded.error().toString()));
        QVERIFY(*reloaded == *pinned);
        QCOMPARE(keys::pinKeys(before, QStringLiteral("https://nobody/"), {m_keys.ec}).error().code,
                 QStringLiteral("ERR_FETCH_UNKNOWN_ISSUER"));
    }

    void cli_keysFetch_reportsDiffThenPinsWithWrite() {
        m_server->route("/keys.json", Route{200, jwksBytes({m_keys.rsa, m_keys.ec}), {}, true, false});
        const QString policyPath = m_dir.filePath(QStringLiteral("cli-policy.yaml"));
        QVERIFY(
            policy::savePolicyFile(policyFor(issuer(), issuer() + QStringLiteral("keys.json")), policyPath)
                .ok());
        const QStringList base{QStringLiteral("keys"),      QStringLiteral("fetch"),
                               QStringLiteral("--policy"),  policyPath,
                               QStringLiteral("--issuer"),  issuer(),
                               QStringLiteral("--ca-file"), m_dir.filePath(QStringLiteral("ca.pem"))};
        QString out;
        QString err;
        QCOMPARE(runCli(base, &out, &err), 1); // the EC key is new: differs, nothing written
        QVERIFY2(out.contains(QStringLiteral("1 added, 0 removed, 1 unchanged")), qPrintable(out + err));
        QVERIFY(out.contains(QStringLiteral("+ ec-1")));
        QCOMPARE(runCli(base + QStringList{QStringLiteral("--format"), QStringLiteral("json")}, &out, &err),
                 1);
        const QJsonObject json = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("keys")).toArray().size(), 2);
        QCOMPARE(
            json.value(QStringLiteral("diff")).toObject().value(QStringLiteral("added")).toArray().size(), 1);
        QCOMPARE(json.value(QStringLiteral("written")).toBool(), false);
        {
            const auto unchanged = policy::loadPolicyFile(policyPath);
            QVERIFY(unchanged.ok());
            QCOMPARE(keys::pinnedKeys(*unchanged->findIssuer(issuer())).size(), 1);
        }

        QCOMPARE(runCli(base + QStringList{QStringLiteral("--write")}, &out, &err), 0);
        QVERIFY2(out.contains(QStringLiteral("Pinned 2 key(s)")), qPrintable(out + err));
        const auto written = policy::loadPolicyFile(policyPath);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        QVERIFY(!keys::diffKeySets(keys::pinnedKeys(*written->findIssuer(issuer())), {m_keys.rsa, m_keys.ec})
                     .changed());
        QCOMPARE(runCli(base, &out, &err), 0);
        QVERIFY(out.contains(QStringLiteral("up to date")));
    }

    void cli_keysFetch_errorsExit2_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("code");
        QTest::newRow("no sub-verb") << QStringList{} << QStringLiteral("ERR_USAGE_ARGS");
        QTest::newRow("http jwks_uri")
            << QStringList{QStringLiteral("fetch")} << QStringLiteral("ERR_FETCH_NOT_HTTPS");
        QTest::newRow("bad CA file") << QStringList{QStringLiteral("fetch"), QStringLiteral("--ca-file"),
                                                    QStringLiteral(JWB_TEST_DATA "/policies/minimal.json")}
                                     << QStringLiteral("ERR_FETCH_CA_FILE");
    }
    void cli_keysFetch_errorsExit2() {
        QFETCH(QStringList, extra);
        QFETCH(QString, code);
        const QString policyPath = m_dir.filePath(QStringLiteral("cli-http.yaml"));
        QVERIFY(
            policy::savePolicyFile(
                policyFor(issuer(), QStringLiteral("http://127.0.0.1:%1/keys.json").arg(m_server->port())),
                policyPath)
                .ok());
        QString out;
        QString err;
        QStringList args{QStringLiteral("keys")};
        args += extra;
        args += QStringList{QStringLiteral("--policy"), policyPath, QStringLiteral("--issuer"), issuer()};
        QCOMPARE(runCli(args, &out, &err), 2);
        QVERIFY2(err.contains(code), qPrintable(err));
        QCOMPARE(m_server->connections(), 0);
        QVERIFY(out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestKeyFetcher)
#include "tst_keyfetcher.moc"
