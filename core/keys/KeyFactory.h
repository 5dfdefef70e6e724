// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the JWK, PEM and signing-key paths so every key, whatever its source, gets the same
// strength checks, curve checks and public parameters.

#include "crypto/OpenSsl.h"
#include "keys/Key.h"
#include "util/Error.h"

namespace jwb::keys::detail {

// Policy keys enforce the minimum strengths; a workbench signing key may be weak on purpose (the
// self-test mints tokens with RSA-1024 and short HMAC secrets) and is then refused by usableWith.
enum class Strength { Enforce, Allow };

Error keyError(const char* code, const QString& message, const QString& location);

// Builds a Key from a public EVP_PKEY (takes ownership). `location` names the source for errors.
Result<Key> keyFromPublicPkey(crypto::ossl::Pkey pkey, const QString& location, Strength strength);
Result<Key> keyFromSecret(QByteArrayView secret, const QString& location, Strength strength);

} // namespace jwb::keys::detail
