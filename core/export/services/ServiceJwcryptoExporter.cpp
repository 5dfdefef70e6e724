// SPDX-License-Identifier: Apache-2.0
// service:jwcrypto: a module with verify_token(token) around jwcrypto's jwt.JWT with the pinned
// keys as JWK objects. Facts from jwcrypto 1.1 (jwcrypto/jwt.py): without check_claims it checks
// a present exp and nbf with a default leeway of 60 s; once check_claims is given those default
// checks are off and only the claims it lists are checked (a None value: present, and exp/nbf
// compared with the clock); its "aud" value is one audience, not a list; header typ and crit are the
// JWS layer's business and iat is only type-checked. The rest is code.
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
        value = base64.urlsafe_b64encode(_hmac_secret(secret)).rstrip(b"=").decode("ascii")
        return [jwk.JWK(kty="oct", k=value)]
    keys = [k["jwk"] for k in rules["keys"] if alg in k["algorithms"] and (kid is None or k["kid"] == kid)]
    if not keys:
        _reject("no pinned key for kid %r and alg %s" % (kid, alg))
    return keys


def verify_token(token):
    """Returns the verified claims, or raises TokenRejected (its text says which check)."""
    header, iss, rules = _select_issuer(token)
    # Giving check_claims turns jwcrypto's own exp/nbf checks off, so exp is listed (None: present
    # and compared with the clock and leeway) and nbf, iat are checked below.
    check_claims = {name: None for name in rules["required_claims"]}
    check_claims["iss"] = iss
    claims = None
    for key in _candidate_keys(header, rules):
        verified = jwt.JWT(check_claims=check_claims, algs=rules["algorithms"])  # algs: the pin
        verified.leeway = rules["clock_skew_seconds"]  # jwcrypto's default is 60 s
        try:
            verified.deserialize(token, key)
        except jws.InvalidJWSSignature:
            continue  # the next candidate key (only when the token names no kid)
        except Exception as e:  # jwcrypto raises TypeError, too, for some malformed claims
            _reject("jwcrypto: %s" % e)
        claims = json.loads(verified.claims)
        break
    if claims is None:
        _reject("signature invalid")
    _check_claims(claims, rules, iss, math.floor(time.time()))
    return claims
)PY";

LibraryFacts jwcryptoFacts()
{
    LibraryFacts f;
    f.algorithmPin = QStringLiteral("jwt.JWT algs");
    f.crit = QStringLiteral("checks crit in its JWS layer");
    f.issuer = QStringLiteral("check_claims iss (exact)");
    f.requiredClaims = QStringLiteral("check_claims lists each required claim with None (present)");
    f.expRequired = QStringLiteral("check_claims {\"exp\": None}: present and compared with the clock and leeway "
                                   "(given check_claims, jwcrypto does not check exp by itself)");
    f.skew = QStringLiteral("JWT.leeway set to the policy's skew (jwcrypto's default is 60 s) for exp; the code applies "
                            "it to nbf and iat");
    f.keys = QStringLiteral("the pinned public keys as jwk.JWK objects in the module, chosen by exact kid and alg");
    f.secrets = QStringLiteral("_hmac_secret()");
    // audience: check_claims "aud" takes one value, the issuer's row is a list: the code matches it.
    // nbf: listing nbf in check_claims would make it required, so the code checks a present nbf.
    return f;
}

class ServiceJwcryptoExporter final : public Exporter {
public:
    Target target() const override { return Target::ServiceJwcrypto; }

    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile& profile) const override
    {
        auto planned = planService(policy, profile);
        if (!planned)
            return planned.error();
        const ServicePlan& plan = *planned;
        QString t = serviceBanner(policy, target(), QStringLiteral("#"), plan);
        t += QStringLiteral("#\n# Use: from verify_token import verify_token, TokenRejected\n"
                            "#      claims = verify_token(bearer_token)  # raises TokenRejected\n"
                            "# Needs jwcrypto 1 (Debian: python3-jwcrypto).\n");
        t += QStringLiteral("import base64\nimport binascii\nimport json\nimport math\nimport os\nimport re\n"
                            "import time\n\nfrom jwcrypto import jwk, jws, jwt\n\n");
        t += pyPrelude(plan);
        t += QStringLiteral("\n\n");
        t += pyIssuerTable(plan, [](const ServiceIssuer& si) -> QString {
            QString k = QStringLiteral("        # The pinned public keys (public members only).\n"
                                       "        \"keys\": [\n");
            for (const auto& key : si.keys)
                k += QStringLiteral("            {\"kid\": %1, \"algorithms\": %2, \"jwk\": jwk.JWK.from_json(%3)},\n")
                         .arg(quoted(key.kid), pyList(key.algorithms), quoted(QString::fromUtf8(key.jwk)));
            return k + QStringLiteral("        ],\n");
        });
        PyClaimChecks checks;
        checks.expRequired = false;    // check_claims exp
        checks.requiredClaims = false; // check_claims
        checks.issuerMatch = false;    // check_claims iss
        // exp stays on: when the policy does not require exp, check_claims does not list it and
        // jwcrypto then checks no exp at all.
        t += pyClaimChecks(checks);
        t += QString::fromUtf8(kVerify);
        return serviceResult(t, QStringLiteral("verify_token.py"), target(), plan, jwcryptoFacts());
    }
};

} // namespace

} // namespace services

std::unique_ptr<Exporter> makeServiceJwcryptoExporter()
{
    return std::make_unique<services::ServiceJwcryptoExporter>();
}

} // namespace jwb::exporting::detail
