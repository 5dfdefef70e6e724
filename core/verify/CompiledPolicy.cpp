// SPDX-License-Identifier: Apache-2.0
#include "verify/CompiledPolicy.h"

namespace jwb::verify {

namespace {

std::vector<std::string> toStdList(const QStringList& list)
{
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(list.size()));
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

std::vector<PolicyString> toPolicyStrings(const QStringList& list)
{
    std::vector<PolicyString> out;
    out.reserve(static_cast<size_t>(list.size()));
    for (const QString& s : list)
        out.push_back({s.toStdString(), s});
    return out;
}

crypto::AlgorithmSet toAlgorithmSet(const QStringList& names)
{
    crypto::AlgorithmSet set;
    for (const QString& n : names)
        set.insert(crypto::algorithmFromName(n));
    return set;
}

CompiledException compileException(const policy::PolicyException& ex)
{
    CompiledException ce;
    ce.id = ex.id;
    ce.expiresAt = ex.expires.toSecsSinceEpoch();
    ce.algorithms = toAlgorithmSet(ex.allow.algorithms.value_or(QStringList()));
    ce.headers = toStdList(ex.allow.headers.value_or(QStringList()));
    ce.kids = toStdList(ex.allow.kids.value_or(QStringList()));
    ce.clockSkewSeconds = ex.allow.clockSkewSeconds;
    ce.maxLifetimeSeconds = ex.allow.maxLifetimeSeconds;
    return ce;
}

} // namespace

CompiledKey compileKey(const keys::Key& key, const QString& exceptionId)
{
    const QString label = key.kid.isEmpty() ? key.thumbprint.left(12) : key.kid;
    CompiledKey ck{key, key.kid.toStdString(), {}, exceptionId, label, key.description()};
    for (crypto::Algorithm a : key.usableAlgorithms())
        ck.usable.insert(a);
    return ck;
}

void CompiledIssuer::compileRules()
{
    pinned = toAlgorithmSet(rules.algorithms);
    allowedHeaders = toStdList(rules.allowedHeaders);
    for (const std::string& header : allowedHeaders) {
        if (const std::uint64_t tag = nameTag(header))
            allowedHeaderTags.push_back(tag);
    }
    if (rules.allowedTypes) {
        allowedTypes = toPolicyStrings(*rules.allowedTypes);
        allowedTypesText = rules.allowedTypes->join(QStringLiteral(", "));
    }
    requiredClaims = toStdList(rules.requiredClaims);
    requiresExp = contains(requiredClaims, "exp");
    requiredClaimsText = rules.requiredClaims.join(QStringLiteral(", "));
    pinnedText = rules.algorithms.join(QStringLiteral(", "));
}

std::shared_ptr<const CompiledPolicy> CompiledPolicy::compile(policy::Policy policy)
{
    auto compiled = std::make_shared<CompiledPolicy>();
    compiled->policy = std::move(policy);
    const policy::Policy& p = compiled->policy;

    compiled->fallback.rules.apply(p.defaults);
    compiled->fallback.compileRules();
    compiled->globalMaxTokenBytes = compiled->fallback.rules.maxTokenBytes;

    compiled->issuers.reserve(static_cast<size_t>(p.issuers.size()));
    for (const policy::Issuer& issuer : p.issuers) {
        CompiledIssuer ci;
        ci.issuer = &issuer;
        ci.name = issuer.issuer;
        ci.rules = p.effectiveRules(issuer);
        ci.compileRules();
        ci.audiences = toPolicyStrings(issuer.audiences);
        ci.subjects = toPolicyStrings(issuer.subjects);
        for (const keys::Key& k : issuer.keys.resolved)
            ci.keys.push_back(compileKey(k, {}));
        for (const policy::PolicyException& ex : p.exceptions) {
            if (ex.issuer != issuer.issuer)
                continue;
            if (ex.allow.keys) {
                for (const keys::Key& k : ex.allow.keys->resolved)
                    ci.keys.push_back(compileKey(k, ex.id));
            }
            ci.exceptions.push_back(compileException(ex));
        }
        compiled->globalMaxTokenBytes = std::max(compiled->globalMaxTokenBytes, ci.rules.maxTokenBytes);
        compiled->byIssuer.emplace(issuer.issuer.toStdString(), compiled->issuers.size());
        compiled->issuers.push_back(std::move(ci));
    }
    return compiled;
}

} // namespace jwb::verify
