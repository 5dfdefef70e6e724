// SPDX-License-Identifier: Apache-2.0
// jwt-policy rehearse --policy FILE --issuer ISS --publish T0 --sign T1 --retire T2 [--format text|json]
// Exit 1 when good tokens would be rejected during the rotation (by any rehearsed verifier, or
// because old-key tokens outlive the old key), 0 otherwise.
#include "CliSupport.h"

#include "keys/RotationRehearsal.h"
#include "util/Time.h"

namespace jwb::cli {

namespace {

QCommandLineOption issuerOption()
{
    return {QStringLiteral("issuer"), QStringLiteral("The issuer (exact iss) whose key rotates."), QStringLiteral("ISS")};
}
QCommandLineOption instantOption(const QString& name, const QString& what)
{
    return {name, what + QStringLiteral(" (RFC 3339 or Unix seconds)."), QStringLiteral("TIME")};
}

class RehearseCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("rehearse"); }
    QString description() const override
    {
        return QStringLiteral("Rehearse a key rotation against caching verifiers; exit 1 if good tokens are rejected.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(issuerOption());
        parser.addOption(instantOption(QStringLiteral("publish"), QStringLiteral("T0: the new key appears in the JWKS")));
        parser.addOption(instantOption(QStringLiteral("sign"), QStringLiteral("T1: tokens are signed with the new key")));
        parser.addOption(instantOption(QStringLiteral("retire"), QStringLiteral("T2: the old key leaves the JWKS")));
        parser.addOption(formatOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const auto format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        keys::RotationPlan plan;
        const std::pair<const char16_t*, qint64*> instants[] = {
            {u"publish", &plan.publishAt}, {u"sign", &plan.signAt}, {u"retire", &plan.retireAt}};
        for (const auto& [option, target] : instants) {
            const QString optionName = QString::fromUtf16(option);
            if (!parser.isSet(optionName))
                return reportError(io, name(), Error{QStringLiteral("ERR_USAGE_ARGS"),
                                                     QStringLiteral("--%1 TIME is required").arg(optionName), {}});
            const auto parsed = util::parseInstant(parser.value(optionName));
            if (!parsed)
                return reportError(io, name(), parsed.error());
            *target = *parsed;
        }
        const auto loaded = loadPolicyArg(parser);
        if (!loaded)
            return reportError(io, name(), loaded.error());
        const policy::Issuer* issuer = loaded->findIssuer(parser.value(issuerOption()));
        if (!issuer)
            return reportError(io, name(), Error{QStringLiteral("ERR_USAGE_ISSUER"),
                                                 QStringLiteral("the policy has no issuer '%1'").arg(parser.value(issuerOption())),
                                                 {}});
        const auto report = keys::rehearseRotation(*loaded, *issuer, plan);
        if (!report)
            return reportError(io, name(), report.error());

        if (*format == OutputFormat::Json) {
            printJson(io, keys::rehearsalToJson(*report));
        } else {
            io.out << "Rotation of " << report->issuer << ": publish " << util::formatInstant(plan.publishAt) << ", sign "
                   << util::formatInstant(plan.signAt) << ", retire " << util::formatInstant(plan.retireAt) << "\n\n";
            for (const keys::TargetRehearsal& t : report->targets) {
                io.out << QStringLiteral("%1 ").arg(t.behaviour.target, -8);
                if (!t.behaviour.fetchesKeys)
                    io.out << "pinned keys: ";
                else
                    io.out << QStringLiteral("good tokens rejected up to %1 s (mean %2 s); retired key accepted up to %3 s: ")
                                  .arg(t.goodTokensRejected.worstSeconds)
                                  .arg(t.goodTokensRejected.meanSeconds)
                                  .arg(t.retiredKeyAccepted.worstSeconds);
                io.out << t.behaviour.source << '\n';
                for (const QString& advice : t.advice)
                    io.out << "         - " << advice << '\n';
            }
            if (report->inFlightOldTokensRejected.worstSeconds > 0)
                io.out << QStringLiteral("\nOld-key tokens signed just before T1 live %1 s: retiring at T2 rejects them for "
                                         "up to %2 s. Retire no earlier than %3.\n")
                              .arg(report->maxTokenLifetime)
                              .arg(report->inFlightOldTokensRejected.worstSeconds)
                              .arg(util::formatInstant(plan.signAt + report->maxTokenLifetime));
        }
        return report->anyGoodTokenRejected() ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeRehearseCommand() { return std::make_unique<RehearseCommand>(); }

} // namespace jwb::cli
