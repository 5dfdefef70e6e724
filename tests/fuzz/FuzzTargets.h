// SPDX-License-Identifier: Apache-2.0
// The body of each libFuzzer target, shared with tests/core/tst_fuzzregressions.cpp so a saved input
// replays through exactly the code the fuzzer ran. Each function returns an empty string when every
// invariant held, otherwise what broke; memory errors, undefined behaviour and leaks are the
// sanitizers' to report.
#pragma once

#include "estate/Estate.h"
#include "keys/Key.h"
#include "policy/Policy.h"
#include "policy/PolicyIO.h"
#include "verify/PolicyVerifier.h"

#include <QByteArray>
#include <QFile>
#include <QJsonObject>
#include <QString>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace jwb::fuzz {

// A fixture the targets cannot run without: a missing one is a broken checkout, not a finding, so
// it aborts loudly instead of letting the fuzzer run against nothing.
inline QByteArray readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "fuzz fixture missing: %s\n", qPrintable(path));
        std::abort();
    }
    return f.readAll();
}

inline keys::Key fixtureKey(const char* relative, const QString& kid)
{
    const QString path = QStringLiteral(JWB_TEST_DATA "/") + QLatin1String(relative);
    auto keys = keys::parseKeyData(readFile(path), path);
    if (!keys || keys->isEmpty()) {
        std::fprintf(stderr, "fuzz fixture unusable: %s\n", relative);
        std::abort();
    }
    keys::Key key = keys->first();
    key.kid = kid;
    return key;
}

// 2026-11-01T10:00:00Z, the instant the verify tests and the fixture tokens use.
inline constexpr qint64 kVerifyAt = 1793527200;

// Two issuers; RSA, EC P-256, Ed25519 and HMAC keys from tests/data; every family pinned.
inline const verify::PolicyVerifier& fixedVerifier()
{
    static const std::unique_ptr<verify::PolicyVerifier> verifier = [] {
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
        login.keys.resolved = {fixtureKey("verify/rsa.pub.pem", QStringLiteral("rsa-1")),
                               fixtureKey("verify/ec256.pub.pem", QStringLiteral("ec-1")),
                               fixtureKey("verify/ed25519.pub.pem", QStringLiteral("ed-1"))};
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
    }();
    return *verifier;
}

// fuzz_verify: token parse + full policy verification.
inline QString runVerify(QByteArrayView token)
{
    verify::VerifyOptions options;
    options.atUnixSeconds = kVerifyAt;
    const verify::Trace trace = fixedVerifier().verify(token, options);
    // Read the way the CLI reads it, so the formatting code runs on hostile values too.
    const QString text = trace.toText();
    const QJsonObject json = trace.toJson();
    if (trace.steps.isEmpty() || text.isEmpty() || json.isEmpty())
        return QStringLiteral("empty trace");
    if (trace.accepted && trace.firstFailure())
        return QStringLiteral("accepted with a failed step");
    if (trace.accepted && token.size() > 16384)
        return QStringLiteral("accepted beyond max_token_bytes");
    return {};
}

// Tokens signed with the fixture keys (tests/fuzz/tokens); the fuzzed key material decides whether
// they verify.
inline const QList<QByteArray>& fixedTokens()
{
    static const QList<QByteArray> tokens = [] {
        QList<QByteArray> out;
        for (const char* name : {"rs256.jwt", "es256.jwt", "eddsa.jwt", "hs256.jwt"})
            out.append(readFile(QStringLiteral(JWB_FUZZ_DIR "/tokens/") + QLatin1String(name)).trimmed());
        return out;
    }();
    return tokens;
}

// fuzz_signature: arbitrary JWK/JWKS/PEM bytes as the key set, then the JWS layer of fixed tokens.
inline QString runSignature(QByteArrayView keyData)
{
    const auto keys = keys::parseKeyData(keyData, QStringLiteral("fuzz input"));
    if (!keys)
        return keys.error().code.startsWith(QLatin1String("ERR_")) ? QString() : QStringLiteral("refusal without a code");
    for (const keys::Key& k : keys.value()) {
        if (!k.material)
            return QStringLiteral("key without material");
        if (k.type == keys::KeyType::Rsa && k.bits < keys::kMinRsaBits)
            return QStringLiteral("weak RSA key accepted");
    }
    for (const QByteArray& token : fixedTokens()) {
        const verify::Trace trace = verify::verifySignatureOnly(token, keys.value(), std::nullopt);
        if (trace.steps.isEmpty())
            return QStringLiteral("empty trace");
        (void)trace.toJson();
    }
    return {};
}

// fuzz_policy_json / fuzz_policy_yaml. Key files resolve against a directory that does not exist,
// so jwks_file/pem_files in the input fail to read instead of touching the tree.
inline QString runPolicy(QByteArrayView text, policy::Format format)
{
    const auto loaded = policy::parsePolicy(text.toByteArray(), format,
                                            format == policy::Format::Json ? QStringLiteral("fuzz.json") : QStringLiteral("fuzz.yaml"),
                                            QStringLiteral("/nonexistent-fuzz-base"));
    if (!loaded)
        return loaded.error().code.startsWith(QLatin1String("ERR_")) ? QString() : QStringLiteral("refusal without a code");
    // What the loader accepted, the writer must be able to write, and a reload must agree.
    const QByteArray saved = policy::serializePolicy(loaded.value(), format);
    if (saved.isEmpty())
        return QStringLiteral("accepted policy serialises to nothing");
    return {};
}

// fuzz_estate: arbitrary bytes as a YAML estate file. Paths resolve against tests/data/estate, so an
// input naming staging-policy.yaml reaches verifier validation against a real policy; the loader
// only reads there. Probes are never run.
inline QString runEstate(QByteArrayView text)
{
    const auto loaded = estate::parseEstate(text.toByteArray(), /*json=*/false, QStringLiteral("fuzz.yaml"),
                                            QStringLiteral(JWB_TEST_DATA "/estate"));
    if (!loaded)
        return loaded.error().code.startsWith(QLatin1String("ERR_")) ? QString() : QStringLiteral("refusal without a code");
    for (const estate::Verifier& v : loaded->verifiers) {
        for (const QString& iss : v.issuers) {
            if (!loaded->policy.findIssuer(iss))
                return QStringLiteral("verifier names an issuer the policy does not have");
        }
    }
    return {};
}

} // namespace jwb::fuzz
