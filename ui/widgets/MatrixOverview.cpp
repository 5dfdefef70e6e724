// SPDX-License-Identifier: Apache-2.0
#include "widgets/MatrixOverview.h"

#include "models/Palette.h"
#include "models/PolicyDocument.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <vector>

namespace jwb::ui {

namespace {
constexpr int kRedrawDelayMs = 100;
}

MatrixOverview::MatrixOverview(PolicyDocument* document, QWidget* parent) : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("matrixOverview"));
    setAccessibleName(tr("Matrix overview"));
    setToolTip(tr("The whole matrix: issuers top to bottom, audiences left to right; darker where more cells are "
                  "ticked, tinted where a ticked audience is shared across trust domains. Click to go there."));
    setFocusPolicy(Qt::NoFocus); // a pointer shortcut; the filter box is the keyboard's way there
    setMinimumWidth(96);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setCursor(Qt::PointingHandCursor);
    // Redrawn a moment after changes, after lint has been started: a burst of edits is one redraw.
    m_pending.setSingleShot(true);
    m_pending.setInterval(kRedrawDelayMs);
    connect(&m_pending, &QTimer::timeout, this, &MatrixOverview::rebuild);
    connect(document, &PolicyDocument::policyChanged, &m_pending, qOverload<>(&QTimer::start));
    connect(document, &PolicyDocument::resetDone, &m_pending, qOverload<>(&QTimer::start));
}

QSize MatrixOverview::sizeHint() const { return {112, 400}; }

QRect MatrixOverview::mapRect() const { return rect().adjusted(2, 2, -2, -2); }

void MatrixOverview::setVisibleArea(int firstRow, int lastRow, int firstAudience, int lastAudience)
{
    const QRect visible(QPoint(firstAudience, firstRow), QPoint(lastAudience - 1, lastRow - 1));
    if (visible == m_visible)
        return;
    m_visible = visible;
    update();
}

void MatrixOverview::showEvent(QShowEvent*)
{
    if (m_stale)
        m_pending.start();
}

void MatrixOverview::rebuild()
{
    if (!isVisible()) {
        m_stale = true; // redrawn when shown
        return;
    }
    m_stale = false;
    const QRect area = mapRect();
    const int rows = m_document->issuerCount();
    const int columns = static_cast<int>(m_document->audiences().size());
    if (area.width() <= 0 || area.height() <= 0 || rows == 0 || columns == 0) {
        m_image = QImage();
        update();
        return;
    }
    // One bucket per pixel, or per cell when the matrix is smaller than the map.
    const int w = std::min(area.width(), columns);
    const int h = std::min(area.height(), rows);
    std::vector<int> ticks(static_cast<size_t>(w) * h, 0);
    std::vector<char> flagged(static_cast<size_t>(w) * h, 0);
    const auto& issuers = m_document->policy().issuers;
    for (int r = 0; r < rows; ++r) {
        const int y = static_cast<int>(static_cast<qint64>(r) * h / rows);
        for (const QString& audience : issuers.at(r).audiences) {
            const int c = m_document->audienceColumn(audience);
            if (c < 0)
                continue;
            const size_t at = static_cast<size_t>(y) * w + static_cast<size_t>(static_cast<qint64>(c) * w / columns);
            ++ticks[at];
            if (m_document->audienceSharedAcrossDomains(audience))
                flagged[at] = 1;
        }
    }
    const int most = std::max(1, *std::max_element(ticks.cbegin(), ticks.cend()));
    const QPalette p = palette();
    const QColor base = p.color(QPalette::Base);
    const QColor ink = p.color(QPalette::Highlight);
    const QColor warn = tintColor(p, Tint::Warning);
    m_image = QImage(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const size_t at = static_cast<size_t>(y) * w + x;
            if (ticks[at] == 0) {
                line[x] = base.rgb();
                continue;
            }
            // Square root: a single tick stays visible beside the densest block.
            const double t = 0.35 + 0.65 * std::sqrt(static_cast<double>(ticks[at]) / most);
            const QColor& c = flagged[at] ? warn : ink;
            line[x] = qRgb(static_cast<int>(base.red() + (c.red() - base.red()) * t),
                           static_cast<int>(base.green() + (c.green() - base.green()) * t),
                           static_cast<int>(base.blue() + (c.blue() - base.blue()) * t));
        }
    }
    update();
}

QPoint MatrixOverview::cellAt(const QPoint& pos) const
{
    const QRect area = mapRect();
    const int rows = m_document->issuerCount();
    const int columns = static_cast<int>(m_document->audiences().size());
    if (!area.contains(pos) || rows == 0 || columns == 0)
        return {-1, -1};
    const int row = static_cast<int>(static_cast<qint64>(pos.y() - area.top()) * rows / area.height());
    const int column = static_cast<int>(static_cast<qint64>(pos.x() - area.left()) * columns / area.width());
    return {std::clamp(column, 0, columns - 1), std::clamp(row, 0, rows - 1)};
}

void MatrixOverview::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRect area = mapRect();
    painter.fillRect(rect(), palette().color(QPalette::Window));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(area.adjusted(-1, -1, 0, 0));
    if (m_image.isNull()) {
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("No issuers"));
        return;
    }
    painter.drawImage(area, m_image);
    const int rows = m_document->issuerCount();
    const int columns = static_cast<int>(m_document->audiences().size());
    if (m_visible.isValid() && rows > 0 && columns > 0) {
        const auto x = [&](int c) { return area.left() + static_cast<int>(static_cast<qint64>(c) * area.width() / columns); };
        const auto y = [&](int r) { return area.top() + static_cast<int>(static_cast<qint64>(r) * area.height() / rows); };
        // At 10,000 rows the shown part is a few pixels: a band across the map marks its rows, and
        // the outline is never smaller than a fingertip's worth.
        constexpr int minimum = 7;
        QRect shown(QPoint(x(m_visible.left()), y(m_visible.top())),
                    QPoint(x(m_visible.right() + 1), y(m_visible.bottom() + 1)));
        if (shown.width() < minimum)
            shown.adjust(-(minimum - shown.width()) / 2, 0, (minimum - shown.width() + 1) / 2, 0);
        if (shown.height() < minimum)
            shown.adjust(0, -(minimum - shown.height()) / 2, 0, (minimum - shown.height() + 1) / 2);
        QColor band = palette().color(QPalette::Highlight);
        band.setAlpha(60);
        painter.fillRect(QRect(area.left(), shown.top(), area.width(), shown.height()), band);
        painter.setPen(QPen(palette().color(QPalette::Text), 2));
        painter.drawRect(shown.adjusted(0, 0, -1, -1));
    }
}

void MatrixOverview::resizeEvent(QResizeEvent*) { m_pending.start(); }

void MatrixOverview::mousePressEvent(QMouseEvent* event)
{
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.x() >= 0)
        emit cellRequested(cell.y(), cell.x());
}

void MatrixOverview::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        mousePressEvent(event);
}

} // namespace jwb::ui
