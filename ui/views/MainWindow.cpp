// SPDX-License-Identifier: Apache-2.0
#include "views/MainWindow.h"

#include "editors/DefaultsEditor.h"
#include "editors/ExceptionsEditor.h"
#include "editors/IssuerDetailsEditor.h"
#include "editors/MatrixEditor.h"
#include "models/AutosaveController.h"
#include "models/PolicyDocument.h"
#include "policy/PolicyIO.h"
#include "models/ProblemsModel.h"
#include "views/ProblemsPanel.h"
#include "dialogs/ReviewReportDialog.h"

#if __has_include("dialogs/AboutDialog.h")
#include "dialogs/AboutDialog.h"
#define JWB_HAVE_ABOUT_DIALOG 1
#endif

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QTableView>
#include <QUndoStack>
#include <QUrl>

namespace jwb::ui {

namespace {

const QString kRecentFilesKey = QStringLiteral("recentFiles");
constexpr int kMaxRecentFiles = 8;
constexpr int kStatusTimeoutMs = 15 * 1000;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new PolicyDocument(this)), m_autosave(new AutosaveController(m_document, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/jwt-workbench.svg")));
    setAcceptDrops(true);

    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("pageTabs"));
    m_pages->setAccessibleName(tr("Pages"));
    m_pages->setDocumentMode(true);
    setCentralWidget(m_pages);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("policyPage"));
    splitter->setChildrenCollapsible(false);
    m_policyPage = splitter;
    m_matrix = new MatrixEditor(m_document, splitter);
    m_details = new IssuerDetailsEditor(m_document, splitter);
    m_details->setMinimumWidth(440);
    splitter->addWidget(m_matrix);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({680, 600});
    m_pages->addTab(splitter, tr("Policy"));
    m_pages->setTabToolTip(0, tr("Issuers, audiences and each issuer's keys and overrides."));

    m_defaults = new DefaultsEditor(m_document);
    m_defaults->setObjectName(QStringLiteral("defaultsPage"));
    m_pages->addTab(m_defaults, tr("Defaults"));
    m_pages->setTabToolTip(1, tr("Rules every issuer inherits."));

    m_exceptions = new ExceptionsEditor(m_document);
    m_exceptions->setObjectName(QStringLiteral("exceptionsPage"));
    m_pages->addTab(m_exceptions, tr("Exceptions"));
    m_pages->setTabToolTip(2, tr("Dated, owned loosenings for one issuer."));

    m_problems = new ProblemsPanel(m_document, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_problems);
    resizeDocks({m_problems}, {150}, Qt::Vertical);

    m_problemSummary = new QLabel(this);
    m_problemSummary->setObjectName(QStringLiteral("problemSummaryLabel"));
    statusBar()->addPermanentWidget(m_problemSummary);

    createActions();
    createMenus();

    connect(m_matrix, &MatrixEditor::currentIssuerChanged, m_details, &IssuerDetailsEditor::setIssuerRow);
    connect(m_problems, &ProblemsPanel::navigateRequested, this, [this](const QString& path) {
        if (!goToField(path))
            statusBar()->showMessage(tr("No editor shows %1.").arg(path), kStatusTimeoutMs);
    });
    connect(m_problems->model(), &QAbstractItemModel::modelReset, this,
            [this] { m_problemSummary->setText(m_problems->summary()); });
    connect(m_document, &PolicyDocument::policyChanged, this, &MainWindow::policyChanged);
    connect(m_document, &PolicyDocument::metaChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PolicyDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PolicyDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &PolicyDocument::editRefused, this,
            [this](const QString& message) { statusBar()->showMessage(message, kStatusTimeoutMs); });
    connect(m_document, &PolicyDocument::resetDone, this, [this] {
        if (m_document->issuerCount() > 0)
            m_matrix->selectIssuer(0);
    });

    m_loader.setMaxThreadCount(1);
    connect(m_autosave, &AutosaveController::writeFailed, this, [this](const Error& error) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(error.toString()), kStatusTimeoutMs);
    });

    resize(1280, 800);
    m_document->newPolicy();
    updateTitle();
}

MainWindow::~MainWindow()
{
    m_loader.clear();
    m_loader.waitForDone(); // a load in progress posts to this window
}

