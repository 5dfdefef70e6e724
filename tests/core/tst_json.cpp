// SPDX-License-Identifier: Apache-2.0
// The strict JSON reader: every error code, hostile nesting and encodings, numbers beyond range.
#include "token/Json.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>
#include <thread>

using namespace jwb;

namespace {

QByteArray nestedArrays(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray nestedObjects(int depth)
{
    QByteArray text;
    for (int i = 0; i < depth; ++i)
        text += "{\"a\":";
    text += "1";
    text += QByteArray(depth, '}');
    return text;
}

QByteArray manyMembers(int count)
{
    QByteArray text = "{";
    for (int i = 0; i < count; ++i) {
        if (i)
            text += ',';
        text += "\"m" + QByteArray::number(i) + "\":" + QByteArray::number(i);
    }
    return text;
}

} // namespace

class TstJson final : public QObject {
    Q_OBJECT

private slots:
    void validText_parsesAndSerializesCompactly_data();
    void validText_parsesAndSerializesCompactly();
    void invalidText_isRejectedWithCode_data();
    void invalidText_isRejectedWithCode();
    void duplicateMember_locationNamesByteOffset();
    void nesting10kLevels_rejectedWithoutStackOverflow();
    void nesting10kLevels_parsesIterativelyWhenAllowed();
    void depthAtLimit_isAccepted();
    void sizeLimit_checkedBeforeParsing();
    void numbers_keepRawTextAndIntegerness_data();
    void numbers_keepRawTextAndIntegerness();
    void hugeNumbers_doNotCrashAndSaturate();
    void escapes_decodeToUtf8_data();
    void escapes_decodeToUtf8();
    void specialByteAtEveryPosition_isSeen();
    void memberOrder_isDocumentOrder();
    void find_looksUpObjectMembersOnly();
    void serialize_escapesControlsQuotesAndBackslashes();
    void serialize_roundTripsThroughParse();
    void toQJsonValue_convertsForDisplay();
    void copiesAndMoves_outliveTheirDocument();
    void largeDocument_spansSeveralArenaBlocks();
    void escapesDecodedInPlace_leaveNeighboursIntact();
    void integersOfEveryLength_readExactly();
    void releasedArenas_reusedWithoutSharingLiveDocuments();
};

void TstJson::validText_parsesAndSerializesCompactly_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("compact");

    QTest::newRow("object") << QByteArray("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")
                            << QByteArray("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    QTest::newRow("whitespace everywhere") << QByteArray(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n")
                                           << QByteArray("{\"a\":[1,2],\"b\":{}}");
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{}");
    QTest::newRow("empty array") << QByteArray("[]") << QByteArray("[]");
    QTest::newRow("scalar top level") << QByteArray("42") << QByteArray("42");
    QTest::newRow("string top level") << QByteArray("\"x\"") << QByteArray("\"x\"");
    QTest::newRow("literals") << QByteArray("[true,false,null]") << QByteArray("[true,false,null]");
    QTest::newRow("numbers keep text") << QByteArray("[-0,1.50,2E+3,-1e-2]") << QByteArray("[-0,1.50,2E+3,-1e-2]");
    QTest::newRow("utf8 kept") << QByteArray("{\"n\":\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80\"}")
                               << QByteArray("{\"n\":\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80\"}");
    QTest::newRow("same name in sibling objects") << QByteArray("[{\"a\":1},{\"a\":2}]")
                                                  << QByteArray("[{\"a\":1},{\"a\":2}]");
    QTest::newRow("same name at two levels") << QByteArray("{\"a\":{\"a\":1}}") << QByteArray("{\"a\":{\"a\":1}}");
    QTest::newRow("names differing only in case") << QByteArray("{\"alg\":1,\"ALG\":2}")
                                                   << QByteArray("{\"alg\":1,\"ALG\":2}");
    QTest::newRow("escaped solidus decoded") << QByteArray("\"a\\/b\"") << QByteArray("\"a/b\"");
    QTest::newRow("large object without duplicates") << manyMembers(100) + "}" << manyMembers(100) + "}";
}

void TstJson::validText_parsesAndSerializesCompactly()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, compact);
    const auto result = json::parse(text);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(json::serialize(*result), compact);
}

