// SPDX-License-Identifier: Apache-2.0
// Apache httpd 2.4 with mod_auth_openidc 2.4 as an OAuth 2.0 resource server: `AuthType oauth20`,
// the pinned RSA keys as PEM files in OIDCOAuthVerifyCertFiles (`kid#path`), an https jwks_uri in
// OIDCOAuthVerifyJwksUri, and one <RequireAll> whose conditions are all required.
//
// Facts measured against mod_auth_openidc 2.4.12.3 (Debian 12) and its source, which decide what is
// written and what the gap rows say:
// - the signature is checked with the key named by kid (every key of the algorithm's type when
//   there is no kid); the key set is one per server, shared by every issuer;
// - OIDCOAuthVerifyCertFiles loads RSA keys only: an EC PEM there crashes Apache at start, and the
//   module has no EdDSA; OIDCOAuthVerifyJwksUri must be https and is one per server;
// - no algorithm is pinned (RS256, RS384, PS256 ... all pass with one RSA key);
// - exp is checked only when it is a JSON number, without leeway (rejected once now > exp); it is
//   not required; a string, boolean, array or null exp is ignored; nbf, iat, typ and crit are ignored;
// - `Require claim NAME~REGEX` matches a string claim or any string of an array claim with PCRE;
//   its argument is an ap_expr string first, so a backslash is written twice and `%{` is special;
// - every claim is also set in the request environment (OIDC_CLAIM_<name>: integers and reals as
//   text, booleans as 1/0, string arrays joined, null not set), which `Require expr` reads with
//   reqenv() once the token is verified; `-n %{REMOTE_USER}` keeps such an expression from being
//   decided before authentication (it is then "denied, no user yet", which asks for the token);
// - several `Require` lines outside <RequireAll> are OR-ed (Apache's default <RequireAny>).
#include "export/ExportSupport.h"

#include "keys/PemExport.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace jwb::exporting::detail {

namespace {

const QString kClaimPrefix = QStringLiteral("OIDC_CLAIM_");
const QString kIndent = QStringLiteral("    ");

// Text that cannot break out of a quoted Apache argument or a comment line.
bool safeForConfig(const QString& s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'"' || c == u'\\')
            return false;
    }
    return true;
}

QString commentText(QString s)
{
    for (QChar& c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    return s;
}

// A literal as PCRE that matches its exact bytes: every byte outside [A-Za-z0-9] as \xHH. A
// `Require claim` argument is an ap_expr string before the module splits it into words, so each
// backslash is written twice ("\\x2f" reaches PCRE as \x2f), and no `%{`, `$1`, quote or space of
// the value ever reaches either parser.
QString pcreLiteral(const QString& literal)
{
    QString out;
    for (const char byte : literal.toUtf8()) {
        const auto u = static_cast<unsigned char>(byte);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
            out += QChar(char16_t(u));
        else
            out += QStringLiteral("\\\\x%1").arg(u, 2, 16, QChar(u'0'));
    }
    return out;
}

// `Require claim "NAME~^(?:a|b)\z"`: the claim (or one string of it, when it is an array) is one of
// `values` exactly; \z, unlike $, does not let a trailing newline through.
QString requireClaimOneOf(const QString& claim, const QStringList& values)
{
    QStringList alternatives;
    for (const auto& v : values)
        alternatives << pcreLiteral(v);
    return QStringLiteral("Require claim \"%1~^(?:%2)\\\\z\"").arg(claim, alternatives.join(u'|'));
}

// Claim names the environment carries unchanged (the module maps separators to '-') and that are
// safe inside an ap_expr single-quoted string.
bool isEnvClaimName(const QString& claim)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return re.match(claim).hasMatch();
}

QString env(const QString& claim)
{
    return QStringLiteral("reqenv('%1%2')").arg(kClaimPrefix, claim);
}

// A JSON number as the module writes it into the environment ("%ld" or "%lf").
QString numericWhenPresent(const QString& claim)
{
    return QStringLiteral("(-z %1 || %1 =~ /^-?[0-9]+(\\.[0-9]+)?\\z/)").arg(env(claim));
}

const QStringList& rsaAlgorithms()
{
    static const QStringList algs{QStringLiteral("RS256"), QStringLiteral("RS384"), QStringLiteral("RS512"),
                                  QStringLiteral("PS256"), QStringLiteral("PS384"), QStringLiteral("PS512")};
    return algs;
}

