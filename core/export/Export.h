// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "util/Error.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

// Exports of one policy to the gateways that enforce it, each with an honest enforcement-gap
// report (issue 6). `export` is a C++ keyword, hence the namespace name.
namespace jwb::exporting {

enum class Target {
    CanonicalJson, CanonicalYaml, Envoy, Istio, Kong, Nginx, Opa, Haproxy, Apache,
    // Services that verify locally (issue 21): a verification function for one JWT library.
    ServiceJose, ServiceJsonwebtoken, ServicePyjwt, ServiceJwcrypto, ServiceGolangJwt, ServiceSpring, ServiceDotnet,
};

// "canonical-json", "canonical-yaml", "envoy", "istio", "kong", "nginx", "opa", "haproxy", "apache"
// (CLI --to values).
QString targetName(Target target);
std::optional<Target> targetFromName(QStringView name);
QList<Target> allTargets();
// The gateway targets, in table order: the ones that have a gap report.
QList<Target> gatewayTargets();
// The service targets ("service:jose", "service:jsonwebtoken", "service:pyjwt", "service:jwcrypto",
// "service:golang-jwt", "service:spring", "service:dotnet"), in table order; each has a gap report.
QList<Target> serviceTargets();
// Suggested file suffix for the export: "json", "yaml", "conf", "rego", "cfg".
QString targetFileSuffix(Target target);

// What a target needs that the policy does not hold. Defaults make a complete, deployable export.
struct ExportProfile {
    QString ns = QStringLiteral("default");          // Kubernetes namespace (Istio)
    QMap<QString, QString> selector;                 // workload selector matchLabels (Istio)
    QString name;                                    // resource / provider name base; empty: the policy name
    QString cluster = QStringLiteral("jwks_cluster");// Envoy cluster that reaches remote JWKS hosts
    QString service = QStringLiteral("api");         // Kong service name
    QString serviceUrl = QStringLiteral("http://api.internal:8080"); // Kong service upstream URL
    QString routePrefix = QStringLiteral("/");       // Envoy rule prefix, Kong route path, NGINX location
    int jwksTimeoutSeconds = 5;                      // remote JWKS fetch timeout (Envoy http_uri.timeout)
    QString headerName = QStringLiteral("Authorization");
    QString headerPrefix = QStringLiteral("Bearer ");
    QString nginxKeyDir = QStringLiteral("/etc/nginx/jwt"); // where the NGINX key file is deployed
    QString haproxyKeyDir = QStringLiteral("/etc/haproxy/jwt"); // where the HAProxy PEM key files are deployed
    QString apacheKeyDir = QStringLiteral("/etc/apache2/jwt");  // where the Apache PEM key files are deployed
    QString opaPackage = QStringLiteral("jwb.authz");
    // The instant the export is made: decides which exceptions are still active (and so exported).
    // Unix seconds; 0 = "now" is resolved by the caller (the CLI passes --at or the clock).
    qint64 atUnixSeconds = 0;
    // A staging export: keys minted in the workbench (keys.test_jwks, whose private parts sit on a
    // desktop) may go in. Off, an export of a policy holding any test key is refused
    // (ERR_EXPORT_TEST_KEYS), because a test key in a production gateway lets its holder mint tokens.
    bool includeTestKeys = false;
    // Narrows the export to this one issuer of the policy (and its exceptions); empty: every issuer.
    // An issuer the policy does not have is ERR_EXPORT_UNKNOWN_ISSUER.
    QString issuer;

    bool operator==(const ExportProfile&) const = default;
};

// Stable ids of the policy controls every gap report covers, in report order.
QStringList controlIds();
QString controlTitle(QStringView controlId); // "Algorithm pin"

// NotUsed: the policy does not ask for the control on this issuer (no typ rule, no lifetime limit, ...),
// so there is nothing for the target to enforce. Counted apart: it is neither a success nor a gap.
enum class GapStatus { Enforced, Emulated, NotEnforced, NotUsed };
QString gapStatusName(GapStatus s); // "enforced" | "emulated" | "not_enforced" | "not_used"

// One row of the gap report: how one target handles one control for one issuer.
struct GapEntry {
    QString target;     // targetName()
    QString issuer;     // the policy issuer
    QString control;    // controlIds() member
    GapStatus status = GapStatus::NotEnforced;
    QString detail;     // enforced: by what field; emulated: how; not_enforced: why, and what to do
    QString exported;   // the value the export carries, where it has one ("60 s")
    QString policy;     // the policy's value, where it has one ("30 s")
    // Enforced more strictly than the policy: some tokens the policy accepts are refused (a smaller
    // clock skew, an nbf the target always requires). A probe's refusal there was predicted.
    bool stricter = false;
    bool operator==(const GapEntry&) const = default;
};

// How many rows of a report have each status.
struct GapCounts {
    int enforced = 0;
    int emulated = 0;
    int notEnforced = 0;
    int notUsed = 0;
};
GapCounts countGaps(const QList<GapEntry>& gaps);

struct ExportResult {
    QByteArray text;        // the export, ready to write
    QList<GapEntry> gaps;   // empty for the canonical targets (they are the policy)
    // Files the export refers to (the NGINX key file): name -> content, written beside the output.
    QMap<QString, QByteArray> extraFiles;
    // The file name the export takes in a directory (-o DIR) when the target needs one (a service's
    // code file); empty: <policy name>.<targetFileSuffix>.
    QString fileName;
};

// Common interface of the exporters: one implementation per target (one file each).
class Exporter {
public:
    virtual ~Exporter() = default;
    virtual Target target() const = 0;
    // ERR_EXPORT_* when the policy cannot be expressed at all (e.g. no issuer).
    virtual Result<ExportResult> exportPolicy(const policy::Policy& policy,
                                              const ExportProfile& profile) const = 0;
};

// A test key the policy holds: pinned for an issuer (keys.test_jwks) or added by an exception.
struct TestKeyUse {
    QString issuer;
    QString kid;        // may be empty
    QString thumbprint; // RFC 7638
    bool operator==(const TestKeyUse&) const = default;
};
// Every test key of the policy, in issuer then exception order, whatever the exceptions' dates.
QList<TestKeyUse> testKeysIn(const policy::Policy& policy);
// "kid 'a' (issuer https://x/), ..." for messages and export banners.
QString describeTestKeys(const QList<TestKeyUse>& uses);

std::unique_ptr<Exporter> makeExporter(Target target);
// Refuses a policy holding test keys unless profile.includeTestKeys (ERR_EXPORT_TEST_KEYS); a
// staging export says so in its banner, and its key_pinning rows are not_enforced for the issuers
// whose test keys it carries.
Result<ExportResult> exportPolicy(const policy::Policy& policy, Target target, const ExportProfile& profile);

// The gap reports of every gateway target, then every service target, concatenated in
// gatewayTargets() then serviceTargets() order. Test keys never
// stop the report: they show as not_enforced key_pinning rows.
Result<QList<GapEntry>> gapReport(const policy::Policy& policy, const ExportProfile& profile);

// Whether a gap on `target` makes `jwt-policy gaps` fail: a not_enforced control on a target the
// policy's deployments mark only_verifier.
bool isBlockingGap(const policy::Policy& policy, const GapEntry& gap);

} // namespace jwb::exporting
