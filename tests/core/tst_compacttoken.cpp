// SPDX-License-Identifier: Apache-2.0
// Compact JWS decoding: what is refused before any policy is consulted, and at which stage.
#include "token/Base64Url.h"
#include "token/CompactToken.h"

#include <QCryptographicHash>
#include <QTest>

#include <memory>
#include <optional>

using namespace jwb;
using namespace jwb::token;

Q_DECLARE_METATYPE(jwb::token::ParseStage)

namespace {

QByteArray b64(const QByteArray& raw)
{
    return encodeBase64Url(raw);
}

// A token minted from raw segment contents; the signature is arbitrary bytes (no key is involved here).
QByteArray mint(const QByteArray& header, const QByteArray& payload, const QByteArray& signature = "sig-bytes")
{
    return b64(header) + '.' + b64(payload) + '.' + b64(signature);
}

const QByteArray kHeader = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
const QByteArray kPayload = "{\"iss\":\"https://login.example.com/\",\"sub\":\"u1\",\"aud\":\"payments-api\","
                            "\"exp\":1767229200,\"iat\":1767225600}";

std::variant<CompactToken, ParseFailure> parse(const QByteArray& token, bool requireJson = true)
{
    return parseCompact(token, ParseLimits{}, requireJson);
}

} // namespace

class TstCompactToken final : public QObject {
    Q_OBJECT

private slots:
    void wellFormedToken_decodesAllParts();
    void copiedAndMovedToken_keepTheirPartsAfterTheOriginalIsGone_data();
    void copiedAndMovedToken_keepTheirPartsAfterTheOriginalIsGone();
    void emptySignature_isAcceptedByTheParser();
    void malformedToken_failsAtStageWithCode_data();
    void malformedToken_failsAtStageWithCode();
    void megabyteToken_rejectedAtSizeStage();
    void sizeBound_isInclusive();
    void jsonErrorCode_isNamedInTheMessage();
    void errors_neverContainSegmentText_data();
    void errors_neverContainSegmentText();
    void bareJws_acceptsAnyPayloadAndExplainsClaims_data();
    void bareJws_acceptsAnyPayloadAndExplainsClaims();
    void fingerprint_isShortSha256();
};

void TstCompactToken::wellFormedToken_decodesAllParts()
{
    const QByteArray token = mint(kHeader, kPayload, QByteArray("\x00\x01\xfe\xff", 4));
    const auto result = parse(token);
    QVERIFY(std::holds_alternative<CompactToken>(result));
    const auto& t = std::get<CompactToken>(result);
    QCOMPARE(t.headerBytes().toByteArray(), kHeader);
    QCOMPARE(t.payloadBytes().toByteArray(), kPayload);
    QCOMPARE(t.signature().toByteArray(), QByteArray("\x00\x01\xfe\xff", 4));
    QCOMPARE(t.signingInput().toByteArray(), token.left(token.lastIndexOf('.')));
    QVERIFY(t.header.isObject());
    QCOMPARE(t.header.find("kid")->toQString(), QStringLiteral("k1"));
    QVERIFY(t.claims.has_value());
    QCOMPARE(t.claims->find("exp")->toInteger(), 1767229200LL);
    QVERIFY(!t.claimsError.has_value());
}

void TstCompactToken::copiedAndMovedToken_keepTheirPartsAfterTheOriginalIsGone_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("signature");

    QTest::newRow("JWT, binary signature") << kPayload << QByteArray("\x00\x01\xfe\xff", 4);
    QTest::newRow("long payload, 256-byte signature") << QByteArray("{\"pad\":\"" + QByteArray(600, 'p') + "\"}")
                                                      << QByteArray(256, '\x5a');
    QTest::newRow("empty payload and signature") << QByteArray() << QByteArray();
}

void TstCompactToken::copiedAndMovedToken_keepTheirPartsAfterTheOriginalIsGone()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, signature);
    const QByteArray token = mint(kHeader, payload, signature);
    const QByteArray signingInput = token.left(token.lastIndexOf('.'));
    auto expectParts = [&](const CompactToken& t) {
        QCOMPARE(t.signingInput().toByteArray(), signingInput);
        QCOMPARE(t.headerBytes().toByteArray(), kHeader);
        QCOMPARE(t.payloadBytes().toByteArray(), payload);
        QCOMPARE(t.signature().toByteArray(), signature);
        QCOMPARE(t.header.find("kid")->toQString(), QStringLiteral("k1"));
    };

    std::optional<CompactToken> copied;
    std::optional<CompactToken> moved;
    std::optional<CompactToken> assigned;
    {
        auto original = std::make_unique<CompactToken>(std::get<CompactToken>(parse(token, false)));
        copied.emplace(*original);
        assigned.emplace();
        *assigned = *original;
        CompactToken source = *original;
        moved.emplace(std::move(source));
        original.reset(); // the copies share the buffer; its last owner is now elsewhere
    }
    expectParts(*copied);
    expectParts(*moved);
    expectParts(*assigned);
    copied.reset();
    assigned.reset();
    expectParts(*moved); // now the buffer's only owner
}

