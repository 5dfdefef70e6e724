// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QString>

namespace jwb::ui {

class PolicyDocument;

// Sets (or, with an empty `kid`, clears) the kid of one key pinned inline for an issuer (keys.jwks
// or keys.test_jwks), found by its RFC 7638 thumbprint, which the kid does not change. One undoable
// step on the document's stack. Refused: a row or key that does not exist (ERR_KEY_KID_NO_KEY), a
// key read from jwks_file / pem_files, whose kid lives in that file (ERR_KEY_KID_FROM_FILE), a kid
// another key of the issuer already has (ERR_KEY_KID_DUPLICATE). A refusal is also announced
// through the document's editRefused().
Status setKeyKid(PolicyDocument* document, int issuerRow, const QString& thumbprint, const QString& kid);

// Whether setKeyKid can change the kid of a key read from `source` ("inline jwks #0").
bool isKidEditable(const QString& source);

} // namespace jwb::ui
