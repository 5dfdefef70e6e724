// SPDX-License-Identifier: Apache-2.0
// PLACEHOLDER while the Haproxy exporter is written this session; not yet in allTargets().
#include "export/ExportSupport.h"

namespace jwb::exporting::detail {

namespace {

class HaproxyExporter final : public Exporter {
public:
    Target target() const override { return Target::Haproxy; }
    Result<ExportResult> exportPolicy(const policy::Policy&, const ExportProfile&) const override
    {
        return Error{QStringLiteral("ERR_EXPORT_TARGET"), QStringLiteral("this target is not implemented yet"), {}};
    }
};

} // namespace

std::unique_ptr<Exporter> makeHaproxyExporter()
{
    return std::make_unique<HaproxyExporter>();
}

} // namespace jwb::exporting::detail
