// SPDX-License-Identifier: Apache-2.0
// Step "lifetime" (RFC 7519 §4.1.4, §4.1.6): exp less iat (or nbf) within the policy's maximum lifetime.
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep lifetime(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const std::optional<qint64>& limit = in.rules.rules.maxLifetimeSeconds;
    if (!limit)
        return traceStep(StepId::Lifetime, Verdict::Skipped, TraceCode::SkippedLifetimeNoLimit);
    const Members& c = in.token.claims;
    qint64 exp = 0;
    qint64 start = 0;
    const bool haveExp = readNumericDate(c[Members::Exp], exp) == DateRead::Ok;
    const bool haveStart = readNumericDate(c[Members::Iat], start) == DateRead::Ok
                           || readNumericDate(c[Members::Nbf], start) == DateRead::Ok;
    if (!haveExp || !haveStart) {
        TraceStep s = traceStep(StepId::Lifetime, Verdict::Fail, TraceCode::ErrLifetimeUnknown);
        s.arg1 = !haveExp ? TraceText(u"a valid exp") : TraceText(u"a valid iat or nbf");
        s.untrusted = untrusted;
        return s;
    }
    const qint64 lifetimeSeconds = exp - start;
    const bool within = lifetimeSeconds <= *limit;
    const CompiledException* ex = within ? nullptr : in.activeException([lifetimeSeconds](const CompiledException& e) {
        return e.maxLifetimeSeconds && lifetimeSeconds <= *e.maxLifetimeSeconds;
    });
    TraceStep s = traceStep(StepId::Lifetime, within ? Verdict::Pass : ex ? Verdict::Warning : Verdict::Fail,
                            within ? TraceCode::OkLifetime
                            : ex   ? TraceCode::WarnLifetimeByException
                                   : TraceCode::ErrLifetimeExceeded);
    s.num1 = lifetimeSeconds;
    s.num2 = ex ? *ex->maxLifetimeSeconds : *limit;
    s.untrusted = untrusted;
    if (ex)
        markByException(s, out.policyText(ex->id));
    return s;
}

} // namespace jwb::verify::steps