void TstJson::invalidText_isRejectedWithCode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("code");

    const QString syntax = QStringLiteral("ERR_JSON_SYNTAX");
    const QString dup = QStringLiteral("ERR_JSON_DUPLICATE_MEMBER");
    const QString utf8 = QStringLiteral("ERR_JSON_UTF8");
    const QString depth = QStringLiteral("ERR_JSON_DEPTH");

    // Duplicates at every level and after escape decoding.
    QTest::newRow("duplicate top level") << QByteArray("{\"alg\":\"RS256\",\"alg\":\"none\"}") << dup;
    QTest::newRow("duplicate nested object") << QByteArray("{\"a\":{\"x\":1,\"y\":2,\"x\":3}}") << dup;
    QTest::newRow("duplicate inside array") << QByteArray("[1,{\"k\":1,\"k\":1}]") << dup;
    QTest::newRow("duplicate three levels deep") << QByteArray("{\"a\":[{\"b\":{\"c\":1,\"c\":2}}]}") << dup;
    QTest::newRow("duplicate spelled with escape") << QByteArray("{\"exp\":1,\"\\u0065xp\":2}") << dup;
    QTest::newRow("duplicate empty name") << QByteArray("{\"\":1,\"\":2}") << dup;
    QTest::newRow("duplicate in large object at end") << manyMembers(200) + ",\"m3\":0}" << dup;
    QTest::newRow("duplicate in large object of late names") << manyMembers(200) + ",\"m150\":0}" << dup;

    // UTF-8 defects.
    QTest::newRow("stray continuation byte") << QByteArray("\"\x80\"") << utf8;
    QTest::newRow("overlong two-byte slash") << QByteArray("\"\xc0\xaf\"") << utf8;
    QTest::newRow("overlong two-byte C1") << QByteArray("\"\xc1\xbf\"") << utf8;
    QTest::newRow("overlong three-byte") << QByteArray("\"\xe0\x80\xaf\"") << utf8;
    QTest::newRow("overlong four-byte") << QByteArray("\"\xf0\x80\x80\xaf\"") << utf8;
    QTest::newRow("utf8-encoded high surrogate") << QByteArray("\"\xed\xa0\x80\"") << utf8;
    QTest::newRow("utf8-encoded low surrogate") << QByteArray("\"\xed\xbf\xbf\"") << utf8;
    QTest::newRow("above U+10FFFF") << QByteArray("\"\xf4\x90\x80\x80\"") << utf8;
    QTest::newRow("F5 lead byte") << QByteArray("\"\xf5\x80\x80\x80\"") << utf8;
    QTest::newRow("FF byte") << QByteArray("\"\xff\"") << utf8;
    QTest::newRow("truncated sequence") << QByteArray("\"\xe2\x82\"") << utf8;
    QTest::newRow("truncated at end of input") << QByteArray("\"\xe2\x82") << utf8;
    QTest::newRow("invalid utf8 in member name") << QByteArray("{\"a\xc0\x80\":1}") << utf8;
    QTest::newRow("lone high surrogate escape") << QByteArray("\"\\ud800\"") << utf8;
    QTest::newRow("lone low surrogate escape") << QByteArray("\"\\udc00\"") << utf8;
    QTest::newRow("high surrogate then letter") << QByteArray("\"\\ud800\\u0041\"") << utf8;
    QTest::newRow("high surrogate then high") << QByteArray("\"\\ud800\\ud800\"") << utf8;
    QTest::newRow("reversed surrogate pair") << QByteArray("\"\\ude00\\ud83d\"") << utf8;

    // Strings.
    QTest::newRow("raw newline in string") << QByteArray("\"a\nb\"") << syntax;
    QTest::newRow("raw NUL in string") << QByteArray("\"a\0b\"", 5) << syntax;
    QTest::newRow("raw 0x1f in string") << QByteArray("\"\x1f\"") << syntax;
    QTest::newRow("unknown escape") << QByteArray("\"\\x41\"") << syntax;
    QTest::newRow("short unicode escape") << QByteArray("\"\\u12\"") << syntax;
    QTest::newRow("non-hex unicode escape") << QByteArray("\"\\u12G4\"") << syntax;
    QTest::newRow("unterminated string") << QByteArray("\"abc") << syntax;
    QTest::newRow("backslash at end") << QByteArray("\"abc\\") << syntax;
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << syntax;

    // Numbers.
    QTest::newRow("leading zero") << QByteArray("01") << syntax;
    QTest::newRow("negative leading zero") << QByteArray("-01") << syntax;
    QTest::newRow("double zero") << QByteArray("[00]") << syntax;
    QTest::newRow("plus sign") << QByteArray("+1") << syntax;
    QTest::newRow("bare fraction") << QByteArray(".5") << syntax;
    QTest::newRow("empty fraction") << QByteArray("1.") << syntax;
    QTest::newRow("empty exponent") << QByteArray("1e") << syntax;
    QTest::newRow("signed empty exponent") << QByteArray("1e+") << syntax;
    QTest::newRow("lone minus") << QByteArray("-") << syntax;
    QTest::newRow("NaN") << QByteArray("NaN") << syntax;
    QTest::newRow("Infinity") << QByteArray("[Infinity]") << syntax;
    QTest::newRow("hex") << QByteArray("0x10") << syntax;

    // Structure.
    QTest::newRow("empty input") << QByteArray() << syntax;
    QTest::newRow("only whitespace") << QByteArray(" \n") << syntax;
    QTest::newRow("unclosed object") << QByteArray("{\"a\":1") << syntax;
    QTest::newRow("unclosed array") << QByteArray("[1,2") << syntax;
    QTest::newRow("trailing comma in array") << QByteArray("[1,]") << syntax;
    QTest::newRow("trailing comma in object") << QByteArray("{\"a\":1,}") << syntax;
    QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << syntax;
    QTest::newRow("missing comma") << QByteArray("[1 2]") << syntax;
    QTest::newRow("unquoted name") << QByteArray("{a:1}") << syntax;
    QTest::newRow("number as name") << QByteArray("{1:1}") << syntax;
    QTest::newRow("mismatched close") << QByteArray("[1}") << syntax;
    QTest::newRow("truncated literal") << QByteArray("tru") << syntax;
    QTest::newRow("capitalised literal") << QByteArray("True") << syntax;
    QTest::newRow("trailing data after object") << QByteArray("{} x") << syntax;
    QTest::newRow("two top-level values") << QByteArray("{}{}") << syntax;
    QTest::newRow("trailing NUL") << QByteArray("{}\0", 3) << syntax;
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf{}") << syntax;
    QTest::newRow("comment") << QByteArray("{}//") << syntax;
    QTest::newRow("non-breaking space as whitespace") << QByteArray("{\xc2\xa0}") << syntax;

    // Depth.
    QTest::newRow("17 nested arrays") << nestedArrays(17) << depth;
    QTest::newRow("17 nested objects") << nestedObjects(17) << depth;
    QTest::newRow("deep and unterminated") << QByteArray(100, '[') << depth;
}

