// SPDX-License-Identifier: Apache-2.0
// The HAProxy exporter: what the configuration text must and must not hold (a literal algorithm in
// every jwt_verify, the pin and `none` refused before it, no secret), the PEM key files beside it,
// and its gap rows for policies that use and do not use each control. The running gateway is
// tests/live/tst_haproxy_live.cpp.
#include "export/Export.h"
#include "keys/Key.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace jwb;
using exporting::GapStatus;
using exporting::Target;

namespace {

const QString kLogin = QStringLiteral("https://login.example.com/");
const QString kPartner = QStringLiteral("https://auth.partner.example.net/");
const QString kBilling = QStringLiteral("https://billing.internal.example.com/");
const QString kRemote = QStringLiteral("https://auth.remote.example.org/");
const QString kHmacOnly = QStringLiteral("https://hmac.internal.example.com/");

policy::Policy load(const QString& path)
{
    auto p = policy::loadPolicyFile(path);
    if (!p)
        qFatal("cannot load %s: %s", qPrintable(path), qPrintable(p.error().toString()));
    return *p;
}

policy::Policy sample()
{
    return load(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml"));
}

// The sample's billing exception (HS256 until 2027-03-31) is active at this instant.
qint64 exportInstant()
{
    return util::parseInstant(QStringLiteral("2026-12-01T00:00:00Z")).value();
}

// Named variants of the sample policy the gap table refers to.
policy::Policy variant(const QString& name)
{
    if (name == u"edge")
        return load(QStringLiteral(JWB_TEST_DATA "/export/edge.yaml"));
    policy::Policy p = sample();
    if (name == u"ps256-pin") {
        p.issuers[0].overrides.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("PS256")};
    } else if (name == u"hmac-issuer") {
        policy::Issuer h;
        h.issuer = kHmacOnly;
        h.trustDomain = QStringLiteral("hmac");
        h.audiences = QStringList{QStringLiteral("batch-api")};
        h.overrides.algorithms = QStringList{QStringLiteral("HS256")};
        auto secret = keys::hmacKey(QByteArray(32, 's'), QStringLiteral("hs-1"), QStringLiteral("test"));
        if (!secret)
            qFatal("hmac key: %s", qPrintable(secret.error().toString()));
        h.keys.resolved << *secret;
        p.issuers << h;
    } else if (name == u"loose") {
        // No typ rule, no lifetime, no subject list, nothing required: those rows are not_used.
        p.defaults.allowedTypes.reset();
        p.defaults.requireType = false;
        p.defaults.maxLifetimeSeconds.reset();
        p.defaults.requiredClaims = QStringList{};
        p.issuers[2].overrides.maxLifetimeSeconds.reset();
        p.issuers[2].subjects.clear();
    }
    return p;
}

exporting::ExportResult exportOf(const policy::Policy& policy, exporting::ExportProfile profile = {})
{
    profile.atUnixSeconds = profile.atUnixSeconds ? profile.atUnixSeconds : exportInstant();
    auto r = exporting::exportPolicy(policy, Target::Haproxy, profile);
    if (!r)
        qFatal("export failed: %s", qPrintable(r.error().toString()));
    return *r;
}

const exporting::GapEntry* findGap(const QList<exporting::GapEntry>& gaps, const QString& issuer, const QString& control)
{
    for (const auto& g : gaps) {
        if (g.issuer == issuer && g.control == control)
            return &g;
    }
    return nullptr;
}

QStringList lines(const QByteArray& text)
{
    return QString::fromUtf8(text).split(u'\n');
}

} // namespace

