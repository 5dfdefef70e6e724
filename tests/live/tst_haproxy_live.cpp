// SPDX-License-Identifier: Apache-2.0
// `jwt-policy export --to haproxy` against the running HAProxy 2.6: a staging policy pins keys made
// at test time, the real CLI exports it, the block is wrapped into a frontend answering 200, and the
// probe sends every test token. Each answer must be the core's verdict, except the deviations listed
// in kDeviations. Each of those is asserted as well: it must happen, and the gap report must mark
// its control not_enforced for that issuer, so a gap row that claims too much fails the test. A
// second test runs the HAProxy manual's pattern (the token's own alg passed to jwt_verify) and shows
// it accepting alg "none" and an HS256 token MACed with the key file's path. That is why the export
// gives jwt_verify a literal algorithm and refuses the header alg before it.
#include "LiveServer.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "export/Export.h"
#include "keys/Key.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"
#include "token/Base64Url.h"
#include "verify/PolicyVerifier.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace jwb;

namespace {

const QString kLoginIss = QStringLiteral("https://login.live.test/");
const QString kPartnerIss = QStringLiteral("https://partner.live.test/");
const QString kPssIss = QStringLiteral("https://pss.live.test/");
const QString kHmacIss = QStringLiteral("https://hmac.live.test/");
// Printable, so it can be handed to HAProxy through its environment.
const QByteArray kHmacSecret = QByteArrayLiteral("live-test-hmac-secret-0123456789abcdef");
const QString kHmacVariable = QStringLiteral("JWB_HS_HMAC_HS_1");

// A deviation the export is known to have: on `issuer`, the tokens `matches` picks get `outcome`
// instead of the core's verdict, and the gap report says so with `control` not_enforced.
struct Deviation {
    QString issuer;
    QString what; // for messages
    std::function<bool(const probe::ProbeResult&)> matches;
    probe::Outcome outcome;
    QString control;
};

const QList<Deviation>& deviations()
{
    static const QList<Deviation> list{
        // HAProxy 2.6 refuses PS* when it parses the configuration, so the export leaves PS256 out:
        // every token the policy accepts from this issuer is rejected at the gateway.
        {kPssIss, QStringLiteral("PS256 tokens the policy accepts"),
         [](const probe::ProbeResult& r) { return r.expectedAccepted; }, probe::Outcome::RejectsAccepted,
         QStringLiteral("algorithm_pin")},
    };
    return list;
}

QString haproxyBinary()
{
    return QStandardPaths::findExecutable(QStringLiteral("haproxy"),
                                          {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin"),
                                           QStringLiteral("/usr/bin")});
}

QByteArray jwksOf(const crypto::SigningKey& key, bool secret)
{
    QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(key.publicKey())).object();
    if (secret)
        jwk.insert(QStringLiteral("k"), QString::fromLatin1(token::encodeBase64Url(key.secret())));
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson(QJsonDocument::Compact);
}

crypto::SigningKey generated(crypto::Algorithm alg, const QString& kid)
{
    auto k = crypto::SigningKey::generate(alg, kid);
    if (!k)
        qFatal("key: %s", qPrintable(k.error().toString()));
    return k.value();
}

// A compact JWS, signed by `key` with `alg`, or unsecured (empty signature) without a key.
QByteArray compact(const QJsonObject& header, const QJsonObject& claims, const crypto::SigningKey* key,
                   crypto::Algorithm alg)
{
    const QByteArray input = token::encodeBase64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
                             + token::encodeBase64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    if (!key)
        return input + '.';
    auto sig = key->sign(alg, input);
    if (!sig)
        qFatal("sign: %s", qPrintable(sig.error().toString()));
    return input + '.' + token::encodeBase64Url(*sig);
}

