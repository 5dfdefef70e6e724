// SPDX-License-Identifier: Apache-2.0
// File names and presence of the inheritable rule fields, shared by lint and the policy diff. The
// names come from the field table (PolicyFields.cpp): RuleField is the Rules section, in its order.

#include "policy/RuleField.h"

#include "policy/PolicyFields.h"

#include <array>

namespace jwb::policy {

namespace {

constexpr std::size_t kRuleFieldCount = std::size(kRuleFields);

} // namespace

QString fieldName(RuleField field)
{
    // Built once: lint and diff ask for names per issuer and field.
    static const std::array<QString, kRuleFieldCount> names = [] {
        std::array<QString, kRuleFieldCount> n;
        const std::span<const FieldSpec> rules = fieldsOf(Section::Rules);
        Q_ASSERT(rules.size() == kRuleFieldCount);
        for (std::size_t i = 0; i < kRuleFieldCount && i < rules.size(); ++i)
            n[i] = fieldName(rules[i]);
        return n;
    }();
    const auto index = static_cast<std::size_t>(field);
    return index < names.size() ? names[index] : QString();
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
