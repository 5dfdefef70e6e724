// SPDX-License-Identifier: Apache-2.0
// What every step of the pipeline shares: the token as read, the rules that apply, what earlier steps
// produced for later ones, and the writer that records each step into the caller's trace. A step is a
// function of these values (steps/Steps.h); the order of the steps is the table in verify/Pipeline.h.
#pragma once

#include "crypto/Algorithm.h"
#include "token/CompactToken.h"
#include "verify/CompiledPolicy.h"
#include "verify/TokenMembers.h"
#include "verify/Trace.h"
#include "verify/TraceCodes.h"

#include <QVarLengthArray>

#include <new>
#include <optional>

namespace jwb::verify {

struct VerifyOptions;

// The token as the steps read it, decoded once before the first step.
struct TokenView {
    qint64 size = 0;                               // bytes as received
    qint64 decodeLimit = 0;                        // bytes beyond which nothing was decoded
    const token::CompactToken* token = nullptr;    // null when not decoded
    const token::ParseFailure* failure = nullptr;  // why not, when decoding was tried and failed
    bool decoded = false;   // the steps after structure have what they read (a JWT: a claims set or a nested token)
    bool nested = false;    // cty: JWT, so the payload is a token, not claims
    Members header;
    Members claims;
    const json::Value* claimsObject = nullptr; // for the claim names `claims` does not record
    const json::Value* iss = nullptr;          // iss as read: from the claims, or the header of a nested JWT

    bool tooLargeToDecode() const { return size > decodeLimit; }
};

// What every step reads, fixed before the first step runs.
struct StepInput {
    const TokenView& token;
    const CompiledIssuer* entry;   // the trust entry the iss chose; null when none did
    const CompiledIssuer& rules;   // the entry's rules, or those a trace is diagnosed with without one
    qint64 now;                    // the evaluation instant, Unix seconds
    const CompiledPolicy* policy;  // null on the signature-only path
    const VerifyOptions* options;  // null on the signature-only path

    // The first of the entry's exceptions active at `now` for which `pred` holds. Expired ones change nothing.
    template <typename Pred>
    const CompiledException* activeException(Pred pred) const
    {
        if (!entry)
            return nullptr;
        for (const CompiledException& ex : entry->exceptions) {
            if (now < ex.expiresAt && pred(ex))
                return &ex;
        }
        return nullptr;
    }
};

// Keys a token may be verified with; a handful at most, kept off the heap.
using Candidates = QVarLengthArray<const CompiledKey*, 8>;

// What steps produce for the steps after them.
struct StepResults {
    crypto::Algorithm alg = crypto::Algorithm::Unsupported;
    bool algorithmAccepted = false;       // the algorithm step passed (pinned, or by exception)
    std::optional<TraceCode> keySkipped;  // why the key step was not evaluated, when it was not
    Candidates candidates;                // keys the key step chose for the signature
    bool signatureVerified = false;       // claims read after this are trusted
};

// Records steps straight into a trace its caller owns and outlives. When the writer ends, that
// trace holds exactly the steps written.
class TraceWriter final {
public:
    // `policyKept`: the rules' texts outlive every reader of the trace (the compiled policy, kept by
    // the trace through Trace::keepTextOwner, or by the caller when VerifyOptions::keepPolicyAlive is
    // off), so steps may view them; otherwise (rules made for one call) they are copied into the trace.
    TraceWriter(Trace& trace, bool stopAtFirstFailure, bool policyKept)
        : m_trace(trace)
        , m_stopAtFirstFailure(stopAtFirstFailure)
        , m_policyKept(policyKept)
    {
        // Every slot at once: TraceStep is a primitive type for Qt, so this only sets the size. Each
        // step is then written whole into its slot, and the writer trims the slots left when it ends.
        m_trace.steps.resize(kStepCount);
    }
    ~TraceWriter() { m_trace.steps.resize(m_used); }
    Q_DISABLE_COPY_MOVE(TraceWriter)

    // Writes the step `make()` returns straight into the next slot: the returned value is
    // constructed in place (guaranteed copy elision), so recording copies nothing. The pipeline
    // tables hold at most kStepCount steps (Pipeline.cpp checks), so a slot is always there.
    template <typename Make>
    void record(Make&& make)
    {
        Q_ASSERT(m_used < m_trace.steps.size());
        TraceStep* slot = m_trace.steps.data() + m_used;
        ::new (static_cast<void*>(slot)) TraceStep(make());
        if (slot->verdict == Verdict::Fail)
            m_failed = true;
        ++m_used;
    }
    bool failed() const { return m_failed; }
    // In corpus mode everything after the first failure is skipped unevaluated.
    bool stopped() const { return m_failed && m_stopAtFirstFailure; }

    // A text computed for this token (a token's value as shown, a joined list): kept by the trace.
    TraceText keep(const QString& text) { return m_trace.keep(text); }
    // A text of the rules the steps apply.
    TraceText policyText(const QString& text) { return m_policyKept ? TraceText::viewOf(text) : keep(text); }
    // The parts of the trace beside its steps (issuer, audiences, nested trace).
    Trace& trace() { return m_trace; }

private:
    Trace& m_trace;
    bool m_stopAtFirstFailure;
    bool m_policyKept;
    bool m_failed = false;
    qsizetype m_used = 0; // slots of m_trace.steps written so far
};

// A step's signature: its trace entry, from the token, the rules and what earlier steps produced.
using StepFunction = TraceStep (*)(const StepInput& in, StepResults& results, TraceWriter& out);

// An algorithm's name for a step: static text, so the step views it.
inline TraceText algorithmText(crypto::Algorithm alg) { return TraceText::viewOf(crypto::algorithmNameText(alg)); }

// The step passed only because of the dated exception `id`, which its reason names.
inline void markByException(TraceStep& step, TraceText id) { step.arg2 = step.exceptionId = id; }

} // namespace jwb::verify
