// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace jwb {

// Registers resources/core_resources.qrc (":/policies/...", ":/schema/...", ":/tokens/...").
// jwb_core is a static library: without a reference the linker drops the compiled resources, so
// every reader of ":/" paths calls this first. Cheap and idempotent.
void ensureCoreResources();

} // namespace jwb
