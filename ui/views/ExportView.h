// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "export/Export.h"
#include "policy/Policy.h"

#include <QWidget>

#include <optional>

class QComboBox;
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
class ExportView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportView)

public:
    explicit ExportView(QWidget* parent = nullptr);
    ~ExportView() override;

    // Fixes the export instant (Unix seconds) for repeatable previews and tests; unset: the clock.
    void setExportInstant(std::optional<qint64> unixSeconds);
    exporting::Target currentTarget() const;
    QString previewText() const;

public slots:
    void setPolicy(const jwb::policy::Policy& policy);
    void setTarget(jwb::exporting::Target target);

signals:
    // Emitted after Save wrote the export: the main file path.
    void exported(const QString& path);

private:
    void refresh();
    exporting::ExportProfile profileFromFields() const;
    void loadProfile();
    void saveProfile() const;
    void save();
    void copy();

    std::optional<policy::Policy> m_policy;
    std::optional<qint64> m_instant;
    exporting::ExportResult m_result;
    bool m_loading = false;

    QComboBox* m_target = nullptr;
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
