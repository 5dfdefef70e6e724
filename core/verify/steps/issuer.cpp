// SPDX-License-Identifier: Apache-2.0
// Step "issuer" (RFC 7519 §4.1.1, RFC 8725 §3.8): the iss as read chose the trust entry by an exact,
// byte-for-byte match; this step reports that choice. It is untrusted until the signature verifies.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep issuer(const StepInput& in, StepResults&, TraceWriter& out)
{
    const json::Value* iss = in.token.iss;
    if (!iss)
        return traceStep(StepId::Issuer, Verdict::Fail, TraceCode::ErrIssMissing);
    if (!iss->isString())
        return traceStep(StepId::Issuer, Verdict::Fail, TraceCode::ErrIssType);
    // The trust entry was found by an exact byte match, so its own name is the token's iss.
    Trace& trace = out.trace();
    trace.issuer = in.entry ? out.policyText(in.entry->name) : out.keep(displayValue(iss->toString()));
    if (!in.entry) {
        TraceStep s = traceStep(StepId::Issuer, Verdict::Fail, TraceCode::ErrIssUnknown);
        s.arg1 = trace.issuer;
        return s;
    }
    TraceStep s = traceStep(StepId::Issuer, Verdict::Pass, TraceCode::OkIssuer);
    s.arg1 = trace.issuer;
    s.untrusted = true; // chosen before the signature is verified
    if (in.token.nested)
        s.ref = u"RFC 7519 §5.3"; // a nested JWT replicates iss in its header
    return s;
}

} // namespace jwb::verify::steps
