// SPDX-License-Identifier: Apache-2.0
// jwt-workbench: the policy editor. Little more than argument handling; the window lives in jwb_ui.
#include "views/MainWindow.h"
#include "views/Screenshots.h"
#include "views/WorkbenchPages.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication::setApplicationName(QStringLiteral("jwt-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("JWT Policy Workbench"));
    QApplication::setOrganizationName(QStringLiteral("jwt-policy-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(JWB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Author a JWT verification policy visually: issuers and audiences, algorithm pins, keys, "
                       "defaults and dated exceptions. Without FILE the embedded sample policy is shown."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the main views at 1280x800 as PNG files into DIR, then exit."), QStringLiteral("DIR"));
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Policy file to open (YAML or JSON)."),
                                 QStringLiteral("[FILE]"));

    // Parsed before QApplication exists, so --help and --version work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "jwt-workbench: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(help) || parser.isSet(QStringLiteral("help-all"))) {
        // Without an application object Qt cannot know the program name; say it.
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                        QStringLiteral("jwt-workbench"))),
                   stdout);
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("jwt-workbench %s\n", JWB_VERSION);
        return 0;
    }
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "jwt-workbench: at most one policy file can be opened\n");
        return 2;
    }
    // Rendering screenshots needs no display.
    if (parser.isSet(screenshot) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    // Lets Wayland compositors match the window to the installed desktop entry.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.jwtworkbench.JwtPolicyWorkbench"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/jwt-workbench.svg")));

    jwb::ui::MainWindow window;
    jwb::ui::installWorkbenchPages(window);
    const QString file = parser.positionalArguments().value(0);
    if (parser.isSet(screenshot) || file.isEmpty()) {
        if (file.isEmpty() || !window.openFile(file))
            window.loadSample();
    }

    if (parser.isSet(screenshot)) {
        const auto written = jwb::ui::renderScreenshots(window, parser.value(screenshot));
        if (!written) {
            std::fprintf(stderr, "jwt-workbench: %s\n", qPrintable(written.error().toString()));
            return 1;
        }
        for (const QString& path : written.value())
            std::printf("%s\n", qPrintable(path));
        return 0;
    }

    window.show();
    if (file.isEmpty()) {
        // After the window is up, so the question has a parent on screen.
        QTimer::singleShot(0, &window, [&window] { window.checkForRecovery(); });
    } else {
        // The window is up at once; a large policy loads behind it (the sample if it cannot be opened).
        window.openFileInBackground(file, [&window](bool opened) {
            if (!opened)
                window.loadSample();
            window.checkForRecovery();
        });
    }
    return QApplication::exec();
}
