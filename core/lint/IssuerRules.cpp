// SPDX-License-Identifier: Apache-2.0
// Rules about an issuer's trust entry: the audiences it may mint for and where its keys are published.

#include "lint/JwksUri.h"
#include "lint/LintRule.h"

#include <QHash>
#include <QUrl>

namespace jwb::lint::detail {

namespace {

void checkNoAudience(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer || !view.issuer->audiences.isEmpty())
            continue;
        sink.report(self, view.issuerPath() + QStringLiteral(".audiences"), view.issuerName(),
                    QStringLiteral("Issuer '%1' lists no audience. This engine then rejects all its tokens, "
                                   "but a gateway configured from the policy may check no aud at all and accept "
                                   "a token minted for any other service. List the audiences this service "
                                   "answers to.")
                        .arg(view.issuerName()));
    }
}

// An issuer without a trust domain is a domain of its own: sharing an audience with it is only
// safe when both issuers are declared to be the same authority.
QString trustDomainOf(const policy::Issuer& issuer)
{
    return issuer.trustDomain.isEmpty() ? QStringLiteral("issuer:") + issuer.issuer : issuer.trustDomain;
}

QString describeIssuer(const policy::Issuer& issuer)
{
    return issuer.trustDomain.isEmpty()
               ? QStringLiteral("'%1' (no trust_domain)").arg(issuer.issuer)
               : QStringLiteral("'%1' (%2)").arg(issuer.issuer, issuer.trustDomain);
}

void checkCrossTrustDomain(const Rule& self, const Context& context, FindingSink& sink)
{
    // One pass to index which issuers accept each audience; first-seen order keeps the report stable.
    const auto& issuers = context.policy().issuers;
    QStringList audiences;
    QHash<QString, QList<int>> acceptedBy;
    for (int i = 0; i < issuers.size(); ++i) {
        for (const QString& aud : issuers.at(i).audiences) {
            QList<int>& list = acceptedBy[aud];
            if (list.isEmpty())
                audiences.append(aud);
            if (list.isEmpty() || list.last() != i)
                list.append(i);
        }
    }
    for (const QString& aud : audiences) {
        const QList<int>& indexes = acceptedBy[aud];
        if (indexes.size() < 2)
            continue;
        QStringList domains;
        int lastNewDomain = -1;
        for (const int i : indexes) {
            const QString domain = trustDomainOf(issuers.at(i));
            if (!domains.contains(domain)) {
                domains.append(domain);
                lastNewDomain = i;
            }
        }
        if (domains.size() < 2)
            continue;
        // Described only for the audiences reported: most of a large policy's are in one domain.
        QStringList accepting;
        accepting.reserve(indexes.size());
        for (const int i : indexes)
            accepting.append(describeIssuer(issuers.at(i)));
        sink.report(self,
                    QStringLiteral("issuers[%1].audiences[%2]")
                        .arg(lastNewDomain)
                        .arg(issuers.at(lastNewDomain).audiences.indexOf(aud)),
                    issuers.at(lastNewDomain).issuer,
                    QStringLiteral("Audience '%1' is accepted from issuers in different trust domains: %2. The "
                                   "issuers become interchangeable for it, so the weakest of them decides who "
                                   "gets in. Give each trust domain its own audience, or declare the issuers one "
                                   "trust domain if they really are one authority.")
                        .arg(aud, accepting.join(QStringLiteral(", "))));
    }
}

void checkJwksUriHttps(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer || view.issuer->keys.jwksUri.isEmpty())
            continue;
        if (isHttpsUrl(view.issuer->keys.jwksUri))
            continue;
        sink.report(self, view.issuerPath() + QStringLiteral(".keys.jwks_uri"), view.issuerName(),
                    QStringLiteral("jwks_uri '%1' of issuer '%2' is not an https URL: whoever sits on the network "
                                   "path can replace the keys a fetching gateway trusts. Publish keys over TLS.")
                        .arg(view.issuer->keys.jwksUri, view.issuerName()));
    }
}

void checkJwksUriHost(const Rule& self, const Context& context, FindingSink& sink)
{
    for (const IssuerView& view : context.views()) {
        if (!view.issuer || view.issuer->keys.jwksUri.isEmpty())
            continue;
        const QUrl issuerUrl(view.issuer->issuer);
        const QUrl jwksUrl(view.issuer->keys.jwksUri);
        // Issuers that are not URLs (plain names) have no host to compare with.
        if (!issuerUrl.isValid() || issuerUrl.host().isEmpty() || !jwksUrl.isValid() || jwksUrl.host().isEmpty())
            continue;
        if (issuerUrl.host().compare(jwksUrl.host(), Qt::CaseInsensitive) == 0)
            continue;
        sink.report(self, view.issuerPath() + QStringLiteral(".keys.jwks_uri"), view.issuerName(),
                    QStringLiteral("jwks_uri of issuer '%1' is on host '%2', not on the issuer's host '%3': "
                                   "keys served there are trusted as the issuer's, so that host must be "
                                   "controlled by the issuer. Confirm it, or use the issuer's own endpoint.")
                        .arg(view.issuerName(), jwksUrl.host(), issuerUrl.host()));
    }
}

} // namespace

QList<Rule> issuerRules()
{
    return {
        {{QStringLiteral("issuer-no-audience"), Severity::Error, QStringLiteral("An issuer lists no audience"),
          QStringLiteral("RFC 8725 §3.9, RFC 7519 §4.1.3")},
         checkNoAudience},
        {{QStringLiteral("audience-cross-trust-domain"), Severity::Warning,
          QStringLiteral("An audience is accepted from issuers in different trust domains"),
          QStringLiteral("RFC 8725 §2.8, §3.9")},
         checkCrossTrustDomain},
        {{QStringLiteral("jwks-uri-not-https"), Severity::Error, QStringLiteral("A jwks_uri is not https"),
          QStringLiteral("RFC 8414 §2, RFC 7515 §4.1.2")},
         checkJwksUriHttps},
        {{QStringLiteral("jwks-uri-foreign-host"), Severity::Warning,
          QStringLiteral("A jwks_uri is on another host than its issuer"), QStringLiteral("RFC 8725 §3.8, §3.10")},
         checkJwksUriHost},
    };
}

} // namespace jwb::lint::detail
