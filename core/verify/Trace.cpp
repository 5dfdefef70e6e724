// SPDX-License-Identifier: Apache-2.0
#include "verify/Trace.h"

#include "token/CompactToken.h"
#include "util/Time.h"

#include <QHash>
#include <QJsonArray>

#include <array>
#include <type_traits>

namespace jwb::verify {

namespace {

struct StepInfo {
    const char16_t* id;
    const char16_t* title;
    const char16_t* ref;
};

// Order matches StepId. The ids are a published contract.
constexpr std::array<StepInfo, kStepCount> kSteps{{
    {u"size", u"Token size", u"RFC 8725 §3.4"},
    {u"structure", u"Compact JWS structure", u"RFC 7515 §7.1, §5.2"},
    {u"header", u"Header allowlist and crit", u"RFC 7515 §4.1, §4.1.11"},
    {u"type", u"Token type (typ)", u"RFC 7515 §4.1.9, RFC 8725 §3.11"},
    {u"algorithm", u"Algorithm pin", u"RFC 8725 §3.1, RFC 7518 §3.1"},
    {u"issuer", u"Issuer trust entry (iss)", u"RFC 7519 §4.1.1, RFC 8725 §3.8"},
    {u"key", u"Pinned key selection", u"RFC 7515 §4.1.4, RFC 8725 §3.10"},
    {u"signature", u"Signature", u"RFC 7515 §5.2, RFC 7518 §3"},
    {u"expiry", u"Expiry (exp)", u"RFC 7519 §4.1.4"},
    {u"not_before", u"Not before (nbf)", u"RFC 7519 §4.1.5"},
    {u"issued_at", u"Issued at (iat)", u"RFC 7519 §4.1.6"},
    {u"lifetime", u"Maximum lifetime", u"RFC 7519 §4.1.4, §4.1.6"},
    {u"audience", u"Audience bound to issuer (aud)", u"RFC 7519 §4.1.3, RFC 8725 §3.9"},
    {u"subject", u"Subject allowlist (sub)", u"RFC 7519 §4.1.2"},
    {u"required_claims", u"Required claims", u"RFC 7519 §4"},
    {u"delegation", u"Delegation (act)", u"RFC 8693 §4.1"},
    {u"nested", u"Nested token (cty: JWT)", u"RFC 7519 §5.2, §7.2"},
}};

// Reason templates. Placeholders: {a1} {a2} strings, {n1} {n2} numbers, {t1} {t2} instants (RFC 3339).
const QHash<QString, QString>& reasonTemplates()
{
    static const QHash<QString, QString> templates = [] {
        QHash<QString, QString> t;
        auto add = [&t](const char16_t* code, const char16_t* text) {
            t.insert(QString::fromUtf16(code), QString::fromUtf16(text));
        };
        add(u"SKIPPED_AFTER_FAILURE", u"not evaluated: an earlier step failed");
        add(u"SKIPPED_NOT_DECODED", u"not evaluated: the token could not be decoded");
        add(u"SKIPPED_NO_CLAIMS", u"not evaluated: the payload is not a claims set");
        add(u"OK_SIZE", u"{n1} bytes, within the limit of {n2}");
        add(u"ERR_TOKEN_TOO_LARGE", u"token is {n1} bytes; the limit is {n2}: rejected before decoding");
        add(u"ERR_TOKEN_TOO_LARGE_FOR_ISSUER", u"token is {n1} bytes; this issuer's limit is {n2}");
        add(u"OK_STRUCTURE", u"three base64url segments; header and payload are JSON objects");
        add(u"OK_STRUCTURE_JWS", u"three base64url segments; header is a JSON object");
        add(u"OK_HEADER", u"every member is on the allowlist; no crit");
        add(u"ERR_HEADER_ALG_MISSING", u"the header has no alg member");
        add(u"ERR_HEADER_MEMBER_TYPE", u"header member '{a1}' must be {a2}");
        add(u"ERR_HEADER_NOT_ALLOWED", u"header member '{a1}' is not in the policy's header allowlist");
        add(u"ERR_HEADER_KEY_SELECTOR",
            u"header member '{a1}' would let the token pick or carry its own key; keys come only from the policy");
        add(u"WARN_HEADER_KEY_SELECTOR_IGNORED",
            u"header member '{a1}' is allowlisted but ignored: keys come only from the policy");
        add(u"WARN_HEADER_BY_EXCEPTION", u"header member '{a1}' is allowed only by exception '{a2}'");
        add(u"ERR_HEADER_CRIT", u"crit names '{a1}', an extension this verifier does not implement");
        add(u"ERR_HEADER_CRIT_MALFORMED", u"crit must be a non-empty array of header names present in the header");
        add(u"ERR_HEADER_B64", u"b64: false (unencoded payload, RFC 7797) is never accepted");
        add(u"OK_TYPE", u"typ '{a1}' is accepted");
        add(u"OK_TYPE_ABSENT", u"no typ, and the policy does not require one");
        add(u"SKIPPED_TYPE_NOT_CHECKED", u"the policy does not check typ");
        add(u"ERR_TYPE_MISSING", u"the policy requires typ ({a2}) but the token has none");
        add(u"ERR_TYPE_NOT_ALLOWED", u"typ '{a1}' is not one of {a2}");
        add(u"OK_ALG", u"{a1} is pinned for this issuer");
        add(u"WARN_ALG_BY_EXCEPTION", u"{a1} is not pinned; accepted only by exception '{a2}'");
        add(u"ERR_ALG_NONE", u"alg '{a1}' marks an unsecured token, which is always rejected");
        add(u"ERR_ALG_UNSUPPORTED", u"alg '{a1}' is not a JWS algorithm this verifier implements");
        add(u"ERR_ALG_NOT_PINNED", u"{a1} is not in the pinned list [{a2}]");
        add(u"ERR_ALG_PIN_EMPTY", u"the policy pins no algorithm for this issuer: nothing is accepted");
        add(u"OK_ISSUER", u"iss '{a1}' matches a trust entry exactly; it only chooses the rules and keys");
        add(u"ERR_ISS_MISSING", u"the token has no iss claim, so no trust entry can be chosen");
        add(u"ERR_ISS_TYPE", u"iss must be a string");
        add(u"ERR_ISS_UNKNOWN", u"iss '{a1}' matches no trust entry (exact, byte-for-byte comparison)");
        add(u"OK_KEY", u"key '{a1}' ({a2}) pinned for this issuer");
        add(u"WARN_KEY_BY_EXCEPTION", u"key '{a1}' is accepted only by exception '{a2}'");
        add(u"OK_KEY_CANDIDATES", u"no kid: {n1} pinned key(s) can serve {a1}");
        add(u"ERR_KID_MISSING", u"the policy requires kid, and the token has none");
        add(u"ERR_KID_TYPE", u"kid must be a string");
        add(u"ERR_KEY_UNKNOWN_KID", u"kid '{a1}' matches no key pinned for this issuer (exact comparison)");
        add(u"ERR_KEY_UNUSABLE", u"key '{a1}' cannot serve {a2}");
        add(u"ERR_KEY_NONE_USABLE", u"no key pinned for this issuer can serve {a1}");
        add(u"ERR_KEY_NO_KEYS", u"no keys are pinned for this issuer");
        add(u"ERR_KEY_SET_MIXED", u"the key set mixes HMAC secrets with public keys, so the token's alg would choose "
                                  u"how a key is used (algorithm confusion); pin the algorithm");
        add(u"SKIPPED_KEY_ALG", u"not attempted: no key is touched unless the algorithm is pinned");
        add(u"SKIPPED_KEY_ISSUER", u"not attempted: no trust entry supplies keys");
        add(u"SKIPPED_SIGNATURE_KEY", u"not attempted: no usable pinned key");
        add(u"OK_SIGNATURE", u"{a1} signature verified with key '{a2}'");
        add(u"ERR_SIGNATURE_MISSING", u"the signature segment is empty (an unsecured token)");
        add(u"ERR_SIGNATURE_INVALID", u"the {a1} signature does not verify with key '{a2}'");
        add(u"ERR_SIGNATURE_MALFORMED", u"malformed {a1} signature: {a2}");
        add(u"ERR_SIGNATURE_INTERNAL", u"the cryptographic backend failed ({a2}); failing closed");
        add(u"OK_EXP", u"expires {t1}; {n2} s clock skew allowed");
        add(u"WARN_EXP_BY_EXCEPTION", u"expired {t1} but within the {n2} s skew of exception '{a2}'");
        add(u"ERR_EXPIRED", u"expired at {t1}; {n2} s clock skew allowed");
        add(u"SKIPPED_EXP_ABSENT", u"no exp claim (required_claims decides whether that is allowed)");
        add(u"ERR_EXP_MISSING", u"the token has no exp claim, and the policy requires one");
        add(u"ERR_CLAIM_TYPE", u"{a1} must be a NumericDate (JSON number of seconds), not {a2}");
        add(u"ERR_CLAIM_RANGE", u"{a1} is outside the range of representable dates");
        add(u"OK_NBF", u"valid from {t1}; {n2} s clock skew allowed");
        add(u"WARN_NBF_BY_EXCEPTION", u"not valid before {t1}, accepted within the {n2} s skew of exception '{a2}'");
        add(u"ERR_NOT_YET_VALID", u"not valid before {t1}; {n2} s clock skew allowed");
        add(u"SKIPPED_NBF_ABSENT", u"no nbf claim");
        add(u"OK_IAT", u"issued {t1}");
        add(u"ERR_IAT_FUTURE", u"issued in the future ({t1}); {n2} s clock skew allowed");
        add(u"SKIPPED_IAT_ABSENT", u"no iat claim");
        add(u"OK_LIFETIME", u"lifetime {n1} s, within the limit of {n2} s");
        add(u"WARN_LIFETIME_BY_EXCEPTION", u"lifetime {n1} s exceeds the policy but is allowed by exception '{a2}'");
        add(u"ERR_LIFETIME_EXCEEDED", u"lifetime {n1} s exceeds the limit of {n2} s");
        add(u"ERR_LIFETIME_UNKNOWN", u"a maximum lifetime is set, but the token lacks {a1} to measure it");
        add(u"SKIPPED_LIFETIME_NO_LIMIT", u"the policy sets no maximum lifetime");
        add(u"OK_AUD", u"audience '{a1}' is in the row of '{a2}'");
        add(u"ERR_AUD_MISSING", u"the token has no aud claim; audience binding cannot be checked");
        add(u"ERR_AUD_EMPTY", u"aud is empty");
        add(u"ERR_AUD_TYPE", u"aud must be a string or an array of strings");
        add(u"ERR_AUD_NOT_BOUND", u"audience '{a1}' is not in the row of '{a2}'");
        add(u"ERR_AUD_NO_ROW", u"the issuer '{a2}' may issue for no audience");
        add(u"OK_SUB", u"subject '{a1}' is on the allowlist");
        add(u"SKIPPED_SUB_NO_ALLOWLIST", u"the policy has no subject allowlist for this issuer");
        add(u"ERR_SUB_MISSING", u"the issuer has a subject allowlist, and the token has no sub");
        add(u"ERR_SUB_TYPE", u"sub must be a string");
        add(u"ERR_SUB_NOT_ALLOWED", u"subject '{a1}' is not on the allowlist");
        add(u"OK_REQUIRED", u"present: {a1}");
        add(u"OK_REQUIRED_NONE", u"the policy requires no claims");
        add(u"ERR_CLAIM_MISSING", u"required claim(s) missing: {a1}");
        add(u"ERR_JTI_TYPE", u"jti must be a string, not {a2}");
        add(u"SKIPPED_NO_ACT", u"no act claim");
        add(u"OK_ACT", u"acting party '{a1}' (chain length {n1}) is allowed");
        add(u"ERR_ACT_REJECTED", u"acting party '{a1}': the policy does not accept delegated tokens");
        add(u"ERR_ACT_NOT_ALLOWED", u"acting party '{a1}' is not on the allowed_actors list");
        add(u"ERR_ACT_CHAIN", u"delegation chain of {n1} exceeds max_chain {n2}");
        add(u"ERR_ACT_MALFORMED", u"act must be an object with a string sub");
        add(u"SKIPPED_NOT_NESTED", u"not a nested token");
        add(u"OK_NESTED", u"inner token verified under the same policy (depth {n1})");
        add(u"ERR_NESTED_REJECTED", u"nested tokens (cty: JWT) are not accepted by this policy");
        add(u"ERR_NESTED_DEPTH", u"nesting depth {n1} exceeds the limit of {n2}");
        add(u"ERR_NESTED_INNER", u"the inner token was rejected at step '{a1}'");
        add(u"ERR_INTERNAL_NO_STEP", u"internal error: a check recorded no outcome; failing closed");
        return t;
    }();
    return templates;
}

// `text` itself when it owns its characters (copies then share them), else a copy of them: raw data
// (fromRawData) has no allocated capacity, and its owner may free it once the caller returns.
template <typename Text>
Text owningCopy(const Text& text)
{
    return text.capacity() > 0 ? text : Text(text.constData(), text.size());
}

QString verdictSymbol(Verdict v)
{
    switch (v) {
    case Verdict::Pass: return QStringLiteral("PASS");
    case Verdict::Fail: return QStringLiteral("FAIL");
    case Verdict::Warning: return QStringLiteral("WARN");
    case Verdict::Skipped: return QStringLiteral("SKIP");
    }
    return {};
}

} // namespace

QString stepIdName(StepId id) { return QString::fromUtf16(kSteps[static_cast<int>(id)].id); }
QString stepTitle(StepId id) { return QString::fromUtf16(kSteps[static_cast<int>(id)].title); }
QString stepReference(StepId id) { return QString::fromUtf16(kSteps[static_cast<int>(id)].ref); }

std::optional<StepId> stepIdFromName(QStringView name)
{
    for (int i = 0; i < kStepCount; ++i) {
        if (name == QStringView(kSteps[i].id))
            return static_cast<StepId>(i);
    }
    return std::nullopt;
}

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Pass: return QStringLiteral("pass");
    case Verdict::Fail: return QStringLiteral("fail");
    case Verdict::Skipped: return QStringLiteral("skipped");
    case Verdict::Warning: return QStringLiteral("warning");
    }
    return {};
}

