// SPDX-License-Identifier: Apache-2.0
// Step "key" (RFC 7515 §4.1.4, RFC 8725 §3.10): the keys the signature may be verified with, chosen
// only among those the policy pins for the issuer (or a dated exception grants), by exact kid, and
// only those that can serve the pinned algorithm.
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

namespace {

TraceStep keyFailure(TraceCode code, TraceText kidShown, TraceText why)
{
    TraceStep s = traceStep(StepId::Key, Verdict::Fail, code);
    s.arg1 = kidShown;
    s.arg2 = why;
    return s;
}

// "RS256: <why the key cannot serve it>"
TraceText unusableBecause(const keys::Key& key, crypto::Algorithm alg, TraceWriter& out)
{
    QString why;
    key.usableWith(alg, &why);
    return out.keep(crypto::algorithmName(alg) + QStringLiteral(": ") + why);
}

} // namespace

TraceStep key(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const crypto::Algorithm alg = results.alg;
    Candidates& candidates = results.candidates;
    const CompiledIssuer& entry = *in.entry; // the Key gate runs this step only with a trust entry
    // A key granted by an exception counts only while that exception is active.
    auto available = [&in](const CompiledKey& k) {
        return k.exceptionId.isEmpty()
               || in.activeException([&k](const CompiledException& e) { return e.id == k.exceptionId; });
    };
    if (entry.keys.empty())
        return traceStep(StepId::Key, Verdict::Fail, TraceCode::ErrKeyNoKeys);
    const json::Value* kid = in.token.header[Members::Kid];
    if (kid && !kid->isString())
        return traceStep(StepId::Key, Verdict::Fail, TraceCode::ErrKidType);
    if (!kid) {
        if (in.rules.rules.requireKid)
            return traceStep(StepId::Key, Verdict::Fail, TraceCode::ErrKidMissing);
        for (const CompiledKey& k : entry.keys) {
            if (k.usable.contains(alg) && available(k))
                candidates.push_back(&k);
        }
        TraceStep s = traceStep(StepId::Key, candidates.empty() ? Verdict::Fail : Verdict::Pass,
                                candidates.empty() ? TraceCode::ErrKeyNoneUsable : TraceCode::OkKeyCandidates);
        s.arg1 = algorithmText(alg);
        if (!candidates.empty())
            s.num1 = static_cast<qint64>(candidates.size());
        return s;
    }

    const CompiledKey* matched = nullptr;
    for (const CompiledKey& k : entry.keys) {
        if (k.kid != kid->toString() || !available(k))
            continue; // an expired exception's key is as good as absent
        matched = &k;
        if (k.usable.contains(alg))
            break;
    }
    if (!matched) {
        // A rotation exception may accept a renamed kid for the issuer's own keys.
        if (const CompiledException* ex = in.activeException(
                [kid](const CompiledException& e) { return contains(e.kids, kid->toString()); })) {
            for (const CompiledKey& k : entry.keys) {
                if (k.exceptionId.isEmpty() && k.usable.contains(alg))
                    candidates.push_back(&k);
            }
            if (!candidates.empty()) {
                TraceStep s = traceStep(StepId::Key, Verdict::Warning, TraceCode::WarnKeyByException);
                s.arg1 = out.keep(displayValue(kid->toString()));
                markByException(s, out.policyText(ex->id));
                return s;
            }
        }
        return keyFailure(TraceCode::ErrKeyUnknownKid, out.keep(displayValue(kid->toString())), {});
    }
    if (!matched->usable.contains(alg)) // usable holds exactly the algorithms usableWith accepts
        return keyFailure(TraceCode::ErrKeyUnusable, out.keep(displayValue(kid->toString())),
                          unusableBecause(matched->key, alg, out));
    candidates.push_back(matched);
    if (!matched->exceptionId.isEmpty()) {
        TraceStep s = traceStep(StepId::Key, Verdict::Warning, TraceCode::WarnKeyByException);
        s.arg1 = out.policyText(matched->key.kid);
        markByException(s, out.policyText(matched->exceptionId));
        return s;
    }
    TraceStep s = traceStep(StepId::Key, Verdict::Pass, TraceCode::OkKey);
    s.arg1 = out.policyText(matched->key.kid);
    s.arg2 = out.policyText(matched->description);
    return s;
}

// Signature-only: the caller's key set instead of pinned keys. A kid selects among keys that have one;
// with no pin, a set mixing secrets and public keys is refused (RFC 8725 §3.1: the token's alg would
// decide whether a public key's bytes become an HMAC secret).
TraceStep keyFromSet(const StepInput& in, StepResults& results, TraceWriter& out)
{
    const crypto::Algorithm alg = results.alg;
    const std::vector<CompiledKey>& keySet = in.rules.keys;
    const bool pinnedByCaller = !in.rules.rules.algorithms.isEmpty(); // see verifySignatureOnly
    auto isSecret = [](const CompiledKey& k) { return k.key.type == keys::KeyType::Oct; };
    const bool mixedSet = std::any_of(keySet.begin(), keySet.end(), isSecret)
                          && !std::all_of(keySet.begin(), keySet.end(), isSecret);
    if (!pinnedByCaller && mixedSet)
        return traceStep(StepId::Key, Verdict::Fail, TraceCode::ErrKeySetMixed);

    const json::Value* kid = in.token.header[Members::Kid];
    const bool anyKeyHasKid = std::any_of(keySet.begin(), keySet.end(), [](const CompiledKey& k) { return !k.kid.empty(); });
    QString why;
    for (const CompiledKey& k : keySet) {
        const bool kidMatches = !kid || !kid->isString() || !anyKeyHasKid || k.key.kid == kid->toQString();
        if (kidMatches && k.key.usableWith(alg, &why))
            results.candidates.push_back(&k);
    }
    const Candidates& candidates = results.candidates;
    if (candidates.empty())
        return keyFailure(keySet.empty()  ? TraceCode::ErrKeyNoKeys
                          : why.isEmpty() ? TraceCode::ErrKeyUnknownKid
                                          : TraceCode::ErrKeyUnusable,
                          kid && kid->isString() ? out.keep(displayValue(kid->toString())) : TraceText(u"(no kid)"),
                          out.keep(crypto::algorithmName(alg) + QStringLiteral(": ") + why));
    TraceStep s = traceStep(StepId::Key, Verdict::Pass, candidates.size() == 1 ? TraceCode::OkKey : TraceCode::OkKeyCandidates);
    s.arg1 = candidates.size() == 1 ? out.policyText(candidates.front()->label) : algorithmText(alg);
    s.arg2 = out.policyText(candidates.front()->description);
    s.num1 = static_cast<qint64>(candidates.size());
    return s;
}

} // namespace jwb::verify::steps
