// SPDX-License-Identifier: Apache-2.0
// jwt-policy verify --policy FILE [--at TIME] [--format text|json] [TOKEN | -]
#include "CliSupport.h"

#include "verify/PolicyVerifier.h"

namespace jwb::cli {

namespace {

class VerifyCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("verify"); }
    QString description() const override { return QStringLiteral("Verify one token under a policy and print the trace."); }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(atOption());
        parser.addOption(formatOption());
        parser.addPositionalArgument(QStringLiteral("TOKEN"),
                                     QStringLiteral("The token, a file holding it, or '-' for standard input (default)."),
                                     QStringLiteral("[TOKEN | -]"));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        auto inputs = readVerbInputs(parser);
        if (!inputs)
            return reportError(io, name(), inputs.error());
        const auto token = readTokenArg(parser, io);
        if (!token)
            return reportError(io, name(), token.error());

        const verify::PolicyVerifier verifier(std::move(inputs.value().policy));
        return printTrace(io, inputs->format, verifier.verify(*token, verify::VerifyOptions{inputs->at}));
    }
};

} // namespace

std::unique_ptr<Command> makeVerifyCommand() { return std::make_unique<VerifyCommand>(); }

} // namespace jwb::cli