static_assert(std::is_trivially_copyable_v<TraceStep> && std::is_trivially_destructible_v<TraceStep>,
              "recording a step must stay a plain copy: no allocation, no reference count");

QString TraceStep::reason() const
{
    const auto& templates = reasonTemplates();
    const auto it = templates.constFind(code.toString());
    if (it == templates.constEnd()) // codes from the decoder carry their own message
        return arg1.isEmpty() ? code.toString() : arg1.toString();
    QString text = *it;
    text.replace(QStringLiteral("{a1}"), arg1.toString());
    text.replace(QStringLiteral("{a2}"), arg2.toString());
    if (text.contains(u"{t1}"))
        text.replace(QStringLiteral("{t1}"), util::formatInstant(num1));
    if (text.contains(u"{t2}"))
        text.replace(QStringLiteral("{t2}"), util::formatInstant(num2));
    text.replace(QStringLiteral("{n1}"), QString::number(num1));
    text.replace(QStringLiteral("{n2}"), QString::number(num2));
    if (untrusted && verdict != Verdict::Skipped)
        text += QStringLiteral(" [read before the signature was verified]");
    return text;
}

const TraceStep* Trace::firstFailure() const
{
    for (const TraceStep& s : steps) {
        if (s.verdict == Verdict::Fail)
            return &s;
    }
    return nullptr;
}

