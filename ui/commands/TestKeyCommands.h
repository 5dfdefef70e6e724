// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keys/Key.h"
#include "policy/Policy.h"
#include "util/Error.h"

#include <QUndoCommand>

namespace jwb::ui {

class PolicyDocument;

// Pins a key minted in the workbench under an issuer's keys.test_jwks, marked as a test key
// (Key::testKey): lint reports it as an error (rule test-key-present) until it is removed, so a
// policy with a test key in it never ships unnoticed.
class AddTestKeyCommand final : public QUndoCommand {
public:
    AddTestKeyCommand(PolicyDocument* document, int row, policy::Issuer before, policy::Issuer after,
                      const QString& text, QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PolicyDocument* m_document;
    int m_row;
    policy::Issuer m_before;
    policy::Issuer m_after;
};

// Validates and pushes an AddTestKeyCommand onto the document's undo stack. Refuses an issuer row
// out of range (ERR_TEST_KEY_ISSUER), a key already pinned for that issuer (ERR_TEST_KEY_DUPLICATE)
// and a key that cannot be written as a JWK (ERR_TEST_KEY_JWK). `key` is the public half (an HMAC
// test key is its secret: that is why it must stay marked).
Status addTestKey(PolicyDocument* document, int issuerRow, const keys::Key& key);

} // namespace jwb::ui
