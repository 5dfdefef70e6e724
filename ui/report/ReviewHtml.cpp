// SPDX-License-Identifier: Apache-2.0
#include "ReviewHtml.h"

#include "ReviewRender.h"

#include <QBuffer>
#include <QImage>

#include <numeric>

namespace jwb::report::detail {

namespace {

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString toneColor(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QStringLiteral("#e7f4ea");
    case Tone::Notice: return QStringLiteral("#edf2fb");
    case Tone::Warning: return QStringLiteral("#fff3dc");
    case Tone::Bad: return QStringLiteral("#fde6e6");
    case Tone::Plain: break;
    }
    return QString();
}

QString toneClass(Tone tone)
{
    switch (tone) {
    case Tone::Good: return QStringLiteral("good");
    case Tone::Notice: return QStringLiteral("notice");
    case Tone::Warning: return QStringLiteral("warning");
    case Tone::Bad: return QStringLiteral("bad");
    case Tone::Plain: break;
    }
    return QString();
}

// A paragraph's marker, so tone survives black-and-white printing and text extraction.
QString toneLabel(Tone tone)
{
    switch (tone) {
    case Tone::Warning: return QStringLiteral("Attention: ");
    case Tone::Bad: return QStringLiteral("Problem: ");
    default: break;
    }
    return QString();
}

const char* kBrowserCss = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px; color: #1d1d1d;
       max-width: 1000px; margin: 24px auto; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 26px; margin-bottom: 2px; }
