// SPDX-License-Identifier: Apache-2.0
// Arbitrary bytes as key input (JWK, JWKS or PEM, sniffed by keys::parseKeyData), then the JWS layer
// of fixed tokens (RS256, ES256, EdDSA, HS256) against whatever keys came out. Key parsing must
// never crash or leak; a key set that parsed must be usable by verifySignatureOnly without a memory
// error whatever its type, size or JWK constraints.
#include "FuzzSupport.h"

#include "verify/PolicyVerifier.h"

#include <QList>

#include <cstddef>
#include <cstdint>

using namespace jwb;

namespace {

// Fixed tokens signed with the fixture keys; the fuzzer's key material decides if they verify.
QList<QByteArray> loadTokens()
{
    QList<QByteArray> tokens;
    for (const char* name : {"tokens/rs256.jwt", "tokens/es256.jwt", "tokens/eddsa.jwt",
                             "tokens/hs256.jwt"})
        tokens.append(fuzz::readFuzzFile(name).trimmed());
    return tokens;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const QList<QByteArray> tokens = loadTokens();
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto keys = keys::parseKeyData(input, QStringLiteral("fuzz input"));
    if (!keys) {
        if (keys.error().code.isEmpty())
            std::abort(); // every refusal carries a stable code
        return 0;
    }
    for (const QByteArray& token : tokens) {
        const verify::Trace trace = verify::verifySignatureOnly(token, keys.value(), std::nullopt);
        (void)trace.toJson();
    }
    return 0;
}