void TstCompactToken::emptySignature_isAcceptedByTheParser()
{
    // An unsecured token decodes; rejecting it is the engine's job, with its own reason.
    const QByteArray token = b64("{\"alg\":\"none\"}") + '.' + b64(kPayload) + '.';
    const auto result = parse(token);
    QVERIFY(std::holds_alternative<CompactToken>(result));
    const auto& t = std::get<CompactToken>(result);
    QVERIFY(t.signature().isEmpty());
    QCOMPARE(t.header.find("alg")->toQString(), QStringLiteral("none"));
    QCOMPARE(t.signingInput().toByteArray(), token.chopped(1));
}

void TstCompactToken::malformedToken_failsAtStageWithCode_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<ParseStage>("stage");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("location"); // substring of the error location

    const auto structure = ParseStage::Structure;
    const QByteArray h = b64(kHeader);
    const QByteArray p = b64(kPayload);
    const QByteArray s = b64("signature");
    const QString b64err = QStringLiteral("ERR_TOKEN_BASE64URL");

    QTest::newRow("over the size bound") << QByteArray(16385, 'a') << ParseStage::Size
                                         << QStringLiteral("ERR_TOKEN_TOO_LARGE") << QString();
    QTest::newRow("empty input") << QByteArray() << structure << QStringLiteral("ERR_TOKEN_SEGMENTS") << QString();
    QTest::newRow("one segment") << h << structure << QStringLiteral("ERR_TOKEN_SEGMENTS") << QString();
    QTest::newRow("two segments") << h + '.' + p << structure << QStringLiteral("ERR_TOKEN_SEGMENTS") << QString();
    QTest::newRow("four segments") << h + '.' + p + '.' + s + '.' + s << structure
                                   << QStringLiteral("ERR_TOKEN_SEGMENTS") << QString();
    QTest::newRow("six segments") << h + "....." << structure << QStringLiteral("ERR_TOKEN_SEGMENTS") << QString();
    QTest::newRow("five-part JWE") << b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") + ".a2V5.aXY.Y2lwaGVy.dGFn"
                                   << structure << QStringLiteral("ERR_TOKEN_JWE") << QString();
    QTest::newRow("empty header") << '.' + p + '.' + s << structure << QStringLiteral("ERR_TOKEN_EMPTY_SEGMENT")
                                  << QStringLiteral("header");

    QTest::newRow("padded header") << h + "=." + p + '.' + s << structure << b64err << QStringLiteral("header");
    QTest::newRow("padded payload") << h + '.' + b64("{}") + "==." + s << structure << b64err
                                    << QStringLiteral("payload");
    QTest::newRow("padded signature") << h + '.' + p + '.' + b64("sig") + "=" << structure << b64err
                                      << QStringLiteral("signature");
    QTest::newRow("plus in payload") << h + '.' + p.left(4) + '+' + p.mid(5) + '.' + s << structure << b64err
                                     << QStringLiteral("payload");
    QTest::newRow("slash in signature") << h + '.' + p + ".ab/c" << structure << b64err
                                        << QStringLiteral("signature");
    QTest::newRow("non-canonical header") << QByteArray("e31.") + p + '.' + s << structure << b64err
                                          << QStringLiteral("header");
    QTest::newRow("non-canonical signature") << h + '.' + p + ".Zh" << structure << b64err
                                             << QStringLiteral("signature");
    QTest::newRow("impossible length payload") << h + ".Zm9vY." + s << structure << b64err
                                               << QStringLiteral("payload");
    QTest::newRow("space in header") << h.left(5) + ' ' + h.mid(5) + '.' + p + '.' + s << structure << b64err
                                     << QStringLiteral("header");
    QTest::newRow("newline in payload") << h + '.' + p.left(8) + '\n' + p.mid(8) + '.' + s << structure << b64err
                                        << QStringLiteral("payload");
    QTest::newRow("trailing newline") << h + '.' + p + '.' + s + '\n' << structure << b64err
                                      << QStringLiteral("signature");
    QTest::newRow("leading space") << ' ' + h + '.' + p + '.' + s << structure << b64err << QStringLiteral("header");

    QTest::newRow("header not JSON") << mint("alg=RS256", kPayload) << structure
                                     << QStringLiteral("ERR_TOKEN_HEADER_JSON") << QStringLiteral("header");
    QTest::newRow("duplicate alg") << mint("{\"alg\":\"RS256\",\"alg\":\"none\"}", kPayload) << structure
                                   << QStringLiteral("ERR_TOKEN_HEADER_JSON") << QStringLiteral("header");
    QTest::newRow("header invalid utf8") << mint("{\"alg\":\"RS256\",\"x\":\"\xc0\xaf\"}", kPayload) << structure
                                         << QStringLiteral("ERR_TOKEN_HEADER_JSON") << QStringLiteral("header");
    QTest::newRow("deeply nested header") << mint("{\"alg\":\"RS256\",\"x\":" + QByteArray(5000, '[')
                                                      + QByteArray(5000, ']') + "}", kPayload)
                                          << structure << QStringLiteral("ERR_TOKEN_HEADER_JSON")
                                          << QStringLiteral("header");
    QTest::newRow("header trailing data") << mint(kHeader + "x", kPayload) << structure
                                          << QStringLiteral("ERR_TOKEN_HEADER_JSON") << QStringLiteral("header");
    QTest::newRow("header is an array") << mint("[\"alg\",\"RS256\"]", kPayload) << structure
                                        << QStringLiteral("ERR_TOKEN_HEADER_NOT_OBJECT") << QStringLiteral("header");
    QTest::newRow("header is a string") << mint("\"RS256\"", kPayload) << structure
                                        << QStringLiteral("ERR_TOKEN_HEADER_NOT_OBJECT") << QStringLiteral("header");
    QTest::newRow("header is null") << mint("null", kPayload) << structure
                                    << QStringLiteral("ERR_TOKEN_HEADER_NOT_OBJECT") << QStringLiteral("header");

    QTest::newRow("duplicate exp") << mint(kHeader, "{\"exp\":1,\"sub\":\"a\",\"exp\":9999999999}") << structure
                                   << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON") << QStringLiteral("payload");
    QTest::newRow("duplicate nested claim") << mint(kHeader, "{\"cnf\":{\"jkt\":\"a\",\"jkt\":\"b\"}}") << structure
                                            << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON") << QStringLiteral("payload");
    QTest::newRow("payload not JSON") << mint(kHeader, "hello") << structure
                                      << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON") << QStringLiteral("payload");
    QTest::newRow("empty payload") << h + ".." + s << structure << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON")
                                   << QStringLiteral("payload");
    QTest::newRow("payload lone surrogate") << mint(kHeader, "{\"sub\":\"\\udead\"}") << structure
                                            << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON") << QStringLiteral("payload");
    QTest::newRow("payload is an array") << mint(kHeader, "[1,2]") << structure
                                         << QStringLiteral("ERR_TOKEN_PAYLOAD_NOT_OBJECT")
                                         << QStringLiteral("payload");
    QTest::newRow("payload is a number") << mint(kHeader, "1767225600") << structure
                                         << QStringLiteral("ERR_TOKEN_PAYLOAD_NOT_OBJECT")
                                         << QStringLiteral("payload");
}

