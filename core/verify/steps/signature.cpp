// SPDX-License-Identifier: Apache-2.0
// Step "signature" (RFC 7515 §5.2, RFC 7518 §3): the signing input verified with the candidate keys
// in turn; the first that verifies it passes the step. Failing that, the most specific failure seen.
#include "verify/steps/Steps.h"

#include "crypto/Verifier.h"

#include <QLoggingCategory>

namespace jwb::verify::steps {

namespace {
Q_LOGGING_CATEGORY(lcVerify, "jwb.core.verify")
}

TraceStep signature(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const token::CompactToken& t = *in.token.token;
    const crypto::Algorithm alg = results.alg;
    const Candidates& candidates = results.candidates;
    if (t.signature().isEmpty())
        return traceStep(StepId::Signature, Verdict::Fail, TraceCode::ErrSignatureMissing);
    crypto::SignatureResult last = crypto::SignatureResult::Invalid;
    QString detail;
    const CompiledKey* lastKey = nullptr;
    for (const CompiledKey* k : candidates) {
        QString d;
        const crypto::SignatureResult r = crypto::verifySignature(k->key, alg, t.signingInput(), t.signature(), &d);
        if (r == crypto::SignatureResult::Valid) {
            results.signatureVerified = true;
            TraceStep s = traceStep(StepId::Signature, Verdict::Pass, TraceCode::OkSignature);
            s.arg1 = algorithmText(alg);
            s.arg2 = out.policyText(k->label);
            return s;
        }
        // Report the most specific failure: a malformed signature says more than "invalid".
        if (!lastKey || r != crypto::SignatureResult::Invalid) {
            last = r;
            detail = d;
            lastKey = k;
        }
    }
    TraceCode code = TraceCode::ErrSignatureInvalid;
    switch (last) {
    case crypto::SignatureResult::Malformed: code = TraceCode::ErrSignatureMalformed; break;
    case crypto::SignatureResult::InternalError:
    case crypto::SignatureResult::KeyMismatch: code = TraceCode::ErrSignatureInternal; break;
    default: break;
    }
    TraceStep s = traceStep(StepId::Signature, Verdict::Fail, code);
    s.arg1 = algorithmText(alg);
    if (last != crypto::SignatureResult::Invalid)
        s.arg2 = out.keep(detail);
    else if (candidates.size() == 1)
        s.arg2 = out.policyText(candidates.front()->label);
    else
        s.arg2 = out.keep(QStringLiteral("any of %1 keys").arg(candidates.size()));
    if (last == crypto::SignatureResult::InternalError)
        qCWarning(lcVerify) << "signature backend failure:" << detail;
    return s;
}

} // namespace jwb::verify::steps
