// SPDX-License-Identifier: Apache-2.0
// Step "header" (RFC 7515 §4.1, §4.1.11): crit and b64 first, then the member types the later steps
// read, then every member against the issuer's allowlist. Key selectors (jku, x5u, jwk, x5c) are
// named as such, allowed or not: keys come only from the policy (RFC 8725 §3.10).
#include "verify/steps/Steps.h"

namespace jwb::verify::steps {

namespace {

// The dangers checked under a policy and without one alike: a critical extension (none is
// implemented) and an unencoded payload. None when neither is present.
std::optional<TraceStep> critOrB64(const Members& h, TraceWriter& out)
{
    if (const json::Value* crit = h[Members::Crit]) {
        if (!crit->isArray() || crit->items().empty())
            return traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderCritMalformed);
        // This verifier implements no critical extension, so any listed name must be refused.
        const json::Value& first = crit->items().front();
        if (!first.isString())
            return traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderCritMalformed);
        TraceStep s = traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderCrit);
        s.arg1 = out.keep(displayValue(first.toString()));
        return s;
    }
    if (const json::Value* b64 = h[Members::B64]; b64 && !(b64->isBool() && b64->toBool()))
        return traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderB64);
    return std::nullopt;
}

TraceStep withArg(TraceStep s, TraceText arg1)
{
    s.arg1 = arg1;
    return s;
}

} // namespace

TraceStep header(const StepInput& in, StepResults&, TraceWriter& out)
{
    const Members& h = in.token.header;
    // Specific dangers first, so the trace names them rather than a generic allowlist miss.
    if (std::optional<TraceStep> danger = critOrB64(h, out))
        return *danger;
    if (!h[Members::Alg]) {
        TraceStep s = traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderAlgMissing);
        s.ref = u"RFC 7515 §4.1.1"; // the algorithm step reports the same code under its own reference
        return s;
    }
    constexpr std::pair<Members::Name, QStringView> stringMembers[] = {
        {Members::Alg, u"alg"}, {Members::Kid, u"kid"}, {Members::Typ, u"typ"}, {Members::Cty, u"cty"}};
    for (const auto& [slot, stringMember] : stringMembers) {
        const json::Value* v = h[slot];
        if (v && !v->isString()) {
            TraceStep s = traceStep(StepId::Header, Verdict::Fail, TraceCode::ErrHeaderMemberType);
            s.arg1 = TraceText::viewOf(stringMember);
            s.arg2 = u"a string";
            return s;
        }
    }

    const CompiledIssuer& rules = in.rules;
    std::optional<TraceStep> warning; // the first loosening seen; reported if nothing fails
    for (const auto& [name, value] : in.token.token->header.members()) {
        // Header names are short: one tag per name against the policy's precomputed tags.
        const std::uint64_t tag = nameTag(name);
        const bool allowed = tag ? std::find(rules.allowedHeaderTags.begin(), rules.allowedHeaderTags.end(), tag)
                                       != rules.allowedHeaderTags.end()
                                 : contains(rules.allowedHeaders, name);
        if (allowed) {
            if (isKeySelectorTag(tag) && !warning)
                warning = withArg(traceStep(StepId::Header, Verdict::Warning, TraceCode::WarnHeaderKeySelectorIgnored),
                                  out.keep(displayValue(name)));
            continue;
        }
        if (const CompiledException* ex =
                in.activeException([&member = name](const CompiledException& e) { return contains(e.headers, member); })) {
            if (!warning) {
                warning = withArg(traceStep(StepId::Header, Verdict::Warning, TraceCode::WarnHeaderByException),
                                  out.keep(displayValue(name)));
                markByException(*warning, out.policyText(ex->id));
            }
            continue;
        }
        return withArg(traceStep(StepId::Header, Verdict::Fail,
                                 isKeySelectorTag(tag) ? TraceCode::ErrHeaderKeySelector : TraceCode::ErrHeaderNotAllowed),
                       out.keep(displayValue(name)));
    }
    if (warning)
        return *warning;
    return traceStep(StepId::Header, Verdict::Pass, TraceCode::OkHeader);
}

// Signature-only: crit and b64 as under a policy; every other member is tolerated, but key selectors
// are reported as ignored.
TraceStep headerJws(const StepInput& in, StepResults&, TraceWriter& out)
{
    if (std::optional<TraceStep> danger = critOrB64(in.token.header, out))
        return *danger;
    QString selector;
    for (const auto& [name, value] : in.token.token->header.members()) {
        if (isKeySelectorTag(nameTag(name)))
            selector = QString::fromUtf8(name);
    }
    if (!selector.isEmpty())
        return withArg(traceStep(StepId::Header, Verdict::Warning, TraceCode::WarnHeaderKeySelectorIgnored),
                       out.keep(selector));
    return withArg(traceStep(StepId::Header, Verdict::Pass, TraceCode::OkHeader), u"all");
}

} // namespace jwb::verify::steps
