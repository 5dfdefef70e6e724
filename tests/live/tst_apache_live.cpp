// SPDX-License-Identifier: Apache-2.0
// `jwt-policy export --to apache` proven against the running Apache httpd with mod_auth_openidc.
// A staging policy pins keys generated here (two RS256 issuers, one ES256 issuer), the real CLI
// exports it, the export is wrapped into a complete Apache configuration, and the probe's tokens go
// through it. Every token must be decided as the core decides it, except the deviations listed in
// kDeviations; each of those must happen, and must be explained by the apache gap row it names.
// A second test runs the weak form (the same Require lines without <RequireAll>, which Apache
// OR-s) and shows a token of one issuer passing with another issuer's audience.
#include "ApacheServer.h"
#include "LiveServer.h"
#include "TestFiles.h"
#include "crypto/Signer.h"
#include "export/Export.h"
#include "policy/PolicyIO.h"
#include "probe/Probe.h"
#include "verify/PolicyVerifier.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace jwb;
using probe::Outcome;

namespace {

const QString kLogin = QStringLiteral("https://login.live.test/");
const QString kBilling = QStringLiteral("https://billing.live.test/");
const QString kPartner = QStringLiteral("https://partner.live.test/");
const QString kAnyVariant = QStringLiteral("*");

// A deviation the gap report owns: `variant` of `issuer` ends as `outcome` because `control` is
// not enforced (or, for rejects_accepted, is enforced more strictly than the policy).
// kAnyVariant stands for every token of that issuer the core accepts.
struct Deviation {
    QString issuer;
    QString variant;
    Outcome outcome;
    QString control;
};

const QList<Deviation>& deviations()
{
    static const QList<Deviation> list = [] {
        QList<Deviation> d;
        const auto A = Outcome::AcceptsRejected;
        const auto R = Outcome::RejectsAccepted;
        for (const QString& iss : {kLogin, kBilling}) {
            // Header members are invisible to every Require.
            for (const char* v : {"header-cty", "header-x5t", "header-x5t#S256", "header-x-probe", "jku-tolerated",
                                  "x5u-tolerated", "jwk-tolerated", "x5c-tolerated"})
                d << Deviation{iss, QString::fromLatin1(v), A, QStringLiteral("header_allowlist")};
            d << Deviation{iss, QStringLiteral("crit-unknown"), A, QStringLiteral("crit")};
            d << Deviation{iss, QStringLiteral("typ-missing"), A, QStringLiteral("typ")};
            d << Deviation{iss, QStringLiteral("typ-wrong"), A, QStringLiteral("typ")};
            d << Deviation{iss, QStringLiteral("typ-mismatch"), A, QStringLiteral("typ")};
            // The module's JSON parser keeps the last of duplicate members.
            d << Deviation{iss, QStringLiteral("duplicate-alg"), A, QStringLiteral("algorithm_pin")};
            d << Deviation{iss, QStringLiteral("duplicate-claims"), A, QStringLiteral("exp_required")};
            d << Deviation{iss, QStringLiteral("nbf-outside-skew"), A, QStringLiteral("nbf")};
            d << Deviation{iss, QStringLiteral("not-yet-valid"), A, QStringLiteral("nbf")};
            d << Deviation{iss, QStringLiteral("iat-future-outside-skew"), A, QStringLiteral("iat")};
            d << Deviation{iss, QStringLiteral("lifetime-outside"), A, QStringLiteral("max_lifetime")};
            d << Deviation{iss, QStringLiteral("lifetime-over-limit"), A, QStringLiteral("max_lifetime")};
            // No leeway: a token inside the policy's skew after exp is already rejected.
            d << Deviation{iss, QStringLiteral("skew-inside"), R, QStringLiteral("clock_skew")};
        }
        // Same RSA key, another RSA algorithm: nothing pins the algorithm.
        d << Deviation{kLogin, QStringLiteral("alg-rs384"), A, QStringLiteral("algorithm_pin")};
        d << Deviation{kLogin, QStringLiteral("alg-ps256"), A, QStringLiteral("algorithm_pin")};
        // The key set is one per server: login's key verifies a token claiming billing.
        d << Deviation{kBilling, QStringLiteral("cross-issuer-key"), A, QStringLiteral("key_pinning")};
        // EC keys cannot be loaded from files, so no branch admits the partner: its good tokens fail.
        d << Deviation{kPartner, kAnyVariant, R, QStringLiteral("key_pinning")};
        return d;
    }();
    return list;
}

QByteArray jwksOf(const crypto::SigningKey& key)
{
    const QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(key.publicKey())).object();
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}}).toJson(QJsonDocument::Compact);
}

