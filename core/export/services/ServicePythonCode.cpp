// SPDX-License-Identifier: Apache-2.0
// Python shared by the Python service exporters, mirroring the core's pipeline
// (core/verify/PolicyVerifier.cpp): header checks on the unverified header before any key is used,
// claim checks only on what the library verified.
#include "export/services/ServicePythonCode.h"

namespace jwb::exporting::detail::services {

namespace {

const char kPrelude[] = R"PY(

class TokenRejected(Exception):
    """The token is refused; str() says which check refused it."""


def _reject(reason):
    raise TokenRejected(reason)


def _unique_members(pairs):
    # json.loads keeps the last of two equal member names; the policy refuses such a token (a
    # second "exp" far in the future must not win).
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        _reject("a JSON member appears twice")
    return dict(pairs)


def _no_constants(name):
    _reject("JSON constant %s is not JSON" % name)


def _decode_json(segment, where):
    if not re.fullmatch(r"[A-Za-z0-9_-]*", segment):
        _reject("%s is not base64url" % where)
    try:
        text = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")
        value = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_no_constants)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        _reject("%s is not JSON" % where)
    if not isinstance(value, dict):
        _reject("%s is not a JSON object" % where)
    return value


def _media_type(value):
    # RFC 7515 section 4.1.9: case-insensitive, and "application/" may be left out.
    lower = value.lower()
    return lower[12:] if lower.startswith("application/") and len(lower) > 12 else lower


def _check_header(header, rules):
    # Runs on the unverified header before any key is used: every check here only rejects.
    if "crit" in header:
        _reject("crit header: no critical extension is implemented")
    if "b64" in header and header["b64"] is not True:
        _reject("b64 header other than true")
    if not isinstance(header.get("alg"), str):
        _reject("alg missing or not a string")
    for name in ("kid", "typ", "cty"):
        if name in header and not isinstance(header[name], str):
            _reject("header %s is not a string" % name)
    for name in header:
        if name not in rules["allowed_headers"]:
            _reject('header member "%s" is not allowed' % name)
    if rules["require_type"] and "typ" not in header:
        _reject("typ missing")
    if rules["types"] is not None and "typ" in header and _media_type(header["typ"]) not in rules["types"]:
        _reject("typ not allowed")
    if header["alg"] not in rules["algorithms"]:
        _reject("alg %s is not pinned" % header["alg"])
    if rules["require_kid"] and "kid" not in header:
        _reject("kid missing")
    if REJECT_NESTED and "cty" in header and _media_type(header["cty"]) == "jwt":
        _reject("nested JWT")


def _select_issuer(token):
    """The header and the issuer's entry, from the unverified token (which only picks the entry)."""
    if not isinstance(token, str) or len(token.encode("utf-8")) > MAX_TOKEN_BYTES:
        _reject("not a token or too large")
    parts = token.split(".")
    if len(parts) != 3:
        _reject("not a compact JWS")
    header = _decode_json(parts[0], "header")
    unverified = _decode_json(parts[1], "claims")
    iss = unverified.get("iss")
    rules = ISSUERS.get(iss) if isinstance(iss, str) else None
    if rules is None:
        _reject("unknown issuer")
    if len(token.encode("utf-8")) > rules["max_token_bytes"]:
        _reject("too large for the issuer")
    if not rules["audiences"]:
        _reject("the issuer has no audience row")
    _check_header(header, rules)
    return header, iss, rules


def _hmac_secret(secret):
    value = os.environ.get(secret["env"])
    if not value:
        _reject("HMAC secret %s is not set" % secret["env"])
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _numeric_date(payload, name):
    # A NumericDate (RFC 7519 section 2) in the core's range, fractions floored; None when absent.
    if name not in payload:
        return None
    value = payload[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_NUMERIC_DATE:
        _reject("%s is not a NumericDate" % name)
    return math.floor(value)
)PY";

} // namespace

QString pyList(const QStringList& l)
{
    return u'[' + quotedList(l) + u']';
}

QString pyTextBlock(const QByteArray& text)
{
    return QStringLiteral("\"\"\"") + QString::fromLatin1(text) + QStringLiteral("\"\"\"");
}