const TraceStep* Trace::step(StepId id) const
{
    for (const TraceStep& s : steps) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

QStringList Trace::audienceList() const
{
    QStringList list;
    list.reserve(audiences.size());
    for (const TraceText& a : audiences)
        list.append(a.toString());
    return list;
}

TraceText Trace::keep(const QString& text)
{
    if (text.isEmpty())
        return {};
    m_keptTexts.append(owningCopy(text));
    return TraceText::viewOf(m_keptTexts.constLast());
}

void Trace::keepTextOwner(std::shared_ptr<const void> owner)
{
    Q_ASSERT(!m_textOwner || m_textOwner == owner); // replacing it would leave views of the old one
    m_textOwner = std::move(owner);
}

void Trace::keepTextsOf(const Trace& other)
{
    // The kept strings' characters never move (copies share them), so views into them stay valid.
    m_keptTexts.append(other.m_keptTexts);
    if (other.m_textOwner)
        keepTextOwner(other.m_textOwner);
}

QString Trace::fingerprint() const
{
    return m_fingerprintSource ? token::fingerprint(*m_fingerprintSource) : QString();
}

void Trace::setFingerprintSource(QByteArrayView token)
{
    m_fingerprintSource = token.toByteArray();
}

void Trace::setFingerprintSource(const QByteArray& token)
{
    m_fingerprintSource = owningCopy(token);
}

QJsonObject Trace::toJson() const
{
    QJsonArray stepArray;
    for (const TraceStep& s : steps) {
        QJsonObject o{{QStringLiteral("id"), stepIdName(s.id)},
                      {QStringLiteral("title"), stepTitle(s.id)},
                      {QStringLiteral("verdict"), verdictName(s.verdict)},
                      {QStringLiteral("reason"), s.reason()},
                      {QStringLiteral("ref"), s.reference()},
                      {QStringLiteral("code"), s.code.toString()},
                      {QStringLiteral("untrusted"), s.untrusted}};
        if (!s.exceptionId.isEmpty())
            o.insert(QStringLiteral("exception"), s.exceptionId.toString());
        stepArray.append(o);
    }
    QJsonObject root{{QStringLiteral("verdict"), accepted ? QStringLiteral("accepted") : QStringLiteral("rejected")},
                     {QStringLiteral("fingerprint"), fingerprint()},
                     {QStringLiteral("steps"), stepArray}};
    if (nested)
        root.insert(QStringLiteral("nested"), nested->toJson());
    return root;
}

QString Trace::toText() const
{
    QString text;
    const TraceStep* failure = firstFailure();
    text += (accepted ? QStringLiteral("ACCEPTED") : QStringLiteral("REJECTED")) + u"  " + fingerprint();
    if (failure)
        text += QStringLiteral("  (first failure: %1)").arg(stepIdName(failure->id));
    text += u'\n';
    for (const TraceStep& s : steps) {
        text += QStringLiteral("  %1  %2 %3  [%4]\n")
                    .arg(verdictSymbol(s.verdict), stepIdName(s.id).leftJustified(16), s.reason(), s.reference());
    }
    if (nested) {
        const QStringList innerLines = nested->toText().split(u'\n', Qt::SkipEmptyParts);
        text += QStringLiteral("  inner token:\n");
        for (const QString& line : innerLines)
            text += QStringLiteral("      ") + line + u'\n';
    }
    return text;
}

QString Trace::toMarkdown() const
{
    QString md = QStringLiteral("**%1** token `%2`\n\n| Step | Verdict | Reason | Reference |\n|---|---|---|---|\n")
                     .arg(accepted ? QStringLiteral("Accepted") : QStringLiteral("Rejected"), fingerprint());
    for (const TraceStep& s : steps) {
        QString reasonText = s.reason();
        reasonText.replace(u'|', QStringLiteral("\\|"));
        md += QStringLiteral("| `%1` | %2 | %3 | %4 |\n")
                  .arg(stepIdName(s.id), verdictName(s.verdict), reasonText, s.reference());
    }
    if (nested)
        md += QStringLiteral("\nInner token:\n\n") + nested->toMarkdown();
    return md;
}

} // namespace jwb::verify
