// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"
#include "policy/Policy.h"
#include "util/Error.h"

#include <QList>
#include <QString>

namespace jwb::keys {

// Where pinned keys are written in an issuer's keys.
enum class PinTarget {
    // keys.jwks: keys the issuer publishes (an imported file, a fetched JWKS). Keys already pinned
    // (same RFC 7638 thumbprint) are skipped; it fails only when nothing new is left.
    InlineJwks,
    // keys.test_jwks: keys minted in the workbench, marked Key::testKey so lint reports them. A key
    // already pinned is refused: the caller asked for that exact key to be added.
    TestJwks,
};

// What to pin and what to call it in messages ("login.pem", "fetched JWKS", "minted key").
struct PinRequest {
    QList<Key> keys;
    PinTarget target = PinTarget::InlineJwks;
    QString sourceName;
};

// The issuer's key sources after pinning, and the keys that were added (as pinned: source set,
// test keys marked), in request order.
struct PinnedKeys {
    policy::KeySources sources;
    QList<Key> added;
};

// Appends the requested keys, as public JWKs, to the target set of `sources` and to its resolved
// keys, each named by its place in that set ("inline jwks #3", "test_jwks #0"), which is the name
// the loader gives it when the policy is read back. The other sources are left as they are.
// Errors (location empty; `issuerName` is only used in the messages):
//   InlineJwks: ERR_EDIT_DUPLICATE (no key given, or every key already pinned), ERR_EDIT_KEY (a key
//               that cannot be written as a JWK, e.g. without key material);
//   TestJwks:   ERR_TEST_KEY_DUPLICATE (a key already pinned, or given twice), ERR_TEST_KEY_JWK
//               (cannot be written as a JWK), ERR_TEST_KEY_NONE (no key given).
// The codes are the ones PolicyDocument::importIssuerKeys and the mint dialog have always returned.
Result<PinnedKeys> pinKeysInto(const policy::KeySources& sources, const PinRequest& request,
                               const QString& issuerName);

} // namespace jwb::keys
