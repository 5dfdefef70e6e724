// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "token/Json.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace jwb::verify {

// JOSE member names are a few bytes long. Packed into one integer with their length, they compare
// in one instruction; comparing them as strings called memcmp for every pair, which showed in
// profiles. Names longer than 7 bytes, and the empty name, get 0, which no packed name equals.
constexpr std::uint64_t nameTag(std::string_view name)
{
    const std::size_t n = name.size();
    if (n > 7)
        return 0;
    auto byte = [name](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])); };
    std::uint64_t packed = 0; // the name's bytes, little-endian
    if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
        for (std::size_t i = 0; i < n; ++i)
            packed |= byte(i) << (8 * i);
    } else if (n >= 4) {
        // Two overlapping 4-byte loads instead of a loop a byte at a time: bytes read by both land
        // in the same place, so the OR is the exact packing.
        std::uint32_t low = 0;
        std::uint32_t high = 0;
        std::memcpy(&low, name.data(), 4);
        std::memcpy(&high, name.data() + n - 4, 4);
        packed = low | (static_cast<std::uint64_t>(high) << (8 * (n - 4)));
    } else if (n > 0) {
        packed = byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)));
    }
    return packed << 8 | n;
}

// Header members that would let a token choose or carry its own key (RFC 8725 §3.10).
constexpr bool isKeySelectorTag(std::uint64_t tag)
{
    return tag == nameTag("jku") || tag == nameTag("x5u") || tag == nameTag("jwk") || tag == nameTag("x5c");
}

// Byte equality; short strings (most header and claim names, many typ values) compare as packed tags.
inline bool sameBytes(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    if (a.size() <= 7)
        return nameTag(a) == nameTag(b);
    return a.front() == b.front() && a == b;
}

// The header and claim members the pipeline reads, found in one pass over each object rather than
// by one search per step (a dozen linear searches over the same few members showed in profiles).
class Members {
public:
    enum Name : std::uint8_t { Alg, Typ, Kid, Cty, B64, Crit, Iss, Sub, Aud, Exp, Nbf, Iat, Act, Jti, Count };

    static Members of(const json::Value* object)
    {
        Members m;
        if (!object || !object->isObject())
            return m;
        for (const auto& [name, value] : object->members()) {
            // Names are unique (the reader refuses duplicates), so each slot is written at most once.
            if (const int i = indexOf(name); i >= 0)
                m.m_values[static_cast<std::size_t>(i)] = &value;
        }
        return m;
    }

    const json::Value* operator[](Name n) const { return m_values[n]; }

    // Presence of any member: from the slots for the names recorded here, else by searching.
    bool has(const json::Value* object, std::string_view name) const
    {
        const int i = indexOf(name);
        return i >= 0 ? m_values[static_cast<std::size_t>(i)] != nullptr : object && object->find(name) != nullptr;
    }

private:
    static int indexOf(std::string_view name)
    {
        switch (nameTag(name)) {
        case nameTag("alg"): return Alg;
        case nameTag("typ"): return Typ;
        case nameTag("kid"): return Kid;
        case nameTag("cty"): return Cty;
        case nameTag("b64"): return B64;
        case nameTag("crit"): return Crit;
        case nameTag("iss"): return Iss;
        case nameTag("sub"): return Sub;
        case nameTag("aud"): return Aud;
        case nameTag("exp"): return Exp;
        case nameTag("nbf"): return Nbf;
        case nameTag("iat"): return Iat;
        case nameTag("act"): return Act;
        case nameTag("jti"): return Jti;
        default: return -1;
        }
    }

    std::array<const json::Value*, Count> m_values{};
};

// RFC 7515 §4.1.9: MIME comparison is case-insensitive and "application/" is implied without a '/'.
// Both sides are reduced to the form without that prefix, so the hot path compares without allocating.
inline std::string_view withoutApplicationPrefix(std::string_view typ)
{
    constexpr std::string_view prefix = "application/";
    if (typ.size() > prefix.size()
        && std::equal(prefix.begin(), prefix.end(), typ.begin(),
                      [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b); }))
        return typ.substr(prefix.size());
    return typ;
}

inline bool sameMediaType(std::string_view a, std::string_view b)
{
    if (a == b) // the usual case: the token spells typ as the policy does
        return true;
    a = withoutApplicationPrefix(a);
    b = withoutApplicationPrefix(b);
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [&lower](char x, char y) { return lower(x) == lower(y); });
}

// A nested JWT (RFC 7519 §5.2): its header says cty: JWT, so the payload is a token, not claims.
inline bool isNestedJwt(const Members& header)
{
    const json::Value* cty = header[Members::Cty];
    return cty && cty->isString() && sameMediaType(cty->toString(), "JWT");
}

} // namespace jwb::verify
