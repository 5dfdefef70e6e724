// SPDX-License-Identifier: Apache-2.0
// File names and presence of the inheritable rule fields, shared by lint and the policy diff.

#include "policy/RuleField.h"

namespace jwb::policy {

QString fieldName(RuleField field)
{
    switch (field) {
    case RuleField::Algorithms: return QStringLiteral("algorithms");
    case RuleField::ClockSkewSeconds: return QStringLiteral("clock_skew_seconds");
    case RuleField::MaxLifetimeSeconds: return QStringLiteral("max_lifetime_seconds");
    case RuleField::RequiredClaims: return QStringLiteral("required_claims");
    case RuleField::AllowedHeaders: return QStringLiteral("allowed_headers");
    case RuleField::AllowedTypes: return QStringLiteral("allowed_types");
    case RuleField::RequireType: return QStringLiteral("require_type");
    case RuleField::RequireKid: return QStringLiteral("require_kid");
    case RuleField::MaxTokenBytes: return QStringLiteral("max_token_bytes");
    }
    return {};
}

bool isSet(const Rules& rules, RuleField field)
{
    switch (field) {
    case RuleField::Algorithms: return rules.algorithms.has_value();
    case RuleField::ClockSkewSeconds: return rules.clockSkewSeconds.has_value();
    case RuleField::MaxLifetimeSeconds: return rules.maxLifetimeSeconds.has_value();
    case RuleField::RequiredClaims: return rules.requiredClaims.has_value();
    case RuleField::AllowedHeaders: return rules.allowedHeaders.has_value();
    case RuleField::AllowedTypes: return rules.allowedTypes.has_value();
    case RuleField::RequireType: return rules.requireType.has_value();
    case RuleField::RequireKid: return rules.requireKid.has_value();
    case RuleField::MaxTokenBytes: return rules.maxTokenBytes.has_value();
    }
    return false;
}

} // namespace jwb::policy
