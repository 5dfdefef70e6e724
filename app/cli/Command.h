// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCommandLineParser>
#include <QIODevice>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>
#include <vector>

namespace jwb::cli {

// Exit codes shared by every verb (a contract).
enum ExitCode : int {
    ExitOk = 0,         // accepted / no findings
    ExitRejected = 1,   // rejected / findings (each verb documents which)
    ExitUsage = 2,      // usage, policy or input error; the message is on stderr
};

// Where a command reads and writes; tests pass buffers, main() passes the process streams.
struct CliIo {
    QTextStream& out;
    QTextStream& err;
    QIODevice& in;
    bool outIsTerminal = false;
    bool errIsTerminal = false; // progress bars are drawn only on a terminal
};

// One sub-command of jwt-policy. A new verb is one new file plus one line in Commands.cpp.
class Command {
public:
    virtual ~Command() = default;
    virtual QString name() const = 0;
    virtual QString description() const = 0;
    // Adds the verb's options and positional arguments to `parser` (--help/--version are added by
    // the caller).
    virtual void defineOptions(QCommandLineParser& parser) const = 0;
    // Runs with a parser that has already processed the arguments successfully.
    virtual int run(const QCommandLineParser& parser, CliIo& io) const = 0;
};

std::vector<std::unique_ptr<Command>> allCommands();

// Entry point shared by main() and the in-process tests: `args` starts with the program name.
int runCli(const QStringList& args, CliIo& io);

} // namespace jwb::cli
