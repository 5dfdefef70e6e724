// SPDX-License-Identifier: Apache-2.0
#include "widgets/VerdictIcon.h"

#include "models/Palette.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace jwb::ui {

namespace {

QPixmap paint(verify::Verdict verdict, const QPalette& palette, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(pixmap.rect()).adjusted(size * 0.08, size * 0.08, -size * 0.08, -size * 0.08);
    QColor fill;
    switch (verdict) {
    case verify::Verdict::Pass:
        fill = tintColor(palette, Tint::Ok);
        break;
    case verify::Verdict::Fail:
        fill = tintColor(palette, Tint::Danger);
        break;
    case verify::Verdict::Warning:
        fill = tintColor(palette, Tint::Warning);
        break;
    case verify::Verdict::Skipped:
        fill = palette.color(QPalette::Disabled, QPalette::Text);
        break;
    }
    const QColor mark = palette.color(QPalette::Base);
    QPen pen(mark, size * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    if (verdict == verify::Verdict::Skipped) {
        // Hollow: nothing was decided here.
        p.setPen(QPen(fill, size * 0.1));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(size * 0.05, size * 0.05, -size * 0.05, -size * 0.05));
        p.drawLine(QPointF(r.left() + r.width() * 0.3, r.center().y()), QPointF(r.right() - r.width() * 0.3, r.center().y()));
        return pixmap;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    if (verdict == verify::Verdict::Warning) {
        QPainterPath triangle;
        triangle.moveTo(r.center().x(), r.top());
        triangle.lineTo(r.right(), r.bottom());
        triangle.lineTo(r.left(), r.bottom());
        triangle.closeSubpath();
        p.drawPath(triangle);
        p.setPen(pen);
        p.drawLine(QPointF(r.center().x(), r.top() + r.height() * 0.35), QPointF(r.center().x(), r.top() + r.height() * 0.62));
        p.drawPoint(QPointF(r.center().x(), r.top() + r.height() * 0.8));
        return pixmap;
    }
    p.drawEllipse(r);
    p.setPen(pen);
    const qreal w = r.width();
    if (verdict == verify::Verdict::Pass) {
        QPainterPath tick;
        tick.moveTo(r.left() + w * 0.27, r.top() + w * 0.52);
        tick.lineTo(r.left() + w * 0.44, r.top() + w * 0.69);
        tick.lineTo(r.left() + w * 0.74, r.top() + w * 0.33);
        p.setBrush(Qt::NoBrush);
        p.drawPath(tick);
    } else {
        p.drawLine(QPointF(r.left() + w * 0.32, r.top() + w * 0.32), QPointF(r.right() - w * 0.32, r.bottom() - w * 0.32));
        p.drawLine(QPointF(r.right() - w * 0.32, r.top() + w * 0.32), QPointF(r.left() + w * 0.32, r.bottom() - w * 0.32));
    }
    return pixmap;
}

} // namespace

QIcon verdictIcon(verify::Verdict verdict, const QPalette& palette)
{
    QIcon icon;
    for (const int size : {16, 24, 32})
        icon.addPixmap(paint(verdict, palette, size));
    return icon;
}

QString verdictLabel(verify::Verdict verdict)
{
    switch (verdict) {
    case verify::Verdict::Pass:
        return QCoreApplication::translate("jwb::ui::VerdictIcon", "pass");
    case verify::Verdict::Fail:
        return QCoreApplication::translate("jwb::ui::VerdictIcon", "FAIL");
    case verify::Verdict::Warning:
        return QCoreApplication::translate("jwb::ui::VerdictIcon", "warning");
    case verify::Verdict::Skipped:
        return QCoreApplication::translate("jwb::ui::VerdictIcon", "skipped");
    }
    return {};
}

} // namespace jwb::ui
