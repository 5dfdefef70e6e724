// SPDX-License-Identifier: Apache-2.0
#include "EstatePolicy.h"

#include "keys/Key.h"
#include "policy/PolicyIO.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace jwb::bench {

policy::Policy makeEstatePolicy(const EstateShape& shape, crypto::SigningKey* firstKey)
{
    policy::Policy p;
    p.name = QStringLiteral("estate-%1").arg(shape.issuers);
    p.owner = QStringLiteral("platform-security@example.com");
    p.revision = 1;
    p.defaults.algorithms = QStringList{QStringLiteral("ES256")};
    p.defaults.clockSkewSeconds = 30;
    p.defaults.maxLifetimeSeconds = 3600;
    p.defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
    p.defaults.requireKid = true;
    const int domains = std::max(1, shape.trustDomains);
    const int perDomain = std::max(1, shape.audiences / domains);
    const int per = std::min(shape.audiencesPerIssuer, perDomain);
    p.issuers.reserve(shape.issuers);
    for (int i = 0; i < shape.issuers; ++i) {
        const QString tenant = QStringLiteral("tenant-%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        policy::Issuer issuer;
        issuer.issuer = QStringLiteral("https://%1.example.com/").arg(tenant);
        const int domain = i % domains;
        issuer.trustDomain = QStringLiteral("domain-%1").arg(domain + 1, 2, 10, QLatin1Char('0'));
        const int first = (i / domains) * per;
        for (int k = 0; k < per; ++k) {
            int d = domain;
            if (k == per - 1 && i % 7 == 3)
                d = (domain + 1) % domains; // the cross-domain share lint flags
            const int a = d * perDomain + (first + k) % perDomain;
            issuer.audiences.append(QStringLiteral("api-%1").arg(a + 1, 4, 10, QLatin1Char('0')));
        }
        auto key = crypto::SigningKey::generate(crypto::Algorithm::ES256, tenant + QStringLiteral("-2026"));
        if (!key) {
            std::fprintf(stderr, "EC key: %s\n", qPrintable(key.error().toString()));
            std::abort();
        }
        const QJsonObject jwk = QJsonDocument::fromJson(keys::toPublicJwk(key->publicKey())).object();
        issuer.keys.jwks = QJsonObject{{QStringLiteral("keys"), QJsonArray{jwk}}};
        issuer.keys.resolved.append(key->publicKey());
        if (i == 0 && firstKey)
            *firstKey = *key;
        p.issuers.append(std::move(issuer));
    }
    return p;
}

QByteArray estateYaml(const EstateShape& shape)
{
    return policy::serializePolicy(makeEstatePolicy(shape), policy::Format::Yaml);
}

} // namespace jwb::bench
