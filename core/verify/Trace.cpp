// SPDX-License-Identifier: Apache-2.0
#include "verify/Trace.h"

#include "verify/TraceCodes.h"

#include "token/CompactToken.h"
#include "util/Time.h"

#include <QJsonArray>

#include <algorithm>
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

QString displayValue(std::string_view raw)
{
    constexpr int kMaxDisplayChars = 96;
    // Fast path: short printable ASCII, the usual case for iss, aud, kid and sub.
    if (raw.size() <= static_cast<size_t>(kMaxDisplayChars)
        && std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
        return QString::fromLatin1(raw.data(), static_cast<qsizetype>(raw.size()));
    QString text = QString::fromUtf8(raw.data(), static_cast<qsizetype>(std::min<size_t>(raw.size(), 4 * kMaxDisplayChars)));
    for (QChar& ch : text) {
        if (ch.category() == QChar::Other_Control || ch.category() == QChar::Other_Format)
            ch = QChar(0xFFFD);
    }
    if (text.size() > kMaxDisplayChars)
        text = text.left(kMaxDisplayChars) + QStringLiteral("…");
    return text;
}

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
    const std::optional<TraceCode> known = traceCodeFromString(code.view());
    if (!known) // not a trace code (every code a step records is one): show what the step holds
        return arg1.isEmpty() ? code.toString() : arg1.toString();
    const std::u16string_view message = traceCodeInfo(*known).message;
    QString text = QString::fromUtf16(message.data(), static_cast<qsizetype>(message.size()));
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