.subtitle { color: #555; margin-top: 0; }
h2 { font-size: 19px; border-bottom: 2px solid #2f6db5; padding-bottom: 3px; margin-top: 32px; }
h3 { font-size: 15px; margin-top: 18px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px 0; table-layout: fixed; }
th, td { border: 1px solid #b8b8b8; padding: 3px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; word-break: break-word; font-size: 12.5px; }
th { background: #e9edf3; }
table.facts td { border: none; padding: 1px 8px 1px 0; font-size: 14px; }
table.facts td.label { color: #555; width: 28%; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
tr.good td, p.good { background: #e7f4ea; }
tr.notice td, p.notice { background: #edf2fb; }
tr.warning td, p.warning { background: #fff3dc; }
tr.bad td, p.bad { background: #fde6e6; }
p.good, p.notice, p.warning, p.bad { padding: 4px 8px; }
p.elided { font-style: italic; color: #555; }
nav ol { columns: 2; }
img.matrix { max-width: 100%; height: auto; border: 1px solid #ddd; }
footer { color: #777; font-size: 12px; margin-top: 40px; border-top: 1px solid #ccc; padding-top: 6px; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } thead { display: table-header-group; } }
)";

QString tableHtml(const ReviewTable& t, HtmlFlavour flavour)
{
    const bool print = flavour == HtmlFlavour::Print;
    QString html;
    if (print && !t.caption.isEmpty())
        html += QStringLiteral("<p style=\"font-weight: bold; margin-top: 6px; margin-bottom: 2px;\">%1</p>").arg(esc(t.caption));
    html += print ? QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
                                   "style=\"border-collapse: collapse; border-color: #b0b0b0; border-style: solid; "
                                   "margin-bottom: 10px;\">")
                  : QStringLiteral("<table>");
    if (!print && !t.caption.isEmpty())
        html += QStringLiteral("<caption>%1</caption>").arg(esc(t.caption));
    const int total = t.columnWeights.size() == t.columns.size()
                          ? std::accumulate(t.columnWeights.cbegin(), t.columnWeights.cend(), 0)
                          : 0;
    html += QStringLiteral("<thead><tr>");
    for (int c = 0; c < t.columns.size(); ++c) {
        const int pct = total > 0 ? t.columnWeights.at(c) * 100 / total : 100 / std::max<int>(1, static_cast<int>(t.columns.size()));
        html += print ? QStringLiteral("<th width=\"%1%\" bgcolor=\"#e9edf3\" align=\"left\">%2</th>").arg(pct).arg(esc(t.columns.at(c)))
                      : QStringLiteral("<th style=\"width: %1%\">%2</th>").arg(pct).arg(esc(t.columns.at(c)));
    }
    html += QStringLiteral("</tr></thead><tbody>");
    for (int r = 0; r < t.rows.size(); ++r) {
        const Tone tone = r < t.tones.size() ? t.tones.at(r) : Tone::Plain;
        const QString cls = toneClass(tone);
        html += print || cls.isEmpty() ? QStringLiteral("<tr>") : QStringLiteral("<tr class=\"%1\">").arg(cls);
        const QStringList& row = t.rows.at(r);
        for (int c = 0; c < t.columns.size(); ++c) {
            const QString cell = esc(c < row.size() ? row.at(c) : QString());
            const QString bg = toneColor(tone);
            html += print && !bg.isEmpty() ? QStringLiteral("<td bgcolor=\"%1\">%2</td>").arg(bg, cell)
                                           : QStringLiteral("<td>%1</td>").arg(cell);
        }
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</tbody></table>");
    if (!t.elidedNote.isEmpty())
        html += print ? QStringLiteral("<p><i>%1</i></p>").arg(esc(t.elidedNote))
                      : QStringLiteral("<p class=\"elided\">%1</p>").arg(esc(t.elidedNote));
    return html;
}

QString factsHtml(const QList<std::pair<QString, QString>>& facts, HtmlFlavour flavour)
{
    const bool print = flavour == HtmlFlavour::Print;
    QString html = print ? QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\" border=\"0\">")
                         : QStringLiteral("<table class=\"facts\">");
    for (const auto& [label, value] : facts) {
        html += print ? QStringLiteral("<tr><td width=\"28%\"><span style=\"color: #555555;\">%1</span></td><td width=\"72%\">%2</td></tr>")
                            .arg(esc(label), esc(value))
                      : QStringLiteral("<tr><td class=\"label\">%1</td><td>%2</td></tr>").arg(esc(label), esc(value));
    }
    return html + QStringLiteral("</table>");
}

QString paragraphHtml(const ReviewBlock& b, HtmlFlavour flavour)
{
    const QString text = esc(toneLabel(b.tone) + b.text);
    if (b.tone == Tone::Plain)
        return QStringLiteral("<p>%1</p>").arg(text);
    if (flavour == HtmlFlavour::Print)
        return QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" border=\"0\" style=\"margin-bottom: 6px;\">"
                              "<tr><td bgcolor=\"%1\">%2</td></tr></table>")
            .arg(toneColor(b.tone), text);
    return QStringLiteral("<p class=\"%1\">%2</p>").arg(toneClass(b.tone), text);
}

} // namespace

QString numberedTitle(const ReviewReport& report, int sectionIndex)
{
    return QStringLiteral("%1. %2").arg(sectionIndex + 1).arg(report.sections.at(sectionIndex).title);
}

QString reviewHtml(const ReviewReport& report, HtmlFlavour flavour, int bodyWidthPx, const ImageSource& imageSource)
{
    const bool print = flavour == HtmlFlavour::Print;
    QString html;
    if (!print) {
        html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                               "<meta name=\"generator\" content=\"jwt-policy report\"><title>%1</title><style>%2</style></head><body>\n")
                    .arg(esc(report.title), QString::fromUtf8(kBrowserCss));
    } else {
        html += QStringLiteral("<html><body>");
    }
    html += QStringLiteral("<h1>%1</h1>").arg(esc(report.title));
    html += print ? QStringLiteral("<p><span style=\"color: #555555;\">%1 \u2014 evaluated at %2</span></p>")
                        .arg(esc(report.subtitle), esc(report.generatedAt))
                  : QStringLiteral("<p class=\"subtitle\">%1 \u2014 evaluated at %2</p>").arg(esc(report.subtitle), esc(report.generatedAt));

    // Contents. The print flavour leaves the page-number column empty: the PDF writer fills it once
    // the layout knows where each section starts.
    html += QStringLiteral("<h2>Contents</h2>");
    if (print) {
        html += QStringLiteral("<table width=\"70%\" cellspacing=\"0\" cellpadding=\"2\" border=\"0\">");
        for (int i = 0; i < report.sections.size(); ++i)
            html += QStringLiteral("<tr><td width=\"88%\">%1</td><td width=\"12%\" align=\"right\"></td></tr>")
                        .arg(esc(numberedTitle(report, i)));
        html += QStringLiteral("</table>");
    } else {
        html += QStringLiteral("<nav><ol>");
        for (const auto& s : report.sections)
            html += QStringLiteral("<li><a href=\"#%1\">%2</a></li>").arg(esc(s.id), esc(s.title));
        html += QStringLiteral("</ol></nav>\n");
    }

    int matrixIndex = 0;
    for (int i = 0; i < report.sections.size(); ++i) {
        const ReviewSection& s = report.sections.at(i);
        html += print ? QStringLiteral("<h2>%1</h2>").arg(esc(numberedTitle(report, i)))
                      : QStringLiteral("<section><h2 id=\"%1\">%2</h2>").arg(esc(s.id), esc(numberedTitle(report, i)));
        for (const auto& b : s.blocks) {
            switch (b.kind) {
            case ReviewBlock::Kind::Paragraph:
                html += paragraphHtml(b, flavour);
                break;
            case ReviewBlock::Kind::Heading:
                html += QStringLiteral("<h3>%1</h3>").arg(esc(b.text));
                break;
            case ReviewBlock::Kind::Facts:
                html += factsHtml(b.facts, flavour);
                break;
            case ReviewBlock::Kind::Table:
                html += tableHtml(b.table, flavour);
                break;
            case ReviewBlock::Kind::Matrix: {
                const ImageRef image = imageSource(matrixIndex++, b.matrix, bodyWidthPx);
                const QString alt = QStringLiteral("Issuer by audience matrix: %1 issuers, %2 audiences, %3 trust domains")
                                        .arg(b.matrix.totalIssuers)
                                        .arg(b.matrix.totalAudiences)
                                        .arg(b.matrix.totalTrustDomains);
                html += print ? QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\"></p>")
                                    .arg(esc(image.src))
                                    .arg(image.size.width())
                                    .arg(image.size.height())
                              : QStringLiteral("<p><img class=\"matrix\" src=\"%1\" alt=\"%2\"></p>").arg(image.src, esc(alt));
                break;
            }
            }
        }
        if (!print)
            html += QStringLiteral("</section>\n");
    }
    if (!print)
        html += QStringLiteral("<footer>%1 \u2014 generated by jwt-policy report %2 at %3. The document shows public key "
                               "parameters only; no secret, private key or token.</footer>")
                    .arg(esc(report.policyName), QStringLiteral(JWB_VERSION), esc(report.generatedAt));
    html += QStringLiteral("</body></html>\n");
    return html;
}

} // namespace jwb::report::detail

namespace jwb::report {

QByteArray renderReviewHtml(const ReviewReport& report)
{
    const auto dataUri = [](int, const ReviewMatrix& matrix, int widthPx) {
        const QImage image = renderMatrixImage(matrix, widthPx, 2.0);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return detail::ImageRef{QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64()),
                                image.deviceIndependentSize().toSize()};
    };
    return detail::reviewHtml(report, detail::HtmlFlavour::Browser, 960, dataUri).toUtf8();
}

} // namespace jwb::report
