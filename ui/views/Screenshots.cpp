// SPDX-License-Identifier: Apache-2.0
#include "views/Screenshots.h"

#include "editors/DefaultsEditor.h"
#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "editors/MatrixEditor.h"
#include "models/PolicyDocument.h"
#include "models/ProblemsModel.h"
#include "views/CorpusView.h"
#include "views/ExportView.h"
#include "views/MainWindow.h"
#include "views/ProblemsPanel.h"
#include "views/RotationView.h"
#include "views/SelfTestView.h"
#include "views/TokenLabView.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QPixmap>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeView>

#include <functional>

namespace jwb::ui {

namespace {

// The sample token's evaluation instant: it verifies then (resources/tokens/sample-valid.jwt).
constexpr qint64 kSampleInstant = 1793527800; // 2026-11-01T10:10:00Z
constexpr int kWaitMs = 60 * 1000;

void settle()
{
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

// Runs the event loop until `done` or the bound: a page working in the background is shown finished.
bool waitFor(const std::function<bool()>& done)
{
    const QDeadlineTimer deadline(kWaitMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

// Three kinds of line from the embedded sample: the valid token, the same with its signature
// altered, and a line that is no token at all.
QStringList sampleTokenLines()
{
    QFile file(QStringLiteral(":/tokens/sample-valid.jwt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString valid = QString::fromLatin1(file.readAll()).trimmed();
    QString tampered = valid;
    if (!tampered.isEmpty())
        tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
    return {valid, tampered, QStringLiteral("not-a-token")};
}

} // namespace

Result<QStringList> renderScreenshots(MainWindow& window, const QString& directory)
{
    if (!QDir().mkpath(directory))
        return Error{QStringLiteral("ERR_SCREENSHOT_DIR"), QStringLiteral("Cannot create the directory."), directory};
    PolicyDocument* document = window.document();
    const policy::Policy original = document->policy();
    const QString originalPath = document->filePath();
    QTabWidget* pages = window.pages();
    auto* tokenLab = window.findChild<TokenLabView*>(QStringLiteral("tokenLabPage"));
    auto* selfTest = window.findChild<SelfTestView*>(QStringLiteral("selfTestPage"));
    auto* corpus = window.findChild<CorpusView*>(QStringLiteral("corpusPage"));
    auto* exportView = window.findChild<ExportView*>(QStringLiteral("exportPage"));
    auto* rotation = window.findChild<RotationView*>(QStringLiteral("rotationPage"));
    QTemporaryDir corpusDir;

    struct Shot {
        QString name;
        std::function<bool()> prepare; // false: the page did not get ready in time
    };
    const auto page = [pages](QWidget* w) {
        pages->setCurrentWidget(w);
        return true;
    };
    QList<Shot> shots = {
        {QStringLiteral("matrix"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(0);
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::GeneralPage);
             return true;
         }},
        {QStringLiteral("issuer-keys"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(2); // billing: its own key and the one its exception adds
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::KeysPage);
             return true;
         }},
        {QStringLiteral("issuer-overrides"),
         [&] {
             pages->setCurrentIndex(0);
             window.matrixEditor()->selectIssuer(2); // billing: the exception's HS256 shows on the pin
             window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::RulesPage);
             return true;
         }},
        {QStringLiteral("defaults"), [&] { return page(window.defaultsEditor()); }},
        {QStringLiteral("exceptions"),
         [&] {
             page(window.exceptionsEditor());
             window.exceptionsEditor()->selectRow(0);
             return true;
         }},
    };
    if (tokenLab)
        shots.append({QStringLiteral("tokenlab"), [&] {
                          page(tokenLab);
                          tokenLab->setEvaluationInstant(kSampleInstant);
                          const QStringList lines = sampleTokenLines();
                          tokenLab->setTokenText(lines.join(u'\n'));
                          tokenLab->selectToken(1);
                          return waitFor([&] {
                              return tokenLab->result().tokens.size() == lines.size() && tokenLab->result().selected == 1
                                     && tokenLab->result().detail.has_value();
                          });
                      }});
    if (selfTest)
        shots.append({QStringLiteral("selftest"), [&] {
                          page(selfTest);
                          selfTest->setEvaluationInstant(kSampleInstant);
                          selfTest->run();
                          return waitFor([&] { return !selfTest->isRunning(); });
                      }});
    if (corpus)
        shots.append({QStringLiteral("corpus"), [&] {
                          page(corpus);
                          if (!corpusDir.isValid())
                              return false;
                          // A small log: the sample token, its tampered copy and junk, repeated.
                          const QString path = corpusDir.filePath(QStringLiteral("gateway.log"));
                          QFile log(path);
                          if (!log.open(QIODevice::WriteOnly))
                              return false;
                          const QStringList lines = sampleTokenLines();
                          for (int i = 0; i < 40; ++i)
                              log.write(QStringLiteral("GET /pay Authorization: Bearer %1\n")
                                            .arg(lines.at(i % 7 == 0 ? 1 : i % 11 == 0 ? 2 : 0))
                                            .toLatin1());
                          log.close();
                          corpus->setEvaluationInstant(kSampleInstant);
                          corpus->analyzeFiles({path});
                          return waitFor([&] { return !corpus->isRunning(); });
                      }});
    if (exportView)
        shots.append({QStringLiteral("export"), [&] {
                          page(exportView);
                          exportView->setExportInstant(kSampleInstant);
                          exportView->setTarget(exporting::Target::Envoy);
                          return true;
                      }});
    if (rotation)
        shots.append({QStringLiteral("rotation"), [&] {
                          page(rotation);
                          rotation->setIssuer(QStringLiteral("https://login.example.com/"));
                          rotation->setPlan({kSampleInstant, kSampleInstant + 300, kSampleInstant + 1800});
                          return true;
                      }});
    shots.append({QStringLiteral("problems"), [&] {
                      // Show a live finding and the matrix flag: let the partner issuer mint ledger-api
                      // tokens, an audience the workforce domain already uses.
                      const int ledger = static_cast<int>(document->audiences().indexOf(QStringLiteral("ledger-api")));
                      if (ledger >= 0 && document->issuerCount() > 1)
                          (void)document->setAudienceAllowed(1, ledger, true);
                      window.problemsPanel()->model()->refresh();
                      pages->setCurrentIndex(0);
                      window.matrixEditor()->selectIssuer(1);
                      window.issuerDetails()->setCurrentPage(IssuerDetailsEditor::GeneralPage);
                      window.resizeDocks({window.problemsPanel()}, {window.height() * 3 / 8}, Qt::Vertical);
                      window.problemsPanel()->view()->clearSelection();
                      return true;
                  }});

    QStringList written;
    for (const QSize size : {kScreenshotSize, kSmallestWindowSize}) {
        // Every size starts from the same document and layout (the problems shot edits the policy).
        document->reset(original, originalPath);
        window.resize(size);
        window.show();
        window.resizeDocks({window.problemsPanel()}, {150}, Qt::Vertical);
        settle();
        const QString suffix = size == kScreenshotSize ? QString()
                                                       : QStringLiteral("-%1x%2").arg(size.width()).arg(size.height());
        for (const Shot& shot : std::as_const(shots)) {
            if (!shot.prepare())
                return Error{QStringLiteral("ERR_SCREENSHOT_TIMEOUT"),
                             QStringLiteral("The page did not finish its work in time."), shot.name};
            settle();
            const QString path = QDir(directory).filePath(shot.name + suffix + QStringLiteral(".png"));
            if (!window.grab().save(path, "PNG"))
                return Error{QStringLiteral("ERR_SCREENSHOT_WRITE"), QStringLiteral("Cannot write the PNG file."), path};
            written.append(path);
        }
    }
    return written;
}

} // namespace jwb::ui
