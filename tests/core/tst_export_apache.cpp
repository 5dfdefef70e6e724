// SPDX-License-Identifier: Apache-2.0
// The Apache (mod_auth_openidc) exporter: the configuration's structure (every condition inside one
// <RequireAll>, one branch per issuer), the exact-bytes claim regexes, the key files, and the gap
// rows the module's measured behaviour decides. The live proof is tests/live/tst_apache_live.cpp.
#include "PolicyFixtures.h"
#include "TestKeys.h"
#include "export/Export.h"
#include "keys/PemExport.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QRegularExpression>
#include <QTest>

using namespace jwb;
using exporting::GapStatus;
using exporting::Target;

namespace {

const QString kLogin = QStringLiteral("https://login.example.com/");
const QString kPartner = QStringLiteral("https://auth.partner.example.net/");
const QString kBilling = QStringLiteral("https://billing.internal.example.com/");

policy::Policy sample()
{
    auto p = policy::loadPolicyFile(QStringLiteral(JWB_SOURCE_DIR "/resources/policies/sample.yaml"));
    if (!p)
        qFatal("cannot load the sample policy: %s", qPrintable(p.error().toString()));
    return *p;
}

exporting::ExportProfile profile()
{
    exporting::ExportProfile p;
    p.atUnixSeconds = util::parseInstant(QStringLiteral("2026-12-01T00:00:00Z")).value();
    return p;
}

exporting::ExportResult exportOrFail(const policy::Policy& policy, const exporting::ExportProfile& prof = profile())
{
    auto r = exporting::exportPolicy(policy, Target::Apache, prof);
    if (!r)
        qFatal("apache export failed: %s", qPrintable(r.error().toString()));
    return *r;
}

// One RS256 issuer pinned to the RSA test key, with the given audiences.
policy::Policy rsaPolicy(const QString& iss, const QStringList& audiences)
{
    policy::Policy p;
    p.name = QStringLiteral("apache-test");
    p.revision = 1;
    testing::setStrictDefaults(p.defaults, {QStringLiteral("RS256")});
    policy::Issuer issuer;
    issuer.issuer = iss;
    issuer.trustDomain = QStringLiteral("one");
    issuer.audiences = audiences;
    issuer.keys.resolved << testing::keyFromFile("rsa2048-public.pem", QStringLiteral("rsa-1"));
    p.issuers << issuer;
    return p;
}

const exporting::GapEntry* findGap(const QList<exporting::GapEntry>& gaps, const QString& issuer, const QString& control)
{
    for (const auto& g : gaps) {
        if (g.issuer == issuer && g.control == control)
            return &g;
    }
    return nullptr;
}

// The PCRE a `Require claim "NAME~^(?:...)\\z"` line hands the module, with each \xHH turned back
// into its byte: what the regex matches exactly.
QStringList claimAlternatives(const QString& text, const QString& claim)
{
    const QRegularExpression line(QStringLiteral("Require claim \"%1~\\^\\(\\?:(.*)\\)\\\\\\\\z\"").arg(claim));
    QStringList out;
    for (auto it = line.globalMatch(text); it.hasNext();) {
        const QString body = it.next().captured(1);
        for (const QString& alt : body.split(u'|')) {
            QByteArray bytes;
            for (qsizetype i = 0; i < alt.size();) {
                if (alt.mid(i, 3) == u"\\\\x") {
                    bytes += static_cast<char>(alt.mid(i + 3, 2).toInt(nullptr, 16));
                    i += 5;
                } else {
                    bytes += alt.at(i).toLatin1();
                    ++i;
                }
            }
            out << QString::fromUtf8(bytes);
        }
    }
    return out;
}

// Each `Require` line with the innermost authorization container around it ("" at <Location>).
QList<QPair<QString, QString>> requireLinesWithContainer(const QString& text)
{
    QList<QPair<QString, QString>> out;
    QStringList stack;
    for (const QString& raw : text.split(u'\n')) {
        const QString l = raw.trimmed();
        if (l.startsWith(u'#'))
            continue;
        if (l == u"<RequireAll>" || l == u"<RequireAny>")
            stack << l;
        else if (l == u"</RequireAll>" || l == u"</RequireAny>")
            stack.removeLast();
        else if (l.startsWith(QStringLiteral("Require ")))
            out << qMakePair(l, stack.isEmpty() ? QString() : stack.constLast());
    }
    return out;
}

} // namespace