const QStringList& remoteAlgorithms()
{
    static const QStringList algs = rsaAlgorithms()
        + QStringList{QStringLiteral("ES256"), QStringLiteral("ES384"), QStringLiteral("ES512")};
    return algs;
}

QString keyName(const keys::Key& k)
{
    return k.kid.isEmpty() ? QStringLiteral("key %1").arg(k.thumbprint.left(12)) : QStringLiteral("kid '%1'").arg(k.kid);
}

// What one issuer contributes to the server-wide key set, and what it could not.
struct IssuerKeys {
    QStringList certTuples;   // "kid#/etc/apache2/jwt/workforce-1.pem", quoted when written
    QStringList skipped;      // "kid 'x' (EC P-256): why"
    bool usesJwksUri = false;
    QString jwksUriProblem;   // why jwks_uri is not used, when the issuer has one
    bool hasKeys() const { return !certTuples.isEmpty() || usesJwksUri; }
};

// The whole export's decisions, shared by the text and the gap rows.
struct ServerPlan {
    QList<IssuerKeys> keys;         // per plan, in policy order
    QList<bool> branch;             // per plan: an issuer branch admits its tokens
    QStringList acceptedAlgorithms; // what the module accepts with the server's keys
    bool anyRemote = false;
    int issuersWithKeys = 0;
    QString jwksUri;
    qint64 jwksRefreshSeconds = 0;
};

class ApacheExporter final : public Exporter {
public:
    Target target() const override { return Target::Apache; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        for (const auto& [value, field] : {std::pair{profile.routePrefix, QStringLiteral("route prefix")},
                                           std::pair{profile.apacheKeyDir, QStringLiteral("Apache key directory")}}) {
            if (value.isEmpty() || !safeForConfig(value))
                return Error{QStringLiteral("ERR_EXPORT_PROFILE"),
                             QStringLiteral("the %1 \"%2\" is empty or holds a quote, a backslash or a control "
                                            "character, which an Apache configuration cannot carry")
                                 .arg(field, commentText(value)),
                             field};
        }
        auto planned = planIssuers(policy, profile.atUnixSeconds);
        if (!planned)
            return planned.error();
        const QList<IssuerPlan>& plans = *planned;
        ExportResult result;
        const ServerPlan server = planServer(plans, profile, result.extraFiles);
        result.text = configText(policy, profile, plans, server).toUtf8();
        for (int i = 0; i < plans.size(); ++i)
            result.gaps += gaps(plans.at(i), server, i);
        return result;
    }

private:
    static ServerPlan planServer(const QList<IssuerPlan>& plans, const ExportProfile& profile,
                                 QMap<QString, QByteArray>& files)
    {
        ServerPlan server;
        QSet<QString> kids;
        for (const IssuerPlan& p : plans) {
            IssuerKeys ik;
            int n = 0;
            for (const keys::Key& k : p.keys) {
                const QString what = QStringLiteral("%1 (%2)").arg(keyName(k), k.description());
                if (k.type == keys::KeyType::Ec) {
                    ik.skipped << what + QStringLiteral(": OIDCOAuthVerifyCertFiles loads RSA keys only (an EC PEM "
                                                        "there stops Apache at start)");
                    continue;
                }
                if (k.type != keys::KeyType::Rsa) {
                    ik.skipped << what + QStringLiteral(": mod_auth_openidc has no EdDSA");
                    continue;
                }
                if (!safeForConfig(k.kid) || k.kid.contains(u'#')) {
                    ik.skipped << what + QStringLiteral(": the kid holds '#', a quote, a backslash or a control "
                                                        "character, which `kid#path` cannot carry");
                    continue;
                }
                if (!k.kid.isEmpty() && kids.contains(k.kid)) {
                    ik.skipped << what + QStringLiteral(": another exported key has this kid, and the module keeps "
                                                        "one key per kid");
                    continue;
                }
                auto pem = keys::toPublicPem(k);
                if (!pem) {
                    ik.skipped << what + QStringLiteral(": ") + pem.error().message;
                    continue;
                }
                kids.insert(k.kid);
                const QString file = QStringLiteral("%1-%2.pem").arg(p.slug).arg(++n);
                files.insert(file, *pem);
                const QString path = profile.apacheKeyDir + u'/' + file;
                ik.certTuples << (k.kid.isEmpty() ? path : k.kid + u'#' + path);
            }
            server.keys << ik;
        }
        // One OIDCOAuthVerifyJwksUri per server: the first issuer that has no loadable pinned key.
        for (int i = 0; i < plans.size(); ++i) {
            const IssuerPlan& p = plans.at(i);
            IssuerKeys& ik = server.keys[i];
            if (p.jwksUri.isEmpty() || !ik.certTuples.isEmpty())
                continue;
            const QUrl url(p.jwksUri, QUrl::StrictMode);
            if (!url.isValid() || url.scheme() != u"https" || url.host().isEmpty() || !safeForConfig(p.jwksUri))
                ik.jwksUriProblem = QStringLiteral("OIDCOAuthVerifyJwksUri takes an https URL only, and %1 is not one")
                                        .arg(p.jwksUri);
            else if (!server.jwksUri.isEmpty())
                ik.jwksUriProblem = QStringLiteral("OIDCOAuthVerifyJwksUri is one per server and already names %1")
                                        .arg(server.jwksUri);
            if (!ik.jwksUriProblem.isEmpty())
                continue;
            ik.usesJwksUri = true;
            server.jwksUri = p.jwksUri;
            server.anyRemote = true;
            const auto& refresh = p.issuer->keys.refresh;
            if (refresh && refresh->cacheSeconds)
                server.jwksRefreshSeconds = *refresh->cacheSeconds;
        }
        bool anyFile = false;
        for (int i = 0; i < plans.size(); ++i) {
            const IssuerKeys& ik = server.keys.at(i);
            anyFile = anyFile || !ik.certTuples.isEmpty();
            server.issuersWithKeys += ik.hasKeys() ? 1 : 0;
            // The core rejects every token of an issuer without audiences (ERR_AUD_NO_ROW).
            server.branch << (ik.hasKeys() && !plans.at(i).issuer->audiences.isEmpty());
        }
        if (server.anyRemote)
            server.acceptedAlgorithms = remoteAlgorithms();
        else if (anyFile)
            server.acceptedAlgorithms = rsaAlgorithms();
        return server;
    }