// One GET with the token as a bearer; the HTTP status, 0 without an answer within 5 s.
int send(const QString& url, const QByteArray& token)
{
    QNetworkAccessManager nam;
    QNetworkRequest req{QUrl(url)};
    req.setRawHeader("Authorization", "Bearer " + token);
    req.setTransferTimeout(5000);
    std::unique_ptr<QNetworkReply> reply(nam.get(req));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(6000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QString describe(const probe::ProbeReport& report)
{
    QString text;
    for (const probe::ProbeResult& r : report.results)
        text += QStringLiteral("  %1 [%2] control=%3 expected=%4 observed=%5 status=%6 %7 %8\n")
                    .arg(r.variant, r.variantClass, r.control,
                         r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected"),
                         probe::observedName(r.observed))
                    .arg(r.httpStatus)
                    .arg(probe::outcomeName(r.result), r.error);
    return text;
}

} // namespace

class TestHaproxyLive final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::LiveServer> m_server;
    std::unique_ptr<testing::LiveServer> m_second;
    QString m_haproxy;

    // The RS256 + ES256 two-issuer policy: audiences, typ required, exp/iat/sub/jti required, max
    // lifetime, a subject allowlist and a narrower skew on the partner.
    static QByteArray twoIssuerPolicy(const crypto::SigningKey& rs, const crypto::SigningKey& es)
    {
        return "jwt_policy: 1\nname: haproxy-live-two-issuers\nowner: tests@example.com\nrevision: 1\n"
               "defaults:\n  algorithms: [RS256]\n  clock_skew_seconds: 30\n  max_lifetime_seconds: 3600\n"
               "  required_claims: [exp, iat, sub, jti]\n  allowed_headers: [alg, typ, kid]\n"
               "  allowed_types: [at+jwt]\n  require_type: true\n  require_kid: true\n"
               "issuers:\n"
               "  - issuer: "
               + kLoginIss.toUtf8()
               + "\n    trust_domain: workforce\n    audiences: [orders-api, billing-api]\n"
                 "    keys:\n      test_jwks: "
               + jwksOf(rs, false)
               + "\n  - issuer: " + kPartnerIss.toUtf8()
               + "\n    trust_domain: partners\n    audiences: [partner-api]\n    subjects: [svc-partner]\n"
                 "    keys:\n      test_jwks: "
               + jwksOf(es, false)
               + "\n    overrides:\n      algorithms: [ES256]\n      clock_skew_seconds: 10\n"
                 "      max_lifetime_seconds: 900\n";
    }

    // An issuer pinned to PS256 (HAProxy 2.6 cannot verify it) and one with an HS256 secret.
    static QByteArray gapPolicy(const crypto::SigningKey& ps, const crypto::SigningKey& hs)
    {
        return "jwt_policy: 1\nname: haproxy-live-gaps\nowner: tests@example.com\nrevision: 1\n"
               "defaults:\n  algorithms: [RS256]\n  clock_skew_seconds: 30\n  max_lifetime_seconds: 3600\n"
               "  required_claims: [exp, iat]\n  allowed_headers: [alg, typ, kid]\n  require_kid: true\n"
               "issuers:\n"
               "  - issuer: "
               + kPssIss.toUtf8()
               + "\n    trust_domain: pss\n    audiences: [pss-api]\n    keys:\n      test_jwks: " + jwksOf(ps, false)
               + "\n    overrides:\n      algorithms: [PS256]\n"
                 "  - issuer: "
               + kHmacIss.toUtf8()
               + "\n    trust_domain: hmac\n    audiences: [batch-api]\n    keys:\n      test_jwks: " + jwksOf(hs, true)
               + "\n    overrides:\n      algorithms: [HS256]\n";
    }

    policy::Policy writePolicy(const QByteArray& yaml, QString* path)
    {
        *path = testing::writeInto(*m_dir, QStringLiteral("policy.yaml"), yaml);
        auto p = policy::loadPolicyFile(*path);
        if (!p)
            qFatal("policy: %s", qPrintable(p.error().toString()));
        return p.value();
    }

    // The real CLI's staging export into the temporary directory; the block's text.
    QByteArray exportWithCli(const QString& policyPath, QString* problem)
    {
        QProcess cli;
        cli.start(QStringLiteral(JWT_POLICY_BIN),
                  {QStringLiteral("export"), QStringLiteral("--policy"), policyPath, QStringLiteral("--to"),
                   QStringLiteral("haproxy"), QStringLiteral("--include-test-keys"), QStringLiteral("-o"),
                   m_dir->filePath(QStringLiteral("jwt.cfg")), QStringLiteral("--haproxy-key-dir"), m_dir->path()});
        if (!cli.waitForFinished(30000) || cli.exitCode() != 0) {
            *problem = QStringLiteral("jwt-policy export failed (%1): %2")
                           .arg(cli.exitCode())
                           .arg(QString::fromUtf8(cli.readAllStandardError()));
            return {};
        }
        return testing::readFile(m_dir->filePath(QStringLiteral("jwt.cfg")));
    }

    // A whole configuration around `block`: a frontend on the server's port answering 200 to what
    // the block lets through. The httplog lines name status and path, never a token.
    static QByteArray fullConfig(quint16 port, const QByteArray& block)
    {
        return "global\n    log stderr format raw local0 info\n"
               "defaults\n    mode http\n    log global\n    option httplog\n"
               "    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n"
               "frontend live\n    bind 127.0.0.1:"
               + QByteArray::number(port) + "\n" + block
               + "    http-request return status 200 content-type text/plain string accepted\n";
    }

    // Checks the configuration, then runs HAProxy in the foreground; false with the reason.
    bool startHaproxy(testing::LiveServer& server, const QString& name, const QByteArray& block,
                      const QProcessEnvironment& env, QString* problem)
    {
        const QString cfg = testing::writeInto(*m_dir, name + QStringLiteral(".cfg"), fullConfig(server.port(), block));
        QProcess check;
        check.setProcessEnvironment(env);
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(m_haproxy, {QStringLiteral("-c"), QStringLiteral("-f"), cfg});
        if (!check.waitForFinished(30000) || check.exitCode() != 0) {
            *problem = QStringLiteral("haproxy -c refused %1:\n%2").arg(cfg, QString::fromUtf8(check.readAll()));
            return false;
        }
        if (!server.start(m_haproxy, {QStringLiteral("-db"), QStringLiteral("-f"), cfg}, env)) {
            *problem = server.error();
            return false;
        }
        return true;
    }

    static QList<exporting::GapEntry> gapsOf(const policy::Policy& policy, const QString& keyDir)
    {
        exporting::ExportProfile profile;
        profile.includeTestKeys = true;
        profile.haproxyKeyDir = keyDir;
        profile.atUnixSeconds = QDateTime::currentSecsSinceEpoch();
        auto r = exporting::exportPolicy(policy, exporting::Target::Haproxy, profile);
        if (!r)
            qFatal("export: %s", qPrintable(r.error().toString()));
        return r->gaps;
    }

    static const exporting::GapEntry* gapRow(const QList<exporting::GapEntry>& gaps, const QString& issuer,
                                             const QString& control)
    {
        for (const auto& g : gaps) {
            if (g.issuer == issuer && g.control == control)
                return &g;
        }
        return nullptr;
    }

    // Probes one issuer and checks every token against the core or the deviation table.
    void probeIssuer(const policy::Policy& policy, const QString& issuer, const crypto::SigningKey& key,
                     const QList<exporting::GapEntry>& gaps, int* deviationsSeen)
    {
        probe::TokenSetOptions o;
        o.issuer = issuer;
        o.signingKey = &key;
        o.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
        auto set = probe::mintProbeTokens(policy, o);
        QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().toString()));
        probe::ProbeTarget t;
        t.url = QUrl(m_server->baseUrl() + QStringLiteral("/api/orders"));
        t.ratePerSecond = 50;
        const probe::ProbeReport report = probe::runProbe(*set, t);
        const QString all = describe(report);
        QVERIFY2(report.inconclusive == 0, qPrintable(QStringLiteral("inconclusive answers from %1:\n%2").arg(issuer, all)));
        QCOMPARE(report.sent, set->tokens.size());
        QVERIFY(report.sent > 30);
        int accepted = 0;
        for (const probe::ProbeResult& r : report.results) {
            accepted += r.observed == probe::Observed::Accepted ? 1 : 0;
            const Deviation* d = nullptr;
            for (const Deviation& candidate : deviations()) {
                if (candidate.issuer == issuer && candidate.matches(r))
                    d = &candidate;
            }
            if (!d) {
                QVERIFY2(r.result == probe::Outcome::Conforms,
                         qPrintable(QStringLiteral("%1 on %2 does not conform and is no known deviation:\n%3")
                                        .arg(r.variant, issuer, all)));
                continue;
            }
            ++*deviationsSeen;
            QVERIFY2(r.result == d->outcome,
                     qPrintable(QStringLiteral("%1 on %2 should be %3 (%4):\n%5")
                                    .arg(r.variant, issuer, probe::outcomeName(d->outcome), d->what, all)));
            // The deviation is the gap report's to declare: a row that claims the control is
            // enforced or emulated is wrong.
            const exporting::GapEntry* row = gapRow(gaps, issuer, d->control);
            QVERIFY(row);
            QVERIFY2(row->status == exporting::GapStatus::NotEnforced,
                     qPrintable(QStringLiteral("%1 deviates on %2 (%3), but the gap row %4 says %5: %6")
                                    .arg(r.variant, issuer, d->what, d->control,
                                         exporting::gapStatusName(row->status), row->detail)));
        }
        qInfo("%s: %d tokens sent, %d accepted by HAProxy, %d conform, %d known deviations so far", qPrintable(issuer),
              int(report.sent), accepted, int(report.conforms), *deviationsSeen);
        // The set holds genuine tokens; for an issuer HAProxy can verify, some got through.
        if (issuer != kPssIss)
            QVERIFY2(accepted > 0, qPrintable(all));
    }

