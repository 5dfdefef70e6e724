// SPDX-License-Identifier: Apache-2.0
// Verification cost per algorithm, three ways on the same key, signing input and signature:
//   raw_openssl/ALG     the fastest OpenSSL path: contexts prepared once per key (a kept EVP_PKEY_CTX
//                       after one SHA-256 in a kept EVP_MD_CTX; EVP_DigestVerify for Ed25519; a kept
//                       EVP_MAC_CTX for HMAC), written here directly against OpenSSL
//   core_signature/ALG  the core's signature step alone (crypto::verifySignature)
//   policy_verify/ALG   PolicyVerifier::verify with its full trace, default options (as the CLI does)
// plus the work outside the cryptography (a token rejected at the algorithm pin), and corpus
// throughput on 1 and 2 threads. A summary with the ratios and targets follows the table.
#include "BenchFixtures.h"

#include "corpus/CorpusAnalyzer.h"
#include "crypto/Verifier.h"
#include "token/CompactToken.h"

#include <QFile>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <utility>

using namespace jwb;
using namespace jwb::bench;

namespace {

// Large enough that a 2-thread run lasts about 0.2 s. With 2,000 tokens (45 ms a run) the paired
// scaling measured 1.74 to 1.82 while the separate benchmarks gave 1.89 to 1.93; with 10,000 the two
// agree (1.84 to 1.93): runs that short measure the start of a run more than its steady state.
constexpr int kCorpusTokens = 10000;
// What the corpus engine passes (CorpusAnalyzer.cpp).
constexpr verify::VerifyOptions kCorpusOptions{
    .atUnixSeconds = kNow, .stopAtFirstFailure = true, .computeFingerprint = false, .keepPolicyAlive = false};

// The baseline: what a hand-tuned program calling OpenSSL directly would do for one key.
class RawVerifier final {
public:
    explicit RawVerifier(const AlgFixture& f)
        : m_f(f)
    {
        m_sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        m_md = EVP_MD_CTX_new();
        const crypto::Family fam = crypto::family(f.alg);
        if (fam == crypto::Family::Hmac) {
            m_hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
            m_mac = EVP_MAC_CTX_new(m_hmac);
            OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
                                   OSSL_PARAM_construct_end()};
            EVP_MAC_init(m_mac, reinterpret_cast<const unsigned char*>(f.secret.constData()),
                         static_cast<size_t>(f.secret.size()), params);
        } else if (fam == crypto::Family::EdDsa) {
            EVP_DigestVerifyInit_ex(m_md, nullptr, nullptr, nullptr, nullptr, f.pkey.get(), nullptr);
        } else {
            m_pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, f.pkey.get(), nullptr);
            EVP_PKEY_verify_init(m_pctx);
            EVP_PKEY_CTX_set_signature_md(m_pctx, m_sha256);
            if (fam == crypto::Family::Rsa)
                EVP_PKEY_CTX_set_rsa_padding(m_pctx, RSA_PKCS1_PADDING);
            if (fam == crypto::Family::RsaPss) {
                EVP_PKEY_CTX_set_rsa_padding(m_pctx, RSA_PKCS1_PSS_PADDING);
                EVP_PKEY_CTX_set_rsa_mgf1_md(m_pctx, m_sha256);
                EVP_PKEY_CTX_set_rsa_pss_saltlen(m_pctx, RSA_PSS_SALTLEN_DIGEST);
            }
            m_sig = f.signature;
            if (fam == crypto::Family::Ecdsa) { // EVP_PKEY_verify takes DER: converted once, outside the loop
                const auto* raw = reinterpret_cast<const unsigned char*>(f.signature.constData());
                ECDSA_SIG* s = ECDSA_SIG_new();
                ECDSA_SIG_set0(s, BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
                unsigned char* der = nullptr;
                const int length = i2d_ECDSA_SIG(s, &der);
                m_sig = QByteArray(reinterpret_cast<const char*>(der), length);
                OPENSSL_free(der);
                ECDSA_SIG_free(s);
            }
        }
    }
    ~RawVerifier()
    {
        EVP_PKEY_CTX_free(m_pctx);
        EVP_MAC_CTX_free(m_mac);
        EVP_MAC_free(m_hmac);
        EVP_MD_CTX_free(m_md);
        EVP_MD_free(m_sha256);
    }
    RawVerifier(const RawVerifier&) = delete;
    RawVerifier& operator=(const RawVerifier&) = delete;

