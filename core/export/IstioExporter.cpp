// SPDX-License-Identifier: Apache-2.0
// Istio: a RequestAuthentication (jwtRules: issuer, audiences, jwks or jwksUri, fromHeaders) and the
// AuthorizationPolicy that makes a valid token required (requestPrincipals "iss/sub"). Facts from
// the Istio security reference: a request without a token passes RequestAuthentication alone; an
// empty audiences list accepts the service name; there is no algorithm, typ, lifetime or skew field
// (the generated Envoy providers use a fixed 60 s skew); istiod fetches jwksUri and refreshes it on a
// mesh-wide interval.
#include "export/ExportSupport.h"

#include <yaml-cpp/yaml.h>

namespace jwb::exporting::detail {

namespace {

constexpr int kIstioSkewSeconds = 60;

QList<GapEntry> istioGaps(const IssuerPlan& plan)
{
    GapBuilder g(Target::Istio, plan);
    const auto& base = plan.base;
    const auto& ex = plan.exported;
    g.notEnforced(QStringLiteral("algorithm_pin"),
                  QStringLiteral("RequestAuthentication has no algorithm field; any algorithm the key type can verify "
                                 "is accepted"),
                  QString(), joined(ex.algorithms));
    g.notEnforced(QStringLiteral("header_allowlist"), QStringLiteral("RequestAuthentication has no header allowlist"),
                  QString(), joined(ex.allowedHeaders));
    g.notEnforced(QStringLiteral("crit"), QStringLiteral("RequestAuthentication has no setting that rejects crit"));
    if (base.allowedTypes || base.requireType)
        g.notEnforced(QStringLiteral("typ"), QStringLiteral("RequestAuthentication has no typ field"), QString(),
                      base.allowedTypes ? joined(*base.allowedTypes) : QStringLiteral("typ required"));
    else
        g.notRequired(QStringLiteral("typ"), QStringLiteral("the policy does not check typ"));
    g.enforced(QStringLiteral("issuer"),
               QStringLiteral("jwtRules issuer, and the AuthorizationPolicy requires a principal of this issuer"));
    if (plan.issuer->audiences.isEmpty())
        g.notEnforced(QStringLiteral("audience_binding"),
                      QStringLiteral("the issuer has no audience row and Istio then accepts tokens for the service "
                                     "name"));
    else
        g.enforced(QStringLiteral("audience_binding"), QStringLiteral("jwtRules audiences"),
                   joined(plan.issuer->audiences), joined(plan.issuer->audiences));
    if (plan.issuer->subjects.isEmpty())
        g.notRequired(QStringLiteral("subject"), QStringLiteral("the policy has no subject allowlist"));
    else
        g.emulated(QStringLiteral("subject"),
                   QStringLiteral("AuthorizationPolicy requestPrincipals lists issuer/subject pairs"),
                   joined(plan.issuer->subjects), joined(plan.issuer->subjects));
    if (base.requiredClaims.isEmpty())
        g.notRequired(QStringLiteral("required_claims"), QStringLiteral("the policy requires no claim"));
    else
        g.notEnforced(QStringLiteral("required_claims"),
                      QStringLiteral("RequestAuthentication cannot require claims"), QString(),
                      joined(base.requiredClaims));
    if (base.requiredClaims.contains(QStringLiteral("exp")))
        g.notEnforced(QStringLiteral("exp_required"),
                      QStringLiteral("RequestAuthentication has no field to require exp; a token without exp is not "
                                     "rejected for that"));
    else
        g.notRequired(QStringLiteral("exp_required"), QStringLiteral("the policy does not require exp"));
    g.enforced(QStringLiteral("nbf"), QStringLiteral("checked when present by the generated Envoy provider"));
    g.notEnforced(QStringLiteral("iat"), QStringLiteral("iat is not checked (a future iat is accepted)"));
    if (base.maxLifetimeSeconds)
        g.notEnforced(QStringLiteral("max_lifetime"), QStringLiteral("RequestAuthentication has no lifetime limit"),
                      QStringLiteral("unlimited"), seconds(*base.maxLifetimeSeconds));
    else
        g.notRequired(QStringLiteral("max_lifetime"), QStringLiteral("the policy sets no maximum lifetime"));
    g.clockSkew(kIstioSkewSeconds, QStringLiteral("fixed by Istio, not configurable"));
    g.keys(QStringLiteral("jwtRules jwks carries the pinned JWKS"), QStringLiteral("jwtRules jwksUri"));
    g.exceptions(false, {});
    const auto& refresh = plan.issuer->keys.refresh;
    if (plan.pinned())
        g.notRequired(QStringLiteral("key_refresh"), QStringLiteral("keys are pinned inline; nothing is fetched"));
    else if (!refresh)
        g.enforced(QStringLiteral("key_refresh"),
                   QStringLiteral("the policy sets no refresh; istiod refreshes jwksUri on its mesh-wide interval"));
    else
        g.notEnforced(QStringLiteral("key_refresh"),
                      QStringLiteral("Istio has no per-rule refresh setting: istiod refreshes jwksUri on a mesh-wide "
                                     "interval (PILOT_JWT_PUB_KEY_REFRESH_INTERVAL)"));
    return g.take();
}

void emitMetadata(YAML::Emitter& y, const QString& name, const ExportProfile& profile)
{
    y << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "name" << YAML::Value << s(name);
    y << YAML::Key << "namespace" << YAML::Value << s(profile.ns);
    y << YAML::EndMap;
}

void emitSelector(YAML::Emitter& y, const ExportProfile& profile)
{
    if (profile.selector.isEmpty())
        return;
    y << YAML::Key << "selector" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "matchLabels" << YAML::Value << YAML::BeginMap;
    for (auto it = profile.selector.cbegin(); it != profile.selector.cend(); ++it)
        y << YAML::Key << s(it.key()) << YAML::Value << s(it.value());
    y << YAML::EndMap << YAML::EndMap;
}

QString resourceName(const policy::Policy& policy, const ExportProfile& profile)
{
    QString base = profile.name.isEmpty() ? policy.name : profile.name;
    QString out;
    for (QChar c : base.toLower())
        out += (c.isLetterOrNumber() && c.unicode() < 128) ? c : QChar(u'-');
    return out.isEmpty() ? QStringLiteral("jwt-policy") : out;
}

class IstioExporter final : public Exporter {
public:
    Target target() const override { return Target::Istio; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto plans = planIssuers(policy, profile.atUnixSeconds);
        if (!plans)
            return plans.error();
        ExportResult result;
        const QString name = resourceName(policy, profile);
        YAML::Emitter y;
        y << YAML::BeginDoc << YAML::BeginMap;
        y << YAML::Key << "apiVersion" << YAML::Value << "security.istio.io/v1";
        y << YAML::Key << "kind" << YAML::Value << "RequestAuthentication";
        emitMetadata(y, name, profile);
        y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
        emitSelector(y, profile);
        y << YAML::Key << "jwtRules" << YAML::Value << YAML::BeginSeq;
        const QList<const IssuerPlan*> rules = verifiablePlans(*plans);
        for (const IssuerPlan* rule : rules) {
            const IssuerPlan& plan = *rule;
            y << YAML::BeginMap;
            y << YAML::Key << "issuer" << YAML::Value << s(plan.iss());
            if (!plan.issuer->audiences.isEmpty()) {
                y << YAML::Key << "audiences" << YAML::Value << YAML::BeginSeq;
                for (const auto& a : plan.issuer->audiences)
                    y << s(a);
                y << YAML::EndSeq;
            }
            if (plan.pinned() || plan.jwksUri.isEmpty())
                y << YAML::Key << "jwks" << YAML::Value << YAML::SingleQuoted << plan.jwksJson().toStdString();
            else
                y << YAML::Key << "jwksUri" << YAML::Value << s(plan.jwksUri);
            y << YAML::Key << "fromHeaders" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
            y << YAML::Key << "name" << YAML::Value << s(profile.headerName);
            if (!profile.headerPrefix.isEmpty())
                y << YAML::Key << "prefix" << YAML::Value << YAML::DoubleQuoted << s(profile.headerPrefix);
            y << YAML::EndMap << YAML::EndSeq;
            y << YAML::EndMap;
        }
        y << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
        for (const IssuerPlan& plan : *plans)
            result.gaps += istioGaps(plan);

        y << YAML::BeginDoc << YAML::BeginMap;
        y << YAML::Key << "apiVersion" << YAML::Value << "security.istio.io/v1";
        y << YAML::Key << "kind" << YAML::Value << "AuthorizationPolicy";
        emitMetadata(y, name + QStringLiteral("-require-jwt"), profile);
        y << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
        emitSelector(y, profile);
        y << YAML::Key << "action" << YAML::Value << "ALLOW";
        y << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "from" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        y << YAML::Key << "source" << YAML::Value << YAML::BeginMap;
        y << YAML::Key << "requestPrincipals" << YAML::Value << YAML::BeginSeq;
        for (const IssuerPlan* rule : rules) {
            const IssuerPlan& plan = *rule;
            if (plan.issuer->subjects.isEmpty()) {
                y << s(plan.iss() + QStringLiteral("/*"));
            } else {
                for (const auto& sub : plan.issuer->subjects)
                    y << s(plan.iss() + u'/' + sub);
            }
        }
        y << YAML::EndSeq << YAML::EndMap; // source
        y << YAML::EndMap << YAML::EndSeq; // from
        y << YAML::EndMap << YAML::EndSeq; // rules
        y << YAML::EndMap << YAML::EndMap;
        result.text = yamlExportText(policy, Target::Istio, y);
        return result;
    }
};

} // namespace

std::unique_ptr<Exporter> makeIstioExporter()
{
    return std::make_unique<IstioExporter>();
}

} // namespace jwb::exporting::detail
