// SPDX-License-Identifier: Apache-2.0
// What a reader is shown of one token beside its trace (the Token Lab's decoded boxes, claims table
// and timeline), made by the verifier from its own single decode of the token and the trust entry
// it chose, so that no reader parses a token or applies a rule a second time, and every value taken
// from the token is shown through displayValue (Trace.h) like the trace's own.
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace jwb::policy {
struct Policy;
}

namespace jwb::verify {

struct TokenView;
struct CompiledIssuer;

// One member of the payload.
struct ClaimReading {
    QString name;            // the member name, through displayValue
    QString value;           // displayValue of its value; a NumericDate as its instant and its distance from now
    QString meaning;         // what the policy does with it, under the chosen trust entry's rules
    bool registered = false; // RFC 7519 §4.1 or RFC 8693 act
};

// The trust entry the iss chose.
struct ChosenIssuer {
    QString issuer;      // its iss (the token's, byte for byte)
    QString trustDomain;
};

struct TokenReading {
    bool decoded = false;  // header and payload both decoded to JSON objects
    // The header and the payload pretty-printed in document order; for a token the parser refused,
    // what each segment alone decodes to (so a sound segment never repeats another one's error).
    QString headerText;
    QString payloadText;
    std::array<qsizetype, 3> segmentLengths{}; // characters of the first three dot-separated segments
    QList<ClaimReading> claims;                // in document order; empty unless decoded

    std::optional<ChosenIssuer> issuer; // none: the defaults were applied
    int clockSkewSeconds = 0;           // the effective rules of that entry (or the defaults)
    std::optional<qint64> maxLifetimeSeconds;

    // The date claims read as the steps read them: absent, not a NumericDate, or out of range is no instant.
    std::optional<qint64> iat;
    std::optional<qint64> nbf;
    std::optional<qint64> exp;
};

// For the verifier: the reading of `token`, decoded into `view`, under `rules` (those of `entry`,
// or the defaults when `entry` is null), evaluated at `now` (Unix seconds).
TokenReading readToken(QByteArrayView token, const TokenView& view, const CompiledIssuer* entry,
                       const CompiledIssuer& rules, const policy::Policy& policy, qint64 now);

} // namespace jwb::verify
