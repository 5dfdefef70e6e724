// SPDX-License-Identifier: Apache-2.0
#include "widgets/TimelineStrip.h"

#include "models/Palette.h"
#include "util/Time.h"

#include <QDateTime>
#include <QEvent>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace jwb::ui {

namespace {

constexpr int kMargin = 8;
constexpr qint64 kMinSpanSeconds = 60;

struct Marker {
    QString label;
    qreal x = 0;
    int row = 0;
};

QString clockText(qint64 t, bool sameDay)
{
    const QDateTime dt = QDateTime::fromSecsSinceEpoch(t, Qt::UTC);
    return dt.toString(sameDay ? QStringLiteral("HH:mm:ss") : QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

TimelineStrip::TimelineStrip(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("timelineStrip"));
    setAccessibleName(tr("Token timeline"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    updateToolTip();
}

void TimelineStrip::setTimes(const TokenTimes& times)
{
    m_times = times;
    m_hasTimes = true;
    updateToolTip();
    update();
}

void TimelineStrip::clear()
{
    m_times = {};
    m_hasTimes = false;
    updateToolTip();
    update();
}

QSize TimelineStrip::sizeHint() const
{
    const int line = fontMetrics().height();
    return {480, line * 4 + kMargin * 2};
}

QSize TimelineStrip::minimumSizeHint() const { return {200, sizeHint().height()}; }

void TimelineStrip::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}

void TimelineStrip::updateToolTip()
{
    if (!m_hasTimes) {
        setToolTip(tr("The selected token's iat, nbf and exp, the clock-skew windows and the evaluation instant."));
        return;
    }
    QStringList lines;
    const auto add = [&lines, this](const char* name, const std::optional<qint64>& t) {
        if (t)
            lines.append(QStringLiteral("%1: %2 (%3)").arg(QLatin1String(name), util::formatInstant(*t),
                                                           util::relativeTime(*t, m_times.at)));
    };
    add("iat", m_times.iat);
    add("nbf", m_times.nbf);
    add("exp", m_times.exp);
    lines.append(tr("clock skew: %1 s (hatched)").arg(m_times.skewSeconds));
    lines.append(tr("evaluated at: %1").arg(util::formatInstant(m_times.at)));
    setToolTip(lines.join(u'\n'));
}

void TimelineStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int lineH = fm.height();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(rect().adjusted(0, 0, -1, -1));

    const TokenTimes& t = m_times;
    if (!m_hasTimes || (!t.iat && !t.nbf && !t.exp)) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        p.drawText(rect(), Qt::AlignCenter,
                   m_hasTimes ? tr("The token has no iat, nbf or exp to draw.") : tr("No token selected."));
        return;
    }

    const qint64 skew = t.skewSeconds;
    qint64 lo = t.at;
    qint64 hi = t.at;
    for (const auto& v : {t.iat, t.nbf, t.exp}) {
        if (v) {
            lo = std::min(lo, *v);
            hi = std::max(hi, *v);
        }
    }
    if (t.nbf)
        lo = std::min(lo, *t.nbf - skew);
    if (t.exp)
        hi = std::max(hi, *t.exp + skew);
    if (hi - lo < kMinSpanSeconds) {
        const qint64 grow = (kMinSpanSeconds - (hi - lo)) / 2 + 1;
        lo -= grow;
        hi += grow;
    }
    const qreal pad = (hi - lo) * 0.06;
    const qreal from = lo - pad;
    const qreal to = hi + pad;
    const QRectF area = QRectF(rect()).adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const auto xOf = [&](qint64 s) { return area.left() + (s - from) / (to - from) * area.width(); };
    const bool sameDay = QDateTime::fromSecsSinceEpoch(lo, Qt::UTC).date()
                         == QDateTime::fromSecsSinceEpoch(hi, Qt::UTC).date();

    // Rows: two label rows above the bar, the bar, one label row below for the evaluation instant.
    const qreal barTop = area.top() + lineH * 2 + 2;
    const qreal barH = lineH * 0.9;
    const QRectF bar(area.left(), barTop, area.width(), barH);

    // Validity span: from nbf (or iat) to exp; open-ended where a claim is missing.
    const qreal validFrom = t.nbf ? xOf(*t.nbf) : (t.iat ? xOf(*t.iat) : area.left());
    const qreal validTo = t.exp ? xOf(*t.exp) : area.right();
    p.setPen(QPen(tintColor(pal, Tint::Ok), 1));
    p.setBrush(tintBackground(pal, Tint::Ok));
    p.drawRect(QRectF(QPointF(validFrom, bar.top()), QPointF(validTo, bar.bottom())));

    // Skew windows: accepted only because of the allowed clock difference.
    const QColor warn = tintColor(pal, Tint::Warning);
    const auto skewBox = [&](qreal x0, qreal x1) {
        if (x1 - x0 < 0.5)
            return;
        const QRectF box(QPointF(x0, bar.top()), QPointF(x1, bar.bottom()));
        p.setPen(QPen(warn, 1));
        p.setBrush(tintBackground(pal, Tint::Warning));
        p.drawRect(box);
        p.setBrush(QBrush(warn, Qt::BDiagPattern));
        p.drawRect(box);
    };
    if (t.nbf && skew > 0)
        skewBox(xOf(*t.nbf - skew), xOf(*t.nbf));
    if (t.exp && skew > 0)
        skewBox(xOf(*t.exp), xOf(*t.exp + skew));

    // Claim ticks with labels in up to two rows so neighbours never overlap.
    QList<Marker> markers;
    const auto addMarker = [&](const char* name, const std::optional<qint64>& v) {
        if (v)
            markers.append(Marker{QLatin1String(name) + u' ' + clockText(*v, sameDay), xOf(*v), 0});
    };
    addMarker("iat", t.iat);
    addMarker("nbf", t.nbf);
    addMarker("exp", t.exp);
    std::stable_sort(markers.begin(), markers.end(), [](const Marker& a, const Marker& b) { return a.x < b.x; });
    qreal rowEnd[2] = {-1e9, -1e9};
    p.setBrush(Qt::NoBrush);
    for (Marker& m : markers) {
        const qreal w = fm.horizontalAdvance(m.label);
        qreal left = std::clamp(m.x - w / 2, area.left(), area.right() - w);
        m.row = left > rowEnd[1] + 6 ? 1 : (left > rowEnd[0] + 6 ? 0 : 1);
        rowEnd[m.row] = left + w;
        const qreal labelTop = m.row == 1 ? area.top() + lineH : area.top();
        p.setPen(QPen(pal.color(QPalette::Text), 1.5));
        p.drawLine(QPointF(m.x, labelTop + lineH), QPointF(m.x, bar.bottom()));
        p.drawText(QRectF(left, labelTop, w + 1, lineH), Qt::AlignLeft | Qt::AlignVCenter, m.label);
    }

    // The evaluation instant.
    const qreal ax = xOf(t.at);
    const QColor atColor = pal.color(QPalette::Highlight);
    p.setPen(QPen(atColor, 2));
    p.drawLine(QPointF(ax, area.top()), QPointF(ax, bar.bottom() + 3));
    const QString atLabel = tr("evaluated %1 UTC").arg(clockText(t.at, sameDay));
    const qreal aw = fm.horizontalAdvance(atLabel);
    const qreal aLeft = std::clamp(ax - aw / 2, area.left(), area.right() - aw);
    p.drawText(QRectF(aLeft, bar.bottom() + 4, aw + 1, lineH), Qt::AlignLeft | Qt::AlignVCenter, atLabel);

    // Legend at the right of the lower row when there is room.
    const QString legend = tr("hatched: within %1 s clock skew").arg(skew);
    const qreal lw = fm.horizontalAdvance(legend);
    if (aLeft + aw + 24 < area.right() - lw) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        p.drawText(QRectF(area.right() - lw, bar.bottom() + 4, lw + 1, lineH), Qt::AlignRight | Qt::AlignVCenter, legend);
    } else if (aLeft > area.left() + lw + 24) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::Text));
        p.drawText(QRectF(area.left(), bar.bottom() + 4, lw + 1, lineH), Qt::AlignLeft | Qt::AlignVCenter, legend);
    }
}

} // namespace jwb::ui
