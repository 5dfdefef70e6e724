// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "verify/PolicyVerifier.h"
#include "verify/TokenReading.h"
#include "verify/Trace.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace jwb::ui {

// Everything the Token Lab shows, built in one pass from the core's trace so that the work per
// keystroke (parse, verify, texts of every row) happens off the UI thread and the widgets only
// swap values in. QtCore only: the benchmark measures it without a display.

// One row of the trace table, texts already formatted.
struct TraceRow {
    verify::StepId id = verify::StepId::Size;
    verify::Verdict verdict = verify::Verdict::Skipped;
    QString stepName;    // contract id: "expiry"
    QString title;       // "Expiry (exp)"; prefixed "Inner token: " for a nested token's steps
    QString reason;
    QString reference;
    QString code;
    QString exceptionId; // the step passed only because of this dated exception
    bool untrusted = false;
    bool inner = false;  // a step of the nested (inner) token
};
QList<TraceRow> traceRows(const verify::Trace& trace);

// A claim of the payload with its value for display and what the policy does with it, as the
// verifier read it.
using ClaimRow = verify::ClaimReading;

// The instants the timeline strip draws (Unix seconds).
struct TokenTimes {
    std::optional<qint64> iat;
    std::optional<qint64> nbf;
    std::optional<qint64> exp;
    int skewSeconds = 0; // the issuer's effective clock skew (defaults when iss is unknown)
    qint64 at = 0;       // the evaluation instant
};

// One token line of the input and its verdict, for the list.
struct TokenSummary {
    int line = 0;           // 1-based line of the input text
    QString fingerprint;    // never the token
    QString issuer;         // iss as read (untrusted unless accepted)
    bool accepted = false;
    QString verdictText;    // "accepted" or "rejected at Expiry (exp)"
    QString failureCode;    // first failing step's code, empty when accepted
};

// The selected token in full.
struct TokenDetail {
    verify::Trace trace;
    QList<TraceRow> rows;
    bool decoded = false;     // header and payload could be decoded
    QString headerText;       // pretty-printed header JSON, or why it could not be decoded
    QString payloadText;      // pretty-printed payload JSON, or why it could not be decoded
    QList<ClaimRow> claims;
    TokenTimes times;
    bool signatureVerified = false; // claims are trusted only when the signature step passed
    qsizetype segmentLengths[3] = {0, 0, 0};
};

struct TokenLabResult {
    quint64 generation = 0;
    qint64 at = 0;
    QList<TokenSummary> tokens;
    int selected = -1; // index into tokens, -1 when there is none
    std::optional<TokenDetail> detail;
    bool truncated = false; // more token lines than kMaxTokenLines: the rest were not evaluated
};

inline constexpr int kMaxTokenLines = 1000;

struct TokenLine {
    int line = 0;       // 1-based
    QByteArray token;
};
// One candidate per non-empty line; surrounding whitespace, quotes and a "Bearer " prefix are
// dropped so a pasted Authorization header works.
QList<TokenLine> splitTokenLines(QStringView text, int maxTokens = kMaxTokenLines, bool* truncated = nullptr);

// Verifies every token line at `atUnixSeconds` and describes token `selected` (clamped; -1 picks
// the first). Thread-safe: the verifier is const.
TokenLabResult evaluateTokens(const verify::PolicyVerifier& verifier, QStringView text, int selected,
                              qint64 atUnixSeconds);

// The detail of a token from its trace, verified with VerifyOptions::includeReading at
// `atUnixSeconds`: the decoded views are the verifier's reading, copied (none without one).
TokenDetail describeToken(verify::Trace trace, qint64 atUnixSeconds);

} // namespace jwb::ui
