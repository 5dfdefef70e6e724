// SPDX-License-Identifier: Apache-2.0
// HAProxy 2.6 (USE_OPENSSL): a block of `acl` and `http-request` lines to paste into a `frontend` or
// `backend` in `mode http`, and one PEM public-key file per pinned key. Facts measured on 2.6.12 and
// relied on here (tests/live/tst_haproxy_live.cpp re-proves them against the running binary):
// - jwt_verify(alg, key) never compares the token's own alg with its first argument: given the
//   token's alg it accepts alg "none" and an HS256 token MACed with the key file's path. So every
//   jwt_verify here gets a literal algorithm, and an ACL refuses any other header alg before it runs.
// - jwt_verify takes HS*, RS*, ES*; PS* is refused when the configuration is parsed; no EdDSA. A
//   key is a PEM public-key file read at start (rotation is a reload); no JWKS, no kid selection.
// - json_query reads the first of duplicate members, turns a string exp into an integer with 'int',
//   returns nothing for arrays and objects (aud arrays only through $.aud[i]) and prints numbers
//   without 'int' as lossy floats. `jwt_header_query` without a path yields nothing in a variable,
//   so the decoded parts come from field(n,.),ub64dec, which PCRE ACLs then read as JSON text.
// - `date` is the gateway clock: exp, nbf, iat and lifetime checks are sub/add arithmetic on it.
#include "export/ExportSupport.h"

#include "keys/PemExport.h"

#include <QRegularExpression>
#include <QSet>

