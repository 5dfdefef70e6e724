// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "policy/Policy.h"
#include "report/ReviewReport.h"
#include "util/Error.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTextBrowser;
class QVBoxLayout;

namespace jwb::ui {

// File > Export Review Report...: the design-review document of the open policy (the same model and
// renderer as `jwt-policy report`), previewed as the PDF's pages or as the HTML page, saved in the
// chosen format and paper size. The report is built once when the dialog opens (lint, self-test, gap
// report at `atUnixSeconds`); changing the format or paper only re-renders it.
class ReviewReportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewReportDialog)

public:
    ReviewReportDialog(const policy::Policy& policy, const QString& policyFile, qint64 atUnixSeconds,
                       QWidget* parent = nullptr);

    const report::ReviewReport& report() const { return m_report; }
    int previewPageCount() const { return m_pageCount; }
    // Writes the report to `path` in the chosen format (PDF or HTML) and paper size.
    Status saveTo(const QString& path) const;

private:
    void rebuildPreview();
    void chooseFileAndSave();
    bool pdfChosen() const;

    report::ReviewReport m_report;
    QString m_suggestedName;
    QComboBox* m_format = nullptr;
    QComboBox* m_paper = nullptr;
    QStackedWidget* m_stack = nullptr;
    QScrollArea* m_pagesArea = nullptr;
    QWidget* m_pages = nullptr;
    QVBoxLayout* m_pagesLayout = nullptr;
    QTextBrowser* m_html = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_save = nullptr;
    int m_pageCount = 0;
};

} // namespace jwb::ui
