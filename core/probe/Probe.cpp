// SPDX-License-Identifier: Apache-2.0
// The probe's value types: status ranges, names, the JSON report (a contract) and its exit code.
#include "probe/Probe.h"

#include <QJsonArray>

#include <algorithm>

namespace jwb::probe {

bool StatusRanges::contains(int status) const
{
    return std::any_of(ranges.begin(), ranges.end(),
                       [status](const QPair<int, int>& r) { return status >= r.first && status <= r.second; });
}

QString StatusRanges::toString() const
{
    QStringList parts;
    for (const auto& [low, high] : ranges)
        parts << (low == high ? QString::number(low) : QStringLiteral("%1-%2").arg(low).arg(high));
    return parts.join(u',');
}

Result<StatusRanges> StatusRanges::parse(QStringView text)
{
    auto bad = [&text](const QString& why) {
        return Error{QStringLiteral("ERR_PROBE_STATUS_RANGE"),
                     QStringLiteral("'%1' is not a list of HTTP statuses or ranges such as 200-299,304: %2")
                         .arg(text.toString(), why),
                     {}};
    };
    StatusRanges result;
    for (QStringView part : text.split(u',')) {
        part = part.trimmed();
        if (part.isEmpty())
            return bad(QStringLiteral("empty item"));
        const qsizetype dash = part.indexOf(u'-');
        bool okLow = false;
        bool okHigh = false;
        const int low = (dash < 0 ? part : part.left(dash)).trimmed().toInt(&okLow);
        const int high = dash < 0 ? low : part.mid(dash + 1).trimmed().toInt(&okHigh);
        if (!okLow || (dash >= 0 && !okHigh))
            return bad(QStringLiteral("'%1' is not a number or range").arg(part.toString()));
        if (low < 100 || high > 599 || low > high)
            return bad(QStringLiteral("'%1' is outside 100..599 or reversed").arg(part.toString()));
        result.ranges.append({low, high});
    }
    return result;
}

QString observedName(Observed o)
{
    switch (o) {
    case Observed::Accepted: return QStringLiteral("accepted");
    case Observed::Rejected: return QStringLiteral("rejected");
    case Observed::Inconclusive: break;
    }
    return QStringLiteral("inconclusive");
}

QString outcomeName(Outcome o)
{
    switch (o) {
    case Outcome::Conforms: return QStringLiteral("conforms");
    case Outcome::AcceptsRejected: return QStringLiteral("accepts_rejected");
    case Outcome::RejectsAccepted: return QStringLiteral("rejects_accepted");
    case Outcome::Inconclusive: break;
    }
    return QStringLiteral("inconclusive");
}

QJsonObject probeReportToJson(const ProbeReport& report)
{
    QJsonArray results;
    for (const ProbeResult& r : report.results) {
        QJsonObject result{
            {QStringLiteral("variant"), r.variant},
            {QStringLiteral("class"), r.variantClass},
            {QStringLiteral("control"), r.control},
            {QStringLiteral("expected"), r.expectedAccepted ? QStringLiteral("accepted") : QStringLiteral("rejected")},
            {QStringLiteral("expected_step"), r.expectedStep},
            {QStringLiteral("observed"), observedName(r.observed)},
            {QStringLiteral("http_status"), r.httpStatus},
            {QStringLiteral("result"), outcomeName(r.result)},
            {QStringLiteral("fingerprint"), r.fingerprint},
        };
        // Additive to the contract: why a result is inconclusive (never any part of the token).
        if (!r.error.isEmpty())
            result.insert(QStringLiteral("error"), r.error);
        results.append(result);
    }
    const QJsonObject summary{
        {QStringLiteral("conforms"), report.conforms},
        {QStringLiteral("accepts_rejected"), report.acceptsRejected},
        {QStringLiteral("rejects_accepted"), report.rejectsAccepted},
        {QStringLiteral("inconclusive"), report.inconclusive},
        {QStringLiteral("not_covered"), QJsonArray::fromStringList(report.notCovered)},
    };
    return {{QStringLiteral("url"), report.url},
            {QStringLiteral("issuer"), report.issuer},
            {QStringLiteral("margin_seconds"), report.marginSeconds},
            {QStringLiteral("summary"), summary},
            {QStringLiteral("results"), results}};
}

int probeExitCode(const ProbeReport& report)
{
    return report.acceptsRejected > 0 || report.rejectsAccepted > 0 ? 1 : 0;
}

} // namespace jwb::probe
