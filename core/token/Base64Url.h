// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>
#include <span>

namespace jwb::token {

// Strict base64url (RFC 7515 section 2, RFC 4648 section 5): URL-safe alphabet only, no padding,
// no whitespace, length mod 4 != 1, and canonical trailing bits (the unused low bits of the last
// character are zero), so every byte string has exactly one accepted encoding. Decoding itself is
// Qt's; this adds the checks Qt does not make. nullopt on any violation.
std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded);

// The number of bytes `encodedLength` base64url characters decode to, or -1 for a length no strict
// encoding has (length mod 4 == 1). Sizes the destination of decodeBase64UrlInto.
qsizetype decodedBase64UrlSize(qsizetype encodedLength);

// decodeBase64Url into a caller's buffer, so several segments can share one allocation. `out` must
// hold at least decodedBase64UrlSize(encoded.size()) bytes; nothing is written past that many, so
// segments decoded back to back never overlap. false on any violation (or a too small or impossible
// size); the bytes written to `out` are then unspecified.
bool decodeBase64UrlInto(QByteArrayView encoded, std::span<char> out);

// Why decodeBase64Url refused an input, for a precise trace reason.
enum class Base64UrlDefect { None, Padding, Alphabet, Whitespace, Length, NonCanonical };
Base64UrlDefect diagnoseBase64Url(QByteArrayView encoded);

QByteArray encodeBase64Url(QByteArrayView raw);

} // namespace jwb::token