void TstJson::invalidText_isRejectedWithCode()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, code);
    const auto result = json::parse(text);
    QVERIFY2(!result.ok(), "accepted invalid JSON");
    QCOMPARE(result.error().code, code);
    QVERIFY(result.error().location.startsWith(QStringLiteral("byte ")));
}

void TstJson::duplicateMember_locationNamesByteOffset()
{
    //                      0123456789012345678901
    const QByteArray text = "{\"alg\":\"a\",\"alg\":\"b\"}";
    const auto result = json::parse(text);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().location, QStringLiteral("byte 11"));
    QVERIFY(result.error().message.contains(QStringLiteral("\"alg\"")));

    // In a large object the later occurrence is reported too.
    const QByteArray large = manyMembers(40) + ",\"m35\":0}";
    const auto largeResult = json::parse(large);
    QVERIFY(!largeResult.ok());
    QCOMPARE(largeResult.error().code, QStringLiteral("ERR_JSON_DUPLICATE_MEMBER"));
    QCOMPARE(largeResult.error().location, QStringLiteral("byte %1").arg(large.lastIndexOf("\"m35\"")));
}

void TstJson::nesting10kLevels_rejectedWithoutStackOverflow()
{
    // The 17th container is refused where it opens: byte 16 for "[[[...", byte 80 for {"a":{"a":...
    const QList<QPair<QByteArray, int>> cases = {
        {nestedArrays(10000), 16}, {nestedObjects(10000), 80}, {QByteArray(10000, '['), 16}};
    for (const auto& [text, offset] : cases) {
        const auto result = json::parse(text, json::Limits{16, 1 << 20});
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("ERR_JSON_DEPTH"));
        QCOMPARE(result.error().location, QStringLiteral("byte %1").arg(offset));
    }
}

