// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "token/Json.h"
#include "util/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <span>
#include <variant>

namespace jwb::token {

// What the decoder refuses before any policy is consulted. These bounds are checked before the
// corresponding work (RFC 7515 section 7.1 compact serialisation; RFC 7519 section 7.2 validation).
struct ParseLimits {
    qsizetype maxTokenBytes = 16384;
    int maxJsonDepth = 16;
};

// Stage that failed while decoding, mapped one-to-one onto trace steps.
enum class ParseStage {
    Size,      // token longer than the bound (step "size")
    Structure, // segments, base64url, JSON syntax/duplicates/depth, header or payload not an object ("structure")
};

struct ParseFailure {
    ParseStage stage;
    Error error; // code e.g. ERR_TOKEN_SEGMENTS, ERR_TOKEN_JWE, ERR_TOKEN_BASE64URL, ERR_TOKEN_HEADER_JSON
};

// A decoded JWS in compact serialisation. Nothing here is trusted: it is what the token claims.
// The four byte strings live back to back in one buffer (one allocation per token, as a corpus
// decodes millions); the accessors build views from stored lengths on each call, so the views stay
// right after the token is copied or moved. A view is valid while this token (or a copy) lives.
struct CompactToken {
    QByteArrayView signingInput() const; // ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
    QByteArrayView headerBytes() const;  // decoded header JSON text
    QByteArrayView payloadBytes() const; // decoded payload (JSON for a JWT; arbitrary for a bare JWS)
    QByteArrayView signature() const;    // decoded signature bytes (never printed)

    json::Value header;       // always an object when parsing succeeded
    std::optional<json::Value> claims; // the payload as an object, when it is one
    std::optional<Error> claimsError;  // why the payload is not a JSON object (JWT parsing requires it)

private:
    friend std::variant<CompactToken, ParseFailure> parseCompact(QByteArrayView, const ParseLimits&, bool);

    QByteArray m_parts; // signingInput, headerBytes, payloadBytes, signature, in this order
    qsizetype m_signingInputSize = 0;
    qsizetype m_headerSize = 0;
    qsizetype m_payloadSize = 0;
};

// Decodes compact JWS. With requireJsonPayload the payload must be a JSON object (a JWT); the
// `signature` CLI verb passes false so any payload is accepted. A 5-segment JWE is reported as
// ERR_TOKEN_JWE ("encrypted tokens are not supported").
std::variant<CompactToken, ParseFailure> parseCompact(QByteArrayView token, const ParseLimits& limits,
                                                       bool requireJsonPayload = true);

// Short, stable name for a token in traces and logs: first 16 hex digits of SHA-256 over the token
// bytes, prefixed "sha256:". Never the token itself.
QString fingerprint(QByteArrayView token);
// The same text from the first 8 bytes of a SHA-256 the caller already computed (the corpus engine
// hashes every token once, for deduplication).
QString fingerprintText(std::span<const unsigned char, 8> digestStart);

} // namespace jwb::token
