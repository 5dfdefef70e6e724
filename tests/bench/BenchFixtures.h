// SPDX-License-Identifier: Apache-2.0
#pragma once

// Keys, tokens and a policy shared by the benchmark programs. Keys are generated with OpenSSL here
// so the raw baseline and the core verify the very same key, signing input and signature.

#include "crypto/Algorithm.h"
#include "crypto/Signer.h"
#include "keys/Key.h"
#include "verify/PolicyVerifier.h"

#include <QByteArray>
#include <QString>

#include <benchmark/benchmark.h>

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace jwb::bench {

inline constexpr qint64 kNow = 1793527200; // 2026-11-01T10:00:00Z
inline const QString kIssuer = QStringLiteral("https://login.example.com/");

struct AlgFixture {
    crypto::Algorithm alg = crypto::Algorithm::RS256;
    std::string name;                   // "RS256"
    std::shared_ptr<EVP_PKEY> pkey;     // public+private key (asymmetric algorithms)
    QByteArray secret;                  // HS256 key (32 bytes)
    std::shared_ptr<crypto::SigningKey> signer;
    keys::Key key;                      // the public key as the core loads it (PEM / raw secret)
    QByteArray token;                   // a typical access token signed with this key
    QByteArray signingInput;
    QByteArray signature;               // raw JWS signature bytes
};

// RS256 (2048), PS256, ES256, EdDSA (Ed25519), HS256 (32-byte key), in that order. Built once.
const std::vector<AlgFixture>& algFixtures();

// A policy with one issuer pinning the five algorithms, holding the five keys.
std::shared_ptr<const verify::PolicyVerifier> benchVerifier();

// A typical access token from `f`'s key; `serial` makes it distinct (jti, sub).
QByteArray mintToken(const AlgFixture& f, int serial, const QByteArray& algOverride = {});

// Peak resident set size of this process so far (getrusage ru_maxrss), in bytes.
qint64 peakRssBytes();

// Times collected from the benchmark runs (nanoseconds per iteration, real time), by run name.
using Times = std::map<std::string, double>;

// Collects every iteration run as it is reported, and gives per benchmark the median over its
// repetitions. On a shared VM a few per cent of drift between consecutive benchmarks is common; with
// --benchmark_repetitions=N --benchmark_enable_random_interleaving=true the medians compare runs
// taken under the same conditions, which single runs in a fixed order do not.
class MedianReporter final : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override;
    Times realMedians() const; // nanoseconds per iteration
    Times cpuMedians() const;
    // The largest value a counter reached in any run (0 when never reported).
    double maxCounter(const std::string& name) const;
    // Per benchmark, the median over its repetitions of counter `name` (absent when never reported).
    Times counterMedians(const std::string& name) const;

private:
    std::map<std::string, std::vector<double>> m_real;
    std::map<std::string, std::vector<double>> m_cpu;
    Times m_reportedReal; // medians Google Benchmark computed itself (aggregates-only output)
    Times m_reportedCpu;
    std::map<std::string, double> m_counterMax;
    std::map<std::string, std::map<std::string, std::vector<double>>> m_counters; // counter -> run -> values
    std::map<std::string, Times> m_reportedCounters;                              // counter -> run -> median
};

// Prints "name  value  target  met|MISSED" lines for the summary after the Google Benchmark table.
void printCheck(const std::string& what, double value, const std::string& unit, double target, bool lowerIsBetter);

} // namespace jwb::bench