void TstJson::nesting10kLevels_parsesIterativelyWhenAllowed()
{
    // With a limit above the nesting the reader must still not recurse per level.
    const auto result = json::parse(nestedArrays(10000), json::Limits{20000, 1 << 20});
    QVERIFY(result.ok());
    const json::Value* v = &*result;
    int levels = 0;
    while (v->isArray() && !v->items().empty()) {
        v = &v->items().front();
        ++levels;
    }
    QCOMPARE(levels + 1, 10000);
}

void TstJson::depthAtLimit_isAccepted()
{
    QVERIFY(json::parse(nestedArrays(16)).ok());
    QVERIFY(json::parse(nestedObjects(16)).ok());
    QVERIFY(json::parse(nestedArrays(3), json::Limits{3, 100}).ok());
    QCOMPARE(json::parse(nestedArrays(4), json::Limits{3, 100}).error().code, QStringLiteral("ERR_JSON_DEPTH"));
    // Depth 0 allows only scalars.
    QVERIFY(json::parse("1", json::Limits{0, 100}).ok());
    QCOMPARE(json::parse("[]", json::Limits{0, 100}).error().code, QStringLiteral("ERR_JSON_DEPTH"));
}

void TstJson::sizeLimit_checkedBeforeParsing()
{
    const QByteArray ok = "\"" + QByteArray(98, 'a') + "\"";
    QVERIFY(json::parse(ok, json::Limits{16, 100}).ok());
    // One byte over: rejected as too large, not as the syntax error that follows in the text.
    const QByteArray over = ok + "!";
    const auto result = json::parse(over, json::Limits{16, 100});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("ERR_JSON_TOO_LARGE"));
    QCOMPARE(json::parse(QByteArray(65537, ' ')).error().code, QStringLiteral("ERR_JSON_TOO_LARGE"));
}

void TstJson::numbers_keepRawTextAndIntegerness_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("isInteger");
    QTest::addColumn<qint64>("integer");
    QTest::addColumn<double>("number");

    QTest::newRow("zero") << QByteArray("0") << true << qint64(0) << 0.0;
    QTest::newRow("negative zero") << QByteArray("-0") << true << qint64(0) << 0.0;
    QTest::newRow("exp claim") << QByteArray("1767225600") << true << qint64(1767225600) << 1767225600.0;
    QTest::newRow("negative") << QByteArray("-42") << true << qint64(-42) << -42.0;
    QTest::newRow("int64 max") << QByteArray("9223372036854775807") << true
                               << std::numeric_limits<qint64>::max() << 9223372036854775807.0;
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808") << true
                               << std::numeric_limits<qint64>::min() << -9223372036854775808.0;
    QTest::newRow("beyond 2^53 exact") << QByteArray("9007199254740993") << true << qint64(9007199254740993LL)
                                       << 9007199254740992.0;
    QTest::newRow("int64 max plus one") << QByteArray("9223372036854775808") << false
                                        << std::numeric_limits<qint64>::max() << 9223372036854775808.0;
    QTest::newRow("fraction") << QByteArray("1767225600.5") << false << qint64(1767225600) << 1767225600.5;
    QTest::newRow("integral fraction") << QByteArray("1.0") << false << qint64(1) << 1.0;
    QTest::newRow("exponent") << QByteArray("1e3") << false << qint64(1000) << 1000.0;
    QTest::newRow("negative exponent") << QByteArray("-25E-1") << false << qint64(-2) << -2.5;
}

void TstJson::numbers_keepRawTextAndIntegerness()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, isInteger);
    QFETCH(qint64, integer);
    QFETCH(double, number);
    const auto result = json::parse(text);
    QVERIFY(result.ok());
    QVERIFY(result->isNumber());
    QCOMPARE(result->isInteger(), isInteger);
    QCOMPARE(result->toInteger(), integer);
    QCOMPARE(result->toDouble(), number);
    QCOMPARE(QByteArrayView(result->rawNumber()).toByteArray(), text);
}

