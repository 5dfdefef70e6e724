// SPDX-License-Identifier: Apache-2.0
// libFuzzer: arbitrary bytes as a YAML estate file through estate::parseEstate (FuzzTargets.h).
#include "FuzzTargets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString broken =
        jwb::fuzz::runEstate(QByteArrayView(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    if (!broken.isEmpty()) {
        std::fprintf(stderr, "invariant broken: %s\n", qPrintable(broken));
        std::abort();
    }
    return 0;
}