    static QString configText(const policy::Policy& policy, const ExportProfile& profile,
                              const QList<IssuerPlan>& plans, const ServerPlan& server)
    {
        QString t = exportBanner(policy, Target::Apache, QStringLiteral("#"));
        t += QStringLiteral(
            "# Apache httpd 2.4 with mod_auth_openidc 2.4 (OAuth 2.0 resource server). Enable: a2enmod authn_core\n"
            "# authz_core auth_openidc. Include this file in the server or a <VirtualHost>: the key directives\n"
            "# are per server. Key files are read at start: copy the *.pem beside this file to %1 and run\n"
            "# `apachectl -k graceful` after every key rotation.\n")
                 .arg(profile.apacheKeyDir);
        if (profile.headerName.compare(QStringLiteral("Authorization"), Qt::CaseInsensitive) != 0
            || profile.headerPrefix.trimmed().compare(QStringLiteral("Bearer"), Qt::CaseInsensitive) != 0)
            t += QStringLiteral("# NOTE: mod_auth_openidc reads the token from \"Authorization: Bearer\" only; the "
                                "profile's header \"%1\" with prefix \"%2\" cannot be used.\n")
                     .arg(commentText(profile.headerName), commentText(profile.headerPrefix));
        t += u'\n';

        QStringList tuples;
        for (int i = 0; i < plans.size(); ++i) {
            const IssuerKeys& ik = server.keys.at(i);
            for (const auto& tuple : ik.certTuples)
                tuples << u'"' + tuple + u'"';
            for (const auto& s : ik.skipped)
                t += QStringLiteral("# not exported for %1: %2\n").arg(commentText(plans.at(i).iss()), commentText(s));
            if (!ik.jwksUriProblem.isEmpty())
                t += QStringLiteral("# jwks_uri of %1 not used: %2\n")
                         .arg(commentText(plans.at(i).iss()), commentText(ik.jwksUriProblem));
        }
        if (!tuples.isEmpty())
            t += QStringLiteral("OIDCOAuthVerifyCertFiles %1\n").arg(tuples.join(u' '));
        if (!server.jwksUri.isEmpty()) {
            t += QStringLiteral("OIDCOAuthVerifyJwksUri \"%1\"\n").arg(server.jwksUri);
            if (server.jwksRefreshSeconds > 0)
                t += QStringLiteral("OIDCJWKSRefreshInterval %1\n").arg(server.jwksRefreshSeconds);
        }
        for (const IssuerPlan& p : plans) {
            for (const keys::Key& k : p.withheldSecrets)
                t += QStringLiteral("# HMAC secret withheld (%1 of %2): an export never carries a secret. To accept "
                                    "its HS tokens, add it out of band from where the policy keeps it:\n"
                                    "#   OIDCOAuthVerifySharedKeys \"plain#%3#<the secret>\"\n")
                         .arg(keyName(k), commentText(p.iss()), commentText(k.kid));
        }
        const bool anyKey = server.issuersWithKeys > 0;
        if (anyKey) {
            // iss, a string the core always requires, names the user: the default (sub) would
            // reject tokens without a string sub that the policy accepts.
            t += QStringLiteral("OIDCOAuthRemoteUserClaim iss\n");
            t += QStringLiteral("OIDCClaimPrefix %1\n").arg(kClaimPrefix);
        }
        t += QStringLiteral("\n<Location \"%1\">\n").arg(profile.routePrefix);
        if (!anyKey) {
            t += kIndent + QStringLiteral("# No issuer has a key mod_auth_openidc can load: every request is refused.\n");
            t += kIndent + QStringLiteral("Require all denied\n</Location>\n");
            return t;
        }
        t += kIndent + QStringLiteral("AuthType oauth20\n");
        t += kIndent + QStringLiteral("# The checks below read the claims from the environment.\n");
        t += kIndent + QStringLiteral("OIDCPassClaimsAs environment\n");
        t += kIndent + QStringLiteral("# Every condition is required: Require lines outside <RequireAll> would be OR-ed.\n");
        t += kIndent + QStringLiteral("<RequireAll>\n");
        const QString in2 = kIndent + kIndent;
        const QString in3 = in2 + kIndent;
        const QString in4 = in3 + kIndent;
        t += in2 + QStringLiteral("# One branch per issuer binds iss to that issuer's own audiences, subjects and "
                                  "required claims,\n");
        t += in2 + QStringLiteral("# so a token of one issuer never passes with another issuer's audience.\n");
        t += in2 + QStringLiteral("<RequireAny>\n");
        bool anyBranch = false;
        for (int i = 0; i < plans.size(); ++i) {
            const IssuerPlan& p = plans.at(i);
            if (!server.branch.at(i)) {
                t += in3 + QStringLiteral("# %1: no branch (%2), so its tokens are rejected\n")
                               .arg(commentText(p.iss()),
                                    server.keys.at(i).hasKeys() ? QStringLiteral("no audience row")
                                                                : QStringLiteral("no key the module can load"));
                continue;
            }
            anyBranch = true;
            t += in3 + QStringLiteral("# %1 (%2)\n").arg(commentText(p.iss()), p.slug);
            t += in3 + QStringLiteral("<RequireAll>\n");
            t += in4 + requireClaimOneOf(QStringLiteral("iss"), {p.iss()}) + u'\n';
            t += in4 + requireClaimOneOf(QStringLiteral("aud"), p.issuer->audiences) + u'\n';
            if (!p.issuer->subjects.isEmpty())
                t += in4 + requireClaimOneOf(QStringLiteral("sub"), p.issuer->subjects) + u'\n';
            QStringList present;
            for (const auto& c : p.exported.requiredClaims) {
                if (isEnvClaimName(c))
                    present << QStringLiteral("-n ") + env(c);
            }
            if (!present.isEmpty())
                t += in4 + QStringLiteral("Require expr \"-n %{REMOTE_USER} && %1\"\n").arg(present.join(QStringLiteral(" && ")));
            t += in3 + QStringLiteral("</RequireAll>\n");
        }
        if (!anyBranch)
            t += in3 + QStringLiteral("Require all denied\n");
        t += in2 + QStringLiteral("</RequireAny>\n");
        t += in2 + QStringLiteral("# exp, nbf and iat are numbers: the module ignores an exp it cannot read as one.\n");
        t += in2 + QStringLiteral("Require not claim \"exp~^\" \"nbf~^\" \"iat~^\"\n");
        t += in2 + QStringLiteral("Require not claim exp:true exp:false\n");
        t += in2 + QStringLiteral("Require expr \"-n %{REMOTE_USER} && %1 && %2 && %3\"\n")
                       .arg(numericWhenPresent(QStringLiteral("exp")), numericWhenPresent(QStringLiteral("nbf")),
                            numericWhenPresent(QStringLiteral("iat")));
        // sub and jti are strings when present (RFC 7519 4.1.2, 4.1.7).
        for (const QString& claim : {QStringLiteral("sub"), QStringLiteral("jti")}) {
            t += in2 + QStringLiteral("<RequireAny>\n");
            t += in3 + QStringLiteral("Require claim \"%1~^\"\n").arg(claim);
            t += in3 + QStringLiteral("Require expr \"-n %{REMOTE_USER} && -z %1\"\n").arg(env(claim));
            t += in2 + QStringLiteral("</RequireAny>\n");
        }
        t += kIndent + QStringLiteral("</RequireAll>\n");
        t += QStringLiteral("</Location>\n");
        return t;
    }

