// SPDX-License-Identifier: Apache-2.0
// OPA: a Rego module (rego.v1) with one rule per issuer calling io.jwt.decode_verify with cert, alg,
// iss, aud and time, plus Rego for what the built-in lacks (header allowlist, crit, typ, skew,
// iat, lifetime, required claims, subjects). Facts from the OPA token built-ins reference:
// decode_verify takes one alg, one iss, one aud and an evaluation time in nanoseconds, checks exp and
// nbf against that time with no leeway, and returns [valid, header, payload]. Each active exception
// becomes its own rule guarded by its expiry, so OPA expires it by itself.
#include "export/ExportSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace jwb::exporting::detail {

namespace {

QString quoted(const QString& s)
{
    // A JSON string literal is a valid Rego string literal.
    return QString::fromUtf8(QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

QString regoSet(const QStringList& items, bool lower = false)
{
    QStringList q;
    for (const auto& i : items)
        q << quoted(lower ? i.toLower() : i);
    return q.isEmpty() ? QStringLiteral("set()") : u'{' + q.join(QStringLiteral(", ")) + u'}';
}

QString ident(const QString& slug)
{
    QString out = slug;
    out.replace(u'-', u'_');
    return out;
}

QByteArray jwksOf(const QList<keys::Key>& keyList)
{
    QJsonArray arr;
    for (const auto& k : keyList) {
        if (k.type != keys::KeyType::Oct)
            arr.append(QJsonDocument::fromJson(keys::toPublicJwk(k)).object());
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), arr}}).toJson(QJsonDocument::Compact);
}

const char kPrelude[] = R"(
import rego.v1

# Input: {"token": "<compact JWS>"}. Decision: allow. `verified` holds the verified claim sets.
token := input.token

# Unverified decode: used only to pick the issuer's rule and the evaluation instant; every value
# that decides is re-read from decode_verify's verified result.
unverified := io.jwt.decode(token)

default allow := false

allow if count(verified) > 0

now_ns := time.now_ns()

# decode_verify has no leeway. Evaluating it at max(now - skew, nbf) gives exp the policy's skew;
# nbf and iat are then compared with the skew here.
eval_ns(skew_s) := max({now_ns - (skew_s * 1000000000), unverified[1].nbf * 1000000000}) if {
	is_number(unverified[1].nbf)
} else := now_ns - (skew_s * 1000000000)

header_ok(header, allowed) if {
	every name in object.keys(header) {
		name in allowed
	}
	not "crit" in object.keys(header)
}

# typ compared as RFC 7515 section 4.1.9 says: case-insensitive, "application/" optional.
typ_ok(header, allowed, _) if trim_prefix(lower(header.typ), "application/") in allowed

typ_ok(header, _, required) if {
	not required
	not "typ" in object.keys(header)
}

time_ok(payload, skew_s) if {
	limit := now_ns + (skew_s * 1000000000)
	every c in {"nbf", "iat"} & object.keys(payload) {
		is_number(payload[c])
		payload[c] * 1000000000 <= limit
	}
}

lifetime_ok(_, max_s) if max_s < 0

lifetime_ok(payload, max_s) if {
	is_number(payload.exp)
	is_number(payload.iat)
	payload.exp - payload.iat <= max_s
}

required_ok(payload, required) if {
	every c in required {
		c in object.keys(payload)
	}
}
)";

struct RuleSpec {
    const IssuerPlan* plan = nullptr;
    policy::EffectiveRules rules;
    QList<keys::Key> keys;
    const policy::PolicyException* exception = nullptr;
};

