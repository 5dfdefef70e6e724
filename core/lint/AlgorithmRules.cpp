// SPDX-License-Identifier: Apache-2.0
// Rules about the algorithm pin: the first check of the pipeline, and the one attacks aim at.

#include "lint/LintRule.h"

#include "crypto/Algorithm.h"

namespace jwb::lint::detail {

namespace {

// One list of algorithm names the engine may accept: an issuer's effective pin, or the extra
// algorithms an active exception grants on top of it.
struct AlgorithmSource {
    QString path;
    QString issuer;
    QString scope;       // for messages
    QStringList names;   // as written
    QStringList context; // what the names are accepted beside (the issuer's pin, for an exception)
    bool fromException = false;
    QString until;       // the exception's expiry
};

QList<AlgorithmSource> algorithmSources(const Context& context)
{
    QList<AlgorithmSource> sources;
    for (const IssuerView& view : context.views()) {
        sources.append({view.pathOf(Field::Algorithms), context.issuerOf(view, Field::Algorithms),
                        context.scopeOf(view, Field::Algorithms), view.rules.algorithms, {}, false, {}});
    }
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.allow.algorithms || !e.activeAt(context.atDateTime()))
            continue;
        const policy::Issuer* issuer = context.policy().findIssuer(e.issuer);
        sources.append({QStringLiteral("exceptions[%1].allow.algorithms").arg(i), e.issuer,
                        QStringLiteral("exception '%1' for issuer '%2'").arg(e.id, e.issuer), *e.allow.algorithms,
                        issuer ? context.policy().effectiveRules(*issuer).algorithms : QStringList(), true,
                        expiryText(e)});
    }
    return sources;
}

void checkNone(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const AlgorithmSource& source : algorithmSources(context)) {
        for (const QString& name : source.names) {
            if (!crypto::isNoneSpelling(name))
                continue;
            sink.report(self, source.path, source.issuer,
                        QStringLiteral("'%1' is allowed in %2. An unsecured JWS carries no signature, so anyone "
                                       "can forge it; this engine always rejects it, but gateways configured "
                                       "from this policy may not. Remove it from the pin.")
                            .arg(name, source.scope));
        }
    }
}

void checkUnknown(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const AlgorithmSource& source : algorithmSources(context)) {
        for (const QString& name : source.names) {
            if (crypto::isNoneSpelling(name) || crypto::algorithmFromName(name) != crypto::Algorithm::Unsupported)
                continue;
            sink.report(self, source.path, source.issuer,
                        QStringLiteral("'%1' in %2 is not a registered JWS algorithm this product verifies "
                                       "(names are case-sensitive, e.g. RS256, ES256, EdDSA). Tokens using it "
                                       "are always rejected, so the pin does not say what was intended.")
                            .arg(name, source.scope));
        }
    }
}

QStringList familiesOf(const QStringList& names)
{
    QStringList families;
    for (const QString& name : names) {
        const crypto::Algorithm alg = crypto::algorithmFromName(name);
        if (alg == crypto::Algorithm::Unsupported)
            continue;
        const QString family = crypto::familyName(crypto::family(alg));
        if (!families.contains(family))
            families.append(family);
    }
    return families;
}

// Families mixed by `names` beside `context`, when that is new (an exception on an issuer that already
// mixes adds nothing: the issuer is reported).
QStringList newlyMixedFamilies(const AlgorithmSource& source)
{
    QStringList families = familiesOf(source.names + source.context);
    if (!families.contains(QStringLiteral("HMAC")) || families.size() < 2)
        return {};
    const QStringList before = familiesOf(source.context);
    if (before.contains(QStringLiteral("HMAC")) && before.size() >= 2)
        return {};
    return families;
}

void checkFamiliesMixed(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const AlgorithmSource& source : algorithmSources(context)) {
        if (source.fromException)
            continue; // exception-mixes-families
        const QStringList families = newlyMixedFamilies(source);
        if (families.isEmpty())
            continue;
        sink.report(self, source.path, source.issuer,
                    QStringLiteral("%1 accepts HMAC beside %2 (%3). A verifier that lets the token choose "
                                   "between a shared secret and a public key can be made to use the public "
                                   "key as an HMAC secret; pin one family per issuer.")
                        .arg(source.scope, families.size() > 2 ? QStringLiteral("asymmetric families")
                                                               : QStringLiteral("an asymmetric family"),
                             quotedList(source.names)));
    }
}