// Two RS256 issuers and one ES256 issuer, with audiences, a subject allowlist, typ, required
// claims, a maximum lifetime and skews.
QByteArray policyYaml(const crypto::SigningKey& login, const crypto::SigningKey& billing, const crypto::SigningKey& partner)
{
    return "jwt_policy: 1\n"
           "name: apache-live\n"
           "owner: live-tests@example.com\n"
           "revision: 1\n"
           "defaults:\n"
           "  algorithms: [RS256]\n"
           "  clock_skew_seconds: 30\n"
           "  max_lifetime_seconds: 3600\n"
           "  required_claims: [exp, iat, sub]\n"
           "  allowed_headers: [alg, typ, kid]\n"
           "  allowed_types: [at+jwt]\n"
           "  require_type: true\n"
           "  require_kid: true\n"
           "issuers:\n"
           "  - issuer: " + kLogin.toUtf8() + "\n"
           "    trust_domain: workforce\n"
           "    audiences: [orders-api, ledger-api]\n"
           "    keys:\n"
           "      test_jwks: " + jwksOf(login) + "\n"
           "  - issuer: " + kBilling.toUtf8() + "\n"
           "    trust_domain: billing\n"
           "    audiences: [billing-api]\n"
           "    subjects: [billing-batch]\n"
           "    keys:\n"
           "      test_jwks: " + jwksOf(billing) + "\n"
           "  - issuer: " + kPartner.toUtf8() + "\n"
           "    trust_domain: partners\n"
           "    audiences: [partner-api]\n"
           "    keys:\n"
           "      test_jwks: " + jwksOf(partner) + "\n"
           "    overrides:\n"
           "      algorithms: [ES256]\n"
           "      clock_skew_seconds: 10\n";
}

probe::ProbeTarget targetAt(const QString& baseUrl)
{
    probe::ProbeTarget t;
    t.url = QUrl(baseUrl + QStringLiteral("/"));
    t.ratePerSecond = 50;
    t.timeoutSeconds = 5;
    return t;
}

QString describe(const probe::ProbeReport& report)
{
    QString text;
    for (const probe::ProbeResult& r : report.results)
        text += QStringLiteral("  %1 [%2/%3] expected=%4 observed=%5 status=%6 %7 %8\n")
                    .arg(r.variant, r.variantClass, r.control,
                         r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected"),
                         probe::observedName(r.observed))
                    .arg(r.httpStatus)
                    .arg(probe::outcomeName(r.result), r.error);
    return text;
}

const exporting::GapEntry* findGap(const QList<exporting::GapEntry>& gaps, const QString& issuer, const QString& control)
{
    for (const auto& g : gaps) {
        if (g.target == u"apache" && g.issuer == issuer && g.control == control)
            return &g;
    }
    return nullptr;
}

// Whether the gap row explains `outcome`: the gateway ignores the control, or (rejecting what the
// core accepts) enforces it more strictly than the policy.
bool rowExplains(const exporting::GapEntry* row, Outcome outcome)
{
    if (!row)
        return false;
    if (row->status == exporting::GapStatus::NotEnforced)
        return true;
    return outcome == Outcome::RejectsAccepted && row->status == exporting::GapStatus::Enforced
           && row->detail.contains(QStringLiteral("stricter"));
}

} // namespace

class TestApacheLive final : public QObject {
    Q_OBJECT

private:
    std::optional<QTemporaryDir> m_dir;
    std::optional<testing::LiveServer> m_server;
    std::optional<crypto::SigningKey> m_login, m_billing, m_partner;
    policy::Policy m_policy;
    QString m_policyPath;
    QString m_confDir;

