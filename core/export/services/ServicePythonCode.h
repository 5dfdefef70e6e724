// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Python both Python exporters (PyJWT, jwcrypto) generate around their library call: the
// per-issuer table, the checks before the library runs and the claim checks after it, each
// emitted only where the library does not do it.

#include "export/services/ServiceSupport.h"

#include <functional>

namespace jwb::exporting::detail::services {

struct PyClaimChecks {
    bool expRequired = true;
    bool requiredClaims = true;
    bool audienceMatch = true;
    bool issuerMatch = true;
    bool exp = true;  // exp compared with now and the skew
    bool nbf = true;
    bool iat = true;
};

// `keyField(issuer)` writes the library-specific key member(s) of one entry (already indented).
QString pyIssuerTable(const ServicePlan& plan, const std::function<QString(const ServiceIssuer&)>& keyField);
// Constants, TokenRejected, the JSON helpers, _check_header() and _select_issuer().
QString pyPrelude(const ServicePlan& plan);
// _check_claims(payload, rules, iss, now).
QString pyClaimChecks(const PyClaimChecks& checks);
QString pyList(const QStringList& l);
// A Python triple-quoted literal of ASCII text without quotes or backslashes (a PEM block).
QString pyTextBlock(const QByteArray& text);

} // namespace jwb::exporting::detail::services