QString ruleText(const RuleSpec& r, const QString& certExpr)
{
    const auto& p = *r.plan;
    const auto& rules = r.rules;
    QString t;
    if (r.exception)
        t += QStringLiteral("\n# Issuer %1, loosened by exception %2 until %3 (owner %4).\n")
                 .arg(p.iss(), r.exception->id, r.exception->expires.toUTC().toString(Qt::ISODate),
                      r.exception->owner);
    else
        t += QStringLiteral("\n# Issuer %1.\n").arg(p.iss());
    t += QStringLiteral("verified contains payload if {\n");
    t += QStringLiteral("\tunverified[1].iss == %1\n").arg(quoted(p.iss()));
    if (r.exception)
        t += QStringLiteral("\tnow_ns < time.parse_rfc3339_ns(%1)\n")
                 .arg(quoted(r.exception->expires.toUTC().toString(Qt::ISODate)));
    t += QStringLiteral("\tunverified[0].alg in %1\n").arg(regoSet(rules.algorithms));
    const bool hasAud = !p.issuer->audiences.isEmpty();
    if (hasAud)
        t += QStringLiteral("\tsome aud in %1\n").arg(regoSet(p.issuer->audiences));
    t += QStringLiteral("\t[valid, header, payload] := io.jwt.decode_verify(token, {\n");
    t += QStringLiteral("\t\t\"cert\": %1,\n").arg(certExpr);
    t += QStringLiteral("\t\t\"alg\": unverified[0].alg,\n");
    t += QStringLiteral("\t\t\"iss\": %1,\n").arg(quoted(p.iss()));
    if (hasAud)
        t += QStringLiteral("\t\t\"aud\": aud,\n");
    t += QStringLiteral("\t\t\"time\": eval_ns(%1)\n").arg(rules.clockSkewSeconds);
    t += QStringLiteral("\t})\n\tvalid\n");
    t += QStringLiteral("\theader_ok(header, %1)\n").arg(regoSet(rules.allowedHeaders));
    if (rules.allowedTypes || rules.requireType) {
        QStringList types;
        for (const auto& x : rules.allowedTypes.value_or(QStringList{})) {
            QString v = x.toLower();
            if (v.startsWith(QStringLiteral("application/")))
                v = v.mid(12);
            types << v;
        }
        t += QStringLiteral("\ttyp_ok(header, %1, %2)\n")
                 .arg(rules.allowedTypes ? regoSet(types) : QStringLiteral("{lower(header.typ)}"),
                      rules.requireType ? QStringLiteral("true") : QStringLiteral("false"));
    }
    t += QStringLiteral("\ttime_ok(payload, %1)\n").arg(rules.clockSkewSeconds);
    t += QStringLiteral("\tlifetime_ok(payload, %1)\n").arg(rules.maxLifetimeSeconds.value_or(-1));
    t += QStringLiteral("\trequired_ok(payload, %1)\n").arg(regoSet(rules.requiredClaims));
    if (!p.issuer->subjects.isEmpty())
        t += QStringLiteral("\tpayload.sub in %1\n").arg(regoSet(p.issuer->subjects));
    t += QStringLiteral("}\n");
    return t;
}

