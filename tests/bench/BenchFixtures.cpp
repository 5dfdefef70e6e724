// SPDX-License-Identifier: Apache-2.0
#include "BenchFixtures.h"

#include "token/Base64Url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/pem.h>
#include <openssl/rand.h>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace jwb::bench {

namespace {

[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "bench setup failed: %s\n", what.c_str());
    std::exit(2);
}

std::shared_ptr<EVP_PKEY> generate(crypto::Algorithm alg)
{
    EVP_PKEY* key = nullptr;
    switch (crypto::family(alg)) {
    case crypto::Family::Rsa:
    case crypto::Family::RsaPss: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)); break;
    case crypto::Family::Ecdsa: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case crypto::Family::EdDsa: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    default: break;
    }
    if (!key)
        fail("key generation");
    return {key, EVP_PKEY_free};
}

QByteArray pem(EVP_PKEY* key, bool privateKey)
{
    BIO* bio = BIO_new(BIO_s_mem());
    const int ok = privateKey ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                              : PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    QByteArray out = ok == 1 ? QByteArray(data, static_cast<qsizetype>(length)) : QByteArray();
    BIO_free(bio);
    return out;
}

AlgFixture makeFixture(crypto::Algorithm alg)
{
    AlgFixture f;
    f.alg = alg;
    f.name = crypto::algorithmName(alg).toStdString();
    const QString kid = QStringLiteral("bench-") + crypto::algorithmName(alg);
    if (alg == crypto::Algorithm::HS256) {
        f.secret.resize(32);
        if (RAND_bytes(reinterpret_cast<unsigned char*>(f.secret.data()), 32) != 1)
            fail("random secret");
        auto signer = crypto::SigningKey::fromSecret(f.secret, kid);
        auto key = keys::hmacKey(f.secret, kid, QStringLiteral("bench secret"));
        if (!signer || !key)
            fail("HMAC key");
        f.signer = std::make_shared<crypto::SigningKey>(std::move(signer).value());
        f.key = std::move(key).value();
    } else {
        f.pkey = generate(alg);
        auto signer = crypto::SigningKey::fromPrivatePem(pem(f.pkey.get(), true), kid);
        auto keys = keys::parsePem(pem(f.pkey.get(), false), QStringLiteral("bench.pem"));
        if (!signer || !keys || keys->isEmpty())
            fail("PEM round trip for " + f.name);
        f.signer = std::make_shared<crypto::SigningKey>(std::move(signer).value());
        f.key = keys->first();
        f.key.kid = kid;
    }
    f.token = mintToken(f, 0);
    const qsizetype lastDot = f.token.lastIndexOf('.');
    f.signingInput = f.token.left(lastDot);
    const auto sig = token::decodeBase64Url(QByteArrayView(f.token).sliced(lastDot + 1));
    if (f.token.isEmpty() || !sig)
        fail("minting a token for " + f.name);
    f.signature = *sig;
    return f;
}

} // namespace

QByteArray mintToken(const AlgFixture& f, int serial, const QByteArray& algOverride)
{
    const QJsonObject header{{QStringLiteral("alg"), algOverride.isEmpty() ? crypto::algorithmName(f.alg)
                                                                            : QString::fromLatin1(algOverride)},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), f.signer->publicKey().kid}};
    const QJsonObject claims{{QStringLiteral("iss"), kIssuer},
                             {QStringLiteral("sub"), QStringLiteral("user-%1@example.com").arg(serial)},
                             {QStringLiteral("aud"), QJsonArray{QStringLiteral("payments-api"), QStringLiteral("ledger-api")}},
                             {QStringLiteral("iat"), kNow - 60},
                             {QStringLiteral("nbf"), kNow - 60},
                             {QStringLiteral("exp"), kNow + 3000},
                             {QStringLiteral("jti"), QStringLiteral("%1-%2").arg(serial).arg(QString::fromStdString(f.name))},
                             {QStringLiteral("scope"), QStringLiteral("payments:read payments:write ledger:read")}};
    return crypto::mintCompact(QJsonDocument(header).toJson(QJsonDocument::Compact),
                               QJsonDocument(claims).toJson(QJsonDocument::Compact), f.signer.get(), f.alg);
}

const std::vector<AlgFixture>& algFixtures()
{
    static const std::vector<AlgFixture> fixtures = [] {
        std::vector<AlgFixture> v;
        for (crypto::Algorithm a : {crypto::Algorithm::RS256, crypto::Algorithm::PS256, crypto::Algorithm::ES256,
                                    crypto::Algorithm::EdDSA, crypto::Algorithm::HS256})
            v.push_back(makeFixture(a));
        return v;
    }();
    return fixtures;
}

