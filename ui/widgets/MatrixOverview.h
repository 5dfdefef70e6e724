// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QTimer>
#include <QWidget>

namespace jwb::ui {

class PolicyDocument;

// A compact heat map of the whole issuer x audience matrix: issuers top to bottom, audiences left
// to right, each pixel the ticks of the block of cells it covers (darker: more), warning-tinted
// where a tick is for an audience shared across trust domains. The part the matrix shows is
// outlined. A click asks to go to the cell under it. Redrawn once per event-loop turn after
// changes, from the document's index (no model walk): about 50,000 ticks for 10,000 issuers.
class MatrixOverview final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixOverview)

public:
    explicit MatrixOverview(PolicyDocument* document, QWidget* parent = nullptr);

    // The shown part in document rows and audience columns (half-open), outlined on the map.
    void setVisibleArea(int firstRow, int lastRow, int firstAudience, int lastAudience);
    // The document cell (issuer row, audience column) under a point of the widget, or {-1, -1}.
    QPoint cellAt(const QPoint& pos) const;
    QSize sizeHint() const override;

signals:
    void cellRequested(int issuerRow, int audienceColumn);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QRect mapRect() const;
    void rebuild();

    PolicyDocument* m_document;
    QImage m_image;
    QRect m_visible; // in document rows (y) and audience columns (x)
    QTimer m_pending;
    bool m_stale = true;
};

} // namespace jwb::ui
