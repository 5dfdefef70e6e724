// SPDX-License-Identifier: Apache-2.0
#include "commands/TestKeyCommands.h"

#include "models/PolicyDocument.h"

#include <QCoreApplication>

namespace jwb::ui {

Status addTestKey(PolicyDocument* document, int issuerRow, const keys::Key& key)
{
    if (!document)
        return Error{QStringLiteral("ERR_TEST_KEY_ISSUER"),
                     QCoreApplication::translate("jwb::ui::TestKeyCommands", "There is no policy to add the test key to."),
                     {}};
    return document->addTestKey(issuerRow, key);
}

} // namespace jwb::ui