    static QList<GapEntry> gaps(const IssuerPlan& p, const ServerPlan& server, int index)
    {
        GapBuilder g(Target::Apache, p);
        const auto& base = p.base;
        const auto& ex = p.exported;
        const IssuerKeys& ik = server.keys.at(index);
        if (!server.branch.at(index)) {
            noBranchRows(g, p, ik);
            return g.take();
        }

        QStringList extra;
        for (const auto& a : server.acceptedAlgorithms) {
            if (!base.algorithms.contains(a))
                extra << a;
        }
        if (extra.isEmpty())
            g.enforced(QStringLiteral("algorithm_pin"),
                       QStringLiteral("the server's keys serve only the pinned algorithms"),
                       joined(server.acceptedAlgorithms), joined(base.algorithms));
        else
            g.notEnforced(QStringLiteral("algorithm_pin"),
                          QStringLiteral("mod_auth_openidc pins no algorithm: any alg the key type allows passes, "
                                         "so %1 are accepted too; a duplicate alg member is not refused either (the last one "
                                         "is used)")
                              .arg(joined(extra)),
                          joined(server.acceptedAlgorithms), joined(base.algorithms));
        g.notEnforced(QStringLiteral("header_allowlist"),
                      QStringLiteral("header members are visible neither to Require claim nor to ap_expr, so an "
                                     "unexpected member (jku, x5u, jwk, ...) passes"),
                      QString(), joined(base.allowedHeaders));
        g.notEnforced(QStringLiteral("crit"), QStringLiteral("mod_auth_openidc ignores crit, so a token naming a "
                                                             "critical extension passes"));
        if (base.allowedTypes || base.requireType)
            g.notEnforced(QStringLiteral("typ"), QStringLiteral("typ is a header member, which no Require can read"),
                          QString(), base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
        else
            g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
        g.emulated(QStringLiteral("issuer"),
                   QStringLiteral("Require claim iss~ (exact bytes, PCRE \\z) opens this issuer's branch; iss must "
                                  "be a string, as OIDCOAuthRemoteUserClaim iss requires"));
        g.emulated(QStringLiteral("audience_binding"),
                   QStringLiteral("Require claim aud~ inside this issuer's <RequireAll> branch, so another issuer's "
                                  "audience does not pass; an aud array passes when one string matches, and its "
                                  "non-string members are not refused as the core does"),
                   joined(p.issuer->audiences), joined(p.issuer->audiences));
        if (p.issuer->subjects.isEmpty())
            g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
        else
            g.emulated(QStringLiteral("subject"),
                       QStringLiteral("Require claim sub~ inside this issuer's branch (a one-string array passes, "
                                      "the core wants a string)"),
                       joined(p.issuer->subjects), joined(p.issuer->subjects));
        QStringList unmappable;
        for (const auto& c : ex.requiredClaims) {
            if (!isEnvClaimName(c))
                unmappable << c;
        }
        const QString envCaveat =
            QStringLiteral("; a claim that is null or an array without strings counts as missing (stricter), and a "
                           "claim spelled in another letter case (EXP for exp) counts as present, because "
                           "environment names ignore case");
        if (ex.requiredClaims.isEmpty())
            g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
        else if (unmappable.isEmpty())
            g.emulated(QStringLiteral("required_claims"),
                       QStringLiteral("Require expr with -n reqenv('OIDC_CLAIM_<name>') per claim in this issuer's "
                                      "branch")
                           + envCaveat,
                       joined(ex.requiredClaims), joined(base.requiredClaims));
        else
            g.notEnforced(QStringLiteral("required_claims"),
                          QStringLiteral("claim names outside [A-Za-z0-9_.-] cannot be read from the environment: %1")
                              .arg(joined(unmappable)),
                          QString(), joined(base.requiredClaims));
        const QString typeNote =
            QStringLiteral("a string or boolean exp, which the module would ignore, is refused by Require not claim");
        // Measured: {"exp": past, "exp": future} passes, the module's JSON parser keeping the last.
        if (ex.requiredClaims.contains(QStringLiteral("exp")))
            g.notEnforced(QStringLiteral("exp_required"),
                          QStringLiteral("the module does not require exp; the export emulates it (Require expr wants "
                                         "reqenv('OIDC_CLAIM_exp') to be a number, so a missing or null exp is "
                                         "refused, and ")
                              + typeNote
                              + QStringLiteral("), but a duplicate exp member is not refused: the module keeps the "
                                               "last one, so an expired exp followed by a later one passes, and a "
                                               "claim EXP in another letter case stands in for a missing exp"));
        else
            g.notRequired(QStringLiteral("exp_required"),
                          QStringLiteral("the policy does not require exp; ") + typeNote
                              + QStringLiteral(", but a null exp or an array of numbers is ignored by the module and "
                                               "passes (the core rejects it)"));
        g.notEnforced(QStringLiteral("nbf"), QStringLiteral("mod_auth_openidc ignores nbf, so a token not yet valid "
                                                            "passes (only a non-numeric nbf is refused)"));
        g.notEnforced(QStringLiteral("iat"), QStringLiteral("mod_auth_openidc does not check iat of an access token, so "
                                                            "an iat in the future passes (only a non-numeric iat is "
                                                            "refused)"));
        if (base.maxLifetimeSeconds)
            g.notEnforced(QStringLiteral("max_lifetime"),
                          QStringLiteral("ap_expr has neither arithmetic nor the current Unix time, so exp - iat "
                                         "cannot be bounded"),
                          QStringLiteral("unlimited"), seconds(*base.maxLifetimeSeconds));
        else
            g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
        // Rejected once now > exp: the expiry second itself passes, a 1 s skew in the core's terms.
        g.clockSkew(1, QStringLiteral("mod_auth_openidc has no leeway: a token is rejected once now > exp (a 1 s skew "
                                      "in the core's terms); nbf and iat are not checked at all"));
        keyRows(g, p, server, ik);
        g.exceptions(false, {});
        refreshRow(g, p, server, ik);
        return g.take();
    }

    static QString sharedSetNote(const ServerPlan& server)
    {
        if (server.issuersWithKeys <= 1)
            return {};
        return QStringLiteral("; the module keeps one key set per server and cannot bind a kid (a header member) to "
                              "iss, so a key of another issuer of this export also verifies tokens claiming this "
                              "issuer");
    }

    static QString withheldNote(const IssuerPlan& p)
    {
        if (p.withheldSecrets.isEmpty())
            return {};
        return QStringLiteral("; %1 HMAC secret(s) are never written into an export: HS tokens are rejected until "
                              "OIDCOAuthVerifySharedKeys is set out of band (the commented placeholder names the kid)")
            .arg(p.withheldSecrets.size());
    }

    static void keyRows(GapBuilder& g, const IssuerPlan& p, const ServerPlan& server, const IssuerKeys& ik)
    {
        QString skipped;
        if (!ik.skipped.isEmpty())
            skipped = QStringLiteral("; not exported, so tokens signed with them are rejected: %1")
                          .arg(ik.skipped.join(QStringLiteral("; ")));
        const QString strengthRemote =
            QStringLiteral("OIDCOAuthVerifyJwksUri brings in whatever %1 serves, without the core's minimum key "
                           "sizes, and its keys verify every issuer's tokens")
                .arg(server.jwksUri);
        if (ik.usesJwksUri) {
            g.notEnforced(QStringLiteral("key_pinning"),
                          QStringLiteral("OIDCOAuthVerifyJwksUri fetches %1 at run time, not the policy's pinned keys")
                                  .arg(server.jwksUri)
                              + skipped + sharedSetNote(server) + withheldNote(p),
                          QStringLiteral("remote JWKS"));
            g.notEnforced(QStringLiteral("key_strength"), strengthRemote);
            return;
        }
        const QString how = QStringLiteral("OIDCOAuthVerifyCertFiles holds the pinned RSA keys as PEM files (kid#path)");
        const QString exported = QStringLiteral("%1 pinned key(s)").arg(ik.certTuples.size());
        if (server.issuersWithKeys > 1)
            g.notEnforced(QStringLiteral("key_pinning"), how + sharedSetNote(server) + skipped + withheldNote(p),
                          exported);
        else
            g.enforced(QStringLiteral("key_pinning"), how + skipped + withheldNote(p), exported);
        if (server.anyRemote)
            g.notEnforced(QStringLiteral("key_strength"), strengthRemote);
        else
            g.enforced(QStringLiteral("key_strength"),
                       QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits)")
                           .arg(keys::kMinRsaBits));
    }