void TstJson::hugeNumbers_doNotCrashAndSaturate()
{
    const auto big = json::parse("{\"exp\":1e400}");
    QVERIFY(big.ok());
    const json::Value* exp = big->find("exp");
    QVERIFY(exp && exp->isNumber());
    QVERIFY(!exp->isInteger());
    QVERIFY(std::isinf(exp->toDouble()) && exp->toDouble() > 0);
    QCOMPARE(exp->rawNumber(), std::string("1e400"));
    QCOMPARE(exp->toInteger(), std::numeric_limits<long long>::max());

    const auto negative = json::parse("-1e400");
    QVERIFY(negative.ok());
    QVERIFY(std::isinf(negative->toDouble()) && negative->toDouble() < 0);
    QCOMPARE(negative->toInteger(), std::numeric_limits<long long>::min());

    const auto tiny = json::parse("1e-400");
    QVERIFY(tiny.ok());
    QCOMPARE(tiny->toDouble(), 0.0);
    QCOMPARE(tiny->toInteger(), 0LL);

    const QByteArray manyDigits = QByteArray(400, '9');
    const auto longInt = json::parse(manyDigits);
    QVERIFY(longInt.ok());
    QVERIFY(!longInt->isInteger());
    QVERIFY(std::isinf(longInt->toDouble()));
    QCOMPARE(QByteArrayView(longInt->rawNumber()).toByteArray(), manyDigits);

    const auto hugeExponent = json::parse("1e99999999999999999999");
    QVERIFY(hugeExponent.ok());
    QVERIFY(std::isinf(hugeExponent->toDouble()));

    const auto smallFraction = json::parse(QByteArray("0." + QByteArray(400, '0') + "1"));
    QVERIFY(smallFraction.ok());
    QCOMPARE(smallFraction->toDouble(), 0.0);
}

void TstJson::escapes_decodeToUtf8_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("decoded");

    QTest::newRow("simple escapes") << QByteArray("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"") << QByteArray("\"\\/\b\f\n\r\t");
    QTest::newRow("two-byte") << QByteArray("\"\\u00e9\"") << QByteArray("\xc3\xa9");
    QTest::newRow("three-byte upper hex") << QByteArray("\"\\u20AC\"") << QByteArray("\xe2\x82\xac");
    QTest::newRow("surrogate pair") << QByteArray("\"\\ud83d\\ude00\"") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("highest code point") << QByteArray("\"\\udbff\\udfff\"") << QByteArray("\xf4\x8f\xbf\xbf");
    QTest::newRow("escaped NUL") << QByteArray("\"a\\u0000b\"") << QByteArray("a\0b", 3);
    QTest::newRow("mixed") << QByteArray("\"x\\ny\xc3\xa9z\"") << QByteArray("x\ny\xc3\xa9z");
}

void TstJson::escapes_decodeToUtf8()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, decoded);
    const auto result = json::parse(text);
    QVERIFY(result.ok());
    QVERIFY(result->isString());
    QCOMPARE(QByteArrayView(result->toString()).toByteArray(), decoded);
}

void TstJson::specialByteAtEveryPosition_isSeen()
{
    // Plain runs are scanned a word at a time: a byte needing attention must be caught wherever it
    // falls inside or after a word.
    for (int pos = 0; pos < 20; ++pos) {
        const QByteArray before(pos, 'x');
        const QByteArray after(19 - pos, 'y');
        auto parsed = [&](const QByteArray& middle) { return json::parse(QByteArray("\"" + before + middle + after + "\"")); };

        QCOMPARE(parsed("\x01").error().code, QStringLiteral("ERR_JSON_SYNTAX"));
        QCOMPARE(parsed("\x1f").error().code, QStringLiteral("ERR_JSON_SYNTAX"));
        QCOMPARE(parsed("\x80").error().code, QStringLiteral("ERR_JSON_UTF8"));
        QCOMPARE(parsed("\xff").error().code, QStringLiteral("ERR_JSON_UTF8"));
        QCOMPARE(parsed("\"").error().code, QStringLiteral("ERR_JSON_SYNTAX")); // string ends early: trailing data

        const auto escaped = parsed("\\n");
        QVERIFY(escaped.ok());
        QCOMPARE(QByteArrayView(escaped->toString()).toByteArray(), before + "\n" + after);
        const auto utf8 = parsed("\xc3\xa9");
        QVERIFY(utf8.ok());
        QCOMPARE(QByteArrayView(utf8->toString()).toByteArray(), before + "\xc3\xa9" + after);
        const auto del = parsed("\x7f ~");
        QVERIFY(del.ok());
        QCOMPARE(QByteArrayView(del->toString()).toByteArray(), before + "\x7f ~" + after);
    }
}

