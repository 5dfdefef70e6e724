// SPDX-License-Identifier: Apache-2.0
// Strict base64url: one accepted spelling per byte string.
#include "token/Base64Url.h"

#include <QTest>

using namespace jwb::token;

Q_DECLARE_METATYPE(jwb::token::Base64UrlDefect)

class TstBase64Url final : public QObject {
    Q_OBJECT

private slots:
    void canonicalInput_decodes_data();
    void canonicalInput_decodes();
    void defectiveInput_isRefusedAndDiagnosed_data();
    void defectiveInput_isRefusedAndDiagnosed();
    void everyLength_roundTripsAndIsCanonical();
    void everyAlternativeTrailingCharacter_isRefused();
    void decodeInto_segmentsBackToBack_matchDecodeAndStayInBounds();
    void decodeInto_refusesWhatDecodeRefuses();
    void everyByteAtEveryPositionOfLongInput_decodesOnlyIfInAlphabet();
    void encode_usesUrlAlphabetWithoutPadding();
};

void TstBase64Url::canonicalInput_decodes_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("decoded");

    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("one byte") << QByteArray("Zg") << QByteArray("f");
    QTest::newRow("two bytes") << QByteArray("Zm8") << QByteArray("fo");
    QTest::newRow("three bytes") << QByteArray("Zm9v") << QByteArray("foo");
    QTest::newRow("url alphabet") << QByteArray("-_8") << QByteArray("\xfb\xff");
    QTest::newRow("all bits") << QByteArray("____") << QByteArray("\xff\xff\xff");
    QTest::newRow("jose header") << QByteArray("eyJhbGciOiJIUzI1NiJ9") << QByteArray("{\"alg\":\"HS256\"}");
}

void TstBase64Url::canonicalInput_decodes()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, decoded);
    QCOMPARE(diagnoseBase64Url(encoded), Base64UrlDefect::None);
    const auto result = decodeBase64Url(encoded);
    QVERIFY(result.has_value());
    QCOMPARE(*result, decoded);
}

void TstBase64Url::defectiveInput_isRefusedAndDiagnosed_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<Base64UrlDefect>("defect");

    QTest::newRow("double padding") << QByteArray("Zg==") << Base64UrlDefect::Padding;
    QTest::newRow("single padding") << QByteArray("Zm8=") << Base64UrlDefect::Padding;
    QTest::newRow("padding in the middle") << QByteArray("Zg==Zm9v") << Base64UrlDefect::Padding;
    QTest::newRow("only padding") << QByteArray("====") << Base64UrlDefect::Padding;
    QTest::newRow("plus from standard alphabet") << QByteArray("+_8") << Base64UrlDefect::Alphabet;
    QTest::newRow("slash from standard alphabet") << QByteArray("-/8") << Base64UrlDefect::Alphabet;
    QTest::newRow("dot") << QByteArray("Zm.v") << Base64UrlDefect::Alphabet;
    QTest::newRow("NUL byte") << QByteArray("Zm\0v", 4) << Base64UrlDefect::Alphabet;
    QTest::newRow("non-ASCII") << QByteArray("Zm\xc3\xa9") << Base64UrlDefect::Alphabet;
    QTest::newRow("percent-encoded") << QByteArray("Zm9v%3D") << Base64UrlDefect::Alphabet;
    QTest::newRow("leading space") << QByteArray(" Zm9v") << Base64UrlDefect::Whitespace;
    QTest::newRow("trailing newline") << QByteArray("Zm9v\n") << Base64UrlDefect::Whitespace;
    QTest::newRow("inner CRLF") << QByteArray("Zm\r\n9v") << Base64UrlDefect::Whitespace;
    QTest::newRow("tab") << QByteArray("Zm9\tv") << Base64UrlDefect::Whitespace;
    QTest::newRow("form feed") << QByteArray("Zm9v\f") << Base64UrlDefect::Whitespace;
    QTest::newRow("single character") << QByteArray("Z") << Base64UrlDefect::Length;
    QTest::newRow("five characters") << QByteArray("Zm9vY") << Base64UrlDefect::Length;
    QTest::newRow("non-canonical one byte") << QByteArray("Zh") << Base64UrlDefect::NonCanonical;
    QTest::newRow("non-canonical one byte, all unused bits") << QByteArray("Z_") << Base64UrlDefect::NonCanonical;
    QTest::newRow("non-canonical two bytes") << QByteArray("Zm9") << Base64UrlDefect::NonCanonical;
    QTest::newRow("non-canonical two bytes, high bit") << QByteArray("Zm-") << Base64UrlDefect::NonCanonical;
    // The first offending character decides which defect is named.
    QTest::newRow("whitespace before padding") << QByteArray("Zg =") << Base64UrlDefect::Whitespace;
    QTest::newRow("padding before alphabet") << QByteArray("Zg=+") << Base64UrlDefect::Padding;
}

void TstBase64Url::defectiveInput_isRefusedAndDiagnosed()
{
    QFETCH(QByteArray, encoded);
    QFETCH(Base64UrlDefect, defect);
    QCOMPARE(diagnoseBase64Url(encoded), defect);
    QVERIFY(!decodeBase64Url(encoded).has_value());
}

void TstBase64Url::everyLength_roundTripsAndIsCanonical()
{
    QByteArray raw;
    for (int length = 0; length <= 70; ++length) {
        const QByteArray encoded = encodeBase64Url(raw);
        QVERIFY(!encoded.contains('='));
        QCOMPARE(diagnoseBase64Url(encoded), Base64UrlDefect::None);
        const auto decoded = decodeBase64Url(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, raw);
        raw.append(char(length * 37 + 11)); // every byte value pattern, high bits included
    }
}

