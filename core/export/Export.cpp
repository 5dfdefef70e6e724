// SPDX-License-Identifier: Apache-2.0
// Target names, control ids, the exporter registry and the all-targets gap report.
#include "export/Export.h"

#include "export/ExportSupport.h"

namespace jwb::exporting {

namespace {

struct ControlInfo {
    const char16_t* id;
    const char16_t* title;
};

// Report order; ids are a contract (CLI JSON, GUI, other tools).
constexpr ControlInfo kControls[] = {
    {u"algorithm_pin", u"Algorithm pin"},
    {u"header_allowlist", u"Header allowlist"},
    {u"crit", u"crit header"},
    {u"typ", u"Token type (typ)"},
    {u"issuer", u"Issuer"},
    {u"audience_binding", u"Audience binding"},
    {u"subject", u"Subject allowlist"},
    {u"required_claims", u"Required claims"},
    {u"exp_required", u"exp required"},
    {u"nbf", u"Not before (nbf)"},
    {u"iat", u"Issued at (iat)"},
    {u"max_lifetime", u"Maximum lifetime"},
    {u"clock_skew", u"Clock skew"},
    {u"key_pinning", u"Key pinning"},
    {u"key_strength", u"Key strength"},
    {u"exceptions", u"Exceptions and expiry"},
    {u"key_refresh", u"Key refresh"},
};

} // namespace

QString targetName(Target target)
{
    switch (target) {
    case Target::CanonicalJson: return QStringLiteral("canonical-json");
    case Target::CanonicalYaml: return QStringLiteral("canonical-yaml");
    case Target::Envoy: return QStringLiteral("envoy");
    case Target::Istio: return QStringLiteral("istio");
    case Target::Kong: return QStringLiteral("kong");
    case Target::Nginx: return QStringLiteral("nginx");
    case Target::Opa: return QStringLiteral("opa");
    }
    return {};
}

std::optional<Target> targetFromName(QStringView name)
{
    for (Target t : allTargets()) {
        if (targetName(t) == name)
            return t;
    }
    return std::nullopt;
}

QList<Target> allTargets()
{
    return {Target::CanonicalJson, Target::CanonicalYaml, Target::Envoy, Target::Istio,
            Target::Kong,          Target::Nginx,         Target::Opa};
}

QList<Target> gatewayTargets()
{
    return {Target::Envoy, Target::Istio, Target::Kong, Target::Nginx, Target::Opa};
}

QString targetFileSuffix(Target target)
{
    switch (target) {
    case Target::CanonicalJson: return QStringLiteral("json");
    case Target::Nginx: return QStringLiteral("conf");
    case Target::Opa: return QStringLiteral("rego");
    default: return QStringLiteral("yaml");
    }
}

QStringList controlIds()
{
    QStringList ids;
    for (const auto& c : kControls)
        ids << QString::fromUtf16(c.id);
    return ids;
}

QString controlTitle(QStringView controlId)
{
    for (const auto& c : kControls) {
        if (controlId == QStringView(c.id))
            return QString::fromUtf16(c.title);
    }
    return controlId.toString();
}

QString gapStatusName(GapStatus s)
{
    switch (s) {
    case GapStatus::Enforced: return QStringLiteral("enforced");
    case GapStatus::Emulated: return QStringLiteral("emulated");
    case GapStatus::NotEnforced: return QStringLiteral("not_enforced");
    }
    return {};
}

std::unique_ptr<Exporter> makeExporter(Target target)
{
    switch (target) {
    case Target::CanonicalJson:
    case Target::CanonicalYaml: return detail::makeCanonicalExporter(target);
    case Target::Envoy: return detail::makeEnvoyExporter();
    case Target::Istio: return detail::makeIstioExporter();
    case Target::Kong: return detail::makeKongExporter();
    case Target::Nginx: return detail::makeNginxExporter();
    case Target::Opa: return detail::makeOpaExporter();
    }
    return nullptr;
}

Result<ExportResult> exportPolicy(const policy::Policy& policy, Target target, const ExportProfile& profile)
{
    const auto exporter = makeExporter(target);
    return exporter->exportPolicy(policy, profile);
}

Result<QList<GapEntry>> gapReport(const policy::Policy& policy, const ExportProfile& profile)
{
    QList<GapEntry> all;
    for (Target t : gatewayTargets()) {
        auto result = exportPolicy(policy, t, profile);
        if (!result)
            return result.error();
        all += result->gaps;
    }
    return all;
}

bool isBlockingGap(const policy::Policy& policy, const GapEntry& gap)
{
    if (gap.status != GapStatus::NotEnforced)
        return false;
    for (const auto& d : policy.deployments) {
        if (d.target == gap.target && d.onlyVerifier)
            return true;
    }
    return false;
}

} // namespace jwb::exporting
