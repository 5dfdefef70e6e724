// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "util/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace jwb::exporting {

// Drift: a configuration already deployed on a gateway, compared with the policy. Every point where
// the deployment accepts what the policy rejects is a finding.
enum class DriftSource { Envoy, Istio, Kong };
QString driftSourceName(DriftSource s); // "envoy" | "istio" | "kong"

// Stable finding kinds (a contract: CLI JSON, GUI Problems panel).
//   unknown_issuer      a provider/rule/credential for an issuer the policy lacks (or for any issuer)
//   audience            an audience outside the issuer's row, or no audience check at all
//   clock_skew          a skew wider than the policy's
//   require_expiration  exp not required where the policy requires it
//   max_lifetime        no lifetime limit, or a longer one, than the policy's
//   unpinned_key        a key the policy does not pin (RFC 7638 thumbprint), or remote JWKS where the
//                       policy pins keys
//   jwks_host           a remote JWKS on a host other than the policy's jwks_uri (or issuer) host
//   algorithm           a credential algorithm outside the issuer's pin (Kong)
//   token_not_required  nothing makes a valid token required (Istio without AuthorizationPolicy,
//                       Envoy requirements with allow_missing / allow_missing_or_failed)
//   unreadable          a part of the configuration that drift cannot judge (keys in a file)
enum class DriftClass { Loosening, Unverified };
QString driftClassName(DriftClass c); // "loosening" | "unverified"

struct DriftFinding {
    QString kind;
    QString issuer;     // the issuer concerned (as the configuration names it), may be empty
    QString path;       // where in the configuration: "typed_config.providers.workforce.clock_skew_seconds"
    QString message;
    DriftClass classification = DriftClass::Loosening;
};

struct DriftReport {
    QString target;               // driftSourceName()
    QList<DriftFinding> findings;
    int providers = 0;            // providers / jwtRules / credentials examined
    bool hasLoosening() const;
};

// Parses `config` (YAML as the tool accepts it; JSON is YAML) and compares it with `policy` at
// `atUnixSeconds` (active exceptions widen what the policy allows). Envoy: a full bootstrap, a
// listener, or just the JwtAuthentication typed_config; providers are found wherever they are.
// Istio: multi-document YAML with RequestAuthentication (and AuthorizationPolicy). Kong:
// declarative config (jwt plugins anywhere, consumers' jwt_secrets, top-level jwt_secrets).
// Errors: ERR_DRIFT_YAML (syntax, with line), ERR_DRIFT_NOTHING_FOUND (no provider/rule/credential).
Result<DriftReport> detectDrift(const policy::Policy& policy, DriftSource source, const QByteArray& config,
                                const QString& sourceName, qint64 atUnixSeconds);

} // namespace jwb::exporting