QList<GapEntry> opaGaps(const IssuerPlan& p, bool remote)
{
    GapBuilder g(Target::Opa, p);
    const auto& base = p.base;
    g.enforced(QStringLiteral("algorithm_pin"),
               QStringLiteral("the header alg must be in the pin and is passed to decode_verify as alg"),
               joined(base.algorithms), joined(base.algorithms));
    g.emulated(QStringLiteral("header_allowlist"), QStringLiteral("Rego: every header member in the allowlist"),
               joined(base.allowedHeaders), joined(base.allowedHeaders));
    g.emulated(QStringLiteral("crit"), QStringLiteral("Rego: a header with crit is refused"));
    if (base.allowedTypes || base.requireType)
        g.emulated(QStringLiteral("typ"), QStringLiteral("Rego: typ compared per RFC 7515 section 4.1.9"),
                   QString(), base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
    else
        g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
    g.enforced(QStringLiteral("issuer"), QStringLiteral("decode_verify iss"));
    if (p.issuer->audiences.isEmpty())
        g.notRequired(QStringLiteral("audience_binding"),
                      QStringLiteral("the issuer has no audience row (decode_verify then refuses tokens with aud)"));
    else
        g.enforced(QStringLiteral("audience_binding"), QStringLiteral("decode_verify aud, tried for each audience of the row"),
                   joined(p.issuer->audiences), joined(p.issuer->audiences));
    if (p.issuer->subjects.isEmpty())
        g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
    else
        g.emulated(QStringLiteral("subject"), QStringLiteral("Rego: payload.sub in the allowlist"),
                   joined(p.issuer->subjects), joined(p.issuer->subjects));
    if (base.requiredClaims.isEmpty())
        g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
    else
        g.emulated(QStringLiteral("required_claims"), QStringLiteral("Rego: each required claim present"),
                   joined(base.requiredClaims), joined(base.requiredClaims));
    if (base.requiredClaims.contains(QStringLiteral("exp")))
        g.emulated(QStringLiteral("exp_required"), QStringLiteral("Rego: exp present; decode_verify checks its value"));
    else
        g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));
    g.emulated(QStringLiteral("nbf"), QStringLiteral("Rego: nbf <= now + skew when present"));
    g.emulated(QStringLiteral("iat"), QStringLiteral("Rego: iat is a number and not later than now + skew"));
    if (base.maxLifetimeSeconds)
        g.emulated(QStringLiteral("max_lifetime"), QStringLiteral("Rego: exp - iat within the limit"),
                   seconds(*base.maxLifetimeSeconds), seconds(*base.maxLifetimeSeconds));
    else
        g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
    g.emulated(QStringLiteral("clock_skew"),
               QStringLiteral("decode_verify has no leeway: it is evaluated at max(now - skew, nbf), so exp gets the "
                              "skew, and nbf/iat are compared with the skew in Rego"),
               seconds(base.clockSkewSeconds), seconds(base.clockSkewSeconds));
    g.keys(QStringLiteral("decode_verify cert carries the pinned JWKS"), QStringLiteral("http.send of jwks_uri"));
    g.exceptions(true, QStringLiteral("each active exception is its own rule guarded by now < its expiry"));
    const auto& refresh = p.issuer->keys.refresh;
    if (!remote) {
        g.notRequired(QStringLiteral("key_refresh"), QStringLiteral("keys are pinned in the module; nothing is fetched"));
    } else if (!refresh) {
        g.enforced(QStringLiteral("key_refresh"),
                   QStringLiteral("the policy sets no refresh; http.send caches per the response headers"));
    } else {
        const QStringList missing = refreshSettingsBeyondCache(*refresh);
        const QString how = QStringLiteral("http.send force_cache_duration_seconds from cache_seconds");
        if (missing.isEmpty())
            g.emulated(QStringLiteral("key_refresh"), how,
                       refresh->cacheSeconds ? seconds(*refresh->cacheSeconds) : QString());
        else
            g.notEnforced(QStringLiteral("key_refresh"),
                          how + QStringLiteral("; no equivalent for ") + missing.join(QStringLiteral(", ")));
    }
    return g.take();
}

class OpaExporter final : public Exporter {
public:
    Target target() const override { return Target::Opa; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planIssuers(policy, profile.atUnixSeconds);
        if (!planned)
            return planned.error();
        ExportResult result;
        QString text = exportBanner(policy, Target::Opa, QStringLiteral("#"));
        text += QStringLiteral("package %1\n").arg(profile.opaPackage);
        text += QString::fromLatin1(kPrelude);
        for (const IssuerPlan& p : *planned) {
            const bool remote = !p.pinned() && !p.jwksUri.isEmpty();
            QString cert;
            if (remote) {
                const QString var = QStringLiteral("jwks_") + ident(p.slug);
                const auto& refresh = p.issuer->keys.refresh;
                QString req = QStringLiteral("{\"method\": \"GET\", \"url\": %1, \"force_cache\": true, "
                                             "\"force_cache_duration_seconds\": %2, \"raise_error\": false}")
                                  .arg(quoted(p.jwksUri))
                                  .arg(refresh && refresh->cacheSeconds ? *refresh->cacheSeconds : 600);
                text += QStringLiteral("\n# Remote JWKS of %1 (not pinned by the policy).\n%2 := http.send(%3).raw_body\n")
                            .arg(p.iss(), var, req);
                cert = var;
            }
            RuleSpec base{&p, p.base, p.keys, nullptr};
            // The base rule never carries exception keys.
            base.keys = p.issuer->keys.resolved;
            text += ruleText(base, remote ? cert : QStringLiteral("`%1`").arg(QString::fromUtf8(jwksOf(base.keys))));
            for (const auto& ex : p.activeExceptions) {
                RuleSpec r{&p, loosen(p.base, ex.allow), p.issuer->keys.resolved, &ex};
                if (ex.allow.keys)
                    r.keys += ex.allow.keys->resolved;
                text += ruleText(r, remote && !ex.allow.keys
                                        ? cert
                                        : QStringLiteral("`%1`").arg(QString::fromUtf8(jwksOf(r.keys))));
            }
            result.gaps += opaGaps(p, remote);
        }
        result.text = text.toUtf8();
        return result;
    }
};

} // namespace

std::unique_ptr<Exporter> makeOpaExporter()
{
    return std::make_unique<OpaExporter>();
}

} // namespace jwb::exporting::detail
