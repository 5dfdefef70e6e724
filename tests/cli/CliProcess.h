// SPDX-License-Identifier: Apache-2.0
// Runs the built jwt-policy (JWT_POLICY_BIN, passed in by CMake) as a process, for the CLI tests.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

#include <functional>

namespace jwb::testing {

struct RunResult {
    int exitCode = -1; // -1 when the process did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
};

struct RunOptions {
    QByteArray stdinData;
    int timeoutMs = 120000;
    // Runs in the child between fork and exec, for limits that must not touch the test process
    // itself (setrlimit, signal dispositions). Only async-signal-safe calls belong here.
    std::function<void()> inChild;
};

inline RunResult runCli(const QStringList& args, const RunOptions& options)
{
    QProcess p;
    p.setProgram(QStringLiteral(JWT_POLICY_BIN));
    p.setArguments(args);
    if (options.inChild)
        p.setChildProcessModifier(options.inChild);
    p.start();
    if (!p.waitForStarted())
        return {};
    p.write(options.stdinData);
    p.closeWriteChannel();
    // A hung process is a failure (-1), never the exit code 0 QProcess reports while it still runs.
    const bool finished = p.waitForFinished(options.timeoutMs);
    if (!finished) {
        p.kill();
        p.waitForFinished();
    }
    return {finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline RunResult runCli(const QStringList& args, const QByteArray& stdinData = {}, int timeoutMs = 120000)
{
    return runCli(args, RunOptions{stdinData, timeoutMs, {}});
}

} // namespace jwb::testing
