// SPDX-License-Identifier: Apache-2.0
// The order of the steps, as two tables: the pipeline under a policy, and the JWS layer alone for
// verifySignatureOnly. Order is fixed (see Trace.h): shape, header, type, the algorithm pin before any
// key is touched, issuer, pinned key, signature, then the claims. Every step yields a trace entry; a
// step that cannot complete fails (fail closed), and nothing after a failure can turn the verdict back
// to accepted.
#pragma once

#include "verify/PolicyVerifier.h"
#include "verify/steps/Steps.h"

#include <QByteArray>
#include <QByteArrayView>

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
};

// clang-format off
inline constexpr PipelineStep kPolicyPipeline[] = {
    {StepId::Size,           Gate::Always,        steps::size},
    {StepId::Structure,      Gate::Decodable,     steps::structure},
    {StepId::Header,         Gate::UnlessStopped, steps::header},
    {StepId::Type,           Gate::UnlessStopped, steps::type},
    {StepId::Algorithm,      Gate::UnlessStopped, steps::algorithm},
    {StepId::Issuer,         Gate::UnlessStopped, steps::issuer},
    {StepId::Key,            Gate::PinnedKey,     steps::key},
    {StepId::Signature,      Gate::Signature,     steps::signature},
    {StepId::Expiry,         Gate::Claims,        steps::expiry},
    {StepId::NotBefore,      Gate::Claims,        steps::notBefore},
    {StepId::IssuedAt,       Gate::Claims,        steps::issuedAt},
    {StepId::Lifetime,       Gate::Claims,        steps::lifetime},
    {StepId::Audience,       Gate::Claims,        steps::audience},
    {StepId::Subject,        Gate::Claims,        steps::subject},
    {StepId::RequiredClaims, Gate::Claims,        steps::requiredClaims},
    {StepId::Delegation,     Gate::Claims,        steps::delegation},
    {StepId::Nested,         Gate::NestedToken,   steps::nested},
};

// Without a policy: no type, issuer or claims; the caller's keys instead of pinned ones.
inline constexpr PipelineStep kSignatureOnlyPipeline[] = {
    {StepId::Size,           Gate::Always,        steps::size},
    // Any payload will do; of the header only crit, b64 and key selectors are looked at.
    {StepId::Structure,      Gate::Decodable,     steps::structureJws},
    {StepId::Header,         Gate::Decoded,       steps::headerJws},
    // Pinned by the caller, or the token's own alg; not looked at once the header failed.
    {StepId::Algorithm,      Gate::AfterFailure,  steps::algorithm},
    {StepId::Key,            Gate::KeySet,        steps::keyFromSet},
    {StepId::Signature,      Gate::Signature,     steps::signature},
};
// clang-format on

// Runs kPolicyPipeline over `token` into `trace`; `owner`, when given, holds exactly the bytes of
// `token` (the trace then shares it for the fingerprint instead of copying).
void verifyWithPolicy(Trace& trace, const std::shared_ptr<const CompiledPolicy>& policy, QByteArrayView token,
                      const QByteArray* owner, const VerifyOptions& options);

// Runs kSignatureOnlyPipeline: see verifySignatureOnly.
void verifySignatureOnlyInto(Trace& trace, QByteArrayView token, const QList<keys::Key>& keys,
                             std::optional<crypto::Algorithm> pinned, qint64 maxTokenBytes);

} // namespace jwb::verify
