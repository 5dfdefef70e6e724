// SPDX-License-Identifier: Apache-2.0
// Rules about time: how long a token lives and how much clock skew stretches it.

#include "lint/LintRule.h"

namespace jwb::lint::detail {

namespace {

constexpr qint64 kMaxRecommendedSkewSeconds = 60;
constexpr qint64 kMaxRecommendedLifetimeSeconds = 3600;

struct NumberSource {
    QString path;
    QString issuer;
    QString scope;
    qint64 value = 0;
};

QList<NumberSource> exceptionNumbers(const Context& context, std::optional<qint64> (*pick)(const policy::ExceptionAllow&),
                                     const QString& field)
{
    QList<NumberSource> sources;
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        const std::optional<qint64> value = pick(e.allow);
        if (!value || !e.activeAt(context.atDateTime()))
            continue;
        sources.append({QStringLiteral("exceptions[%1].allow.").arg(i) + field, e.issuer,
                        QStringLiteral("exception '%1' for issuer '%2'").arg(e.id, e.issuer), *value});
    }
    return sources;
}

void checkSkew(const Rule& self, const Context& context, FindingSink& sink)
{
    QList<NumberSource> sources;
    for (const IssuerView& view : context.views()) {
        sources.append({view.pathOf(Field::ClockSkewSeconds), context.issuerOf(view, Field::ClockSkewSeconds),
                        context.scopeOf(view, Field::ClockSkewSeconds), view.rules.clockSkewSeconds});
    }
    sources += exceptionNumbers(
        context,
        [](const policy::ExceptionAllow& a) -> std::optional<qint64> {
            return a.clockSkewSeconds ? std::optional<qint64>(*a.clockSkewSeconds) : std::nullopt;
        },
        QStringLiteral("clock_skew_seconds"));
    for (const NumberSource& source : sources) {
        if (source.value <= kMaxRecommendedSkewSeconds)
            continue;
        sink.report(self, source.path, source.issuer,
                    QStringLiteral("Clock skew of %1 in %2: expired tokens stay valid, and not-yet-valid ones "
                                   "become valid, that much earlier or later. Synchronised clocks need a few "
                                   "seconds; keep it at 60 s or less.")
                        .arg(durationText(source.value), source.scope));
    }
}

void checkLifetimeMissing(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (view.rules.maxLifetimeSeconds)
            continue;
        sink.report(self, view.pathOf(Field::MaxLifetimeSeconds), context.issuerOf(view, Field::MaxLifetimeSeconds),
                    QStringLiteral("No max_lifetime_seconds in %1: a token minted to live for a year is accepted "
                                   "as long as exp says so, and a leaked token stays usable that long. Set a "
                                   "limit (3600 s or less for access tokens).")
                        .arg(context.scopeOf(view, Field::MaxLifetimeSeconds)));
    }
}

void checkLifetimeAboveHour(const Rule& self, const Context& context, FindingSink& sink)
{
    QList<NumberSource> sources;
    for (const IssuerView& view : context.views()) {
        if (view.rules.maxLifetimeSeconds) {
            sources.append({view.pathOf(Field::MaxLifetimeSeconds),
                            context.issuerOf(view, Field::MaxLifetimeSeconds),
                            context.scopeOf(view, Field::MaxLifetimeSeconds), *view.rules.maxLifetimeSeconds});
        }
    }
    sources += exceptionNumbers(
        context, [](const policy::ExceptionAllow& a) { return a.maxLifetimeSeconds; },
        QStringLiteral("max_lifetime_seconds"));
    for (const NumberSource& source : sources) {
        if (source.value <= kMaxRecommendedLifetimeSeconds)
            continue;
        sink.report(self, source.path, source.issuer,
                    QStringLiteral("Maximum token lifetime of %1 in %2: a leaked token can be replayed for that "
                                   "long. Bearer access tokens should live an hour or less.")
                        .arg(durationText(source.value), source.scope));
    }
}

void checkExpRequired(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (view.rules.requiredClaims.contains(QStringLiteral("exp")))
            continue;
        sink.report(self, view.pathOf(Field::RequiredClaims), context.issuerOf(view, Field::RequiredClaims),
                    QStringLiteral("'exp' is not a required claim in %1: a token without an expiry is accepted "
                                   "and never expires. Add exp to required_claims.")
                        .arg(context.scopeOf(view, Field::RequiredClaims)));
    }
}

} // namespace

QList<Rule> timeRules()
{
    return {
        {{QStringLiteral("skew-above-60"), Severity::Warning, QStringLiteral("Clock skew above 60 seconds"),
          QStringLiteral("RFC 7519 §4.1.4")},
         checkSkew},
        {{QStringLiteral("lifetime-missing"), Severity::Warning, QStringLiteral("No maximum token lifetime"),
          QStringLiteral("RFC 6819 §5.1.5.3, RFC 7519 §4.1.6")},
         checkLifetimeMissing},
        {{QStringLiteral("lifetime-above-1h"), Severity::Warning,
          QStringLiteral("Maximum token lifetime above one hour"), QStringLiteral("RFC 6819 §5.1.5.3, RFC 7519 §4.1.4")},
         checkLifetimeAboveHour},
        {{QStringLiteral("exp-not-required"), Severity::Error, QStringLiteral("The exp claim is not required"),
          QStringLiteral("RFC 7519 §4.1.4, RFC 6819 §5.1.5.3")},
         checkExpRequired},
    };
}

} // namespace jwb::lint::detail
