// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <cstdint>

namespace jwb::crypto {

// The JWS algorithms the product verifies (RFC 7518 section 3, RFC 8037 section 3.1).
// "none" and everything unknown map to Algorithm::Unsupported and are never verified.
enum class Algorithm : std::uint8_t {
    HS256, HS384, HS512,
    RS256, RS384, RS512,
    PS256, PS384, PS512,
    ES256, ES384, ES512,
    EdDSA,
    Unsupported,
};
inline constexpr int kAlgorithmCount = static_cast<int>(Algorithm::Unsupported);

enum class Family : std::uint8_t { Hmac, Rsa, RsaPss, Ecdsa, EdDsa, None };

// Exact, case-sensitive lookup of a registered name ("RS256"). "none", "None", "NONE", "" and
// unknown names give Unsupported.
Algorithm algorithmFromName(QStringView name);
// The same for a name read from a token as Latin-1 bytes, without converting it first.
Algorithm algorithmFromName(QLatin1StringView name);
QString algorithmName(Algorithm alg);
// The same name without allocating (hot paths compare against it); "unsupported" for Unsupported.
QLatin1StringView algorithmNameView(Algorithm alg);
// The same name as a view of static UTF-16 text, valid for the life of the program (trace steps keep it).
QStringView algorithmNameText(Algorithm alg);
Family family(Algorithm alg);
QString familyName(Family f); // "HMAC", "RSA", "RSA-PSS", "ECDSA", "EdDSA"
bool isSymmetric(Algorithm alg);
// Case-insensitive "none" in any spelling: an unsecured JWS (RFC 7518 section 3.6).
bool isNoneSpelling(QStringView name);
bool isNoneSpelling(QLatin1StringView name);

// A set of algorithms as a bitmask: the pin check is one AND on the hot path.
class AlgorithmSet {
public:
    constexpr AlgorithmSet() = default;
    void insert(Algorithm a) { if (a != Algorithm::Unsupported) m_bits |= bit(a); }
    bool contains(Algorithm a) const { return a != Algorithm::Unsupported && (m_bits & bit(a)); }
    bool isEmpty() const { return m_bits == 0; }
    std::uint32_t bits() const { return m_bits; }
    bool operator==(const AlgorithmSet&) const = default;

private:
    static constexpr std::uint32_t bit(Algorithm a) { return 1u << static_cast<unsigned>(a); }
    std::uint32_t m_bits = 0;
};

} // namespace jwb::crypto