void MainWindow::addPage(QWidget* page, const QString& title)
{
    m_pages->addTab(page, title);
    addPageShortcut(m_pages->indexOf(page), title);
}

void MainWindow::addPageShortcut(int index, const QString& title)
{
    // Ctrl+1 .. Ctrl+9, in tab order, each listed in the View menu.
    if (index < 0 || index > 8 || !m_viewMenu)
        return;
    QAction* go = m_viewMenu->addAction(title);
    go->setObjectName(QStringLiteral("goToPage%1Action").arg(index + 1));
    go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    go->setStatusTip(tr("Show the %1 page").arg(QString(title).remove(u'&')));
    connect(go, &QAction::triggered, this, [this, index] { m_pages->setCurrentIndex(index); });
    const QString tip = m_pages->tabToolTip(index);
    m_pages->setTabToolTip(index, (tip.isEmpty() ? QString() : tip + u' ')
                                      + u'(' + go->shortcut().toString(QKeySequence::NativeText) + u')');
}

void MainWindow::createActions()
{
    m_newAction = new QAction(tr("&New"), this);
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setToolTip(tr("Start a new, strict policy"));
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newPolicy);

    m_openAction = new QAction(tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a policy file (YAML or JSON, format v1)"));
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open policy"), QString(),
                                                          tr("Policy files (*.yaml *.yml *.json);;All files (*)"));
        if (!path.isEmpty())
            openFromUser(path);
    });

    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_saveAsAction = new QAction(tr("Save &As…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAsAction, &QAction::triggered, this, [this] { saveAs(); });

    m_revertAction = new QAction(tr("&Revert"), this);
    m_revertAction->setToolTip(tr("Reload the file from disk, dropping unsaved changes"));
    connect(m_revertAction, &QAction::triggered, this, &MainWindow::revert);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_undoAction = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("undoAction"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    m_redoAction->setObjectName(QStringLiteral("redoAction"));
    m_redoAction->setShortcut(QKeySequence::Redo);

    m_aboutAction = new QAction(tr("&About JWT Policy Workbench"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
#ifdef JWB_HAVE_ABOUT_DIALOG
        AboutDialog dialog(this);
        dialog.exec();
#else
        QMessageBox::about(this, tr("About JWT Policy Workbench"),
                           tr("JWT Policy Workbench %1").arg(QApplication::applicationVersion()));
#endif
    });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addAction(m_revertAction);
    file->addSeparator();
    // The design-review document (issue 19), built by the core at the current time like the Problems panel.
    QAction* review = file->addAction(tr("Export Review &Report…"), this, [this] {
        ReviewReportDialog dialog(m_document->policy(), m_document->filePath(), QDateTime::currentSecsSinceEpoch(), this);
        dialog.exec();
    });
    review->setObjectName(QStringLiteral("exportReviewReportAction"));
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);

    QMenu* view = m_viewMenu = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QAction* problems = m_problems->toggleViewAction();
    problems->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    view->addAction(problems);
    view->addSeparator();
    // The built-in pages; addPage() adds one for every later page.
    addPageShortcut(0, tr("&Policy"));
    addPageShortcut(1, tr("&Defaults"));
    addPageShortcut(2, tr("&Exceptions"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::updateTitle()
{
    const QString name = m_document->policy().name.isEmpty() ? tr("unnamed policy") : m_document->policy().name;
    setWindowTitle(QStringLiteral("%1 \u2014 %2[*]").arg(name, m_document->displayName()));
    setWindowModified(m_document->isModified());
    m_revertAction->setEnabled(!m_document->filePath().isEmpty());
}

void MainWindow::showError(const QString& title, const QString& message)
{
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("errorMessage"));
    box.exec();
}

// ---- files

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("The policy \"%1\" has unsaved changes. Save them?").arg(m_document->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesPrompt"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        m_autosave->remove();
        return true;
    default:
        return false;
    }
}

bool MainWindow::isPolicyFile(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("yaml") || suffix == QLatin1String("yml") || suffix == QLatin1String("json");
}

bool MainWindow::openFile(const QString& path)
{
    if (!maybeSave())
        return false;
    Status opened = m_document->open(path);
    if (!opened) {
        showError(tr("Policy not opened"), opened.error().toString());
        return false;
    }
    addRecentFile(m_document->filePath());
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_document->filePath())), kStatusTimeoutMs);
    return true;
}

