// SPDX-License-Identifier: Apache-2.0
#pragma once

// JWK parsing from an already parsed JSON value, so parseKeyData sniffs and parses a file once.

#include "keys/Key.h"
#include "token/Json.h"

namespace jwb::keys::detail {

// Key files larger than this are refused before parsing (256 RSA-4096 JWKs take about 200 KB).
inline constexpr qsizetype kMaxKeyDataBytes = 4 * 1024 * 1024;

Result<json::Value> parseKeyJson(QByteArrayView text, const QString& sourceName);
Result<Key> keyFromJwkValue(const json::Value& jwk, const QString& location);
Result<QList<Key>> keysFromJwksValue(const json::Value& jwks, const QString& sourceName);

} // namespace jwb::keys::detail
