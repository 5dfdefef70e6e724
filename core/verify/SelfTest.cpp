// SPDX-License-Identifier: Apache-2.0
// Adversarial self-test: the known JWT attacks, minted against each issuer of a policy and run
// through the same pipeline the gateways' policy is exported from.
#include "verify/SelfTest.h"

#include "crypto/Signer.h"
#include "verify/AttackVariants.h"
#include "verify/PolicyVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <vector>

namespace jwb::verify {

namespace {

// Runs the shared attack variants against every issuer of a copy of the policy in which a generated
// test key is pinned per issuer, so the variants that need a genuine signature can have one.
class Builder {
public:
    Builder(const policy::Policy& original, qint64 at)
        : m_original(original)
        , m_at(at)
    {
    }

    SelfTestReport run(const std::atomic_bool* cancel);

private:
    bool prepare(int issuerIndex, AttackTarget& t, policy::Policy& copy) const;

    const policy::Policy& m_original;
    qint64 m_at;
};

bool Builder::prepare(int issuerIndex, AttackTarget& t, policy::Policy& copy) const
{
    const crypto::Algorithm alg = firstImplementedAlgorithm(m_original.effectiveRules(m_original.issuers.at(issuerIndex)));
    if (alg == crypto::Algorithm::Unsupported)
        return false;
    auto test = crypto::SigningKey::generate(alg, QStringLiteral("selftest-") + crypto::algorithmName(alg));
    if (!test)
        return false;
    keys::Key pinned = test->publicKey();
    pinned.testKey = true;
    pinned.source = QStringLiteral("self-test key (generated, pinned in a copy of the policy)");
    if (!prepareAttackTarget(m_original, issuerIndex, alg, m_at, std::move(test).value(), pinned.kid, t))
        return false;
    copy.issuers[issuerIndex].keys.resolved.append(pinned);
    return true;
}

SelfTestReport Builder::run(const std::atomic_bool* cancel)
{
    SelfTestReport report;
    policy::Policy copy = m_original;
    std::vector<AttackTarget> targets;
    for (int i = 0; i < m_original.issuers.size(); ++i) {
        AttackTarget t;
        if (!prepare(i, t, copy)) {
            report.notes.append(QStringLiteral("%1: no implemented algorithm is pinned, so every token is rejected; "
                                               "no variant was generated.")
                                    .arg(m_original.issuers.at(i).issuer));
            continue;
        }
        targets.push_back(std::move(t));
    }
    const PolicyVerifier verifier(copy);
    for (const AttackTarget& t : targets) {
        if (cancel && cancel->load())
            break;
        const Trace baseline = verifier.verify(signTrusted(t, t.header, t.claims), VerifyOptions{m_at});
        if (!baseline.accepted) {
            const TraceStep* f = baseline.firstFailure();
            report.notes.append(QStringLiteral("%1: a well-formed token signed with a pinned test key is itself rejected "
                                               "at '%2' (%3); variants still ran.")
                                    .arg(t.issuer, f ? stepIdName(f->id) : QString(), f ? f->reason() : QString()));
        }
        buildAttackVariants(m_original, t, m_at, [&](AttackVariant built) {
            SelfTestVariant v = std::move(built.meta);
            v.variantClass = built.variantClass;
            if (v.applicable) {
                v.trace = verifier.verify(built.token, VerifyOptions{m_at});
                v.accepted = v.trace.accepted;
            }
            if (!v.accepted)
                v.finding.clear();
            report.variants.append(std::move(v));
        });
    }
    return report;
}

} // namespace

int SelfTestReport::acceptedCount() const
{
    return static_cast<int>(std::count_if(variants.begin(), variants.end(), [](const SelfTestVariant& v) { return v.accepted; }));
}

SelfTestReport runSelfTest(const policy::Policy& policy, qint64 atUnixSeconds, const std::atomic_bool* cancel)
{
    return Builder(policy, atUnixSeconds).run(cancel);
}

QJsonObject selfTestToJson(const SelfTestReport& report)
{
    QJsonArray variants;
    for (const SelfTestVariant& v : report.variants) {
        QJsonObject o{{QStringLiteral("id"), v.id},
                      {QStringLiteral("title"), v.title},
                      {QStringLiteral("issuer"), v.issuer},
                      {QStringLiteral("signed_with_test_key"), v.signedWithTestKey}};
        if (!v.applicable) {
            o.insert(QStringLiteral("verdict"), QStringLiteral("not_applicable"));
            o.insert(QStringLiteral("reason"), v.notApplicableReason);
        } else if (v.accepted) {
            o.insert(QStringLiteral("verdict"), QStringLiteral("accepted"));
            o.insert(QStringLiteral("finding"), v.finding);
        } else {
            o.insert(QStringLiteral("verdict"), QStringLiteral("rejected"));
            if (const TraceStep* f = v.trace.firstFailure()) {
                o.insert(QStringLiteral("rejected_at"), stepIdName(f->id));
                o.insert(QStringLiteral("code"), f->code.toString());
                o.insert(QStringLiteral("reason"), f->reason());
            }
        }
        o.insert(QStringLiteral("fingerprint"), v.trace.fingerprint());
        variants.append(o);
    }
    return {{QStringLiteral("accepted"), report.acceptedCount()},
            {QStringLiteral("variants"), variants},
            {QStringLiteral("notes"), QJsonArray::fromStringList(report.notes)}};
}

} // namespace jwb::verify
