// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace jwb::ui {

class MainWindow;

// Adds the testing and shipping pages (Token Lab, Self-test, Corpus, Export, Rotation) to the main
// window and keeps each of them on the policy being edited. Kept apart from MainWindow so the
// window's own tests stay independent of these pages.
void installWorkbenchPages(MainWindow& window);

} // namespace jwb::ui
