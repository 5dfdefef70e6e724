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

// The staging policy's rules for one issuer: `algorithm` only, 30 s skew, 1 h lifetime, exp/iat/sub
// required, alg/typ/kid headers, typ at+jwt required, kid required, two audiences, `jwks` in test_jwks.
inline QByteArray stagingPolicyYamlFor(const QByteArray& name, const QByteArray& algorithm, const QString& issuer,
                                       const QByteArray& trustDomain, const QJsonObject& jwks)
{
    return "jwt_policy: 1\n"
           "name: " + name + "\n"
           "owner: probe-tests@example.com\n"
           "revision: 1\n"
           "defaults:\n"
           "  algorithms: [" + algorithm + "]\n"
           "  clock_skew_seconds: 30\n"
           "  max_lifetime_seconds: 3600\n"
           "  required_claims: [exp, iat, sub]\n"
           "  allowed_headers: [alg, typ, kid]\n"
           "  allowed_types: [at+jwt]\n"
           "  require_type: true\n"
           "  require_kid: true\n"
           "issuers:\n"
           "  - issuer: " + issuer.toUtf8() + "\n"
           "    trust_domain: " + trustDomain + "\n"
           "    audiences: [" + kStagingAudiences.join(QStringLiteral(", ")).toUtf8() + "]\n"
           "    keys:\n"
           "      test_jwks: " + QJsonDocument(jwks).toJson(QJsonDocument::Compact) + "\n";
}

// ES256 with the P-256 staging key.
inline QByteArray stagingPolicyYaml()
{
    return stagingPolicyYamlFor("probe-staging", "ES256", kStagingIssuer, "staging", stagingJwks());
}

// The same rules for an RS256 issuer, for verifiers that cannot load EC keys (mod_auth_openidc):
// tests/data/keys/rsa2048-private.pem pinned as kid staging-rsa-1, trust domain staging-rsa.
inline const QString kStagingRsaIssuer = QStringLiteral("https://staging-rsa.example.test/");
inline const QString kStagingRsaKid = QStringLiteral("staging-rsa-1");
inline QString stagingRsaKeyPath() { return QStringLiteral(JWB_TEST_DATA "/keys/rsa2048-private.pem"); }

inline QByteArray stagingRsaPolicyYaml()
{
    auto key = crypto::SigningKey::fromPrivatePem(readFile(stagingRsaKeyPath()), kStagingRsaKid);
    if (!key)
        qFatal("cannot load %s", qPrintable(stagingRsaKeyPath()));
    const QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(key->publicKey())).object();
    return stagingPolicyYamlFor("probe-staging-rsa", "RS256", kStagingRsaIssuer, "staging-rsa",
                                {{QStringLiteral("keys"), QJsonArray{jwk}}});
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
