// SPDX-License-Identifier: Apache-2.0
// jwt-policy: the command-line face of the shared core.
#include "Command.h"

#include <QCoreApplication>
#include <QFile>
#ifdef JWB_HAVE_REPORT
#include <QGuiApplication>
#endif

#include <cstdio>
#include <memory>
#include <unistd.h>

int main(int argc, char* argv[])
{
    // Only the report verb lays out text (fonts, QTextDocument) and so needs a QGuiApplication; it
    // renders offscreen unless the user chose a platform. Every other verb stays GUI-free.
    std::unique_ptr<QCoreApplication> app;
#ifdef JWB_HAVE_REPORT
    if (argc > 1 && qstrcmp(argv[1], "report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    }
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
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
