// SPDX-License-Identifier: Apache-2.0
// Policy builders shared by the core tests (lint, diff, self-test): the strict, lint-clean policy
// their rows start from.
#pragma once

#include "TestKeys.h"
#include "policy/Policy.h"

#include <QDateTime>
#include <QStringList>

namespace jwb::testing {

// Defaults no lint rule objects to: the given algorithms, 30 s skew, 1 h lifetime, exp and iat
// required, only alg/typ/kid headers, typ at+jwt, kid required.
inline void setStrictDefaults(policy::Rules& defaults, const QStringList& algorithms)
{
    defaults.algorithms = algorithms;
    defaults.clockSkewSeconds = 30;
    defaults.maxLifetimeSeconds = 3600;
    defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
    defaults.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid")};
    defaults.allowedTypes = QStringList{QStringLiteral("at+jwt")};
    defaults.requireKid = true;
}

// https://login.example.com/ in trust domain workforce, audience payments-api; no keys yet.
inline policy::Issuer workforceIssuer()
{
    policy::Issuer issuer;
    issuer.issuer = QStringLiteral("https://login.example.com/");
    issuer.trustDomain = QStringLiteral("workforce");
    issuer.audiences = QStringList{QStringLiteral("payments-api")};
    return issuer;
}

// https://auth.partner.example.net/ for partner-api, pinned to the P-256 test key (kid partner-1)
// and overriding the algorithms to ES256.
inline policy::Issuer partnerIssuer(const QString& trustDomain)
{
    policy::Issuer issuer;
    issuer.issuer = QStringLiteral("https://auth.partner.example.net/");
    issuer.trustDomain = trustDomain;
    issuer.audiences = QStringList{QStringLiteral("partner-api")};
    issuer.keys.resolved.append(keyFromFile("ec-p256-public.pem", QStringLiteral("partner-1")));
    issuer.overrides.algorithms = QStringList{QStringLiteral("ES256")};
    return issuer;
}

// Revision 1, strict RS256 defaults, the workforce issuer behind its JWKS URI with the RSA-2048
// test key (kid login-1) resolved: a policy that lints clean.
inline policy::Policy cleanLoginPolicy(const QString& name)
{
    policy::Policy p;
    p.name = name;
    p.owner = QStringLiteral("security@example.com");
    p.revision = 1;
    setStrictDefaults(p.defaults, QStringList{QStringLiteral("RS256")});
    policy::Issuer issuer = workforceIssuer();
    issuer.keys.jwksUri = QStringLiteral("https://login.example.com/.well-known/jwks.json");
    issuer.keys.resolved.append(keyFromFile("rsa2048-public.pem", QStringLiteral("login-1")));
    p.issuers.append(issuer);
    return p;
}

// The login team's RS384 migration exception for `issuer`, running to `expires`.
inline policy::PolicyException rs384Exception(const QString& issuer, const QDateTime& expires)
{
    policy::PolicyException e;
    e.id = QStringLiteral("rs384-migration");
    e.owner = QStringLiteral("login-team@example.com");
    e.reason = QStringLiteral("Login signs RS384 until SEC-7 ships");
    e.issuer = issuer;
    e.expires = expires;
    e.allow.algorithms = QStringList{QStringLiteral("RS384")};
    return e;
}

} // namespace jwb::testing
