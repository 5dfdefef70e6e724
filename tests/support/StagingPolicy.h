// SPDX-License-Identifier: Apache-2.0
// A staging policy for the probe tests: the P-256 test key pinned in keys.test_jwks, and the
// jwtVerify options with which the jose service (JoseService.h) matches it.
#pragma once

#include "TestFiles.h"
#include "crypto/Signer.h"
#include "keys/Key.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace jwb::testing {

inline const QString kStagingIssuer = QStringLiteral("https://staging-login.example.test/");
inline const QStringList kStagingAudiences{QStringLiteral("orders-api"), QStringLiteral("billing-api")};
inline const QString kStagingKid = QStringLiteral("staging-1");
// tests/data/keys/ec-p256-private.pem: the signing key the staging policy pins.
inline QString stagingKeyPath() { return QStringLiteral(JWB_TEST_DATA "/keys/ec-p256-private.pem"); }

inline crypto::SigningKey stagingSigningKey()
{
    auto key = crypto::SigningKey::fromPrivatePem(readFile(stagingKeyPath()), kStagingKid);
    if (!key)
        qFatal("cannot load %s", qPrintable(stagingKeyPath()));
    return key.value();
}

inline QJsonObject stagingJwks()
{
    const QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(stagingSigningKey().publicKey())).object();
    return {{QStringLiteral("keys"), QJsonArray{jwk}}};
}

// ES256 only, 30 s skew, 1 h lifetime, exp/iat/sub required, alg/typ/kid headers, typ at+jwt
// required, kid required; one issuer with two audiences and the staging key in test_jwks.
inline QByteArray stagingPolicyYaml()
{
    const QByteArray jwks = QJsonDocument(stagingJwks()).toJson(QJsonDocument::Compact);
    return "jwt_policy: 1\n"
           "name: probe-staging\n"
           "owner: probe-tests@example.com\n"
           "revision: 1\n"
           "defaults:\n"
           "  algorithms: [ES256]\n"
           "  clock_skew_seconds: 30\n"
           "  max_lifetime_seconds: 3600\n"
           "  required_claims: [exp, iat, sub]\n"
           "  allowed_headers: [alg, typ, kid]\n"
           "  allowed_types: [at+jwt]\n"
           "  require_type: true\n"
           "  require_kid: true\n"
           "issuers:\n"
           "  - issuer: "
           + kStagingIssuer.toUtf8()
           + "\n"
             "    trust_domain: staging\n"
             "    audiences: ["
           + kStagingAudiences.join(QStringLiteral(", ")).toUtf8()
           + "]\n"
             "    keys:\n"
             "      test_jwks: "
           + jwks + "\n";
}

inline QString writeStagingPolicy(const QTemporaryDir& dir)
{
    return writeInto(dir, QStringLiteral("staging-policy.yaml"), stagingPolicyYaml());
}

// The jwtVerify options matching the staging policy; `weak` leaves out issuer and audience.
inline QJsonObject joseOptions(bool weak)
{
    QJsonObject o{{QStringLiteral("algorithms"), QJsonArray{QStringLiteral("ES256")}},
                  {QStringLiteral("clockTolerance"), 30},
                  {QStringLiteral("requiredClaims"),
                   QJsonArray{QStringLiteral("exp"), QStringLiteral("iat"), QStringLiteral("sub")}},
                  {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                  {QStringLiteral("maxTokenAge"), 3600}};
    if (!weak) {
        o.insert(QStringLiteral("issuer"), kStagingIssuer);
        o.insert(QStringLiteral("audience"), QJsonArray::fromStringList(kStagingAudiences));
    }
    return o;
}

} // namespace jwb::testing
