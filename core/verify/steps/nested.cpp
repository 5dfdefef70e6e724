// SPDX-License-Identifier: Apache-2.0
// Step "nested" (RFC 7519 §5.2, §7.2): the payload of a token with cty: JWT is itself a token, verified
// under the same policy at one more level of depth, when the policy accepts nesting at all.
#include "verify/steps/Steps.h"

#include "verify/Pipeline.h"

namespace jwb::verify::steps {

TraceStep nested(const StepInput& in, StepResults&, TraceWriter& out)
{
    const policy::Delegation& rules = in.policy->policy.delegation;
    const VerifyOptions& options = *in.options;
    if (rules.nested == policy::Delegation::Nested::Reject)
        return traceStep(StepId::Nested, Verdict::Fail, TraceCode::ErrNestedRejected);
    if (options.nestedDepth + 1 > rules.maxNestedDepth) {
        TraceStep s = traceStep(StepId::Nested, Verdict::Fail, TraceCode::ErrNestedDepth);
        s.num1 = options.nestedDepth + 1;
        s.num2 = rules.maxNestedDepth;
        return s;
    }
    VerifyOptions inner = options;
    inner.nestedDepth = options.nestedDepth + 1;
    inner.includeReading = false; // the reading is the outer token's: the one a reader pasted
    auto innerTrace = std::make_shared<Trace>();
    verifyWithPolicy(*innerTrace, in.policy->shared_from_this(), in.token.token->payloadBytes(), nullptr, inner);
    TraceStep s;
    if (innerTrace->accepted) {
        s = traceStep(StepId::Nested, Verdict::Pass, TraceCode::OkNested);
        s.num1 = inner.nestedDepth;
    } else {
        const TraceStep* f = innerTrace->firstFailure();
        s = traceStep(StepId::Nested, Verdict::Fail, TraceCode::ErrNestedInner);
        s.arg1 = f ? out.keep(stepIdName(f->id)) : TraceText(u"unknown");
    }
    out.trace().nested = std::move(innerTrace);
    return s;
}

} // namespace jwb::verify::steps
