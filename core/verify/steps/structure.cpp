// SPDX-License-Identifier: Apache-2.0
// Step "structure" (RFC 7515 §7.1, §5.2): three base64url segments whose header (and, for a JWT, whose
// payload) is a JSON object. The decoding itself happened before the first step; this reports it.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

namespace {

// The decoder's failure, under its own code (a view of the table's literal when the table has it).
TraceStep decodingFailure(const token::ParseFailure& failure, TraceWriter& out, bool withLocation)
{
    const Error& error = failure.error;
    const std::optional<TraceCode> known = traceCodeFromString(error.code);
    TraceStep s = known ? traceStep(StepId::Structure, Verdict::Fail, *known)
                        : TraceStep(StepId::Structure, Verdict::Fail, out.keep(error.code));
    s.arg1 = out.keep(withLocation && !error.location.isEmpty() ? error.location + QStringLiteral(": ") + error.message
                                                                : error.message);
    return s;
}

} // namespace

TraceStep structure(const StepInput& in, StepResults&, TraceWriter& out)
{
    const TokenView& t = in.token;
    if (!t.token)
        return decodingFailure(*t.failure, out, true);
    if (!t.decoded) { // neither a claims set nor a nested token
        TraceStep s = traceStep(StepId::Structure, Verdict::Fail, TraceCode::ErrTokenPayloadJson);
        s.arg1 = t.token->claimsError ? out.keep(t.token->claimsError->message)
                                      : TraceText(u"the payload is not a JSON object");
        return s;
    }
    return traceStep(StepId::Structure, Verdict::Pass, TraceCode::OkStructure);
}

// Signature-only: any payload will do.
TraceStep structureJws(const StepInput& in, StepResults&, TraceWriter& out)
{
    const TokenView& t = in.token;
    if (!t.token)
        return decodingFailure(*t.failure, out, false);
    return traceStep(StepId::Structure, Verdict::Pass, TraceCode::OkStructureJws);
}

} // namespace jwb::verify::steps
