// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "verify/Trace.h"

#include <QStringView>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jwb::verify {

// Every code a trace step can carry. The strings in kTraceCodes are a contract (the CLI's JSON, the
// GUI and other tools match on them): a code is added, never renamed. Decoder codes (ERR_TOKEN_*)
// are here too, because the structure step reports them as its own.
enum class TraceCode : std::uint8_t {
    SkippedAfterFailure,
    SkippedNotDecoded,
    SkippedNoClaims,
    OkSize,
    ErrTokenTooLarge,
    ErrTokenTooLargeForIssuer,
    OkStructure,
    OkStructureJws,
    ErrTokenSegments,
    ErrTokenJwe,
    ErrTokenEmptySegment,
    ErrTokenBase64url,
    ErrTokenHeaderJson,
    ErrTokenHeaderNotObject,
    ErrTokenPayloadJson,
    ErrTokenPayloadNotObject,
    OkHeader,
    ErrHeaderAlgMissing,
    ErrHeaderMemberType,
    ErrHeaderNotAllowed,
    ErrHeaderKeySelector,
    WarnHeaderKeySelectorIgnored,
    WarnHeaderByException,
    ErrHeaderCrit,
    ErrHeaderCritMalformed,
    ErrHeaderB64,
    OkType,
    OkTypeAbsent,
    SkippedTypeNotChecked,
    ErrTypeMissing,
    ErrTypeNotAllowed,
    OkAlg,
    WarnAlgByException,
    ErrAlgNone,
    ErrAlgUnsupported,
    ErrAlgNotPinned,
    ErrAlgPinEmpty,
    OkIssuer,
    ErrIssMissing,
    ErrIssType,
    ErrIssUnknown,
    OkKey,
    WarnKeyByException,
    OkKeyCandidates,
    ErrKidMissing,
    ErrKidType,
    ErrKeyUnknownKid,
    ErrKeyUnusable,
    ErrKeyNoneUsable,
    ErrKeyNoKeys,
    ErrKeySetMixed,
    SkippedKeyAlg,
    SkippedKeyIssuer,
    SkippedSignatureKey,
    OkSignature,
    ErrSignatureMissing,
    ErrSignatureInvalid,
    ErrSignatureMalformed,
    ErrSignatureInternal,
    OkExp,
    WarnExpByException,
    ErrExpired,
    SkippedExpAbsent,
    ErrExpMissing,
    ErrClaimType,
    ErrClaimRange,
    OkNbf,
    WarnNbfByException,
    ErrNotYetValid,
    SkippedNbfAbsent,
    OkIat,
    ErrIatFuture,
    SkippedIatAbsent,
    OkLifetime,
    WarnLifetimeByException,
    ErrLifetimeExceeded,
    ErrLifetimeUnknown,
    SkippedLifetimeNoLimit,
    OkAud,
    ErrAudMissing,
    ErrAudEmpty,
    ErrAudType,
    ErrAudNotBound,
    ErrAudNoRow,
    OkSub,
    SkippedSubNoAllowlist,
    ErrSubMissing,
    ErrSubType,
    ErrSubNotAllowed,
    OkRequired,
    OkRequiredNone,
    ErrClaimMissing,
    ErrJtiType,
    SkippedNoAct,
    OkAct,
    ErrActRejected,
    ErrActNotAllowed,
    ErrActChain,
    ErrActMalformed,
    SkippedNotNested,
    OkNested,
    ErrNestedRejected,
    ErrNestedDepth,
    ErrNestedInner,
    ErrInternalNoStep,
};
inline constexpr std::size_t kTraceCodeCount = static_cast<std::size_t>(TraceCode::ErrInternalNoStep) + 1;

// One code: its stable string, the template of its reason and, when the code always rests on one
// section, the reference that replaces the step's own (empty: the step's reference applies).
// Placeholders: {a1} {a2} strings, {n1} {n2} numbers, {t1} {t2} instants (RFC 3339). Codes from the
// decoder carry their message as {a1}.
struct TraceCodeInfo {
    TraceCode id;
    std::u16string_view code;
    std::u16string_view message;
    std::u16string_view reference;
};

