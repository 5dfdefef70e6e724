// SPDX-License-Identifier: Apache-2.0
// The policy the corpus tests analyse against, shared by the engine test (tests/core) and the
// Corpus view test (tests/ui) so both judge their corpora by the same rules.
#pragma once

#include "crypto/Signer.h"
#include "policy/Policy.h"

#include <QStringList>

namespace jwb::testing {

inline const QString kCorpusLoginIssuer = QStringLiteral("https://login.example.com/");
inline const QString kCorpusBillingIssuer = QStringLiteral("https://billing.internal/");

// ES256 by default, exp required, 30 s skew. Login serves payments-api and ledger-api with `ec`;
// billing serves billing-api with `ec` and `hs` pinned but no algorithm override, so its HS256
// tokens are refused until a test allows them.
inline policy::Policy corpusPolicy(const QString& name, int revision, const crypto::SigningKey& ec,
                                   const crypto::SigningKey& hs)
{
    policy::Policy p;
    p.name = name;
    p.revision = revision;
    p.defaults.algorithms = QStringList{QStringLiteral("ES256")};
    p.defaults.requiredClaims = QStringList{QStringLiteral("exp")};
    p.defaults.clockSkewSeconds = 30;
    policy::Issuer login;
    login.issuer = kCorpusLoginIssuer;
    login.audiences = QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api")};
    login.keys.resolved = {ec.publicKey()};
    policy::Issuer billing;
    billing.issuer = kCorpusBillingIssuer;
    billing.audiences = QStringList{QStringLiteral("billing-api")};
    billing.keys.resolved = {ec.publicKey(), hs.publicKey()};
    p.issuers = {login, billing};
    return p;
}

} // namespace jwb::testing
