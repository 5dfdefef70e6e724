// SPDX-License-Identifier: Apache-2.0
#pragma once

// The JavaScript both Node exporters (jose, jsonwebtoken) generate around their library call: the
// per-issuer table, the checks before the library runs (shape, duplicates, header allowlist, crit,
// typ, kid) and the claim checks after it, each emitted only where the library does not do it.

#include "export/services/ServiceSupport.h"

#include <functional>

namespace jwb::exporting::detail::services {

// Which claim checks the generated code must do itself after the library accepted the signature.
struct JsClaimChecks {
    bool expRequired = true;    // exp present when the policy requires it
    bool requiredClaims = true; // every required claim present
    bool audienceMatch = true;  // aud names one of the issuer's audiences
    bool issuerMatch = true;    // iss equals the entry's issuer
    bool skewedTimes = true;    // exp and nbf compared with now and the skew
};

// `keyField(issuer)` writes the library-specific key member(s) of one entry (already indented).
QString jsIssuerTable(const ServicePlan& plan, const std::function<QString(const ServiceIssuer&)>& keyField);
// Constants, TokenRejected, the JSON helpers and checkHeader().
QString jsPrelude(const ServicePlan& plan);
// checkClaims(payload, rules, now) doing the checks `checks` asks for plus the ones no Node
// library does (iat in the future, lifetime, sub, aud and jti types, act).
QString jsClaimChecks(const JsClaimChecks& checks, const ServicePlan& plan);
// The unverified decode that picks the issuer entry, shared by both verifyToken() bodies.
QString jsSelectIssuer();

} // namespace jwb::exporting::detail::services