    bool verify()
    {
        const auto* input = reinterpret_cast<const unsigned char*>(m_f.signingInput.constData());
        const auto inputLength = static_cast<size_t>(m_f.signingInput.size());
        switch (crypto::family(m_f.alg)) {
        case crypto::Family::Hmac: {
            unsigned char mac[EVP_MAX_MD_SIZE];
            size_t length = 0;
            return EVP_MAC_init(m_mac, nullptr, 0, nullptr) == 1 && EVP_MAC_update(m_mac, input, inputLength) == 1
                   && EVP_MAC_final(m_mac, mac, &length, sizeof mac) == 1
                   && length == static_cast<size_t>(m_f.signature.size())
                   && CRYPTO_memcmp(mac, m_f.signature.constData(), length) == 0;
        }
        case crypto::Family::EdDsa:
            // One-shot EdDSA finalises the context: re-arm it with the key it already holds.
            return (m_first || EVP_DigestVerifyInit_ex(m_md, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) == 1)
                   && (m_first = false,
                       EVP_DigestVerify(m_md, reinterpret_cast<const unsigned char*>(m_f.signature.constData()),
                                        static_cast<size_t>(m_f.signature.size()), input, inputLength)
                           == 1);
        default: {
            unsigned char digest[EVP_MAX_MD_SIZE];
            unsigned int digestLength = 0;
            return EVP_DigestInit_ex2(m_md, m_sha256, nullptr) == 1 && EVP_DigestUpdate(m_md, input, inputLength) == 1
                   && EVP_DigestFinal_ex(m_md, digest, &digestLength) == 1
                   && EVP_PKEY_verify(m_pctx, reinterpret_cast<const unsigned char*>(m_sig.constData()),
                                      static_cast<size_t>(m_sig.size()), digest, digestLength)
                          == 1;
        }
        }
    }

private:
    const AlgFixture& m_f;
    EVP_MD* m_sha256 = nullptr;
    EVP_MD_CTX* m_md = nullptr;
    EVP_PKEY_CTX* m_pctx = nullptr;
    EVP_MAC* m_hmac = nullptr;
    EVP_MAC_CTX* m_mac = nullptr;
    QByteArray m_sig;
    bool m_first = true;
};

void rawOpenSsl(benchmark::State& state, const AlgFixture* f)
{
    RawVerifier raw(*f);
    bool ok = true;
    for (auto _ : state) {
        ok = raw.verify() && ok;
        benchmark::DoNotOptimize(ok);
    }
    if (!ok)
        state.SkipWithError("raw verification failed");
}

void coreSignature(benchmark::State& state, const AlgFixture* f)
{
    bool ok = true;
    for (auto _ : state) {
        ok = crypto::verifySignature(f->key, f->alg, f->signingInput, f->signature) == crypto::SignatureResult::Valid && ok;
        benchmark::DoNotOptimize(ok);
    }
    if (!ok)
        state.SkipWithError("core signature verification failed");
}

void policyVerify(benchmark::State& state, const AlgFixture* f)
{
    const auto verifier = benchVerifier();
    const verify::VerifyOptions options{kNow};
    bool ok = true;
    for (auto _ : state) {
        const verify::Trace trace = verifier->verify(f->token, options);
        ok = trace.accepted && ok;
        benchmark::DoNotOptimize(trace.steps.data());
    }
    if (!ok)
        state.SkipWithError("policy verification rejected the token");
}

