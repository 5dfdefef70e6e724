// SPDX-License-Identifier: Apache-2.0
// Rules about pinned keys: strength, identification, fit with the algorithm pin, test keys.

#include "lint/LintRule.h"

#include "crypto/Algorithm.h"
#include "keys/Key.h"

#include <algorithm>
#include <functional>

namespace jwb::lint::detail {

namespace {

constexpr int kMinHmacBits = 256;

// The keys of one issuer entry, or the extra keys an active exception grants it. Visited one at a
// time rather than collected: six rules walk every issuer's keys after each edit in the GUI, and the
// path and scope texts are only needed for the few sets that have a finding.
struct KeySet {
    const policy::KeySources* sources = nullptr;
    QString issuer;
    const QList<keys::Key>* keys = nullptr;
    const QStringList* algorithms = nullptr; // what the keys are used with
    bool requireKid = false;                 // the issuer's effective require_kid
    const IssuerView* view = nullptr;        // the issuer entry, or null for an exception
    int exceptionIndex = -1;
    const policy::PolicyException* exception = nullptr;

    QString path() const // "issuers[0].keys"
    {
        return exception ? QStringLiteral("exceptions[%1].allow.keys").arg(exceptionIndex)
                         : view->issuerPath() + QStringLiteral(".keys");
    }
    QString scope() const
    {
        return exception ? QStringLiteral("exception '%1'").arg(exception->id)
                         : QStringLiteral("issuer '%1'").arg(issuer);
    }
};

void forEachKeySet(const Context& context, const std::function<void(const KeySet&)>& visit)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer)
            continue;
        KeySet set;
        set.sources = &view.issuer->keys;
        set.issuer = view.issuer->issuer;
        set.keys = &view.issuer->keys.resolved;
        set.algorithms = &view.rules.algorithms;
        set.requireKid = view.rules.requireKid;
        set.view = &view;
        visit(set);
    }
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.allow.keys || !e.activeAt(context.atDateTime()))
            continue;
        const policy::Issuer* issuer = context.policy().findIssuer(e.issuer);
        const policy::EffectiveRules rules = issuer ? context.policy().effectiveRules(*issuer) : policy::EffectiveRules{};
        QStringList algorithms = issuer ? rules.algorithms : QStringList();
        if (e.allow.algorithms)
            algorithms += *e.allow.algorithms;
        KeySet set;
        set.sources = &*e.allow.keys;
        set.issuer = e.issuer;
        set.keys = &e.allow.keys->resolved;
        set.algorithms = &algorithms;
        set.requireKid = issuer && rules.requireKid;
        set.exceptionIndex = i;
        set.exception = &e;
        visit(set);
    }
}

// The pinned algorithms of a set's names, remembered for the last names seen: issuers that
// inherit the defaults share one list, so 10,000 issuers convert it once.
class PinnedCache {
public:
    const QList<crypto::Algorithm>& of(const QStringList& names);

private:
    QStringList m_names;
    QList<crypto::Algorithm> m_algorithms;
    bool m_valid = false;
};

// The field a key was read from, so a finding points at the key itself: the loader names inline
// keys "inline jwks #N" / "test_jwks #N" and file keys by their file (with " #N" for several).
QString keyPath(const KeySet& set, const keys::Key& key)
{
    QString setPath = set.path();
    const auto indexAfter = [&key](const QString& prefix) -> int {
        if (!key.source.startsWith(prefix))
            return -1;
        bool ok = false;
        const int index = key.source.mid(prefix.size()).toInt(&ok);
        return ok ? index : -1;
    };
    const auto fromFile = [&key](const QString& file) {
        return !file.isEmpty() && (key.source == file || key.source.startsWith(file + QStringLiteral(" #")));
    };
    if (const int i = indexAfter(QStringLiteral("inline jwks #")); i >= 0)
        return setPath + QStringLiteral(".jwks.keys[%1]").arg(i);
    if (const int i = indexAfter(QStringLiteral("test_jwks #")); i >= 0)
        return setPath + QStringLiteral(".test_jwks.keys[%1]").arg(i);
    if (set.sources) {
        if (fromFile(set.sources->jwksFile))
            return setPath + QStringLiteral(".jwks_file");
        for (int i = 0; i < set.sources->pemFiles.size(); ++i) {
            if (fromFile(set.sources->pemFiles.at(i)))
                return setPath + QStringLiteral(".pem_files[%1]").arg(i);
        }
    }
    return setPath;
}

QString keyLabel(const keys::Key& key)
{
    QString label = key.kid.isEmpty() ? QStringLiteral("key without kid") : QStringLiteral("key '%1'").arg(key.kid);
    label += QStringLiteral(" (%1").arg(key.description());
    if (!key.source.isEmpty())
        label += QStringLiteral(", from ") + key.source;
    return label + u')';
}

