// SPDX-License-Identifier: Apache-2.0
// Step "delegation" (RFC 8693 §4.1): act is an object naming the current actor by sub; a nested act is
// the prior chain. The policy may refuse delegated tokens, bound the chain, or list the allowed actors.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

namespace {
constexpr int kMaxActChain = 16; // hard bound on walking nested act claims, whatever the policy says
}

TraceStep delegation(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const bool untrusted = !results.signatureVerified;
    const policy::Delegation& rules = in.policy->policy.delegation;
    const json::Value* act = in.token.claims[Members::Act];
    if (!act)
        return traceStep(StepId::Delegation, Verdict::Skipped, TraceCode::SkippedNoAct);
    int chain = 0;
    QString firstActor;
    bool actorsAllowed = true;
    QString offending;
    for (const json::Value* link = act; link; link = link->find("act")) {
        const json::Value* sub = link->isObject() ? link->find("sub") : nullptr;
        if (!sub || !sub->isString() || ++chain > kMaxActChain) {
            TraceStep s = traceStep(StepId::Delegation, Verdict::Fail, TraceCode::ErrActMalformed);
            s.untrusted = untrusted;
            return s;
        }
        const QString actor = displayValue(sub->toString());
        if (firstActor.isEmpty())
            firstActor = actor;
        if (!rules.allowedActors.isEmpty() && !rules.allowedActors.contains(sub->toQString()) && actorsAllowed) {
            actorsAllowed = false;
            offending = actor;
        }
    }
    TraceStep s;
    if (rules.act == policy::Delegation::Act::Reject) {
        s = traceStep(StepId::Delegation, Verdict::Fail, TraceCode::ErrActRejected);
        s.arg1 = out.keep(firstActor);
    } else if (chain > rules.maxChain) {
        s = traceStep(StepId::Delegation, Verdict::Fail, TraceCode::ErrActChain);
        s.num1 = chain;
        s.num2 = rules.maxChain;
    } else if (!actorsAllowed) {
        s = traceStep(StepId::Delegation, Verdict::Fail, TraceCode::ErrActNotAllowed);
        s.arg1 = out.keep(offending);
    } else {
        s = traceStep(StepId::Delegation, Verdict::Pass, TraceCode::OkAct);
        s.arg1 = out.keep(firstActor);
        s.num1 = chain;
    }
    s.untrusted = untrusted;
    return s;
}

} // namespace jwb::verify::steps
