// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "keys/Key.h"
#include "policy/Policy.h"
#include "verify/TokenMembers.h"

#include <QString>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jwb::verify {

// A key a trust entry (or a signature-only key set) offers, with what the steps compare and show.
struct CompiledKey {
    keys::Key key;
    std::string kid; // the key's kid as bytes, compared with the token's without conversion
    crypto::AlgorithmSet usable;
    QString exceptionId; // non-empty for keys granted by a dated exception
    QString label;       // kid, or the thumbprint's start: named in the signature step
    QString description; // "RSA 2048 ...": named in the key step
};

CompiledKey compileKey(const keys::Key& key, const QString& exceptionId);

// A policy string and the text a trace shows for it. A token value equal to a policy string is shown
// with the policy's own (shared) text, so the common, accepted case converts nothing per token.
struct PolicyString {
    std::string bytes;
    QString text;
};

inline const QString* findText(const std::vector<PolicyString>& list, std::string_view value)
{
    for (const PolicyString& p : list) {
        if (sameBytes(p.bytes, value))
            return &p.text;
    }
    return nullptr;
}

inline bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::any_of(list.begin(), list.end(), [value](const std::string& item) { return sameBytes(item, value); });
}

// A dated exception of one trust entry, as the steps test it.
struct CompiledException {
    QString id;
    qint64 expiresAt = 0; // exclusive
    crypto::AlgorithmSet algorithms;
    std::vector<std::string> headers;
    std::vector<std::string> kids;
    std::optional<int> clockSkewSeconds;
    std::optional<qint64> maxLifetimeSeconds;
};

// The effective rules of one trust entry in the forms the steps compare against.
struct CompiledIssuer {
    const policy::Issuer* issuer = nullptr;
    QString name;
    policy::EffectiveRules rules;
    crypto::AlgorithmSet pinned;
    std::vector<std::string> allowedHeaders;
    std::vector<std::uint64_t> allowedHeaderTags; // nameTag of each allowed name of up to 7 bytes
    std::vector<PolicyString> allowedTypes;
    QString allowedTypesText;  // for reasons
    std::vector<std::string> requiredClaims;
    bool requiresExp = false;   // "exp" is among requiredClaims: its absence fails at expiry
    QString requiredClaimsText; // for reasons
    QString pinnedText;         // for reasons
    std::vector<PolicyString> audiences;
    std::vector<PolicyString> subjects;
    std::vector<CompiledKey> keys;
    std::vector<CompiledException> exceptions;

    // Derives the compared forms (pinned, allowed headers and types, required claims) from `rules`.
    void compileRules();
};

// Lets the issuer index be searched with a token's iss as read, without building a std::string.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

// What PolicyVerifier compiles once per policy: every trust entry's rules, keys and exceptions,
// indexed by iss. Immutable once built; traces view its texts (Trace::keepTextOwner).
struct CompiledPolicy : std::enable_shared_from_this<CompiledPolicy> {
    static std::shared_ptr<const CompiledPolicy> compile(policy::Policy policy);

    // The trust entry whose name is `iss` byte for byte, or null.
    const CompiledIssuer* find(std::string_view iss) const
    {
        const auto it = byIssuer.find(iss);
        return it != byIssuer.end() ? &issuers[it->second] : nullptr;
    }

    policy::Policy policy;
    std::vector<CompiledIssuer> issuers;
    std::unordered_map<std::string, size_t, TextHash, std::equal_to<>> byIssuer;
    CompiledIssuer fallback; // the defaults, for diagnosis when no trust entry matches
    qint64 globalMaxTokenBytes = 0;
};

} // namespace jwb::verify
