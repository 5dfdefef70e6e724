// SPDX-License-Identifier: Apache-2.0
// Step "subject" (RFC 7519 §4.1.2): sub is a string, and on the issuer's subject allowlist when it has one.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep subject(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const json::Value* sub = in.token.claims[Members::Sub];
    const CompiledIssuer* entry = in.entry;
    if (!entry || entry->subjects.empty()) {
        // RFC 7519 §4.1.2: sub is a StringOrURI whether or not the policy lists subjects.
        if (sub && !sub->isString()) {
            TraceStep s = traceStep(StepId::Subject, Verdict::Fail, TraceCode::ErrSubType);
            s.untrusted = untrusted;
            return s;
        }
        return traceStep(StepId::Subject, Verdict::Skipped, TraceCode::SkippedSubNoAllowlist);
    }
    const QString* allowed = sub && sub->isString() ? findText(entry->subjects, sub->toString()) : nullptr;
    const TraceCode code = !sub              ? TraceCode::ErrSubMissing
                           : !sub->isString() ? TraceCode::ErrSubType
                           : !allowed         ? TraceCode::ErrSubNotAllowed
                                              : TraceCode::OkSub;
    TraceStep s = traceStep(StepId::Subject, code == TraceCode::OkSub ? Verdict::Pass : Verdict::Fail, code);
    if (allowed)
        s.arg1 = out.policyText(*allowed);
    else if (sub && sub->isString())
        s.arg1 = out.keep(displayValue(sub->toString()));
    s.untrusted = untrusted;
    return s;
}

} // namespace jwb::verify::steps
