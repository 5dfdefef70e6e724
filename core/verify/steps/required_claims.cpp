// SPDX-License-Identifier: Apache-2.0
// Step "required_claims" (RFC 7519 §4): every claim the policy requires is present. jti has no step of
// its own; RFC 7519 §4.1.7 makes it a string, so a present jti of another type fails here, with the
// other registered claims' type checks done by their own steps.
#include "verify/steps/ClaimValues.h"
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

TraceStep requiredClaims(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const Members& c = in.token.claims;
    if (const json::Value* jti = c[Members::Jti]; jti && !jti->isString()) {
        TraceStep s = traceStep(StepId::RequiredClaims, Verdict::Fail, TraceCode::ErrJtiType);
        s.arg2 = jsonTypeName(*jti);
        s.untrusted = untrusted;
        return s;
    }
    const std::vector<std::string>& required = in.rules.requiredClaims;
    if (required.empty())
        return traceStep(StepId::RequiredClaims, Verdict::Pass, TraceCode::OkRequiredNone);
    QStringList missing; // built only on failure
    for (const std::string& name : required) {
        if (!c.has(in.token.claimsObject, name))
            missing.append(QString::fromStdString(name));
    }
    TraceStep s = traceStep(StepId::RequiredClaims, missing.isEmpty() ? Verdict::Pass : Verdict::Fail,
                            missing.isEmpty() ? TraceCode::OkRequired : TraceCode::ErrClaimMissing);
    s.arg1 = missing.isEmpty() ? out.policyText(in.rules.requiredClaimsText) : out.keep(missing.join(QStringLiteral(", ")));
    s.untrusted = untrusted;
    return s;
}

} // namespace jwb::verify::steps
