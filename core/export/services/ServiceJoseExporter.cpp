// SPDX-License-Identifier: Apache-2.0
// service:jose: an ES module with verifyToken(token) around jose's jwtVerify and a local JWKS
// (createLocalJWKSet), never a remote one. Facts from jose 5 (src/lib/jwt_claims_set.ts): exp and nbf
// are checked when present, with clockTolerance; requiredClaims adds presence checks; issuer and
// audience (any of a list) are compared when given; typ takes one value; iat is only compared with
// the clock when maxTokenAge is set, and maxTokenAge bounds now - iat (the token's age), not the
// lifetime exp - iat the policy limits; crit names other than b64 are refused. The rest is code.
#include "export/services/ServiceNodeCode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace jwb::exporting::detail {

namespace services {

namespace {

const char kVerify[] = R"JS(
// The key for one token: a pinned public key from the issuer's local JWKS (jose matches kid and
// alg), or an HMAC secret from the environment for the kids the policy pins a secret for.
function keyFor(rules) {
  return async (header, token) => {
    const secret = header.kid !== undefined ? rules.secrets[header.kid] : undefined;
    if (secret && secret.algorithms.includes(header.alg)) {
      const value = process.env[secret.env];
      if (!value) reject(`HMAC secret ${secret.env} is not set`);
      return Buffer.from(value, 'base64url');
    }
    return rules.jwks(header, token);
  };
}

// Resolves to the verified claims, or rejects with TokenRejected (reason says which check).
export async function verifyToken(token) {
@SELECT@
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyFor(rules), {
      algorithms: rules.algorithms, // the pin; jose also refuses "none"
      issuer: unverified.iss, // the entry was found by this exact value
      audience: rules.audiences, // any one of the issuer's audiences
      clockTolerance: rules.clockSkewSeconds, // jose's default is 0
      requiredClaims: rules.requiredClaims, // jose checks exp only when present unless it is listed
    }));
  } catch (e) {
    if (e instanceof TokenRejected) throw e;
    reject(`jose: ${e.code || e.message}`);
  }
  checkClaims(payload, rules, unverified.iss, Math.floor(Date.now() / 1000));
  return payload;
}
)JS";

LibraryFacts joseFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("jwtVerify algorithms");
    f.crit = QStringLiteral("refuses crit names it does not recognise but accepts crit [\"b64\"]");
    f.issuer = QStringLiteral("jwtVerify issuer (the entry is chosen by the same exact iss)");
    f.audience = QStringLiteral("jwtVerify audience: any of the issuer's audiences");
    f.requiredClaims = QStringLiteral("jwtVerify requiredClaims");
    f.expRequired = QStringLiteral("jwtVerify requiredClaims lists exp (jose checks exp only when present otherwise)");
    f.nbf = QStringLiteral("jwtVerify checks a present nbf with clockTolerance");
    f.skew = QStringLiteral("jwtVerify clockTolerance for exp and nbf; the code applies it to iat");
    f.keys = QStringLiteral("createLocalJWKSet with the pinned public keys; jose matches kid and alg");
    f.secrets = QStringLiteral("keyFor()");
    // iat: jose compares iat with the clock only with maxTokenAge, which bounds the age instead.
    return f;
}

class ServiceJoseExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceJose; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("//"), plan);
        t += QStringLiteral("//\n// Use: import { verifyToken, TokenRejected } from './verify-token.mjs';\n"
                            "//      const claims = await verifyToken(bearerToken); // throws TokenRejected\n"
                            "// Needs jose 5 (npm install jose@5).\n");
        t += QStringLiteral("import { createLocalJWKSet, jwtVerify } from 'jose';\n\n");
        t += jsPrelude(plan);
        t += u'\n';
        t += jsIssuerTable(plan, [](const ServiceIssuer& si) -> QString {
            QJsonArray keys;
            for (const auto& k : si.keys)
                keys.append(QJsonDocument::fromJson(k.jwk).object());
            return QStringLiteral("    // The pinned public keys (public members only).\n"
                                  "    jwks: createLocalJWKSet(%1),\n")
                .arg(QString::fromUtf8(
                    QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson(QJsonDocument::Compact)));
        });
        JsClaimChecks checks;
        checks.expRequired = false;    // requiredClaims
        checks.requiredClaims = false; // requiredClaims
        checks.audienceMatch = false;  // audience
        checks.issuerMatch = false;    // issuer
        checks.skewedTimes = false;    // clockTolerance
        t += jsClaimChecks(checks, plan);
        t += QString::fromUtf8(kVerify).replace(QStringLiteral("@SELECT@\n"), jsSelectIssuer());
        return serviceResult(t, QStringLiteral("verify-token.mjs"), target(), plan, joseFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceJoseExporter()
{
    return std::make_unique<services::ServiceJoseExporter>();
}

} // namespace jwb::exporting::detail
