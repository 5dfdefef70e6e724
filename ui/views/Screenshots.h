// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QList>
#include <QSize>
#include <QStringList>

namespace jwb::ui {

class MainWindow;

inline constexpr QSize kScreenshotSize{1280, 800};
// The smallest window the workbench is laid out for: every page must stay usable at this size.
inline constexpr QSize kSmallestWindowSize{1024, 700};

// Renders every page of `window` (matrix, issuer keys and overrides, defaults, exceptions, and when
// installed Token Lab, Self-test, Corpus, Export, Key rotation; then problems) at kScreenshotSize
// as "<page>.png" and at kSmallestWindowSize as "<page>-1024x700.png" into `directory`. The pages
// are filled with the document's policy, fixed instants and tokens made from the embedded sample,
// and waited for (bounded) where they work in the background. Returns the files written.
Result<QStringList> renderScreenshots(MainWindow& window, const QString& directory);

} // namespace jwb::ui
