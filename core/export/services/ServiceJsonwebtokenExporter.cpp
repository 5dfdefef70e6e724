// SPDX-License-Identifier: Apache-2.0
// service:jsonwebtoken: an ES module with verifyToken(token) around jsonwebtoken's synchronous
// verify with one pinned PEM key per kid. Facts from jsonwebtoken 9 (verify.js): exp and nbf are
// checked only when present, with clockTolerance (default 0); issuer and audience (any of a list)
// are compared only when given, so by default a wrong issuer and audience pass; maxAge bounds the
// age now - iat, and nothing compares iat with the clock otherwise; crit and typ are not looked at;
// EdDSA is not among its algorithms. The rest is code.
#include "export/services/ServiceNodeCode.h"

namespace jwb::exporting::detail {

namespace services {

namespace {

const char kVerify[] = R"JS(
// Keys come only from the issuer's entry: by exact kid when the token names one, else every pinned
// key that serves the alg, as the core does. jku, x5u, jwk and x5c never select a key.
function candidateKeys(header, rules) {
  const secret = header.kid !== undefined ? rules.secrets[header.kid] : undefined;
  if (secret && secret.algorithms.includes(header.alg)) {
    const value = process.env[secret.env];
    if (!value) reject(`HMAC secret ${secret.env} is not set`);
    return [createSecretKey(Buffer.from(value, 'base64url'))];
  }
  const keys = rules.keys
    .filter((k) => k.algorithms.includes(header.alg) && (header.kid === undefined || k.kid === header.kid))
    .map((k) => k.key);
  if (keys.length === 0) reject(`no pinned key for kid ${header.kid} and alg ${header.alg}`);
  return keys;
}

// Returns the verified claims, or throws TokenRejected (reason says which check).
export function verifyToken(token) {
@SELECT@
  let payload;
  for (const key of candidateKeys(header, rules)) {
    try {
      payload = jwt.verify(token, key, {
        algorithms: rules.algorithms, // the pin
        issuer: unverified.iss, // jsonwebtoken accepts any iss unless it is given
        audience: rules.audiences, // any of the issuer's audiences; unchecked unless given
        clockTolerance: rules.clockSkewSeconds, // the default is 0
      });
      break;
    } catch (e) {
      if (e instanceof TokenRejected) throw e;
      if (e.name === 'JsonWebTokenError' && e.message === 'invalid signature') continue; // next key
      reject(`jsonwebtoken: ${e.message}`);
    }
  }
  if (payload === undefined) reject('signature invalid');
  checkClaims(payload, rules, unverified.iss, Math.floor(Date.now() / 1000));
  return payload;
}
)JS";

LibraryFacts jsonwebtokenFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("verify algorithms; jsonwebtoken also refuses a key type that does not fit the alg");
    f.crit = QStringLiteral("ignores crit");
    f.issuer = QStringLiteral("verify issuer (jsonwebtoken accepts any iss without it)");
    f.audience = QStringLiteral("verify audience: any of the issuer's audiences (unchecked without it)");
    f.nbf = QStringLiteral("verify checks a present nbf with clockTolerance");
    f.skew = QStringLiteral("verify clockTolerance for exp and nbf; the code applies it to iat");
    f.keys = QStringLiteral("one pinned PEM public key per kid in the module (createPublicKey), chosen by exact kid "
                            "and alg");
    f.secrets = QStringLiteral("candidateKeys()");
    // exp_required and required_claims: jsonwebtoken checks exp only when present; the code requires them.
    // iat: only maxAge reads it, and that bounds the age.
    return f;
}

class ServiceJsonwebtokenExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceJsonwebtoken; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("//"), plan);
        t += QStringLiteral("//\n// Use: import { verifyToken, TokenRejected } from './verify-token.mjs';\n"
                            "//      const claims = verifyToken(bearerToken); // throws TokenRejected\n"
                            "// Needs jsonwebtoken 9 (npm install jsonwebtoken@9).\n");
        t += QStringLiteral("import { createPublicKey, createSecretKey } from 'node:crypto';\n"
                            "import jwt from 'jsonwebtoken';\n\n");
        t += jsPrelude(plan);
        t += u'\n';
        t += jsIssuerTable(plan, [](const ServiceIssuer& si) -> QString {
            QString k = QStringLiteral("    // The pinned public keys (public parts only), one PEM per kid.\n"
                                       "    keys: [\n");
            for (const auto& key : si.keys)
                k += QStringLiteral("      { kid: %1, algorithms: [%2], key: createPublicKey(`%3`) },\n")
                         .arg(quoted(key.kid), quotedList(key.algorithms), QString::fromLatin1(key.pem.trimmed()));
            return k + QStringLiteral("    ],\n");
        });
        JsClaimChecks checks;
        checks.audienceMatch = false; // audience
        checks.issuerMatch = false;   // issuer
        checks.skewedTimes = false;   // clockTolerance
        t += jsClaimChecks(checks, plan);
        t += QString::fromUtf8(kVerify).replace(QStringLiteral("@SELECT@\n"), jsSelectIssuer());
        return serviceResult(t, QStringLiteral("verify-token.mjs"), target(), plan, jsonwebtokenFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceJsonwebtokenExporter()
{
    return std::make_unique<services::ServiceJsonwebtokenExporter>();
}

} // namespace jwb::exporting::detail
