// SPDX-License-Identifier: Apache-2.0
// Rendering of the review report model (core/report/ReviewReport.h) to a self-contained HTML file
// and to a paginated PDF (issue 19). QtGui only: the CLI renders offscreen, the GUI previews the
// same pages. Nothing here decides content; it only lays out what the model holds.
#pragma once

#include "report/ReviewReport.h"
#include "util/Error.h"

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>

class QTextDocument;

namespace jwb::report {

enum class PaperSize { A4, Letter };
QString paperSizeName(PaperSize size); // "A4" | "Letter"

// The issuer x audience picture, `widthPx` wide in layout pixels (96 per inch), drawn at `scale`
// device pixels per layout pixel for print sharpness. Full mode: rows grouped under trust-domain
// bands; heat-map mode: cells shaded by count, the count written in each.
QImage renderMatrixImage(const ReviewMatrix& matrix, int widthPx, qreal scale = 2.0);

// One HTML file: inline CSS, the matrix as a data: URI PNG, a linked table of contents. UTF-8.
QByteArray renderReviewHtml(const ReviewReport& report);

// Fills `doc` with the report as one continuous page `widthPx` wide (the matrix as a resource of
// `doc`): the GUI's HTML preview, which a QTextBrowser shows without a browser's data: URIs.
void setReviewDocument(QTextDocument& doc, const ReviewReport& report, int widthPx);

// The paginated document: `pages` images at `dpi`, page numbers and table of contents as in the PDF.
QList<QImage> renderReviewPages(const ReviewReport& report, PaperSize paper, int dpi = 72);
int reviewPageCount(const ReviewReport& report, PaperSize paper);

// Writes the PDF (atomically: the old file stays until the new one is complete). ERR_REPORT_WRITE
// when the file cannot be written.
Status writeReviewPdf(const ReviewReport& report, PaperSize paper, const QString& path);
Status writeReviewHtml(const ReviewReport& report, const QString& path);

} // namespace jwb::report
