// SPDX-License-Identifier: Apache-2.0
// jwt-policy: the command-line face of the shared core.
#include "Command.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <unistd.h>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("jwt-policy"));
    QCoreApplication::setOrganizationName(QStringLiteral("jwt-policy-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(JWB_VERSION));

    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return jwb::cli::ExitUsage;
    QTextStream out(stdout);
    QTextStream err(stderr);
    jwb::cli::CliIo io{out, err, in, isatty(fileno(stdout)) != 0, isatty(fileno(stderr)) != 0};
    return jwb::cli::runCli(QCoreApplication::arguments(), io);
}
