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
    case Target::Haproxy: return QStringLiteral("haproxy");
    case Target::Apache: return QStringLiteral("apache");
    case Target::ServiceJose: return QStringLiteral("service:jose");
    case Target::ServiceJsonwebtoken: return QStringLiteral("service:jsonwebtoken");
    case Target::ServicePyjwt: return QStringLiteral("service:pyjwt");
    case Target::ServiceJwcrypto: return QStringLiteral("service:jwcrypto");
    case Target::ServiceGolangJwt: return QStringLiteral("service:golang-jwt");
    case Target::ServiceSpring: return QStringLiteral("service:spring");
    case Target::ServiceDotnet: return QStringLiteral("service:dotnet");
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
    const QList<Target> configs{Target::CanonicalJson, Target::CanonicalYaml, Target::Envoy, Target::Istio,
            Target::Kong,          Target::Nginx,         Target::Opa,          Target::Haproxy, Target::Apache};
    return configs + serviceTargets();
}

QList<Target> gatewayTargets()
{
    return {Target::Envoy, Target::Istio, Target::Kong, Target::Nginx, Target::Opa, Target::Haproxy, Target::Apache};
}

QList<Target> serviceTargets()
{
    return {Target::ServiceJose,      Target::ServiceJsonwebtoken, Target::ServicePyjwt, Target::ServiceJwcrypto,
            Target::ServiceGolangJwt, Target::ServiceSpring,       Target::ServiceDotnet};
}

QString targetFileSuffix(Target target)
{
    switch (target) {
    case Target::CanonicalJson: return QStringLiteral("json");
    case Target::Nginx:
    case Target::Apache: return QStringLiteral("conf");
    case Target::Haproxy: return QStringLiteral("cfg");
    case Target::Opa: return QStringLiteral("rego");
    case Target::ServiceJose:
    case Target::ServiceJsonwebtoken: return QStringLiteral("mjs");
    case Target::ServicePyjwt:
    case Target::ServiceJwcrypto: return QStringLiteral("py");
    case Target::ServiceGolangJwt: return QStringLiteral("go");
    case Target::ServiceSpring: return QStringLiteral("java");
    case Target::ServiceDotnet: return QStringLiteral("cs");
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
    case GapStatus::NotUsed: return QStringLiteral("not_used");
    }
    return {};
}

GapCounts countGaps(const QList<GapEntry>& gaps)
{
    GapCounts c;
    for (const auto& g : gaps) {
        switch (g.status) {
        case GapStatus::Enforced: ++c.enforced; break;
        case GapStatus::Emulated: ++c.emulated; break;
        case GapStatus::NotEnforced: ++c.notEnforced; break;
        case GapStatus::NotUsed: ++c.notUsed; break;
        }
    }
    return c;
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
    case Target::Haproxy: return detail::makeHaproxyExporter();
    case Target::Apache: return detail::makeApacheExporter();
    case Target::ServiceJose: return detail::makeServiceJoseExporter();
    case Target::ServiceJsonwebtoken: return detail::makeServiceJsonwebtokenExporter();
    case Target::ServicePyjwt: return detail::makeServicePyjwtExporter();
    case Target::ServiceJwcrypto: return detail::makeServiceJwcryptoExporter();
    case Target::ServiceGolangJwt: return detail::makeServiceGolangJwtExporter();
    case Target::ServiceSpring: return detail::makeServiceSpringExporter();
    case Target::ServiceDotnet: return detail::makeServiceDotnetExporter();
    }
    return nullptr;
}

QList<TestKeyUse> testKeysIn(const policy::Policy& policy)
{
    QList<TestKeyUse> uses;
    auto collect = [&uses](const QString& issuer, const QList<keys::Key>& keys) {
        for (const keys::Key& k : keys) {
            if (k.testKey)
                uses << TestKeyUse{issuer, k.kid, k.thumbprint};
        }
    };
    for (const auto& issuer : policy.issuers)
        collect(issuer.issuer, issuer.keys.resolved);
    for (const auto& ex : policy.exceptions) {
        if (ex.allow.keys)
            collect(ex.issuer, ex.allow.keys->resolved);
    }
    return uses;
}

QString describeTestKeys(const QList<TestKeyUse>& uses)
{
    QStringList parts;
    for (const auto& u : uses)
        parts << QStringLiteral("%1 (issuer %2)")
                     .arg(u.kid.isEmpty() ? QStringLiteral("key %1").arg(u.thumbprint.left(12))
                                          : QStringLiteral("kid '%1'").arg(u.kid),
                          u.issuer);
    return parts.join(QStringLiteral(", "));
}

Result<ExportResult> exportPolicy(const policy::Policy& whole, Target target, const ExportProfile& profile)
{
    policy::Policy narrowed;
    if (!profile.issuer.isEmpty()) {
        // --issuer: the export carries that one trust entry and its exceptions, nothing of the others.
        const policy::Issuer* only = whole.findIssuer(profile.issuer);
        if (!only)
            return Error{QStringLiteral("ERR_EXPORT_UNKNOWN_ISSUER"),
                         QStringLiteral("the policy has no issuer '%1'").arg(profile.issuer), QStringLiteral("issuers")};
        narrowed = whole;
        narrowed.issuers = {*only};
        narrowed.exceptions.removeIf([&profile](const policy::PolicyException& ex) { return ex.issuer != profile.issuer; });
    }
    const policy::Policy& policy = profile.issuer.isEmpty() ? whole : narrowed;
    const QList<TestKeyUse> testKeys = testKeysIn(policy);
    if (!testKeys.isEmpty() && !profile.includeTestKeys)
        return Error{QStringLiteral("ERR_EXPORT_TEST_KEYS"),
                     QStringLiteral("the policy holds test keys, whose private parts were made on a workbench: %1. "
                                    "Remove them before a production export, or ask for a staging export "
                                    "(--include-test-keys)")
                         .arg(describeTestKeys(testKeys)),
                     policy.sourcePath};
    const auto exporter = makeExporter(target);
    auto result = exporter->exportPolicy(policy, profile);
    if (!result || testKeys.isEmpty())
        return result;
    ExportResult staged = std::move(result).value();
    for (GapEntry& gap : staged.gaps) {
        if (gap.control != u"key_pinning")
            continue;
        QList<TestKeyUse> mine;
        for (const auto& u : testKeys) {
            if (u.issuer == gap.issuer)
                mine << u;
        }
        if (mine.isEmpty())
            continue;
        gap.status = GapStatus::NotEnforced;
        gap.detail = QStringLiteral("staging export: it carries test keys (%1), which anyone holding the "
                                    "workbench's private part can sign with; a production export refuses them. %2")
                         .arg(describeTestKeys(mine), gap.detail);
    }
    return staged;
}

Result<QList<GapEntry>> gapReport(const policy::Policy& policy, const ExportProfile& profile)
{
    ExportProfile reporting = profile;
    reporting.includeTestKeys = true; // the report names test keys instead of refusing
    QList<GapEntry> all;
    for (Target t : gatewayTargets() + serviceTargets()) {
        auto result = exportPolicy(policy, t, reporting);
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
