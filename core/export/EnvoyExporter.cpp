// SPDX-License-Identifier: Apache-2.0
// Envoy: one envoy.filters.http.jwt_authn filter entry (JwtAuthentication), a provider per issuer
// and one rule requiring any of them. Field facts from the jwt_authn v3 proto reference: no
// algorithm or typ field; issuer, audiences, local_jwks / remote_jwks, from_headers,
// clock_skew_seconds, require_expiration, max_lifetime; remote_jwks caches for cache_duration and
// can refresh in the background (async_fetch), but does not refetch on an unknown kid.
#include "export/ExportSupport.h"

#include <yaml-cpp/yaml.h>

namespace jwb::exporting::detail {

namespace {

constexpr qint64 kEnvoyDefaultCacheSeconds = 600;

QList<GapEntry> envoyGaps(const IssuerPlan& plan)
{
    GapBuilder g(Target::Envoy, plan);
    const auto& base = plan.base;
    const auto& ex = plan.exported;
    g.notEnforced(QStringLiteral("algorithm_pin"),
                  QStringLiteral("jwt_authn has no algorithm field; any algorithm the key type can verify is accepted"),
                  QString(), joined(ex.algorithms));
    g.notEnforced(QStringLiteral("header_allowlist"), QStringLiteral("jwt_authn has no header allowlist"), QString(),
                  joined(ex.allowedHeaders));
    g.notEnforced(QStringLiteral("crit"), QStringLiteral("jwt_authn has no setting that rejects crit extensions"));
    if (base.allowedTypes || base.requireType)
        g.notEnforced(QStringLiteral("typ"), QStringLiteral("jwt_authn has no typ field"), QString(),
                      base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
    else
        g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
    g.enforced(QStringLiteral("issuer"), QStringLiteral("provider issuer: exact match of iss"));
    if (plan.issuer->audiences.isEmpty())
        g.notRequired(QStringLiteral("audience_binding"), QStringLiteral("the issuer has no audience row"));
    else
        g.enforced(QStringLiteral("audience_binding"), QStringLiteral("provider audiences"),
                   joined(plan.issuer->audiences), joined(plan.issuer->audiences));
    if (plan.issuer->subjects.isEmpty())
        g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
    else
        g.notEnforced(QStringLiteral("subject"), QStringLiteral("this export writes no subject matcher"), QString(),
                      joined(plan.issuer->subjects));
    QStringList others = base.requiredClaims;
    others.removeAll(QStringLiteral("exp"));
    if (others.isEmpty())
        g.enforced(QStringLiteral("required_claims"), QStringLiteral("exp through require_expiration"));
    else
        g.notEnforced(QStringLiteral("required_claims"),
                      QStringLiteral("jwt_authn can require only exp; not required here: %1").arg(joined(others)),
                      QString(), joined(base.requiredClaims));
    if (base.requiredClaims.contains(QStringLiteral("exp")))
        g.enforced(QStringLiteral("exp_required"), QStringLiteral("require_expiration: true"));
    else
        g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));
    g.enforced(QStringLiteral("nbf"), QStringLiteral("checked when present, within clock_skew_seconds"));
    g.notEnforced(QStringLiteral("iat"), QStringLiteral("jwt_authn does not check iat (a future iat is accepted)"));
    if (!base.maxLifetimeSeconds)
        g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
    else if (ex.maxLifetimeSeconds == base.maxLifetimeSeconds)
        g.enforced(QStringLiteral("max_lifetime"), QStringLiteral("provider max_lifetime"),
                   seconds(*ex.maxLifetimeSeconds), seconds(*base.maxLifetimeSeconds));
    else
        g.notEnforced(QStringLiteral("max_lifetime"),
                      QStringLiteral("max_lifetime carries an exception's wider value"),
                      seconds(*ex.maxLifetimeSeconds), seconds(*base.maxLifetimeSeconds));
    g.clockSkew(ex.clockSkewSeconds, QStringLiteral("clock_skew_seconds"));
    g.keys(QStringLiteral("local_jwks.inline_string carries the pinned JWKS"), QStringLiteral("remote_jwks"));
    g.exceptions(false, {});

