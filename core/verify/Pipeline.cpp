// SPDX-License-Identifier: Apache-2.0
#include "verify/Pipeline.h"

#include "verify/TokenReading.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace jwb::verify {

namespace {

// The table runs in StepId order, each id once, from the size step on; each path names its row's step.
constexpr bool inPipelineOrder()
{
    for (std::size_t i = 0; i < std::size(kPipeline); ++i) {
        const PipelineRow& row = kPipeline[i];
        if (static_cast<std::size_t>(row.underPolicy.id) != i || !row.underPolicy.present)
            return false;
        if (row.signatureOnly.present && row.signatureOnly.id != row.underPolicy.id)
            return false;
    }
    return kPipeline[0].underPolicy.gate == Gate::Always && kPipeline[0].signatureOnly.gate == Gate::Always;
}

static_assert(std::size(kPipeline) == kStepCount, "kPipeline has a row for every step");
static_assert(inPipelineOrder(), "kPipeline: ids unique and in StepId order, every step under its row's id");
static_assert(std::size(kPolicyPipeline) == kStepCount, "under a policy every step is recorded");
static_assert(std::size(kSignatureOnlyPipeline) == 6, "signature-only: size, structure, header, algorithm, key, signature");

inline std::optional<TraceCode> unlessStopped(const TraceWriter& out)
{
    return out.stopped() ? std::optional(TraceCode::SkippedAfterFailure) : std::nullopt;
}

// Inlined into each step of the unrolled tables below, where `gate` is a constant: only its own checks remain.
[[gnu::always_inline]] inline std::optional<TraceCode> skipReason(Gate gate, const StepInput& in, const StepResults& results, const TraceWriter& out)
{
    const TokenView& token = in.token;
    if (gate == Gate::Always)
        return std::nullopt;
    if (gate == Gate::Decodable)
        return token.tooLargeToDecode() ? std::optional(TraceCode::SkippedNotDecoded) : std::nullopt;
    if (!token.decoded)
        return TraceCode::SkippedNotDecoded;
    switch (gate) {
    case Gate::Always:
    case Gate::Decodable:
    case Gate::Decoded: return std::nullopt;
    case Gate::UnlessStopped: return unlessStopped(out);
    case Gate::AfterFailure:
        return out.failed() ? std::optional(TraceCode::SkippedAfterFailure) : std::nullopt;
    case Gate::PinnedKey:
        if (out.stopped())
            return TraceCode::SkippedAfterFailure;
        if (!results.algorithmAccepted)
            return TraceCode::SkippedKeyAlg;
        return in.entry ? std::nullopt : std::optional(TraceCode::SkippedKeyIssuer);
    case Gate::KeySet:
        return results.algorithmAccepted ? std::nullopt : std::optional(TraceCode::SkippedKeyAlg);
    case Gate::Signature:
        if (results.keySkipped)
            return results.keySkipped;
        if (results.candidates.empty())
            return TraceCode::SkippedSignatureKey;
        return unlessStopped(out);
    case Gate::Claims:
        return token.nested ? std::optional(TraceCode::SkippedNoClaims) : unlessStopped(out);
    case Gate::NestedToken:
        return token.nested ? std::nullopt : std::optional(TraceCode::SkippedNotNested);
    }
    return std::nullopt;
}

template <StepId Id, Gate StepGate, StepFunction Run>
[[gnu::always_inline]] inline void runStep(const StepInput& in, StepResults& results, TraceWriter& out)
{
    if (const std::optional<TraceCode> skip = skipReason(StepGate, in, results, out)) {
        if constexpr (Id == StepId::Key)
            results.keySkipped = skip; // the signature step is skipped for the same reason
        out.record([&skip] { return traceStep(Id, Verdict::Skipped, *skip); });
    } else {
        out.record([&] { return Run(in, results, out); });
    }
}

// The table unrolled at compile time: each step is a direct call behind its own gate's checks.
template <const auto& Pipeline, std::size_t... I>
void runSteps(std::index_sequence<I...>, const StepInput& in, TraceWriter& out)
{
    StepResults results;
    (runStep<Pipeline[I].id, Pipeline[I].gate, Pipeline[I].run>(in, results, out), ...);
    out.trace().accepted = !out.failed();
}

template <const auto& Pipeline>
void runSteps(const StepInput& in, TraceWriter& out)
{
    runSteps<Pipeline>(std::make_index_sequence<std::size(Pipeline)>(), in, out);
}

// The header and claims of a decoded token, as the steps read them.
void readMembers(TokenView& view, const token::CompactToken& t)
{
    view.token = &t;
    view.header = Members::of(&t.header);
    view.claimsObject = t.claims ? &*t.claims : nullptr;
    view.claims = Members::of(view.claimsObject);
}

} // namespace

