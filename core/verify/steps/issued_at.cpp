// SPDX-License-Identifier: Apache-2.0
// Step "issued_at" (RFC 7519 §4.1.6): iat, when present, must not lie in the future beyond the clock
// skew. Within an exception's wider skew the step warns, still under OK_IAT.
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

// An iat beyond now plus the skew says the issuer's clock, or the token, is not to be believed.
TraceStep issuedAt(const StepInput& in, StepResults& results, TraceWriter& out)
{
    using enum TraceCode;
    constexpr SkewedBound notInFuture = [](qint64 now, qint64 iat, qint64 skew) { return iat <= now + skew; };
    return checkDateClaim({StepId::IssuedAt, Members::Iat, u"iat", Verdict::Skipped, SkippedIatAbsent, notInFuture,
                           OkIat, OkIat, ErrIatFuture},
                          in, results, out);
}

} // namespace jwb::verify::steps
