// SPDX-License-Identifier: Apache-2.0
#include "corpus/TokenExtractor.h"

#include <array>
#include <cstring>

namespace jwb::corpus {

namespace {

constexpr std::array<bool, 256> makeBase64UrlTable()
{
    std::array<bool, 256> t{};
    for (int c = 'A'; c <= 'Z'; ++c)
        t[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[static_cast<std::size_t>(c)] = true;
    for (int c = '0'; c <= '9'; ++c)
        t[static_cast<std::size_t>(c)] = true;
    t[static_cast<std::size_t>('-')] = true;
    t[static_cast<std::size_t>('_')] = true;
    return t;
}
constexpr std::array<bool, 256> kBase64Url = makeBase64UrlTable();

bool isBase64Url(char c)
{
    return kBase64Url[static_cast<unsigned char>(c)];
}

// Skips a base64url run and any '=' padding after it.
const char* skipRun(const char* p, const char* end)
{
    while (p < end && isBase64Url(*p))
        ++p;
    while (p < end && *p == '=')
        ++p;
    return p;
}

// Skips everything that could belong to a dotted base64url string, so a rejected candidate is not
// scanned again piece by piece.
const char* skipDottedRun(const char* p, const char* end)
{
    while (p < end && (isBase64Url(*p) || *p == '.' || *p == '='))
        ++p;
    return p;
}

} // namespace

QList<QByteArrayView> extractTokens(QByteArrayView line)
{
    QList<QByteArrayView> tokens;
    const char* const begin = line.data();
    const char* const end = begin + line.size();
    const char* p = begin;
    while (end - p >= 3) {
        const void* hit = std::memchr(p, 'e', static_cast<std::size_t>(end - p - 2));
        if (!hit)
            break;
        const char* start = static_cast<const char*>(hit);
        if (start[1] != 'y' || start[2] != 'J') {
            p = start + 1;
            continue;
        }
        if (start > begin && (isBase64Url(start[-1]) || start[-1] == '.')) {
            // Inside a longer run or a later segment: that run was (or will be) judged from its start.
            p = skipDottedRun(start, end);
            continue;
        }

        const char* headerEnd = skipRun(start, end);
        bool ok = headerEnd < end && *headerEnd == '.';
        const char* payloadEnd = ok ? skipRun(headerEnd + 1, end) : headerEnd;
        ok = ok && payloadEnd > headerEnd + 1 && payloadEnd < end && *payloadEnd == '.';
        const char* tokenEnd = ok ? skipRun(payloadEnd + 1, end) : payloadEnd;
        if (ok && tokenEnd < end) {
            const char next = *tokenEnd;
            // Padding followed by more run characters is not a token's end; a fourth segment is a
            // JWE or other dotted text.
            const bool runGoesOn = isBase64Url(next) || next == '=';
            const bool fourthSegment = next == '.' && tokenEnd + 1 < end && isBase64Url(tokenEnd[1]);
            ok = !runGoesOn && !fourthSegment;
        }
        if (ok) {
            tokens.append(QByteArrayView(start, tokenEnd - start));
            p = tokenEnd;
        } else {
            p = skipDottedRun(start, end);
        }
    }
    return tokens;
}

} // namespace jwb::corpus
