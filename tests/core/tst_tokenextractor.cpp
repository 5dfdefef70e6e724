// SPDX-License-Identifier: Apache-2.0
// Finding JWS-compact-shaped strings in log lines.
#include "corpus/TokenExtractor.h"
#include "token/Base64Url.h"
#include "token/CompactToken.h"

#include <QTest>

using namespace jwb;

namespace {

QByteArray mint(const QByteArray& header, const QByteArray& payload, const QByteArray& signature)
{
    return token::encodeBase64Url(header) + '.' + token::encodeBase64Url(payload) + '.'
        + token::encodeBase64Url(signature);
}

// Fixed test tokens (the signatures are arbitrary bytes: extraction never verifies).
const QByteArray kT1 = mint("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", "{\"sub\":\"alice\",\"exp\":1767229200}",
                            QByteArray(256, '\xa7'));
const QByteArray kT2 = mint("{\"alg\":\"ES256\",\"kid\":\"k2\"}", "{\"sub\":\"bob\"}", QByteArray(64, '\x3c'));
const QByteArray kUnsecured = mint("{\"alg\":\"none\"}", "{\"sub\":\"eve\"}", QByteArray());

QList<QByteArray> extract(const QByteArray& line)
{
    QList<QByteArray> out;
    for (const QByteArrayView v : corpus::extractTokens(line))
        out.append(v.toByteArray());
    return out;
}

} // namespace

class TstTokenExtractor final : public QObject {
    Q_OBJECT

private slots:
    void logLine_yieldsExactlyTheTokens_data();
    void logLine_yieldsExactlyTheTokens();
    void views_pointIntoTheLine();
    void extractedTokens_parseStrictly();
    void paddedToken_isExtractedWholeAndRejected();
    void manyTokensOnOneLine_allFound();
};

void TstTokenExtractor::logLine_yieldsExactlyTheTokens_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QList<QByteArray>>("expected");

    const QByteArray h = token::encodeBase64Url("{\"alg\":\"HS256\"}");
    const QByteArray p = token::encodeBase64Url("{\"sub\":\"x\"}");
    const QList<QByteArray> none;

    QTest::newRow("token alone") << kT1 << QList<QByteArray>{kT1};
    QTest::newRow("after Bearer") << "Authorization: Bearer " + kT1 << QList<QByteArray>{kT1};
    QTest::newRow("lowercase bearer, CR at end") << "authorization: bearer " + kT1 + "\r" << QList<QByteArray>{kT1};
    QTest::newRow("double quotes") << "token=\"" + kT1 + "\" status=401" << QList<QByteArray>{kT1};
    QTest::newRow("single quotes") << "got '" + kT2 + "'" << QList<QByteArray>{kT2};
    QTest::newRow("JSON string") << "{\"level\":\"warn\",\"jwt\":\"" + kT1 + "\",\"path\":\"/api\"}"
                                 << QList<QByteArray>{kT1};
    QTest::newRow("query string") << "GET /cb?access_token=" + kT2 + "&state=abc HTTP/1.1" << QList<QByteArray>{kT2};
    QTest::newRow("two tokens") << "a=" + kT1 + " b=" + kT2 << QList<QByteArray>{kT1, kT2};
    QTest::newRow("adjacent, comma separated") << kT1 + ',' + kT2 << QList<QByteArray>{kT1, kT2};
    QTest::newRow("same token twice") << kT2 + ' ' + kT2 << QList<QByteArray>{kT2, kT2};
    QTest::newRow("sentence period") << "rejected " + kT2 + ". Retrying" << QList<QByteArray>{kT2};
    QTest::newRow("period at end of line") << "rejected " + kT2 + '.' << QList<QByteArray>{kT2};
    QTest::newRow("unsecured token") << "alg none: " + kUnsecured + " end" << QList<QByteArray>{kUnsecured};
    QTest::newRow("url path segment") << "GET /magic/" + kT2 + "/confirm" << QList<QByteArray>{kT2};
    QTest::newRow("in brackets") << "[" + kT1 + "]" << QList<QByteArray>{kT1};

    QTest::newRow("empty line") << QByteArray() << none;
    QTest::newRow("no token") << QByteArray("GET /health 200 3ms") << none;
    QTest::newRow("host and version numbers") << QByteArray("host=api.example.com v=1.2.3 cls=com.example.Foo")
                                              << none;
    QTest::newRow("eyJ at end of line") << QByteArray("x eyJ") << none;
    QTest::newRow("header only") << "x " + h << none;
    QTest::newRow("header and dot") << "x " + h + '.' << none;
    QTest::newRow("two segments") << "x " + h + '.' + p << none;
    QTest::newRow("empty payload") << "x " + h + "..c2ln" << none;
    QTest::newRow("uppercase EYJ") << QByteArray("EYJhbGci.eyJzdWIi.c2ln") << none;
    QTest::newRow("inside a longer run") << "abc" + kT1 << none;
    QTest::newRow("after a dot") << "prefix." + kT1 << none;
    QTest::newRow("four segments") << kT1 + ".c2ln" << none;
    QTest::newRow("five-part JWE") << h + '.' + p + ".aXY.Y2lwaGVy.dGFn" << none;
    QTest::newRow("JWE with eyJ segments") << h + '.' + h + '.' + h + '.' + h + '.' + h << none;
    QTest::newRow("header not starting with eyJ") << QByteArray("abc.eyJzdWIi.c2ln") << none;
    QTest::newRow("padding then text") << kT2 + "==abc" << none;
    QTest::newRow("header broken by plus") << "x eyJhb+GciOiJIUzI1NiJ9." + p + ".c2ln" << none;
}

