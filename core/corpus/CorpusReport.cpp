// SPDX-License-Identifier: Apache-2.0
#include "corpus/CorpusReport.h"

#include "util/Time.h"

#include <QJsonArray>
#include <QLocale>

namespace jwb::corpus {

namespace {

QString grouped(qint64 n)
{
    // Thousands separators whatever the user's locale: summaries are quoted in tickets and reviews.
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n);
}

QJsonArray toArray(const QStringList& list)
{
    QJsonArray a;
    for (const QString& s : list)
        a.append(s);
    return a;
}

QJsonArray stepsJson(const QList<StepBucket>& buckets)
{
    QJsonArray a;
    for (const StepBucket& b : buckets) {
        a.append(QJsonObject{{QStringLiteral("step"), verify::stepIdName(b.step)},
                             {QStringLiteral("code"), b.code},
                             {QStringLiteral("reason"), b.reason},
                             {QStringLiteral("reason_varies"), b.reasonVaries},
                             {QStringLiteral("count"), b.count},
                             {QStringLiteral("distinct"), b.distinct},
                             {QStringLiteral("fingerprints"), toArray(b.fingerprints)}});
    }
    return a;
}

QJsonArray groupsJson(const QList<GroupBucket>& groups, const QString& nameKey)
{
    QJsonArray a;
    for (const GroupBucket& g : groups) {
        a.append(QJsonObject{{nameKey, g.name},
                             {QStringLiteral("count"), g.count},
                             {QStringLiteral("distinct"), g.distinct},
                             {QStringLiteral("accepted"), g.accepted},
                             {QStringLiteral("rejected"), g.rejected},
                             {QStringLiteral("fingerprints"), toArray(g.fingerprints)}});
    }
    return a;
}

void insertPolicy(QJsonObject& o, const PolicyReport& p)
{
    o.insert(QStringLiteral("policy"),
             QJsonObject{{QStringLiteral("name"), p.policyName}, {QStringLiteral("revision"), p.policyRevision}});
    o.insert(QStringLiteral("accepted"), p.accepted);
    o.insert(QStringLiteral("rejected"), p.rejected);
    o.insert(QStringLiteral("by_step"), stepsJson(p.byStep));
    o.insert(QStringLiteral("by_issuer"), groupsJson(p.byIssuer, QStringLiteral("issuer")));
    o.insert(QStringLiteral("by_audience"), groupsJson(p.byAudience, QStringLiteral("audience")));
}

} // namespace

QString directionName(VerdictChange::Direction d)
{
    return d == VerdictChange::Direction::NewlyRejected ? QStringLiteral("newly_rejected")
                                                        : QStringLiteral("newly_accepted");
}

QString VerdictChange::summary() const
{
    const QString tokens = count == 1 ? QStringLiteral("token") : QStringLiteral("tokens");
    const QString from = issuer.isEmpty() ? QStringLiteral("without iss") : QStringLiteral("from ") + issuer;
    const QString at = QStringLiteral("`") + verify::stepIdName(step) + QStringLiteral("`");
    const QString why = reasonVaries ? QStringLiteral("e.g. ") + reason : reason;
    if (direction == Direction::NewlyRejected)
        return QStringLiteral("B rejects %1 %2 %3 at %4: %5").arg(grouped(count), tokens, from, at, why);
    return QStringLiteral("B accepts %1 %2 %3 that A rejects at %4: %5").arg(grouped(count), tokens, from, at, why);
}

qint64 CorpusReport::changedCount() const
{
    qint64 n = 0;
    for (const VerdictChange& c : changes)
        n += c.count;
    return n;
}

QJsonObject CorpusReport::toJson() const
{
    QJsonObject o{{QStringLiteral("complete"), complete},
                  {QStringLiteral("cancelled"), cancelled},
                  {QStringLiteral("at"), util::formatInstant(atUnixSeconds)},
                  {QStringLiteral("threads"), threads},
                  {QStringLiteral("elapsed_ms"), elapsedMs},
                  {QStringLiteral("files"), toArray(files)},
                  {QStringLiteral("bytes"), bytes},
                  {QStringLiteral("lines"), lines},
                  {QStringLiteral("lines_without_token"), linesWithoutToken},
                  {QStringLiteral("overlong_lines"), overlongLines},
                  {QStringLiteral("tokens"), tokens},
                  {QStringLiteral("distinct"), distinct},
                  {QStringLiteral("unverified"), unverified}};
    insertPolicy(o, policyA);
    QJsonArray changeArray;
    for (const VerdictChange& c : changes) {
        changeArray.append(QJsonObject{{QStringLiteral("direction"), directionName(c.direction)},
                                       {QStringLiteral("issuer"), c.issuer},
                                       {QStringLiteral("step"), verify::stepIdName(c.step)},
                                       {QStringLiteral("code"), c.code},
                                       {QStringLiteral("reason"), c.reason},
                                       {QStringLiteral("reason_varies"), c.reasonVaries},
                                       {QStringLiteral("count"), c.count},
                                       {QStringLiteral("distinct"), c.distinct},
                                       {QStringLiteral("summary"), c.summary()},
                                       {QStringLiteral("fingerprints"), toArray(c.fingerprints)}});
    }
    if (policyB) {
        QJsonObject b;
        insertPolicy(b, *policyB);
        o.insert(QStringLiteral("compare"), b);
    }
    o.insert(QStringLiteral("changed"), changedCount());
    o.insert(QStringLiteral("changes"), changeArray);
    return o;
}

} // namespace jwb::corpus
