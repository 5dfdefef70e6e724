// SPDX-License-Identifier: Apache-2.0
#include "token/CompactToken.h"

#include "crypto/OpenSsl.h"
#include "token/Base64Url.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace jwb::token {

namespace {

constexpr std::array<const char*, 3> kSegmentNames = {"header", "payload", "signature"};

QString defectText(Base64UrlDefect defect)
{
    switch (defect) {
    case Base64UrlDefect::Padding: return QStringLiteral("padding '=' is not allowed");
    case Base64UrlDefect::Alphabet: return QStringLiteral("a character outside the base64url alphabet");
    case Base64UrlDefect::Whitespace: return QStringLiteral("whitespace is not allowed");
    case Base64UrlDefect::Length: return QStringLiteral("impossible length (one character left over)");
    case Base64UrlDefect::NonCanonical: return QStringLiteral("non-canonical encoding (unused trailing bits set)");
    case Base64UrlDefect::None: break;
    }
    return QStringLiteral("invalid encoding");
}

QString segmentLocation(int index)
{
    return QStringLiteral("token segment %1 (%2)").arg(index + 1).arg(QLatin1String(kSegmentNames[index]));
}

ParseFailure structureFailure(const char* code, QString message, QString location)
{
    return ParseFailure{ParseStage::Structure, Error{QLatin1String(code), std::move(message), std::move(location)}};
}

// The JSON reader's error wrapped as a token error; the JSON code stays visible in the message.
Error jsonError(const char* code, const char* part, int index, const Error& inner)
{
    return Error{QLatin1String(code),
                 QStringLiteral("%1 is not strict JSON (%2): %3 at %4")
                     .arg(QLatin1String(part), inner.code, inner.message, inner.location),
                 segmentLocation(index)};
}

} // namespace

std::variant<CompactToken, ParseFailure> parseCompact(QByteArrayView token, const ParseLimits& limits,
                                                       bool requireJsonPayload)
{
    // The bound comes before any scan of the bytes, so an oversized input costs nothing.
    if (token.size() > limits.maxTokenBytes) {
        return ParseFailure{ParseStage::Size,
                            Error{QStringLiteral("ERR_TOKEN_TOO_LARGE"),
                                  QStringLiteral("token is %1 bytes, the limit is %2 bytes")
                                      .arg(token.size()).arg(limits.maxTokenBytes),
                                  QString()}};
    }

    // Split on '.': remember at most three separators, count them all.
    std::array<qsizetype, 2> dots{};
    qsizetype dotCount = 0;
    const char* data = token.data();
    const char* end = data + token.size();
    for (const char* p = data; p < end;) {
        const void* hit = std::memchr(p, '.', static_cast<std::size_t>(end - p));
        if (!hit)
            break;
        const char* dot = static_cast<const char*>(hit);
        if (dotCount < 2)
            dots[static_cast<std::size_t>(dotCount)] = dot - data;
        ++dotCount;
        p = dot + 1;
    }
    if (dotCount == 4) {
        return structureFailure("ERR_TOKEN_JWE",
                                QStringLiteral("encrypted tokens (JWE) are not supported: 5 segments found"),
                                QString());
    }
    if (dotCount != 2) {
        return structureFailure("ERR_TOKEN_SEGMENTS",
                                QStringLiteral("a JWS in compact serialisation has 3 dot-separated segments, "
                                               "this token has %1")
                                    .arg(dotCount + 1),
                                QString());
    }

    const std::array<QByteArrayView, 3> segments = {
        token.first(dots[0]),
        token.sliced(dots[0] + 1, dots[1] - dots[0] - 1),
        token.sliced(dots[1] + 1),
    };
    if (segments[0].isEmpty()) {
        return structureFailure("ERR_TOKEN_EMPTY_SEGMENT", QStringLiteral("the header segment is empty"),
                                segmentLocation(0));
    }

    // One buffer: the signing input copied, then the three segments decoded in place behind it. A
    // segment of impossible length gets size 0 here and is refused by its decode below, in order.
    CompactToken result;
    const qsizetype signingInputSize = dots[1];
    std::array<qsizetype, 3> decodedSizes{};
    qsizetype total = signingInputSize;
    for (std::size_t i = 0; i < 3; ++i) {
        decodedSizes[i] = std::max<qsizetype>(decodedBase64UrlSize(segments[i].size()), 0);
        total += decodedSizes[i];
    }
    result.m_parts = QByteArray(total, Qt::Uninitialized);
    char* buffer = result.m_parts.data();
    std::memcpy(buffer, data, static_cast<std::size_t>(signingInputSize));
    std::array<QByteArrayView, 3> decoded;
    char* out = buffer + signingInputSize;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto size = static_cast<std::size_t>(decodedSizes[i]);
        if (!decodeBase64UrlInto(segments[i], std::span<char>(out, size))) {
            const auto defect = diagnoseBase64Url(segments[i]);
            return structureFailure("ERR_TOKEN_BASE64URL",
                                    QStringLiteral("the %1 segment is not strict base64url: %2")
                                        .arg(QLatin1String(kSegmentNames[i]), defectText(defect)),
                                    segmentLocation(static_cast<int>(i)));
        }
        decoded[i] = QByteArrayView(out, decodedSizes[i]);
        out += size;
    }

    // Decoded JSON is never longer than the token, so the token bound also bounds it.
    const json::Limits jsonLimits{limits.maxJsonDepth, limits.maxTokenBytes};
    auto header = json::parse(decoded[0], jsonLimits);
    if (!header)
        return ParseFailure{ParseStage::Structure, jsonError("ERR_TOKEN_HEADER_JSON", "header", 0, header.error())};
    if (!header->isObject()) {
        return structureFailure("ERR_TOKEN_HEADER_NOT_OBJECT", QStringLiteral("the header is not a JSON object"),
                                segmentLocation(0));
    }

    auto payload = json::parse(decoded[1], jsonLimits);
    if (!payload) {
        Error error = jsonError("ERR_TOKEN_PAYLOAD_JSON", "payload", 1, payload.error());
        if (requireJsonPayload)
            return ParseFailure{ParseStage::Structure, std::move(error)};
        result.claimsError = std::move(error);
    } else if (!payload->isObject()) {
        Error error{QStringLiteral("ERR_TOKEN_PAYLOAD_NOT_OBJECT"),
                    QStringLiteral("the payload is not a JSON object"), segmentLocation(1)};
        if (requireJsonPayload)
            return ParseFailure{ParseStage::Structure, std::move(error)};
        result.claimsError = std::move(error);
    } else {
        result.claims = std::move(payload).value();
    }

    result.m_signingInputSize = signingInputSize;
    result.m_headerSize = decodedSizes[0];
    result.m_payloadSize = decodedSizes[1];
    result.header = std::move(header).value();
    return result;
}

