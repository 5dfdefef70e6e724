// SPDX-License-Identifier: Apache-2.0
// The order of the steps, as one table (kPipeline) of which the pipeline under a policy and the JWS
// layer alone (verifySignatureOnly) each take their column. Order is fixed (see Trace.h): shape, header, type, the algorithm pin before any
// key is touched, issuer, pinned key, signature, then the claims. Every step yields a trace entry; a
// step that cannot complete fails (fail closed), and nothing after a failure can turn the verdict back
// to accepted.
#pragma once

#include "verify/PolicyVerifier.h"
#include "verify/steps/Steps.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace jwb::verify {

// When a step is recorded as skipped instead of evaluated. Each gate after Decodable also skips with
// SKIPPED_NOT_DECODED when the token could not be decoded, and is checked in the order written.
enum class Gate : std::uint8_t {
    Always,        // evaluated whatever came before (size)
    Decodable,     // SKIPPED_NOT_DECODED when the token was too large to decode (structure)
    Decoded,       // only the decoded check
    UnlessStopped, // SKIPPED_AFTER_FAILURE after a failure in corpus mode (stopAtFirstFailure)
    AfterFailure,  // SKIPPED_AFTER_FAILURE after any failure
    PinnedKey,     // UnlessStopped, then SKIPPED_KEY_ALG without an accepted alg, SKIPPED_KEY_ISSUER without a trust entry
    KeySet,        // SKIPPED_KEY_ALG without an accepted alg
    Signature,     // the key step's skip code, SKIPPED_SIGNATURE_KEY without candidates, then UnlessStopped
    Claims,        // SKIPPED_NO_CLAIMS for a nested token (its payload is a token), then UnlessStopped
    NestedToken,   // SKIPPED_NOT_NESTED unless the token is a nested JWT
};

struct PipelineStep {
    StepId id;
    Gate gate;
    StepFunction run;
    // Whether the path has this step. A flag, not `run != nullptr`: GCC does not accept comparing a
    // function's address in a constant expression when built with the sanitizers (the asan preset).
    bool present = true;
};

// A path's cell for a step that path does not have.
inline constexpr PipelineStep kAbsent{StepId::Size, Gate::Always, nullptr, false};

// The one order of the steps. Each row: the step under a policy, and the step on the signature-only
// path (verifySignatureOnly: no type, issuer or claims; the caller's keys instead of pinned ones),
// where kAbsent means that path has no such step.
struct PipelineRow {
    PipelineStep underPolicy;
    PipelineStep signatureOnly;
};

// clang-format off
inline constexpr PipelineRow kPipeline[] = {
    {{StepId::Size, Gate::Always, steps::size},
     {StepId::Size, Gate::Always, steps::size}},
    // Without a policy any payload will do, and of the header only crit, b64 and key selectors count.
    {{StepId::Structure, Gate::Decodable, steps::structure},
     {StepId::Structure, Gate::Decodable, steps::structureJws}},
    {{StepId::Header, Gate::UnlessStopped, steps::header},
     {StepId::Header, Gate::Decoded, steps::headerJws}},
    {{StepId::Type, Gate::UnlessStopped, steps::type}, kAbsent},
    // Without a policy: pinned by the caller, or the token's own alg; not looked at once the header failed.
    {{StepId::Algorithm, Gate::UnlessStopped, steps::algorithm},
     {StepId::Algorithm, Gate::AfterFailure, steps::algorithm}},
    {{StepId::Issuer, Gate::UnlessStopped, steps::issuer}, kAbsent},
    {{StepId::Key, Gate::PinnedKey, steps::key},
     {StepId::Key, Gate::KeySet, steps::keyFromSet}},
    {{StepId::Signature, Gate::Signature, steps::signature},
     {StepId::Signature, Gate::Signature, steps::signature}},
    {{StepId::Expiry, Gate::Claims, steps::expiry}, kAbsent},
    {{StepId::NotBefore, Gate::Claims, steps::notBefore}, kAbsent},
    {{StepId::IssuedAt, Gate::Claims, steps::issuedAt}, kAbsent},
    {{StepId::Lifetime, Gate::Claims, steps::lifetime}, kAbsent},
    {{StepId::Audience, Gate::Claims, steps::audience}, kAbsent},
    {{StepId::Subject, Gate::Claims, steps::subject}, kAbsent},
    {{StepId::RequiredClaims, Gate::Claims, steps::requiredClaims}, kAbsent},
    {{StepId::Delegation, Gate::Claims, steps::delegation}, kAbsent},
    {{StepId::Nested, Gate::NestedToken, steps::nested}, kAbsent},
};
// clang-format on

namespace detail {
// The steps of one path, in the order of kPipeline.
template <PipelineStep PipelineRow::*Path>
constexpr auto pathOf()
{
    constexpr std::size_t n = [] {
        std::size_t count = 0;
        for (const PipelineRow& row : kPipeline)
            count += (row.*Path).present ? 1 : 0;
        return count;
    }();
    std::array<PipelineStep, n> steps{};
    std::size_t i = 0;
    for (const PipelineRow& row : kPipeline) {
        if ((row.*Path).present)
            steps[i++] = row.*Path;
    }
    return steps;
}
} // namespace detail

inline constexpr auto kPolicyPipeline = detail::pathOf<&PipelineRow::underPolicy>();
inline constexpr auto kSignatureOnlyPipeline = detail::pathOf<&PipelineRow::signatureOnly>();

// Runs kPolicyPipeline over `token` into `trace`; `owner`, when given, holds exactly the bytes of
// `token` (the trace then shares it for the fingerprint instead of copying).
void verifyWithPolicy(Trace& trace, const std::shared_ptr<const CompiledPolicy>& policy, QByteArrayView token,
                      const QByteArray* owner, const VerifyOptions& options);

// Runs kSignatureOnlyPipeline: see verifySignatureOnly.
void verifySignatureOnlyInto(Trace& trace, QByteArrayView token, const QList<keys::Key>& keys,
                             std::optional<crypto::Algorithm> pinned, qint64 maxTokenBytes);

} // namespace jwb::verify