std::int64_t threadCpuNanoseconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// Runs `a` and `b` once per benchmark iteration, alternating which goes first (a b, b a, a b, ...),
// and returns the time each took in total, as `time` measures one call.
template <typename Time, typename A, typename B>
std::pair<double, double> alternate(benchmark::State& state, const Time& time, const A& a, const B& b)
{
    double aTotal = 0;
    double bTotal = 0;
    bool aFirst = true;
    for (auto _ : state) {
        if (aFirst) {
            aTotal += time(a);
            bTotal += time(b);
        } else {
            bTotal += time(b);
            aTotal += time(a);
        }
        aFirst = !aFirst;
    }
    return {aTotal, bTotal};
}

// raw_openssl and policy_verify again, as one paired measurement. Run as separate benchmarks they
// are seconds apart, and on a shared VM the CPU's speed drifts by 2 to 4 % over seconds: for ES256
// and EdDSA, whose targets leave 5 %, that drift is as large as what is measured. Here batches of
// about a millisecond alternate (raw then full, full then raw, ...) within one benchmark, each timed
// with this thread's CPU clock, so drift falls on both sides alike. One iteration is one batch of
// each; the counters give the two per-verification times and their ratio.
// With `selfCheck` the "full" side is a second raw verifier: the ratio then shows the method's own
// bias and noise, which should be 1.000 within a few thousandths.
void pairedFullOverRaw(benchmark::State& state, const AlgFixture* f, bool selfCheck)
{
    RawVerifier raw(*f);
    RawVerifier rawAgain(*f);
    const auto verifier = benchVerifier();
    const verify::VerifyOptions options{kNow};
    bool ok = true;
    const auto rawBatch = [&](int n) {
        for (int i = 0; i < n; ++i)
            ok = raw.verify() && ok;
    };
    const auto fullBatch = [&](int n) {
        for (int i = 0; i < n; ++i) {
            if (selfCheck) {
                ok = rawAgain.verify() && ok;
                continue;
            }
            const verify::Trace trace = verifier->verify(f->token, options);
            ok = trace.accepted && ok;
            benchmark::DoNotOptimize(trace.steps.data());
        }
    };
    int batch = 64;
    const auto timed = [&batch](const auto& run) {
        const std::int64_t start = threadCpuNanoseconds();
        run(batch);
        return static_cast<double>(threadCpuNanoseconds() - start);
    };
    // Warm both paths (kept contexts, allocator) and size a batch to about 1 ms of raw verification.
    fullBatch(16);
    const double probe = std::max(1.0, timed(rawBatch) / batch);
    batch = static_cast<int>(std::clamp(1e6 / probe, 1.0, 1e6));
    const auto [rawNs, fullNs] = alternate(state, timed, rawBatch, fullBatch);
    if (!ok || rawNs <= 0) {
        state.SkipWithError("a paired verification failed");
        return;
    }
    const auto verifications = static_cast<double>(state.iterations()) * batch;
    state.counters["raw_us"] = rawNs / verifications / 1e3;
    state.counters["full_us"] = fullNs / verifications / 1e3;
    state.counters["full_over_raw"] = fullNs / rawNs;
}

// A well-formed token whose alg (RS384) is not pinned: everything but the cryptography runs.
void algMismatch(benchmark::State& state, bool corpusMode)
{
    const auto verifier = benchVerifier();
    const QByteArray token = mintToken(algFixtures().front(), 1, "RS384");
    const verify::VerifyOptions options = corpusMode ? kCorpusOptions : verify::VerifyOptions{kNow};
    bool ok = true;
    for (auto _ : state) {
        const verify::Trace trace = verifier->verify(token, options);
        const verify::TraceStep* failure = trace.firstFailure();
        ok = failure && failure->id == verify::StepId::Algorithm && ok;
        benchmark::DoNotOptimize(trace.steps.data());
    }
    if (!ok)
        state.SkipWithError("the token was not rejected at the algorithm step");
}