void TstBase64Url::decodeInto_segmentsBackToBack_matchDecodeAndStayInBounds()
{
    // Every length from 0 to 120 bytes (the longer ones take the wide 16-character blocks, the short
    // ones only the word and group loops), each decoded right behind the previous one in one buffer
    // whose end is guarded: a store past a segment's size would show in its neighbour or the guard.
    QList<QByteArray> raws;
    QList<QByteArray> encodings;
    qsizetype total = 0;
    QByteArray raw;
    for (int length = 0; length <= 120; ++length) {
        raws.append(raw);
        encodings.append(encodeBase64Url(raw));
        QCOMPARE(decodedBase64UrlSize(encodings.back().size()), raw.size());
        total += raw.size();
        raw.append(char(length * 91 + 5));
    }
    constexpr qsizetype guard = 32;
    QByteArray buffer(total + guard, '\xa5');
    char* out = buffer.data();
    for (const QByteArray& encoded : encodings) {
        const qsizetype size = decodedBase64UrlSize(encoded.size());
        QVERIFY(decodeBase64UrlInto(encoded, std::span<char>(out, static_cast<std::size_t>(size))));
        out += size;
    }
    qsizetype offset = 0;
    for (qsizetype i = 0; i < raws.size(); ++i) {
        QCOMPARE(buffer.mid(offset, raws.at(i).size()), raws.at(i));
        QCOMPARE(*decodeBase64Url(encodings.at(i)), raws.at(i));
        offset += raws.at(i).size();
    }
    QCOMPARE(buffer.right(guard), QByteArray(guard, '\xa5'));
}

void TstBase64Url::decodeInto_refusesWhatDecodeRefuses()
{
    QCOMPARE(decodedBase64UrlSize(5), qsizetype(-1));
    QCOMPARE(decodedBase64UrlSize(0), qsizetype(0));
    QCOMPARE(decodedBase64UrlSize(3), qsizetype(2));
    char out[128] = {};
    const std::span<char> room(out);
    QVERIFY(!decodeBase64UrlInto("Zm9vY", room));   // impossible length
    QVERIFY(!decodeBase64UrlInto("Zh", room));      // non-canonical tail
    QVERIFY(!decodeBase64UrlInto("Zm9v", room.first(2))); // 3 bytes do not fit in 2
    // A bad character inside a wide block and inside the tail of a long input.
    QByteArray longInput = encodeBase64Url(QByteArray(90, 'q'));
    QVERIFY(decodeBase64UrlInto(longInput, room));
    longInput[5] = '+';
    QVERIFY(!decodeBase64UrlInto(longInput, room));
    longInput = encodeBase64Url(QByteArray(91, 'q'));
    longInput[longInput.size() - 1] = '=';
    QVERIFY(!decodeBase64UrlInto(longInput, room));
}

void TstBase64Url::everyAlternativeTrailingCharacter_isRefused()
{
    // For one- and two-byte tails exactly one of the characters with the same meaningful bits is
    // accepted: 16 spellings of a one-byte tail and 4 of a two-byte tail differ only in unused bits.
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (const QByteArray& prefix : {QByteArray("Z"), QByteArray("Zm")}) {
        int accepted = 0;
        for (const char last : alphabet) {
            const QByteArray candidate = prefix + last;
            if (decodeBase64Url(candidate).has_value())
                ++accepted;
            else
                QCOMPARE(diagnoseBase64Url(candidate), Base64UrlDefect::NonCanonical);
        }
        QCOMPARE(accepted, prefix.size() == 1 ? 64 / 16 : 64 / 4);
    }
}

void TstBase64Url::everyByteAtEveryPositionOfLongInput_decodesOnlyIfInAlphabet()
{
    // Long enough for the decoder's wide blocks (16 characters at a time) and its word and group
    // loops; no tail, so every alphabet character is valid wherever it stands.
    const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray raw;
    for (int i = 0; i < 75; ++i)
        raw.append(char(i * 53 + 7));
    const QByteArray encoded = encodeBase64Url(raw);
    QCOMPARE(encoded.size(), 100);
    for (qsizetype position = 0; position < encoded.size(); ++position) {
        for (int byte = 0; byte < 256; ++byte) {
            QByteArray candidate = encoded;
            candidate[position] = char(byte);
            const auto decoded = decodeBase64Url(candidate);
            const bool inAlphabet = alphabet.contains(char(byte));
            QVERIFY2(decoded.has_value() == inAlphabet,
                     qPrintable(QStringLiteral("byte %1 at position %2").arg(byte).arg(position)));
            if (inAlphabet)
                QCOMPARE(*decoded, QByteArray::fromBase64(candidate, QByteArray::Base64UrlEncoding));
        }
    }
}

void TstBase64Url::encode_usesUrlAlphabetWithoutPadding()
{
    QCOMPARE(encodeBase64Url(QByteArray("\xfb\xff")), QByteArray("-_8"));
    QCOMPARE(encodeBase64Url(QByteArray("f")), QByteArray("Zg"));
    QCOMPARE(encodeBase64Url(QByteArray("foo")), QByteArray("Zm9v"));
    QCOMPARE(encodeBase64Url(QByteArrayView()), QByteArray());
}

QTEST_GUILESS_MAIN(TstBase64Url)
#include "tst_base64url.moc"