QString pyIssuerTable(const ServicePlan& plan, const std::function<QString(const ServiceIssuer&)>& keyField)
{
    QString t = QStringLiteral("# One entry per issuer, selected by the exact iss; every value is the policy's.\n"
                               "ISSUERS = {\n");
    for (const ServiceIssuer& si : plan.issuers) {
        const auto& r = si.rules;
        t += QStringLiteral("    %1: {\n").arg(quoted(si.iss));
        t += QStringLiteral("        \"algorithms\": %1,\n").arg(pyList(r.algorithms));
        t += QStringLiteral("        \"audiences\": %1,\n").arg(pyList(si.audiences));
        t += QStringLiteral("        \"subjects\": %1,  # empty: any sub\n").arg(pyList(si.subjects));
        t += QStringLiteral("        \"allowed_headers\": %1,\n").arg(pyList(r.allowedHeaders));
        t += QStringLiteral("        \"types\": %1,  # None: typ is not checked\n")
                 .arg(si.types ? pyList(*si.types) : QStringLiteral("None"));
        t += QStringLiteral("        \"require_type\": %1,\n").arg(r.requireType ? u"True" : u"False");
        t += QStringLiteral("        \"require_kid\": %1,\n").arg(r.requireKid ? u"True" : u"False");
        t += QStringLiteral("        \"required_claims\": %1,\n").arg(pyList(r.requiredClaims));
        t += QStringLiteral("        \"max_lifetime_seconds\": %1,  # exp - iat; None: no limit\n")
                 .arg(r.maxLifetimeSeconds ? QString::number(*r.maxLifetimeSeconds) : QStringLiteral("None"));
        t += QStringLiteral("        \"clock_skew_seconds\": %1,\n").arg(r.clockSkewSeconds);
        t += QStringLiteral("        \"max_token_bytes\": %1,\n").arg(r.maxTokenBytes);
        t += keyField(si);
        t += QStringLiteral("        # HMAC secrets are never exported: kid -> the environment variable holding it (base64url).\n");
        QStringList secrets;
        for (const auto& s : si.secrets)
            secrets << QStringLiteral("%1: {\"env\": %2, \"algorithms\": %3}")
                           .arg(quoted(s.kid), quoted(s.envVar), pyList(s.algorithms));
        t += QStringLiteral("        \"secrets\": {%1},\n").arg(secrets.join(QStringLiteral(", ")));
        t += QStringLiteral("    },\n");
    }
    t += QStringLiteral("}\n");
    return t;
}

QString pyPrelude(const ServicePlan& plan)
{
    QString t;
    t += QStringLiteral("MAX_TOKEN_BYTES = %1  # the largest limit of any issuer, checked before decoding\n")
             .arg(plan.maxTokenBytes);
    t += QStringLiteral("MAX_NUMERIC_DATE = 253402300799  # 9999-12-31T23:59:59Z, as the core\n");
    t += QStringLiteral("REJECT_ACT = %1  # delegation.act: %2\n")
             .arg(plan.rejectAct ? u"True" : u"False", plan.rejectAct ? u"reject" : u"allow (not checked further here)");
    t += QStringLiteral("REJECT_NESTED = True  # nested JWTs (cty JWT) are never verified by this code\n");
    t += QString::fromUtf8(kPrelude);
    return t;
}

QString pyClaimChecks(const PyClaimChecks& c)
{
    QString t = QStringLiteral(R"PY(

def _check_claims(payload, rules, iss, now):
    """Runs on the verified claims; `now` is Unix seconds."""
    skew = rules["clock_skew_seconds"]
    exp = _numeric_date(payload, "exp")
    nbf = _numeric_date(payload, "nbf")
    iat = _numeric_date(payload, "iat")
)PY");
    if (c.issuerMatch)
        t += QStringLiteral("    if payload.get(\"iss\") != iss:\n        _reject(\"iss changed\")\n");
    if (c.expRequired)
        t += QStringLiteral("    if exp is None and \"exp\" in rules[\"required_claims\"]:\n        _reject(\"exp missing\")\n");
    if (c.exp)
        t += QStringLiteral("    if exp is not None and not now < exp + skew:\n        _reject(\"expired\")\n");
    if (c.nbf)
        t += QStringLiteral("    if nbf is not None and nbf > now + skew:\n        _reject(\"not yet valid (nbf)\")\n");
    if (c.iat)
        t += QStringLiteral("    if iat is not None and iat > now + skew:\n        _reject(\"iat in the future\")\n");
    t += QStringLiteral(R"PY(    if rules["max_lifetime_seconds"] is not None:
        # The lifetime the issuer granted (exp - iat), not the token's age.
        start = iat if iat is not None else nbf
        if exp is None or start is None:
            _reject("lifetime unknown (exp and iat or nbf needed)")
        if exp - start > rules["max_lifetime_seconds"]:
            _reject("lifetime over the limit")
    if "aud" not in payload:
        _reject("aud missing")
    auds = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
    if not auds or not all(isinstance(a, str) for a in auds):
        _reject("aud is not a string or an array of strings")
)PY");
    if (c.audienceMatch)
        t += QStringLiteral("    if not any(a in rules[\"audiences\"] for a in auds):\n"
                            "        _reject(\"aud not bound to the issuer\")\n");
    t += QStringLiteral(R"PY(    if "sub" in payload and not isinstance(payload["sub"], str):
        _reject("sub is not a string")
    if rules["subjects"] and payload.get("sub") not in rules["subjects"]:
        _reject("sub not allowed")
    if "jti" in payload and not isinstance(payload["jti"], str):
        _reject("jti is not a string")
)PY");
    if (c.requiredClaims)
        t += QStringLiteral("    for name in rules[\"required_claims\"]:\n        if name not in payload:\n"
                            "            _reject(\"%s missing\" % name)\n");
    t += QStringLiteral("    if REJECT_ACT and \"act\" in payload:\n        _reject(\"act (delegation) is not accepted\")\n");
    return t;
}

} // namespace jwb::exporting::detail::services