class TestExportHaproxy final : public QObject {
    Q_OBJECT

private slots:
    void configText_holdsTheSafeForm_data()
    {
        QTest::addColumn<QString>("fact");
        QTest::addColumn<QString>("needle");
        auto row = [](const char* name, const char* needle) { QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(needle); };
        row("bearer token fetched", "http-request set-var(txn.jwb_tok) http_auth_bearer\n");
        row("decoded parts read as text", "var(txn.jwb_tok),field(1,.),ub64dec");
        row("none in any spelling refused", "deny deny_status 401 if { var(txn.jwb_alg) -i -m str none }");
        row("crit refused", "if { var(txn.jwb_hdr) -m reg '\"crit\"\\s*:' }");
        row("duplicate header members refused", "(?<d>alg|kid|typ|cty|crit|b64|jku|x5u|jwk|x5c)");
        row("duplicate claims refused", "(?<d>iss|sub|aud|exp|nbf|iat|act)");
        row("string exp refused", "'\"exp\"\\s*:\\s*[^-0-9\\s]'");
        row("partner pinned to ES256", "if jwb_iss_partners { var(txn.jwb_alg) -m reg '^(?:ES256)\\z' }");
        row("partner key chosen by kid", "jwt_verify(\"ES256\",\"/etc/haproxy/jwt/partners-1.pem\") if jwb_iss_partners "
                                         "{ var(txn.jwb_alg) -m str ES256 } { var(txn.jwb_kid) -m reg '^(?:partner-es256-1)\\z' }");
        row("login key file", "jwt_verify(\"RS256\",\"/etc/haproxy/jwt/workforce-1.pem\")");
        row("exception gated by date", "acl jwb_ex_billing-internal-example-com_1 date lt 1806537600");
        row("hs secret from environment", ".if defined(JWB_HS_BILLING_INTERNAL_EXAMPLE_COM_BILLING_BATCH_HS256) && "
                                          "strneq(\"$JWB_HS_BILLING_INTERNAL_EXAMPLE_COM_BILLING_BATCH_HS256\",\"\")");
        row("hs line gated by exception", "{ var(txn.jwb_alg) -m str HS256 } jwb_ex_billing-internal-example-com_1 ");
        row("partner skew 10 s", "var(txn.jwb_exp),add(10),sub(txn.jwb_now) if jwb_iss_partners");
        row("login skew 30 s", "var(txn.jwb_exp),add(30),sub(txn.jwb_now) if jwb_iss_workforce");
        row("billing lifetime 900 s", "if jwb_iss_billing-internal-example-com !{ var(txn.jwb_life) -m int le 900 }");
        row("aud array index bound", "acl jwb_aud_workforce var(txn.jwb_aud7) -m reg '^(?:payments-api|ledger-api)\\z'");
        row("subject allowlist", "!{ var(txn.jwb_sub) -m reg '^(?:billing-batch|billing-ui)\\z' }");
        row("unknown issuer refused", "if !{ var(txn.jwb_iss) -m reg '^(?:https://login\\x2eexample\\x2ecom/|");
        row("one signature verdict", "http-request deny deny_status 401 if !{ var(txn.jwb_sig) -m int 1 }");
        row("act refused", "if { var(txn.jwb_pl) -m reg '\"act\"\\s*:' }");
        row("deploy notes", "# Deploy: paste the block below into a `frontend` or `backend` section in `mode http`");
        row("reload on rotation", "reload (systemctl reload haproxy)");
    }

    void configText_holdsTheSafeForm()
    {
        QFETCH(QString, needle);
        const QString text = QString::fromUtf8(exportOf(sample()).text);
        QVERIFY2(text.contains(needle), qPrintable(needle));
    }

    void everyJwtVerify_hasLiteralAlg_afterThePinOfItsIssuer()
    {
        const QStringList ls = lines(exportOf(sample()).text);
        static const QRegularExpression verify(
            QStringLiteral("jwt_verify\\(\"(HS|RS|ES)(256|384|512)\",\"[^\"]+\"\\) if (jwb_iss_[a-z0-9-]+) "
                           "\\{ var\\(txn\\.jwb_alg\\) -m str \\1\\2 \\}"));
        int seen = 0;
        for (int i = 0; i < ls.size(); ++i) {
            if (!ls.at(i).contains(u"jwt_verify"))
                continue;
            ++seen;
            const auto m = verify.match(ls.at(i));
            QVERIFY2(m.hasMatch(), qPrintable(ls.at(i)));
            // The issuer's alg refusal comes before its first jwt_verify.
            const QString pin = QStringLiteral("deny deny_status 401 if %1 !{ var(txn.jwb_alg_ok) -m bool }").arg(m.captured(3));
            bool before = false;
            for (int j = 0; j < i; ++j)
                before = before || ls.at(j).contains(pin);
            QVERIFY2(before, qPrintable(pin));
        }
        QCOMPARE(seen, 4); // login, partner, billing RS256, billing HS256
        QVERIFY(!QString::fromUtf8(exportOf(sample()).text).contains(QStringLiteral("jwt_verify(txn.")));
    }

    void secrets_neverWritten()
    {
        const auto r = exportOf(sample());
        QVERIFY(!r.text.contains("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh"));
        for (const auto& f : r.extraFiles)
            QVERIFY(!f.contains("NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh"));
        const auto h = exportOf(variant(QStringLiteral("hmac-issuer")));
        QVERIFY(!h.text.contains("ssssssssssssssssssssssssssssssss"));
        QVERIFY(h.text.contains("${JWB_HS_HMAC_HS_1}"));
    }

    void keyFiles_arePemPublicKeys_ofThePinnedKeys()
    {
        const auto policy = sample();
        const auto r = exportOf(policy);
        QCOMPARE(r.extraFiles.keys(), (QStringList{QStringLiteral("billing-internal-example-com-1.pem"),
                                                   QStringLiteral("partners-1.pem"), QStringLiteral("workforce-1.pem")}));
        QSet<QString> pinned;
        for (const auto& iss : policy.issuers) {
            for (const auto& k : iss.keys.resolved)
                pinned.insert(k.thumbprint);
        }
        for (auto it = r.extraFiles.cbegin(); it != r.extraFiles.cend(); ++it) {
            QVERIFY(it.value().startsWith("-----BEGIN PUBLIC KEY-----\n"));
            const auto parsed = keys::parsePem(it.value(), it.key());
            QVERIFY2(parsed.ok(), qPrintable(it.key()));
            QVERIFY(pinned.contains(parsed->first().thumbprint));
        }
    }

