// SPDX-License-Identifier: Apache-2.0
// The paginated review report: one QTextDocument laid out in layout pixels (96 per inch) on the
// chosen paper, painted page by page onto a PDF writer or onto preview images, with a running
// header, "Page n of N" footers and a contents table whose page numbers come from the layout.
#include "ReviewHtml.h"
#include "ReviewRender.h"

#include "util/AtomicFile.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QUrl>

#include <cmath>

namespace jwb::report {

namespace {

constexpr qreal kLayoutDpi = 96.0;
constexpr qreal kMarginSide = 64.0;   // about 17 mm
constexpr qreal kMarginTop = 56.0;
constexpr qreal kMarginBottom = 60.0;
// A heading this close to the bottom of its page starts the next page instead.
constexpr qreal kKeepWithNext = 90.0;

QSizeF paperPixels(PaperSize paper)
{
    const QPageSize size(paper == PaperSize::A4 ? QPageSize::A4 : QPageSize::Letter);
    return size.sizePoints() * (kLayoutDpi / 72.0);
}

class PagedReview {
public:
    PagedReview(const ReviewReport& report, PaperSize paper) : m_report(report), m_paper(paperPixels(paper))
    {
        m_body = QSizeF(m_paper.width() - 2 * kMarginSide, m_paper.height() - kMarginTop - kMarginBottom);
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPixelSize(12);
        m_doc.setDefaultFont(font);
        m_doc.setDocumentMargin(0);
        QTextOption option = m_doc.defaultTextOption();
        // Thumbprints, URLs and ids have no spaces: break them anywhere rather than overflow a cell.
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        m_doc.setDefaultTextOption(option);
        m_doc.setDefaultStyleSheet(QStringLiteral("h1 { font-size: 22px; } h2 { font-size: 17px; color: #1f4f8a; } "
                                                  "h3 { font-size: 14px; } th { font-size: 11px; } td { font-size: 11px; }"));
        m_doc.setPageSize(m_body);
        const int width = static_cast<int>(m_body.width());
        const auto resource = [this](int index, const ReviewMatrix& matrix, int widthPx) {
            const QImage image = renderMatrixImage(matrix, widthPx, 3.0);
            const QString name = QStringLiteral("jwb-matrix-%1.png").arg(index);
            m_doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
            return detail::ImageRef{name, image.deviceIndependentSize().toSize()};
        };
        m_doc.setHtml(detail::reviewHtml(report, detail::HtmlFlavour::Print, width, resource));
        relayout();
        keepHeadingsWithNext();
        fillContents();
        relayout();
    }

    int pageCount() const { return std::max(1, m_doc.pageCount()); }

    // Paints page `index` (0-based) with the painter in layout pixels, origin at the paper's corner.
    void paintPage(QPainter& p, int index) const
    {
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        QFont small(QStringLiteral("DejaVu Sans"));
        small.setPixelSize(9);
        p.setFont(small);
        p.setPen(QColor(0x66, 0x66, 0x66));
        if (index > 0)
            p.drawText(QRectF(kMarginSide, 20, m_body.width(), 20), Qt::AlignLeft | Qt::AlignVCenter, m_report.title);
        const QRectF footer(kMarginSide, m_paper.height() - kMarginBottom + 22, m_body.width(), 18);
        p.drawLine(QPointF(kMarginSide, footer.top() - 4), QPointF(kMarginSide + m_body.width(), footer.top() - 4));
        p.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 \u2014 review report, %2").arg(m_report.policyName, m_report.generatedAt));
        p.drawText(footer, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("Page %1 of %2").arg(index + 1).arg(pageCount()));

        p.translate(kMarginSide, kMarginTop);
        const QRectF pageRect(0, index * m_body.height(), m_body.width(), m_body.height());
        p.setClipRect(QRectF(QPointF(0, 0), m_body));
        p.translate(0, -pageRect.top());
        QAbstractTextDocumentLayout::PaintContext ctx;
        ctx.clip = pageRect;
        ctx.palette.setColor(QPalette::Text, QColor(0x1d, 0x1d, 0x1d));
        m_doc.documentLayout()->draw(&p, ctx);
        p.restore();
    }

    QSizeF paper() const { return m_paper; }

private:
    // Headings sit in the root frame, so their rectangles are in document coordinates.
    qreal blockTop(const QTextBlock& block) const { return m_doc.documentLayout()->blockBoundingRect(block).top(); }

    // Qt 6.4 lays a document out again only in part after an edit, and then paints nothing after the
    // part it laid out (headings and tables went missing from the PDF). Every edit below is followed
    // by a complete layout, so positions, page numbers and painting agree.
    void relayout()
    {
        m_doc.markContentsDirty(0, m_doc.characterCount());
        (void)m_doc.documentLayout()->documentSize();
    }