    QString errorLog() const { return testing::apacheErrorLog(m_dir->path()); }

    // Starts Apache on `include` (a snippet in the test directory).
    bool startApache(const QString& include, QString* why)
    {
        return testing::startApache(*m_server, m_dir->path(), include, why);
    }

    // A token of `iss` signed by `key` with `alg`, otherwise valid, with the core's verdict on it.
    probe::ProbeToken handMade(const QString& variant, const QString& cls, const QString& control, const QString& iss,
                               const QString& aud, const QString& sub, const crypto::SigningKey& key,
                               crypto::Algorithm alg = crypto::Algorithm::RS256) const
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject header{{QStringLiteral("alg"), crypto::algorithmName(alg)},
                                 {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                                 {QStringLiteral("kid"), key.publicKey().kid}};
        const QJsonObject claims{{QStringLiteral("iss"), iss},     {QStringLiteral("aud"), aud},
                                 {QStringLiteral("sub"), sub},     {QStringLiteral("iat"), now - 60},
                                 {QStringLiteral("exp"), now + 600}};
        probe::ProbeToken t;
        t.variant = variant;
        t.variantClass = cls;
        t.control = control;
        t.issuer = iss;
        t.audience = aud;
        t.token = crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact),
                                      QJsonDocument(claims).toJson(QJsonDocument::Compact), &key, alg);
        verify::VerifyOptions o;
        o.atUnixSeconds = now;
        t.trace = verify::PolicyVerifier(m_policy).verify(t.token, o);
        t.fingerprint = t.trace.fingerprint();
        t.expectedAccepted = t.trace.accepted;
        if (const verify::TraceStep* failed = t.trace.firstFailure())
            t.expectedStep = verify::stepIdName(failed->id);
        t.stableFrom = now - 300;
        t.stableUntil = now + 300;
        return t;
    }