void TstJson::memberOrder_isDocumentOrder()
{
    const auto result = json::parse("{\"z\":1,\"a\":2,\"m\":3}");
    QVERIFY(result.ok());
    const auto& members = result->members();
    QCOMPARE(members.size(), std::size_t(3));
    QCOMPARE(members[0].first, std::string("z"));
    QCOMPARE(members[1].first, std::string("a"));
    QCOMPARE(members[2].first, std::string("m"));
}

void TstJson::find_looksUpObjectMembersOnly()
{
    const auto result = json::parse("{\"alg\":\"ES256\",\"n\":[1]}");
    QVERIFY(result.ok());
    const json::Value* alg = result->find("alg");
    QVERIFY(alg);
    QCOMPARE(alg->toQString(), QStringLiteral("ES256"));
    QCOMPARE(result->find("ALG"), nullptr);
    QCOMPARE(result->find("missing"), nullptr);
    QCOMPARE(result->find("n")->find("0"), nullptr); // arrays have no members
    QCOMPARE(json::Value::string("alg").find("alg"), nullptr);
}

void TstJson::serialize_escapesControlsQuotesAndBackslashes()
{
    const auto v = json::Value::object({
        {"q\"b\\", json::Value::string(std::string("a\x01\x1f\n\t\"\\\xc3\xa9/\0", 11))},
        {"i", json::Value::integer(-5)},
        {"d", json::Value::number(2.5, false, std::string())},
        {"inf", json::Value::number(std::numeric_limits<double>::infinity(), false, std::string())},
        {"b", json::Value::boolean(false)},
        {"n", json::Value::null()},
        {"a", json::Value::array({json::Value::integer(1), json::Value::string("x")})},
    });
    QCOMPARE(json::serialize(v),
             QByteArray("{\"q\\\"b\\\\\":\"a\\u0001\\u001f\\n\\t\\\"\\\\\xc3\xa9/\\u0000\",\"i\":-5,\"d\":2.5,\"inf\":null,"
                        "\"b\":false,\"n\":null,\"a\":[1,\"x\"]}"));
}

void TstJson::serialize_roundTripsThroughParse()
{
    const QByteArray text = "{\"iss\":\"https://login.example.com/\",\"aud\":[\"a\",\"b\"],\"exp\":1767225600,"
                            "\"nested\":{\"k\":[null,true,{\"x\":\"\\u0001\\\"\"}]},\"f\":-1.25e-3}";
    const auto first = json::parse(text);
    QVERIFY(first.ok());
    const QByteArray once = json::serialize(*first);
    QCOMPARE(once, text);
    const auto second = json::parse(once);
    QVERIFY(second.ok());
    QCOMPARE(json::serialize(*second), once);
}

void TstJson::toQJsonValue_convertsForDisplay()
{
    const auto result = json::parse("{\"s\":\"\xc3\xa9\",\"i\":9007199254740993,\"d\":0.5,\"a\":[true,null]}");
    QVERIFY(result.ok());
    const QJsonValue v = result->toQJsonValue();
    QVERIFY(v.isObject());
    const QJsonObject o = v.toObject();
    QCOMPARE(o.value(QStringLiteral("s")).toString(), QStringLiteral("\u00e9"));
    QCOMPARE(o.value(QStringLiteral("i")).toInteger(), qint64(9007199254740993LL));
    QCOMPARE(o.value(QStringLiteral("d")).toDouble(), 0.5);
    const QJsonArray a = o.value(QStringLiteral("a")).toArray();
    QCOMPARE(a.size(), 2);
    QVERIFY(a.at(0).toBool());
    QVERIFY(a.at(1).isNull());
}

