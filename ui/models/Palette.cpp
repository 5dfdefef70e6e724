// SPDX-License-Identifier: Apache-2.0
#include "models/Palette.h"

namespace jwb::ui {

namespace {

int hueFor(Tint tint)
{
    switch (tint) {
    case Tint::Danger:
        return 0;
    case Tint::Warning:
        return 38;
    case Tint::Ok:
        return 120;
    }
    return 0;
}

bool isDark(const QPalette& palette) { return palette.color(QPalette::Base).lightnessF() < 0.5; }

} // namespace

QColor tintColor(const QPalette& palette, Tint tint)
{
    // Dark themes need a lighter shade to keep contrast against Base.
    return QColor::fromHsl(hueFor(tint), 200, isDark(palette) ? 170 : 100);
}

QColor tintBackground(const QPalette& palette, Tint tint)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor hue = QColor::fromHsl(hueFor(tint), 220, isDark(palette) ? 90 : 160);
    // 25% of the hue over Base: a wash, not a fill, so the text colour keeps working.
    const auto mix = [](int a, int b) { return (a * 3 + b) / 4; };
    return QColor(mix(base.red(), hue.red()), mix(base.green(), hue.green()), mix(base.blue(), hue.blue()));
}

} // namespace jwb::ui