class TestExportApache final : public QObject {
    Q_OBJECT

private slots:
    void sampleConfig_statesTheModuleDirectives_data()
    {
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<bool>("present");
        auto row = [](const char* name, const char* fragment, bool present) {
            QTest::newRow(name) << QString::fromUtf8(fragment) << present;
        };
        row("resource-server auth type", "    AuthType oauth20\n", true);
        row("claims in the environment", "OIDCPassClaimsAs environment\n", true);
        row("user from iss", "OIDCOAuthRemoteUserClaim iss\n", true);
        row("rsa key files with kid", "OIDCOAuthVerifyCertFiles \"login-2026-11#/etc/apache2/jwt/workforce-1.pem\" "
                                      "\"billing-2026-rs256#/etc/apache2/jwt/billing-internal-example-com-1.pem\"\n", true);
        row("EC key of the partner is not a file", "partner-es256-1#", false);
        row("partner's https jwks_uri", "OIDCOAuthVerifyJwksUri \"https://auth.partner.example.net/.well-known/jwks.json\"\n", true);
        row("only one jwks uri", "login.example.com/.well-known", false);
        row("EC key named as not exported", "# not exported for https://auth.partner.example.net/: kid 'partner-es256-1'", true);
        row("secret placeholder", "#   OIDCOAuthVerifySharedKeys \"plain#billing-batch-hs256#<the secret>\"\n", true);
        row("secret never written", "NfpNdvbLBJ3zeu3H1QUWmqUrB5scGzPcBh", false);
        row("no live shared key line", "\nOIDCOAuthVerifySharedKeys", false);
        row("route", "<Location \"/\">\n", true);
        row("required claims from the environment",
            "Require expr \"-n %{REMOTE_USER} && -n reqenv('OIDC_CLAIM_exp') && -n reqenv('OIDC_CLAIM_iat') && "
            "-n reqenv('OIDC_CLAIM_sub')\"\n", true);
        row("string exp refused", "Require not claim \"exp~^\" \"nbf~^\" \"iat~^\"\n", true);
        row("boolean exp refused", "Require not claim exp:true exp:false\n", true);
        row("numeric exp", "(-z reqenv('OIDC_CLAIM_exp') || reqenv('OIDC_CLAIM_exp') =~ /^-?[0-9]+(\\.[0-9]+)?\\z/)", true);
        row("billing subjects", "Require claim \"sub~^(?:billing\\\\x2dbatch|billing\\\\x2dui)\\\\z\"\n", true);
    }

    void sampleConfig_statesTheModuleDirectives()
    {
        QFETCH(QString, fragment);
        QFETCH(bool, present);
        const QString text = QString::fromUtf8(exportOrFail(sample()).text);
        QVERIFY2(text.contains(fragment) == present, qPrintable(fragment));
    }

    void everyRequire_isInsideRequireAll_neverOred()
    {
        const QString text = QString::fromUtf8(exportOrFail(sample()).text);
        const auto lines = requireLinesWithContainer(text);
        QVERIFY(lines.size() > 10);
        for (const auto& [line, container] : lines) {
            // A <RequireAny> holds only branches or a claim test and its "absent" alternative.
            QVERIFY2(!container.isEmpty(), qPrintable(line));
            if (container == u"<RequireAny>")
                QVERIFY2(line.startsWith(QStringLiteral("Require claim \"sub~^\""))
                             || line.startsWith(QStringLiteral("Require claim \"jti~^\""))
                             || line.contains(QStringLiteral("&& -z reqenv(")),
                         qPrintable(line));
        }
        // One top-level <RequireAll> under the <Location>.
        QCOMPARE(text.count(QStringLiteral("\n    <RequireAll>\n")), 1);
    }