    static void refreshRow(GapBuilder& g, const IssuerPlan& p, const ServerPlan& server, const IssuerKeys& ik)
    {
        if (!ik.usesJwksUri) {
            g.notRequired(QStringLiteral("key_refresh"), QStringLiteral("keys are pinned in files read at start"));
            return;
        }
        const auto& refresh = p.issuer->keys.refresh;
        const QString exported =
            server.jwksRefreshSeconds > 0 ? seconds(server.jwksRefreshSeconds) : QStringLiteral("3600 s (default)");
        if (!refresh) {
            g.enforced(QStringLiteral("key_refresh"),
                       QStringLiteral("the policy sets no refresh; the JWKS is refetched every OIDCJWKSRefreshInterval "
                                      "and on an unknown kid"),
                       exported);
            return;
        }
        QStringList missing = refreshSettingsBeyondCache(*refresh);
        // The module refetches on an unknown kid by itself, so that setting is met when asked for.
        missing.removeAll(QStringLiteral("refetch_on_unknown_kid"));
        const bool refetchOff = refresh->refetchOnUnknownKid && !*refresh->refetchOnUnknownKid;
        if (refetchOff)
            missing << QStringLiteral("refetch_on_unknown_kid: false (the module always refetches)");
        if (missing.isEmpty())
            g.enforced(QStringLiteral("key_refresh"),
                       QStringLiteral("OIDCJWKSRefreshInterval from cache_seconds; the module refetches on an unknown "
                                      "kid"),
                       exported);
        else
            g.notEnforced(QStringLiteral("key_refresh"),
                          QStringLiteral("OIDCJWKSRefreshInterval from cache_seconds; no equivalent for %1")
                              .arg(missing.join(QStringLiteral(", "))),
                          exported);
    }

