// SPDX-License-Identifier: Apache-2.0
// The policy model's inheritance: built-in values <- defaults <- an issuer's overrides.

#include "policy/Policy.h"

namespace jwb::policy {

void EffectiveRules::apply(const Rules& rules)
{
    if (rules.algorithms)
        algorithms = *rules.algorithms;
    if (rules.clockSkewSeconds)
        clockSkewSeconds = *rules.clockSkewSeconds;
    if (rules.maxLifetimeSeconds)
        maxLifetimeSeconds = *rules.maxLifetimeSeconds;
    if (rules.requiredClaims)
        requiredClaims = *rules.requiredClaims;
    if (rules.allowedHeaders)
        allowedHeaders = *rules.allowedHeaders;
    if (rules.allowedTypes)
        allowedTypes = *rules.allowedTypes;
    if (rules.requireType)
        requireType = *rules.requireType;
    if (rules.requireKid)
        requireKid = *rules.requireKid;
    if (rules.maxTokenBytes)
        maxTokenBytes = *rules.maxTokenBytes;
}

const Issuer* Policy::findIssuer(QStringView iss) const
{
    // Byte-for-byte (UTF-16 code unit) comparison: no case folding, no normalisation, no trailing
    // slash tolerance. A look-alike issuer must not select another issuer's trust entry.
    for (const Issuer& candidate : issuers) {
        if (QStringView(candidate.issuer) == iss)
            return &candidate;
    }
    return nullptr;
}

EffectiveRules Policy::effectiveRules(const Issuer& issuer) const
{
    EffectiveRules rules;
    rules.apply(defaults);
    rules.apply(issuer.overrides);
    return rules;
}

} // namespace jwb::policy
