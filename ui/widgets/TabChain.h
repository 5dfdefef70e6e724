// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

#include <initializer_list>

namespace jwb::ui {

// Makes Tab visit `order` one after the other. Needed where widgets are created in one order and
// laid out in another (a widget reparented into a layout row moves to the end of the focus chain).
inline void setTabChain(std::initializer_list<QWidget*> order)
{
    QWidget* previous = nullptr;
    for (QWidget* next : order) {
        if (previous)
            QWidget::setTabOrder(previous, next);
        previous = next;
    }
}

} // namespace jwb::ui
