// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace jwb::verify {

// The fixed pipeline, in order. The string ids ("size", "structure", ...) are a contract: the CLI's
// JSON, the GUI and other tools use them. Delegation and Nested are additions (issue 3).
enum class StepId : std::uint8_t {
    Size, Structure, Header, Type, Algorithm, Issuer, Key, Signature,
    Expiry, NotBefore, IssuedAt, Lifetime, Audience, Subject, RequiredClaims,
    Delegation, Nested,
};
inline constexpr int kStepCount = static_cast<int>(StepId::Nested) + 1;

QString stepIdName(StepId id);          // "not_before"
std::optional<StepId> stepIdFromName(QStringView name);
QString stepTitle(StepId id);           // "Not before (nbf)"
QString stepReference(StepId id);       // "RFC 7519 §4.1.5"

enum class Verdict : std::uint8_t { Pass, Fail, Skipped, Warning };
QString verdictName(Verdict v); // "pass" | "fail" | "skipped" | "warning"

// How a trace shows a value read from a token (iss, aud, kid, typ, sub...): the values are
// attacker-chosen, so the text is bounded to 96 characters and control and format characters are
// replaced. Whoever groups or shows such values beside a trace uses this, so both read the same.
QString displayValue(std::string_view raw);

// A text a trace step names (its code, an alg, an issuer, a claim name, a reference): a view, never
// an owner, so recording a step copies two words instead of counting references on five QStrings.
// It points at a literal, at a text of the compiled policy, or at a text the trace keeps (a token's
// value, a joined list); the Trace keeps the latter two alive. So a step's texts live exactly as long
// as the Trace it belongs to, or any copy of that Trace: convert to QString to keep one longer.
class TraceText {
public:
    constexpr TraceText() = default;
    template <std::size_t N>
    constexpr TraceText(const char16_t (&literal)[N]) // NOLINT: literals convert implicitly, like QStringView
        : m_view(literal, static_cast<qsizetype>(N - 1))
    {
    }
    // Static text, or text its owner keeps at least as long as every trace naming it.
    static constexpr TraceText viewOf(QStringView kept)
    {
        TraceText t;
        t.m_view = kept;
        return t;
    }

    constexpr QStringView view() const { return m_view; }
    constexpr bool isEmpty() const { return m_view.isEmpty(); }
    QString toString() const { return m_view.toString(); }
    operator QString() const { return toString(); } // NOLINT: reading a step yields owning text

    friend bool operator==(TraceText a, TraceText b) { return a.m_view == b.m_view; }
    friend bool operator==(TraceText a, QStringView b) { return a.m_view == b; }
    friend bool operator==(TraceText a, const QString& b) { return a.m_view == QStringView(b); }
    friend bool operator==(TraceText a, QLatin1StringView b) { return a.m_view == b; }

private:
    QStringView m_view;
};

// One step's outcome. The human reason is built from (code, args) only when read, so the corpus
// path pays nothing for texts nobody looks at. Trivially copyable: recording one is a few stores.
struct TraceStep {
    TraceStep() = default;
    TraceStep(StepId stepId, Verdict stepVerdict, TraceText stepCode) noexcept
        : id(stepId)
        , verdict(stepVerdict)
        , code(stepCode)
    {
    }

    StepId id = StepId::Size;
    Verdict verdict = Verdict::Skipped;
    bool untrusted = false;      // based on claims read before the signature was verified
    TraceText code;              // stable code, e.g. "ERR_ALG_NOT_PINNED", "OK_ALG", "SKIPPED_AFTER_FAILURE"
    TraceText arg1;              // values the reason needs (an alg, a claim name, a date); never secrets
    TraceText arg2;
    qint64 num1 = 0;             // numbers the reason needs (instants as Unix seconds, sizes, limits)
    qint64 num2 = 0;
    TraceText ref;               // overrides stepReference(id) when the rule rests on another section
    TraceText exceptionId;       // set when the step passed only because of a dated exception

    QString reason() const;      // formatted message for `code`
    QString reference() const { return ref.isEmpty() ? stepReference(id) : ref.toString(); }
};

} // namespace jwb::verify

// Primitive for Qt's containers: copied with memcpy and never destroyed, and QVarLengthArray (the
// type of Trace::steps) does not construct the slots it adds on resize. The verifier sizes a trace's
// steps at once and writes each step whole (TraceStep(id, verdict, code) sets every member), so no
// slot is read before it is written.
Q_DECLARE_TYPEINFO(jwb::verify::TraceStep, Q_PRIMITIVE_TYPE);

namespace jwb::verify {

struct TokenReading; // verify/TokenReading.h

// The result of verifying one token: every step, in pipeline order.
struct Trace {
    bool accepted = false;
    // Held inline: the verifier writes every step into the caller's Trace without a heap block.
    QVarLengthArray<TraceStep, kStepCount> steps;
    TraceText issuer;                           // iss as read (untrusted unless accepted)
    QVarLengthArray<TraceText, 4> audiences;    // aud as read
    std::shared_ptr<const Trace> nested;        // inner token of a nested JWT, when verified
    std::shared_ptr<const TokenReading> reading; // the token as read, when asked for (VerifyOptions::includeReading)

    const TraceStep* firstFailure() const;
    const TraceStep* step(StepId id) const;
    QStringList audienceList() const;           // audiences as owning strings

    // "sha256:…" naming the token (token::fingerprint), computed on each call from the bytes the
    // verifier kept; empty when it kept none (VerifyOptions::computeFingerprint off). Verification
    // only keeps the bytes, so an accepted token no longer pays about 0.3 us of SHA-256 for a label
    // only a reader of the trace needs. No cached result: traces are read from several threads.
    QString fingerprint() const;
    // For the verifier: the token bytes the fingerprint names (already bounded by the caller). The
    // QByteArray form shares the caller's buffer instead of copying it when that buffer is the
    // array's own (not raw data the caller may free).
    void setFingerprintSource(QByteArrayView token);
    void setFingerprintSource(const QByteArray& token);

    // For the verifier: keeps `text` as long as this trace and returns a view of it for a step.
    TraceText keep(const QString& text);
    // For the verifier: keeps `owner` (the compiled policy) as long as this trace, so steps may view
    // its texts without copying them. A trace views the texts of one compiled policy at most.
    void keepTextOwner(std::shared_ptr<const void> owner);
    // For the verifier: keeps every text `other` keeps (its kept strings and its policy, which must
    // be this trace's policy or none), so steps copied from it stay valid here.
    void keepTextsOf(const Trace& other);

    // {"verdict": "accepted"|"rejected", "fingerprint", "steps": [{"id","title","verdict","reason","ref"}]}
    // plus additive members: steps[].code, steps[].untrusted, steps[].exception, "nested".
    QJsonObject toJson() const;
    QString toText() const;     // one line a step, for the CLI
    QString toMarkdown() const; // for review notes; redacted like everything else

private:
    // The token bytes behind fingerprint(). Never serialised: toJson, toText and toMarkdown write
    // only the fingerprint computed from them, so no output ever holds the token.
    std::optional<QByteArray> m_fingerprintSource;
    std::shared_ptr<const void> m_textOwner; // what the steps' policy texts point into
    QStringList m_keptTexts;                 // what the steps' other texts point into
};

} // namespace jwb::verify
