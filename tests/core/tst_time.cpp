// SPDX-License-Identifier: Apache-2.0
// Instants given on the command line (--at) and shown in traces.
#include "util/Time.h"

#include <QTest>

#include <limits>

using namespace jwb;

class TstTime final : public QObject {
    Q_OBJECT

private slots:
    void validInstant_parses_data();
    void validInstant_parses();
    void invalidInstant_isFormatError_data();
    void invalidInstant_isFormatError();
    void formatInstant_isUtcSeconds_data();
    void formatInstant_isUtcSeconds();
    void formatThenParse_roundTrips();
    void relativeTime_namesLargestUnit_data();
    void relativeTime_namesLargestUnit();
    void relativeTime_extremeValuesDoNotOverflow();
};

void TstTime::validInstant_parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");

    QTest::newRow("unix zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("unix seconds") << QStringLiteral("1767225600") << qint64(1767225600);
    QTest::newRow("unix short") << QStringLiteral("86400") << qint64(86400);
    QTest::newRow("unix leading zeros") << QStringLiteral("0042") << qint64(42);
    QTest::newRow("rfc3339 Z") << QStringLiteral("2026-01-01T00:00:00Z") << qint64(1767225600);
    QTest::newRow("rfc3339 lowercase t and z") << QStringLiteral("2026-01-01t00:00:00z") << qint64(1767225600);
    QTest::newRow("positive offset") << QStringLiteral("2026-01-01T01:00:00+01:00") << qint64(1767225600);
    QTest::newRow("negative offset") << QStringLiteral("2025-12-31T19:00:00-05:00") << qint64(1767225600);
    QTest::newRow("half-hour offset") << QStringLiteral("2026-01-01T05:30:00+05:30") << qint64(1767225600);
    QTest::newRow("negative zero offset") << QStringLiteral("2026-01-01T00:00:00-00:00") << qint64(1767225600);
    QTest::newRow("fraction truncated") << QStringLiteral("2026-01-01T00:00:00.999Z") << qint64(1767225600);
    QTest::newRow("long fraction with offset") << QStringLiteral("2026-01-01T01:00:00.123456789+01:00")
                                               << qint64(1767225600);
    QTest::newRow("leap day") << QStringLiteral("2024-02-29T12:00:00Z") << qint64(1709208000);
    QTest::newRow("leap second") << QStringLiteral("2016-12-31T23:59:60Z") << qint64(1483228800);
    QTest::newRow("epoch") << QStringLiteral("1970-01-01T00:00:00Z") << qint64(0);
    QTest::newRow("last representable") << QStringLiteral("9999-12-31T23:59:59Z") << qint64(253402300799);
}

void TstTime::validInstant_parses()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const auto result = util::parseInstant(text);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(*result, seconds);
}

void TstTime::invalidInstant_isFormatError_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("negative unix") << QStringLiteral("-5");
    QTest::newRow("signed unix") << QStringLiteral("+5");
    QTest::newRow("fractional unix") << QStringLiteral("1767225600.5");
    QTest::newRow("unix with space") << QStringLiteral(" 1767225600");
    QTest::newRow("unix letters") << QStringLiteral("12a");
    QTest::newRow("unix overflow") << QStringLiteral("99999999999999999999");
    QTest::newRow("unix beyond year 9999") << QStringLiteral("253402300800");
    QTest::newRow("date only") << QStringLiteral("2026-01-01");
    QTest::newRow("no offset") << QStringLiteral("2026-01-01T00:00:00");
    QTest::newRow("no seconds") << QStringLiteral("2026-01-01T00:00Z");
    QTest::newRow("space separator") << QStringLiteral("2026-01-01 00:00:00Z");
    QTest::newRow("empty fraction") << QStringLiteral("2026-01-01T00:00:00.Z");
    QTest::newRow("month 13") << QStringLiteral("2026-13-01T00:00:00Z");
    QTest::newRow("february 30") << QStringLiteral("2026-02-30T00:00:00Z");
    QTest::newRow("february 29 not leap") << QStringLiteral("2026-02-29T00:00:00Z");
    QTest::newRow("hour 24") << QStringLiteral("2026-01-01T24:00:00Z");
    QTest::newRow("minute 60") << QStringLiteral("2026-01-01T00:60:00Z");
    QTest::newRow("second 61") << QStringLiteral("2026-01-01T00:00:61Z");
    QTest::newRow("offset hour 24") << QStringLiteral("2026-01-01T00:00:00+24:00");
    QTest::newRow("offset without colon") << QStringLiteral("2026-01-01T00:00:00+0100");
    QTest::newRow("trailing text") << QStringLiteral("2026-01-01T00:00:00Zjunk");
    QTest::newRow("single-digit month") << QStringLiteral("2026-1-01T00:00:00Z");
    QTest::newRow("before the epoch") << QStringLiteral("1969-12-31T23:59:59Z");
    QTest::newRow("non-ASCII digits") << QStringLiteral("\u0661\u0662\u0663");
}