void TstCompactToken::malformedToken_failsAtStageWithCode()
{
    QFETCH(QByteArray, token);
    QFETCH(ParseStage, stage);
    QFETCH(QString, code);
    QFETCH(QString, location);
    const auto result = parse(token);
    QVERIFY2(std::holds_alternative<ParseFailure>(result), "malformed token was accepted");
    const auto& failure = std::get<ParseFailure>(result);
    QCOMPARE(failure.error.code, code);
    QCOMPARE(failure.stage, stage);
    QVERIFY2(failure.error.location.contains(location), qPrintable(failure.error.location));
    QVERIFY(!failure.error.message.isEmpty());
}

void TstCompactToken::megabyteToken_rejectedAtSizeStage()
{
    // A well-formed token of 1 MB: refused on its length alone, before segments are looked at.
    const QByteArray big = mint(kHeader, "{\"pad\":\"" + QByteArray(1024 * 1024, 'x') + "\"}");
    QVERIFY(big.size() > 1024 * 1024);
    const auto result = parseCompact(big, ParseLimits{});
    QVERIFY(std::holds_alternative<ParseFailure>(result));
    const auto& failure = std::get<ParseFailure>(result);
    QCOMPARE(failure.stage, ParseStage::Size);
    QCOMPARE(failure.error.code, QStringLiteral("ERR_TOKEN_TOO_LARGE"));
    QVERIFY(failure.error.message.contains(QString::number(big.size())));

    // The same token parses when the bound allows it: the refusal was the size, nothing else.
    ParseLimits generous;
    generous.maxTokenBytes = big.size();
    QVERIFY(std::holds_alternative<CompactToken>(parseCompact(big, generous)));
}

void TstCompactToken::sizeBound_isInclusive()
{
    const QByteArray token = mint(kHeader, kPayload);
    ParseLimits limits;
    limits.maxTokenBytes = token.size();
    QVERIFY(std::holds_alternative<CompactToken>(parseCompact(token, limits)));
    limits.maxTokenBytes = token.size() - 1;
    const auto result = parseCompact(token, limits);
    QVERIFY(std::holds_alternative<ParseFailure>(result));
    QCOMPARE(std::get<ParseFailure>(result).stage, ParseStage::Size);
}

