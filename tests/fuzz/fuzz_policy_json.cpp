// SPDX-License-Identifier: Apache-2.0
// policy::parsePolicy on arbitrary JSON text. A hostile policy file must give a Policy or an
// stable ERR_* error, never a crash, a leak or an exception escaping the loader. Key files are
// resolved against an empty base directory, so jwks_file/pem_files paths in the input fail to read
// rather than touching the tree.
#include "policy/PolicyIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace jwb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray text(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto loaded = policy::parsePolicy(text, policy::Format::Json, QStringLiteral("fuzz.json"),
                                            QStringLiteral("/nonexistent-fuzz-base"));
    if (!loaded && !loaded.error().code.startsWith(QLatin1String("ERR_")))
        std::abort(); // every refusal carries a stable code (ERR_POLICY_*, ERR_KEY_FILE)
    if (loaded) {
        // A policy that loaded must serialise; the writer sees what the loader accepted.
        if (policy::serializePolicy(loaded.value(), policy::Format::Json).isEmpty())
            std::abort();
    }
    return 0;
}
