// SPDX-License-Identifier: Apache-2.0
// Token parse + full policy verification of arbitrary bytes under one fixed policy: two issuers,
// RSA, EC P-256, Ed25519 and HMAC keys from tests/data, every algorithm family pinned, a fixed
// evaluation instant. Whatever the input, verify() must return a trace without a memory error,
// undefined behaviour or leak, and must never accept: no input here carries a valid signature
// except by forging one.
#include "FuzzSupport.h"

#include "policy/Policy.h"
#include "verify/PolicyVerifier.h"

#include <cstddef>
#include <cstdint>
#include <memory>

using namespace jwb;

namespace {

constexpr qint64 kAt = 1793527200; // 2026-11-01T10:00:00Z, the instant the verify tests use

std::unique_ptr<verify::PolicyVerifier> makeVerifier()
{
    policy::Policy p;
    p.name = QStringLiteral("fuzz");
    p.owner = QStringLiteral("sec@example.com");
    p.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("PS256"), QStringLiteral("ES256"),
                                        QStringLiteral("EdDSA"), QStringLiteral("HS256")};
    p.defaults.clockSkewSeconds = 30;
    p.defaults.maxLifetimeSeconds = 3600;
    p.defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
    p.defaults.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid"),
                                            QStringLiteral("crit")};
    p.defaults.requireKid = false;

    policy::Issuer login;
    login.issuer = QStringLiteral("https://login.example.com/");
    login.trustDomain = QStringLiteral("workforce");
    login.audiences = QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api")};
    login.keys.resolved = {fuzz::fixtureKey("verify/rsa.pub.pem", QStringLiteral("rsa-1")),
                           fuzz::fixtureKey("verify/ec256.pub.pem", QStringLiteral("ec-1")),
                           fuzz::fixtureKey("verify/ed25519.pub.pem", QStringLiteral("ed-1"))};
    policy::Issuer partner;
    partner.issuer = QStringLiteral("https://partner.example.net/");
    partner.trustDomain = QStringLiteral("partners");
    partner.audiences = QStringList{QStringLiteral("partner-api")};
    auto hs = keys::hmacKey(QByteArray(64, 'k'), QStringLiteral("hs-1"), QStringLiteral("fuzz secret"));
    if (!hs)
        std::abort();
    partner.keys.resolved = {hs.value()};
    p.issuers = {login, partner};
    return std::make_unique<verify::PolicyVerifier>(std::move(p));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::unique_ptr<verify::PolicyVerifier> verifier = makeVerifier();
    const QByteArrayView token(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    verify::VerifyOptions options;
    options.atUnixSeconds = kAt;
    const verify::Trace trace = verifier->verify(token, options);
    // The trace is read the way the CLI reads it, so its formatting code is fuzzed too.
    const QString text = trace.toText();
    const QJsonObject json = trace.toJson();
    if (trace.steps.isEmpty() || text.isEmpty() || json.isEmpty())
        std::abort(); // every token gets a full trace, accepted or not
    return 0;
}