QByteArrayView CompactToken::signingInput() const
{
    return QByteArrayView(m_parts).first(m_signingInputSize);
}

QByteArrayView CompactToken::headerBytes() const
{
    return QByteArrayView(m_parts).sliced(m_signingInputSize, m_headerSize);
}

QByteArrayView CompactToken::payloadBytes() const
{
    return QByteArrayView(m_parts).sliced(m_signingInputSize + m_headerSize, m_payloadSize);
}

QByteArrayView CompactToken::signature() const
{
    return QByteArrayView(m_parts).sliced(m_signingInputSize + m_headerSize + m_payloadSize);
}

QString fingerprint(QByteArrayView token)
{
    crypto::ossl::Sha256 hash{};
    if (!crypto::ossl::sha256(token, hash)) {
        // Only an OpenSSL failure gets here; a fixed marker keeps the token itself out of any output.
        return QStringLiteral("sha256:unavailable");
    }
    return fingerprintText(std::span(hash).first<8>());
}

QString fingerprintText(std::span<const unsigned char, 8> digestStart)
{
    // "sha256:" and 16 hex digits written straight into the result: one allocation per token.
    static constexpr char16_t kHex[] = u"0123456789abcdef";
    static constexpr char16_t kPrefix[] = u"sha256:";
    constexpr qsizetype prefixLength = 7;
    QString text(prefixLength + 16, Qt::Uninitialized);
    char16_t* out = reinterpret_cast<char16_t*>(text.data());
    std::memcpy(out, kPrefix, prefixLength * sizeof(char16_t));
    for (std::size_t i = 0; i < digestStart.size(); ++i) {
        out[prefixLength + 2 * static_cast<qsizetype>(i)] = kHex[digestStart[i] >> 4];
        out[prefixLength + 2 * static_cast<qsizetype>(i) + 1] = kHex[digestStart[i] & 0xF];
    }
    return text;
}

} // namespace jwb::token
