// SPDX-License-Identifier: Apache-2.0
// The lint driver: builds the per-issuer context, runs every rule table in order, and sorts the
// findings so that the same policy always gives the same report.

#include "lint/Lint.h"

#include "lint/LintRule.h"

#include <algorithm>

namespace jwb::lint {

namespace detail {

namespace {

// A message names at most this many inheriting issuers; a reviewer needs examples, not a census.
constexpr int kMaxNamedIssuers = 5;

QList<Rule> ruleTable()
{
    QList<Rule> rules;
    for (const auto& table : {policyRules(), algorithmRules(), headerRules(), timeRules(), issuerRules(),
                              keyRules(), exceptionRules(), delegationRules()})
        rules += table;
    return rules;
}

// Path parents for the file line of a field that was not written (a missing max_lifetime_seconds
// is reported on its section): "issuers[1].overrides.x" -> "issuers[1].overrides" -> "issuers[1]".
QString parentPath(const QString& path)
{
    if (path.endsWith(u']')) {
        const qsizetype open = path.lastIndexOf(u'[');
        return open > 0 ? path.left(open) : QString();
    }
    const qsizetype dot = path.lastIndexOf(u'.');
    return dot > 0 ? path.left(dot) : QString();
}

} // namespace

QString IssuerView::issuerPath() const
{
    return index < 0 ? QStringLiteral("defaults") : QStringLiteral("issuers[%1]").arg(index);
}

QString IssuerView::issuerName() const
{
    return issuer ? issuer->issuer : QString();
}

bool IssuerView::inherits(Field field) const
{
    return !issuer || !isSet(issuer->overrides, field);
}

QString IssuerView::pathOf(Field field) const
{
    if (inherits(field))
        return QStringLiteral("defaults.") + fieldName(field);
    return issuerPath() + QStringLiteral(".overrides.") + fieldName(field);
}

Context::Context(const policy::Policy& policy, qint64 atUnixSeconds)
    : m_policy(policy)
    , m_at(atUnixSeconds)
{
    m_views.reserve(policy.issuers.size());
    for (int i = 0; i < policy.issuers.size(); ++i) {
        const policy::Issuer& issuer = policy.issuers.at(i);
        m_views.append(IssuerView{i, &issuer, policy.effectiveRules(issuer)});
    }
    if (m_views.isEmpty()) {
        policy::EffectiveRules rules;
        rules.apply(policy.defaults);
        m_views.append(IssuerView{-1, nullptr, rules});
    }
    for (int f = 0; f < kFieldCount; ++f) {
        const auto field = static_cast<Field>(f);
        // The count, and only the names a message can show: not a list of 10,000 issuers per field.
        int inheriting = 0;
        QStringList named;
        for (const IssuerView& v : m_views) {
            if (v.issuer && v.inherits(field)) {
                if (named.size() < kMaxNamedIssuers)
                    named.append(v.issuerName());
                ++inheriting;
            }
        }
        if (inheriting == 0)
            m_defaultsScope[f] = QStringLiteral("defaults");
        else if (inheriting == 1)
            m_defaultsScope[f] = QStringLiteral("defaults (inherited by issuer '%1')").arg(named.first());
        else if (inheriting <= kMaxNamedIssuers)
            m_defaultsScope[f] = QStringLiteral("defaults (inherited by %1 issuers: %2)")
                                     .arg(inheriting)
                                     .arg(quotedList(named));
        else
            m_defaultsScope[f] = QStringLiteral("defaults (inherited by %1 issuers: %2 and %3 more)")
                                     .arg(inheriting)
                                     .arg(quotedList(named))
                                     .arg(inheriting - kMaxNamedIssuers);
        if (inheriting == 1)
            m_soleInheritor[f] = named.first();
    }
}

QString Context::scopeOf(const IssuerView& view, Field field) const
{
    if (!view.inherits(field))
        return QStringLiteral("issuer '%1'").arg(view.issuerName());
    return m_defaultsScope[static_cast<int>(field)];
}

QString Context::issuerOf(const IssuerView& view, Field field) const
{
    // A defaults finding is reported once for all inheriting issuers; it names the issuer only when
    // there is just one.
    return view.inherits(field) ? m_soleInheritor[static_cast<int>(field)] : view.issuerName();
}

FindingSink::FindingSink(const policy::Policy& policy)
    : m_policy(policy)
{
}

void FindingSink::report(const Rule& rule, const QString& path, const QString& issuer, const QString& message)
{
    const QString key = rule.info.id + u'\n' + path + u'\n' + message;
    if (m_seen.contains(key))
        return;
    m_seen.insert(key);
    Finding finding;
    finding.ruleId = rule.info.id;
    finding.severity = rule.info.severity;
    finding.message = message;
    finding.reference = rule.info.reference;
    finding.path = path;
    finding.issuer = issuer;
    finding.line = lineFor(path);
    m_findings.append(finding);
}

int FindingSink::lineFor(const QString& path) const
{
    for (QString p = path; !p.isEmpty(); p = parentPath(p)) {
        const auto it = m_policy.sourceLines.constFind(p);
        if (it != m_policy.sourceLines.constEnd() && it.value() > 0)
            return it.value();
    }
    return 0;
}

QList<Finding> FindingSink::takeFindings()
{
    return std::exchange(m_findings, {});
}

QString quotedList(const QStringList& items)
{
    QStringList quoted;
    quoted.reserve(items.size());
    for (const QString& item : items)
        quoted.append(u'\'' + item + u'\'');
    return quoted.join(QStringLiteral(", "));
}

QString durationText(qint64 seconds)
{
    // Exact units only: "90 min" rather than a rounded "1.5 h", so the reviewer sees the real value.
    if (seconds >= 86400 && seconds % 86400 == 0)
        return QStringLiteral("%1 d").arg(seconds / 86400);
    if (seconds >= 3600 && seconds % 3600 == 0)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    if (seconds >= 60 && seconds % 60 == 0)
        return QStringLiteral("%1 min").arg(seconds / 60);
    return QStringLiteral("%1 s").arg(seconds);
}

QString expiryText(const policy::PolicyException& e)
{
    // A date is stored as the exclusive end of the named day (the next midnight, UTC).
    if (e.expiresIsDate)
        return e.expires.toUTC().addSecs(-1).date().toString(Qt::ISODate);
    return e.expires.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace detail

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Error: return QStringLiteral("error");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Info: return QStringLiteral("info");
    }
    return {};
}

QList<RuleInfo> allRules()
{
    QList<RuleInfo> infos;
    for (const detail::Rule& rule : detail::ruleTable())
        infos.append(rule.info);
    return infos;
}

QList<Finding> lintPolicy(const policy::Policy& policy, qint64 atUnixSeconds)
{
    const detail::Context context(policy, atUnixSeconds);
    detail::FindingSink sink(policy);
    for (const detail::Rule& rule : detail::ruleTable())
        rule.check(rule, context, sink);
    QList<Finding> findings = sink.takeFindings();
    // Errors first; within a severity, rule table order then policy order, as produced.
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return static_cast<int>(a.severity) < static_cast<int>(b.severity);
    });
    return findings;
}

} // namespace jwb::lint
