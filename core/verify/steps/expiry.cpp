// SPDX-License-Identifier: Apache-2.0
// Step "expiry" (RFC 7519 §4.1.4): exp must lie after the evaluation instant less the clock skew. A
// missing exp fails here when the policy requires it, since that is the cause a reader looks for first.
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep expiry(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool required = in.rules.requiresExp;
    const DateClaimCheck check{StepId::Expiry,
                               Members::Exp,
                               u"exp",
                               required ? Verdict::Fail : Verdict::Skipped,
                               required ? TraceCode::ErrExpMissing : TraceCode::SkippedExpAbsent,
                               [](qint64 now, qint64 exp, qint64 skew) { return now < exp + skew; },
                               TraceCode::OkExp,
                               TraceCode::WarnExpByException,
                               TraceCode::ErrExpired};
    return checkDateClaim(check, in, results, out);
}

} // namespace jwb::verify::steps
