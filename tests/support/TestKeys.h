// SPDX-License-Identifier: Apache-2.0
// Public test keys from tests/data/keys, for the tests of every library.
#pragma once

#include "keys/Key.h"

#include <QString>

namespace jwb::testing {

// The one key in tests/data/keys/<name>, with `kid` when one is given. A file that does not load
// as exactly one key stops the run: every test would fail for the wrong reason.
inline keys::Key keyFromFile(const char* name, const QString& kid = {})
{
    Result<QList<keys::Key>> loaded = keys::loadKeyFile(QStringLiteral(JWB_TEST_DATA "/keys/") + QLatin1String(name));
    if (!loaded || loaded->size() != 1)
        qFatal("cannot load test key %s", name);
    keys::Key key = loaded->first();
    if (!kid.isEmpty())
        key.kid = kid;
    return key;
}

} // namespace jwb::testing