int hmacHashBits(crypto::Algorithm alg)
{
    switch (alg) {
    case crypto::Algorithm::HS256: return 256;
    case crypto::Algorithm::HS384: return 384;
    case crypto::Algorithm::HS512: return 512;
    default: return 0;
    }
}

QList<crypto::Algorithm> pinned(const QStringList& names)
{
    QList<crypto::Algorithm> algorithms;
    for (const QString& name : names) {
        const crypto::Algorithm alg = crypto::algorithmFromName(name);
        if (alg != crypto::Algorithm::Unsupported && !algorithms.contains(alg))
            algorithms.append(alg);
    }
    return algorithms;
}

const QList<crypto::Algorithm>& PinnedCache::of(const QStringList& names)
{
    if (!m_valid || names != m_names) {
        m_names = names;
        m_algorithms = pinned(names);
        m_valid = true;
    }
    return m_algorithms;
}

void checkNoKeys(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer || !view.issuer->keys.resolved.isEmpty() || !view.issuer->keys.jwksUri.isEmpty())
            continue;
        sink.report(self, view.issuerPath() + QStringLiteral(".keys"), view.issuerName(),
                    QStringLiteral("Issuer '%1' has no pinned key and no jwks_uri: no token from it can ever "
                                   "verify. Pin its keys (jwks, jwks_file or pem_files).")
                        .arg(view.issuerName()));
    }
}

// Why `key` is below strength for the algorithms it serves, or an empty string.
QString weakness(const keys::Key& key, const QList<crypto::Algorithm>& algorithms)
{
    if (key.type == keys::KeyType::Rsa && key.bits > 0 && key.bits < keys::kMinRsaBits)
        return QStringLiteral("an RSA modulus of %1 bits is below the %2 bits RFC 7518 §3.3 requires")
            .arg(key.bits)
            .arg(keys::kMinRsaBits);
    if (key.type != keys::KeyType::Oct)
        return {};
    if (key.bits < kMinHmacBits)
        return QStringLiteral("an HMAC secret of %1 bits is shorter than %2 bits").arg(key.bits).arg(kMinHmacBits);
    for (const crypto::Algorithm alg : algorithms) {
        const int needed = hmacHashBits(alg);
        if (needed > key.bits)
            return QStringLiteral("an HMAC secret of %1 bits is shorter than the %2-bit hash output of %3, as "
                                  "RFC 7518 §3.2 requires")
                .arg(key.bits)
                .arg(needed)
                .arg(crypto::algorithmName(alg));
    }
    return {};
}

void checkWeak(const Rule& self, const Context& context, FindingSink& sink)
{
    PinnedCache pins;
    forEachKeySet(context, [&](const KeySet& set) {
        const QList<crypto::Algorithm>& algorithms = pins.of(*set.algorithms);
        for (const keys::Key& key : *set.keys) {
            const QString why = weakness(key, algorithms);
            if (why.isEmpty())
                continue;
            sink.report(self, keyPath(set, key), set.issuer,
                        QStringLiteral("The %1 of %2 is weak: %3. A weak key lets signatures be forged.")
                            .arg(keyLabel(key), set.scope(), why));
        }
    });
}

void checkDuplicateKid(const Rule& self, const Context& context, FindingSink& sink)
{
    forEachKeySet(context, [&](const KeySet& set) {
        if (set.keys->size() < 2)
            return; // one key cannot share its kid
        QStringList seen;
        QStringList reported;
        for (const keys::Key& key : *set.keys) {
            if (key.kid.isEmpty())
                continue;
            if (seen.contains(key.kid) && !reported.contains(key.kid)) {
                reported.append(key.kid);
                sink.report(self, keyPath(set, key), set.issuer,
                            QStringLiteral("kid '%1' names more than one key of %2: which key a token selects "
                                           "is ambiguous, and verifiers disagree on which one they try. Give "
                                           "every key its own kid.")
                                .arg(key.kid, set.scope()));
            }
            seen.append(key.kid);
        }
    });
}

void checkUnusable(const Rule& self, const Context& context, FindingSink& sink)
{
    PinnedCache pins;
    forEachKeySet(context, [&](const KeySet& set) {
        if (set.keys->isEmpty())
            return;
        const QList<crypto::Algorithm>& algorithms = pins.of(*set.algorithms);
        if (algorithms.isEmpty())
            return; // alg-pin-empty reports the cause
        for (const keys::Key& key : *set.keys) {
            QStringList reasons;
            bool usable = false;
            for (const crypto::Algorithm alg : algorithms) {
                QString why;
                if (key.usableWith(alg, &why)) {
                    usable = true;
                    break;
                }
                if (!why.isEmpty() && !reasons.contains(why))
                    reasons.append(why);
            }
            if (usable)
                continue;
            QStringList names;
            for (const crypto::Algorithm alg : algorithms)
                names.append(crypto::algorithmName(alg));
            sink.report(self, keyPath(set, key), set.issuer,
                        QStringLiteral("The %1 of %2 cannot be used with any pinned algorithm (%3)%4. Either the "
                                       "pin or the key is wrong; a key that never verifies only hides which one.")
                            .arg(keyLabel(key), set.scope(), names.join(QStringLiteral(", ")),
                                 reasons.isEmpty() ? QString() : QStringLiteral(": ") + reasons.join(QStringLiteral("; "))));
        }
    });
}

