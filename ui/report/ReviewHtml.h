// SPDX-License-Identifier: Apache-2.0
// Internal to jwb_report: the one HTML writer behind both outputs. The browser flavour is a complete
// page (inline CSS, data: URI images, linked contents); the print flavour is the subset of HTML that
// QTextDocument lays out for the PDF (contents with page-number cells, images as named resources).
#pragma once

#include "report/ReviewReport.h"

#include <QSize>
#include <QString>

#include <functional>

namespace jwb::report::detail {

enum class HtmlFlavour { Browser, Print };

// The picture of `matrix`, drawn `widthPx` wide: its src and its size in layout pixels. `index`
// numbers the matrices of the report.
struct ImageRef {
    QString src;
    QSize size;
};
using ImageSource = std::function<ImageRef(int index, const ReviewMatrix& matrix, int widthPx)>;

QString reviewHtml(const ReviewReport& report, HtmlFlavour flavour, int bodyWidthPx, const ImageSource& imageSource);

// The numbered section titles as the contents lists them ("3. Keys").
QString numberedTitle(const ReviewReport& report, int sectionIndex);

} // namespace jwb::report::detail
