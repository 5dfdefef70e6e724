// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "verify/Trace.h"

#include <QIcon>
#include <QPalette>

namespace jwb::ui {

// Small painted icons for a step's verdict: a tick, a cross, an exclamation mark, a dash. Painted
// from the palette's semantic tints so they follow light and dark themes (style icons differ per
// platform and some styles have none).
QIcon verdictIcon(verify::Verdict verdict, const QPalette& palette);
// A short word for the verdict ("pass", "FAIL", "warning", "skipped") for the same column.
QString verdictLabel(verify::Verdict verdict);

} // namespace jwb::ui
