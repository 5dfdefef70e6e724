// SPDX-License-Identifier: Apache-2.0
// Step "not_before" (RFC 7519 §4.1.5): nbf, when present, must not lie after the evaluation instant
// plus the clock skew.
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep notBefore(const StepInput& in, StepResults& results, TraceWriter& out)
{
    using enum TraceCode;
    // The skew lets a token through whose issuer's clock runs ahead of ours.
    constexpr SkewedBound validFrom = [](qint64 now, qint64 nbf, qint64 skew) { return now + skew >= nbf; };
    constexpr DateClaimCheck check{
        StepId::NotBefore, Members::Nbf, u"nbf", Verdict::Skipped, SkippedNbfAbsent, validFrom, OkNbf,
        WarnNbfByException, ErrNotYetValid};
    return checkDateClaim(check, in, results, out);
}

} // namespace jwb::verify::steps
