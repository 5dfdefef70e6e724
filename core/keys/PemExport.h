// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"
#include "util/Error.h"

#include <QByteArray>

namespace jwb::keys {

// The SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of an asymmetric key, for targets
// that take PEM (Kong rsa_public_key, OPA cert). Built with OpenSSL from the key's public JWK
// members. ERR_KEY_PEM_EXPORT for oct keys (a secret has no public form) or material OpenSSL
// refuses.
Result<QByteArray> toPublicPem(const Key& key);

} // namespace jwb::keys
