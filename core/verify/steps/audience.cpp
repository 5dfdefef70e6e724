// SPDX-License-Identifier: Apache-2.0
// Step "audience" (RFC 7519 §4.1.3, RFC 8725 §3.9): at least one aud must be in the row of audiences
// the trust entry may issue for. Every aud as read is kept on the trace, whatever the verdict.
#include "verify/steps/Steps.h"

#include <span>

namespace jwb::verify::steps {

TraceStep audience(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const CompiledIssuer* entry = in.entry;
    Trace& trace = out.trace();
    auto fail = [&out, entry, untrusted](TraceCode code) {
        TraceStep s = traceStep(StepId::Audience, Verdict::Fail, code);
        s.untrusted = untrusted;
        if (entry)
            s.arg2 = out.policyText(entry->name);
        return s;
    };
    auto notBound = [&out, &trace, &fail] {
        TraceStep s = fail(TraceCode::ErrAudNotBound);
        s.arg1 = out.keep(trace.audienceList().join(QStringLiteral(", ")));
        return s;
    };
    const json::Value* aud = in.token.claims[Members::Aud];
    if (!aud)
        return fail(TraceCode::ErrAudMissing);
    const std::span<const json::Value> values = aud->isArray() ? std::span(aud->items()) : std::span(aud, 1);
    if (!std::all_of(values.begin(), values.end(), [](const json::Value& v) { return v.isString(); }))
        return fail(TraceCode::ErrAudType);
    // Each audience as the trace shows it; one the trust entry names is shown with the policy's text.
    const QString* bound = nullptr;
    trace.audiences.reserve(static_cast<qsizetype>(values.size()));
    for (const json::Value& v : values) {
        const QString* known = entry ? findText(entry->audiences, v.toString()) : nullptr;
        trace.audiences.append(known ? out.policyText(*known) : out.keep(displayValue(v.toString())));
        if (known && !bound)
            bound = known;
    }
    if (values.empty())
        return fail(TraceCode::ErrAudEmpty);
    if (!entry)
        return notBound();
    if (entry->audiences.empty())
        return fail(TraceCode::ErrAudNoRow);
    if (!bound)
        return notBound();
    TraceStep s = traceStep(StepId::Audience, Verdict::Pass, TraceCode::OkAud);
    s.arg1 = out.policyText(*bound);
    s.arg2 = out.policyText(entry->name);
    s.untrusted = untrusted;
    return s;
}

} // namespace jwb::verify::steps