    void branches_bindEachIssuerToItsOwnAudiences()
    {
        const QString text = QString::fromUtf8(exportOrFail(sample()).text);
        QCOMPARE(claimAlternatives(text, QStringLiteral("iss")), (QStringList{kLogin, kPartner, kBilling}));
        QCOMPARE(claimAlternatives(text, QStringLiteral("aud")),
                 (QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api"), QStringLiteral("partner-api"),
                              QStringLiteral("ledger-api"), QStringLiteral("billing-api")}));
        // Each aud test sits in the same branch as its iss test.
        const QStringList branches = text.split(QStringLiteral("            <RequireAll>\n"));
        QCOMPARE(branches.size(), 4);
        QVERIFY(branches.at(1).contains(QStringLiteral("payments\\\\x2dapi")));
        QVERIFY(!branches.at(1).contains(QStringLiteral("partner\\\\x2dapi")));
        QVERIFY(branches.at(2).contains(QStringLiteral("partner\\\\x2dapi")));
    }

    void claimRegex_matchesTheExactBytes_data()
    {
        QTest::addColumn<QString>("issuer");
        QTest::newRow("url") << QStringLiteral("https://login.example.com/");
        QTest::newRow("ap_expr variable") << QStringLiteral("https://x/%{HTTP_HOST}");
        QTest::newRow("regex backreference") << QStringLiteral("a$1b");
        QTest::newRow("quote and space") << QStringLiteral("a \"b\" c");
        QTest::newRow("backslash") << QStringLiteral("a\\b");
        QTest::newRow("regex metacharacters") << QStringLiteral("a.*(b|c)+[d]?");
        QTest::newRow("non-ascii") << QStringLiteral("https://exämple.org/");
    }

    void claimRegex_matchesTheExactBytes()
    {
        QFETCH(QString, issuer);
        const QString text = QString::fromUtf8(exportOrFail(rsaPolicy(issuer, {issuer})).text);
        QCOMPARE(claimAlternatives(text, QStringLiteral("iss")), QStringList{issuer});
        QCOMPARE(claimAlternatives(text, QStringLiteral("aud")), QStringList{issuer});
        // Nothing but letters, digits and \\xHH between the anchors: no quote, %, $ or space.
        const QRegularExpression safe(QStringLiteral("Require claim \"iss~\\^\\(\\?:([A-Za-z0-9]|\\\\\\\\x[0-9a-f]{2})*\\)"));
        QVERIFY2(safe.match(text).hasMatch(), qPrintable(text));
    }

    void keyFiles_arePemOfThePinnedRsaKeys_underTheKeyDir()
    {
        exporting::ExportProfile prof = profile();
        prof.apacheKeyDir = QStringLiteral("/srv/keys dir");
        const auto result = exportOrFail(sample(), prof);
        QCOMPARE(result.extraFiles.keys(), (QStringList{QStringLiteral("billing-internal-example-com-1.pem"), QStringLiteral("workforce-1.pem")}));
        const auto policy = sample();
        for (const auto& [file, iss] : {std::pair{QStringLiteral("workforce-1.pem"), kLogin},
                                        std::pair{QStringLiteral("billing-internal-example-com-1.pem"), kBilling}}) {
            const auto pem = keys::parsePem(result.extraFiles.value(file), file);
            QVERIFY2(pem.ok(), qPrintable(file));
            QCOMPARE(pem->first().thumbprint, policy.findIssuer(iss)->keys.resolved.first().thumbprint);
            QVERIFY(result.text.contains(QString(QStringLiteral("#/srv/keys dir/") + file + u'"').toUtf8()));
        }
    }

    void gapRows_coverEveryControlForEveryIssuer()
    {
        const auto policy = sample();
        const auto gaps = exportOrFail(policy).gaps;
        QCOMPARE(gaps.size(), policy.issuers.size() * exporting::controlIds().size());
        for (const auto& iss : policy.issuers) {
            QStringList seen;
            for (const auto& g : gaps) {
                if (g.issuer != iss.issuer)
                    continue;
                QCOMPARE(g.target, QStringLiteral("apache"));
                QVERIFY(!g.detail.isEmpty());
                if (g.status == GapStatus::NotEnforced)
                    QVERIFY(g.detail.contains(QStringLiteral("must verify locally")));
                seen << g.control;
            }
            QCOMPARE(seen, exporting::controlIds());
        }
    }

    void gapRows_stateTheModulesFacts_data()
    {
        QTest::addColumn<QString>("policyKind");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("control");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detailHas");
        const int E = int(GapStatus::Enforced), M = int(GapStatus::Emulated), N = int(GapStatus::NotEnforced),
                  U = int(GapStatus::NotUsed);
        auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };
        row("no algorithm pin") << "sample" << kLogin << "algorithm_pin" << N << "PS256";
        row("headers invisible") << "sample" << kLogin << "header_allowlist" << N << "header members";
        row("crit ignored") << "sample" << kLogin << "crit" << N << "ignores crit";
        row("typ is a header member") << "sample" << kLogin << "typ" << N << "header member";
        row("issuer branch") << "sample" << kLogin << "issuer" << M << "Require claim iss~";
        row("audience bound in branch") << "sample" << kPartner << "audience_binding" << M << "branch";
        row("subjects in branch") << "sample" << kBilling << "subject" << M << "sub~";
        row("no subject list") << "sample" << kLogin << "subject" << U << "";
        row("required claims from env") << "sample" << kLogin << "required_claims" << M << "letter case";
        row("exp required emulated, duplicates not") << "sample" << kLogin << "exp_required" << N << "duplicate exp";
        row("nbf ignored") << "sample" << kLogin << "nbf" << N << "ignores nbf";
        row("iat ignored") << "sample" << kLogin << "iat" << N << "iat";
        row("no lifetime arithmetic") << "sample" << kLogin << "max_lifetime" << N << "arithmetic";
        row("no leeway is stricter") << "sample" << kLogin << "clock_skew" << E << "stricter";
        row("shared key set") << "sample" << kLogin << "key_pinning" << N << "one key set per server";
        row("partner via remote jwks") << "sample" << kPartner << "key_pinning" << N << "OIDCOAuthVerifyJwksUri";
        row("EC pinned key named") << "sample" << kPartner << "key_pinning" << N << "RSA keys only";
        row("remote keys unchecked") << "sample" << kLogin << "key_strength" << N << "minimum key sizes";
        row("secret withheld") << "sample" << kBilling << "key_pinning" << N << "HMAC secret";
        row("exceptions cannot expire") << "sample" << kBilling << "exceptions" << N << "re-export";
        row("remote refresh") << "sample" << kPartner << "key_refresh" << E << "";
        row("one issuer: pinned") << "single" << kLogin << "key_pinning" << E << "kid#path";
        row("one issuer: strength") << "single" << kLogin << "key_strength" << E << "2048";
        row("one issuer: no remote, no refresh") << "single" << kLogin << "key_refresh" << U << "";
        row("one issuer: only RSA algorithms") << "single" << kLogin << "algorithm_pin" << N << "RS384";
        row("zero skew is 1 s wider") << "zero-skew" << kLogin << "clock_skew" << N << "1 s";
        row("exp not required") << "no-exp" << kLogin << "exp_required" << U << "null exp";
        row("EC only: rejected") << "ec-only" << kPartner << "key_pinning" << N << "valid ones too";
        row("EC only: rest vacuous") << "ec-only" << kPartner << "audience_binding" << E << "every token";
        row("http jwks_uri refused") << "http-jwks" << kLogin << "key_pinning" << N << "https URL only";
    }

    void gapRows_stateTheModulesFacts()
    {
        QFETCH(QString, policyKind);
        QFETCH(QString, issuer);
        QFETCH(QString, control);
        QFETCH(int, status);
        QFETCH(QString, detailHas);
        policy::Policy p;
        if (policyKind == u"sample") {
            p = sample();
        } else {
            p = rsaPolicy(kLogin, {QStringLiteral("payments-api")});
            if (policyKind == u"zero-skew")
                p.defaults.clockSkewSeconds = 0;
            if (policyKind == u"no-exp")
                p.defaults.requiredClaims = QStringList{QStringLiteral("iat")};
            if (policyKind == u"ec-only")
                p.issuers = {testing::partnerIssuer(QStringLiteral("partners"))};
            if (policyKind == u"http-jwks") {
                p.issuers[0].keys.resolved.clear();
                p.issuers[0].keys.jwksUri = QStringLiteral("http://login.example.com/jwks.json");
            }
        }
        const auto gaps = exportOrFail(p).gaps;
        const auto* g = findGap(gaps, issuer, control);
        QVERIFY(g);
        QCOMPARE(exporting::gapStatusName(g->status), exporting::gapStatusName(static_cast<GapStatus>(status)));
        QVERIFY2(g->detail.contains(detailHas), qPrintable(g->detail));
    }

    void noLoadableKey_deniesEverything()
    {
        policy::Policy p = rsaPolicy(kLogin, {QStringLiteral("a")});
        p.issuers = {testing::partnerIssuer(QStringLiteral("partners"))};
        const QString text = QString::fromUtf8(exportOrFail(p).text);
        QVERIFY(text.contains(QStringLiteral("Require all denied")));
        QVERIFY(!text.contains(QStringLiteral("AuthType")));
        QVERIFY(!text.contains(QStringLiteral("\nOIDCOAuthVerifyCertFiles")));
    }

    void issuerWithoutAudiences_hasNoBranch()
    {
        policy::Policy p = rsaPolicy(kLogin, {});
        const auto r = exportOrFail(p);
        QVERIFY(!QString::fromUtf8(r.text).contains(QStringLiteral("Require claim \"iss~")));
        QVERIFY(r.text.contains("Require all denied"));
        QCOMPARE(findGap(r.gaps, kLogin, QStringLiteral("audience_binding"))->status, GapStatus::Enforced);
    }

    void unsafeProfile_isAnError_data()
    {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QString>("keyDir");
        QTest::newRow("quote in route") << QStringLiteral("/a\"b") << QStringLiteral("/k");
        QTest::newRow("newline in route") << QStringLiteral("/a\nRequire all granted") << QStringLiteral("/k");
        QTest::newRow("backslash in key dir") << QStringLiteral("/") << QStringLiteral("C:\\keys");
        QTest::newRow("empty key dir") << QStringLiteral("/") << QString();
    }

    void unsafeProfile_isAnError()
    {
        QFETCH(QString, route);
        QFETCH(QString, keyDir);
        exporting::ExportProfile prof = profile();
        prof.routePrefix = route;
        prof.apacheKeyDir = keyDir;
        const auto r = exporting::exportPolicy(sample(), Target::Apache, prof);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("ERR_EXPORT_PROFILE"));
    }

    void export_isDeterministicAndListedAsAGatewayTarget()
    {
        QCOMPARE(exportOrFail(sample()).text, exportOrFail(sample()).text);
        QVERIFY(exporting::gatewayTargets().contains(Target::Apache));
        QCOMPARE(exporting::targetFromName(u"apache"), std::optional<Target>(Target::Apache));
        QCOMPARE(exporting::targetFileSuffix(Target::Apache), QStringLiteral("conf"));
    }
};

QTEST_GUILESS_MAIN(TestExportApache)
#include "tst_export_apache.moc"
