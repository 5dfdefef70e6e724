// SPDX-License-Identifier: Apache-2.0
#include "token/Base64Url.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define JWB_BASE64URL_SSSE3 1
#include <immintrin.h>
#endif

namespace jwb::token {

namespace {

enum Class : unsigned char { Alphabet, Padding, Whitespace, Other };

constexpr unsigned char kInvalid = 0x80;

// Bits each alphabet character carries (0..63, kInvalid for the rest); classification for diagnosis.
struct CharTable {
    std::array<unsigned char, 256> decode{};
    std::array<Class, 256> cls{};
};

constexpr CharTable makeTable()
{
    CharTable t{};
    for (auto& c : t.cls)
        c = Other;
    for (auto& d : t.decode)
        d = kInvalid;
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (unsigned char i = 0; i < 64; ++i) {
        const auto c = static_cast<unsigned char>(kAlphabet[i]);
        t.cls[c] = Alphabet;
        t.decode[c] = i;
    }
    t.cls[static_cast<unsigned char>('=')] = Padding;
    for (char ws : {' ', '\t', '\n', '\r', '\f', '\v'})
        t.cls[static_cast<unsigned char>(ws)] = Whitespace;
    return t;
}
constexpr CharTable kTable = makeTable();

// The decoder's tables: one per position in a 4-character group, each holding the character's 6 bits
// already placed in the 3 output bytes (byte 0 lowest), so a group decodes with four loads ORed
// together and no shifts. A character outside the alphabet sets bit 24, which survives the OR.
constexpr std::uint32_t kBadGroup = 0x01000000;

struct GroupTables {
    std::array<std::array<std::uint32_t, 256>, 4> at{};
};

constexpr GroupTables makeGroupTables()
{
    GroupTables g{};
    for (std::size_t c = 0; c < 256; ++c) {
        const std::uint32_t v = kTable.decode[c];
        if (v == kInvalid) {
            for (auto& t : g.at)
                t[c] = kBadGroup;
            continue;
        }
        // Group bits: aaaaaabb bbbbcccc ccdddddd in bytes 0, 1, 2.
        g.at[0][c] = v << 2;
        g.at[1][c] = (v >> 4) | ((v & 0x0F) << 12);
        g.at[2][c] = ((v >> 2) << 8) | ((v & 0x03) << 22);
        g.at[3][c] = v << 16;
    }
    return g;
}
constexpr GroupTables kGroups = makeGroupTables();

#ifdef JWB_BASE64URL_SSSE3
// 16 characters to 12 bytes per step (the nibble-lookup method of Mula and Lemire, fitted to the URL
// alphabet), for `blocks` blocks; false as soon as a block holds a character outside the alphabet.
// Each step stores 16 bytes of which 12 are output: the caller leaves at least 4 bytes of `out` after
// the last block. Compiled for SSSE3 and called only where the CPU has it (every x86-64 CPU of the
// last 15 years), as the scalar loops below are bound by one table load per character.
__attribute__((target("ssse3"))) bool decodeBlocksSsse3(const unsigned char*& in, unsigned char*& out,
                                                        qsizetype blocks)
{
    // A character is in the alphabet when no bit is set in both its low nibble's entry and its high
    // nibble's class. Classes: 0x01 high nibble 2 (only '-'), 0x02 digit row 3 (0-9), 0x04 rows 4 and 6
    // (all but the first: A-O, a-o), 0x08 row 5 (P-Z and '_'), 0x20 row 7 (p-z), 0x10 rows holding no
    // alphabet character (including every byte from 0x80, whose high nibble is 8 or more).
    const __m128i invalidByLow = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13,
                                               0x3B, 0x3B, 0x3A, 0x3B, 0x33);
    const __m128i classByHigh = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x20, 0x10, 0x10, 0x10,
                                              0x10, 0x10, 0x10, 0x10, 0x10);
    // What to add to a character of each row to get its 6 bits; '_' (row 5) needs 33 more than P-Z.
    const __m128i offsetByHigh = _mm_setr_epi8(0, 0, 17, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i underscore = _mm_set1_epi8('_');
    const __m128i underscoreExtra = _mm_set1_epi8(33);
    const __m128i pairWeights = _mm_set1_epi32(0x01400140); // a * 64 + b in each 16-bit lane
    const __m128i quadWeights = _mm_set1_epi32(0x00011000); // ab * 4096 + cd in each 32-bit lane
    // Each 32-bit lane holds its group's 24 bits, low byte first; output wants the high byte first.
    const __m128i pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    for (qsizetype b = 0; b < blocks; ++b, in += 16, out += 12) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
        const __m128i hi = _mm_and_si128(_mm_srli_epi32(x, 4), nibble);
        const __m128i lo = _mm_and_si128(x, nibble);
        const __m128i bad = _mm_and_si128(_mm_shuffle_epi8(invalidByLow, lo), _mm_shuffle_epi8(classByHigh, hi));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) != 0xFFFF)
            return false;
        __m128i v = _mm_add_epi8(x, _mm_shuffle_epi8(offsetByHigh, hi));
        v = _mm_add_epi8(v, _mm_and_si128(_mm_cmpeq_epi8(x, underscore), underscoreExtra));
        const __m128i merged = _mm_madd_epi16(_mm_maddubs_epi16(v, pairWeights), quadWeights);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(merged, pack));
    }
    return true;
}

