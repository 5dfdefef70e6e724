// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "verify/Trace.h"

#include <QList>
#include <QString>

#include <atomic>

namespace jwb::verify {

// One adversarial token run against the policy.
struct SelfTestVariant {
    QString id;          // stable: "alg-none-None", "hs256-public-key-pem", "jku-elsewhere", ...
    QString title;       // what the variant tries
    QString issuer;      // the trust entry attacked
    bool accepted = false;     // true is a red finding: the policy let this token through
    QString finding;     // when accepted: why it matters and what to change
    bool signedWithTestKey = false; // needed a signature from the issuer's key: a generated test key
                                    // was pinned in a copy of the policy
    bool applicable = true;    // false when the policy gives the variant nothing to attack
    QString notApplicableReason;
    Trace trace;         // the core's trace of the variant (the token itself is not kept)
    QString variantClass; // the attack class (alg_none, alg_confusion, ...: the probe's matrix columns)
};

struct SelfTestReport {
    QList<SelfTestVariant> variants;
    QStringList notes;   // e.g. an issuer whose baseline token could not be made valid
    int acceptedCount() const;
};

// For each issuer of the policy, mints the known attack variants (alg none spellings, HS256 with
// each public key as secret in PEM and JWK form, embedded jwk, jku/x5u elsewhere, kid traversal and
// injection, stripped and zeroed signatures, DER ECDSA, unknown crit, expired, not yet valid,
// expired within the skew, lifetime over the limit, another issuer's audience, foreign issuer, typ
// mismatch, duplicate claims) and verifies each under the policy at `atUnixSeconds`. Variants that
// need a genuine signature are signed with a generated test key pinned in a copy of the policy; the
// caller's policy is never modified. `cancel`, when set, stops between variants.
SelfTestReport runSelfTest(const policy::Policy& policy, qint64 atUnixSeconds,
                           const std::atomic_bool* cancel = nullptr);

QJsonObject selfTestToJson(const SelfTestReport& report);

} // namespace jwb::verify