    // Pushes each heading that would stand in the last kKeepWithNext pixels of a page to the next
    // page, first to last: a break moves everything after it, so the rest is measured again.
    void keepHeadingsWithNext()
    {
        for (QTextBlock b = m_doc.begin(); b.isValid(); b = b.next()) {
            if (b.blockFormat().headingLevel() < 2 || b.blockFormat().headingLevel() > 3)
                continue;
            if (b.blockFormat().pageBreakPolicy() & QTextFormat::PageBreak_AlwaysBefore)
                continue;
            const qreal top = blockTop(b);
            const qreal within = top - std::floor(top / m_body.height()) * m_body.height();
            if (within > m_body.height() - kKeepWithNext) {
                QTextCursor c(b);
                QTextBlockFormat f;
                f.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
                c.mergeBlockFormat(f);
                relayout();
            }
        }
    }

    void fillContents()
    {
        // The contents table is the first table of the document; its rows are the sections in order.
        QTextTable* contents = nullptr;
        for (QTextFrame* frame : m_doc.rootFrame()->childFrames()) {
            if ((contents = qobject_cast<QTextTable*>(frame)) != nullptr)
                break;
        }
        if (contents == nullptr)
            return;
        QList<int> pages;
        int section = 0;
        for (QTextBlock b = m_doc.begin(); b.isValid() && section < m_report.sections.size(); b = b.next()) {
            if (b.blockFormat().headingLevel() != 2 || b.text() != detail::numberedTitle(m_report, section))
                continue;
            pages << static_cast<int>(blockTop(b) / m_body.height()) + 1;
            ++section;
        }
        for (int row = 0; row < contents->rows() && row < pages.size(); ++row) {
            QTextCursor c = contents->cellAt(row, 1).firstCursorPosition();
            c.insertText(QString::number(pages.at(row)));
        }
    }

    const ReviewReport& m_report;
    QSizeF m_paper;
    QSizeF m_body;
    QTextDocument m_doc;
};

} // namespace

QString paperSizeName(PaperSize size)
{
    return size == PaperSize::A4 ? QStringLiteral("A4") : QStringLiteral("Letter");
}

void setReviewDocument(QTextDocument& doc, const ReviewReport& report, int widthPx)
{
    const auto resource = [&doc](int index, const ReviewMatrix& matrix, int width) {
        const QImage image = renderMatrixImage(matrix, width, 2.0);
        const QString name = QStringLiteral("jwb-matrix-%1.png").arg(index);
        doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
        return detail::ImageRef{name, image.deviceIndependentSize().toSize()};
    };
    doc.setHtml(detail::reviewHtml(report, detail::HtmlFlavour::Print, widthPx, resource));
}

int reviewPageCount(const ReviewReport& report, PaperSize paper)
{
    return PagedReview(report, paper).pageCount();
}

QList<QImage> renderReviewPages(const ReviewReport& report, PaperSize paper, int dpi)
{
    const PagedReview doc(report, paper);
    const qreal scale = dpi / kLayoutDpi;
    QList<QImage> pages;
    for (int i = 0; i < doc.pageCount(); ++i) {
        QImage image((doc.paper() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter p(&image);
        p.scale(scale, scale);
        doc.paintPage(p, i);
        p.end();
        pages << image;
    }
    return pages;
}

Status writeReviewPdf(const ReviewReport& report, PaperSize paper, const QString& path)
{
    const PagedReview doc(report, paper);
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(paper == PaperSize::A4 ? QPageSize::A4 : QPageSize::Letter));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(300);
        writer.setTitle(report.title);
        writer.setCreator(QStringLiteral("jwt-policy report %1").arg(QStringLiteral(JWB_VERSION)));
        QPainter p;
        if (!p.begin(&writer))
            return Error{QStringLiteral("ERR_REPORT_WRITE"), QStringLiteral("the PDF writer could not start"), path};
        const qreal scale = writer.resolution() / kLayoutDpi;
        for (int i = 0; i < doc.pageCount(); ++i) {
            if (i > 0)
                writer.newPage();
            p.save();
            p.scale(scale, scale);
            doc.paintPage(p, i);
            p.restore();
        }
        p.end();
    }
    return util::writeFileAtomically(path, pdf, QStringLiteral("ERR_REPORT_WRITE"));
}

Status writeReviewHtml(const ReviewReport& report, const QString& path)
{
    return util::writeFileAtomically(path, renderReviewHtml(report), QStringLiteral("ERR_REPORT_WRITE"));
}

} // namespace jwb::report
