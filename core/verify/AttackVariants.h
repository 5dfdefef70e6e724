// SPDX-License-Identifier: Apache-2.0
// The known JWT attacks as tokens against one issuer: the one builder behind the self-test (which
// signs with a generated key pinned in a policy copy) and the runtime probe (which signs with the
// caller's staging key and sends the tokens to a live verifier).
#pragma once

#include "crypto/Signer.h"
#include "policy/Policy.h"
#include "verify/SelfTest.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace jwb::verify {

// Everything needed to build variants against one issuer.
struct AttackTarget {
    int issuerIndex = 0;
    QString issuer;
    policy::EffectiveRules rules;
    crypto::Algorithm alg = crypto::Algorithm::Unsupported;
    // Signs the variants that need a genuine signature; unset, those variants are not built.
    std::optional<crypto::SigningKey> trusted;
    std::optional<crypto::SigningKey> attacker; // never pinned
    QList<keys::Key> publicKeys;                // the issuer's own asymmetric keys
    QJsonObject header;                         // a genuine token's header and claims
    QJsonObject claims;
};

// The first pinned algorithm this core implements; Unsupported when there is none.
crypto::Algorithm firstImplementedAlgorithm(const policy::EffectiveRules& rules);

// Fills `t` for issuer `issuerIndex` of `policy` at `at`: rules, the issuer's asymmetric keys, a
// generated attacker key for `alg`, and a genuine token's header (typ when allowed, `kid` when kid
// is allowed) and claims (iss, sub, the first audience, iat = nbf = at - 60, exp = iat + the
// smaller of the lifetime limit and 600 s, each other required claim). `trusted` may be unset.
// False when no attacker key can be made for `alg`.
bool prepareAttackTarget(const policy::Policy& policy, int issuerIndex, crypto::Algorithm alg, qint64 at,
                         std::optional<crypto::SigningKey> trusted, const QString& kid, AttackTarget& t);

// One built variant: the self-test's description, its class (the probe's matrix column) and the
// token (empty when the variant is not applicable).
struct AttackVariant {
    SelfTestVariant meta;
    QString variantClass;
    QByteArray token;
};

// Builds every attack variant against `t` at `at`, in the self-test's order, and hands each to
// `add`. Variants with meta.signedWithTestKey need t.trusted and are skipped without it.
void buildAttackVariants(const policy::Policy& policy, const AttackTarget& t, qint64 at,
                         const std::function<void(AttackVariant)>& add);

// A genuine token from `header` and `claims` signed with t.trusted; empty without it.
QByteArray signTrusted(const AttackTarget& t, const QJsonObject& header, const QJsonObject& claims);
QByteArray compactJson(const QJsonObject& o);

} // namespace jwb::verify
