// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"
#include "util/Error.h"

namespace jwb::ui {

class PolicyDocument;

// Pins a key minted in the workbench under an issuer's keys.test_jwks, marked as a test key
// (Key::testKey): lint reports it as an error (rule test-key-present) until it is removed, so a
// policy with a test key in it never ships unnoticed. One undo step through
// PolicyDocument::addTestKey, which the checks (keys::pinKeysInto) and the codes come from:
// ERR_TEST_KEY_ISSUER (no document, or a row out of range), ERR_TEST_KEY_DUPLICATE, ERR_TEST_KEY_JWK.
Status addTestKey(PolicyDocument* document, int issuerRow, const keys::Key& key);

} // namespace jwb::ui
