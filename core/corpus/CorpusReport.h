// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "verify/Trace.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace jwb::corpus {

// One row of "rejections by first failing step": every rejected token whose first failing step
// produced the same code with the same policy-side arguments. Counts are token occurrences in the
// corpus (a token seen 3 times counts 3); `distinct` counts different tokens.
struct StepBucket {
    verify::StepId step = verify::StepId::Size;
    QString code;            // stable trace code, e.g. "ERR_ALG_NOT_PINNED"
    QString reason;          // TraceStep::reason() of the first token of the bucket in corpus order
    bool reasonVaries = false; // tokens of the bucket differ in a per-token number (an exp date, a size)
    qint64 count = 0;
    qint64 distinct = 0;
    QStringList fingerprints; // at most CorpusOptions::maxFingerprintsPerBucket, first seen first
};

// One row of "by issuer" or "by audience". The name is the claim as read from the token, so it is
// untrusted for rejected tokens; "" means the token had none (or could not be decoded).
struct GroupBucket {
    QString name;
    qint64 count = 0;
    qint64 distinct = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    QStringList fingerprints; // bounded like StepBucket::fingerprints
};

// The verdicts of one policy over the corpus.
struct PolicyReport {
    QString policyName;
    int policyRevision = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    QList<StepBucket> byStep;       // most tokens first
    QList<GroupBucket> byIssuer;    // most tokens first
    QList<GroupBucket> byAudience;  // a token with several audiences counts once in each
};

// What-if: tokens whose verdict differs between policy A and policy B, grouped by direction, issuer
// and the failing step of the policy that rejects them.
struct VerdictChange {
    enum class Direction { NewlyRejected, NewlyAccepted }; // B rejects what A accepted / the reverse
    Direction direction = Direction::NewlyRejected;
    QString issuer;
    verify::StepId step = verify::StepId::Size;
    QString code;
    QString reason;
    bool reasonVaries = false;
    qint64 count = 0;
    qint64 distinct = 0;
    QStringList fingerprints;

    // "B rejects 1,204 tokens from https://billing.internal/ at `algorithm`: HS256 is not in ..."
    QString summary() const;
};

struct CorpusReport {
    // False when the run was cancelled: every count then covers only the tokens verified before the
    // cancellation, and nothing in the report may be read as a statement about the whole corpus.
    bool complete = false;
    bool cancelled = false;
    qint64 atUnixSeconds = 0;
    int threads = 0;
    qint64 elapsedMs = 0;
    QStringList files;
    qint64 bytes = 0;          // bytes read
    qint64 lines = 0;
    qint64 linesWithoutToken = 0;
    qint64 overlongLines = 0;  // longer than CorpusOptions::maxLineBytes: skipped, never verified
    qint64 tokens = 0;         // token occurrences verified
    qint64 distinct = 0;       // different tokens verified
    qint64 unverified = 0;     // occurrences read but not verified because of a cancellation
    PolicyReport policyA;
    std::optional<PolicyReport> policyB; // set for a what-if run
    QList<VerdictChange> changes;        // most tokens first; empty without policy B
    // The raw tokens by fingerprint, only when CorpusOptions::keepTokens was set (the GUI's "open in
    // Token Lab"). Never serialised.
    QHash<QString, QByteArray> tokensByFingerprint;

    qint64 changedCount() const;

    // The `jwt-policy check --format json` document (see app/cli/CheckCommand.cpp for the shape).
    QJsonObject toJson() const;
};

QString directionName(VerdictChange::Direction d); // "newly_rejected" | "newly_accepted"

} // namespace jwb::corpus