// Where the work outside the cryptography goes, on the HS256 fixture's token: decoding alone, the
// fingerprint alone, and the whole pipeline in corpus mode (no fingerprint) on an accepted token.
void breakdownDecode(benchmark::State& state)
{
    const QByteArray& tokenBytes = algFixtures().back().token;
    bool ok = true;
    for (auto _ : state) {
        auto parsed = token::parseCompact(tokenBytes, token::ParseLimits{}, false);
        ok = std::holds_alternative<token::CompactToken>(parsed) && ok;
        benchmark::DoNotOptimize(parsed);
    }
    if (!ok)
        state.SkipWithError("the token did not decode");
}

// json::parse alone on the HS256 fixture's decoded header (part 0) or payload (part 1): the strict
// reader's share of decoding. The parts are decoded once, outside the loop.
void breakdownJson(benchmark::State& state, int part)
{
    const auto parsed = token::parseCompact(algFixtures().back().token, token::ParseLimits{}, false);
    if (!std::holds_alternative<token::CompactToken>(parsed)) {
        state.SkipWithError("the token did not decode");
        return;
    }
    const auto& decoded = std::get<token::CompactToken>(parsed);
    const QByteArray text = (part == 0 ? decoded.headerBytes() : decoded.payloadBytes()).toByteArray();
    bool ok = true;
    for (auto _ : state) {
        auto value = json::parse(text);
        ok = value.ok() && ok;
        benchmark::DoNotOptimize(value);
    }
    if (!ok)
        state.SkipWithError("the JSON did not parse");
    state.SetBytesProcessed(state.iterations() * text.size());
}

void breakdownFingerprint(benchmark::State& state)
{
    const QByteArray& tokenBytes = algFixtures().back().token;
    for (auto _ : state) {
        const QString fp = token::fingerprint(tokenBytes);
        benchmark::DoNotOptimize(fp.constData());
    }
}

void breakdownCorpusModeAccepted(benchmark::State& state)
{
    const auto verifier = benchVerifier();
    const AlgFixture& f = algFixtures().back();
    const verify::VerifyOptions options = kCorpusOptions;
    bool ok = true;
    for (auto _ : state) {
        const verify::Trace trace = verifier->verify(f.token, options);
        ok = trace.accepted && ok;
        benchmark::DoNotOptimize(trace.steps.data());
    }
    if (!ok)
        state.SkipWithError("policy verification rejected the token");
}

double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
           + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// kCorpusTokens distinct tokens, equally of the five algorithms, one a line.
const QString& corpusFile()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString p = dir.filePath(QStringLiteral("corpus.txt"));
        QFile f(p);
        if (!f.open(QIODevice::WriteOnly))
            std::exit(2);
        const auto& fixtures = algFixtures();
        for (int i = 0; i < kCorpusTokens; ++i)
            f.write(mintToken(fixtures[static_cast<size_t>(i) % fixtures.size()], i + 10) + '\n');
        return p;
    }();
    return path;
}

// One analysis of corpusFile() on `threads` threads; false unless it verified and accepted every token.
bool analyzeCorpus(const corpus::CorpusAnalyzer& analyzer, int threads)
{
    corpus::CorpusOptions options;
    options.atUnixSeconds = kNow;
    options.threads = threads;
    const auto report = analyzer.analyzeFiles({corpusFile()}, options);
    return report.ok() && report->tokens == kCorpusTokens && report->policyA.accepted == kCorpusTokens;
}

void corpusThroughput(benchmark::State& state)
{
    const corpus::CorpusAnalyzer analyzer(benchVerifier());
    const int threads = static_cast<int>(state.range(0));
    corpusFile(); // written before the clock starts
    bool ok = true;
    const double cpuBefore = processCpuSeconds();
    for (auto _ : state)
        ok = analyzeCorpus(analyzer, threads) && ok;
    if (!ok)
        state.SkipWithError("corpus run failed or rejected tokens");
    state.SetItemsProcessed(state.iterations() * kCorpusTokens);
    // CPU of all threads per token: equal for 1 and 2 threads means the parallel run adds no work,
    // so on idle cores its throughput scales with the thread count.
    state.counters["process_cpu_us_per_token"] =
        (processCpuSeconds() - cpuBefore) * 1e6 / static_cast<double>(state.iterations() * kCorpusTokens);
}

