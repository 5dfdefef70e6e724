// SPDX-License-Identifier: Apache-2.0
// Kong declarative config: a service and route with the jwt plugin (key_claim_name iss,
// claims_to_verify [exp, nbf], maximum_expiration) and one consumer per issuer whose jwt_secrets
// credential (key = the issuer, algorithm, rsa_public_key PEM) pins one key. Facts from the Kong
// jwt plugin reference: the credential is found by the key claim; the token's alg must equal the
// credential's algorithm; exp and nbf are checked only when listed in claims_to_verify, without
// leeway, and a listed claim that is missing is refused; maximum_expiration bounds exp - now
// (0..31536000) and refuses a token without exp; no audience, subject or typ check;
// keys come only from credentials (no JWKS fetching).
#include "export/ExportSupport.h"

#include "keys/PemExport.h"

#include <yaml-cpp/yaml.h>

namespace jwb::exporting::detail {

namespace {

constexpr qint64 kKongMaxExpiration = 31536000;

bool kongSupports(crypto::Algorithm alg)
{
    switch (crypto::family(alg)) {
    case crypto::Family::Rsa:
    case crypto::Family::RsaPss:
    case crypto::Family::Ecdsa: return true;
    default: return false;
    }
}

// The one key and algorithm a Kong credential can carry for an issuer.
struct Credential {
    const keys::Key* key = nullptr;
    crypto::Algorithm alg = crypto::Algorithm::Unsupported;
    QByteArray pem;
};

Credential pickCredential(const IssuerPlan& plan)
{
    for (const auto& key : plan.keys) {
        for (const auto& name : plan.exported.algorithms) {
            const auto alg = crypto::algorithmFromName(name);
            if (!kongSupports(alg) || !key.usableWith(alg))
                continue;
            auto pem = keys::toPublicPem(key);
            if (!pem)
                continue;
            return Credential{&key, alg, *pem};
        }
    }
    return {};
}

QList<GapEntry> kongGaps(const IssuerPlan& plan, const Credential& cred, qint64 maximumExpiration)
{
    GapBuilder g(Target::Kong, plan);
    const auto& base = plan.base;
    const auto& ex = plan.exported;
    if (cred.key)
        g.enforced(QStringLiteral("algorithm_pin"),
                   QStringLiteral("jwt_secrets algorithm: the token's alg must equal the credential's (one per "
                                  "issuer; other pinned algorithms are rejected here)"),
                   crypto::algorithmName(cred.alg), joined(ex.algorithms));
    else
        g.notEnforced(QStringLiteral("algorithm_pin"),
                      QStringLiteral("no credential could be exported for this issuer"), QString(),
                      joined(ex.algorithms));
    g.notEnforced(QStringLiteral("header_allowlist"), QStringLiteral("the jwt plugin has no header allowlist"),
                  QString(), joined(ex.allowedHeaders));
    g.notEnforced(QStringLiteral("crit"), QStringLiteral("the jwt plugin has no setting that rejects crit"));
    if (base.allowedTypes || base.requireType)
        g.notEnforced(QStringLiteral("typ"), QStringLiteral("the jwt plugin has no typ setting"), QString(),
                      base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
    else
        g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
    g.enforced(QStringLiteral("issuer"),
               QStringLiteral("key_claim_name iss selects the consumer whose credential key is this issuer"));
    if (plan.issuer->audiences.isEmpty())
        g.notRequired(QStringLiteral("audience_binding"), QStringLiteral("the issuer has no audience row"));
    else
        g.notEnforced(QStringLiteral("audience_binding"), QStringLiteral("the jwt plugin does not check aud"),
                      QString(), joined(plan.issuer->audiences));
    if (plan.issuer->subjects.isEmpty())
        g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
    else
        g.notEnforced(QStringLiteral("subject"), QStringLiteral("the jwt plugin does not check sub"), QString(),
                      joined(plan.issuer->subjects));
    QStringList others = base.requiredClaims;
    others.removeAll(QStringLiteral("exp"));
    if (others.isEmpty())
        g.enforced(QStringLiteral("required_claims"),
                   QStringLiteral("exp through claims_to_verify (a listed claim that is missing is refused)"));
    else
        g.notEnforced(QStringLiteral("required_claims"),
                      QStringLiteral("the jwt plugin cannot require %1").arg(joined(others)), QString(),
                      joined(base.requiredClaims));
    if (base.requiredClaims.contains(QStringLiteral("exp")))
        g.enforced(QStringLiteral("exp_required"),
                   QStringLiteral("exp listed in claims_to_verify: a token whose exp is missing or not a number is "
                                  "refused"));
    else
        g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));
    g.stricter(QStringLiteral("nbf"),
               QStringLiteral("nbf listed in claims_to_verify, without leeway; stricter than the policy: Kong also "
                              "refuses tokens that carry no nbf"));
    g.notEnforced(QStringLiteral("iat"), QStringLiteral("the jwt plugin does not check iat"));
    if (!base.maxLifetimeSeconds)
        g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
    else if (maximumExpiration != 0 && maximumExpiration <= *base.maxLifetimeSeconds)
        g.emulated(QStringLiteral("max_lifetime"),
                   QStringLiteral("maximum_expiration bounds exp - now, not exp - iat: a token issued long ago with "
                                  "a far exp is refused only once exp is within the bound"),
                   seconds(maximumExpiration), seconds(*base.maxLifetimeSeconds));
    else
        g.notEnforced(QStringLiteral("max_lifetime"),
                      QStringLiteral("the one jwt plugin carries the widest limit any issuer or active exception "
                                     "needs"),
                      maximumExpiration == 0 ? QStringLiteral("unlimited") : seconds(maximumExpiration),
                      seconds(*base.maxLifetimeSeconds));
    g.clockSkew(0, QStringLiteral("the jwt plugin has no leeway"));
    if (cred.key) {
        QString how = QStringLiteral("jwt_secrets rsa_public_key pins key %1")
                          .arg(cred.key->kid.isEmpty() ? cred.key->thumbprint : cred.key->kid);
        if (plan.keys.size() > 1)
            how += QStringLiteral("; Kong holds one credential per issuer, so %1 other pinned key(s) are not "
                                  "exported and their tokens are rejected here")
                       .arg(plan.keys.size() - 1);
        if (!plan.withheldSecrets.isEmpty())
            how += QStringLiteral("; HMAC secrets are never written into an export");
        g.enforced(QStringLiteral("key_pinning"), how, QStringLiteral("1 pinned key"));
        g.enforced(QStringLiteral("key_strength"),
                   QStringLiteral("only keys the core accepted at load are exported (RSA >= %1 bits)")
                       .arg(keys::kMinRsaBits));
    } else {
        g.notEnforced(QStringLiteral("key_pinning"),
                      QStringLiteral("no pinned RSA/EC key usable with a Kong algorithm%1, so no credential is "
                                     "exported and the issuer's tokens are rejected here")
                          .arg(plan.jwksUri.isEmpty() ? QString()
                                                      : QStringLiteral(" (Kong's jwt plugin cannot fetch jwks_uri)")));
        g.notEnforced(QStringLiteral("key_strength"), QStringLiteral("no exported key"));
    }
    g.exceptions(false, {});
    if (plan.issuer->keys.refresh && !plan.pinned())
        g.notEnforced(QStringLiteral("key_refresh"),
                      QStringLiteral("the jwt plugin never fetches keys; they change only by re-export"));
    else
        g.notRequired(QStringLiteral("key_refresh"),
                      QStringLiteral("credentials are pinned; keys change only by re-export"));
    return g.take();
}

class KongExporter final : public Exporter {
public:
    Target target() const override { return Target::Kong; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto plans = planIssuers(policy, profile.atUnixSeconds);
        if (!plans)
            return plans.error();
        ExportResult result;
        // One plugin for all issuers: its limits are the widest any issuer needs, and per-issuer
        // differences are reported.
        qint64 maxExp = 0;
        for (const auto& plan : *plans) {
            if (!plan.exported.maxLifetimeSeconds) {
                maxExp = 0;
                break;
            }
            maxExp = std::max(maxExp, std::min(*plan.exported.maxLifetimeSeconds, kKongMaxExpiration));
        }

        YAML::Emitter y;
        y << YAML::BeginMap;
        y << YAML::Key << "_format_version" << YAML::Value << YAML::DoubleQuoted << "3.0";
        y << YAML::Key << "services" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << s(profile.service);
        y << YAML::Key << "url" << YAML::Value << s(profile.serviceUrl);
        y << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << s(profile.service + QStringLiteral("-route"));
        y << YAML::Key << "paths" << YAML::Value << YAML::BeginSeq << s(profile.routePrefix) << YAML::EndSeq;
        y << YAML::EndMap << YAML::EndSeq;
        y << YAML::Key << "plugins" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << "jwt";
        y << YAML::Key << "config" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "key_claim_name" << YAML::Value << "iss";
        y << YAML::Key << "claims_to_verify" << YAML::Value << YAML::Flow << YAML::BeginSeq << "exp" << "nbf"
          << YAML::EndSeq;
        y << YAML::Key << "maximum_expiration" << YAML::Value << maxExp;
        y << YAML::Key << "header_names" << YAML::Value << YAML::Flow << YAML::BeginSeq
          << s(profile.headerName.toLower()) << YAML::EndSeq;
        y << YAML::Key << "secret_is_base64" << YAML::Value << false;
        y << YAML::Key << "run_on_preflight" << YAML::Value << true;
        y << YAML::EndMap << YAML::EndMap << YAML::EndSeq; // plugins
        y << YAML::EndMap << YAML::EndSeq;                 // services

        y << YAML::Key << "consumers" << YAML::Value << YAML::BeginSeq;
        for (const IssuerPlan& plan : *plans) {
            const Credential cred = pickCredential(plan);
            y << YAML::BeginMap;
            y << YAML::Key << "username" << YAML::Value << s(QStringLiteral("jwb-") + plan.slug);
            y << YAML::Key << "jwt_secrets" << YAML::Value << YAML::BeginSeq;
            if (cred.key) {
                y << YAML::BeginMap;
                y << YAML::Key << "key" << YAML::Value << s(plan.iss());
                y << YAML::Key << "algorithm" << YAML::Value << s(crypto::algorithmName(cred.alg));
                y << YAML::Key << "rsa_public_key" << YAML::Value << YAML::Literal << cred.pem.toStdString();
                y << YAML::EndMap;
            }
            y << YAML::EndSeq << YAML::EndMap;
            result.gaps += kongGaps(plan, cred, maxExp);
        }
        y << YAML::EndSeq;
        y << YAML::EndMap;
        result.text = yamlExportText(policy, Target::Kong, y);
        return result;
    }
};

} // namespace

std::unique_ptr<Exporter> makeKongExporter()
{
    return std::make_unique<KongExporter>();
}

} // namespace jwb::exporting::detail
