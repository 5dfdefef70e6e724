// SPDX-License-Identifier: Apache-2.0
// The issuer x audience matrix drawn as a picture for the review report.
#include "ReviewRender.h"

#include <QColor>
#include <QFont>
#include <QFontMetrics>
#include <QHash>
#include <QPainter>

#include <algorithm>

namespace jwb::report {

namespace {

constexpr int kRowHeight = 16;
constexpr int kGroupHeight = 18;
constexpr int kMaxColumnWidth = 44;
constexpr int kMaxHeaderHeight = 150;
constexpr int kBandWidth = 6;

// Distinct, print-friendly hues for trust domains, in first-seen order.
QColor domainColor(int index)
{
    static const QColor palette[] = {QColor(0x2f, 0x6d, 0xb5), QColor(0x2e, 0x8b, 0x57), QColor(0xb5, 0x6a, 0x1f),
                                     QColor(0x8e, 0x44, 0xad), QColor(0xc0, 0x39, 0x2b), QColor(0x16, 0xa0, 0x85),
                                     QColor(0x7f, 0x8c, 0x1d), QColor(0x5d, 0x6d, 0x7e)};
    return palette[index % static_cast<int>(std::size(palette))];
}

QFont baseFont(int pixelSize, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

} // namespace

QImage renderMatrixImage(const ReviewMatrix& matrix, int widthPx, qreal scale)
{
    const bool heat = matrix.mode == ReviewMatrix::Mode::HeatMap;
    const QFont labelFont = baseFont(10);
    const QFont groupFont = baseFont(10, true);
    const QFontMetrics fm(labelFont);
    const int columns = std::max<int>(1, static_cast<int>(matrix.columns.size()));

    auto labelOf = [heat](const ReviewMatrix::Row& r) {
        return heat ? QStringLiteral("%1 (%2)").arg(r.label).arg(r.issuers) : r.label;
    };
    int widest = 0;
    for (const auto& r : matrix.rows)
        widest = std::max(widest, fm.horizontalAdvance(labelOf(r)));
    const int labelWidth = std::clamp(widest + 12 + kBandWidth, 80, widthPx * 2 / 5);
    const int columnWidth = std::clamp((widthPx - labelWidth) / columns, 8, kMaxColumnWidth);
    int widestAudience = 0;
    for (const auto& c : matrix.columns)
        widestAudience = std::max(widestAudience, fm.horizontalAdvance(c));
    const int headerHeight = std::min(kMaxHeaderHeight, widestAudience + 10);

    // Groups (Full mode): one band per trust domain, rows below it.
    QStringList domainOrder;
    for (const auto& r : matrix.rows) {
        if (!domainOrder.contains(r.trustDomain))
            domainOrder << r.trustDomain;
    }
    const int groups = heat ? 0 : static_cast<int>(domainOrder.size());
    const int height = headerHeight + groups * kGroupHeight + static_cast<int>(matrix.rows.size()) * kRowHeight + 4;

    QImage image(QSize(widthPx, height) * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);

    // Column headers, rotated so long audience names fit.
    p.setFont(labelFont);
    p.setPen(QColor(0x22, 0x22, 0x22));
    for (int c = 0; c < matrix.columns.size(); ++c) {
        const int x = labelWidth + c * columnWidth + columnWidth / 2 + fm.ascent() / 2 - 1;
        p.save();
        p.translate(x, headerHeight - 4);
        p.rotate(-90);
        p.drawText(0, 0, fm.elidedText(matrix.columns.at(c), Qt::ElideRight, headerHeight - 8));
        p.restore();
    }

    int y = headerHeight;
    QString currentDomain;
    bool first = true;
    for (const auto& r : matrix.rows) {
        const int domainIndex = static_cast<int>(domainOrder.indexOf(r.trustDomain));
        const QColor color = domainColor(domainIndex);
        if (!heat && (first || r.trustDomain != currentDomain)) {
            currentDomain = r.trustDomain;
            first = false;
            p.fillRect(QRect(0, y, widthPx, kGroupHeight), QColor(color.red(), color.green(), color.blue(), 40));
            p.setFont(groupFont);
            p.setPen(color.darker(140));
            p.drawText(QRect(4, y, widthPx - 8, kGroupHeight), Qt::AlignVCenter | Qt::AlignLeft,
                       QStringLiteral("trust domain: %1").arg(r.trustDomain.isEmpty() ? QStringLiteral("(none)") : r.trustDomain));
            y += kGroupHeight;
            p.setFont(labelFont);
        }
        p.fillRect(QRect(0, y + 1, kBandWidth, kRowHeight - 2), color);
        p.setPen(QColor(0x22, 0x22, 0x22));
        p.drawText(QRect(kBandWidth + 4, y, labelWidth - kBandWidth - 8, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(labelOf(r), Qt::ElideMiddle, labelWidth - kBandWidth - 8));
        for (int c = 0; c < r.values.size() && c < matrix.columns.size(); ++c) {
            const QRect cell(labelWidth + c * columnWidth + 1, y + 1, columnWidth - 2, kRowHeight - 2);
            const int v = r.values.at(c);
            p.setPen(QColor(0xcc, 0xcc, 0xcc));
            if (heat) {
                const qreal share = matrix.maxValue > 0 ? qreal(v) / matrix.maxValue : 0.0;
                QColor fill = v == 0 ? QColor(0xf7, 0xf7, 0xf7)
                                     : QColor::fromHsvF(0.6, 0.15 + 0.75 * share, 0.95 - 0.35 * share);
                p.fillRect(cell, fill);
                p.drawRect(cell);
                if (v > 0 && columnWidth >= 14) {
                    p.setPen(share > 0.5 ? Qt::white : QColor(0x22, 0x22, 0x22));
                    p.setFont(baseFont(8));
                    p.drawText(cell, Qt::AlignCenter, QString::number(v));
                    p.setFont(labelFont);
                }
            } else {
                p.fillRect(cell, v > 0 ? color : QColor(0xf7, 0xf7, 0xf7));
                p.drawRect(cell);
            }
        }
        y += kRowHeight;
    }
    p.end();
    return image;
}

} // namespace jwb::report
