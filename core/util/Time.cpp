// SPDX-License-Identifier: Apache-2.0
#include "util/Time.h"

#include <QDate>
#include <QTime>

#include <limits>
#include <optional>

namespace jwb::util {

namespace {

// 9999-12-31T23:59:59Z: the last instant RFC 3339 can write, and a bound that keeps arithmetic safe.
constexpr qint64 kMaxUnixSeconds = 253402300799;

Error formatError(const QString& why)
{
    return Error{QStringLiteral("ERR_TIME_FORMAT"),
                 QStringLiteral("%1; expected Unix seconds (\"1767225600\") or RFC 3339 (\"2026-01-01T00:00:00Z\")")
                     .arg(why),
                 QString()};
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// Reads `count` decimal digits at `pos`; nullopt unless all are ASCII digits.
std::optional<int> digitsAt(const QString& text, qsizetype pos, int count)
{
    if (pos + count > text.size())
        return std::nullopt;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = text.at(pos + i);
        if (!isDigit(c))
            return std::nullopt;
        v = v * 10 + (c.unicode() - u'0');
    }
    return v;
}

bool charAt(const QString& text, qsizetype pos, char16_t expected)
{
    return pos < text.size() && text.at(pos) == QChar(expected);
}

Result<qint64> parseUnixSeconds(const QString& text)
{
    if (text.size() > 12)
        return formatError(QStringLiteral("Unix seconds out of range"));
    qint64 v = 0;
    for (const QChar c : text) {
        if (!isDigit(c))
            return formatError(QStringLiteral("\"%1\" is not a valid time").arg(text.left(40)));
        v = v * 10 + (c.unicode() - u'0');
    }
    if (v > kMaxUnixSeconds)
        return formatError(QStringLiteral("Unix seconds out of range"));
    return v;
}

// RFC 3339 section 5.6 date-time: full-date "T" partial-time time-offset, fraction optional.
Result<qint64> parseRfc3339(const QString& text)
{
    const auto bad = [&text]() {
        return formatError(QStringLiteral("\"%1\" is not a valid time").arg(text.left(40)));
    };
    const auto year = digitsAt(text, 0, 4);
    const auto month = digitsAt(text, 5, 2);
    const auto day = digitsAt(text, 8, 2);
    const auto hour = digitsAt(text, 11, 2);
    const auto minute = digitsAt(text, 14, 2);
    const auto second = digitsAt(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || !charAt(text, 4, u'-') || !charAt(text, 7, u'-')
        || !(charAt(text, 10, u'T') || charAt(text, 10, u't')) || !charAt(text, 13, u':')
        || !charAt(text, 16, u':'))
        return bad();

    qsizetype pos = 19;
    if (charAt(text, pos, u'.')) {
        ++pos;
        const qsizetype fractionStart = pos;
        while (pos < text.size() && isDigit(text.at(pos)))
            ++pos;
        if (pos == fractionStart)
            return bad();
        // The fraction is truncated: the engine works in whole seconds, like NumericDate claims.
    }

    int offsetSeconds = 0;
    if (charAt(text, pos, u'Z') || charAt(text, pos, u'z')) {
        ++pos;
    } else if (charAt(text, pos, u'+') || charAt(text, pos, u'-')) {
        const bool negative = text.at(pos) == u'-';
        const auto offHour = digitsAt(text, pos + 1, 2);
        const auto offMinute = digitsAt(text, pos + 4, 2);
        if (!offHour || !offMinute || !charAt(text, pos + 3, u':') || *offHour > 23 || *offMinute > 59)
            return bad();
        offsetSeconds = (*offHour * 3600 + *offMinute * 60) * (negative ? -1 : 1);
        pos += 6;
    } else {
        return bad();
    }
    if (pos != text.size())
        return bad();

    const QDate date(*year, *month, *day);
    // A leap second (":60") is the same Unix instant as the following second, as POSIX counts time.
    const bool leapSecond = *second == 60;
    const QTime time(*hour, *minute, leapSecond ? 59 : *second);
    if (!date.isValid() || !time.isValid())
        return bad();
    const QDateTime utc(date, time, Qt::UTC);
    const qint64 seconds = utc.toSecsSinceEpoch() + (leapSecond ? 1 : 0) - offsetSeconds;
    if (seconds < 0 || seconds > kMaxUnixSeconds)
        return formatError(QStringLiteral("the instant is outside 1970-01-01..9999-12-31"));
    return seconds;
}

} // namespace

Result<qint64> parseInstant(const QString& text)
{
    if (text.isEmpty())
        return formatError(QStringLiteral("empty time"));
    // Unix seconds are plain digits; anything with a date separator is RFC 3339. A sign is refused:
    // instants before 1970 have no use in token validation and "-5" reads like a command-line flag.
    if (text.size() < 5 || text.at(4) != u'-')
        return parseUnixSeconds(text);
    return parseRfc3339(text);
}

QString formatInstant(qint64 unixSeconds)
{
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(unixSeconds, Qt::UTC);
    if (!utc.isValid())
        return QStringLiteral("(out of range: %1)").arg(unixSeconds);
    return utc.toString(Qt::ISODate);
}

QString relativeTime(qint64 unixSeconds, qint64 now)
{
    // Differences of a few seconds are clock noise for a person reading a trace.
    constexpr qint64 kJustNow = 5;
    // Claim values are attacker-chosen: saturate instead of overflowing.
    qint64 delta = 0;
    if (__builtin_sub_overflow(unixSeconds, now, &delta))
        delta = unixSeconds > now ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    const qint64 magnitude = delta < 0 ? (delta == std::numeric_limits<qint64>::min() ? std::numeric_limits<qint64>::max() : -delta) : delta;
    if (magnitude < kJustNow)
        return QStringLiteral("just now");
    QString amount;
    if (magnitude < 60)
        amount = QStringLiteral("%1 s").arg(magnitude);
    else if (magnitude < 3600)
        amount = QStringLiteral("%1 min").arg(magnitude / 60);
    else if (magnitude < 86400)
        amount = QStringLiteral("%1 h").arg(magnitude / 3600);
    else
        amount = QStringLiteral("%1 d").arg(magnitude / 86400);
    return delta > 0 ? QStringLiteral("in ") + amount : amount + QStringLiteral(" ago");
}

} // namespace jwb::util