void verifyWithPolicy(Trace& trace, const std::shared_ptr<const CompiledPolicy>& policy, QByteArrayView token,
                      const QByteArray* owner, const VerifyOptions& options)
{
    const CompiledPolicy& c = *policy;
    if (options.keepPolicyAlive)
        trace.keepTextOwner(policy); // the steps view the compiled policy's texts
    TokenView view;
    view.size = token.size();
    view.decodeLimit = c.globalMaxTokenBytes; // the largest limit any trust entry allows
    auto run = [&](const CompiledIssuer* entry) {
        const CompiledIssuer& rules = entry ? *entry : c.fallback;
        {
            TraceWriter out(trace, options.stopAtFirstFailure, true);
            const StepInput in{view, entry, rules, options.atUnixSeconds, &c, &options};
            runSteps<kPolicyPipeline>(in, out);
        }
        if (options.includeReading)
            trace.reading = std::make_shared<const TokenReading>(
                readToken(token, view, entry, rules, c.policy, options.atUnixSeconds));
    };

    // Size bound before any decoding.
    if (view.tooLargeToDecode()) {
        if (options.computeFingerprint)
            trace.setFingerprintSource(token.first(std::min<qsizetype>(view.size, 1 << 20)));
        run(nullptr);
        return;
    }
    const auto parsed = token::parseCompact(token, token::ParseLimits{c.globalMaxTokenBytes, 16},
                                            /*requireJsonPayload=*/false);
    view.failure = std::get_if<token::ParseFailure>(&parsed);
    const CompiledIssuer* entry = nullptr;
    if (const token::CompactToken* t = std::get_if<token::CompactToken>(&parsed)) {
        readMembers(view, *t);
        view.nested = isNestedJwt(view.header);
        view.decoded = view.nested || t->claims.has_value();
        // Choose the trust entry from the untrusted iss (or, for a nested JWT, the iss header
        // replicated per RFC 7519 §5.3). It only selects which rules and keys apply.
        view.iss = view.nested ? view.header[Members::Iss] : view.claims[Members::Iss];
        if (view.iss && view.iss->isString())
            entry = c.find(view.iss->toString());
    }
    if (options.computeFingerprint && owner)
        trace.setFingerprintSource(*owner);
    else if (options.computeFingerprint)
        trace.setFingerprintSource(token);
    run(entry);
}

void verifySignatureOnlyInto(Trace& trace, QByteArrayView token, const QList<keys::Key>& keys,
                             std::optional<crypto::Algorithm> pinned, qint64 maxTokenBytes)
{
    trace.setFingerprintSource(token.first(std::min<qsizetype>(token.size(), maxTokenBytes)));
    TokenView view;
    view.size = token.size();
    view.decodeLimit = maxTokenBytes;
    std::optional<std::variant<token::CompactToken, token::ParseFailure>> parsed;
    if (!view.tooLargeToDecode()) {
        parsed = token::parseCompact(token, token::ParseLimits{maxTokenBytes, 16}, /*requireJsonPayload=*/false);
        view.failure = std::get_if<token::ParseFailure>(&*parsed);
        if (const token::CompactToken* t = std::get_if<token::CompactToken>(&*parsed)) {
            readMembers(view, *t);
            view.decoded = true; // any payload will do
        }
    }

    // No policy: rules made for this call. The algorithm is the caller's pin or, without one, the
    // token's own (any implemented alg but "none"; keyFromSet refuses a mixed key set then).
    CompiledIssuer rules;
    rules.rules.maxTokenBytes = maxTokenBytes;
    if (pinned)
        rules.pinned.insert(*pinned);
    else if (const json::Value* a = view.header[Members::Alg]; a && a->isString())
        rules.pinned.insert(crypto::algorithmFromName(a->toQString()));
    rules.rules.algorithms = pinned ? QStringList{crypto::algorithmName(*pinned)} : QStringList{};
    rules.pinnedText = rules.rules.algorithms.join(QStringLiteral(", ")); // named when alg is not pinned
    rules.keys.reserve(static_cast<std::size_t>(keys.size()));
    for (const keys::Key& k : keys)
        rules.keys.push_back(compileKey(k, {}));

    TraceWriter out(trace, /*stopAtFirstFailure=*/false, /*policyKept=*/false);
    const StepInput in{view, nullptr, rules, 0, nullptr, nullptr};
    runSteps<kSignatureOnlyPipeline>(in, out);
}

} // namespace jwb::verify
