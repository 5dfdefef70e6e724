// SPDX-License-Identifier: Apache-2.0
// Runs the built jwt-policy (JWT_POLICY_BIN, passed in by CMake) as a process, for the CLI tests.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace jwb::testing {

struct RunResult {
    int exitCode = -1; // -1 when the process did not start or crashed
    QByteArray out;
    QByteArray err;
};

inline RunResult runCli(const QStringList& args, const QByteArray& stdinData = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.setProgram(QStringLiteral(JWT_POLICY_BIN));
    p.setArguments(args);
    p.start();
    if (!p.waitForStarted())
        return {};
    p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace jwb::testing
