// SPDX-License-Identifier: Apache-2.0
// Step "algorithm" (RFC 8725 §3.1, RFC 7518 §3.1): the token's alg must be one the rules pin (or one a
// dated exception allows) before any key is touched. "none" in any spelling is always refused.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep algorithm(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const json::Value* algValue = in.token.header[Members::Alg];
    if (!algValue || !algValue->isString()) // reported under this step's reference, not the header's
        return traceStep(StepId::Algorithm, Verdict::Fail, TraceCode::ErrHeaderAlgMissing);
    const std::string_view rawName = algValue->toString();
    const QLatin1StringView name(rawName.data(), static_cast<qsizetype>(std::min<size_t>(rawName.size(), 64)));
    // No spelling of "none" is a registered name, so it is looked for only among the unknown ones.
    const crypto::Algorithm alg = crypto::algorithmFromName(name);
    results.alg = alg;
    if (alg == crypto::Algorithm::Unsupported) {
        TraceStep s = traceStep(StepId::Algorithm, Verdict::Fail,
                                crypto::isNoneSpelling(name) ? TraceCode::ErrAlgNone : TraceCode::ErrAlgUnsupported);
        s.arg1 = out.keep(displayValue(rawName));
        return s;
    }
    if (in.rules.pinned.contains(alg)) {
        results.algorithmAccepted = true;
        TraceStep s = traceStep(StepId::Algorithm, Verdict::Pass, TraceCode::OkAlg);
        s.arg1 = algorithmText(alg);
        return s;
    }
    if (const CompiledException* ex =
            in.activeException([alg](const CompiledException& e) { return e.algorithms.contains(alg); })) {
        results.algorithmAccepted = true;
        TraceStep s = traceStep(StepId::Algorithm, Verdict::Warning, TraceCode::WarnAlgByException);
        s.arg1 = algorithmText(alg);
        markByException(s, out.policyText(ex->id));
        return s;
    }
    if (in.rules.pinned.isEmpty())
        return traceStep(StepId::Algorithm, Verdict::Fail, TraceCode::ErrAlgPinEmpty);
    TraceStep s = traceStep(StepId::Algorithm, Verdict::Fail, TraceCode::ErrAlgNotPinned);
    s.arg1 = algorithmText(alg);
    s.arg2 = out.policyText(in.rules.pinnedText);
    return s;
}

} // namespace jwb::verify::steps
