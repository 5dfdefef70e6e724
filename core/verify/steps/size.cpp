// SPDX-License-Identifier: Apache-2.0
// Step "size" (RFC 8725 §3.4): the token's length, bounded before any decoding by the largest limit
// any trust entry allows, then by the limit of the entry its iss chose.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep size(const StepInput& in, StepResults&, TraceWriter&)
{
    const TokenView& t = in.token;
    if (t.tooLargeToDecode()) {
        TraceStep s = traceStep(StepId::Size, Verdict::Fail, TraceCode::ErrTokenTooLarge);
        s.num1 = t.size;
        s.num2 = t.decodeLimit;
        return s;
    }
    const qint64 limit = in.rules.rules.maxTokenBytes;
    TraceStep s = traceStep(StepId::Size, t.size <= limit ? Verdict::Pass : Verdict::Fail,
                            t.size <= limit ? TraceCode::OkSize : TraceCode::ErrTokenTooLargeForIssuer);
    s.num1 = t.size;
    s.num2 = limit;
    return s;
}

} // namespace jwb::verify::steps