void TstTime::invalidInstant_isFormatError()
{
    QFETCH(QString, text);
    const auto result = util::parseInstant(text);
    QVERIFY2(!result.ok(), "accepted an invalid instant");
    QCOMPARE(result.error().code, QStringLiteral("ERR_TIME_FORMAT"));
    QVERIFY(result.error().message.contains(QStringLiteral("RFC 3339")));
}

void TstTime::formatInstant_isUtcSeconds_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00Z");
    QTest::newRow("new year 2026") << qint64(1767225600) << QStringLiteral("2026-01-01T00:00:00Z");
    QTest::newRow("with seconds") << qint64(1767225661) << QStringLiteral("2026-01-01T00:01:01Z");
}

void TstTime::formatInstant_isUtcSeconds()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(util::formatInstant(seconds), text);
}

void TstTime::formatThenParse_roundTrips()
{
    for (const qint64 s : {qint64(0), qint64(951782400), qint64(1767225600), qint64(4102444799)}) {
        const auto parsed = util::parseInstant(util::formatInstant(s));
        QVERIFY(parsed.ok());
        QCOMPARE(*parsed, s);
    }
}

void TstTime::relativeTime_namesLargestUnit_data()
{
    QTest::addColumn<qint64>("delta");
    QTest::addColumn<QString>("text");

    QTest::newRow("same instant") << qint64(0) << QStringLiteral("just now");
    QTest::newRow("4 s ahead") << qint64(4) << QStringLiteral("just now");
    QTest::newRow("4 s behind") << qint64(-4) << QStringLiteral("just now");
    QTest::newRow("30 s ahead") << qint64(30) << QStringLiteral("in 30 s");
    QTest::newRow("30 s behind") << qint64(-30) << QStringLiteral("30 s ago");
    QTest::newRow("4 min ahead") << qint64(4 * 60 + 59) << QStringLiteral("in 4 min");
    QTest::newRow("59 min behind") << qint64(-3599) << QStringLiteral("59 min ago");
    QTest::newRow("2 h behind") << qint64(-2 * 3600 - 120) << QStringLiteral("2 h ago");
    QTest::newRow("23 h ahead") << qint64(86399) << QStringLiteral("in 23 h");
    QTest::newRow("3 d ahead") << qint64(3 * 86400 + 7000) << QStringLiteral("in 3 d");
    QTest::newRow("400 d behind") << qint64(-400 * 86400) << QStringLiteral("400 d ago");
}

void TstTime::relativeTime_namesLargestUnit()
{
    QFETCH(qint64, delta);
    QFETCH(QString, text);
    const qint64 now = 1767225600;
    QCOMPARE(util::relativeTime(now + delta, now), text);
}

void TstTime::relativeTime_extremeValuesDoNotOverflow()
{
    // exp claims are attacker-chosen: the extremes of the integer range must still give a text.
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    constexpr qint64 kMin = std::numeric_limits<qint64>::min();
    QVERIFY(util::relativeTime(kMax, -1000).startsWith(QStringLiteral("in ")));
    QVERIFY(util::relativeTime(kMin, 1000).endsWith(QStringLiteral(" ago")));
    QVERIFY(util::relativeTime(kMin, kMax).endsWith(QStringLiteral(" ago")));
    QVERIFY(!util::formatInstant(kMax).isEmpty());
}

QTEST_GUILESS_MAIN(TstTime)
#include "tst_time.moc"