void MainWindow::openFileInBackground(const QString& path, std::function<void(bool)> done)
{
    if (!maybeSave()) {
        if (done)
            done(false);
        return;
    }
    const quint64 generation = ++m_loadGeneration;
    m_pages->setEnabled(false);
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    m_loader.start([this, path, generation, done = std::move(done)]() {
        Result<policy::Policy> loaded = policy::loadPolicyFile(path);
        // The window outlives its loader's jobs (the destructor waits), so `this` is safe here.
        QMetaObject::invokeMethod(
            this,
            [this, path, generation, done, loaded = std::move(loaded)]() mutable {
                if (generation != m_loadGeneration)
                    return; // another open was started since; it decides what is shown
                m_loadShown = generation;
                m_pages->setEnabled(true);
                statusBar()->clearMessage();
                if (!loaded) {
                    showError(tr("Policy not opened"), loaded.error().toString());
                } else {
                    m_document->reset(std::move(loaded).value(), QFileInfo(path).absoluteFilePath());
                    addRecentFile(m_document->filePath());
                    statusBar()->showMessage(
                        tr("Opened %1").arg(QDir::toNativeSeparators(m_document->filePath())), kStatusTimeoutMs);
                }
                if (done)
                    done(loaded.ok());
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::openFromUser(const QString& path)
{
    openFileInBackground(path, [this](bool opened) {
        if (opened)
            checkForRecovery();
    });
}

void MainWindow::loadSample()
{
    Result<policy::Policy> sample = policy::loadSamplePolicy();
    if (!sample) {
        // The embedded sample is part of the build; failing here is a packaging bug worth showing.
        showError(tr("Sample policy not loaded"), sample.error().toString());
        return;
    }
    m_document->reset(std::move(sample).value(), {});
    statusBar()->showMessage(tr("Showing the sample policy. Save As to keep your changes."), kStatusTimeoutMs);
}

void MainWindow::newPolicy()
{
    if (!maybeSave())
        return;
    m_document->newPolicy();
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    Status saved = m_document->save();
    if (!saved) {
        showError(tr("Policy not saved"), saved.error().toString());
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())), kStatusTimeoutMs);
    return true;
}

bool MainWindow::saveAs(const QString& path)
{
    QString target = path;
    if (target.isEmpty()) {
        const QString suggested = m_document->filePath().isEmpty()
                                      ? m_document->policy().name + QStringLiteral(".yaml")
                                      : m_document->filePath();
        target = QFileDialog::getSaveFileName(this, tr("Save policy as"), suggested,
                                              tr("YAML policy (*.yaml *.yml);;JSON policy (*.json)"));
        if (target.isEmpty())
            return false;
    }
    if (QFileInfo(target).suffix().isEmpty())
        target += QStringLiteral(".yaml");
    // jwks_file and pem_files are relative to the policy file: moving it elsewhere breaks them.
    const QString oldDir = m_document->filePath().isEmpty() ? QString() : QFileInfo(m_document->filePath()).absolutePath();
    bool hasKeyFiles = false;
    for (const policy::Issuer& issuer : m_document->policy().issuers)
        hasKeyFiles = hasKeyFiles || !issuer.keys.jwksFile.isEmpty() || !issuer.keys.pemFiles.isEmpty();
    const bool movedAwayFromKeyFiles = hasKeyFiles && QFileInfo(target).absolutePath() != oldDir;
    Status saved = m_document->saveAs(target);
    if (!saved) {
        showError(tr("Policy not saved"), saved.error().toString());
        return false;
    }
    addRecentFile(m_document->filePath());
    if (movedAwayFromKeyFiles)
        statusBar()->showMessage(tr("Saved %1. Its jwks_file / pem_files paths are relative: copy those key files "
                                    "next to it.")
                                     .arg(QDir::toNativeSeparators(m_document->filePath())),
                                 kStatusTimeoutMs);
    else
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())),
                                 kStatusTimeoutMs);
    return true;
}

bool MainWindow::revert()
{
    if (m_document->filePath().isEmpty())
        return false;
    if (m_document->isModified()) {
        QMessageBox box(QMessageBox::Question, tr("Revert"),
                        tr("Drop all unsaved changes and reload %1?").arg(m_document->displayName()),
                        QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("revertPrompt"));
        if (box.exec() != QMessageBox::Discard)
            return false;
    }
    Status reverted = m_document->revert();
    if (!reverted) {
        showError(tr("Policy not reloaded"), reverted.error().toString());
        return false;
    }
    m_autosave->remove();
    return true;
}

