// SPDX-License-Identifier: Apache-2.0
// NGINX Plus auth_jwt: `map` blocks (http context) and a location (server context) with
// auth_jwt, auth_jwt_type signed, auth_jwt_key_file (the pinned keys, written beside the snippet as a
// JWKS file) or auth_jwt_key_request for remote JWKS, auth_jwt_leeway, and auth_jwt_require over
// the map results. Facts from the ngx_http_auth_jwt_module reference: exp and nbf are checked when
// present, within auth_jwt_leeway (default 0); iss, aud, alg and any other check need a map plus
// auth_jwt_require; $jwt_header_NAME and $jwt_claim_NAME expose single members.
#include "export/ExportSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace jwb::exporting::detail {

namespace {

// PCRE-escapes a literal for a map regex; nginx keeps backslashes inside quoted strings.
QString rx(const QString& literal)
{
    static const QString special = QStringLiteral("\\^$.|?*+()[]{}\"");
    QString out;
    for (QChar c : literal) {
        if (special.contains(c))
            out += u'\\';
        out += c;
    }
    return out;
}

bool isVariableName(const QString& claim)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_]+$"));
    return re.match(claim).hasMatch();
}

struct MapBlock {
    QString source;     // "$jwt_claim_iss $jwt_header_alg"
    QString variable;   // "$jwb_alg_ok"
    QStringList regexes;// entries mapped to 1 (case-sensitive regex unless it starts with "~*")
    QString text() const
    {
        QString t = QStringLiteral("map \"%1\" %2 {\n    default 0;\n").arg(source, variable);
        for (const auto& r : regexes)
            t += QStringLiteral("    \"%1\" 1;\n").arg(r);
        return t + QStringLiteral("}\n");
    }
};

