// SPDX-License-Identifier: Apache-2.0
#include "token/CompactToken.h"

#include "crypto/OpenSsl.h"
#include "token/Base64Url.h"


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

    std::array<QByteArray, 3> decoded;
    for (int i = 0; i < 3; ++i) {
        auto bytes = decodeBase64Url(segments[static_cast<std::size_t>(i)]);
        if (!bytes) {
            const auto defect = diagnoseBase64Url(segments[static_cast<std::size_t>(i)]);
            return structureFailure("ERR_TOKEN_BASE64URL",
                                    QStringLiteral("the %1 segment is not strict base64url: %2")
                                        .arg(QLatin1String(kSegmentNames[static_cast<std::size_t>(i)]),
                                             defectText(defect)),
                                    segmentLocation(i));
        }
        decoded[static_cast<std::size_t>(i)] = std::move(*bytes);
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

    CompactToken result;
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

    result.signingInput = token.first(dots[1]).toByteArray();
    result.headerBytes = std::move(decoded[0]);
    result.payloadBytes = std::move(decoded[1]);
    result.signature = std::move(decoded[2]);
    result.header = std::move(header).value();
    return result;
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
