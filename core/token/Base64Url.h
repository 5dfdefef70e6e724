// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace jwb::token {

// Strict base64url (RFC 7515 section 2, RFC 4648 section 5): URL-safe alphabet only, no padding,
// no whitespace, length mod 4 != 1, and canonical trailing bits (the unused low bits of the last
// character are zero), so every byte string has exactly one accepted encoding. Decoding itself is
// Qt's; this adds the checks Qt does not make. nullopt on any violation.
std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded);

// Why decodeBase64Url refused an input, for a precise trace reason.
enum class Base64UrlDefect { None, Padding, Alphabet, Whitespace, Length, NonCanonical };
Base64UrlDefect diagnoseBase64Url(QByteArrayView encoded);

QByteArray encodeBase64Url(QByteArrayView raw);

} // namespace jwb::token
