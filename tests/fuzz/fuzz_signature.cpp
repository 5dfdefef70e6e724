// SPDX-License-Identifier: Apache-2.0
// libFuzzer: arbitrary bytes as JWK, JWKS or PEM key input, then the JWS layer of fixed tokens (FuzzTargets.h).
#include "FuzzTargets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString broken = jwb::fuzz::runSignature(
        QByteArrayView(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    if (!broken.isEmpty()) {
        std::fprintf(stderr, "invariant broken: %s\n", qPrintable(broken));
        std::abort();
    }
    return 0;
}