// Under require_kid a token names its key by kid and only an exact match is tried, so a key without a
// kid (a PEM file or certificate carries none) is never selected: it looks pinned but verifies nothing.
void checkNoKidUnderRequireKid(const Rule& self, const Context& context, FindingSink& sink)
{
    forEachKeySet(context, [&](const KeySet& set) {
        if (!set.requireKid)
            return;
        for (const keys::Key& key : *set.keys) {
            if (!key.kid.isEmpty())
                continue;
            sink.report(self, keyPath(set, key), set.issuer,
                        QStringLiteral("The %1 of %2 has no kid, but require_kid is on: tokens must name their key "
                                       "by kid, so this key is never selected and verifies nothing. Give it a kid "
                                       "(the workbench's key list can set one), or turn require_kid off.")
                            .arg(keyLabel(key), set.scope()));
        }
    });
}

void checkTestKey(const Rule& self, const Context& context, FindingSink& sink)
{
    forEachKeySet(context, [&](const KeySet& set) {
        for (const keys::Key& key : *set.keys) {
            if (!key.testKey)
                continue;
            sink.report(self, keyPath(set, key), set.issuer,
                        QStringLiteral("The %1 of %2 is a test key minted in the workbench: its private half "
                                       "was never protected, so anyone who saw the session can sign tokens that "
                                       "this policy accepts. Remove it before the policy ships.")
                            .arg(keyLabel(key), set.scope()));
        }
    });
}

// RFC 8725 §3.1: a set holding both an HMAC secret and a public key is what algorithm confusion
// needs (a verifier that lets the token's alg pick the key MACs with the public key's bytes).
void checkMixedKeySet(const Rule& self, const Context& context, FindingSink& sink)
{
    forEachKeySet(context, [&](const KeySet& set) {
        const QList<keys::Key>& held = *set.keys;
        const bool anySecret =
            std::any_of(held.begin(), held.end(), [](const keys::Key& k) { return k.type == keys::KeyType::Oct; });
        const bool anyPublic =
            std::any_of(held.begin(), held.end(), [](const keys::Key& k) { return k.type != keys::KeyType::Oct; });
        if (!anySecret || !anyPublic)
            return;
        sink.report(self, set.path(), set.issuer,
                    QStringLiteral("The keys of %1 mix HMAC secrets with RSA/EC/OKP public keys. That is the "
                                   "precondition of algorithm confusion: any verifier of this issuer that lets the "
                                   "token's alg choose among these keys can be fed an HS token MACed with a public "
                                   "key. Give the HMAC secret its own issuer entry.")
                        .arg(set.scope()));
    });
}

} // namespace

QList<Rule> keyRules()
{
    return {
        {{QStringLiteral("key-set-mixed"), Severity::Error,
          QStringLiteral("An issuer's keys mix HMAC secrets with public keys"), QStringLiteral("RFC 8725 §3.1")},
         checkMixedKeySet},
        {{QStringLiteral("test-key-present"), Severity::Error, QStringLiteral("A workbench test key is pinned"),
          QStringLiteral("Workbench test keys are for trials only; RFC 8725 §3.5")},
         checkTestKey},
        {{QStringLiteral("issuer-no-keys"), Severity::Warning,
          QStringLiteral("An issuer has no pinned key and no jwks_uri"), QStringLiteral("RFC 7515 §6")},
         checkNoKeys},
        {{QStringLiteral("key-weak"), Severity::Error, QStringLiteral("A pinned key is below strength"),
          QStringLiteral("RFC 7518 §3.2, §3.3; RFC 8725 §3.5")},
         checkWeak},
        {{QStringLiteral("key-duplicate-kid"), Severity::Warning, QStringLiteral("Several keys share a kid"),
          QStringLiteral("RFC 7517 §4.5")},
         checkDuplicateKid},
        {{QStringLiteral("key-unusable"), Severity::Warning,
          QStringLiteral("A pinned key cannot serve any pinned algorithm"),
          QStringLiteral("RFC 8725 §3.1, RFC 7517 §4.2-§4.4")},
         checkUnusable},
        {{QStringLiteral("key-no-kid-required"), Severity::Warning,
          QStringLiteral("A key without kid under require_kid is never selected"), QStringLiteral("RFC 7515 §4.1.4")},
         checkNoKidUnderRequireKid},
    };
}

} // namespace jwb::lint::detail
