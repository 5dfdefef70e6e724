// SPDX-License-Identifier: Apache-2.0
// PLACEHOLDER while the Apache exporter is written this session; not yet in allTargets().
#include "export/ExportSupport.h"

namespace jwb::exporting::detail {

namespace {

class ApacheExporter final : public Exporter {
public:
    Target target() const override { return Target::Apache; }
    Result<ExportResult> exportPolicy(const policy::Policy&, const ExportProfile&) const override
    {
        return Error{QStringLiteral("ERR_EXPORT_TARGET"), QStringLiteral("this target is not implemented yet"), {}};
    }
};

} // namespace

std::unique_ptr<Exporter> makeApacheExporter()
{
    return std::make_unique<ApacheExporter>();
}

} // namespace jwb::exporting::detail
