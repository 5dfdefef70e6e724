// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"

#include <QMainWindow>
#include <QThreadPool>

#include <functional>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace jwb::ui {

class AutosaveController;
class DefaultsEditor;
class ExceptionsEditor;
class IssuerDetailsEditor;
class MatrixEditor;
class PolicyDocument;
class ProblemsPanel;

// The workbench window: pages (Policy, Defaults, Exceptions, and pages other components add),
// the Problems panel, file handling with an autosave copy for crash recovery, undo/redo.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The policy being edited; pages read it and listen to policyChanged().
    PolicyDocument* document() const { return m_document; }
    // Adds a page (tab) after the built-in ones.
    void addPage(QWidget* page, const QString& title);
    QTabWidget* pages() const { return m_pages; }

    // Opens a policy file; errors are shown and leave the current policy untouched. Asks first
    // when there are unsaved changes. Returns whether the file is now open.
    bool openFile(const QString& path);
    // The same, with the file read and checked on a worker thread: the window stays responsive while
    // a large policy loads (10,000 issuers take seconds of key parsing in the core), the pages are
    // disabled meanwhile, and the policy is shown when ready. `done` gets whether it opened.
    void openFileInBackground(const QString& path, std::function<void(bool)> done = {});
    bool isLoading() const { return m_loadGeneration != m_loadShown; }
    void loadSample();
    bool save();
    // Empty `path`: asks with a file dialog. The format follows the extension (.json or YAML).
    bool saveAs(const QString& path = {});
    bool revert();
    void newPolicy();
    // Unsaved changes: ask Save / Discard / Cancel. True when it is fine to drop the document.
    bool maybeSave();

    // Goes to the editor of a policy field path ("issuers[1].overrides.clock_skew_seconds").
    bool goToField(const QString& path);

    // The crash-recovery copy of the policy being edited.
    AutosaveController* autosave() const { return m_autosave; }
    // Offers to recover an autosave copy newer than the current file; reports a damaged one.
    void checkForRecovery();

    MatrixEditor* matrixEditor() const { return m_matrix; }
    IssuerDetailsEditor* issuerDetails() const { return m_details; }
    DefaultsEditor* defaultsEditor() const { return m_defaults; }
    ExceptionsEditor* exceptionsEditor() const { return m_exceptions; }
    ProblemsPanel* problemsPanel() const { return m_problems; }

signals:
    // The policy value changed (edit, undo, load); forwarded from the document.
    void policyChanged();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // Open chosen by the user (menu, recent list, drop): also offers that file's autosave copy.
    void openFromUser(const QString& path);
    void createActions();
    void createMenus();
    void addPageShortcut(int index, const QString& title);
    void updateTitle();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void showError(const QString& title, const QString& message);
    static bool isPolicyFile(const QString& path);

    PolicyDocument* m_document;
    QTabWidget* m_pages;
    QWidget* m_policyPage;
    MatrixEditor* m_matrix;
    IssuerDetailsEditor* m_details;
    DefaultsEditor* m_defaults;
    ExceptionsEditor* m_exceptions;
    ProblemsPanel* m_problems;
    QLabel* m_problemSummary;
    AutosaveController* m_autosave;
    QThreadPool m_loader;          // reads policy files for openFileInBackground
    quint64 m_loadGeneration = 0;  // of the latest background open started
    quint64 m_loadShown = 0;       // of the latest one finished (shown or refused)

    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_revertAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_aboutAction = nullptr;
};

} // namespace jwb::ui