// The sanctioned way to mix families during a migration: owned and dated, so shown, not failed.
void checkExceptionMixesFamilies(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const AlgorithmSource& source : algorithmSources(context)) {
        if (!source.fromException || newlyMixedFamilies(source).isEmpty())
            continue;
        sink.report(self, source.path, source.issuer,
                    QStringLiteral("%1 accepts %2 beside the issuer's pin (%3) until %4. Mixing HMAC with an "
                                   "asymmetric family is acceptable only for the migration it covers; make sure "
                                   "it ends on that date.")
                        .arg(source.scope, quotedList(source.names), quotedList(source.context), source.until));
    }
}

void checkPinEmpty(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        bool usable = false;
        for (const QString& name : view.rules.algorithms)
            usable = usable || crypto::algorithmFromName(name) != crypto::Algorithm::Unsupported;
        if (usable)
            continue;
        sink.report(self, view.pathOf(Field::Algorithms), context.issuerOf(view, Field::Algorithms),
                    QStringLiteral("No verifiable algorithm is pinned in %1, so every token is rejected before a "
                                   "key is tried. Pin the algorithm the issuer signs with.")
                        .arg(context.scopeOf(view, Field::Algorithms)));
    }
}

void checkSymmetricWithJwksUri(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer || view.issuer->keys.jwksUri.isEmpty())
            continue;
        QStringList symmetric;
        for (const QString& name : view.rules.algorithms) {
            const crypto::Algorithm alg = crypto::algorithmFromName(name);
            if (alg != crypto::Algorithm::Unsupported && crypto::isSymmetric(alg))
                symmetric.append(name);
        }
        if (symmetric.isEmpty())
            continue;
        sink.report(self, view.issuerPath() + QStringLiteral(".keys.jwks_uri"), view.issuerName(),
                    QStringLiteral("Issuer '%1' pins %2 but publishes keys at a jwks_uri. A JWKS endpoint "
                                   "serves public keys; an HMAC secret must never be published, and a verifier "
                                   "that reads the published key as a secret accepts forged tokens.")
                        .arg(view.issuerName(), quotedList(symmetric)));
    }
}

} // namespace

QList<Rule> algorithmRules()
{
    return {
        {{QStringLiteral("alg-none-allowed"), Severity::Error,
          QStringLiteral("The unsecured algorithm 'none' is allowed"), QStringLiteral("RFC 8725 §3.1, RFC 7518 §3.6")},
         checkNone},
        {{QStringLiteral("alg-unknown"), Severity::Error,
          QStringLiteral("An algorithm name is not a supported JWS algorithm"),
          QStringLiteral("RFC 7518 §3.1, RFC 8725 §3.2")},
         checkUnknown},
        {{QStringLiteral("alg-families-mixed"), Severity::Error,
          QStringLiteral("HMAC is accepted beside an asymmetric algorithm family"),
          QStringLiteral("RFC 8725 §2.1, §3.1")},
         checkFamiliesMixed},
        {{QStringLiteral("exception-mixes-families"), Severity::Info,
          QStringLiteral("An active exception accepts HMAC beside an asymmetric pin"),
          QStringLiteral("RFC 8725 §2.1, §3.1")},
         checkExceptionMixesFamilies},
        {{QStringLiteral("alg-pin-empty"), Severity::Warning,
          QStringLiteral("No verifiable algorithm is pinned"), QStringLiteral("RFC 8725 §3.1")},
         checkPinEmpty},
        {{QStringLiteral("symmetric-with-jwks-uri"), Severity::Error,
          QStringLiteral("A symmetric algorithm is pinned for an issuer that publishes a JWKS"),
          QStringLiteral("RFC 8725 §2.1, §3.1; RFC 7517 §5")},
         checkSymmetricWithJwksUri},
    };
}

} // namespace jwb::lint::detail