QTEST_GUILESS_MAIN(TstJson)
// Parsed values are views into one arena owned by the document's root: whatever is copied out of a
// document, or a document moved elsewhere, must stay readable after the original is gone.
void TstJson::copiesAndMoves_outliveTheirDocument()
{
    const QByteArray text = "{\"iss\":\"https://login.example.com/tenant\",\"aud\":[\"payments-api\",\"a\\u00e9\"],"
                            "\"act\":{\"sub\":\"svc-deploy\",\"act\":{\"sub\":\"ci\"}},\"exp\":1767225600}";
    json::Value copiedChild;
    json::Value copiedArray;
    json::Value movedRoot;
    json::Value assigned = json::Value::string("replaced");
    {
        QByteArray input = text;
        auto document = json::parse(input);
        QVERIFY(document.ok());
        copiedChild = *document->find("act");
        copiedArray = json::Value(*document->find("aud"));
        assigned = *document->find("exp");
        movedRoot = std::move(*document);
        input.fill('#'); // nothing may still point into the input
    }
    QCOMPARE(json::serialize(copiedChild), QByteArray("{\"sub\":\"svc-deploy\",\"act\":{\"sub\":\"ci\"}}"));
    QCOMPARE(copiedChild.find("act")->find("sub")->toQString(), QStringLiteral("ci"));
    QCOMPARE(copiedArray.items().size(), std::size_t(2));
    QCOMPARE(copiedArray.items()[1].toQString(), QStringLiteral("a\u00e9"));
    QVERIFY(assigned.isInteger());
    QCOMPARE(assigned.toInteger(), 1767225600LL);
    QCOMPARE(QByteArrayView(assigned.rawNumber()).toByteArray(), QByteArray("1767225600"));
    QCOMPARE(json::serialize(movedRoot), QByteArray(text).replace("a\\u00e9", "a\xc3\xa9"));

    // Assigning a document one of its own members: the member is copied before the document goes.
    json::Value self = movedRoot;
    self = *self.find("act");
    QCOMPARE(json::serialize(self), QByteArray("{\"sub\":\"svc-deploy\",\"act\":{\"sub\":\"ci\"}}"));
    self = std::move(self);
    QCOMPARE(self.find("sub")->toQString(), QStringLiteral("svc-deploy"));

    // A vector of values grows by moving them: built roots move their arenas along.
    std::vector<json::Value> grown;
    for (int i = 0; i < 100; ++i)
        grown.push_back(json::Value::string(std::string(40, static_cast<char>('a' + i % 26))));
    QCOMPARE(grown[99].toString(), std::string_view(std::string(40, 'v')));
    const json::Value built = json::Value::array(grown);
    grown.clear();
    QCOMPARE(built.items()[25].toString(), std::string_view(std::string(40, 'z')));
}

// Far more values than the first arena block was sized for: later blocks hold them, and every one
// reads back.
void TstJson::largeDocument_spansSeveralArenaBlocks()
{
    QByteArray text = "[";
    for (int i = 0; i < 20000; ++i)
        text += (i ? "," : "") + QByteArray::number(i % 10);
    text += "]";
    const auto document = json::parse(text, json::Limits{16, 1 << 20});
    QVERIFY(document.ok());
    QCOMPARE(document->items().size(), std::size_t(20000));
    for (std::size_t i = 0; i < document->items().size(); ++i) {
        if (document->items()[i].toInteger() != static_cast<long long>(i % 10))
            QFAIL(qPrintable(QStringLiteral("item %1 reads back wrong").arg(i)));
    }
    QCOMPARE(json::serialize(*document), text);
}

// Strings with escapes are decoded over their own bytes in the document's copy of the input: every
// neighbour (names, plain strings, numbers, other decoded strings) must read back unchanged.
void TstJson::escapesDecodedInPlace_leaveNeighboursIntact()
{
    const QByteArray text = "{\"a\\u0062c\":\"x\\ny\\\"z\",\"iss\":\"plain\",\"n\":12,\"e\":\"\\u00e9\\ud83d\\ude00!\","
                            "\"k\\\\\":[\"\\/\",\"\",\"tail\"],\"last\":\"\\t\"}";
    const auto document = json::parse(text);
    QVERIFY(document.ok());
    const auto& members = document->members();
    QCOMPARE(members.size(), std::size_t(6));
    QCOMPARE(members[0].first, std::string_view("abc"));
    QCOMPARE(members[0].second.toString(), std::string_view("x\ny\"z"));
    QCOMPARE(members[1].first, std::string_view("iss"));
    QCOMPARE(members[1].second.toString(), std::string_view("plain"));
    QCOMPARE(members[2].second.toInteger(), 12LL);
    QCOMPARE(members[2].second.rawNumber(), std::string_view("12"));
    QCOMPARE(members[3].second.toString(), std::string_view("\xc3\xa9\xf0\x9f\x98\x80!"));
    QCOMPARE(members[4].first, std::string_view("k\\"));
    QCOMPARE(members[4].second.items()[0].toString(), std::string_view("/"));
    QCOMPARE(members[4].second.items()[1].toString(), std::string_view(""));
    QCOMPARE(members[4].second.items()[2].toString(), std::string_view("tail"));
    QCOMPARE(members[5].second.toString(), std::string_view("\t"));
    // A decoded name still collides with its plain spelling, here a three-letter one.
    QCOMPARE(json::parse("{\"exp\":1,\"\\u0065xp\":2}").error().code, QStringLiteral("ERR_JSON_DUPLICATE_MEMBER"));
    QCOMPARE(json::parse("{\"\\u0065xp\":1,\"exp\":2}").error().location, QStringLiteral("byte 14"));
}

