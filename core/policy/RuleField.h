// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core: the inheritable fields of policy::Rules, named as the policy file writes them.
// Lint and the semantic diff both report by field path ("issuers[1].overrides.clock_skew_seconds").

#include "policy/Policy.h"

#include <QString>

namespace jwb::policy {

enum class RuleField {
    Algorithms, ClockSkewSeconds, MaxLifetimeSeconds, RequiredClaims, AllowedHeaders, AllowedTypes,
    RequireType, RequireKid, MaxTokenBytes,
};
inline constexpr RuleField kRuleFields[] = {
    RuleField::Algorithms,     RuleField::ClockSkewSeconds, RuleField::MaxLifetimeSeconds,
    RuleField::RequiredClaims, RuleField::AllowedHeaders,   RuleField::AllowedTypes,
    RuleField::RequireType,    RuleField::RequireKid,       RuleField::MaxTokenBytes};

QString fieldName(RuleField field); // "clock_skew_seconds"
// Whether `rules` writes `field` (an override or default that is present, whatever its value).
bool isSet(const Rules& rules, RuleField field);

} // namespace jwb::policy
