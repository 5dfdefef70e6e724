// SPDX-License-Identifier: Apache-2.0
#include "widgets/FrozenTableView.h"

#include <QAbstractItemDelegate>
#include <QApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTimer>

namespace jwb::ui {

FrozenTableView::FrozenTableView(int frozenColumns, QWidget* parent)
    : QTableView(parent), m_frozenColumns(frozenColumns), m_frozen(new QTableView(this))
{
    setTabKeyNavigation(false);
    setHorizontalScrollMode(ScrollPerPixel);
    m_frozen->setObjectName(QStringLiteral("frozenColumns"));
    m_frozen->setFocusPolicy(Qt::NoFocus);
    m_frozen->verticalHeader()->hide();
    m_frozen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_frozen->setVerticalScrollMode(verticalScrollMode());
    m_frozen->setFrameShape(QFrame::NoFrame);
    m_frozen->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_frozen->horizontalHeader()->setHighlightSections(false);
    // The two views scroll vertically as one.
    connect(m_frozen->verticalScrollBar(), &QScrollBar::valueChanged, verticalScrollBar(), &QScrollBar::setValue);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, m_frozen->verticalScrollBar(), &QScrollBar::setValue);
    // Widths follow the main header, which the user resizes.
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int section, int, int size) {
        if (section < m_frozenColumns) {
            m_frozen->setColumnWidth(section, size);
            layoutFrozen();
        }
    });
    // A click in the frozen part puts the keyboard here, where navigation lives; so does a closed
    // editor, which hands focus back to its own view.
    connect(m_frozen, &QAbstractItemView::pressed, this, [this] { setFocus(Qt::MouseFocusReason); });
    m_frozen->installEventFilter(this);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        const int direction = value > m_lastScroll ? 1 : value < m_lastScroll ? -1 : 0;
        if (!horizontalScrollBar()->isSliderDown())
            alignToColumn(direction);
        m_lastScroll = horizontalScrollBar()->value();
    });
    connect(horizontalScrollBar(), &QScrollBar::sliderReleased, this, [this] {
        alignToColumn(0);
        m_lastScroll = horizontalScrollBar()->value();
    });
}

void FrozenTableView::alignToColumn(int direction)
{
    QScrollBar* bar = horizontalScrollBar();
    if (m_aligning || !model() || bar->value() == 0)
        return;
    QHeaderView* header = horizontalHeader();
    const int edge = frozenWidth();
    const int column = header->logicalIndexAt(edge);
    if (column < m_frozenColumns)
        return;
    const int hidden = edge - header->sectionViewportPosition(column); // pixels of it under the frozen part
    if (hidden <= 0)
        return;
    const int size = header->sectionSize(column);
    const int reveal = bar->value() - hidden;        // the column shown whole
    const int skip = bar->value() + (size - hidden); // the next one first
    int target = reveal;
    if (direction > 0 || (direction == 0 && hidden > size / 2))
        target = skip <= bar->maximum() ? skip : bar->value(); // at the end the last column stays whole
    if (target == bar->value())
        return;
    m_aligning = true;
    bar->setValue(target);
    m_aligning = false;
}

void FrozenTableView::setModel(QAbstractItemModel* model)
{
    QTableView::setModel(model);
    m_frozen->setModel(model);
    m_frozen->setSelectionModel(selectionModel());
    if (model) {
        connect(model, &QAbstractItemModel::columnsInserted, this, &FrozenTableView::hideScrollingColumns);
        connect(model, &QAbstractItemModel::modelReset, this, &FrozenTableView::hideScrollingColumns);
        connect(model, &QAbstractItemModel::layoutChanged, this, &FrozenTableView::hideScrollingColumns);
    }
    hideScrollingColumns();
}

void FrozenTableView::hideScrollingColumns()
{
    QAbstractItemModel* m = model();
    if (!m)
        return;
    for (int c = 0; c < m->columnCount(); ++c) {
        const bool frozen = c < m_frozenColumns;
        if (m_frozen->isColumnHidden(c) == frozen)
            m_frozen->setColumnHidden(c, !frozen);
        if (frozen)
            m_frozen->setColumnWidth(c, columnWidth(c));
    }
    layoutFrozen();
    // Other columns (a filter) at the same scroll position can start anywhere under the frozen part.
    QTimer::singleShot(0, this, [this] { alignToColumn(0); });
}

