// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QString>

namespace jwb::ui {

class MainWindow;

// Adds the testing and shipping pages (Token Lab, Self-test, Corpus, Export, Rotation) to the main
// window and keeps each of them on the policy being edited. Kept apart from MainWindow so the
// window's own tests stay independent of these pages.
void installWorkbenchPages(MainWindow& window);

// Reads a deployed gateway configuration ("envoy", "istio" or "kong") and shows its drift from the
// policy in the Problems panel, kept up to date as the policy is edited (Deploy > Check Drift).
Status checkDrift(MainWindow& window, const QString& target, const QString& path);

} // namespace jwb::ui