// corpus/threads/1 and /2 again, paired like paired/ALG: runs on 1 and 2 threads alternate (1 then 2,
// 2 then 1, ...) within one benchmark, timed on the wall clock, so drift between two separate
// benchmarks does not decide the scaling figure. The counter is the 1-thread time over the 2-thread time.
void corpusPairedScaling(benchmark::State& state)
{
    const corpus::CorpusAnalyzer analyzer(benchVerifier());
    corpusFile(); // written before the clock starts
    bool ok = true;
    const auto timed = [](const auto& run) {
        const auto start = std::chrono::steady_clock::now();
        run();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const auto [one, two] = alternate(
        state, timed, [&] { ok = analyzeCorpus(analyzer, 1) && ok; }, [&] { ok = analyzeCorpus(analyzer, 2) && ok; });
    if (!ok || two <= 0) {
        state.SkipWithError("corpus run failed or rejected tokens");
        return;
    }
    state.counters["scaling_2_over_1"] = one / two;
}

double find(const Times& t, const std::string& name)
{
    const auto it = t.find(name);
    return it == t.end() ? -1 : it->second;
}

} // namespace

int main(int argc, char** argv)
{
    std::printf("preparing keys and tokens...\n");
    const auto& fixtures = algFixtures();
    for (const AlgFixture& f : fixtures) {
        benchmark::RegisterBenchmark(("raw_openssl/" + f.name).c_str(), rawOpenSsl, &f);
        benchmark::RegisterBenchmark(("core_signature/" + f.name).c_str(), coreSignature, &f);
        benchmark::RegisterBenchmark(("policy_verify/" + f.name).c_str(), policyVerify, &f);
        benchmark::RegisterBenchmark(("paired/" + f.name).c_str(), pairedFullOverRaw, &f, false)
            ->Unit(benchmark::kMillisecond);
    }
    // The tightest target's algorithm, raw against raw: the paired method's own error.
    const auto es256 = std::find_if(fixtures.begin(), fixtures.end(),
                                    [](const AlgFixture& f) { return f.alg == crypto::Algorithm::ES256; });
    benchmark::RegisterBenchmark("paired_self_check/ES256", pairedFullOverRaw, &*es256, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("non_crypto/alg_mismatch_full_trace", algMismatch, false);
    benchmark::RegisterBenchmark("non_crypto/alg_mismatch_corpus_mode", algMismatch, true);
    benchmark::RegisterBenchmark("breakdown/decode_HS256", breakdownDecode);
    benchmark::RegisterBenchmark("breakdown/json_header_HS256", breakdownJson, 0);
    benchmark::RegisterBenchmark("breakdown/json_payload_HS256", breakdownJson, 1);
    benchmark::RegisterBenchmark("breakdown/fingerprint_HS256", breakdownFingerprint);
    benchmark::RegisterBenchmark("breakdown/corpus_mode_accepted_HS256", breakdownCorpusModeAccepted);
    benchmark::RegisterBenchmark("corpus/threads", corpusThroughput)
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(3.0);
    benchmark::RegisterBenchmark("corpus/paired_threads", corpusPairedScaling)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(3.0);

    benchmark::Initialize(&argc, argv);
    MedianReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    const std::map<std::string, double> targets{{"RS256", 1.15}, {"PS256", 1.15}, {"ES256", 1.05}, {"EdDSA", 1.05},
                                                {"HS256", 3.0}};
    for (const bool cpu : {false, true}) {
        const Times t = cpu ? reporter.cpuMedians() : reporter.realMedians();
        std::printf("\nSummary, %s time per operation (ratios to raw_openssl)\n", cpu ? "CPU" : "real");
        std::printf("  %-8s %12s %12s %12s %9s %9s\n", "alg", "raw (us)", "signature", "policy", "sig/raw",
                    "full/raw");
        for (const AlgFixture& f : fixtures) {
            const double raw = find(t, "raw_openssl/" + f.name);
            const double sig = find(t, "core_signature/" + f.name);
            const double full = find(t, "policy_verify/" + f.name);
            if (raw <= 0 || sig <= 0 || full <= 0)
                continue;
            std::printf("  %-8s %12.3f %12.3f %12.3f %9.3f %9.3f\n", f.name.c_str(), raw / 1e3, sig / 1e3, full / 1e3,
                        sig / raw, full / raw);
        }
        std::printf("Targets (%s time)\n", cpu ? "CPU" : "real");
        for (const AlgFixture& f : fixtures) {
            const double raw = find(t, "raw_openssl/" + f.name);
            const double full = find(t, "policy_verify/" + f.name);
            if (raw > 0 && full > 0)
                printCheck("policy_verify/raw_openssl " + f.name + " (separate)", full / raw, "x", targets.at(f.name),
                           true);
        }
        const double mismatch = find(t, "non_crypto/alg_mismatch_full_trace");
        if (mismatch > 0)
            printCheck("alg-mismatch rejection (full trace)", mismatch / 1e3, "us", 2.0, true);
        const double mismatchCorpus = find(t, "non_crypto/alg_mismatch_corpus_mode");
        if (mismatchCorpus > 0)
            printCheck("alg-mismatch rejection (corpus mode)", mismatchCorpus / 1e3, "us", 2.0, true);
    }
    const Times pairedRaw = reporter.counterMedians("raw_us");
    const Times pairedFull = reporter.counterMedians("full_us");
    const Times pairedRatio = reporter.counterMedians("full_over_raw");
    bool pairedHeader = false;
    for (const AlgFixture& f : fixtures) {
        const std::string name = "paired/" + f.name;
        const double ratio = find(pairedRatio, name);
        if (ratio <= 0)
            continue;
        if (!pairedHeader) {
            std::printf("\nPaired, thread CPU time per verification (raw and full in alternating batches)\n");
            std::printf("  %-8s %12s %12s %9s\n", "alg", "raw (us)", "full (us)", "full/raw");
            pairedHeader = true;
        }
        std::printf("  %-8s %12.3f %12.3f %9.3f\n", f.name.c_str(), find(pairedRaw, name), find(pairedFull, name),
                    ratio);
    }
    const double selfCheck = find(pairedRatio, "paired_self_check/ES256");
    if (selfCheck > 0)
        std::printf("  self-check: raw/raw ES256 measured the same way: %.3f\n", selfCheck);
    if (pairedHeader) {
        std::printf("Targets (paired)\n");
        for (const AlgFixture& f : fixtures) {
            const double ratio = find(pairedRatio, "paired/" + f.name);
            if (ratio > 0)
                printCheck("policy_verify/raw_openssl " + f.name + " (paired)", ratio, "x", targets.at(f.name), true);
        }
    }

    const Times t = reporter.realMedians(); // corpus runs use threads: only real time means anything
    const double one = find(t, "corpus/threads/1/min_time:3.000/real_time");
    const double two = find(t, "corpus/threads/2/min_time:3.000/real_time");
    if (one > 0 && two > 0)
        printCheck("corpus throughput 2 threads / 1 thread (separate)", one / two, "x", 1.8, false);
    const double pairedScaling =
        find(reporter.counterMedians("scaling_2_over_1"), "corpus/paired_threads/min_time:3.000/real_time");
    if (pairedScaling > 0)
        printCheck("corpus throughput 2 threads / 1 thread (paired)", pairedScaling, "x", 1.8, false);
    return 0;
}