// Integers are read eight digits at a time: every length from 1 to 20 digits, signed or not, at the
// end of the input or before a separator, reads back exactly (or, beyond 64 bits, as a double).
void TstJson::integersOfEveryLength_readExactly()
{
    const std::string digits = "98765432109876543210";
    for (std::size_t length = 1; length <= digits.size(); ++length) {
        for (const std::string sign : {"", "-"}) {
            const std::string number = sign + digits.substr(0, length);
            long long expected = 0;
            const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), expected);
            const bool fits = ec == std::errc() && end == number.data() + number.size();
            for (const std::string& text : {number, "[" + number + "]", "{\"n\":" + number + ",\"m\":0}"}) {
                const auto document = json::parse(QByteArray::fromStdString(text));
                QVERIFY2(document.ok(), text.c_str());
                const json::Value* value = document->isArray() ? &document->items()[0]
                    : document->isObject()                     ? document->find("n")
                                                               : &*document;
                QCOMPARE(value->rawNumber(), std::string_view(number));
                QCOMPARE(value->isInteger(), fits);
                if (fits)
                    QCOMPARE(value->toInteger(), expected);
                else
                    QCOMPARE(value->toDouble(), std::stod(number));
            }
        }
    }
    QCOMPARE(json::parse("[012]").error().code, QStringLiteral("ERR_JSON_SYNTAX"));
    QCOMPARE(json::parse("-").error().code, QStringLiteral("ERR_JSON_SYNTAX"));
    QCOMPARE(json::parse("[1234567890123,").error().location, QStringLiteral("byte 15"));
}

// Released one-block arenas are kept per thread for later documents: a kept document must never share
// its block with a newer one, whichever thread parses or destroys them.
void TstJson::releasedArenas_reusedWithoutSharingLiveDocuments()
{
    auto textFor = [](int i) -> QByteArray {
        QByteArray text = "{\"iss\":\"issuer-" + QByteArray::number(i) + "\",\"aud\":[";
        for (int j = 0; j <= i % 7; ++j)
            text += (j ? ",\"" : "\"") + QByteArray(i % 50, static_cast<char>('a' + j)) + "\"";
        return text + "],\"exp\":" + QByteArray::number(1767225600 + i) + "}";
    };
    std::vector<std::pair<QByteArray, json::Value>> kept;
    for (int i = 0; i < 200; ++i) {
        auto document = json::parse(textFor(i));
        QVERIFY(document.ok());
        if (i % 3 == 0)
            kept.emplace_back(textFor(i), std::move(*document));
    }
    // Documents parsed on another thread and released here, then parsed here again.
    std::vector<json::Value> fromThread;
    std::thread worker([&] {
        for (int i = 0; i < 20; ++i)
            fromThread.push_back(std::move(*json::parse(textFor(1000 + i))));
    });
    worker.join();
    for (int i = 0; i < 20; ++i)
        QCOMPARE(json::serialize(fromThread[static_cast<std::size_t>(i)]), textFor(1000 + i));
    fromThread.clear();
    for (int i = 0; i < 50; ++i) {
        const auto document = json::parse(textFor(i));
        QCOMPARE(json::serialize(*document), textFor(i));
    }
    for (const auto& [text, value] : kept)
        QCOMPARE(json::serialize(value), text);
}

#include "tst_json.moc"
