// SPDX-License-Identifier: Apache-2.0
// Runtime probing of a live verifier (issue 23): the policy's own test tokens are minted, the core
// decides what should happen to each, and runProbe() sends them to a staging gateway or service and
// compares what it does. One weak verifier in a chain undoes every strong one, and only a request
// shows what a deployed verifier really enforces.
#pragma once

#include "crypto/Signer.h"
#include "policy/Policy.h"
#include "util/Error.h"
#include "verify/Trace.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <functional>
#include <optional>

namespace jwb::probe {

// One token the probe may send, with what the core decided about it.
struct ProbeToken {
    // Stable id: "valid-aud-<aud>", the self-test ids ("alg-none-None", "hs256-public-key-pem-<kid>",
    // "embedded-jwk", "jku-elsewhere", "kid-traversal", "signature-stripped", "expired", ...) and the
    // boundary ids ("skew-inside", "skew-outside", "lifetime-inside", "lifetime-outside",
    // "missing-claim-<name>", "header-<name>", "typ-missing", "typ-wrong", "nbf-inside-skew",
    // "nbf-outside-skew", "iat-future-inside-skew", "iat-future-outside-skew", "audience-wrong",
    // "subject-unknown").
    QString variant;
    // The matrix column: valid, alg_none, alg_confusion, embedded_key, key_url, kid_injection,
    // signature, crit, expiry, not_before, issued_at, lifetime, audience, issuer, typ, header,
    // required_claims, subject, duplicate_claims.
    QString variantClass;
    // The gap-report control (exporting::controlIds()) whose enforcement decides this token on a
    // gateway; empty for the valid controls.
    QString control;
    QString issuer;
    QString audience;              // the aud the token carries; empty when it carries none
    QByteArray token;              // never logged, printed or serialised
    QString fingerprint;           // the trace's "sha256:..." fingerprint, the token's only name in output
    bool expectedAccepted = false; // the core's verdict at the minting instant
    QString expectedStep;          // the core's first failing step id; empty when accepted
    verify::Trace trace;           // the core's trace at the minting instant
    // The verifier-clock interval (Unix seconds) in which the core's verdict and step stay what
    // they are at the minting instant. runProbe() sends a token only while the local clock is
    // inside it; a token decided differently within marginSeconds of the minting instant (a time
    // edge closer than the margin) has an empty interval (stableFrom > stableUntil) and is never sent.
    qint64 stableFrom = 0;
    qint64 stableUntil = 0;
};

struct TokenSetOptions {
    QString issuer;                 // empty: the policy's first issuer
    std::optional<QString> audience;// unset: a valid control per audience of the issuer
    // The private key whose public part is pinned for the issuer (normally in keys.test_jwks of a
    // staging policy). Null: only the attacks that need no trusted signature are minted.
    const crypto::SigningKey* signingKey = nullptr;
    qint64 nowUnixSeconds = 0;      // the minting instant; a live verifier reads its own clock
    int marginSeconds = 5;          // how far every time boundary stays from its edge, >= 1
};

struct TokenSet {
    QList<ProbeToken> tokens;
    // Classes (or single variants) not covered and why, e.g. "expiry: needs --signing-key".
    QStringList notCovered;
    QString issuer;
    qint64 mintedAtUnixSeconds = 0;
    int marginSeconds = 5;
};

// Mints the probe tokens for one issuer of `policy` and verifies each with the core at
// options.nowUnixSeconds. Errors: ERR_PROBE_NO_ISSUER (the policy has none),
// ERR_PROBE_UNKNOWN_ISSUER, ERR_PROBE_UNKNOWN_AUDIENCE (not in the issuer's audiences),
// ERR_PROBE_KEY_NOT_PINNED (the signing key's public part is not a pinned key of the issuer),
// ERR_PROBE_NO_ALGORITHM (no implemented algorithm pinned, or none the signing key can serve),
// ERR_PROBE_MARGIN (margin below 1 s).
Result<TokenSet> mintProbeTokens(const policy::Policy& policy, const TokenSetOptions& options);

// Inclusive HTTP status ranges ("200-299", "401,403").
struct StatusRanges {
    QList<QPair<int, int>> ranges;
    bool contains(int status) const;
    QString toString() const; // "200-299" / "401,403"
    // ERR_PROBE_STATUS_RANGE on anything but comma-separated statuses or ranges within 100..599.
    static Result<StatusRanges> parse(QStringView text);
};

// Where and how tokens are sent. Everything is bounded: rate, count, time per request.
struct ProbeTarget {
    QUrl url;                                         // http or https; redirects are never followed
    QString headerName = QStringLiteral("Authorization");
    QString prefix = QStringLiteral("Bearer ");
    StatusRanges accept{{{200, 299}}};
    StatusRanges reject{{{401, 401}, {403, 403}}};
    QString caFile;                                   // PEM CA certificates added to the system ones
    double ratePerSecond = 10;                        // > 0
    int maxRequests = 500;                            // tokens beyond it are not sent (inconclusive)
    int timeoutSeconds = 5;                           // per request
};

enum class Observed { Accepted, Rejected, Inconclusive };
enum class Outcome { Conforms, AcceptsRejected, RejectsAccepted, Inconclusive };
QString observedName(Observed o); // "accepted" | "rejected" | "inconclusive"
QString outcomeName(Outcome o);   // "conforms" | "accepts_rejected" | "rejects_accepted" | "inconclusive"

// What happened to one token: its metadata (never its bytes) and the verifier's answer.
struct ProbeResult {
    QString variant;
    QString variantClass;
    QString control;
    QString issuer;
    QString audience;
    QString fingerprint;
    bool expectedAccepted = false;
    QString expectedStep;
    Observed observed = Observed::Inconclusive;
    int httpStatus = 0;   // 0 when no answer (not sent, connection failed, timeout)
    QString error;        // why it is inconclusive ("not sent: --max-requests", "timeout", ...)
    bool connectionFailed = false; // the request was sent but no HTTP answer came back
    Outcome result = Outcome::Inconclusive;
    // The core's trace of the very token sent (its fingerprint is `fingerprint`), so a viewer shows
    // the decision behind this answer without minting again. In memory only: the trace keeps the
    // token's bytes to name it, and probeReportToJson() writes none of it.
    verify::Trace trace;
};

struct ProbeReport {
    QString url;
    QString issuer;
    int marginSeconds = 5;
    QList<ProbeResult> results; // in token-set order
    QStringList notCovered;
    int conforms = 0;
    int acceptsRejected = 0;
    int rejectsAccepted = 0;
    int inconclusive = 0;
    int sent = 0;               // requests sent (at most ProbeTarget::maxRequests)
    int connectionFailures = 0; // sent requests that got no HTTP answer at all
    bool cancelled = false;
};

// Sends each token of `set` once to `target` and compares the answers with the core's verdicts.
// Synchronous: runs its own event loop and network manager, so it works on any thread, including a
// worker thread with no event loop of its own (a QCoreApplication must exist, as in every Qt program). Bounded by target.ratePerSecond, target.maxRequests
// and target.timeoutSeconds; redirects are not followed (a 3xx is inconclusive); TLS is verified
// (target.caFile adds a CA). Only the tokens of `set` are sent, and nothing of a token reaches any
// log or error text. The most time-sensitive tokens go first; results keep the set's order.
// `cancel` stops between requests (the rest are inconclusive); `progress` is called on the calling
// thread after each token with (done, total).
ProbeReport runProbe(const TokenSet& set, const ProbeTarget& target, const std::atomic_bool* cancel = nullptr,
                     const std::function<void(int done, int total)>& progress = {});

// {"url", "issuer", "margin_seconds", "summary": {"conforms", "accepts_rejected", "rejects_accepted",
// "inconclusive", "not_covered": [...]}, "results": [{"variant", "class", "control", "expected",
// "expected_step", "observed", "http_status", "result", "fingerprint"}]}: a contract.
QJsonObject probeReportToJson(const ProbeReport& report);
// 0 when every token conforms, 1 when any accepts_rejected or rejects_accepted. Inconclusive alone
// is 0 here; the CLI decides 2 for usage, input and connection errors.
int probeExitCode(const ProbeReport& report);

} // namespace jwb::probe