private slots:
    void initTestCase()
    {
        m_haproxy = haproxyBinary();
        if (m_haproxy.isEmpty())
            QFAIL("haproxy is not installed: apt-get install haproxy (2.6, see installer/deps-debian.sh)");
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_server = std::make_unique<testing::LiveServer>(*m_dir, QStringLiteral("haproxy"));
        m_second = std::make_unique<testing::LiveServer>(*m_dir, QStringLiteral("haproxy-second"));
    }

    void cleanup()
    {
        if (QTest::currentTestFailed()) {
            for (auto* s : {m_server.get(), m_second.get()}) {
                if (s)
                    qWarning().noquote() << "HAProxy log (" << s->logPath() << "):\n" << s->log();
            }
            qWarning().noquote() << "exported block:\n" << testing::readFile(m_dir->filePath(QStringLiteral("jwt.cfg")));
        }
        m_server.reset(); // stops it
        m_second.reset();
        m_dir.reset();
    }

    void twoIssuerExport_answersAsTheCore()
    {
        const auto rs = generated(crypto::Algorithm::RS256, QStringLiteral("rs-1"));
        const auto es = generated(crypto::Algorithm::ES256, QStringLiteral("es-1"));
        QString path, problem;
        const policy::Policy policy = writePolicy(twoIssuerPolicy(rs, es), &path);
        const QByteArray block = exportWithCli(path, &problem);
        QVERIFY2(!block.isEmpty(), qPrintable(problem));
        QVERIFY(block.contains("STAGING EXPORT"));
        QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("workforce-1.pem"))));
        QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("partners-1.pem"))));
        QVERIFY2(startHaproxy(*m_server, QStringLiteral("haproxy"), block, QProcessEnvironment::systemEnvironment(), &problem),
                 qPrintable(problem));
        const auto gaps = gapsOf(policy, m_dir->path());
        int seen = 0;
        probeIssuer(policy, kLoginIss, rs, gaps, &seen);
        if (QTest::currentTestFailed())
            return;
        probeIssuer(policy, kPartnerIss, es, gaps, &seen);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(seen, 0); // this policy uses nothing HAProxy cannot do

        // The two tokens the manual's pattern lets through are refused by the export.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), kLoginIss}, {QStringLiteral("aud"), QStringLiteral("orders-api")},
                                 {QStringLiteral("sub"), QStringLiteral("u")}, {QStringLiteral("jti"), QStringLiteral("j")},
                                 {QStringLiteral("iat"), now - 10}, {QStringLiteral("exp"), now + 300}};
        auto byPath = crypto::SigningKey::fromSecret(m_dir->filePath(QStringLiteral("workforce-1.pem")).toUtf8(), {});
        QVERIFY(byPath.ok());
        const QJsonObject hs{{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                             {QStringLiteral("kid"), QStringLiteral("rs-1")}};
        const QJsonObject none{{QStringLiteral("alg"), QStringLiteral("none")}, {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                               {QStringLiteral("kid"), QStringLiteral("rs-1")}};
        QCOMPARE(send(m_server->baseUrl(), compact(hs, claims, &byPath.value(), crypto::Algorithm::HS256)), 401);
        QCOMPARE(send(m_server->baseUrl(), compact(none, claims, nullptr, crypto::Algorithm::HS256)), 401);
        const QJsonObject rsHeader{{QStringLiteral("alg"), QStringLiteral("RS256")}, {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                                   {QStringLiteral("kid"), QStringLiteral("rs-1")}};
        QCOMPARE(send(m_server->baseUrl(), compact(rsHeader, claims, &rs, crypto::Algorithm::RS256)), 200);
    }

    void gapPolicy_deviatesExactlyWhereTheGapRowsSay()
    {
        const auto ps = generated(crypto::Algorithm::PS256, QStringLiteral("ps-1"));
        auto hs = crypto::SigningKey::fromSecret(kHmacSecret, QStringLiteral("hs-1"));
        QVERIFY(hs.ok());
        QString path, problem;
        const policy::Policy policy = writePolicy(gapPolicy(ps, *hs), &path);
        const QByteArray block = exportWithCli(path, &problem);
        QVERIFY2(!block.isEmpty(), qPrintable(problem));
        QVERIFY(!block.contains(kHmacSecret));
        QVERIFY(!block.contains("\"PS256\""));
        QVERIFY(block.contains(QStringLiteral("${%1}").arg(kHmacVariable).toUtf8()));
        // The secret reaches HAProxy only through its environment, as the deploy notes say.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(kHmacVariable, QString::fromLatin1(kHmacSecret));
        QVERIFY2(startHaproxy(*m_server, QStringLiteral("haproxy"), block, env, &problem), qPrintable(problem));
        const auto gaps = gapsOf(policy, m_dir->path());
        int seen = 0;
        probeIssuer(policy, kPssIss, ps, gaps, &seen);
        if (QTest::currentTestFailed())
            return;
        probeIssuer(policy, kHmacIss, *hs, gaps, &seen);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(seen > 0, "the PS256 deviation never showed");
        QCOMPARE(gapRow(gaps, kHmacIss, QStringLiteral("key_pinning"))->status, exporting::GapStatus::NotEnforced);
        QVERIFY(gapRow(gaps, kHmacIss, QStringLiteral("key_pinning"))->detail.contains(kHmacVariable));

        // Without the variable, the HS lines are left out and HS tokens are refused.
        m_server->stop();
        QVERIFY2(startHaproxy(*m_second, QStringLiteral("haproxy-no-secret"), block,
                              QProcessEnvironment::systemEnvironment(), &problem),
                 qPrintable(problem));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), kHmacIss}, {QStringLiteral("aud"), QStringLiteral("batch-api")},
                                 {QStringLiteral("iat"), now - 10}, {QStringLiteral("exp"), now + 300}};
        const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("kid"), QStringLiteral("hs-1")}};
        const QByteArray good = compact(header, claims, &hs.value(), crypto::Algorithm::HS256);
        QVERIFY(verify::PolicyVerifier(policy).verify(good, verify::VerifyOptions{now}).accepted);
        QCOMPARE(send(m_second->baseUrl(), good), 401);
    }

    void weakPattern_acceptsAlgNone_andHs256WithTheKeyPath()
    {
        const auto rs = generated(crypto::Algorithm::RS256, QStringLiteral("rs-1"));
        const auto es = generated(crypto::Algorithm::ES256, QStringLiteral("es-1"));
        QString path, problem;
        const policy::Policy policy = writePolicy(twoIssuerPolicy(rs, es), &path);
        QVERIFY2(!exportWithCli(path, &problem).isEmpty(), qPrintable(problem));
        const QString keyFile = m_dir->filePath(QStringLiteral("workforce-1.pem"));
        // The manual's jwt_verify example without its alg check: the token's alg goes to jwt_verify.
        const QByteArray weak = "    http-request set-var(txn.bearer) http_auth_bearer\n"
                                "    http-request set-var(txn.jwt_alg) var(txn.bearer),jwt_header_query('$.alg')\n"
                                "    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.jwt_alg,\""
                                + keyFile.toUtf8() + "\") -m int 1 }\n";
        QVERIFY2(startHaproxy(*m_server, QStringLiteral("haproxy-weak"), weak, QProcessEnvironment::systemEnvironment(), &problem),
                 qPrintable(problem));

        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), kLoginIss}, {QStringLiteral("aud"), QStringLiteral("orders-api")},
                                 {QStringLiteral("sub"), QStringLiteral("u")}, {QStringLiteral("jti"), QStringLiteral("j")},
                                 {QStringLiteral("iat"), now - 10}, {QStringLiteral("exp"), now + 300}};
        auto header = [](const char* alg) {
            return QJsonObject{{QStringLiteral("alg"), QString::fromLatin1(alg)}, {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                               {QStringLiteral("kid"), QStringLiteral("rs-1")}};
        };
        auto byPath = crypto::SigningKey::fromSecret(keyFile.toUtf8(), {});
        QVERIFY(byPath.ok());
        const QByteArray algNone = compact(header("none"), claims, nullptr, crypto::Algorithm::HS256);
        const QByteArray hsWithPath = compact(header("HS256"), claims, &byPath.value(), crypto::Algorithm::HS256);
        const QByteArray genuine = compact(header("RS256"), claims, &rs, crypto::Algorithm::RS256);

        const verify::PolicyVerifier core(policy);
        QVERIFY(core.verify(genuine, verify::VerifyOptions{now}).accepted);
        QVERIFY(!core.verify(algNone, verify::VerifyOptions{now}).accepted);
        QVERIFY(!core.verify(hsWithPath, verify::VerifyOptions{now}).accepted);

        QCOMPARE(send(m_server->baseUrl(), genuine), 200);
        QCOMPARE(send(m_server->baseUrl(), algNone), 200);    // jwt_verify("none", ...) returns 1
        QCOMPARE(send(m_server->baseUrl(), hsWithPath), 200); // the path string is the HMAC secret

        // The probe finds the same on the weak gateway: the alg-none variant is accepted.
        probe::TokenSetOptions o;
        o.issuer = kLoginIss;
        o.signingKey = &rs;
        o.nowUnixSeconds = now;
        auto set = probe::mintProbeTokens(policy, o);
        QVERIFY(set.ok());
        probe::ProbeTarget t;
        t.url = QUrl(m_server->baseUrl());
        t.ratePerSecond = 50;
        const probe::ProbeReport report = probe::runProbe(*set, t);
        bool noneAccepted = false;
        for (const auto& r : report.results)
            noneAccepted = noneAccepted || (r.variant == u"alg-none-none" && r.result == probe::Outcome::AcceptsRejected);
        QVERIFY2(noneAccepted, qPrintable(describe(report)));
    }
};

QTEST_GUILESS_MAIN(TestHaproxyLive)
#include "tst_haproxy_live.moc"
