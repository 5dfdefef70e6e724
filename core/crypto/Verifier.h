// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "keys/Key.h"

#include <QByteArrayView>
#include <QString>

namespace jwb::crypto {

enum class SignatureResult {
    Valid,
    Invalid,          // the signature does not verify
    Malformed,        // wrong length for the algorithm, DER instead of raw R||S, r or s outside [1, n-1]
    KeyMismatch,      // the key cannot serve this algorithm (never reached when callers check usableWith)
    InternalError,    // OpenSSL failed: fail closed
};

// Verifies `signature` over `signingInput` with `key` under `alg` using OpenSSL EVP. Contexts are
// prepared once per key and per thread and reused (a kept EVP_PKEY_CTX after one digest, a kept
// EVP_MAC_CTX for HMAC), so this is safe to call from many threads at once. HMAC comparison is
// constant-time. `detail` receives a short reason for anything but Valid.
SignatureResult verifySignature(const keys::Key& key, Algorithm alg, QByteArrayView signingInput,
                                QByteArrayView signature, QString* detail = nullptr);

} // namespace jwb::crypto
