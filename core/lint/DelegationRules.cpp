// SPDX-License-Identifier: Apache-2.0
// Rules about delegation (RFC 8693 actor claims) and nested tokens.

#include "lint/LintRule.h"

namespace jwb::lint::detail {

namespace {

void checkAnyActor(const Rule& self, const Context& context, FindingSink& sink)
{
    const policy::Delegation& d = context.policy().delegation;
    if (d.act != policy::Delegation::Act::Allow || !d.allowedActors.isEmpty())
        return;
    sink.report(self, QStringLiteral("delegation.allowed_actors"), {},
                QStringLiteral("Actor claims are allowed with no allowed_actors: any party the issuer lets act "
                               "for a user is accepted here too. List the actors this service trusts."));
}

} // namespace

QList<Rule> delegationRules()
{
    return {
        {{QStringLiteral("delegation-any-actor"), Severity::Warning,
          QStringLiteral("Delegation is allowed from any actor"), QStringLiteral("RFC 8693 §4.1")},
         checkAnyActor},
    };
}

} // namespace jwb::lint::detail
