// SPDX-License-Identifier: Apache-2.0
#include "views/Screenshots.h"

#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "editors/MatrixEditor.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"
#include "views/MainWindow.h"
#include "views/ProblemsPanel.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTabWidget>
#include <QTableView>

#include <functional>

namespace jwb::ui {

Result<QStringList> renderScreenshots(MainWindow& window, const QString& directory)
{
    if (!QDir().mkpath(directory))
        return Error{QStringLiteral("ERR_SCREENSHOT_DIR"), QStringLiteral("Cannot create the directory."), directory};
    window.resize(kScreenshotSize);
    window.show();
    QApplication::processEvents();

    const auto settle = [] {
        for (int i = 0; i < 5; ++i)
            QApplication::processEvents();
    };
    struct Shot {
        QString name;
        std::function<void()> prepare;
    };
    QTabWidget* pages = window.pages();
    const QList<Shot> shots = {
        {QStringLiteral("matrix.png"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(0);
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::GeneralPage);
         }},
        {QStringLiteral("issuer-keys.png"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(1);
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::KeysPage);
         }},
        {QStringLiteral("issuer-overrides.png"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(1);
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::RulesPage);
         }},
        {QStringLiteral("defaults.png"), [&] { pages->setCurrentIndex(1); }},
        {QStringLiteral("exceptions.png"),
         [&] {
             pages->setCurrentIndex(2);
             window.exceptionsEditor()->selectRow(0);
         }},
        {QStringLiteral("problems.png"),
         [&] {
             // Show a live finding and the matrix flag: let the partner issuer mint ledger-api
             // tokens, an audience the workforce domain already uses.
             PolicyDocument* document = window.document();
             const int ledger = static_cast<int>(document->audiences().indexOf(QStringLiteral("ledger-api")));
             if (ledger >= 0 && document->issuerCount() > 1)
                 (void)document->setAudienceAllowed(1, ledger, true);
             window.problemsPanel()->model()->refresh();
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(1);
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::GeneralPage);
             window.resizeDocks({window.problemsPanel()}, {300}, Qt::Vertical);
             window.problemsPanel()->view()->clearSelection();
         }},
    };
    QStringList written;
    for (const Shot& shot : shots) {
        shot.prepare();
        settle();
        const QString path = QDir(directory).filePath(shot.name);
        if (!window.grab().save(path, "PNG"))
            return Error{QStringLiteral("ERR_SCREENSHOT_WRITE"), QStringLiteral("Cannot write the PNG file."), path};
        written.append(path);
    }
    return written;
}

} // namespace jwb::ui
