// SPDX-License-Identifier: Apache-2.0
// Rules about the policy as a whole: who answers for it, and whether it accepts anything at all.

#include "lint/LintRule.h"

namespace jwb::lint::detail {

namespace {

void checkPolicyOwner(const Rule& self, const Context& context, FindingSink& sink)
{
    if (!context.policy().owner.trimmed().isEmpty())
        return;
    sink.report(self, QStringLiteral("owner"), {},
                QStringLiteral("The policy names no owner: nobody is accountable for reviewing its changes and "
                               "exceptions. Set 'owner' to a team address."));
}

void checkNoIssuers(const Rule& self, const Context& context, FindingSink& sink)
{
    if (!context.policy().issuers.isEmpty())
        return;
    sink.report(self, QStringLiteral("issuers"), {},
                QStringLiteral("The policy trusts no issuer, so every token is rejected. Add the issuers this "
                               "service accepts tokens from."));
}

} // namespace

QList<Rule> policyRules()
{
    return {
        {{QStringLiteral("policy-no-owner"), Severity::Warning, QStringLiteral("The policy has no owner"),
          QStringLiteral("jwt-policy format v1: owner")},
         checkPolicyOwner},
        {{QStringLiteral("policy-no-issuers"), Severity::Warning, QStringLiteral("The policy trusts no issuer"),
          QStringLiteral("RFC 8725 §3.8")},
         checkNoIssuers},
    };
}

} // namespace jwb::lint::detail
