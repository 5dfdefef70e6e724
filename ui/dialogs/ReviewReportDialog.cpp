// SPDX-License-Identifier: Apache-2.0
#include "dialogs/ReviewReportDialog.h"

#include "report/ReviewRender.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace jwb::ui {

namespace {

// Preview resolution: a page is about 600 px tall, two fit the dialog's default height side by side.
constexpr int kPreviewDpi = 72;

} // namespace

ReviewReportDialog::ReviewReportDialog(const policy::Policy& policy, const QString& policyFile, qint64 atUnixSeconds,
                                       QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("reviewReportDialog"));
    setWindowTitle(tr("Export Review Report"));

    report::ReviewInputs inputs;
    inputs.policy = policy;
    inputs.atUnixSeconds = atUnixSeconds;
    if (!policyFile.isEmpty())
        inputs.policyDate = QFileInfo(policyFile).lastModified().toUTC();
    m_report = report::buildReviewReport(inputs);
    const QString base = policy.name.isEmpty() ? QStringLiteral("policy") : policy.name;
    m_suggestedName = QDir(policyFile.isEmpty() ? QDir::homePath() : QFileInfo(policyFile).absolutePath())
                          .filePath(base + QStringLiteral("-review"));

    auto* options = new QHBoxLayout;
    auto* formatLabel = new QLabel(tr("&Format:"), this);
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    m_format->addItem(tr("PDF document"), QStringLiteral("pdf"));
    m_format->addItem(tr("HTML page (self-contained)"), QStringLiteral("html"));
    formatLabel->setBuddy(m_format);
    auto* paperLabel = new QLabel(tr("&Paper:"), this);
    m_paper = new QComboBox(this);
    m_paper->setObjectName(QStringLiteral("paperCombo"));
    m_paper->addItem(tr("A4"), static_cast<int>(report::PaperSize::A4));
    m_paper->addItem(tr("US Letter"), static_cast<int>(report::PaperSize::Letter));
    paperLabel->setBuddy(m_paper);
    options->addWidget(formatLabel);
    options->addWidget(m_format);
    options->addSpacing(12);
    options->addWidget(paperLabel);
    options->addWidget(m_paper);
    options->addStretch(1);

    m_pagesArea = new QScrollArea(this);
    m_pagesArea->setObjectName(QStringLiteral("pagesPreview"));
    m_pagesArea->setWidgetResizable(true);
    m_pagesArea->setBackgroundRole(QPalette::Dark);
    m_pages = new QWidget;
    m_pagesLayout = new QVBoxLayout(m_pages);
    m_pagesLayout->setSpacing(12);
    m_pagesArea->setWidget(m_pages);
    m_html = new QTextBrowser(this);
    m_html->setObjectName(QStringLiteral("htmlPreview"));
    m_html->setOpenLinks(false);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_pagesArea);
    m_stack->addWidget(m_html);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_save = buttons->addButton(tr("&Save\u2026"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &ReviewReportDialog::chooseFileAndSave);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(options);
    layout->addWidget(m_stack, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    connect(m_format, &QComboBox::currentIndexChanged, this, [this] { rebuildPreview(); });
    connect(m_paper, &QComboBox::currentIndexChanged, this, [this] { rebuildPreview(); });
    resize(720, 760);
    rebuildPreview();
}

bool ReviewReportDialog::pdfChosen() const
{
    return m_format->currentData().toString() == u"pdf";
}

void ReviewReportDialog::rebuildPreview()
{
    const auto paper = static_cast<report::PaperSize>(m_paper->currentData().toInt());
    m_paper->setEnabled(pdfChosen());
    if (!pdfChosen()) {
        report::setReviewDocument(*m_html->document(), m_report, 640);
        m_stack->setCurrentWidget(m_html);
        m_status->setText(tr("HTML: one self-contained page (styles and the matrix picture inline)."));
        return;
    }
    while (QLayoutItem* item = m_pagesLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<QImage> pages = report::renderReviewPages(m_report, paper, kPreviewDpi);
    m_pageCount = static_cast<int>(pages.size());
    for (int i = 0; i < pages.size(); ++i) {
        auto* label = new QLabel(m_pages);
        label->setObjectName(QStringLiteral("previewPage%1").arg(i));
        label->setPixmap(QPixmap::fromImage(pages.at(i)));
        label->setFrameShape(QFrame::Box);
        label->setAlignment(Qt::AlignCenter);
        m_pagesLayout->addWidget(label, 0, Qt::AlignHCenter);
    }
    m_pagesLayout->addStretch(1);
    m_stack->setCurrentWidget(m_pagesArea);
    m_status->setText(tr("PDF, %1: %n page(s).", nullptr, m_pageCount).arg(report::paperSizeName(paper)));
}

Status ReviewReportDialog::saveTo(const QString& path) const
{
    if (pdfChosen())
        return report::writeReviewPdf(m_report, static_cast<report::PaperSize>(m_paper->currentData().toInt()), path);
    return report::writeReviewHtml(m_report, path);
}

void ReviewReportDialog::chooseFileAndSave()
{
    const bool pdf = pdfChosen();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Review Report"), m_suggestedName + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".html")),
        pdf ? tr("PDF documents (*.pdf)") : tr("HTML pages (*.html *.htm)"));
    if (path.isEmpty())
        return;
    const Status saved = saveTo(path);
    if (!saved) {
        QMessageBox::warning(this, tr("Save Review Report"), saved.error().toString());
        return;
    }
    m_status->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace jwb::ui
