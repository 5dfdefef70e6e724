// SPDX-License-Identifier: Apache-2.0
// service:pyjwt: a module with verify_token(token) around PyJWT 2's jwt.decode with the pinned PEM
// keys in the module (no PyJWKClient, nothing fetched). Facts from PyJWT 2.6 (jwt/api_jwt.py):
// exp, nbf and iat are checked only when present (options["require"] makes them required), with
// `leeway`, whose default is 0; a future iat beyond the leeway is refused; the issuer is compared
// only when `issuer` is passed and the audience only when `audience` is (any of a list); the date
// claims go through int(), so "123" passes as a number; crit is not looked at. The rest is code.
#include "export/services/ServicePythonCode.h"

namespace jwb::exporting::detail {

namespace services {

namespace {

const char kVerify[] = R"PY(

def _candidate_keys(header, rules):
    # Keys come only from the issuer's entry: by exact kid when the token names one, else every
    # pinned key that serves the alg, as the core does. jku, x5u, jwk and x5c never select a key.
    kid, alg = header.get("kid"), header["alg"]
    secret = rules["secrets"].get(kid) if kid is not None else None
    if secret is not None and alg in secret["algorithms"]:
        return [_hmac_secret(secret)]
    keys = [k["pem"] for k in rules["keys"] if alg in k["algorithms"] and (kid is None or k["kid"] == kid)]
    if not keys:
        _reject("no pinned key for kid %r and alg %s" % (kid, alg))
    return keys


def verify_token(token):
    """Returns the verified claims, or raises TokenRejected (its text says which check)."""
    header, iss, rules = _select_issuer(token)
    payload = None
    for key in _candidate_keys(header, rules):
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=rules["algorithms"],  # the pin
                issuer=iss,  # PyJWT accepts any iss unless it is given
                audience=rules["audiences"],  # any of the issuer's audiences; unchecked unless given
                leeway=rules["clock_skew_seconds"],  # PyJWT's default is 0
                options={"require": rules["required_claims"]},  # exp is checked only when present otherwise
            )
            break
        except jwt.InvalidSignatureError:
            continue  # the next candidate key (only when the token names no kid)
        except Exception as e:  # PyJWT raises TypeError, too, for some malformed claims
            _reject("PyJWT: %s" % e)
    if payload is None:
        _reject("signature invalid")
    _check_claims(payload, rules, iss, math.floor(time.time()))
    return payload
)PY";

LibraryFacts pyjwtFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("jwt.decode algorithms");
    f.crit = QStringLiteral("(PyJWT 2.6) ignores crit");
    f.issuer = QStringLiteral("jwt.decode issuer (PyJWT accepts any iss without it)");
    f.audience = QStringLiteral("jwt.decode audience: any of the issuer's audiences (unchecked without it)");
    f.requiredClaims = QStringLiteral("jwt.decode options[\"require\"] (a null value counts as missing)");
    f.expRequired = QStringLiteral("options[\"require\"] lists exp (PyJWT checks exp only when present otherwise)");
    f.nbf = QStringLiteral("jwt.decode checks a present nbf with leeway; the code requires a number (PyJWT takes "
                           "\"123\")");
    f.iat = QStringLiteral("jwt.decode refuses a present iat later than now + leeway; the code requires a number");
    f.skew = QStringLiteral("jwt.decode leeway (default 0) for exp, nbf and iat");
    f.keys = QStringLiteral("the pinned public keys as PEM in the module, chosen by exact kid and alg");
    f.secrets = QStringLiteral("_hmac_secret()");
    return f;
}

class ServicePyjwtExporter final : public Exporter {
public:
    Target target() const override { return Target::ServicePyjwt; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("#"), plan);
        t += QStringLiteral("#\n# Use: from verify_token import verify_token, TokenRejected\n"
                            "#      claims = verify_token(bearer_token)  # raises TokenRejected\n"
                            "# Needs PyJWT 2 with cryptography (Debian: python3-jwt).\n");
        t += QStringLiteral("import base64\nimport binascii\nimport json\nimport math\nimport os\nimport re\n"
                            "import time\n\nimport jwt\n\n");
        t += pyPrelude(plan);
        t += QStringLiteral("\n\n");
        t += pyIssuerTable(plan, [](const ServiceIssuer& si) -> QString {
            QString k = QStringLiteral("        # The pinned public keys (public parts only), as PEM.\n"
                                       "        \"keys\": [\n");
            for (const auto& key : si.keys)
                k += QStringLiteral("            {\"kid\": %1, \"algorithms\": %2, \"pem\": %3},\n")
                         .arg(quoted(key.kid), pyList(key.algorithms), pyTextBlock(key.pem));
            return k + QStringLiteral("        ],\n");
        });
        PyClaimChecks checks;
        checks.expRequired = false;    // options["require"]
        checks.requiredClaims = false; // options["require"]
        checks.audienceMatch = false;  // audience
        checks.issuerMatch = false;    // issuer
        checks.exp = false;            // leeway
        checks.nbf = false;            // leeway
        checks.iat = false;            // leeway
        t += pyClaimChecks(checks);
        t += QString::fromUtf8(kVerify);
        return serviceResult(t, QStringLiteral("verify_token.py"), target(), plan, pyjwtFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServicePyjwtExporter()
{
    return std::make_unique<services::ServicePyjwtExporter>();
}

} // namespace jwb::exporting::detail
