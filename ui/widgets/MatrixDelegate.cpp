// SPDX-License-Identifier: Apache-2.0
#include "widgets/MatrixDelegate.h"

#include "models/MatrixFilterModel.h"

#include <QPainter>

namespace jwb::ui {

void MatrixDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem plain(option);
    const bool focused = option.state & QStyle::State_HasFocus;
    plain.state &= ~QStyle::State_HasFocus; // the style's dotted focus rectangle is too faint to find
    QStyledItemDelegate::paint(painter, plain, index);
    painter->save();
    if (index.sibling(index.row(), 1).data(MatrixFilterModel::GroupStartRole).toBool()) {
        painter->setPen(QPen(option.palette.color(QPalette::Mid), 2));
        painter->drawLine(option.rect.topLeft(), option.rect.topRight());
    }
    if (focused) {
        const QColor ink = option.palette.color(QPalette::Text);
        painter->setPen(QPen(ink, 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(option.rect.adjusted(1, 1, -1, -1));
        painter->setPen(QPen(option.palette.color(QPalette::Base), 1));
        painter->drawRect(option.rect.adjusted(3, 3, -4, -4));
    }
    painter->restore();
}

} // namespace jwb::ui
