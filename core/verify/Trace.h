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

// One step's outcome. The human reason is built from (code, args) only when read, so the corpus
// path pays nothing for texts nobody looks at.
struct TraceStep {
    StepId id = StepId::Size;
    Verdict verdict = Verdict::Skipped;
    bool untrusted = false;      // based on claims read before the signature was verified
    QString code;                // stable code, e.g. "ERR_ALG_NOT_PINNED", "OK_ALG", "SKIPPED_AFTER_FAILURE"
    QString arg1;                // values the reason needs (an alg, a claim name, a date); never secrets
    QString arg2;
    qint64 num1 = 0;             // numbers the reason needs (instants as Unix seconds, sizes, limits)
    qint64 num2 = 0;
    QString ref;                 // overrides stepReference(id) when the rule rests on another section
    QString exceptionId;         // set when the step passed only because of a dated exception

    QString reason() const;      // formatted message for `code`
    QString reference() const { return ref.isEmpty() ? stepReference(id) : ref; }
};

// The result of verifying one token: every step, in pipeline order.
struct Trace {
    bool accepted = false;
    // Held inline: the verifier writes every step into the caller's Trace without a heap block.
    QVarLengthArray<TraceStep, kStepCount> steps;
    QString issuer;                    // iss as read (untrusted unless accepted)
    QStringList audiences;             // aud as read
    std::shared_ptr<const Trace> nested; // inner token of a nested JWT, when verified

    const TraceStep* firstFailure() const;
    const TraceStep* step(StepId id) const;

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

    // {"verdict": "accepted"|"rejected", "fingerprint", "steps": [{"id","title","verdict","reason","ref"}]}
    // plus additive members: steps[].code, steps[].untrusted, steps[].exception, "nested".
    QJsonObject toJson() const;
    QString toText() const;     // one line a step, for the CLI
    QString toMarkdown() const; // for review notes; redacted like everything else

private:
    // The token bytes behind fingerprint(). Never serialised: toJson, toText and toMarkdown write
    // only the fingerprint computed from them, so no output ever holds the token.
    std::optional<QByteArray> m_fingerprintSource;
};

} // namespace jwb::verify
