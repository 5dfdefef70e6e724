// SPDX-License-Identifier: Apache-2.0
// The registry of jwt-policy verbs and the shared dispatcher. A new verb: one file, one line below.
#include "CliSupport.h"
#include "Command.h"

#include <QCoreApplication>

namespace jwb::cli {

std::unique_ptr<Command> makeVerifyCommand();
std::unique_ptr<Command> makeSignatureCommand();
std::unique_ptr<Command> makeLintCommand();
std::unique_ptr<Command> makeDiffCommand();
std::unique_ptr<Command> makeSchemaCommand();
std::unique_ptr<Command> makeExportCommand();
std::unique_ptr<Command> makeGapsCommand();
std::unique_ptr<Command> makeDriftCommand();
std::unique_ptr<Command> makeSelfTestCommand();
std::unique_ptr<Command> makeCheckCommand();
std::unique_ptr<Command> makeRehearseCommand();
std::unique_ptr<Command> makeKeysCommand();
std::unique_ptr<Command> makeProbeCommand();
std::unique_ptr<Command> makeEstateCommand();
#ifdef JWB_HAVE_REPORT
std::unique_ptr<Command> makeReportCommand(); // built with the UI: it renders through QtGui
#endif
// Registration declarations (one per verb).

std::vector<std::unique_ptr<Command>> allCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(makeVerifyCommand());
    commands.push_back(makeSignatureCommand());
    commands.push_back(makeLintCommand());
    commands.push_back(makeDiffCommand());
    commands.push_back(makeSchemaCommand());
    commands.push_back(makeExportCommand());
    commands.push_back(makeGapsCommand());
    commands.push_back(makeDriftCommand());
    commands.push_back(makeSelfTestCommand());
    commands.push_back(makeCheckCommand());
    commands.push_back(makeRehearseCommand());
    commands.push_back(makeKeysCommand());
    commands.push_back(makeProbeCommand());
    commands.push_back(makeEstateCommand());
#ifdef JWB_HAVE_REPORT
    commands.push_back(makeReportCommand());
#endif
    // Registrations (one per verb).
    return commands;
}

namespace {

QString programUsage(const std::vector<std::unique_ptr<Command>>& commands)
{
    QString text = QStringLiteral("Usage: jwt-policy VERB [options]\n\n"
                                  "Checks JSON Web Tokens against a verification policy, the same way in\n"
                                  "every gateway and service.\n\nVerbs:\n");
    for (const auto& c : commands)
        text += QStringLiteral("  %1%2\n").arg(c->name(), -12).arg(c->description());
    text += QStringLiteral("\nRun 'jwt-policy VERB --help' for a verb's options.\n"
                           "Exit codes: 0 accepted / no findings, 1 rejected / findings, 2 usage or input error.\n");
    return text;
}

} // namespace

int runCli(const QStringList& args, CliIo& io)
{
    const auto commands = allCommands();
    const QString verb = args.size() > 1 ? args.at(1) : QString();
    if (verb.isEmpty() || verb == u"--help" || verb == u"-h" || verb == u"help") {
        (verb.isEmpty() ? io.err : io.out) << programUsage(commands);
        io.out.flush();
        io.err.flush();
        return verb.isEmpty() ? ExitUsage : ExitOk;
    }
    if (verb == u"--version" || verb == u"-v") {
        io.out << "jwt-policy " << QStringLiteral(JWB_VERSION) << '\n';
        io.out.flush();
        return ExitOk;
    }
    for (const auto& command : commands) {
        if (command->name() != verb)
            continue;
        QCommandLineParser parser;
        parser.setApplicationDescription(command->description());
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                      QStringLiteral("Displays help on this verb."));
        const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Displays version information."));
        parser.addOption(help);
        parser.addOption(version);
        command->defineOptions(parser);
        QStringList verbArgs = args.mid(1);
        verbArgs[0] = QStringLiteral("jwt-policy ") + verb;
        if (!parser.parse(verbArgs)) {
            io.err << "jwt-policy " << verb << ": " << parser.errorText() << '\n';
            io.err.flush();
            return ExitUsage;
        }
        if (parser.isSet(help)) {
            io.out << verbHelpText(parser, verb);
            io.out.flush();
            return ExitOk;
        }
        if (parser.isSet(version)) {
            io.out << "jwt-policy " << QStringLiteral(JWB_VERSION) << '\n';
            io.out.flush();
            return ExitOk;
        }
        const int code = command->run(parser, io);
        io.out.flush();
        io.err.flush();
        return code;
    }
    io.err << "jwt-policy: unknown verb '" << verb << "'\n\n" << programUsage(commands);
    io.err.flush();
    return ExitUsage;
}

} // namespace jwb::cli
