// SPDX-License-Identifier: Apache-2.0
// Canonical JSON and YAML: the policy itself in format v1, via the policy engineer's serializer so
// an export and a save are byte-identical.
#include "export/ExportSupport.h"

#include "policy/PolicyIO.h"

namespace jwb::exporting::detail {

namespace {

class CanonicalExporter final : public Exporter {
public:
    explicit CanonicalExporter(Target target) : m_target(target) {}
    Target target() const override { return m_target; }
    Result<ExportResult> exportPolicy(const policy::Policy& policy, const ExportProfile&) const override
    {
        ExportResult result;
        result.text = policy::serializePolicy(
            policy, m_target == Target::CanonicalJson ? policy::Format::Json : policy::Format::Yaml);
        return result;
    }

private:
    Target m_target;
};

} // namespace

std::unique_ptr<Exporter> makeCanonicalExporter(Target target)
{
    return std::make_unique<CanonicalExporter>(target);
}

} // namespace jwb::exporting::detail