// The one table of codes, in the order of TraceCode. TraceCodes.cpp checks at compile time that it
// has one entry per code, in order, with a unique code string and a non-empty message.
// clang-format off
inline constexpr TraceCodeInfo kTraceCodes[] = {
    {TraceCode::SkippedAfterFailure, u"SKIPPED_AFTER_FAILURE", u"not evaluated: an earlier step failed", u""},
    {TraceCode::SkippedNotDecoded, u"SKIPPED_NOT_DECODED", u"not evaluated: the token could not be decoded", u""},
    {TraceCode::SkippedNoClaims, u"SKIPPED_NO_CLAIMS", u"not evaluated: the payload is not a claims set", u""},
    {TraceCode::OkSize, u"OK_SIZE", u"{n1} bytes, within the limit of {n2}", u""},
    {TraceCode::ErrTokenTooLarge, u"ERR_TOKEN_TOO_LARGE", u"token is {n1} bytes; the limit is {n2}: rejected before decoding", u""},
    {TraceCode::ErrTokenTooLargeForIssuer, u"ERR_TOKEN_TOO_LARGE_FOR_ISSUER", u"token is {n1} bytes; this issuer's limit is {n2}", u""},
    {TraceCode::OkStructure, u"OK_STRUCTURE", u"three base64url segments; header and payload are JSON objects", u""},
    {TraceCode::OkStructureJws, u"OK_STRUCTURE_JWS", u"three base64url segments; header is a JSON object", u""},
    {TraceCode::ErrTokenSegments, u"ERR_TOKEN_SEGMENTS", u"{a1}", u""},
    {TraceCode::ErrTokenJwe, u"ERR_TOKEN_JWE", u"{a1}", u""},
    {TraceCode::ErrTokenEmptySegment, u"ERR_TOKEN_EMPTY_SEGMENT", u"{a1}", u""},
    {TraceCode::ErrTokenBase64url, u"ERR_TOKEN_BASE64URL", u"{a1}", u""},
    {TraceCode::ErrTokenHeaderJson, u"ERR_TOKEN_HEADER_JSON", u"{a1}", u""},
    {TraceCode::ErrTokenHeaderNotObject, u"ERR_TOKEN_HEADER_NOT_OBJECT", u"{a1}", u""},
    {TraceCode::ErrTokenPayloadJson, u"ERR_TOKEN_PAYLOAD_JSON", u"{a1}", u""},
    {TraceCode::ErrTokenPayloadNotObject, u"ERR_TOKEN_PAYLOAD_NOT_OBJECT", u"{a1}", u""},
    {TraceCode::OkHeader, u"OK_HEADER", u"every member is on the allowlist; no crit", u""},
    {TraceCode::ErrHeaderAlgMissing, u"ERR_HEADER_ALG_MISSING", u"the header has no alg member", u""},
    {TraceCode::ErrHeaderMemberType, u"ERR_HEADER_MEMBER_TYPE", u"header member '{a1}' must be {a2}", u""},
    {TraceCode::ErrHeaderNotAllowed, u"ERR_HEADER_NOT_ALLOWED", u"header member '{a1}' is not in the policy's header allowlist", u""},
    {TraceCode::ErrHeaderKeySelector, u"ERR_HEADER_KEY_SELECTOR", u"header member '{a1}' would let the token pick or carry its own key; keys come only from the policy", u"RFC 8725 §3.10, RFC 7515 §4.1.2-4.1.6"},
    {TraceCode::WarnHeaderKeySelectorIgnored, u"WARN_HEADER_KEY_SELECTOR_IGNORED", u"header member '{a1}' is allowlisted but ignored: keys come only from the policy", u"RFC 8725 §3.10"},
    {TraceCode::WarnHeaderByException, u"WARN_HEADER_BY_EXCEPTION", u"header member '{a1}' is allowed only by exception '{a2}'", u""},
    {TraceCode::ErrHeaderCrit, u"ERR_HEADER_CRIT", u"crit names '{a1}', an extension this verifier does not implement", u"RFC 7515 §4.1.11"},
    {TraceCode::ErrHeaderCritMalformed, u"ERR_HEADER_CRIT_MALFORMED", u"crit must be a non-empty array of header names present in the header", u"RFC 7515 §4.1.11"},
    {TraceCode::ErrHeaderB64, u"ERR_HEADER_B64", u"b64: false (unencoded payload, RFC 7797) is never accepted", u"RFC 7797 §3"},
    {TraceCode::OkType, u"OK_TYPE", u"typ '{a1}' is accepted", u""},
    {TraceCode::OkTypeAbsent, u"OK_TYPE_ABSENT", u"no typ, and the policy does not require one", u""},
    {TraceCode::SkippedTypeNotChecked, u"SKIPPED_TYPE_NOT_CHECKED", u"the policy does not check typ", u""},
    {TraceCode::ErrTypeMissing, u"ERR_TYPE_MISSING", u"the policy requires typ ({a2}) but the token has none", u""},
    {TraceCode::ErrTypeNotAllowed, u"ERR_TYPE_NOT_ALLOWED", u"typ '{a1}' is not one of {a2}", u""},
    {TraceCode::OkAlg, u"OK_ALG", u"{a1} is pinned for this issuer", u""},
    {TraceCode::WarnAlgByException, u"WARN_ALG_BY_EXCEPTION", u"{a1} is not pinned; accepted only by exception '{a2}'", u""},
    {TraceCode::ErrAlgNone, u"ERR_ALG_NONE", u"alg '{a1}' marks an unsecured token, which is always rejected", u"RFC 7518 §3.6, RFC 8725 §3.1"},
    {TraceCode::ErrAlgUnsupported, u"ERR_ALG_UNSUPPORTED", u"alg '{a1}' is not a JWS algorithm this verifier implements", u""},
    {TraceCode::ErrAlgNotPinned, u"ERR_ALG_NOT_PINNED", u"{a1} is not in the pinned list [{a2}]", u""},
    {TraceCode::ErrAlgPinEmpty, u"ERR_ALG_PIN_EMPTY", u"the policy pins no algorithm for this issuer: nothing is accepted", u""},
    {TraceCode::OkIssuer, u"OK_ISSUER", u"iss '{a1}' matches a trust entry exactly; it only chooses the rules and keys", u""},
    {TraceCode::ErrIssMissing, u"ERR_ISS_MISSING", u"the token has no iss claim, so no trust entry can be chosen", u""},
    {TraceCode::ErrIssType, u"ERR_ISS_TYPE", u"iss must be a string", u""},
    {TraceCode::ErrIssUnknown, u"ERR_ISS_UNKNOWN", u"iss '{a1}' matches no trust entry (exact, byte-for-byte comparison)", u""},
    {TraceCode::OkKey, u"OK_KEY", u"key '{a1}' ({a2}) pinned for this issuer", u""},
    {TraceCode::WarnKeyByException, u"WARN_KEY_BY_EXCEPTION", u"key '{a1}' is accepted only by exception '{a2}'", u""},
    {TraceCode::OkKeyCandidates, u"OK_KEY_CANDIDATES", u"no kid: {n1} pinned key(s) can serve {a1}", u""},
    {TraceCode::ErrKidMissing, u"ERR_KID_MISSING", u"the policy requires kid, and the token has none", u""},
    {TraceCode::ErrKidType, u"ERR_KID_TYPE", u"kid must be a string", u""},
    {TraceCode::ErrKeyUnknownKid, u"ERR_KEY_UNKNOWN_KID", u"kid '{a1}' matches no key pinned for this issuer (exact comparison)", u""},
    {TraceCode::ErrKeyUnusable, u"ERR_KEY_UNUSABLE", u"key '{a1}' cannot serve {a2}", u""},
    {TraceCode::ErrKeyNoneUsable, u"ERR_KEY_NONE_USABLE", u"no key pinned for this issuer can serve {a1}", u""},
    {TraceCode::ErrKeyNoKeys, u"ERR_KEY_NO_KEYS", u"no keys are pinned for this issuer", u""},
    {TraceCode::ErrKeySetMixed, u"ERR_KEY_SET_MIXED", u"the key set mixes HMAC secrets with public keys, so the token's alg would choose how a key is used (algorithm confusion); pin the algorithm", u"RFC 8725 §3.1"},
    {TraceCode::SkippedKeyAlg, u"SKIPPED_KEY_ALG", u"not attempted: no key is touched unless the algorithm is pinned", u""},
    {TraceCode::SkippedKeyIssuer, u"SKIPPED_KEY_ISSUER", u"not attempted: no trust entry supplies keys", u""},
    {TraceCode::SkippedSignatureKey, u"SKIPPED_SIGNATURE_KEY", u"not attempted: no usable pinned key", u""},
    {TraceCode::OkSignature, u"OK_SIGNATURE", u"{a1} signature verified with key '{a2}'", u""},
    {TraceCode::ErrSignatureMissing, u"ERR_SIGNATURE_MISSING", u"the signature segment is empty (an unsecured token)", u""},
    {TraceCode::ErrSignatureInvalid, u"ERR_SIGNATURE_INVALID", u"the {a1} signature does not verify with key '{a2}'", u""},
    {TraceCode::ErrSignatureMalformed, u"ERR_SIGNATURE_MALFORMED", u"malformed {a1} signature: {a2}", u""},
    {TraceCode::ErrSignatureInternal, u"ERR_SIGNATURE_INTERNAL", u"the cryptographic backend failed ({a2}); failing closed", u""},
    {TraceCode::OkExp, u"OK_EXP", u"expires {t1}; {n2} s clock skew allowed", u""},
    {TraceCode::WarnExpByException, u"WARN_EXP_BY_EXCEPTION", u"expired {t1} but within the {n2} s skew of exception '{a2}'", u""},
    {TraceCode::ErrExpired, u"ERR_EXPIRED", u"expired at {t1}; {n2} s clock skew allowed", u""},
    {TraceCode::SkippedExpAbsent, u"SKIPPED_EXP_ABSENT", u"no exp claim (required_claims decides whether that is allowed)", u""},
    {TraceCode::ErrExpMissing, u"ERR_EXP_MISSING", u"the token has no exp claim, and the policy requires one", u"RFC 8725 §3.10, RFC 7519 §4.1.4"},
    {TraceCode::ErrClaimType, u"ERR_CLAIM_TYPE", u"{a1} must be a NumericDate (JSON number of seconds), not {a2}", u"RFC 7519 §2"},
    {TraceCode::ErrClaimRange, u"ERR_CLAIM_RANGE", u"{a1} is outside the range of representable dates", u"RFC 7519 §2"},
    {TraceCode::OkNbf, u"OK_NBF", u"valid from {t1}; {n2} s clock skew allowed", u""},
    {TraceCode::WarnNbfByException, u"WARN_NBF_BY_EXCEPTION", u"not valid before {t1}, accepted within the {n2} s skew of exception '{a2}'", u""},
    {TraceCode::ErrNotYetValid, u"ERR_NOT_YET_VALID", u"not valid before {t1}; {n2} s clock skew allowed", u""},
    {TraceCode::SkippedNbfAbsent, u"SKIPPED_NBF_ABSENT", u"no nbf claim", u""},
    {TraceCode::OkIat, u"OK_IAT", u"issued {t1}", u""},
    {TraceCode::ErrIatFuture, u"ERR_IAT_FUTURE", u"issued in the future ({t1}); {n2} s clock skew allowed", u""},
    {TraceCode::SkippedIatAbsent, u"SKIPPED_IAT_ABSENT", u"no iat claim", u""},
    {TraceCode::OkLifetime, u"OK_LIFETIME", u"lifetime {n1} s, within the limit of {n2} s", u""},
    {TraceCode::WarnLifetimeByException, u"WARN_LIFETIME_BY_EXCEPTION", u"lifetime {n1} s exceeds the policy but is allowed by exception '{a2}'", u""},
    {TraceCode::ErrLifetimeExceeded, u"ERR_LIFETIME_EXCEEDED", u"lifetime {n1} s exceeds the limit of {n2} s", u""},
    {TraceCode::ErrLifetimeUnknown, u"ERR_LIFETIME_UNKNOWN", u"a maximum lifetime is set, but the token lacks {a1} to measure it", u""},
    {TraceCode::SkippedLifetimeNoLimit, u"SKIPPED_LIFETIME_NO_LIMIT", u"the policy sets no maximum lifetime", u""},
    {TraceCode::OkAud, u"OK_AUD", u"audience '{a1}' is in the row of '{a2}'", u""},
    {TraceCode::ErrAudMissing, u"ERR_AUD_MISSING", u"the token has no aud claim; audience binding cannot be checked", u""},
    {TraceCode::ErrAudEmpty, u"ERR_AUD_EMPTY", u"aud is empty", u""},
    {TraceCode::ErrAudType, u"ERR_AUD_TYPE", u"aud must be a string or an array of strings", u""},
    {TraceCode::ErrAudNotBound, u"ERR_AUD_NOT_BOUND", u"audience '{a1}' is not in the row of '{a2}'", u""},
    {TraceCode::ErrAudNoRow, u"ERR_AUD_NO_ROW", u"the issuer '{a2}' may issue for no audience", u""},
    {TraceCode::OkSub, u"OK_SUB", u"subject '{a1}' is on the allowlist", u""},
    {TraceCode::SkippedSubNoAllowlist, u"SKIPPED_SUB_NO_ALLOWLIST", u"the policy has no subject allowlist for this issuer", u""},
    {TraceCode::ErrSubMissing, u"ERR_SUB_MISSING", u"the issuer has a subject allowlist, and the token has no sub", u""},
    {TraceCode::ErrSubType, u"ERR_SUB_TYPE", u"sub must be a string", u"RFC 7519 §4.1.2"},
    {TraceCode::ErrSubNotAllowed, u"ERR_SUB_NOT_ALLOWED", u"subject '{a1}' is not on the allowlist", u""},
    {TraceCode::OkRequired, u"OK_REQUIRED", u"present: {a1}", u""},
    {TraceCode::OkRequiredNone, u"OK_REQUIRED_NONE", u"the policy requires no claims", u""},
    {TraceCode::ErrClaimMissing, u"ERR_CLAIM_MISSING", u"required claim(s) missing: {a1}", u""},
    {TraceCode::ErrJtiType, u"ERR_JTI_TYPE", u"jti must be a string, not {a2}", u"RFC 7519 §4.1.7"},
    {TraceCode::SkippedNoAct, u"SKIPPED_NO_ACT", u"no act claim", u""},
    {TraceCode::OkAct, u"OK_ACT", u"acting party '{a1}' (chain length {n1}) is allowed", u""},
    {TraceCode::ErrActRejected, u"ERR_ACT_REJECTED", u"acting party '{a1}': the policy does not accept delegated tokens", u""},
    {TraceCode::ErrActNotAllowed, u"ERR_ACT_NOT_ALLOWED", u"acting party '{a1}' is not on the allowed_actors list", u""},
    {TraceCode::ErrActChain, u"ERR_ACT_CHAIN", u"delegation chain of {n1} exceeds max_chain {n2}", u""},
    {TraceCode::ErrActMalformed, u"ERR_ACT_MALFORMED", u"act must be an object with a string sub", u""},
    {TraceCode::SkippedNotNested, u"SKIPPED_NOT_NESTED", u"not a nested token", u""},
    {TraceCode::OkNested, u"OK_NESTED", u"inner token verified under the same policy (depth {n1})", u""},
    {TraceCode::ErrNestedRejected, u"ERR_NESTED_REJECTED", u"nested tokens (cty: JWT) are not accepted by this policy", u""},
    {TraceCode::ErrNestedDepth, u"ERR_NESTED_DEPTH", u"nesting depth {n1} exceeds the limit of {n2}", u""},
    {TraceCode::ErrNestedInner, u"ERR_NESTED_INNER", u"the inner token was rejected at step '{a1}'", u""},
    {TraceCode::ErrInternalNoStep, u"ERR_INTERNAL_NO_STEP", u"internal error: a check recorded no outcome; failing closed", u""},
};
// clang-format on

constexpr const TraceCodeInfo& traceCodeInfo(TraceCode code) { return kTraceCodes[static_cast<std::size_t>(code)]; }

// The code's string as a step records it: a view of the table's literal, nothing copied.
constexpr TraceText codeText(TraceCode code)
{
    const std::u16string_view text = traceCodeInfo(code).code;
    return TraceText::viewOf(QStringView(text.data(), static_cast<qsizetype>(text.size())));
}

// A step's outcome with its code and, when the code names one, its reference. Every other member is
// empty; the step fills in what its reason needs.
inline TraceStep traceStep(StepId id, Verdict verdict, TraceCode code)
{
    TraceStep step(id, verdict, codeText(code));
    const std::u16string_view ref = traceCodeInfo(code).reference;
    if (!ref.empty())
        step.ref = TraceText::viewOf(QStringView(ref.data(), static_cast<qsizetype>(ref.size())));
    return step;
}

// The code a string names ("ERR_EXPIRED"), if it is in the table: how the decoder's codes, which
// arrive as text, are recorded as views of the table's literals.
std::optional<TraceCode> traceCodeFromString(QStringView code);

} // namespace jwb::verify
