// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "export/Export.h"
#include "policy/Policy.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace jwb::ui {

class GapTableModel;
class ExportHighlighter;

// The "Export" view: pick a target, adjust the export profile, see the export live (highlighted as
// YAML, Rego or nginx), and beside it the gap report for that target; Save writes the export (and
// the files it refers to), Copy puts it on the clipboard. The profile is remembered per policy name
// in QSettings. Everything shown comes from core/export: the view re-implements no check.
//
// A policy holding test keys cannot be exported for production (the core refuses it): the view then
// previews the staging export, names the test keys in a warning line, and Save and Copy ask first.
class ExportView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportView)

public:
    enum class StagingAction { Save, Copy };
    // Asked before a staging export (one carrying test keys) is saved or copied; `testKeys` names
    // them. True goes ahead. The default asks with a message box ("Save staging export" / Cancel).
    using StagingConfirmation = std::function<bool(StagingAction action, const QString& testKeys)>;
    // Picks the file Save writes, from a suggested name; empty cancels. Default: a file dialog.
    using SavePathChooser = std::function<QString(const QString& suggested)>;

    explicit ExportView(QWidget* parent = nullptr);
    ~ExportView() override;

    void setStagingConfirmation(StagingConfirmation confirm);
    void setSavePathChooser(SavePathChooser choose);
    // True while the preview is a staging export (the policy holds test keys).
    bool isStaging() const { return !m_testKeys.isEmpty(); }

    // Fixes the export instant (Unix seconds) for repeatable previews and tests; unset: the clock.
    void setExportInstant(std::optional<qint64> unixSeconds);
    exporting::Target currentTarget() const;
    QString previewText() const;

public slots:
    void setPolicy(const jwb::policy::Policy& policy);
    void setTarget(jwb::exporting::Target target);
    // Writes the export (after the staging question, when it applies) to the chosen path.
    void save();
    void copy();

signals:
    // Emitted after Save wrote the export: the main file path.
    void exported(const QString& path);

private:
    void refresh();
    exporting::ExportProfile profileFromFields() const;
    void loadProfile();
    void saveProfile() const;
    void showProfileFields();
    void showGapDetail();
    bool confirmStaging(StagingAction action);

    std::optional<policy::Policy> m_policy;
    std::optional<qint64> m_instant;
    exporting::ExportResult m_result;
    QList<exporting::TestKeyUse> m_testKeys; // non-empty: the preview is a staging export
    bool m_loading = false;
    StagingConfirmation m_confirmStaging;
    SavePathChooser m_choosePath;

    QComboBox* m_target = nullptr;
    QFormLayout* m_profileForm = nullptr;
    QLabel* m_noProfile = nullptr;
    QLabel* m_stagingWarning = nullptr;
    QLabel* m_gapDetail = nullptr;
    QLineEdit* m_namespace = nullptr;
    QLineEdit* m_selector = nullptr;
    QLineEdit* m_cluster = nullptr;
    QLineEdit* m_service = nullptr;
    QLineEdit* m_route = nullptr;
    QLineEdit* m_header = nullptr;
    QSpinBox* m_timeout = nullptr;
    QPlainTextEdit* m_preview = nullptr;
    ExportHighlighter* m_highlighter = nullptr;
    QTableView* m_gapTable = nullptr;
    GapTableModel* m_gaps = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_copy = nullptr;
};

} // namespace jwb::ui
