// SPDX-License-Identifier: Apache-2.0
#include "token/Base64Url.h"

#include <array>

namespace jwb::token {

namespace {

enum Class : unsigned char { Alphabet, Padding, Whitespace, Other };

// Bits each alphabet character carries (0..63); classification of everything else.
struct CharTable {
    std::array<unsigned char, 256> value{};
    std::array<Class, 256> cls{};
};

constexpr CharTable makeTable()
{
    CharTable t{};
    for (auto& c : t.cls)
        c = Other;
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (unsigned char i = 0; i < 64; ++i) {
        const auto c = static_cast<unsigned char>(kAlphabet[i]);
        t.cls[c] = Alphabet;
        t.value[c] = i;
    }
    t.cls[static_cast<unsigned char>('=')] = Padding;
    for (char ws : {' ', '\t', '\n', '\r', '\f', '\v'})
        t.cls[static_cast<unsigned char>(ws)] = Whitespace;
    return t;
}
constexpr CharTable kTable = makeTable();

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
        const unsigned char last = kTable.value[static_cast<unsigned char>(encoded.back())];
        const unsigned char unusedMask = rest == 2 ? 0x0F : 0x03;
        if ((last & unusedMask) != 0)
            return Base64UrlDefect::NonCanonical;
    }
    return Base64UrlDefect::None;
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView encoded)
{
    if (diagnoseBase64Url(encoded) != Base64UrlDefect::None)
        return std::nullopt;
    if (encoded.isEmpty())
        return QByteArray();
    // Qt decodes in place when handed an unshared temporary: one allocation per segment.
    auto decoded = QByteArray::fromBase64Encoding(encoded.toByteArray(),
                                                  QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                                      | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

QByteArray encodeBase64Url(QByteArrayView raw)
{
    return QByteArray::fromRawData(raw.data(), raw.size())
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace jwb::token
