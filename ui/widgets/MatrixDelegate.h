// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStyledItemDelegate>

namespace jwb::ui {

// Paints matrix cells as usual, plus two things a dense matrix needs: the current (keyboard) cell
// gets a thick outline in the text colour, so it stays visible inside or outside the selection's
// fill, and the first row of each trust-domain group gets a rule above it.
class MatrixDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace jwb::ui
