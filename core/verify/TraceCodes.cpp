// SPDX-License-Identifier: Apache-2.0
#include "verify/TraceCodes.h"

#include <QHash>

namespace jwb::verify {

namespace {

constexpr bool isCodeString(std::u16string_view s)
{
    if (s.size() < 4)
        return false;
    for (const char16_t c : s) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    }
    return true;
}

constexpr bool tableInOrder()
{
    for (std::size_t i = 0; i < std::size(kTraceCodes); ++i) {
        if (static_cast<std::size_t>(kTraceCodes[i].id) != i)
            return false;
    }
    return true;
}

constexpr bool everyCodeHasAMessage()
{
    for (const TraceCodeInfo& info : kTraceCodes) {
        if (info.message.empty() || !isCodeString(info.code))
            return false;
    }
    return true;
}

constexpr bool codeStringsUnique()
{
    for (std::size_t i = 0; i < std::size(kTraceCodes); ++i) {
        for (std::size_t j = i + 1; j < std::size(kTraceCodes); ++j) {
            if (kTraceCodes[i].code == kTraceCodes[j].code)
                return false;
        }
    }
    return true;
}

static_assert(std::size(kTraceCodes) == kTraceCodeCount, "one table entry per TraceCode");
static_assert(tableInOrder(), "kTraceCodes lists the codes in the order of TraceCode");
static_assert(everyCodeHasAMessage(), "every code has a message and an upper-case code string");
static_assert(codeStringsUnique(), "a code string names one code");

} // namespace

std::optional<TraceCode> traceCodeFromString(QStringView code)
{
    // Read by many threads at once; built once, never changed.
    static const QHash<QStringView, TraceCode> index = [] {
        QHash<QStringView, TraceCode> byString;
        byString.reserve(static_cast<qsizetype>(kTraceCodeCount));
        for (const TraceCodeInfo& info : kTraceCodes)
            byString.insert(QStringView(info.code.data(), static_cast<qsizetype>(info.code.size())), info.id);
        return byString;
    }();
    const auto it = index.constFind(code);
    if (it == index.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace jwb::verify