    void ps256Pin_isLeftOut_andSaidInTheConfig()
    {
        const QString text = QString::fromUtf8(exportOf(variant(QStringLiteral("ps256-pin"))).text);
        QVERIFY(!text.contains(QStringLiteral("\"PS256\"")));
        QVERIFY(text.contains(QStringLiteral("# not verifiable by HAProxy 2.6, so rejected here: PS256")));
        QVERIFY(text.contains(QStringLiteral("if jwb_iss_workforce { var(txn.jwb_alg) -m reg '^(?:RS256)\\z' }")));
    }

    void tokenHeaderAndKeyDir_followTheProfile()
    {
        exporting::ExportProfile profile;
        profile.headerName = QStringLiteral("X-Token");
        profile.headerPrefix = QString();
        profile.haproxyKeyDir = QStringLiteral("/srv/keys/");
        profile.routePrefix = QStringLiteral("/api/");
        const QString text = QString::fromUtf8(exportOf(sample(), profile).text);
        QVERIFY(text.contains(QStringLiteral("set-var(txn.jwb_tok) req.hdr(X-Token)\n")));
        QVERIFY(text.contains(QStringLiteral("\"/srv/keys/workforce-1.pem\"")));
        QVERIFY(text.contains(QStringLiteral("acl jwb_route path_beg /api/")));
        QVERIFY(text.contains(QStringLiteral("deny deny_status 401 if jwb_route jwb_iss_workforce ")));
        profile.headerName = QStringLiteral("X-Token");
        profile.headerPrefix = QStringLiteral("Bearer ");
        QVERIFY(QString::fromUtf8(exportOf(sample(), profile).text).contains(QStringLiteral("http_auth_bearer(X-Token)")));
    }

    void unsafeKeyDir_isAnError()
    {
        exporting::ExportProfile profile;
        profile.atUnixSeconds = exportInstant();
        profile.haproxyKeyDir = QStringLiteral("/etc/haproxy/\"${HOME}\"");
        const auto r = exporting::exportPolicy(sample(), Target::Haproxy, profile);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_EXPORT_HAPROXY_KEY_DIR"));
    }