namespace jwb::exporting::detail {

namespace {

using crypto::Algorithm;
using crypto::Family;

// aud arrays are read element by element ($.aud[0] ... $.aud[kAudIndexBound - 1]).
constexpr int kAudIndexBound = 8;

const QString kDeny = QStringLiteral("    http-request deny deny_status 401");

// A literal for a PCRE inside a single-quoted HAProxy argument: letters, digits and a few safe
// punctuation marks stay; everything else ASCII becomes \xHH, so neither PCRE nor the HAProxy
// parser (quotes, '#', '$', spaces) sees a special character. Non-ASCII stays as UTF-8 bytes.
QString rxLiteral(const QString& literal)
{
    QString out;
    for (QChar c : literal) {
        const char16_t u = c.unicode();
        const bool plain = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
                           || u == u'_' || u == u'-' || u == u'/' || u == u':' || u == u'@' || u == u'='
                           || u == u'~' || u == u'%' || u == u'&' || u == u'<' || u == u'>' || u == u'!';
        if (plain || u >= 0x80)
            out += c;
        else
            out += QStringLiteral("\\x%1").arg(static_cast<int>(u), 2, 16, QChar(u'0'));
    }
    return out;
}

// '^(?:a|b)\z' matching exactly one of `values` (\z: PCRE's $ would also match before a newline).
QString exactRx(const QStringList& values)
{
    QStringList alts;
    for (const auto& v : values)
        alts << rxLiteral(v);
    return QStringLiteral("'^(?:%1)\\z'").arg(alts.join(u'|'));
}

// Claim names json_query can address as $.name without escaping.
bool isPathName(const QString& name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

// One JSON text value, recursively (PCRE subroutine calls), for the header allowlist.
const QString kJsonDefine = QStringLiteral(
    "(?(DEFINE)(?<v>\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null"
    "|\\[\\s*(?:(?&v)(?:\\s*,\\s*(?&v))*)?\\s*\\]"
    "|\\{\\s*(?:(?&s)\\s*:\\s*(?&v)(?:\\s*,\\s*(?&s)\\s*:\\s*(?&v))*)?\\s*\\})(?<s>\"(?:[^\"\\\\]|\\\\.)*\"))");

// The decoded header is a JSON object whose top-level member names are all in `names` (exact
// spelling: a name written with \u escapes is refused, which is stricter than the core).
QString headerAllowlistRx(const QStringList& names)
{
    QStringList alts;
    for (const auto& n : names)
        alts << rxLiteral(n);
    const QString member = QStringLiteral("\"(?:%1)\"\\s*:\\s*(?&v)").arg(alts.join(u'|'));
    return QStringLiteral("'^\\s*\\{\\s*(?:%1(?:\\s*,\\s*%1)*)?\\s*\\}\\s*\\z%2'").arg(member, kJsonDefine);
}

// True when one of `names` is a member name twice anywhere in the JSON text.
QString duplicateRx(const QStringList& names)
{
    QStringList alts;
    for (const auto& n : names)
        alts << rxLiteral(n);
    // A named group: HAProxy compiles its regexes without automatic captures.
    return QStringLiteral("'(?s)\"(?<d>%1)\"\\s*:.*\"\\k<d>\"\\s*:'").arg(alts.join(u'|'));
}

// A member `name` whose value does not start like a JSON string / number.
QString notStringRx(const QStringList& names)
{
    QStringList alts;
    for (const auto& n : names)
        alts << rxLiteral(n);
    return QStringLiteral("'\"(?:%1)\"\\s*:\\s*[^\"\\s]'").arg(alts.join(u'|'));
}
QString notNumberRx(const QString& name)
{
    return QStringLiteral("'\"%1\"\\s*:\\s*[^-0-9\\s]'").arg(rxLiteral(name));
}
QString presentRx(const QString& name)
{
    return QStringLiteral("'\"%1\"\\s*:'").arg(rxLiteral(name));
}

// Environment variable that carries one HMAC secret: JWB_HS_<SLUG>_<KID or N>.
QString secretVariable(const QString& slug, const keys::Key& k, int n)
{
    QString name = QStringLiteral("JWB_HS_%1_%2").arg(slug, k.kid.isEmpty() ? QString::number(n) : k.kid).toUpper();
    for (QChar& c : name) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')))
            c = u'_';
    }
    return name;
}

bool haproxyCanVerify(Algorithm a)
{
    const Family f = crypto::family(a);
    return a != Algorithm::Unsupported && (f == Family::Hmac || f == Family::Rsa || f == Family::Ecdsa);
}

// One jwt_verify the export emits: a key (file or secret variable), the algorithm, and when it
// came from an exception, the ACL that turns it off at the exception's expiry.
struct KeyUse {
    keys::Key key;
    QString file;         // PEM file name, asymmetric keys
    QString secretVar;    // environment variable, HMAC secrets
    QString exceptionAcl; // empty: always
};

struct IssuerOut {
    QStringList exportable;   // algorithms jwt_verify is given for this issuer (base + gated)
    QStringList unexportable; // pinned algorithms HAProxy 2.6 cannot verify
    QList<KeyUse> keys;
    QStringList gatedAlgorithms; // "HS256 until 2027-04-01T00:00:00Z (billing-hs256-...)"
    QStringList ungatedLoosening; // exception parts carried without expiry
    QStringList secretVars;
};

class HaproxyExporter final : public Exporter {
public:
    Target target() const override { return Target::Haproxy; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planIssuers(policy, profile.atUnixSeconds);
        if (!planned)
            return planned.error();
        const QList<IssuerPlan>& plans = *planned;
        static const QRegularExpression safeDir(QStringLiteral("^/[A-Za-z0-9._/+-]*$"));
        if (!safeDir.match(profile.haproxyKeyDir).hasMatch())
            return Error{QStringLiteral("ERR_EXPORT_HAPROXY_KEY_DIR"),
                         QStringLiteral("the HAProxy key directory '%1' must be an absolute path of letters, digits "
                                        "and . _ / + - (it is written inside jwt_verify's quoted argument)")
                             .arg(profile.haproxyKeyDir),
                         QStringLiteral("--haproxy-key-dir")};
        QString keyDir = profile.haproxyKeyDir;
        while (keyDir.size() > 1 && keyDir.endsWith(u'/'))
            keyDir.chop(1);

        ExportResult result;
        QList<IssuerOut> outs;
        for (const IssuerPlan& p : plans) {
            auto out = planKeys(p, keyDir, result);
            if (!out)
                return out.error();
            outs << *out;
        }

        QStringList L; // lines of the block
        const bool routed = profile.routePrefix != u"/" && !profile.routePrefix.isEmpty();
        const QString route = routed ? QStringLiteral(" jwb_route") : QString();
        auto deny = [&L, &route](const QString& cond) { L << kDeny + QStringLiteral(" if") + route + u' ' + cond; };

        L << QStringLiteral("    # ---- JWT verification (jwt-policy export --to haproxy): paste into a frontend or "
                            "backend in mode http ----");
        if (routed)
            L << QStringLiteral("    acl jwb_route path_beg %1").arg(profile.routePrefix);
        // The token.
        L << QStringLiteral("    http-request set-var(txn.jwb_tok) %1").arg(tokenFetch(profile));
        deny(QStringLiteral("!{ var(txn.jwb_tok) -m reg '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\z' }"));
        L << QStringLiteral("    http-request set-var(txn.jwb_hdr) var(txn.jwb_tok),field(1,.),ub64dec");
        L << QStringLiteral("    http-request set-var(txn.jwb_pl) var(txn.jwb_tok),field(2,.),ub64dec");
        deny(QStringLiteral("!{ var(txn.jwb_hdr) -m reg '^\\s*\\{' }"));
        deny(QStringLiteral("!{ var(txn.jwb_pl) -m reg '^\\s*\\{' }"));
        for (const auto& [var, path] : {std::pair{QStringLiteral("alg"), QStringLiteral("$.alg")},
                                        std::pair{QStringLiteral("kid"), QStringLiteral("$.kid")},
                                        std::pair{QStringLiteral("typ"), QStringLiteral("$.typ")}})
            L << QStringLiteral("    http-request set-var(txn.jwb_%1) var(txn.jwb_hdr),json_query('%2')").arg(var, path);
        for (const auto& c : {QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud")})
            L << QStringLiteral("    http-request set-var(txn.jwb_%1) var(txn.jwb_pl),json_query('$.%1')").arg(c);
        for (int i = 0; i < kAudIndexBound; ++i)
            L << QStringLiteral("    http-request set-var(txn.jwb_aud%1) var(txn.jwb_pl),json_query('$.aud[%1]')").arg(i);
        for (const auto& c : {QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat")})
            L << QStringLiteral("    http-request set-var(txn.jwb_%1) var(txn.jwb_pl),json_query('$.%1','int')").arg(c);
        L << QStringLiteral("    http-request set-var(txn.jwb_now) date");

        // Header: the dangers every issuer shares, before any per-issuer rule.
        QStringList headerNames{QStringLiteral("alg"), QStringLiteral("kid"), QStringLiteral("typ"), QStringLiteral("cty"),
                                QStringLiteral("crit"), QStringLiteral("b64"), QStringLiteral("jku"), QStringLiteral("x5u"),
                                QStringLiteral("jwk"), QStringLiteral("x5c")};
        QStringList claimNames{QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud"), QStringLiteral("exp"),
                               QStringLiteral("nbf"), QStringLiteral("iat"), QStringLiteral("act")};
        for (const auto& p : plans) {
            for (const auto& h : p.exported.allowedHeaders) {
                if (!headerNames.contains(h))
                    headerNames << h;
            }
            for (const auto& c : p.exported.requiredClaims) {
                if (!claimNames.contains(c))
                    claimNames << c;
            }
        }
        L << QStringLiteral("    # HAProxy reads the first of duplicate members, the core refuses them, most back ends "
                            "read the last.");
        deny(QStringLiteral("{ var(txn.jwb_hdr) -m reg %1 }").arg(duplicateRx(headerNames)));
        deny(QStringLiteral("{ var(txn.jwb_pl) -m reg %1 }").arg(duplicateRx(claimNames)));
        deny(QStringLiteral("{ var(txn.jwb_alg) -i -m str none }"));
        deny(QStringLiteral("{ var(txn.jwb_hdr) -m reg %1 }").arg(presentRx(QStringLiteral("crit"))));
        deny(QStringLiteral("{ var(txn.jwb_hdr) -m reg %1 }")
                 .arg(notStringRx({QStringLiteral("alg"), QStringLiteral("kid"), QStringLiteral("typ"), QStringLiteral("cty")})));
        deny(QStringLiteral("{ var(txn.jwb_pl) -m reg %1 }").arg(notStringRx({QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("jti")})));
        for (const auto& c : {QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat")}) {
            // A date that is not a number, or a number json_query cannot read as an integer.
            deny(QStringLiteral("{ var(txn.jwb_pl) -m reg %1 }").arg(notNumberRx(c)));
            deny(QStringLiteral("{ var(txn.jwb_pl) -m reg %1 } !{ var(txn.jwb_%2) -m found }").arg(presentRx(c), c));
        }
        if (policy.delegation.act == policy::Delegation::Act::Reject)
            deny(QStringLiteral("{ var(txn.jwb_pl) -m reg %1 }").arg(presentRx(QStringLiteral("act"))));

        // Issuers.
        QStringList allIss;
        for (const auto& p : plans)
            allIss << p.iss();
        for (const auto& p : plans)
            L << QStringLiteral("    acl jwb_iss_%1 var(txn.jwb_iss) -m reg %2").arg(p.slug, exactRx({p.iss()}));
        deny(QStringLiteral("!{ var(txn.jwb_iss) -m reg %1 }").arg(exactRx(allIss)));
        for (const auto& p : plans) {
            for (const auto& ex : p.activeExceptions) {
                if (gatesSomething(p, ex))
                    L << QStringLiteral("    acl %1 date lt %2").arg(exceptionAcl(p, ex)).arg(ex.expires.toSecsSinceEpoch());
            }
        }

        for (int i = 0; i < plans.size(); ++i)
            issuerRules(L, plans.at(i), outs.at(i), route);

        // One verdict for the signature, after every issuer's jwt_verify lines.
        deny(QStringLiteral("!{ var(txn.jwb_sig) -m int 1 }"));
        for (const auto& p : plans)
            timeRules(L, p, route);
        L << QStringLiteral("    # ---- end of JWT verification ----");

        QString text = exportBanner(policy, Target::Haproxy, QStringLiteral("#"));
        text += deployNotes(profile, keyDir, outs);
        text += L.join(u'\n') + u'\n';
        result.text = text.toUtf8();
        for (int i = 0; i < plans.size(); ++i)
            result.gaps += gaps(plans.at(i), outs.at(i), keyDir, policy);
        return result;
    }

private:
    static QString tokenFetch(const ExportProfile& profile)
    {
        const bool authorization = profile.headerName.compare(QStringLiteral("Authorization"), Qt::CaseInsensitive) == 0;
        if (profile.headerPrefix.compare(QStringLiteral("Bearer "), Qt::CaseInsensitive) == 0)
            return authorization ? QStringLiteral("http_auth_bearer")
                                 : QStringLiteral("http_auth_bearer(%1)").arg(profile.headerName);
        if (profile.headerPrefix.isEmpty())
            return QStringLiteral("req.hdr(%1)").arg(profile.headerName);
        return QStringLiteral("req.hdr(%1),regsub('^%2','')").arg(profile.headerName, rxLiteral(profile.headerPrefix));
    }

    static QString exceptionAcl(const IssuerPlan& p, const policy::PolicyException& ex)
    {
        return QStringLiteral("jwb_ex_%1_%2").arg(p.slug).arg(p.activeExceptions.indexOf(ex) + 1);
    }

    static QStringList extraAlgorithms(const IssuerPlan& p, const policy::PolicyException& ex)
    {
        QStringList extra;
        for (const auto& a : ex.allow.algorithms.value_or(QStringList{})) {
            if (!p.base.algorithms.contains(a))
                extra << a;
        }
        return extra;
    }

    static bool gatesSomething(const IssuerPlan& p, const policy::PolicyException& ex)
    {
        return !extraAlgorithms(p, ex).isEmpty() || (ex.allow.keys && !ex.allow.keys->resolved.isEmpty());
    }

    // The exception (if any) a key was added by.
    static const policy::PolicyException* keyException(const IssuerPlan& p, const keys::Key& k)
    {
        for (const auto& pinned : p.issuer->keys.resolved) {
            if (pinned.thumbprint == k.thumbprint)
                return nullptr;
        }
        for (const auto& ex : p.activeExceptions) {
            if (!ex.allow.keys)
                continue;
            for (const auto& ek : ex.allow.keys->resolved) {
                if (ek.thumbprint == k.thumbprint)
                    return &ex;
            }
        }
        return nullptr;
    }

    Result<IssuerOut> planKeys(const IssuerPlan& p, const QString& keyDir, ExportResult& result) const
    {
        IssuerOut out;
        for (const auto& a : p.exported.algorithms) {
            if (haproxyCanVerify(crypto::algorithmFromName(a)))
                out.exportable << a;
            else
                out.unexportable << a;
        }
        int n = 0;
        for (const auto& k : p.keys) {
            ++n;
            auto pem = keys::toPublicPem(k);
            if (!pem)
                return pem.error();
            const QString file = QStringLiteral("%1-%2.pem").arg(p.slug).arg(n);
            result.extraFiles.insert(file, *pem);
            const auto* ex = keyException(p, k);
            out.keys << KeyUse{k, keyDir + u'/' + file, {}, ex ? exceptionAcl(p, *ex) : QString()};
        }
        int s = 0;
        for (const auto& k : p.withheldSecrets) {
            ++s;
            const QString var = secretVariable(p.slug, k, s);
            out.secretVars << var;
            const auto* ex = keyException(p, k);
            out.keys << KeyUse{k, {}, var, ex ? exceptionAcl(p, *ex) : QString()};
        }
        for (const auto& ex : p.activeExceptions) {
            const QString until = ex.expires.toUTC().toString(Qt::ISODate);
            for (const auto& a : extraAlgorithms(p, ex))
                out.gatedAlgorithms << QStringLiteral("%1 until %2 (%3)").arg(a, until, ex.id);
            const auto& al = ex.allow;
            if (al.headers || al.clockSkewSeconds || al.maxLifetimeSeconds || al.kids)
                out.ungatedLoosening << ex.id;
        }
        return out;
    }

    static void issuerRules(QStringList& L, const IssuerPlan& p, const IssuerOut& out, const QString& route)
    {
        const QString iss = QStringLiteral("jwb_iss_") + p.slug;
        const QString when = QStringLiteral(" if") + route + u' ' + iss;
        auto deny = [&L, &when](const QString& cond) { L << kDeny + when + u' ' + cond; };
        const auto& r = p.exported;
        L << QStringLiteral("    # ---- issuer %1 ----").arg(p.iss());
        deny(QStringLiteral("{ var(txn.jwb_tok),length gt %1 }").arg(r.maxTokenBytes));
        deny(QStringLiteral("!{ var(txn.jwb_hdr) -m reg %1 }").arg(headerAllowlistRx(r.allowedHeaders)));
        if (r.allowedTypes) {
            QStringList types;
            for (QString t : *r.allowedTypes) {
                if (t.startsWith(QStringLiteral("application/"), Qt::CaseInsensitive))
                    t = t.mid(12);
                types << t << QStringLiteral("application/") + t;
            }
            deny(QStringLiteral("{ var(txn.jwb_typ) -m found } !{ var(txn.jwb_typ) -i -m reg %1 }").arg(exactRx(types)));
        }
        if (r.requireType)
            deny(QStringLiteral("!{ var(txn.jwb_typ) -m found }"));
        // The pin: the token's alg must be one this issuer's jwt_verify lines are given, before any runs.
        QStringList always;
        for (const auto& a : out.exportable) {
            if (p.base.algorithms.contains(a))
                always << a;
        }
        if (!always.isEmpty())
            L << QStringLiteral("    http-request set-var(txn.jwb_alg_ok) bool(1)%1 { var(txn.jwb_alg) -m reg %2 }")
                     .arg(when, exactRx(always));
        for (const auto& ex : p.activeExceptions) {
            QStringList extra;
            for (const auto& a : extraAlgorithms(p, ex)) {
                if (out.exportable.contains(a))
                    extra << a;
            }
            if (!extra.isEmpty())
                L << QStringLiteral("    http-request set-var(txn.jwb_alg_ok) bool(1)%1 %2 { var(txn.jwb_alg) -m reg %3 }")
                         .arg(when, exceptionAcl(p, ex), exactRx(extra));
        }
        deny(QStringLiteral("!{ var(txn.jwb_alg_ok) -m bool }"));
        if (r.requireKid)
            deny(QStringLiteral("!{ var(txn.jwb_kid) -m found }"));
        if (!out.unexportable.isEmpty())
            L << QStringLiteral("    # not verifiable by HAProxy 2.6, so rejected here: %1").arg(out.unexportable.join(u' '));
        for (const KeyUse& k : out.keys) {
            QString kidCond = k.key.kid.isEmpty()
                ? QStringLiteral("!{ var(txn.jwb_kid) -m found } !{ var(txn.jwb_sig) -m int 1 }")
                : QStringLiteral("{ var(txn.jwb_kid) -m reg %1 }").arg(exactRx({k.key.kid}));
            if (!k.exceptionAcl.isEmpty())
                kidCond = k.exceptionAcl + u' ' + kidCond;
            for (const auto& a : out.exportable) {
                if (!k.key.usableWith(crypto::algorithmFromName(a)))
                    continue;
                const QString verify =
                    QStringLiteral("    http-request set-var(txn.jwb_sig) var(txn.jwb_tok),jwt_verify(\"%1\",\"%2\")%3 "
                                   "{ var(txn.jwb_alg) -m str %1 } %4")
                        .arg(a, k.secretVar.isEmpty() ? k.file : QStringLiteral("${%1}").arg(k.secretVar), when, kidCond);
                if (k.secretVar.isEmpty()) {
                    L << verify;
                } else {
                    // Never a default: unset or empty, the line is not there and HS tokens fail.
                    L << QStringLiteral(".if defined(%1) && strneq(\"$%1\",\"\")").arg(k.secretVar);
                    L << verify;
                    L << QStringLiteral(".endif");
                }
            }
        }
    }

    static void timeRules(QStringList& L, const IssuerPlan& p, const QString& route)
    {
        const QString iss = QStringLiteral("jwb_iss_") + p.slug;
        const QString when = QStringLiteral(" if") + route + u' ' + iss;
        auto deny = [&L, &when](const QString& cond) { L << kDeny + when + u' ' + cond; };
        const auto& r = p.exported;
        const int skew = r.clockSkewSeconds;
        L << QStringLiteral("    # ---- issuer %1: time (skew %2 s), audience, subject, claims ----").arg(p.iss()).arg(skew);
        // exp: now < exp + skew.
        L << QStringLiteral("    http-request set-var(txn.jwb_exp_left) var(txn.jwb_exp),add(%1),sub(txn.jwb_now)%2")
                 .arg(skew).arg(when);
        deny(QStringLiteral("{ var(txn.jwb_exp) -m found } !{ var(txn.jwb_exp_left) -m int gt 0 }"));
        // nbf: nbf <= now + skew; iat: iat <= now + skew.
        for (const auto& c : {QStringLiteral("nbf"), QStringLiteral("iat")}) {
            L << QStringLiteral("    http-request set-var(txn.jwb_%1_ahead) var(txn.jwb_%1),sub(%2),sub(txn.jwb_now)%3")
                     .arg(c).arg(skew).arg(when);
            deny(QStringLiteral("{ var(txn.jwb_%1) -m found } !{ var(txn.jwb_%1_ahead) -m int le 0 }").arg(c));
        }
        if (r.maxLifetimeSeconds) {
            // exp - iat, or exp - nbf without iat; neither readable: rejected, as by the core.
            L << QStringLiteral("    http-request set-var(txn.jwb_start) var(txn.jwb_iat)%1").arg(when);
            L << QStringLiteral("    http-request set-var(txn.jwb_start) var(txn.jwb_nbf)%1 !{ var(txn.jwb_start) -m found }")
                     .arg(when);
            L << QStringLiteral("    http-request set-var(txn.jwb_life) var(txn.jwb_exp),sub(txn.jwb_start)%1 "
                                "{ var(txn.jwb_start) -m found }")
                     .arg(when);
            deny(QStringLiteral("!{ var(txn.jwb_life) -m int le %1 }").arg(*r.maxLifetimeSeconds));
        }
        // aud: a string, or an array of strings read through $.aud[0..N-1].
        deny(QStringLiteral("!{ var(txn.jwb_pl) -m reg '\"aud\"\\s*:\\s*(?:\"(?:[^\"\\\\]|\\\\.)*\"|\\[\\s*\"(?:[^\"\\\\]|\\\\.)*\""
                            "(?:\\s*,\\s*\"(?:[^\"\\\\]|\\\\.)*\")*\\s*\\])' }"));
        if (p.issuer->audiences.isEmpty()) {
            deny(QStringLiteral("{ always_true }"));
        } else {
            const QString acl = QStringLiteral("jwb_aud_") + p.slug;
            const QString rx = exactRx(p.issuer->audiences);
            L << QStringLiteral("    acl %1 var(txn.jwb_aud) -m reg %2").arg(acl, rx);
            for (int i = 0; i < kAudIndexBound; ++i)
                L << QStringLiteral("    acl %1 var(txn.jwb_aud%2) -m reg %3").arg(acl).arg(i).arg(rx);
            deny(QLatin1Char('!') + acl);
        }
        if (!p.issuer->subjects.isEmpty())
            deny(QStringLiteral("!{ var(txn.jwb_sub) -m reg %1 }").arg(exactRx(p.issuer->subjects)));
        for (const auto& c : r.requiredClaims) {
            if (!isPathName(c))
                continue; // reported in required_claims
            if (c == u"exp" || c == u"nbf" || c == u"iat" || c == u"iss" || c == u"sub" || c == u"aud") {
                deny(QStringLiteral("!{ var(txn.jwb_%1) -m found }%2")
                         .arg(c, c == u"aud" ? QStringLiteral(" !{ var(txn.jwb_aud0) -m found }") : QString()));
                continue;
            }
            deny(QStringLiteral("!{ var(txn.jwb_pl),json_query('$.%1') -m found } "
                                "!{ var(txn.jwb_pl),json_query('$.%1[0]') -m found }")
                     .arg(c));
        }
    }

    static QString deployNotes(const ExportProfile& profile, const QString& keyDir, const QList<IssuerOut>& outs)
    {
        QString t;
        t += QStringLiteral("#\n# Deploy: paste the block below into a `frontend` or `backend` section in `mode http`, "
                            "before\n# its use_backend / server / http-request return rules (HAProxy 2.6 with OpenSSL). "
                            "A rejected\n# token gets 401. Variables are txn.jwb_*; ACLs jwb_*.\n");
        t += QStringLiteral("# Key files: copy the .pem files written beside this file into %1/ (readable by "
                            "haproxy).\n# They are read when HAProxy starts: after a key rotation, re-export, replace "
                            "the files and\n# reload (systemctl reload haproxy).\n")
                 .arg(keyDir);
        QStringList vars;
        for (const auto& o : outs)
            vars += o.secretVars;
        if (!vars.isEmpty())
            t += QStringLiteral("# HMAC secrets are never written here: set %1 in HAProxy's environment\n"
                                "# (e.g. a root-only systemd EnvironmentFile). Unset or empty, the HS lines are left "
                                "out and HS tokens are rejected.\n")
                     .arg(vars.join(QStringLiteral(", ")));
        if (profile.routePrefix != u"/" && !profile.routePrefix.isEmpty())
            t += QStringLiteral("# Only requests under %1 are checked.\n").arg(profile.routePrefix);
        return t + QStringLiteral("#\n");
    }

    static QList<GapEntry> gaps(const IssuerPlan& p, const IssuerOut& out, const QString& keyDir,
                                const policy::Policy& policy)
    {
        GapBuilder g(Target::Haproxy, p);
        const auto& base = p.base;
        const auto& ex = p.exported;
        const QString dupNote =
            QStringLiteral("HAProxy's JSON reader takes the first of duplicate members where the core refuses them and "
                           "most back ends take the last: the export refuses duplicates of the members it reads");

        // algorithm_pin
        QStringList baseExportable;
        for (const auto& a : base.algorithms) {
            if (out.exportable.contains(a))
                baseExportable << a;
        }
        QString pinHow = QStringLiteral("a literal algorithm in every jwt_verify, and an ACL that refuses any other header "
                                        "alg (and none in any spelling) before jwt_verify runs");
        if (!out.gatedAlgorithms.isEmpty())
            pinHow += QStringLiteral("; exception algorithms only while a `date` ACL holds: %1")
                          .arg(out.gatedAlgorithms.join(QStringLiteral(", ")));
        if (!out.unexportable.isEmpty())
            g.notEnforced(QStringLiteral("algorithm_pin"),
                          QStringLiteral("HAProxy 2.6 jwt_verify cannot verify %1 (PS* is refused when the configuration "
                                         "is parsed; there is no EdDSA): the export leaves them out, so tokens signed "
                                         "with them are rejected here although the policy accepts them; %2")
                              .arg(out.unexportable.join(QStringLiteral(", ")), pinHow),
                          joined(out.exportable), joined(base.algorithms));
        else
            g.emulated(QStringLiteral("algorithm_pin"), pinHow, joined(baseExportable), joined(base.algorithms));

        // header_allowlist, crit
        const QString headerHow =
            QStringLiteral("a PCRE over the decoded header admits only these top-level member names (a name spelled "
                           "with \\u escapes is refused, stricter than the core); jku, x5u, jwk and x5c never choose a "
                           "key; %1 (alg, kid, typ, cty, crit and the allowlist)")
                .arg(dupNote);
        if (ex.allowedHeaders == base.allowedHeaders)
            g.emulated(QStringLiteral("header_allowlist"), headerHow, joined(ex.allowedHeaders), joined(base.allowedHeaders));
        else
            g.notEnforced(QStringLiteral("header_allowlist"),
                          headerHow + QStringLiteral("; the allowlist carries an active exception's extra members "
                                                     "without expiry"),
                          joined(ex.allowedHeaders), joined(base.allowedHeaders));
        g.emulated(QStringLiteral("crit"),
                   QStringLiteral("an ACL refuses any header carrying crit (the core implements no extension)"));

        // typ
        if (base.allowedTypes || base.requireType)
            g.emulated(QStringLiteral("typ"),
                       QStringLiteral("ACL on $.typ (case-insensitive, optional application/ prefix)%1")
                           .arg(base.requireType ? QStringLiteral(", required") : QStringLiteral(", when present")),
                       QString(), base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
        else
            g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));

        g.emulated(QStringLiteral("issuer"),
                   QStringLiteral("ACL on $.iss (a string, exact match); an unknown issuer is refused"));

        // audience_binding
        if (p.issuer->audiences.isEmpty())
            g.enforced(QStringLiteral("audience_binding"),
                       QStringLiteral("the issuer has no audience row: the export refuses all its tokens, as the core "
                                      "does"));
        else
            g.emulated(QStringLiteral("audience_binding"),
                       QStringLiteral("ACLs on $.aud (a string) or $.aud[0] ... $.aud[%1] (an array of strings, checked "
                                      "by a PCRE): an array whose bound audience sits at index %2 or later is rejected "
                                      "here (stricter than the core)")
                           .arg(kAudIndexBound - 1)
                           .arg(kAudIndexBound),
                       joined(p.issuer->audiences), joined(p.issuer->audiences));

        if (p.issuer->subjects.isEmpty())
            g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
        else
            g.emulated(QStringLiteral("subject"), QStringLiteral("ACL on $.sub (a string, exact match)"),
                       joined(p.issuer->subjects), joined(p.issuer->subjects));

        // required_claims
        QStringList unaddressable;
        for (const auto& c : base.requiredClaims) {
            if (!isPathName(c))
                unaddressable << c;
        }
        const QString claimHow =
            QStringLiteral("each claim read with json_query ($.name or $.name[0]): a required claim whose value is an "
                           "object, null or an empty array is rejected here (stricter); %1 (iss, sub, aud, exp, nbf, iat, "
                           "act and the required claims), other duplicated claims pass and the service must not read "
                           "them")
                .arg(dupNote);
        if (base.requiredClaims.isEmpty())
            g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
        else if (unaddressable.isEmpty())
            g.emulated(QStringLiteral("required_claims"), claimHow, joined(base.requiredClaims), joined(base.requiredClaims));
        else
            g.notEnforced(QStringLiteral("required_claims"),
                          QStringLiteral("claim names a JSON path cannot address without escaping are not checked: %1; "
                                         "%2")
                              .arg(joined(unaddressable), claimHow),
                          QString(), joined(base.requiredClaims));

        const QString skewText = seconds(ex.clockSkewSeconds);
        if (base.requiredClaims.contains(QStringLiteral("exp")))
            g.emulated(QStringLiteral("exp_required"),
                       QStringLiteral("exp must be present and a number, and now < exp + %1 by `date` arithmetic (a "
                                      "string exp is refused by a PCRE before json_query would turn it into an integer)")
                           .arg(skewText));
        else
            g.notRequired(QStringLiteral("exp_required"),
                          QStringLiteral("the policy does not require exp (an exp present is still checked)"));
        g.emulated(QStringLiteral("nbf"),
                   QStringLiteral("when present: a number with nbf - %1 <= now by `date` arithmetic").arg(skewText));
        g.emulated(QStringLiteral("iat"),
                   QStringLiteral("when present: a number with iat - %1 <= now by `date` arithmetic (not in the "
                                  "future)")
                       .arg(skewText));
        if (!base.maxLifetimeSeconds)
            g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
        else if (ex.maxLifetimeSeconds == base.maxLifetimeSeconds)
            g.emulated(QStringLiteral("max_lifetime"),
                       QStringLiteral("exp - iat (exp - nbf without iat) <= the limit by sub arithmetic; neither "
                                      "readable: rejected"),
                       seconds(*ex.maxLifetimeSeconds), seconds(*base.maxLifetimeSeconds));
        else
            g.notEnforced(QStringLiteral("max_lifetime"),
                          QStringLiteral("the limit carries an active exception's wider value without expiry"),
                          seconds(ex.maxLifetimeSeconds.value_or(0)), seconds(*base.maxLifetimeSeconds));
        g.clockSkew(ex.clockSkewSeconds,
                    QStringLiteral("the skew is added in the exp, nbf and iat arithmetic on `date` (HAProxy's clock)"));

        // key_pinning, key_strength
        QStringList kids;
        for (const auto& k : out.keys) {
            if (k.secretVar.isEmpty())
                kids << (k.key.kid.isEmpty() ? QStringLiteral("(no kid)") : k.key.kid);
        }
        const QString secrets = out.secretVars.isEmpty()
            ? QString()
            : QStringLiteral("; HMAC secrets are never written into the export: HAProxy reads them from the environment "
                             "variable(s) %1 when it starts (a root-only EnvironmentFile); unset or empty, HS tokens are "
                             "rejected; the export cannot check that the secret given is the policy's, and HAProxy takes "
                             "it as text (a secret with NUL bytes cannot be given)")
                  .arg(out.secretVars.join(QStringLiteral(", ")));
        if (p.pinned()) {
            g.enforced(QStringLiteral("key_pinning"),
                       QStringLiteral("one PEM public-key file per pinned key under %1, one jwt_verify per key chosen by "
                                      "an ACL on kid (%2; a key without kid only for tokens without kid); rotation: "
                                      "re-export, replace the files, reload HAProxy (keys are read at start)%3")
                           .arg(keyDir, kids.join(QStringLiteral(", ")), secrets),
                       QStringLiteral("%1 pinned key(s)").arg(p.keys.size()));
            g.enforced(QStringLiteral("key_strength"),
                       QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits, EC points on "
                                      "their curve)")
                           .arg(keys::kMinRsaBits));
        } else if (!out.secretVars.isEmpty()) {
            g.notEnforced(QStringLiteral("key_pinning"), QStringLiteral("the issuer has only HMAC secrets") + secrets,
                          QStringLiteral("secret from the environment"));
            g.notEnforced(QStringLiteral("key_strength"),
                          QStringLiteral("the secret's length is whatever the environment gives HAProxy"));
        } else {
            g.notEnforced(QStringLiteral("key_pinning"),
                          QStringLiteral("no key can be exported for this issuer%1: the export refuses all its tokens")
                              .arg(p.jwksUri.isEmpty()
                                       ? QString()
                                       : QStringLiteral(" (HAProxy cannot fetch a JWKS: %1 must be pinned first, e.g. "
                                                        "`jwt-policy keys fetch --write`)")
                                             .arg(p.jwksUri)));
            g.notEnforced(QStringLiteral("key_strength"), QStringLiteral("no exported key"));
        }

        // exceptions
        if (p.activeExceptions.isEmpty()) {
            g.exceptions(false, {});
        } else if (out.ungatedLoosening.isEmpty()) {
            g.exceptions(true, QStringLiteral("their extra algorithms and keys are turned off by `date lt` ACLs at expiry "
                                              "(HAProxy's clock)"));
        } else {
            QStringList items;
            for (const auto& e : p.activeExceptions)
                items << QStringLiteral("%1 until %2").arg(e.id, e.expires.toUTC().toString(Qt::ISODate));
            g.notEnforced(QStringLiteral("exceptions"),
                          QStringLiteral("extra algorithms and keys end at expiry by `date lt` ACLs, but the extra "
                                         "headers, kids, skew or lifetime of %1 are carried without expiry; re-export "
                                         "at expiry (%2)")
                              .arg(out.ungatedLoosening.join(QStringLiteral(", ")), items.join(QStringLiteral(", "))));
        }

        // key_refresh
        const auto& refresh = p.issuer->keys.refresh;
        if (refresh || !p.jwksUri.isEmpty())
            g.notEnforced(QStringLiteral("key_refresh"),
                          QStringLiteral("HAProxy cannot fetch or cache a JWKS%1: a key rotation is a re-export, new "
                                         "PEM files under %2 and a reload, so a new key is refused until then")
                              .arg(p.jwksUri.isEmpty() ? QString() : QStringLiteral(" (%1 is not fetched)").arg(p.jwksUri),
                                   keyDir),
                          QStringLiteral("reload"));
        else
            g.notRequired(QStringLiteral("key_refresh"),
                          QStringLiteral("keys are pinned; a rotation is a re-export and a reload of HAProxy"));
        Q_UNUSED(policy);
        return g.take();
    }
};

} // namespace

std::unique_ptr<Exporter> makeHaproxyExporter()
{
    return std::make_unique<HaproxyExporter>();
}

} // namespace jwb::exporting::detail