    const auto& refresh = plan.issuer->keys.refresh;
    if (plan.pinned()) {
        g.notRequired(QStringLiteral("key_refresh"), QStringLiteral("keys are pinned inline; nothing is fetched"));
    } else if (!refresh) {
        g.enforced(QStringLiteral("key_refresh"),
                   QStringLiteral("the policy sets no refresh; Envoy caches the JWKS for cache_duration"),
                   seconds(kEnvoyDefaultCacheSeconds));
    } else {
        QStringList missing;
        if (refresh->refetchOnUnknownKid.value_or(false))
            missing << QStringLiteral("refetch_on_unknown_kid (Envoy does not refetch on an unknown kid)");
        if (refresh->maxStaleSeconds)
            missing << QStringLiteral("max_stale_seconds (no matching field)");
        if (refresh->cooldownSeconds)
            missing << QStringLiteral("cooldown_seconds (no matching field)");
        const QString how = QStringLiteral("cache_duration from cache_seconds, async_fetch refreshes in the background");
        const QString exported = seconds(refresh->cacheSeconds.value_or(kEnvoyDefaultCacheSeconds));
        if (missing.isEmpty())
            g.enforced(QStringLiteral("key_refresh"), how, exported);
        else
            g.notEnforced(QStringLiteral("key_refresh"),
                          how + QStringLiteral("; no equivalent for ") + missing.join(QStringLiteral(", ")), exported);
    }
    return g.take();
}

class EnvoyExporter final : public Exporter {
public:
    Target target() const override { return Target::Envoy; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto plans = planIssuers(policy, profile.atUnixSeconds);
        if (!plans)
            return plans.error();
        ExportResult result;
        YAML::Emitter y;
        y << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << "envoy.filters.http.jwt_authn";
        y << YAML::Key << "typed_config" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << YAML::DoubleQuoted << "@type" << YAML::Value
          << "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication";
        y << YAML::Key << "providers" << YAML::Value << YAML::BeginMap;
        const QList<const IssuerPlan*> providers = verifiablePlans(*plans);
        for (const IssuerPlan* provider : providers) {
            const IssuerPlan& plan = *provider;
            const auto& rules = plan.exported;
            y << YAML::Key << s(plan.slug) << YAML::Value << YAML::BeginMap;
            y << YAML::Key << "issuer" << YAML::Value << s(plan.iss());
            if (!plan.issuer->audiences.isEmpty()) {
                y << YAML::Key << "audiences" << YAML::Value << YAML::BeginSeq;
                for (const auto& a : plan.issuer->audiences)
                    y << s(a);
                y << YAML::EndSeq;
            }
            if (plan.pinned() || plan.jwksUri.isEmpty()) {
                y << YAML::Key << "local_jwks" << YAML::Value << YAML::BeginMap;
                y << YAML::Key << "inline_string" << YAML::Value << YAML::SingleQuoted
                  << plan.jwksJson().toStdString();
                y << YAML::EndMap;
            } else {
                const auto& refresh = plan.issuer->keys.refresh;
                y << YAML::Key << "remote_jwks" << YAML::Value << YAML::BeginMap;
                y << YAML::Key << "http_uri" << YAML::Value << YAML::BeginMap;
                y << YAML::Key << "uri" << YAML::Value << s(plan.jwksUri);
                y << YAML::Key << "cluster" << YAML::Value << s(profile.cluster);
                y << YAML::Key << "timeout" << YAML::Value
                  << QStringLiteral("%1s").arg(profile.jwksTimeoutSeconds).toStdString();
                y << YAML::EndMap;
                const qint64 cache = refresh && refresh->cacheSeconds ? *refresh->cacheSeconds
                                                                      : kEnvoyDefaultCacheSeconds;
                y << YAML::Key << "cache_duration" << YAML::Value << QStringLiteral("%1s").arg(cache).toStdString();
                if (refresh)
                    y << YAML::Key << "async_fetch" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
                y << YAML::EndMap;
            }
            y << YAML::Key << "from_headers" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
            y << YAML::Key << "name" << YAML::Value << s(profile.headerName);
            if (!profile.headerPrefix.isEmpty())
                y << YAML::Key << "value_prefix" << YAML::Value << YAML::DoubleQuoted << s(profile.headerPrefix);
            y << YAML::EndMap << YAML::EndSeq;
            y << YAML::Key << "clock_skew_seconds" << YAML::Value << rules.clockSkewSeconds;
            y << YAML::Key << "require_expiration" << YAML::Value
              << rules.requiredClaims.contains(QStringLiteral("exp"));
            if (rules.maxLifetimeSeconds)
                y << YAML::Key << "max_lifetime" << YAML::Value
                  << QStringLiteral("%1s").arg(*rules.maxLifetimeSeconds).toStdString();
            y << YAML::EndMap;
        }
        y << YAML::EndMap; // providers
        for (const IssuerPlan& plan : *plans)
            result.gaps += envoyGaps(plan);
        y << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "match" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "prefix" << YAML::Value << s(profile.routePrefix);
        y << YAML::EndMap;
        y << YAML::Key << "requires" << YAML::Value << YAML::BeginMap;
        if (providers.size() == 1) {
            y << YAML::Key << "provider_name" << YAML::Value << s(providers.first()->slug);
        } else {
            y << YAML::Key << "requires_any" << YAML::Value << YAML::BeginMap;
            y << YAML::Key << "requirements" << YAML::Value << YAML::BeginSeq;
            for (const IssuerPlan* provider : providers)
                y << YAML::BeginMap << YAML::Key << "provider_name" << YAML::Value << s(provider->slug) << YAML::EndMap;
            y << YAML::EndSeq << YAML::EndMap;
        }
        y << YAML::EndMap; // requires
        y << YAML::EndMap << YAML::EndSeq; // rules
        y << YAML::EndMap; // typed_config
        y << YAML::EndMap;
        result.text = yamlExportText(policy, Target::Envoy, y);
        return result;
    }
};

} // namespace

std::unique_ptr<Exporter> makeEnvoyExporter()
{
    return std::make_unique<EnvoyExporter>();
}

} // namespace jwb::exporting::detail
