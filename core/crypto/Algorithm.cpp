// SPDX-License-Identifier: Apache-2.0
#include "crypto/Algorithm.h"

#include "crypto/OpenSsl.h"

#include <openssl/err.h>

#include <array>

namespace jwb::crypto {

namespace {

struct AlgorithmInfo {
    QLatin1StringView name; // compared with a token's alg bytes as they are
    QStringView text;       // the same name as static UTF-16, which trace steps view
    Family family;
    int hashBits;
};

// Indexed by Algorithm; the order matches the enum.
constexpr std::array<AlgorithmInfo, kAlgorithmCount> kAlgorithms{{
    {QLatin1StringView("HS256"), u"HS256", Family::Hmac, 256},
    {QLatin1StringView("HS384"), u"HS384", Family::Hmac, 384},
    {QLatin1StringView("HS512"), u"HS512", Family::Hmac, 512},
    {QLatin1StringView("RS256"), u"RS256", Family::Rsa, 256},
    {QLatin1StringView("RS384"), u"RS384", Family::Rsa, 384},
    {QLatin1StringView("RS512"), u"RS512", Family::Rsa, 512},
    {QLatin1StringView("PS256"), u"PS256", Family::RsaPss, 256},
    {QLatin1StringView("PS384"), u"PS384", Family::RsaPss, 384},
    {QLatin1StringView("PS512"), u"PS512", Family::RsaPss, 512},
    {QLatin1StringView("ES256"), u"ES256", Family::Ecdsa, 256},
    {QLatin1StringView("ES384"), u"ES384", Family::Ecdsa, 384},
    {QLatin1StringView("ES512"), u"ES512", Family::Ecdsa, 512},
    {QLatin1StringView("EdDSA"), u"EdDSA", Family::EdDsa, 0},
}};

const AlgorithmInfo* info(Algorithm alg)
{
    const auto i = static_cast<int>(alg);
    return i >= 0 && i < kAlgorithmCount ? &kAlgorithms[static_cast<std::size_t>(i)] : nullptr;
}

// Exact, case-sensitive: "rs256" is not RS256.
template <typename View>
Algorithm lookup(View name)
{
    for (int i = 0; i < kAlgorithmCount; ++i) {
        if (name == kAlgorithms[static_cast<std::size_t>(i)].name)
            return static_cast<Algorithm>(i);
    }
    return Algorithm::Unsupported;
}

} // namespace

Algorithm algorithmFromName(QStringView name)
{
    return lookup(name);
}

Algorithm algorithmFromName(QLatin1StringView name)
{
    return lookup(name);
}

QLatin1StringView algorithmNameView(Algorithm alg)
{
    const AlgorithmInfo* a = info(alg);
    return a ? a->name : QLatin1StringView("unsupported");
}

QStringView algorithmNameText(Algorithm alg)
{
    const AlgorithmInfo* a = info(alg);
    return a ? a->text : QStringView(u"unsupported");
}

QString algorithmName(Algorithm alg)
{
    // The text is static, so the string only points at it (as QStringLiteral would): no allocation.
    const QStringView text = algorithmNameText(alg);
    return QString::fromRawData(reinterpret_cast<const QChar*>(text.utf16()), text.size());
}

Family family(Algorithm alg)
{
    const AlgorithmInfo* a = info(alg);
    return a ? a->family : Family::None;
}

QString familyName(Family f)
{
    switch (f) {
    case Family::Hmac: return QStringLiteral("HMAC");
    case Family::Rsa: return QStringLiteral("RSA");
    case Family::RsaPss: return QStringLiteral("RSA-PSS");
    case Family::Ecdsa: return QStringLiteral("ECDSA");
    case Family::EdDsa: return QStringLiteral("EdDSA");
    case Family::None: break;
    }
    return QStringLiteral("none");
}

bool isSymmetric(Algorithm alg)
{
    return family(alg) == Family::Hmac;
}

bool isNoneSpelling(QStringView name)
{
    return name.compare(QLatin1StringView("none"), Qt::CaseInsensitive) == 0;
}

bool isNoneSpelling(QLatin1StringView name)
{
    return name.compare(QLatin1StringView("none"), Qt::CaseInsensitive) == 0;
}

namespace ossl {

const EVP_MD* sha(int bits)
{
    // Fetched once; the objects stay valid for the life of the process (never freed on purpose:
    // other threads may still use them during static destruction).
    static const EVP_MD* const s256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    static const EVP_MD* const s384 = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
    static const EVP_MD* const s512 = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
    switch (bits) {
    case 256: return s256;
    case 384: return s384;
    case 512: return s512;
    default: return nullptr;
    }
}

const EVP_MD* digestFor(Algorithm alg)
{
    const AlgorithmInfo* a = info(alg);
    return a && a->hashBits ? sha(a->hashBits) : nullptr;
}

int hashBytes(Algorithm alg)
{
    const AlgorithmInfo* a = info(alg);
    return a ? a->hashBits / 8 : 0;
}

bool sha256(QByteArrayView data, Sha256& out)
{
    thread_local const MdCtx context(EVP_MD_CTX_new());
    const EVP_MD* md = sha(256);
    unsigned int length = 0;
    return context && md && EVP_DigestInit_ex2(context.get(), md, nullptr) == 1
           && EVP_DigestUpdate(context.get(), data.data(), static_cast<std::size_t>(data.size())) == 1
           && EVP_DigestFinal_ex(context.get(), out.data(), &length) == 1 && length == out.size();
}

EVP_MAC* hmac()
{
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

void clearErrors()
{
    ERR_clear_error();
}

} // namespace ossl

} // namespace jwb::crypto