class NginxExporter final : public Exporter {
public:
    Target target() const override { return Target::Nginx; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planIssuers(policy, profile.atUnixSeconds);
        if (!planned)
            return planned.error();
        const QList<IssuerPlan>& plans = *planned;
        ExportResult result;
        const QString base = QString(profile.name.isEmpty() ? policy.name : profile.name)
                                 .toLower()
                                 .replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
        const QString keyFileName = (base.isEmpty() ? QStringLiteral("jwt-policy") : base) + QStringLiteral(".jwks.json");

        int leeway = plans.first().exported.clockSkewSeconds;
        for (const auto& p : plans)
            leeway = std::min(leeway, p.exported.clockSkewSeconds);

        int pinnedIssuers = 0;
        for (const auto& p : plans)
            pinnedIssuers += p.pinned() ? 1 : 0;
        const bool sharedKeys = plans.size() > 1;

        MapBlock iss{QStringLiteral("$jwt_claim_iss"), QStringLiteral("$jwb_iss_ok"), {}};
        MapBlock alg{QStringLiteral("$jwt_claim_iss $jwt_header_alg"), QStringLiteral("$jwb_alg_ok"), {}};
        MapBlock aud{QStringLiteral("$jwt_claim_iss $jwt_claim_aud"), QStringLiteral("$jwb_aud_ok"), {}};
        MapBlock typ{QStringLiteral("$jwt_claim_iss $jwt_header_typ"), QStringLiteral("$jwb_typ_ok"), {}};
        MapBlock sub{QStringLiteral("$jwt_claim_iss $jwt_claim_sub"), QStringLiteral("$jwb_sub_ok"), {}};
        MapBlock crit{QStringLiteral("$jwt_header_crit"), QStringLiteral("$jwb_crit_ok"), {QStringLiteral("~^$")}};
        MapBlock kid{QStringLiteral("$jwt_claim_iss $jwt_header_kid"), QStringLiteral("$jwb_kid_ok"), {}};
        QMap<QString, MapBlock> claimMaps;
        for (const auto& p : plans) {
            for (const auto& c : p.exported.requiredClaims) {
                if (isVariableName(c) && !claimMaps.contains(c))
                    claimMaps.insert(c, MapBlock{QStringLiteral("$jwt_claim_iss $jwt_claim_") + c,
                                                 QStringLiteral("$jwb_claim_%1_ok").arg(c), {}});
            }
        }

        QJsonArray keyFile;
        QStringList keyRequests;
        QStringList internalLocations;
        bool anyRemote = false;
        qint64 keyCache = 0;
        for (const IssuerPlan& p : plans) {
            const QString i = rx(p.iss());
            const auto& r = p.exported;
            iss.regexes << QStringLiteral("~^%1$").arg(i);
            QStringList algs;
            for (const auto& a : r.algorithms)
                algs << rx(a);
            if (!algs.isEmpty())
                alg.regexes << QStringLiteral("~^%1 (%2)$").arg(i, algs.join(u'|'));
            if (p.issuer->audiences.isEmpty()) {
                aud.regexes << QStringLiteral("~^%1 ").arg(i);
            } else {
                QStringList a;
                for (const auto& x : p.issuer->audiences)
                    a << rx(x);
                aud.regexes << QStringLiteral("~^%1 (.*,)?(%2)(,.*)?$").arg(i, a.join(u'|'));
            }
            if (r.allowedTypes || r.requireType) {
                QStringList t;
                for (const auto& x : r.allowedTypes.value_or(QStringList{})) {
                    QString v = x;
                    if (v.startsWith(QStringLiteral("application/"), Qt::CaseInsensitive))
                        v = v.mid(12);
                    t << rx(v);
                }
                const QString alternatives = t.isEmpty() ? QStringLiteral(".+") : QStringLiteral("(application/)?(%1)").arg(t.join(u'|'));
                typ.regexes << QStringLiteral("~*^%1 %2$").arg(i, alternatives);
                if (!r.requireType)
                    typ.regexes << QStringLiteral("~^%1 $").arg(i);
            } else {
                typ.regexes << QStringLiteral("~^%1 ").arg(i);
            }
            if (p.issuer->subjects.isEmpty()) {
                sub.regexes << QStringLiteral("~^%1 ").arg(i);
            } else {
                QStringList s;
                for (const auto& x : p.issuer->subjects)
                    s << rx(x);
                sub.regexes << QStringLiteral("~^%1 (%2)$").arg(i, s.join(u'|'));
            }
            for (auto it = claimMaps.begin(); it != claimMaps.end(); ++it) {
                if (r.requiredClaims.contains(it.key()))
                    it->regexes << QStringLiteral("~^%1 .+$").arg(i);
                else
                    it->regexes << QStringLiteral("~^%1 ").arg(i);
            }
            if (p.pinned()) {
                QStringList kids;
                bool allHaveKid = true;
                for (const auto& k : p.keys) {
                    keyFile.append(QJsonDocument::fromJson(keys::toPublicJwk(k)).object());
                    if (k.kid.isEmpty())
                        allHaveKid = false;
                    else
                        kids << rx(k.kid);
                }
                kid.regexes << (allHaveKid ? QStringLiteral("~^%1 (%2)$").arg(i, kids.join(u'|'))
                                           : QStringLiteral("~^%1 ").arg(i));
            } else if (!p.jwksUri.isEmpty()) {
                anyRemote = true;
                const QString loc = QStringLiteral("/_jwb_jwks_") + p.slug;
                keyRequests << loc;
                internalLocations << QStringLiteral("location = %1 {\n    internal;\n    proxy_pass %2;\n}\n")
                                         .arg(loc, p.jwksUri);
                kid.regexes << QStringLiteral("~^%1 ").arg(i);
                const auto& refresh = p.issuer->keys.refresh;
                const qint64 c = refresh && refresh->cacheSeconds ? *refresh->cacheSeconds : 0;
                keyCache = keyCache == 0 ? c : (c == 0 ? keyCache : std::min(keyCache, c));
            } else {
                kid.regexes << QStringLiteral("~^%1 ").arg(i);
            }
        }

        QList<const MapBlock*> maps{&iss, &alg, &aud, &crit};
        bool anyTyp = false, anySub = false;
        for (const auto& p : plans) {
            anyTyp = anyTyp || p.exported.allowedTypes || p.exported.requireType;
            anySub = anySub || !p.issuer->subjects.isEmpty();
        }
        if (anyTyp)
            maps << &typ;
        if (anySub)
            maps << &sub;
        for (const auto& m : claimMaps)
            maps << &m;
        if (sharedKeys)
            maps << &kid;

        QString text = exportBanner(policy, Target::Nginx, QStringLiteral("#"));
        text += QStringLiteral("\n# ---- http context ----\n");
        QStringList required;
        for (const MapBlock* m : maps) {
            text += m->text();
            required << m->variable;
        }
        text += QStringLiteral("\n# ---- server context ----\n");
        text += QStringLiteral("location %1 {\n").arg(profile.routePrefix);
        QString token;
        if (profile.headerName.compare(QStringLiteral("Authorization"), Qt::CaseInsensitive) != 0)
            token = QStringLiteral(" token=$http_") + profile.headerName.toLower().replace(u'-', u'_');
        text += QStringLiteral("    auth_jwt \"%1\"%2;\n").arg(policy.name, token);
        text += QStringLiteral("    auth_jwt_type signed;\n");
        if (!keyFile.isEmpty()) {
            text += QStringLiteral("    auth_jwt_key_file %1/%2;\n").arg(profile.nginxKeyDir, keyFileName);
            result.extraFiles.insert(
                keyFileName,
                QJsonDocument(QJsonObject{{QStringLiteral("keys"), keyFile}}).toJson(QJsonDocument::Indented));
        }
        for (const auto& loc : keyRequests)
            text += QStringLiteral("    auth_jwt_key_request %1;\n").arg(loc);
        if (anyRemote && keyCache > 0)
            text += QStringLiteral("    auth_jwt_key_cache %1s;\n").arg(keyCache);
        text += QStringLiteral("    auth_jwt_leeway %1s;\n").arg(leeway);
        text += QStringLiteral("    auth_jwt_require %1 error=401;\n").arg(required.join(u' '));
        text += QStringLiteral("}\n");
        for (const auto& loc : internalLocations)
            text += loc;
        result.text = text.toUtf8();

        for (const IssuerPlan& p : plans)
            result.gaps += gaps(p, leeway, sharedKeys, keyCache, pinnedIssuers);
        return result;
    }

private:
    static QList<GapEntry> gaps(const IssuerPlan& p, int leeway, bool sharedKeys, qint64 keyCache, int pinnedIssuers)
    {
        GapBuilder g(Target::Nginx, p);
        const auto& base = p.base;
        const auto& ex = p.exported;
        if (ex.algorithms == base.algorithms)
            g.emulated(QStringLiteral("algorithm_pin"),
                       QStringLiteral("map on $jwt_claim_iss and $jwt_header_alg, required by auth_jwt_require"),
                       joined(ex.algorithms), joined(base.algorithms));
        else
            g.notEnforced(QStringLiteral("algorithm_pin"),
                          QStringLiteral("the map carries an active exception's extra algorithms"),
                          joined(ex.algorithms), joined(base.algorithms));
        if (ex.allowedHeaders == base.allowedHeaders)
            g.notEnforced(QStringLiteral("header_allowlist"),
                          QStringLiteral("NGINX exposes header members by name only, so an unexpected member cannot "
                                         "be detected"),
                          QString(), joined(base.allowedHeaders));
        else
            g.notEnforced(QStringLiteral("header_allowlist"),
                          QStringLiteral("NGINX cannot enforce a header allowlist"), QString(),
                          joined(base.allowedHeaders));
        g.emulated(QStringLiteral("crit"), QStringLiteral("map on $jwt_header_crit: a token carrying crit is refused"));
        if (base.allowedTypes || base.requireType)
            g.emulated(QStringLiteral("typ"),
                       QStringLiteral("map on $jwt_header_typ (case-insensitive, optional application/ prefix)"),
                       QString(), base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
        else
            g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
        g.emulated(QStringLiteral("issuer"), QStringLiteral("map on $jwt_claim_iss (exact, case-sensitive regex)"));
        if (p.issuer->audiences.isEmpty())
            g.notRequired(QStringLiteral("audience_binding"), QStringLiteral("the issuer has no audience row"));
        else
            g.emulated(QStringLiteral("audience_binding"),
                       QStringLiteral("map on $jwt_claim_iss and $jwt_claim_aud (array values comma-separated)"),
                       joined(p.issuer->audiences), joined(p.issuer->audiences));
        if (p.issuer->subjects.isEmpty())
            g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
        else
            g.emulated(QStringLiteral("subject"), QStringLiteral("map on $jwt_claim_iss and $jwt_claim_sub"),
                       joined(p.issuer->subjects), joined(p.issuer->subjects));
        QStringList unmappable;
        for (const auto& c : base.requiredClaims) {
            if (!isVariableName(c))
                unmappable << c;
        }
        if (base.requiredClaims.isEmpty())
            g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
        else if (unmappable.isEmpty())
            g.emulated(QStringLiteral("required_claims"),
                       QStringLiteral("one map per claim on $jwt_claim_NAME (present and non-empty)"),
                       joined(base.requiredClaims), joined(base.requiredClaims));
        else
            g.notEnforced(QStringLiteral("required_claims"),
                          QStringLiteral("claim names that are not NGINX variable names cannot be mapped: %1")
                              .arg(joined(unmappable)),
                          QString(), joined(base.requiredClaims));
        if (base.requiredClaims.contains(QStringLiteral("exp")))
            g.emulated(QStringLiteral("exp_required"), QStringLiteral("map on $jwt_claim_exp"));
        else
            g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));
        g.enforced(QStringLiteral("nbf"), QStringLiteral("checked when present, within auth_jwt_leeway"));
        g.notEnforced(QStringLiteral("iat"), QStringLiteral("auth_jwt does not check iat"));
        if (base.maxLifetimeSeconds)
            g.notEnforced(QStringLiteral("max_lifetime"),
                          QStringLiteral("a map cannot compute exp - iat"), QStringLiteral("unlimited"),
                          seconds(*base.maxLifetimeSeconds));
        else
            g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
        g.clockSkew(leeway, QStringLiteral("auth_jwt_leeway (one per location: the smallest exported issuer skew)"));