private slots:
    void initTestCase()
    {
        if (const QString missing = testing::apacheMissing(); !missing.isEmpty())
            QFAIL(qPrintable(missing));
        auto login = crypto::SigningKey::generate(crypto::Algorithm::RS256, QStringLiteral("live-login-1"));
        auto billing = crypto::SigningKey::generate(crypto::Algorithm::RS256, QStringLiteral("live-billing-1"));
        auto partner = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("live-partner-1"));
        QVERIFY(login && billing && partner);
        m_login = *login;
        m_billing = *billing;
        m_partner = *partner;
    }

    void init()
    {
        m_dir.emplace(QDir::tempPath() + QStringLiteral("/jwb-apache-XXXXXX"));
        QVERIFY(m_dir->isValid());
        // The children run as nobody when started by root: they must read the document root.
        QVERIFY(testing::prepareApacheRoot(m_dir->path()));
        m_confDir = m_dir->filePath(QStringLiteral("conf"));
        QVERIFY(QDir().mkpath(m_confDir));
        m_policyPath = testing::writeInto(*m_dir, QStringLiteral("policy.yaml"), policyYaml(*m_login, *m_billing, *m_partner));
        auto loaded = policy::loadPolicyFile(m_policyPath);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        m_policy = *loaded;
        m_server.emplace(*m_dir, QStringLiteral("apache"));
    }

    void cleanup()
    {
        if (QTest::currentTestFailed() && m_dir)
            qWarning().noquote() << "Apache error log:\n" << errorLog() << "\nApache output:\n"
                                 << QString::fromUtf8(m_server ? m_server->log() : QByteArray());
        m_server.reset(); // stops Apache
        m_dir.reset();
    }

    void exportedConfig_decidesEveryTokenAsTheCoreDoes_exceptItsGapRows()
    {
        // The real CLI writes the configuration and the key files.
        QString exportProblem;
        QVERIFY2(testing::exportApache(m_policyPath, m_confDir, &exportProblem), qPrintable(exportProblem));
        QVERIFY(QFileInfo::exists(m_confDir + QStringLiteral("/workforce-1.pem")));
        QVERIFY(QFileInfo::exists(m_confDir + QStringLiteral("/billing-1.pem")));

        // The gap rows of the same export, from the core the CLI runs.
        exporting::ExportProfile profile;
        profile.includeTestKeys = true;
        profile.apacheKeyDir = m_confDir;
        profile.atUnixSeconds = QDateTime::currentSecsSinceEpoch();
        const auto exported = exporting::exportPolicy(m_policy, exporting::Target::Apache, profile);
        QVERIFY(exported.ok());
        QCOMPARE(testing::readFile(m_confDir + QStringLiteral("/jwt.conf")), exported->text);
        const QList<exporting::GapEntry>& gaps = exported->gaps;

        QString why;
        QVERIFY2(startApache(m_confDir + QStringLiteral("/jwt.conf"), &why), qPrintable(why));

        QStringList failures;
        QList<const Deviation*> seen;
        QString transcript;
        for (const auto& [iss, key] : {std::pair{kLogin, &*m_login}, std::pair{kBilling, &*m_billing},
                                       std::pair{kPartner, &*m_partner}}) {
            probe::TokenSetOptions o;
            o.issuer = iss;
            o.signingKey = key;
            o.nowUnixSeconds = QDateTime::currentSecsSinceEpoch();
            o.marginSeconds = 5;
            auto minted = probe::mintProbeTokens(m_policy, o);
            QVERIFY2(minted.ok(), minted.ok() ? "" : qPrintable(minted.error().toString()));
            probe::TokenSet set = *minted;
            if (iss == kLogin)
                // Login's token with billing's audience: bound per issuer, it must be refused.
                set.tokens << handMade(QStringLiteral("cross-issuer-audience"), QStringLiteral("audience"),
                                        QStringLiteral("audience_binding"), kLogin, QStringLiteral("billing-api"),
                                        QStringLiteral("alice"), *m_login);
            if (iss == kLogin) {
                // The pinned key with RSA algorithms the policy does not pin.
                set.tokens << handMade(QStringLiteral("alg-rs384"), QStringLiteral("alg_confusion"),
                                       QStringLiteral("algorithm_pin"), kLogin, QStringLiteral("orders-api"),
                                       QStringLiteral("alice"), *m_login, crypto::Algorithm::RS384);
                set.tokens << handMade(QStringLiteral("alg-ps256"), QStringLiteral("alg_confusion"),
                                       QStringLiteral("algorithm_pin"), kLogin, QStringLiteral("orders-api"),
                                       QStringLiteral("alice"), *m_login, crypto::Algorithm::PS256);
            }
            if (iss == kBilling)
                // A token claiming billing, signed with login's key.
                set.tokens << handMade(QStringLiteral("cross-issuer-key"), QStringLiteral("signature"),
                                        QStringLiteral("key_pinning"), kBilling, QStringLiteral("billing-api"),
                                        QStringLiteral("billing-batch"), *m_login);
            const probe::ProbeReport report = probe::runProbe(set, targetAt(m_server->baseUrl()));
            transcript += iss + u'\n' + describe(report);
            QVERIFY(report.results.size() > 20);
            for (const probe::ProbeResult& r : report.results) {
                if (r.result == Outcome::Inconclusive) {
                    // Only tokens the probe itself kept back near a time edge may be unsent.
                    if (!r.error.startsWith(QStringLiteral("not sent: the core's verdict changes")))
                        failures << QStringLiteral("%1 %2: inconclusive (%3)").arg(iss, r.variant, r.error);
                    continue;
                }
                const Deviation* dev = nullptr;
                for (const Deviation& d : deviations()) {
                    if (d.issuer == iss
                        && (d.variant == r.variant || (d.variant == kAnyVariant && r.expectedAccepted)))
                        dev = &d;
                }
                if (!dev) {
                    if (r.result != Outcome::Conforms)
                        failures << QStringLiteral("%1 %2: %3, which no gap row of apache owns")
                                        .arg(iss, r.variant, probe::outcomeName(r.result));
                    continue;
                }
                seen << dev;
                if (r.result != dev->outcome)
                    failures << QStringLiteral("%1 %2: expected deviation %3, got %4")
                                    .arg(iss, r.variant, probe::outcomeName(dev->outcome), probe::outcomeName(r.result));
                const exporting::GapEntry* row = findGap(gaps, iss, dev->control);
                if (!rowExplains(row, dev->outcome))
                    failures << QStringLiteral("%1 %2: %3, but the apache %4 row is %5 (%6)")
                                    .arg(iss, r.variant, probe::outcomeName(r.result), dev->control,
                                         row ? exporting::gapStatusName(row->status) : QStringLiteral("missing"),
                                         row ? row->detail : QString());
            }
        }
        // Every listed deviation happened: the table is not allowed to go stale.
        for (const Deviation& d : deviations()) {
            if (!seen.contains(&d))
                failures << QStringLiteral("%1 %2: listed as a deviation but no such token deviated or was sent")
                                .arg(d.issuer, d.variant);
        }
        if (!failures.isEmpty())
            QFAIL(qPrintable(failures.join(u'\n') + QStringLiteral("\n\nAll results:\n") + transcript));
    }

    void oredRequireLines_letOneIssuersTokenPassWithAnothersAudience()
    {
        // The same keys and tests as the export, written the naive way: one Require per line, which
        // Apache OR-s because a <Location> without a container is an implicit <RequireAny>.
        exporting::ExportProfile profile;
        profile.includeTestKeys = true;
        profile.apacheKeyDir = m_confDir;
        profile.atUnixSeconds = QDateTime::currentSecsSinceEpoch();
        const auto exported = exporting::exportPolicy(m_policy, exporting::Target::Apache, profile);
        QVERIFY(exported.ok());
        for (auto it = exported->extraFiles.cbegin(); it != exported->extraFiles.cend(); ++it)
            QVERIFY(testing::writeFile(m_confDir + u'/' + it.key(), it.value()));
        const QString text = QString::fromUtf8(exported->text);
        QString weak;
        for (const QString& line : text.split(u'\n')) {
            const QString l = line.trimmed();
            if (l.startsWith(QStringLiteral("OIDCOAuth")) || l.startsWith(QStringLiteral("OIDCClaimPrefix")))
                weak += l + u'\n';
        }
        weak += QStringLiteral("<Location \"/\">\n    AuthType oauth20\n");
        for (const QString& line : text.split(u'\n')) {
            const QString l = line.trimmed();
            if (l.startsWith(QStringLiteral("Require claim \"iss~")) || l.startsWith(QStringLiteral("Require claim \"aud~")))
                weak += QStringLiteral("    ") + l + u'\n';
        }
        weak += QStringLiteral("</Location>\n");
        QVERIFY(!weak.contains(QStringLiteral("RequireAll")));
        const QString include = testing::writeInto(*m_dir, QStringLiteral("weak.conf"), weak.toUtf8());
        QString why;
        QVERIFY2(startApache(include, &why), qPrintable(why));

        probe::TokenSet set;
        set.issuer = kLogin;
        set.marginSeconds = 5;
        set.tokens << handMade(QStringLiteral("cross-issuer-audience"), QStringLiteral("audience"),
                               QStringLiteral("audience_binding"), kLogin, QStringLiteral("billing-api"),
                               QStringLiteral("alice"), *m_login);
        set.tokens << handMade(QStringLiteral("own-audience"), QStringLiteral("valid"), QString(), kLogin,
                               QStringLiteral("orders-api"), QStringLiteral("alice"), *m_login);
        QVERIFY(!set.tokens.at(0).expectedAccepted);
        QVERIFY(set.tokens.at(1).expectedAccepted);
        const probe::ProbeReport report = probe::runProbe(set, targetAt(m_server->baseUrl()));
        QVERIFY2(report.results.size() == 2, qPrintable(describe(report)));
        // The core refuses login's token for billing's API; the OR-ed lines let it through.
        QVERIFY2(report.results.at(0).result == Outcome::AcceptsRejected, qPrintable(describe(report)));
        QVERIFY2(report.results.at(1).result == Outcome::Conforms, qPrintable(describe(report)));
    }
};

QTEST_GUILESS_MAIN(TestApacheLive)
#include "tst_apache_live.moc"