int FrozenTableView::frozenWidth() const
{
    int width = 0;
    for (int c = 0; c < m_frozenColumns && model() && c < model()->columnCount(); ++c)
        width += columnWidth(c);
    return width;
}

void FrozenTableView::layoutFrozen()
{
    const int left = frameWidth() + (verticalHeader()->isVisible() ? verticalHeader()->width() : 0);
    m_frozen->horizontalHeader()->setFixedHeight(horizontalHeader()->height());
    m_frozen->setGeometry(left, frameWidth(), frozenWidth(), viewport()->height() + horizontalHeader()->height());
    m_frozen->verticalHeader()->setDefaultSectionSize(verticalHeader()->defaultSectionSize());
}

void FrozenTableView::resizeEvent(QResizeEvent* event)
{
    QTableView::resizeEvent(event);
    layoutFrozen();
}

void FrozenTableView::updateGeometries()
{
    QTableView::updateGeometries();
    layoutFrozen();
}

void FrozenTableView::keyPressEvent(QKeyEvent* event)
{
    // Ctrl+PageUp/PageDown switch pages in many applications; here they never move the row.
    if ((event->key() == Qt::Key_PageDown || event->key() == Qt::Key_PageUp)
        && (event->modifiers() & Qt::ControlModifier)) {
        event->ignore();
        return;
    }
    QTableView::keyPressEvent(event);
}

QModelIndex FrozenTableView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers)
{
    const QModelIndex next = QTableView::moveCursor(cursorAction, modifiers);
    // Moving left onto a cell hidden under the frozen part scrolls it out from under.
    if (cursorAction == MoveLeft && next.isValid() && next.column() >= m_frozenColumns) {
        const int hidden = frozenWidth() - visualRect(next).left();
        if (hidden > 0)
            horizontalScrollBar()->setValue(horizontalScrollBar()->value() - hidden);
    }
    return next;
}

bool FrozenTableView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_frozen && event->type() == QEvent::FocusIn)
        setFocus(Qt::OtherFocusReason);
    return QTableView::eventFilter(watched, event);
}

void FrozenTableView::takeFocusBack()
{
    QWidget* focus = QApplication::focusWidget();
    if (!focus || focus == m_frozen || m_frozen->isAncestorOf(focus))
        setFocus(Qt::OtherFocusReason);
}

bool FrozenTableView::edit(const QModelIndex& index, EditTrigger trigger, QEvent* event)
{
    if (!index.isValid() || index.column() >= m_frozenColumns)
        return QTableView::edit(index, trigger, event);
    if (trigger != AllEditTriggers && !(editTriggers() & trigger))
        return false;
    if (!(model()->flags(index) & Qt::ItemIsEditable))
        return false;
    m_frozen->edit(index);
    if (QAbstractItemDelegate* delegate = m_frozen->itemDelegateForIndex(index))
        connect(delegate, &QAbstractItemDelegate::closeEditor, this, &FrozenTableView::takeFocusBack,
                static_cast<Qt::ConnectionType>(Qt::QueuedConnection | Qt::UniqueConnection));
    // The character that started the edit goes on to the editor, as it would in a plain table.
    QWidget* editor = QApplication::focusWidget();
    if (trigger == AnyKeyPressed && event && event->type() == QEvent::KeyPress && editor
        && m_frozen->viewport()->isAncestorOf(editor)) {
        auto* key = static_cast<QKeyEvent*>(event);
        QKeyEvent copy(key->type(), key->key(), key->modifiers(), key->text());
        QCoreApplication::sendEvent(editor, &copy);
    }
    return true;
}

void FrozenTableView::scrollTo(const QModelIndex& index, ScrollHint hint)
{
    // Where a cell is brought into view it stays, whole, even if that leaves a column cut at the
    // frozen edge: the cell asked for matters more than the edge.
    m_aligning = true;
    QTableView::scrollTo(index, hint);
    m_aligning = false;
    if (index.isValid() && index.column() >= m_frozenColumns) {
        const int hidden = frozenWidth() - visualRect(index).left();
        if (hidden > 0)
            horizontalScrollBar()->setValue(horizontalScrollBar()->value() - hidden);
    }
}

} // namespace jwb::ui
