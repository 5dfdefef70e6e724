// SPDX-License-Identifier: Apache-2.0
#include "policy/CoreResources.h"

#include <QtGlobal>

#include <mutex>

// Q_INIT_RESOURCE declares the rcc-generated function in the current namespace, so it must be used
// from the global one.
static void initCoreResourcesOnce()
{
    Q_INIT_RESOURCE(core_resources);
}

namespace jwb {

void ensureCoreResources()
{
    static std::once_flag once;
    std::call_once(once, initCoreResourcesOnce);
}

} // namespace jwb