std::shared_ptr<const verify::PolicyVerifier> benchVerifier()
{
    static const std::shared_ptr<const verify::PolicyVerifier> verifier = [] {
        policy::Policy p;
        p.name = QStringLiteral("bench");
        p.revision = 1;
        p.defaults.algorithms = QStringList{QStringLiteral("RS256"), QStringLiteral("PS256"), QStringLiteral("ES256"),
                                            QStringLiteral("EdDSA"), QStringLiteral("HS256")};
        p.defaults.clockSkewSeconds = 30;
        p.defaults.maxLifetimeSeconds = 3600;
        p.defaults.requiredClaims = QStringList{QStringLiteral("exp"), QStringLiteral("iat")};
        p.defaults.allowedHeaders = QStringList{QStringLiteral("alg"), QStringLiteral("typ"), QStringLiteral("kid")};
        p.defaults.allowedTypes = QStringList{QStringLiteral("JWT")};
        p.defaults.requireKid = true;
        policy::Issuer issuer;
        issuer.issuer = kIssuer;
        issuer.trustDomain = QStringLiteral("workforce");
        issuer.audiences = QStringList{QStringLiteral("payments-api"), QStringLiteral("ledger-api")};
        for (const AlgFixture& f : algFixtures())
            issuer.keys.resolved.append(f.key);
        p.issuers = {issuer};
        return std::make_shared<const verify::PolicyVerifier>(p);
    }();
    return verifier;
}

qint64 peakRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<qint64>(usage.ru_maxrss) * 1024; // Linux reports kilobytes
}

void printCheck(const std::string& what, double value, const std::string& unit, double target, bool lowerIsBetter)
{
    const bool met = lowerIsBetter ? value <= target : value >= target;
    std::printf("  %-44s %10.3f %-3s target %s %-8.3g %s\n", what.c_str(), value, unit.c_str(),
                lowerIsBetter ? "<=" : ">=", target, met ? "met" : "MISSED");
}

void MedianReporter::ReportRuns(const std::vector<Run>& runs)
{
    for (const Run& r : runs) {
        if (r.error_occurred || r.iterations <= 0)
            continue;
        const auto iterations = static_cast<double>(r.iterations);
        const double real = r.real_accumulated_time * 1e9 / iterations;
        const double cpu = r.cpu_accumulated_time * 1e9 / iterations;
        const std::string name = r.run_name.str(); // without the "_median" of an aggregate
        if (r.run_type == Run::RT_Iteration) {
            m_real[name].push_back(real);
            m_cpu[name].push_back(cpu);
            for (const auto& [counterName, counter] : r.counters)
                m_counters[counterName][name].push_back(static_cast<double>(counter));
        } else if (r.aggregate_name == "median") {
            // With --benchmark_report_aggregates_only the single runs never reach a reporter.
            m_reportedReal[name] = real;
            m_reportedCpu[name] = cpu;
            for (const auto& [counterName, counter] : r.counters)
                m_reportedCounters[counterName][name] = static_cast<double>(counter);
        }
        // A spread (stddev, cv) is not a value the counter took.
        if (r.run_type == Run::RT_Iteration || r.aggregate_name == "mean" || r.aggregate_name == "median") {
            for (const auto& [counterName, counter] : r.counters)
                m_counterMax[counterName] = std::max(m_counterMax[counterName], static_cast<double>(counter));
        }
    }
    ConsoleReporter::ReportRuns(runs);
}

namespace {

Times medians(const std::map<std::string, std::vector<double>>& samples, Times out)
{
    for (auto [name, values] : samples) {
        std::sort(values.begin(), values.end());
        const std::size_t n = values.size();
        out[name] = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
    return out;
}

} // namespace

Times MedianReporter::realMedians() const { return medians(m_real, m_reportedReal); }

Times MedianReporter::cpuMedians() const { return medians(m_cpu, m_reportedCpu); }

Times MedianReporter::counterMedians(const std::string& name) const
{
    const auto samples = m_counters.find(name);
    const auto reported = m_reportedCounters.find(name);
    return medians(samples == m_counters.end() ? std::map<std::string, std::vector<double>>{} : samples->second,
                   reported == m_reportedCounters.end() ? Times{} : reported->second);
}

double MedianReporter::maxCounter(const std::string& name) const
{
    const auto it = m_counterMax.find(name);
    return it == m_counterMax.end() ? 0 : it->second;
}

} // namespace jwb::bench
