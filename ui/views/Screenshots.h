// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QSize>
#include <QStringList>

namespace jwb::ui {

class MainWindow;

inline constexpr QSize kScreenshotSize{1280, 800};

// Renders the main views of `window` (matrix, issuer keys and overrides, defaults, exceptions,
// problems) at kScreenshotSize into `directory` as PNG files. Returns the files written.
Result<QStringList> renderScreenshots(MainWindow& window, const QString& directory);

} // namespace jwb::ui
