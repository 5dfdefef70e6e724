// SPDX-License-Identifier: Apache-2.0
// Shared by the libFuzzer targets: fixed test keys read once from tests/data.
#pragma once

#include "keys/Key.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdio>
#include <cstdlib>

namespace jwb::fuzz {

// A fixture file the target cannot run without: a missing one is a broken checkout, not a finding,
// so it aborts loudly instead of letting the fuzzer run against nothing.
inline QByteArray readFile(const QString& path, const char* relative)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "fuzz fixture missing: %s\n", relative);
        std::abort();
    }
    return f.readAll();
}

// tests/data/<relative>
inline QByteArray readFixture(const char* relative)
{
    return readFile(QStringLiteral(JWB_TEST_DATA "/") + QLatin1String(relative), relative);
}

// tests/fuzz/<relative>
inline QByteArray readFuzzFile(const char* relative)
{
    return readFile(QStringLiteral(JWB_FUZZ_DIR "/") + QLatin1String(relative), relative);
}

inline keys::Key fixtureKey(const char* relative, const QString& kid)
{
    auto keys = keys::parseKeyData(readFixture(relative), QLatin1String(relative));
    if (!keys || keys->isEmpty()) {
        std::fprintf(stderr, "fuzz fixture unusable: %s\n", relative);
        std::abort();
    }
    keys::Key key = keys->first();
    key.kid = kid;
    return key;
}

} // namespace jwb::fuzz
