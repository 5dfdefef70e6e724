// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTableView>

namespace jwb::ui {

// A table whose first `frozenColumns` columns stay in place while the rest scroll horizontally
// (the matrix keeps its issuer and trust-domain columns in view across 1,000 audiences). The
// frozen part is a second view laid over the left edge, on the same model and selection model;
// it never takes keyboard focus, so keyboard navigation and Tab order are this view's alone.
//
// Keyboard: Tab and Shift+Tab leave the table (arrows move within it); Ctrl+PageUp/PageDown are
// left to the window (they never move the current row). The current cell is drawn with an outline
// of its own, distinct from the selection's fill.
class FrozenTableView final : public QTableView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrozenTableView)

public:
    explicit FrozenTableView(int frozenColumns, QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;
    void scrollTo(const QModelIndex& index, ScrollHint hint = EnsureVisible) override;
    QTableView* frozenView() const { return m_frozen; }
    using QTableView::edit; // the public edit(index) slot, beside the override below

protected:
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    // Cells of the frozen columns are edited in the frozen view, where they are seen.
    bool edit(const QModelIndex& index, EditTrigger trigger, QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void updateGeometries() override;

private:
    void hideScrollingColumns();
    // Moves the horizontal scroll so that a column starts exactly at the frozen part's right edge:
    // scrolled by pixels, the first audience would otherwise sit half under the frozen columns,
    // its header cut. Not while the scroll bar is being dragged (then once it is released).
    // `direction`: the way it was scrolled (+1 right, -1 left, 0 unknown: to the nearer boundary).
    void alignToColumn(int direction);
    // After an editor of the frozen part closes: the keyboard comes back here, unless the user went elsewhere.
    void takeFocusBack();
    void layoutFrozen();
    int frozenWidth() const;

    int m_frozenColumns;
    QTableView* m_frozen;
    bool m_aligning = false;
    int m_lastScroll = 0;
};

} // namespace jwb::ui
