// SPDX-License-Identifier: Apache-2.0
// Rules about the header allowlist and explicit typing.

#include "lint/LintRule.h"

namespace jwb::lint::detail {

namespace {

// Header members that carry or point at a key. Allowing them lets a token suggest its own key; this
// engine never follows them, but gateways configured from the policy might.
const QStringList& keySelectingHeaders()
{
    static const QStringList names{QStringLiteral("jku"), QStringLiteral("x5u"), QStringLiteral("jwk"),
                                   QStringLiteral("x5c")};
    return names;
}

// Registered extensions a verifier could list in crit and understand. None is implemented by this
// engine except to reject it ("b64": false, RFC 7797), so crit only makes sense beside one of them.
const QStringList& knownCritExtensions()
{
    static const QStringList names{QStringLiteral("b64")};
    return names;
}

struct HeaderSource {
    QString path;
    QString issuer;
    QString scope;
    QStringList headers;
};

QList<HeaderSource> headerSources(const Context& context)
{
    QList<HeaderSource> sources;
    for (const IssuerView& view : context.views()) {
        sources.append({view.pathOf(Field::AllowedHeaders), context.issuerOf(view, Field::AllowedHeaders),
                        context.scopeOf(view, Field::AllowedHeaders), view.rules.allowedHeaders});
    }
    const auto& exceptions = context.policy().exceptions;
    for (int i = 0; i < exceptions.size(); ++i) {
        const policy::PolicyException& e = exceptions.at(i);
        if (!e.allow.headers || !e.activeAt(context.atDateTime()))
            continue;
        sources.append({QStringLiteral("exceptions[%1].allow.headers").arg(i), e.issuer,
                        QStringLiteral("exception '%1' for issuer '%2'").arg(e.id, e.issuer), *e.allow.headers});
    }
    return sources;
}

void checkKeySelecting(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const HeaderSource& source : headerSources(context)) {
        for (const QString& header : source.headers) {
            if (!keySelectingHeaders().contains(header))
                continue;
            sink.report(self, source.path, source.issuer,
                        QStringLiteral("Header '%1' is allowed in %2. It lets the token name or embed its own "
                                       "key; a verifier that follows it accepts tokens signed by anyone. Keys "
                                       "must come only from the policy, so remove '%1' from the allowlist.")
                            .arg(header, source.scope));
        }
    }
}

void checkCrit(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const HeaderSource& source : headerSources(context)) {
        if (!source.headers.contains(QStringLiteral("crit")))
            continue;
        bool known = false;
        for (const QString& header : source.headers)
            known = known || knownCritExtensions().contains(header);
        if (known)
            continue;
        sink.report(self, source.path, source.issuer,
                    QStringLiteral("'crit' is allowed in %1 but no extension the verifier understands is: "
                                   "every token listing a critical extension must be rejected anyway, and "
                                   "allowing the header only invites verifiers that ignore it.")
                        .arg(source.scope));
    }
}

void checkTypeUnchecked(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (view.rules.allowedTypes)
            continue;
        sink.report(self, view.pathOf(Field::AllowedTypes), context.issuerOf(view, Field::AllowedTypes),
                    QStringLiteral("The token type (typ) is not checked in %1: an ID token or another kind of "
                                   "JWT from the same issuer is accepted as an access token. List the accepted "
                                   "types in allowed_types (e.g. at+jwt).")
                        .arg(context.scopeOf(view, Field::AllowedTypes)));
    }
}

} // namespace

QList<Rule> headerRules()
{
    return {
        {{QStringLiteral("header-key-selecting-allowed"), Severity::Error,
          QStringLiteral("A header that names or embeds a key (jku, x5u, jwk, x5c) is allowed"),
          QStringLiteral("RFC 8725 §3.10, RFC 7515 §4.1.2-§4.1.6")},
         checkKeySelecting},
        {{QStringLiteral("crit-allowed"), Severity::Warning,
          QStringLiteral("'crit' is allowed without an extension the verifier understands"),
          QStringLiteral("RFC 7515 §4.1.11")},
         checkCrit},
        {{QStringLiteral("type-unchecked"), Severity::Info, QStringLiteral("The token type is not checked"),
          QStringLiteral("RFC 8725 §3.11, §3.12")},
         checkTypeUnchecked},
    };
}

} // namespace jwb::lint::detail