void TstTokenExtractor::logLine_yieldsExactlyTheTokens()
{
    QFETCH(QByteArray, line);
    QFETCH(QList<QByteArray>, expected);
    QCOMPARE(extract(line), expected);
}

void TstTokenExtractor::views_pointIntoTheLine()
{
    const QByteArray line = "Bearer " + kT1 + " and \"" + kT2 + "\"";
    const QList<QByteArrayView> found = corpus::extractTokens(line);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found[0].data(), line.constData() + 7);
    QCOMPARE(found[0].size(), kT1.size());
    QCOMPARE(found[1].data(), line.constData() + line.indexOf(kT2));
}

void TstTokenExtractor::extractedTokens_parseStrictly()
{
    const QByteArray line = "{\"msg\":\"denied\",\"token\":\"" + kT1 + "\"} Bearer " + kUnsecured;
    const QList<QByteArrayView> found = corpus::extractTokens(line);
    QCOMPARE(found.size(), 2);
    for (const QByteArrayView t : found) {
        const auto parsed = token::parseCompact(t, token::ParseLimits{});
        QVERIFY(std::holds_alternative<token::CompactToken>(parsed));
    }
    QCOMPARE(std::get<token::CompactToken>(token::parseCompact(found[0], token::ParseLimits{}))
                 .claims->find("sub")->toQString(),
             QStringLiteral("alice"));
}

void TstTokenExtractor::paddedToken_isExtractedWholeAndRejected()
{
    // Cutting the '=' off would turn a malformed token into a well-formed one.
    const QByteArray padded = kT2 + "==";
    const QByteArray paddedHeader = token::encodeBase64Url("{\"alg\":\"RS256\"}") + "=."
        + token::encodeBase64Url("{}") + ".c2ln";
    for (const QByteArray& t : {padded, paddedHeader}) {
        const QList<QByteArray> found = extract("token=\"" + t + "\"");
        QCOMPARE(found, QList<QByteArray>{t});
        const auto parsed = token::parseCompact(found.front(), token::ParseLimits{});
        QVERIFY(std::holds_alternative<token::ParseFailure>(parsed));
        QCOMPARE(std::get<token::ParseFailure>(parsed).error.code, QStringLiteral("ERR_TOKEN_BASE64URL"));
    }
}

void TstTokenExtractor::manyTokensOnOneLine_allFound()
{
    QByteArray line;
    QList<QByteArray> expected;
    for (int i = 0; i < 200; ++i) {
        const QByteArray t = mint("{\"alg\":\"HS256\"}", "{\"n\":" + QByteArray::number(i) + "}", "s");
        line += "id=" + QByteArray::number(i) + " jwt=" + t + "; ";
        expected.append(t);
    }
    QCOMPARE(extract(line), expected);
}

QTEST_GUILESS_MAIN(TstTokenExtractor)
#include "tst_tokenextractor.moc"