        if (p.pinned()) {
            bool allHaveKid = true;
            for (const auto& k : p.keys)
                allHaveKid = allHaveKid && !k.kid.isEmpty();
            QString how = QStringLiteral("auth_jwt_key_file carries the pinned keys");
            if (!p.withheldSecrets.isEmpty())
                how += QStringLiteral("; HMAC secrets are never written into an export");
            if (!sharedKeys || allHaveKid) {
                if (sharedKeys)
                    how += QStringLiteral("; the keys of all issuers share one key set, and a map binds this "
                                          "issuer's tokens to its own kids");
                g.enforced(QStringLiteral("key_pinning"), how, QStringLiteral("%1 pinned key(s)").arg(p.keys.size()));
            } else {
                g.notEnforced(QStringLiteral("key_pinning"),
                              how + QStringLiteral("; a key without kid cannot be bound to this issuer, so another "
                                                   "issuer's key can verify this issuer's tokens"));
            }
            g.enforced(QStringLiteral("key_strength"),
                       QStringLiteral("only keys the core accepted at load are exported"));
        } else if (!p.jwksUri.isEmpty()) {
            g.notEnforced(QStringLiteral("key_pinning"),
                          QStringLiteral("auth_jwt_key_request fetches %1 at run time%2")
                              .arg(p.jwksUri,
                                   pinnedIssuers > 0 || sharedKeys
                                       ? QStringLiteral("; its keys join the location's key set, and no kid list "
                                                        "binds them to this issuer")
                                       : QString()),
                          QStringLiteral("remote JWKS"));
            g.notEnforced(QStringLiteral("key_strength"),
                          QStringLiteral("whatever the remote JWKS serves is used; the core's minimum key sizes are "
                                         "not checked"));
        } else {
            g.notEnforced(QStringLiteral("key_pinning"), QStringLiteral("no key can be exported for this issuer"));
            g.notEnforced(QStringLiteral("key_strength"), QStringLiteral("no exported key"));
        }
        g.exceptions(false, {});
        const auto& refresh = p.issuer->keys.refresh;
        if (p.pinned()) {
            g.notRequired(QStringLiteral("key_refresh"), QStringLiteral("keys are pinned in the key file"));
        } else if (!refresh) {
            g.enforced(QStringLiteral("key_refresh"),
                       QStringLiteral("the policy sets no refresh; the JWKS is requested per auth_jwt_key_cache"));
        } else {
            const QStringList missing = refreshSettingsBeyondCache(*refresh);
            const QString exported = keyCache > 0 ? seconds(keyCache) : QStringLiteral("no cache");
            if (missing.isEmpty())
                g.enforced(QStringLiteral("key_refresh"), QStringLiteral("auth_jwt_key_cache from cache_seconds"),
                           exported);
            else
                g.notEnforced(QStringLiteral("key_refresh"),
                              QStringLiteral("auth_jwt_key_cache from cache_seconds; no equivalent for %1")
                                  .arg(missing.join(QStringLiteral(", "))),
                              exported);
        }
        return g.take();
    }
};

} // namespace

std::unique_ptr<Exporter> makeNginxExporter()
{
    return std::make_unique<NginxExporter>();
}

} // namespace jwb::exporting::detail
