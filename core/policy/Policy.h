// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Algorithm.h"
#include "keys/Key.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace jwb::policy {

// Format v1 of the policy file (see resources/schema/jwt-policy-v1.schema.json). YAML and JSON carry
// the same content; field names in comments are the file's, and are a contract: add, never rename.

inline constexpr int kFormatVersion = 1;
inline constexpr int kMaxClockSkewSeconds = 300;

// The inheritable rule set. In `defaults` unset fields take the built-in values of EffectiveRules;
// in an issuer's `overrides` unset fields inherit from `defaults`.
struct Rules {
    std::optional<QStringList> algorithms;         // algorithms
    std::optional<int> clockSkewSeconds;           // clock_skew_seconds, 0..300
    std::optional<qint64> maxLifetimeSeconds;      // max_lifetime_seconds, > 0
    std::optional<QStringList> requiredClaims;     // required_claims
    std::optional<QStringList> allowedHeaders;     // allowed_headers
    std::optional<QStringList> allowedTypes;       // allowed_types
    std::optional<bool> requireType;               // require_type
    std::optional<bool> requireKid;                // require_kid
    std::optional<qint64> maxTokenBytes;           // max_token_bytes, 64..1048576

    bool operator==(const Rules&) const = default;
};

// Rules with every value decided: what the engine enforces for one issuer at one instant.
struct EffectiveRules {
    QStringList algorithms;                // empty: nothing is accepted (fail closed)
    int clockSkewSeconds = 0;
    std::optional<qint64> maxLifetimeSeconds;
    QStringList requiredClaims{QStringLiteral("exp")};
    QStringList allowedHeaders{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid")};
    std::optional<QStringList> allowedTypes; // unset: typ is not checked
    bool requireType = false;
    bool requireKid = false;
    qint64 maxTokenBytes = 16384;

    // Applies `rules` on top (set fields replace).
    void apply(const Rules& rules);
};

// keys.refresh: how a fetching verifier should cache this issuer's JWKS (exported, and rehearsed).
struct KeyRefresh {
    std::optional<qint64> cacheSeconds;        // cache_seconds
    std::optional<qint64> maxStaleSeconds;     // max_stale_seconds
    std::optional<bool> refetchOnUnknownKid;   // refetch_on_unknown_kid
    std::optional<qint64> cooldownSeconds;     // cooldown_seconds
    bool operator==(const KeyRefresh&) const = default;
};

// keys: where an issuer's pinned keys come from. Sources are kept as written so saving round-trips;
// `resolved` holds the parsed keys of all sources (filled by the loader, or by key import).
struct KeySources {
    std::optional<QJsonObject> jwks;     // jwks: inline JWKS object
    QString jwksFile;                    // jwks_file: relative to the policy file
    QStringList pemFiles;                // pem_files: relative to the policy file
    QString jwksUri;                     // jwks_uri: recorded for exports; never fetched by verify
    std::optional<QJsonObject> testJwks; // test_jwks: keys minted in the workbench, marked as test keys
    std::optional<KeyRefresh> refresh;   // refresh
    QList<keys::Key> resolved;           // not saved; derived from the sources above

    bool operator==(const KeySources& o) const
    {
        return jwks == o.jwks && jwksFile == o.jwksFile && pemFiles == o.pemFiles && jwksUri == o.jwksUri
               && testJwks == o.testJwks && refresh == o.refresh;
    }
};

struct Issuer {
    QString issuer;       // issuer: exact, byte-for-byte match of iss
    QString trustDomain;  // trust_domain
    QStringList audiences;// audiences: this issuer's row of the issuer x audience matrix
    QStringList subjects; // subjects: optional allowlist of sub (empty: any)
    KeySources keys;      // keys
    Rules overrides;      // overrides

    bool operator==(const Issuer&) const = default;
};

// exceptions[].allow: the narrow loosening an exception grants.
struct ExceptionAllow {
    std::optional<QStringList> algorithms;     // algorithms
    std::optional<QStringList> headers;        // headers: extra allowed header members
    std::optional<int> clockSkewSeconds;       // clock_skew_seconds
    std::optional<qint64> maxLifetimeSeconds;  // max_lifetime_seconds
    std::optional<QStringList> kids;           // kids: extra kids accepted from the issuer's keys
    std::optional<KeySources> keys;            // keys: extra keys (jwks / jwks_file / pem_files)
    bool operator==(const ExceptionAllow&) const = default;
};

// exceptions[]: a dated, owned loosening for one issuer.
struct PolicyException {
    QString id;          // id, unique
    QString owner;       // owner
    QString reason;      // reason
    QDateTime expires;   // expires: a date (end of that day, UTC) or an RFC 3339 instant; required
    bool expiresIsDate = false; // written as a date: saved back as a date
    QString issuer;      // issuer: must name an issuer of the policy
    ExceptionAllow allow;// allow

    bool activeAt(const QDateTime& at) const { return at < expires; }
    bool operator==(const PolicyException&) const = default;
};

// delegation: RFC 8693 actor claims and nested JWTs.
struct Delegation {
    enum class Act { Reject, Allow };
    enum class Nested { Reject, Verify };
    Act act = Act::Reject;          // act: reject | allow
    QStringList allowedActors;      // allowed_actors: sub values of acting parties (empty: any, when allowed)
    int maxChain = 1;               // max_chain: nesting depth of act
    Nested nested = Nested::Reject; // nested: reject | verify
    int maxNestedDepth = 1;         // max_nested_depth
    bool operator==(const Delegation&) const = default;
};

// deployments[]: where the policy is enforced; drives the gap report's exit code.
struct Deployment {
    QString target;             // target: envoy | istio | kong | nginx | opa
    bool onlyVerifier = false;  // only_verifier: no service behind it verifies again
    bool operator==(const Deployment&) const = default;
};

// Where a field was read from, for errors, lint and the GUI's "go to field". Paths look like
// "issuers[1].overrides.clock_skew_seconds".
using SourceLines = QHash<QString, int>;

struct Policy {
    int formatVersion = kFormatVersion;   // jwt_policy
    QString name;                         // name
    QString owner;                        // owner
    int revision = 0;                     // revision
    Rules defaults;                       // defaults
    QList<Issuer> issuers;                // issuers
    QList<PolicyException> exceptions;    // exceptions
    Delegation delegation;                // delegation
    bool hasDelegation = false;           // whether the file had a delegation section (save round-trip)
    QList<Deployment> deployments;        // deployments

    // Not saved.
    QString sourcePath;                   // the file it was loaded from, if any
    SourceLines sourceLines;

    const Issuer* findIssuer(QStringView iss) const; // exact match
    // Defaults, then the issuer's overrides. Exceptions are not applied here (see the engine).
    EffectiveRules effectiveRules(const Issuer& issuer) const;

    bool operator==(const Policy& o) const
    {
        return formatVersion == o.formatVersion && name == o.name && owner == o.owner && revision == o.revision
               && defaults == o.defaults && issuers == o.issuers && exceptions == o.exceptions
               && delegation == o.delegation && hasDelegation == o.hasDelegation && deployments == o.deployments;
    }
};

} // namespace jwb::policy