void MainWindow::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentFilesKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(kRecentFilesKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentFilesKey).toStringList();
    for (const QString& path : recent) {
        QAction* action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { openFromUser(path); });
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear list"), this, [this] {
            QSettings().remove(kRecentFilesKey);
            rebuildRecentMenu();
        });
    }
}

// ---- recovery

void MainWindow::checkForRecovery()
{
    AutosaveController::Recovery found = m_autosave->findRecovery();
    using State = AutosaveController::Recovery::State;
    if (found.state == State::Damaged) {
        const QString kept = QDir::toNativeSeparators(found.keptAs);
        QMessageBox box(QMessageBox::Warning, tr("Autosave copy damaged"),
                        tr("An autosave copy of %1 was found but cannot be read, so it was not loaded:\n\n%2\n\n"
                           "It has been kept as %3.")
                            .arg(m_document->displayName(), found.error.toString(), kept),
                        QMessageBox::Ok, this);
        box.setObjectName(QStringLiteral("corruptAutosaveMessage"));
        box.exec();
        statusBar()->showMessage(tr("Damaged autosave copy not loaded; kept as %1").arg(kept), kStatusTimeoutMs);
        return;
    }
    if (found.state != State::Available)
        return;
    QMessageBox box(QMessageBox::Question, tr("Recover unsaved changes?"),
                    tr("Unsaved changes to %1 from %2 were found (the workbench did not close normally). "
                       "Recover them?")
                        .arg(m_document->displayName(), QLocale().toString(found.savedAt, QLocale::ShortFormat)),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("recoveryPrompt"));
    QPushButton* recover = box.addButton(tr("&Recover"), QMessageBox::AcceptRole);
    recover->setObjectName(QStringLiteral("recoverButton"));
    QPushButton* discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    box.setDefaultButton(recover);
    box.exec();
    if (box.clickedButton() != recover) {
        m_autosave->discard(found);
        return;
    }
    m_autosave->recover(std::move(found));
    statusBar()->showMessage(tr("Recovered unsaved changes; save to keep them."), kStatusTimeoutMs);
}

// ---- navigation

bool MainWindow::goToField(const QString& path)
{
    static const QRegularExpression indexed(QStringLiteral("^(issuers|exceptions)\\[(\\d+)\\](?:\\.(.*))?$"));
    const QRegularExpressionMatch m = indexed.match(path);
    if (m.hasMatch()) {
        const int row = m.captured(2).toInt();
        const QString field = m.captured(3);
        if (m.captured(1) == QLatin1String("issuers")) {
            if (row >= m_document->issuerCount())
                return false;
            m_pages->setCurrentWidget(m_policyPage);
            m_matrix->selectIssuer(row);
            if (field.startsWith(QLatin1String("audiences"))) {
                m_matrix->view()->setFocus(Qt::OtherFocusReason);
                return true;
            }
            return m_details->focusField(field);
        }
        if (row >= m_document->policy().exceptions.size())
            return false;
        m_pages->setCurrentWidget(m_exceptions);
        m_exceptions->selectRow(row);
        return m_exceptions->focusField(field);
    }
    if (path == QLatin1String("issuers") || path.startsWith(QLatin1String("issuers."))) {
        m_pages->setCurrentWidget(m_policyPage);
        m_matrix->view()->setFocus(Qt::OtherFocusReason);
        return true;
    }
    if (path == QLatin1String("exceptions")) {
        m_pages->setCurrentWidget(m_exceptions);
        m_exceptions->view()->setFocus(Qt::OtherFocusReason);
        return true;
    }
    m_pages->setCurrentWidget(m_defaults);
    if (m_defaults->focusField(path))
        return true;
    return false;
}

// ---- window events

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_autosave->stop();
    m_autosave->remove();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && isPolicyFile(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    // Opening may ask about unsaved changes: do it after the drop has finished.
    const QString path = urls.first().toLocalFile();
    QTimer::singleShot(0, this, [this, path] { openFromUser(path); });
}

} // namespace jwb::ui
