// SPDX-License-Identifier: Apache-2.0
// jwt-policy gaps --policy FILE [--at TIME] [--format text|json|sarif]
//
// The enforcement-gap report of every gateway target (envoy, istio, kong, nginx, opa, ...) and every
// service target (service:jose, ...) as one table:
// for every (target, issuer, control) whether the target enforces it, emulates it (how), or does
// not (why; the service behind it must then verify with the core's rules).
// Exit 1 when a control is not_enforced on a target the policy's deployments mark only_verifier,
// 0 otherwise, 2 on usage or policy errors.
//
// JSON (--format json):
//   {"policy": NAME, "at": RFC3339, "targets": ["envoy", ...], "controls": ["algorithm_pin", ...],
//    "gaps": [{"target", "issuer", "control", "status": "enforced"|"emulated"|"not_enforced",
//              "detail", "exported", "policy", "blocking": bool}],
//    "blocking": COUNT}
// "exported"/"policy" are the values on each side where the control has one ("60 s", "30 s"),
// else "".
#include "CliSupport.h"

#include "export/Export.h"
#include "util/Time.h"

#include <QJsonArray>

#include <algorithm>

namespace jwb::cli {

QJsonArray gapsToJson(const QList<exporting::GapEntry>& gaps, const policy::Policy& policy)
{
    QJsonArray list;
    for (const auto& g : gaps) {
        list.append(QJsonObject{
            {QStringLiteral("target"), g.target},
            {QStringLiteral("issuer"), g.issuer},
            {QStringLiteral("control"), g.control},
            {QStringLiteral("status"), exporting::gapStatusName(g.status)},
            {QStringLiteral("detail"), g.detail},
            {QStringLiteral("exported"), g.exported},
            {QStringLiteral("policy"), g.policy},
            {QStringLiteral("blocking"), exporting::isBlockingGap(policy, g)},
        });
    }
    return list;
}

QJsonObject gapCountsToJson(const exporting::GapCounts& counts)
{
    return {{QStringLiteral("enforced"), counts.enforced},
            {QStringLiteral("emulated"), counts.emulated},
            {QStringLiteral("not_enforced"), counts.notEnforced},
            {QStringLiteral("not_used"), counts.notUsed}};
}

QString gapsToText(const QList<exporting::GapEntry>& gaps, const policy::Policy& policy)
{
    // Every not_enforced detail ends with the same advice; the table says it once, at the end.
    static const QString advice = QStringLiteral("; the service behind it must verify locally with the core's rules");
    QString text;
    QString lastHeading;
    for (const auto& g : gaps) {
        const QString heading = g.target + QStringLiteral("  ") + g.issuer;
        if (heading != lastHeading) {
            text += (lastHeading.isEmpty() ? QString() : QStringLiteral("\n")) + heading + u'\n';
            lastHeading = heading;
        }
        QString values;
        if (!g.exported.isEmpty() || !g.policy.isEmpty())
            values = QStringLiteral(" [exported %1, policy %2]")
                         .arg(g.exported.isEmpty() ? QStringLiteral("-") : g.exported,
                              g.policy.isEmpty() ? QStringLiteral("-") : g.policy);
        text += QStringLiteral("  %1 %2 %3%4%5\n")
                    .arg(g.control, -17)
                    .arg(exporting::gapStatusName(g.status), -12)
                    .arg(QString(g.detail).remove(advice), values,
                         exporting::isBlockingGap(policy, g) ? QStringLiteral("  << only verifier") : QString());
    }
    if (std::any_of(gaps.cbegin(), gaps.cend(),
                    [](const exporting::GapEntry& g) { return g.status == exporting::GapStatus::NotEnforced; }))
        text += QStringLiteral("\nnot_enforced: the service behind that target must verify locally with the core's rules.\n");
    return text;
}

namespace {

class GapsCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("gaps"); }
    QString description() const override
    {
        return QStringLiteral("What each gateway export enforces, emulates or loses, per issuer and control.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(formatOption(SarifSupport::Yes));
        parser.addOption(atOption());
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        if (const Status none = noPositionalArguments(parser); !none)
            return reportError(io, name(), none.error());
        const auto inputs = readVerbInputs(parser, SarifSupport::Yes);
        if (!inputs)
            return reportError(io, name(), inputs.error());
        const auto& [format, at, policy] = *inputs;
        exporting::ExportProfile profile;
        profile.atUnixSeconds = at;
        const auto gaps = exporting::gapReport(policy, profile);
        if (!gaps)
            return reportError(io, name(), gaps.error());
        int blocking = 0;
        for (const auto& g : *gaps)
            blocking += exporting::isBlockingGap(policy, g) ? 1 : 0;

        if (format == OutputFormat::Sarif) {
            printSarif(io, report::gapsToSarif(policy, *gaps, sarifContext(parser.value(policyOption()))));
        } else if (format == OutputFormat::Json) {
            QJsonArray targets;
            for (auto t : exporting::gatewayTargets() + exporting::serviceTargets())
                targets.append(exporting::targetName(t));
            printJson(io, QJsonObject{
                              {QStringLiteral("policy"), policy.name},
                              {QStringLiteral("at"), util::formatInstant(at)},
                              {QStringLiteral("targets"), targets},
                              {QStringLiteral("controls"), QJsonArray::fromStringList(exporting::controlIds())},
                              {QStringLiteral("gaps"), gapsToJson(*gaps, policy)},
                              {QStringLiteral("summary"), gapCountsToJson(exporting::countGaps(*gaps))},
                              {QStringLiteral("blocking"), blocking},
                          });
        } else {
            io.out << gapsToText(*gaps, policy);
            const exporting::GapCounts counts = exporting::countGaps(*gaps);
            io.out << QStringLiteral("\n%1 enforced, %2 emulated, %3 not enforced, %4 not used by the policy; %5 "
                                     "blocking (not enforced on an only_verifier target)\n")
                          .arg(counts.enforced)
                          .arg(counts.emulated)
                          .arg(counts.notEnforced)
                          .arg(counts.notUsed)
                          .arg(blocking);
            io.out.flush();
        }
        return blocking > 0 ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeGapsCommand()
{
    return std::make_unique<GapsCommand>();
}

} // namespace jwb::cli
