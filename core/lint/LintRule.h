// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/lint: the shape of one rule and the context every rule reads. Rules are small
// functions grouped by topic (AlgorithmRules.cpp, TimeRules.cpp, ...); Lint.cpp runs them in table order.

#include "lint/Lint.h"
#include "policy/RuleField.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace jwb::lint::detail {

// The inheritable fields of policy::Rules, by their file names.
using Field = policy::RuleField;
using policy::fieldName;
using policy::isSet;

// One issuer as the engine sees it: its effective rules, and where each of them was written.
// With no issuer in the policy, a single view of the defaults (issuer == nullptr) stands in, so a
// policy template is still reviewed.
struct IssuerView {
    int index = -1;                        // position in Policy::issuers, -1 for the defaults stand-in
    const policy::Issuer* issuer = nullptr;
    policy::EffectiveRules rules;

    QString issuerPath() const;            // "issuers[2]"
    QString issuerName() const;            // the issuer string, empty for the stand-in
    bool inherits(Field field) const;      // value comes from defaults (or the built-in value)
    QString pathOf(Field field) const;     // "issuers[2].overrides.clock_skew_seconds" or "defaults.…"
};

class Context final {
public:
    Context(const policy::Policy& policy, qint64 atUnixSeconds);

    const policy::Policy& policy() const { return m_policy; }
    qint64 at() const { return m_at; }
    QDateTime atDateTime() const { return QDateTime::fromSecsSinceEpoch(m_at, Qt::UTC); }
    const QList<IssuerView>& views() const { return m_views; }

    // Names who is concerned by a value read through `view.pathOf(field)`, for messages:
    // "issuer https://a/" or "defaults (inherited by 2 issuers: https://a/, https://b/)". The text is
    // the same for every issuer inheriting the value, so the finding is reported once.
    QString scopeOf(const IssuerView& view, Field field) const;
    // The issuer a finding at that path concerns: the issuer for overrides, empty for defaults.
    QString issuerOf(const IssuerView& view, Field field) const;

private:
    static constexpr int kFieldCount = static_cast<int>(Field::MaxTokenBytes) + 1;

    const policy::Policy& m_policy;
    qint64 m_at;
    QList<IssuerView> m_views;
    // Per field: how the defaults are described and who inherits them, computed once so that a
    // policy with thousands of issuers lints in linear time (the GUI lints after every edit).
    QString m_defaultsScope[kFieldCount];
    QString m_soleInheritor[kFieldCount]; // the issuer when exactly one inherits, else empty
};

struct Rule;

// Collects findings: fills severity, reference and file line from the rule and the policy, and
// drops exact repeats (the same inherited value seen from several issuers).
class FindingSink final {
public:
    explicit FindingSink(const policy::Policy& policy);
    void report(const Rule& rule, const QString& path, const QString& issuer, const QString& message);
    QList<Finding> takeFindings();

private:
    int lineFor(const QString& path) const;

    const policy::Policy& m_policy;
    QList<Finding> m_findings;
    QSet<QString> m_seen;
};

struct Rule {
    RuleInfo info;
    void (*check)(const Rule& self, const Context& context, FindingSink& sink) = nullptr;
};

// The rule tables, one per topic, in the order findings are produced.
QList<Rule> policyRules();
QList<Rule> algorithmRules();
QList<Rule> headerRules();
QList<Rule> timeRules();
QList<Rule> issuerRules();
QList<Rule> keyRules();
QList<Rule> exceptionRules();
QList<Rule> delegationRules();

// Shared helpers for messages.
QString quotedList(const QStringList& items); // "'a', 'b'"
QString durationText(qint64 seconds);         // "90 s", "2 h", "3 d"
QString expiryText(const policy::PolicyException& e); // as written: "2027-03-31" or an RFC 3339 instant

} // namespace jwb::lint::detail
