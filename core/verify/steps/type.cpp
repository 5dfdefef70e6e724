// SPDX-License-Identifier: Apache-2.0
// Step "type" (RFC 7515 §4.1.9, RFC 8725 §3.11): typ against the issuer's accepted media types, compared
// as MIME types (case-insensitive, "application/" implied).
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep type(const StepInput& in, StepResults&, TraceWriter& out)
{
    const json::Value* typ = in.token.header[Members::Typ];
    const policy::EffectiveRules& rules = in.rules.rules;
    if (!rules.allowedTypes) {
        if (rules.requireType && !typ) {
            TraceStep s = traceStep(StepId::Type, Verdict::Fail, TraceCode::ErrTypeMissing);
            s.arg2 = u"any";
            return s;
        }
        return traceStep(StepId::Type, Verdict::Skipped, TraceCode::SkippedTypeNotChecked);
    }
    const QString& allowed = in.rules.allowedTypesText;
    if (!typ) {
        if (rules.requireType) {
            TraceStep s = traceStep(StepId::Type, Verdict::Fail, TraceCode::ErrTypeMissing);
            s.arg2 = out.policyText(allowed);
            return s;
        }
        return traceStep(StepId::Type, Verdict::Pass, TraceCode::OkTypeAbsent);
    }
    if (!typ->isString()) {
        TraceStep s = traceStep(StepId::Type, Verdict::Fail, TraceCode::ErrHeaderMemberType);
        s.arg1 = u"typ";
        s.arg2 = u"a string";
        return s;
    }
    const std::string_view value = typ->toString();
    for (const PolicyString& t : in.rules.allowedTypes) {
        if (sameMediaType(t.bytes, value)) {
            // Shown as the token spells it; the policy's text serves when the spelling is the same.
            TraceStep s = traceStep(StepId::Type, Verdict::Pass, TraceCode::OkType);
            s.arg1 = t.bytes == value ? out.policyText(t.text) : out.keep(displayValue(value));
            return s;
        }
    }
    TraceStep s = traceStep(StepId::Type, Verdict::Fail, TraceCode::ErrTypeNotAllowed);
    s.arg1 = out.keep(displayValue(value));
    s.arg2 = out.policyText(allowed);
    return s;
}

} // namespace jwb::verify::steps
