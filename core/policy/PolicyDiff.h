// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QList>
#include <QString>

namespace jwb::policy {

// Whether a change lets more tokens through (loosening), fewer (tightening), or neither.
enum class ChangeClass { Tightening, Loosening, Neutral };
QString changeClassName(ChangeClass c); // "tightening" | "loosening" | "neutral"

// One semantic change between two revisions of a policy, in policy terms.
struct Change {
    // Stable id of the kind of change (a contract for tools reading `jwt-policy diff --format json`):
    // issuer-added, issuer-removed, trust-domain-changed, audience-added, audience-removed,
    // subject-added, subject-removed, subject-allowlist-added, subject-allowlist-removed,
    // algorithm-added, algorithm-removed, skew-widened, skew-narrowed, lifetime-raised, lifetime-lowered,
    // lifetime-added, lifetime-removed, required-claim-added, required-claim-removed, header-allowed,
    // header-disallowed, type-added, type-removed, type-check-added, type-check-removed,
    // require-type-enabled, require-type-disabled, require-kid-enabled, require-kid-disabled,
    // max-token-bytes-raised, max-token-bytes-lowered, key-added, key-removed, key-kid-changed,
    // key-source-changed, jwks-uri-added, jwks-uri-removed, jwks-uri-changed, key-refresh-changed,
    // exception-added, exception-removed, exception-extended, exception-shortened, exception-retargeted,
    // exception-widened, exception-narrowed, exception-owner-changed, exception-reason-changed,
    // delegation-act-allowed, delegation-act-rejected, delegation-actor-added, delegation-actor-removed,
    // delegation-actors-restricted, delegation-actors-unrestricted, delegation-chain-raised,
    // delegation-chain-lowered, delegation-nested-allowed, delegation-nested-rejected,
    // delegation-nested-depth-raised, delegation-nested-depth-lowered, deployment-added,
    // deployment-removed, deployment-changed, policy-renamed, owner-changed, revision-changed.
    QString kind;
    ChangeClass classification = ChangeClass::Neutral;
    QString issuer;  // issuer concerned; empty for policy-wide changes
    QString path;    // field path in the new policy (in the old one for removals)
    QString message; // for a reviewer: what changed, from what to what

    bool operator==(const Change&) const = default;
};

// Compares the EFFECTIVE rules of every issuer present in both policies (so a change of `defaults`
// is reported for each issuer that inherits it), then issuers added or removed, keys, exceptions,
// delegation and deployments. Issuers and exceptions are matched by their `issuer` and `id`.
// Deterministic order: policy order of the new file, removals after what remains.
QList<Change> diffPolicies(const Policy& oldP, const Policy& newP);

} // namespace jwb::policy
