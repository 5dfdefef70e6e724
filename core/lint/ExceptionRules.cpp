// SPDX-License-Identifier: Apache-2.0
// Rules about dated exceptions: a loosening is acceptable only while it is owned, explained and dated.

#include "lint/LintRule.h"

#include "util/Time.h"

namespace jwb::lint::detail {

namespace {

constexpr qint64 kExpiringSoonSeconds = 14 * 86400;

QString exceptionPath(int index)
{
    return QStringLiteral("exceptions[%1]").arg(index);
}

void checkExpired(const Rule& self, const Context& context, FindingSink& sink)
{
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (e.activeAt(context.atDateTime()))
            continue;
        sink.report(self, exceptionPath(i) + QStringLiteral(".expires"), e.issuer,
                    QStringLiteral("Exception '%1' expired on %2 and no longer changes anything. Remove it, or, "
                                   "if the migration it covered is not done, renew it deliberately with a new "
                                   "date and review.")
                        .arg(e.id, expiryText(e)));
    }
}

void checkExpiring(const Rule& self, const Context& context, FindingSink& sink)
{
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.activeAt(context.atDateTime()))
            continue;
        const qint64 left = e.expires.toSecsSinceEpoch() - context.at();
        if (left > kExpiringSoonSeconds)
            continue;
        sink.report(self, exceptionPath(i) + QStringLiteral(".expires"), e.issuer,
                    QStringLiteral("Exception '%1' expires on %2, %3: tokens that pass only because of it will "
                                   "then be rejected. Finish the migration it covers or plan its renewal.")
                        .arg(e.id, expiryText(e), util::relativeTime(e.expires.toSecsSinceEpoch(), context.at())));
    }
}

void checkOwner(const Rule& self, const Context& context, FindingSink& sink)
{
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.owner.trimmed().isEmpty())
            continue;
        sink.report(self, exceptionPath(i) + QStringLiteral(".owner"), e.issuer,
                    QStringLiteral("Exception '%1' has no owner: nobody is accountable for ending the loosening "
                                   "it grants. Name the team that will remove it.")
                        .arg(e.id));
    }
}

void checkReason(const Rule& self, const Context& context, FindingSink& sink)
{
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.reason.trimmed().isEmpty())
            continue;
        sink.report(self, exceptionPath(i) + QStringLiteral(".reason"), e.issuer,
                    QStringLiteral("Exception '%1' gives no reason: a reviewer cannot tell why the loosening is "
                                   "needed or when it can end. Say what it covers and where it is tracked.")
                        .arg(e.id));
    }
}

void checkIssuer(const Rule& self, const Context& context, FindingSink& sink)
{
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (context.policy().findIssuer(e.issuer))
            continue;
        sink.report(self, exceptionPath(i) + QStringLiteral(".issuer"), e.issuer,
                    QStringLiteral("Exception '%1' names issuer '%2', which the policy does not trust: it applies "
                                   "to nothing, or to a look-alike issuer added later.")
                        .arg(e.id, e.issuer));
    }
}

} // namespace

QList<Rule> exceptionRules()
{
    const QString reference = QStringLiteral("jwt-policy format v1: exceptions");
    return {
        {{QStringLiteral("exception-no-owner"), Severity::Error, QStringLiteral("An exception has no owner"),
          reference},
         checkOwner},
        {{QStringLiteral("exception-unknown-issuer"), Severity::Error,
          QStringLiteral("An exception names an issuer the policy does not have"), reference},
         checkIssuer},
        {{QStringLiteral("exception-expired"), Severity::Warning, QStringLiteral("An exception has expired"),
          reference},
         checkExpired},
        {{QStringLiteral("exception-expiring"), Severity::Warning,
          QStringLiteral("An exception expires within 14 days"), reference},
         checkExpiring},
        {{QStringLiteral("exception-no-reason"), Severity::Warning, QStringLiteral("An exception gives no reason"),
          reference},
         checkReason},
    };
}

} // namespace jwb::lint::detail