bool cpuHasSsse3()
{
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("ssse3") != 0;
    }();
    return has;
}
#endif

} // namespace

Base64UrlDefect diagnoseBase64Url(QByteArrayView encoded)
{
    // The first offending character decides, so a report points at what a reader sees first.
    for (const char ch : encoded) {
        switch (kTable.cls[static_cast<unsigned char>(ch)]) {
        case Alphabet: continue;
        case Padding: return Base64UrlDefect::Padding;
        case Whitespace: return Base64UrlDefect::Whitespace;
        case Other: return Base64UrlDefect::Alphabet;
        }
    }
    const qsizetype rest = encoded.size() % 4;
    if (rest == 1)
        return Base64UrlDefect::Length;
    if (rest != 0) {
        // 2 characters carry 12 bits for 8 (low 4 unused), 3 carry 18 for 16 (low 2 unused). Non-zero
        // unused bits make a second spelling of the same bytes.
        const unsigned char last = kTable.decode[static_cast<unsigned char>(encoded.back())];
        const unsigned char unusedMask = rest == 2 ? 0x0F : 0x03;
        if ((last & unusedMask) != 0)
            return Base64UrlDefect::NonCanonical;
    }
    return Base64UrlDefect::None;
}

qsizetype decodedBase64UrlSize(qsizetype encodedLength)
{
    const qsizetype rest = encodedLength % 4;
    if (encodedLength < 0 || rest == 1)
        return -1;
    return encodedLength / 4 * 3 + (rest == 0 ? 0 : rest - 1);
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded)
{
    const qsizetype size = decodedBase64UrlSize(encoded.size());
    if (size < 0)
        return std::nullopt;
    QByteArray out(size, Qt::Uninitialized);
    if (!decodeBase64UrlInto(encoded, std::span<char>(out.data(), static_cast<std::size_t>(size))))
        return std::nullopt;
    return out;
}

bool decodeBase64UrlInto(QByteArrayView encoded, std::span<char> out)
{
    // One table-driven pass that validates and decodes together. Qt's decoder would be correct here
    // after the checks above, but it branches per character to tolerate padding and junk, and measured
    // about five times slower; this runs for every segment of every token in a corpus. Every store
    // below stays inside the first decodedBase64UrlSize(n) bytes of `out`.
    const qsizetype n = encoded.size();
    const qsizetype size = decodedBase64UrlSize(n);
    if (size < 0 || static_cast<std::size_t>(size) > out.size())
        return false;
    const qsizetype rest = n % 4;
    const qsizetype full = n / 4;
    const auto* in = reinterpret_cast<const unsigned char*>(encoded.data());
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    const auto& dec = kTable.decode;
    const auto& g = kGroups.at;
    std::uint32_t badGroups = 0; // collects kBadGroup of any group with a non-alphabet character
    qsizetype i = 0;
#ifdef JWB_BASE64URL_SSSE3
    if (full >= 6 && cpuHasSsse3()) {
        // Blocks of 4 groups while at least 2 more groups follow: 6 bytes of room for the wide store.
        const qsizetype blocks = (full - 2) / 4;
        if (!decodeBlocksSsse3(in, o, blocks))
            return false;
        i = blocks * 4;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        // Two groups per step and one 8-byte store, of which the last 2 bytes are scratch that the next
        // step overwrites: only while at least one more full group follows, so it stays inside `out`.
        for (; i + 2 < full; i += 2, in += 8, o += 6) {
            const std::uint64_t lo = g[0][in[0]] | g[1][in[1]] | g[2][in[2]] | g[3][in[3]];
            const std::uint64_t hi = g[0][in[4]] | g[1][in[5]] | g[2][in[6]] | g[3][in[7]];
            badGroups |= static_cast<std::uint32_t>(lo | hi);
            const std::uint64_t word = lo | (hi << 24);
            std::memcpy(o, &word, sizeof word);
        }
    }
    for (; i < full; ++i, in += 4, o += 3) {
        const std::uint32_t v = g[0][in[0]] | g[1][in[1]] | g[2][in[2]] | g[3][in[3]];
        badGroups |= v;
        o[0] = static_cast<unsigned char>(v);
        o[1] = static_cast<unsigned char>(v >> 8);
        o[2] = static_cast<unsigned char>(v >> 16);
    }
    unsigned invalid = badGroups >> 24 != 0 ? kInvalid : 0; // the 0x80 marker, as the tail collects it
    unsigned unused = 0;
    if (rest == 2) {
        const unsigned a = dec[in[0]], b = dec[in[1]];
        invalid |= a | b;
        o[0] = static_cast<unsigned char>((a << 2) | (b >> 4));
        unused = b & 0x0F;
    } else if (rest == 3) {
        const unsigned a = dec[in[0]], b = dec[in[1]], c = dec[in[2]];
        invalid |= a | b | c;
        const unsigned v = (a << 10) | (b << 4) | (c >> 2);
        o[0] = static_cast<unsigned char>(v >> 8);
        o[1] = static_cast<unsigned char>(v);
        unused = c & 0x03;
    }
    return (invalid & kInvalid) == 0 && unused == 0;
}

QByteArray encodeBase64Url(QByteArrayView raw)
{
    return QByteArray::fromRawData(raw.data(), raw.size())
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace jwb::token
