// SPDX-License-Identifier: Apache-2.0
// The verifier runs the pipeline of verify/Pipeline.h over the policy it compiled once
// (verify/CompiledPolicy.h); each step is a file of verify/steps/.
#include "verify/PolicyVerifier.h"

#include "verify/CompiledPolicy.h"
#include "verify/Pipeline.h"

namespace jwb::verify {

PolicyVerifier::PolicyVerifier(policy::Policy policy)
    : m_compiled(CompiledPolicy::compile(std::move(policy)))
{
}

PolicyVerifier::~PolicyVerifier() = default;

const policy::Policy& PolicyVerifier::policy() const { return m_compiled->policy; }

Trace PolicyVerifier::verify(QByteArrayView token, const VerifyOptions& options) const
{
    Trace trace;
    verifyWithPolicy(trace, m_compiled, token, nullptr, options);
    return trace;
}

Trace PolicyVerifier::verify(const QByteArray& token, const VerifyOptions& options) const
{
    Trace trace;
    verifyWithPolicy(trace, m_compiled, QByteArrayView(token), &token, options);
    return trace;
}

Trace verifySignatureOnly(QByteArrayView token, const QList<keys::Key>& keyList, std::optional<crypto::Algorithm> pinned,
                          qint64 maxTokenBytes)
{
    Trace trace;
    verifySignatureOnlyInto(trace, token, keyList, pinned, maxTokenBytes);
    return trace;
}

} // namespace jwb::verify
