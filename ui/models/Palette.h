// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QPalette>

namespace jwb::ui {

// Semantic tints derived from the current palette, so light and dark themes both stay readable:
// the hue says what it means, lightness follows the palette's base colour.
enum class Tint { Danger, Warning, Ok };

QColor tintColor(const QPalette& palette, Tint tint);           // for text and icons
QColor tintBackground(const QPalette& palette, Tint tint);      // a faint wash over Base

} // namespace jwb::ui
