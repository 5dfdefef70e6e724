// SPDX-License-Identifier: Apache-2.0
#pragma once

// A multi-tenant estate policy for the GUI benchmarks (issue 17): one issuer per tenant, each with
// one EC P-256 key of its own and a few audiences, issuers spread over trust domains. One in seven
// issuer also takes an audience of the next domain, so some audiences are shared across domains
// (the case lint and the matrix flag) and the banner and the Problems panel have a long list to show.

#include "crypto/Signer.h"
#include "policy/Policy.h"

#include <QByteArray>

namespace jwb::bench {

struct EstateShape {
    int issuers = 10000;
    int audiences = 1000;
    int trustDomains = 20;
    int audiencesPerIssuer = 5;
};

// `firstKey`, when given, receives the private key of the first issuer (to sign test tokens).
policy::Policy makeEstatePolicy(const EstateShape& shape, crypto::SigningKey* firstKey = nullptr);

// The policy as its canonical YAML file (what a user would open).
QByteArray estateYaml(const EstateShape& shape);

} // namespace jwb::bench
