// SPDX-License-Identifier: Apache-2.0
// JavaScript shared by the Node service exporters. The text mirrors the core's pipeline
// (core/verify/PolicyVerifier.cpp): the checks that decide before a key is touched run on the
// unverified header, the claim checks only on what the library verified.
#include "export/services/ServiceNodeCode.h"

namespace jwb::exporting::detail::services {

namespace {

QString jsList(const QStringList& l)
{
    return u'[' + quotedList(l) + u']';
}

const char kPrelude[] = R"JS(
export class TokenRejected extends Error {
  constructor(reason) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
    this.reason = reason;
  }
}

function reject(reason) {
  throw new TokenRejected(reason);
}

// JSON.parse keeps the last of two equal member names; the policy refuses such a token (a second
// "exp" far in the future must not win), so names are checked on the text itself.
function rejectDuplicateMembers(text, where) {
  const stack = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const members = stack[stack.length - 1];
      if (expectName && members) {
        const name = JSON.parse(text.slice(i, j + 1));
        if (members.has(name)) reject(`${where} member "${name}" appears twice`);
        members.add(name);
        expectName = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectName = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectName = stack[stack.length - 1] instanceof Set;
    }
  }
}

function decodeJson(segment, where) {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) reject(`${where} is not base64url`);
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    reject(`${where} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) reject(`${where} is not a JSON object`);
  rejectDuplicateMembers(text, where);
  return value;
}

// RFC 7515 section 4.1.9: media types compare case-insensitively and "application/" may be left out.
function mediaType(value) {
  const lower = value.toLowerCase();
  return lower.startsWith('application/') && lower.length > 12 ? lower.slice(12) : lower;
}

// Runs on the unverified header before any key is used: every check here only rejects.
function checkHeader(header, rules) {
  if ('crit' in header) reject('crit header: no critical extension is implemented');
  if ('b64' in header && header.b64 !== true) reject('b64 header other than true');
  if (typeof header.alg !== 'string') reject('alg missing or not a string');
  for (const name of ['kid', 'typ', 'cty']) {
    if (name in header && typeof header[name] !== 'string') reject(`header ${name} is not a string`);
  }
  for (const name of Object.keys(header)) {
    if (!rules.allowedHeaders.includes(name)) reject(`header member "${name}" is not allowed`);
  }
  if (rules.requireType && !('typ' in header)) reject('typ missing');
  if (rules.types && 'typ' in header && !rules.types.includes(mediaType(header.typ))) reject('typ not allowed');
  if (!rules.algorithms.includes(header.alg)) reject(`alg ${header.alg} is not pinned`);
  if (rules.requireKid && !('kid' in header)) reject('kid missing');
  if (REJECT_NESTED && 'cty' in header && mediaType(header.cty) === 'jwt') reject('nested JWT');
}
)JS";

} // namespace

QString jsIssuerTable(const ServicePlan& plan, const std::function<QString(const ServiceIssuer&)>& keyField)
{
    QString t = QStringLiteral("// One entry per issuer, selected by the exact iss; every value is the policy's.\n"
                               "const ISSUERS = new Map([\n");
    for (const ServiceIssuer& si : plan.issuers) {
        const auto& r = si.rules;
        t += QStringLiteral("  [%1, {\n").arg(quoted(si.iss));
        t += QStringLiteral("    algorithms: %1,\n").arg(jsList(r.algorithms));
        t += QStringLiteral("    audiences: %1,\n").arg(jsList(si.audiences));
        t += QStringLiteral("    subjects: %1, // empty: any sub\n").arg(jsList(si.subjects));
        t += QStringLiteral("    allowedHeaders: %1,\n").arg(jsList(r.allowedHeaders));
        t += QStringLiteral("    types: %1, // null: typ is not checked\n")
                 .arg(si.types ? jsList(*si.types) : QStringLiteral("null"));
        t += QStringLiteral("    requireType: %1,\n").arg(r.requireType ? u"true" : u"false");
        t += QStringLiteral("    requireKid: %1,\n").arg(r.requireKid ? u"true" : u"false");
        t += QStringLiteral("    requiredClaims: %1,\n").arg(jsList(r.requiredClaims));
        t += QStringLiteral("    maxLifetimeSeconds: %1, // exp - iat; null: no limit\n")
                 .arg(r.maxLifetimeSeconds ? QString::number(*r.maxLifetimeSeconds) : QStringLiteral("null"));
        t += QStringLiteral("    clockSkewSeconds: %1,\n").arg(r.clockSkewSeconds);
        t += QStringLiteral("    maxTokenBytes: %1,\n").arg(r.maxTokenBytes);
        t += keyField(si);
        t += QStringLiteral("    // HMAC secrets are never exported: kid -> the environment variable holding it (base64url).\n");
        QStringList secrets;
        for (const auto& s : si.secrets)
            secrets << QStringLiteral("%1: { env: %2, algorithms: %3 }").arg(quoted(s.kid), quoted(s.envVar), jsList(s.algorithms));
        t += QStringLiteral("    secrets: { %1 },\n").arg(secrets.join(QStringLiteral(", ")));
        t += QStringLiteral("  }],\n");
    }
    t += QStringLiteral("]);\n");
    return t;
}

QString jsPrelude(const ServicePlan& plan)
{
    QString t;
    t += QStringLiteral("const MAX_TOKEN_BYTES = %1; // the largest limit of any issuer, checked before decoding\n")
             .arg(plan.maxTokenBytes);
    t += QStringLiteral("const MAX_NUMERIC_DATE = 253402300799; // 9999-12-31T23:59:59Z, as the core\n");
    t += QStringLiteral("const REJECT_ACT = %1; // delegation.act: %2\n")
             .arg(plan.rejectAct ? u"true" : u"false", plan.rejectAct ? u"reject" : u"allow (not checked further here)");
    t += QStringLiteral("const REJECT_NESTED = true; // nested JWTs (cty JWT) are never verified by this code\n");
    t += QString::fromUtf8(kPrelude);
    return t;
}

QString jsClaimChecks(const JsClaimChecks& c, const ServicePlan& plan)
{
    Q_UNUSED(plan)
    QString t = QStringLiteral(R"JS(
// A NumericDate (RFC 7519 section 2) in the core's range, fractions floored; undefined when absent.
function numericDate(payload, name) {
  if (!(name in payload)) return undefined;
  const v = payload[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_NUMERIC_DATE) reject(`${name} is not a NumericDate`);
  return Math.floor(v);
}

// Runs on the verified claims. `now` is Unix seconds.
function checkClaims(payload, rules, iss, now) {
  const skew = rules.clockSkewSeconds;
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
)JS");
    if (c.issuerMatch)
        t += QStringLiteral("  if (payload.iss !== iss) reject('iss changed');\n");
    if (c.expRequired)
        t += QStringLiteral("  if (exp === undefined && rules.requiredClaims.includes('exp')) reject('exp missing');\n");
    if (c.skewedTimes) {
        t += QStringLiteral("  if (exp !== undefined && !(now < exp + skew)) reject('expired');\n");
        t += QStringLiteral("  if (nbf !== undefined && nbf > now + skew) reject('not yet valid (nbf)');\n");
    }
    t += QStringLiteral("  // No Node library rejects an iat in the future unless it also bounds the age, which is not the policy.\n");
    t += QStringLiteral("  if (iat !== undefined && iat > now + skew) reject('iat in the future');\n");
    t += QStringLiteral(R"JS(  if (rules.maxLifetimeSeconds !== null) {
    // The lifetime the issuer granted (exp - iat), not the token's age.
    const start = iat !== undefined ? iat : nbf;
    if (exp === undefined || start === undefined) reject('lifetime unknown (exp and iat or nbf needed)');
    if (exp - start > rules.maxLifetimeSeconds) reject('lifetime over the limit');
  }
  const aud = payload.aud;
  if (aud === undefined) reject('aud missing');
  const auds = Array.isArray(aud) ? aud : [aud];
  if (auds.length === 0 || !auds.every((a) => typeof a === 'string')) reject('aud is not a string or an array of strings');
)JS");
    if (c.audienceMatch)
        t += QStringLiteral("  if (!auds.some((a) => rules.audiences.includes(a))) reject('aud not bound to the issuer');\n");
    t += QStringLiteral(R"JS(  if ('sub' in payload && typeof payload.sub !== 'string') reject('sub is not a string');
  if (rules.subjects.length > 0 && !rules.subjects.includes(payload.sub)) reject('sub not allowed');
  if ('jti' in payload && typeof payload.jti !== 'string') reject('jti is not a string');
)JS");
    if (c.requiredClaims)
        t += QStringLiteral("  for (const name of rules.requiredClaims) if (!(name in payload)) reject(`${name} missing`);\n");
    t += QStringLiteral("  if (REJECT_ACT && 'act' in payload) reject('act (delegation) is not accepted');\n}\n");
    return t;
}

QString jsSelectIssuer()
{
    return QStringLiteral(R"JS(  if (typeof token !== 'string' || Buffer.byteLength(token) > MAX_TOKEN_BYTES) reject('not a token or too large');
  const parts = token.split('.');
  if (parts.length !== 3) reject('not a compact JWS');
  const header = decodeJson(parts[0], 'header');
  // Unverified: used only to pick the issuer's entry, as the core does; the library verifies the rest.
  const unverified = decodeJson(parts[1], 'claims');
  const rules = typeof unverified.iss === 'string' ? ISSUERS.get(unverified.iss) : undefined;
  if (!rules) reject('unknown issuer');
  if (Buffer.byteLength(token) > rules.maxTokenBytes) reject('too large for the issuer');
  if (rules.audiences.length === 0) reject('the issuer has no audience row');
  checkHeader(header, rules);
)JS");
}

} // namespace jwb::exporting::detail::services