    void gapRows_coverEveryControl_forEveryIssuer_data()
    {
        QTest::addColumn<QString>("policyName");
        for (const char* n : {"sample", "edge", "ps256-pin", "hmac-issuer", "loose"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }

    void gapRows_coverEveryControl_forEveryIssuer()
    {
        QFETCH(QString, policyName);
        const auto policy = variant(policyName);
        const auto gaps = exportOf(policy).gaps;
        const QStringList controls = exporting::controlIds();
        QCOMPARE(gaps.size(), policy.issuers.size() * controls.size());
        for (const auto& iss : policy.issuers) {
            QStringList seen;
            for (const auto& g : gaps) {
                if (g.issuer != iss.issuer)
                    continue;
                QCOMPARE(g.target, QStringLiteral("haproxy"));
                QVERIFY2(!g.detail.isEmpty(), qPrintable(g.control));
                if (g.status == GapStatus::NotEnforced)
                    QVERIFY2(g.detail.contains(QStringLiteral("must verify locally")), qPrintable(g.control));
                seen << g.control;
            }
            QCOMPARE(seen, controls);
        }
    }

    void gapRows_stateHaproxyFacts_data()
    {
        QTest::addColumn<QString>("policyName");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("control");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("detailPart");
        auto row = [](const char* name, const char* policy, const QString& issuer, const char* control,
                      const char* status, const char* part) {
            QTest::newRow(name) << QString::fromLatin1(policy) << issuer << QString::fromLatin1(control)
                                << QString::fromLatin1(status) << QString::fromUtf8(part);
        };
        row("alg pin by literal and acl", "sample", kLogin, "algorithm_pin", "emulated", "before jwt_verify runs");
        row("exception alg gated by date", "sample", kBilling, "algorithm_pin", "emulated", "HS256 until 2027-04-01T00:00:00Z");
        row("ps256 not verifiable", "ps256-pin", kLogin, "algorithm_pin", "not_enforced", "PS* is refused when the configuration is parsed");
        row("ps256 tokens rejected", "ps256-pin", kLogin, "algorithm_pin", "not_enforced", "tokens signed with them are rejected here");
        row("header allowlist by pcre", "sample", kLogin, "header_allowlist", "emulated", "top-level member names");
        row("duplicate differential stated", "sample", kLogin, "header_allowlist", "emulated", "takes the first of duplicate members");
        row("duplicate claims stated", "sample", kLogin, "required_claims", "emulated", "other duplicated claims pass");
        row("crit refused", "sample", kPartner, "crit", "emulated", "refuses any header carrying crit");
        row("typ emulated", "sample", kLogin, "typ", "emulated", "$.typ");
        row("typ not used", "loose", kLogin, "typ", "not_used", "does not check typ");
        row("issuer exact", "sample", kLogin, "issuer", "emulated", "exact match");
        row("aud index bound", "sample", kLogin, "audience_binding", "emulated", "index 8 or later is rejected");
        row("subject allowlist", "sample", kBilling, "subject", "emulated", "$.sub");
        row("subject not used", "sample", kLogin, "subject", "not_used", "no subject allowlist");
        row("required claims", "sample", kLogin, "required_claims", "emulated", "json_query");
        row("required claims not used", "loose", kLogin, "required_claims", "not_used", "requires no claim");
        row("exp by date arithmetic", "sample", kLogin, "exp_required", "emulated", "now < exp + 30 s");
        row("exp not required", "loose", kLogin, "exp_required", "not_used", "still checked");
        row("nbf by date arithmetic", "sample", kPartner, "nbf", "emulated", "nbf - 10 s <= now");
        row("iat not in future", "sample", kLogin, "iat", "emulated", "not in the future");
        row("lifetime by sub", "sample", kBilling, "max_lifetime", "emulated", "exp - iat");
        row("lifetime not used", "loose", kBilling, "max_lifetime", "not_used", "no maximum lifetime");
        row("skew as policy", "sample", kPartner, "clock_skew", "enforced", "`date`");
        row("pinned keys by pem", "sample", kPartner, "key_pinning", "enforced", "reload HAProxy");
        row("hs secret from environment", "sample", kBilling, "key_pinning", "enforced",
            "JWB_HS_BILLING_INTERNAL_EXAMPLE_COM_BILLING_BATCH_HS256");
        row("hmac-only issuer", "hmac-issuer", kHmacOnly, "key_pinning", "not_enforced", "from the environment variable(s) JWB_HS_HMAC_HS_1");
        row("hmac-only strength", "hmac-issuer", kHmacOnly, "key_strength", "not_enforced", "secret's length");
        row("remote jwks not exportable", "edge", kRemote, "key_pinning", "not_enforced", "HAProxy cannot fetch a JWKS");
        row("remote jwks key_refresh", "edge", kRemote, "key_refresh", "not_enforced", "a reload");
        row("login refresh settings", "sample", kLogin, "key_refresh", "not_enforced", "cannot fetch or cache a JWKS");
        row("pinned only key_refresh", "edge", kLogin, "key_refresh", "not_used", "re-export and a reload");
        row("exception expires by date", "sample", kBilling, "exceptions", "emulated", "`date lt` ACLs");
        row("no exception", "sample", kLogin, "exceptions", "not_used", "no active exception");
    }

    void gapRows_stateHaproxyFacts()
    {
        QFETCH(QString, policyName);
        QFETCH(QString, issuer);
        QFETCH(QString, control);
        QFETCH(QString, status);
        QFETCH(QString, detailPart);
        const auto gaps = exportOf(variant(policyName)).gaps;
        const auto* g = findGap(gaps, issuer, control);
        QVERIFY(g);
        QCOMPARE(exporting::gapStatusName(g->status), status);
        QVERIFY2(g->detail.contains(detailPart), qPrintable(g->detail));
    }

    void exceptionCarryingSkew_isNotEnforced()
    {
        policy::Policy p = sample();
        p.exceptions[0].allow.clockSkewSeconds = 120;
        const auto gaps = exportOf(p).gaps;
        QCOMPARE(findGap(gaps, kBilling, QStringLiteral("exceptions"))->status, GapStatus::NotEnforced);
        QCOMPARE(findGap(gaps, kBilling, QStringLiteral("clock_skew"))->status, GapStatus::NotEnforced);
        QCOMPARE(findGap(gaps, kBilling, QStringLiteral("clock_skew"))->exported, QStringLiteral("120 s"));
    }

    void expiredException_isNotExported()
    {
        const qint64 after = util::parseInstant(QStringLiteral("2027-06-01T00:00:00Z")).value();
        exporting::ExportProfile profile;
        profile.atUnixSeconds = after;
        const auto r = exportOf(sample(), profile);
        QVERIFY(!r.text.contains("HS256"));
        QCOMPARE(findGap(r.gaps, kBilling, QStringLiteral("exceptions"))->status, GapStatus::NotUsed);
    }
};

QTEST_GUILESS_MAIN(TestExportHaproxy)
#include "tst_export_haproxy.moc"
