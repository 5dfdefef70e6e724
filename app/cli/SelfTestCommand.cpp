// SPDX-License-Identifier: Apache-2.0
// jwt-policy selftest --policy FILE [--at TIME] [--format text|json|sarif]
// Runs the known attack variants against every issuer; exit 1 when the policy accepts any.
#include "CliSupport.h"

#include "verify/SelfTest.h"

namespace jwb::cli {

namespace {

class SelfTestCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("selftest"); }
    QString description() const override
    {
        return QStringLiteral("Attack the policy with adversarial tokens; exit 1 if any is accepted.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(atOption());
        parser.addOption(formatOption(SarifSupport::Yes));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const auto inputs = readVerbInputs(parser, SarifSupport::Yes);
        if (!inputs)
            return reportError(io, name(), inputs.error());

        const verify::SelfTestReport report = verify::runSelfTest(inputs->policy, inputs->at);
        if (inputs->format == OutputFormat::Sarif) {
            printSarif(io, report::selfTestToSarif(inputs->policy, report, sarifContext(parser.value(policyOption()))));
        } else if (inputs->format == OutputFormat::Json) {
            printJson(io, verify::selfTestToJson(report));
        } else {
            for (const verify::SelfTestVariant& v : report.variants) {
                QString outcome;
                if (!v.applicable) {
                    outcome = QStringLiteral("n/a       ") + v.notApplicableReason;
                } else if (v.accepted) {
                    outcome = QStringLiteral("ACCEPTED  ") + v.finding;
                } else {
                    const verify::TraceStep* f = v.trace.firstFailure();
                    outcome = QStringLiteral("rejected  at %1: %2").arg(f ? verify::stepIdName(f->id) : QString(),
                                                                       f ? f->reason() : QString());
                }
                io.out << QStringLiteral("%1  %2  %3\n").arg(v.id.leftJustified(34), v.issuer, outcome);
            }
            for (const QString& note : report.notes)
                io.out << "note: " << note << '\n';
            io.out << QStringLiteral("%1 variant(s) run, %2 accepted\n").arg(report.variants.size()).arg(report.acceptedCount());
        }
        return report.acceptedCount() > 0 ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeSelfTestCommand() { return std::make_unique<SelfTestCommand>(); }

} // namespace jwb::cli
