// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "keys/Key.h"
#include "policy/Policy.h"
#include "verify/Trace.h"

#include <QByteArrayView>

#include <memory>
#include <optional>

namespace jwb::verify {

struct VerifyOptions {
    qint64 atUnixSeconds = 0;        // the evaluation instant; an input, never read from the clock here
    bool stopAtFirstFailure = false; // corpus mode: skip diagnosis after the first failure
    bool computeFingerprint = true;  // corpus mode keys tokens by its own hash
    // The trace keeps the compiled policy alive, so it may outlive this verifier. False saves a
    // shared reference count per trace, which threads verifying at once contend on: the trace may
    // then be read only while this verifier lives (the corpus engine, which turns each trace into
    // values of its own before the next token).
    bool keepPolicyAlive = true;
    // Attach Trace::reading: what a reader is shown of the token (verify/TokenReading.h), from the
    // same decode the steps read. Off for corpora and benchmarks, which pay nothing for it.
    bool includeReading = false;
    int nestedDepth = 0;             // internal: depth of a nested JWT being verified
};

struct CompiledPolicy; // verify/CompiledPolicy.h

// Verifies tokens under one policy. Construction compiles the policy (effective rules per issuer,
// algorithm bitmasks, kid indexes); verify() is const and safe to call from many threads.
class PolicyVerifier final {
public:
    explicit PolicyVerifier(policy::Policy policy);
    ~PolicyVerifier();
    PolicyVerifier(const PolicyVerifier&) = delete;
    PolicyVerifier& operator=(const PolicyVerifier&) = delete;

    Trace verify(QByteArrayView token, const VerifyOptions& options) const;
    // The same; the trace shares the token's buffer for its fingerprint instead of copying it.
    Trace verify(const QByteArray& token, const VerifyOptions& options) const;
    const policy::Policy& policy() const;

private:
    // Shared with every trace made from it: steps view its texts instead of copying them.
    std::shared_ptr<const CompiledPolicy> m_compiled;
};

// The JWS layer alone (steps size, structure, header, algorithm, key, signature) against a key set,
// without a policy: for checking keys and signatures. The payload need not be JSON. With `pinned`
// unset, the token's alg is used if the keys can serve it (never "none", never HS* on a public key).
Trace verifySignatureOnly(QByteArrayView token, const QList<keys::Key>& keys,
                          std::optional<crypto::Algorithm> pinned, qint64 maxTokenBytes = 1 << 20);

} // namespace jwb::verify