void TstCompactToken::jsonErrorCode_isNamedInTheMessage()
{
    const auto dup = parse(mint("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", kPayload));
    QVERIFY(std::holds_alternative<ParseFailure>(dup));
    QVERIFY(std::get<ParseFailure>(dup).error.message.contains(QStringLiteral("ERR_JSON_DUPLICATE_MEMBER")));

    const auto deep = parse(mint(kHeader, "{\"a\":" + QByteArray(40, '[') + QByteArray(40, ']') + "}"));
    QVERIFY(std::holds_alternative<ParseFailure>(deep));
    QVERIFY(std::get<ParseFailure>(deep).error.message.contains(QStringLiteral("ERR_JSON_DEPTH")));

    // The depth bound is the caller's.
    ParseLimits shallow;
    shallow.maxJsonDepth = 1;
    const auto nested = parseCompact(mint(kHeader, "{\"cnf\":{\"jkt\":\"x\"}}"), shallow);
    QVERIFY(std::holds_alternative<ParseFailure>(nested));
    QVERIFY(std::get<ParseFailure>(nested).error.message.contains(QStringLiteral("ERR_JSON_DEPTH")));
}

void TstCompactToken::errors_neverContainSegmentText_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("secret"); // a segment that must not appear in any error text

    const QByteArray sig = b64("a-signature-that-must-stay-private-0123456789");
    QTest::newRow("bad header, signature intact") << "e30=." + b64(kPayload) + '.' + sig << sig;
    QTest::newRow("bad signature") << b64(kHeader) + '.' + b64(kPayload) + '.' + sig + '=' << sig;
    QTest::newRow("four segments") << b64(kHeader) + '.' + b64(kPayload) + '.' + sig + '.' + sig << sig;
    QTest::newRow("payload not object") << b64(kHeader) + '.' + b64("[1]") + '.' + sig << sig;
    QTest::newRow("too large") << b64(kHeader) + '.' + b64(QByteArray(20000, 'p')) + '.' + sig << sig;
}

void TstCompactToken::errors_neverContainSegmentText()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, secret);
    const auto result = parse(token);
    QVERIFY(std::holds_alternative<ParseFailure>(result));
    const QString text = std::get<ParseFailure>(result).error.toString();
    QVERIFY(!text.contains(QString::fromLatin1(secret)));
    QVERIFY(!text.contains(QString::fromLatin1(secret.left(12))));
}

void TstCompactToken::bareJws_acceptsAnyPayloadAndExplainsClaims_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("hasClaims");
    QTest::addColumn<QString>("claimsCode");

    QTest::newRow("binary payload") << QByteArray("\x00\xff\x10", 3) << false << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON");
    QTest::newRow("empty payload") << QByteArray() << false << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON");
    QTest::newRow("JSON array payload") << QByteArray("[1]") << false << QStringLiteral("ERR_TOKEN_PAYLOAD_NOT_OBJECT");
    QTest::newRow("duplicate claim") << QByteArray("{\"a\":1,\"a\":2}") << false
                                     << QStringLiteral("ERR_TOKEN_PAYLOAD_JSON");
    QTest::newRow("claims object") << kPayload << true << QString();
}

void TstCompactToken::bareJws_acceptsAnyPayloadAndExplainsClaims()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, hasClaims);
    QFETCH(QString, claimsCode);
    const auto result = parse(mint(kHeader, payload), false);
    QVERIFY(std::holds_alternative<CompactToken>(result));
    const auto& t = std::get<CompactToken>(result);
    QCOMPARE(t.payloadBytes().toByteArray(), payload);
    QCOMPARE(t.claims.has_value(), hasClaims);
    QCOMPARE(t.claimsError.has_value(), !hasClaims);
    if (!hasClaims)
        QCOMPARE(t.claimsError->code, claimsCode);
}

void TstCompactToken::fingerprint_isShortSha256()
{
    const QByteArray token = mint(kHeader, kPayload);
    const QString fp = fingerprint(token);
    const QByteArray expected = QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex().left(16);
    QCOMPARE(fp, QStringLiteral("sha256:") + QString::fromLatin1(expected));
    QCOMPARE(fp.size(), 7 + 16);
    QCOMPARE(fingerprint(token), fp);
    QVERIFY(fingerprint(QByteArray(token + 'x')) != fp);
    // Known vector: SHA-256 of the empty string starts e3b0c44298fc1c14.
    QCOMPARE(fingerprint(QByteArrayView()), QStringLiteral("sha256:e3b0c44298fc1c14"));
}

QTEST_GUILESS_MAIN(TstCompactToken)
#include "tst_compacttoken.moc"