    // An issuer no branch admits: every token of it is rejected, so no control can be bypassed, and
    // key_pinning says why its valid tokens are rejected too.
    static void noBranchRows(GapBuilder& g, const IssuerPlan& p, const IssuerKeys& ik)
    {
        const bool noKey = !ik.hasKeys();
        const QString why = noKey ? QStringLiteral("no key of this issuer can be loaded by mod_auth_openidc")
                                  : QStringLiteral("the issuer has no audience row, so the core rejects its tokens too");
        const QString all = QStringLiteral("no branch admits this issuer's tokens (%1), so every token of it is "
                                           "rejected")
                                .arg(why);
        for (const QString& c : controlIds()) {
            if (c == u"key_pinning" && noKey) {
                QStringList reasons = ik.skipped;
                if (!ik.jwksUriProblem.isEmpty())
                    reasons << ik.jwksUriProblem;
                if (p.keys.isEmpty() && p.jwksUri.isEmpty())
                    reasons << QStringLiteral("the policy pins no asymmetric key for it");
                g.notEnforced(c, all + QStringLiteral(", valid ones too: ") + reasons.join(QStringLiteral("; "))
                                     + withheldNote(p),
                              QStringLiteral("no key"));
            } else if (c == u"exceptions") {
                g.exceptions(false, {});
            } else {
                g.enforced(c, all);
            }
        }
    }
};

} // namespace

std::unique_ptr<Exporter> makeApacheExporter()
{
    return std::make_unique<ApacheExporter>();
}

} // namespace jwb::exporting::detail
