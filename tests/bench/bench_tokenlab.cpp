// SPDX-License-Identifier: Apache-2.0
// Token Lab keystroke-to-trace cost: everything a keystroke triggers except painting. Per
// iteration: split the input, parse and verify each token under the sample policy, build the trace
// rows, the decoded header/payload texts, the claims explanations and the timeline data, and hand
// them to the table models. Target: under 16 ms (one frame) for a normal token.
#include "crypto/Signer.h"
#include "models/TraceEvaluation.h"
#include "models/TraceModel.h"
#include "models/TraceTokensModel.h"
#include "policy/PolicyIO.h"
#include "verify/PolicyVerifier.h"
#include "views/TokenLabView.h"

#include <QApplication>
#include <QEventLoop>
#include <QTimer>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

using namespace jwb;

namespace {

constexpr qint64 kIssuedAt = 1793527200; // 2026-11-01T10:00:00Z

struct Fixture {
    policy::Policy policy;
    std::shared_ptr<const verify::PolicyVerifier> verifier;
    QString rs256Token;
    QString es256Token;
};

QString mint(const crypto::SigningKey& key, crypto::Algorithm alg, const QString& iss, const QString& aud, int serial)
{
    const QByteArray header = QStringLiteral("{\"alg\":\"%1\",\"typ\":\"JWT\",\"kid\":\"%2\"}")
                                  .arg(crypto::algorithmName(alg), key.publicKey().kid)
                                  .toUtf8();
    const QByteArray payload =
        QStringLiteral("{\"iss\":\"%1\",\"sub\":\"user-%2\",\"aud\":\"%3\",\"iat\":%4,\"exp\":%5,\"jti\":\"%2-a81f\","
                       "\"scope\":\"payments:read payments:write\",\"client_id\":\"back-office\"}")
            .arg(iss)
            .arg(serial)
            .arg(aud)
            .arg(kIssuedAt)
            .arg(kIssuedAt + 900)
            .toUtf8();
    return QString::fromLatin1(crypto::mintCompact(header, payload, &key, alg));
}

const Fixture& fixture()
{
    static const Fixture f = [] {
        Fixture out;
        Result<policy::Policy> sample = policy::loadSamplePolicy();
        if (!sample) {
            std::fprintf(stderr, "sample policy: %s\n", qPrintable(sample.error().toString()));
            std::abort();
        }
        out.policy = std::move(sample).value();
        auto rsa = crypto::SigningKey::generate(crypto::Algorithm::RS256, QStringLiteral("bench-rs256")).value();
        auto ec = crypto::SigningKey::generate(crypto::Algorithm::ES256, QStringLiteral("bench-es256")).value();
        out.policy.issuers[0].keys.resolved.append(rsa.publicKey()); // login, RS256
        out.policy.issuers[1].keys.resolved.append(ec.publicKey());  // partner, ES256
        out.verifier = std::make_shared<const verify::PolicyVerifier>(out.policy);
        out.rs256Token = mint(rsa, crypto::Algorithm::RS256, out.policy.issuers[0].issuer, QStringLiteral("payments-api"), 1);
        out.es256Token = mint(ec, crypto::Algorithm::ES256, out.policy.issuers[1].issuer, QStringLiteral("partner-api"), 2);
        return out;
    }();
    return f;
}

// One keystroke: the evaluation the worker runs, then the model updates the UI thread does.
void keystroke(benchmark::State& state, const verify::PolicyVerifier& verifier, const QString& text)
{
    ui::TraceModel trace;
    ui::TraceTokensModel tokens;
    for (auto _ : state) {
        ui::TokenLabResult result = ui::evaluateTokens(verifier, text, 0, kIssuedAt + 60);
        tokens.setTokens(result.tokens);
        trace.setRows(result.detail ? result.detail->rows : QList<ui::TraceRow>{});
        benchmark::DoNotOptimize(result);
    }
    state.SetLabel(QStringLiteral("%1 bytes of input").arg(text.size()).toStdString());
}

void BM_Keystroke_RS256(benchmark::State& state) { keystroke(state, *fixture().verifier, fixture().rs256Token); }
void BM_Keystroke_ES256(benchmark::State& state) { keystroke(state, *fixture().verifier, fixture().es256Token); }

// A keystroke that breaks the token (an extra character in the signature): the failure path.
void BM_Keystroke_RS256_BadSignature(benchmark::State& state)
{
    keystroke(state, *fixture().verifier, fixture().rs256Token + u'x');
}

// Ten tokens pasted at once (one a line): all verified, the first described in full.
void BM_Paste_TenTokens(benchmark::State& state)
{
    QString text;
    for (int i = 0; i < 10; ++i)
        text += (i % 2 ? fixture().es256Token : fixture().rs256Token) + u'\n';
    keystroke(state, *fixture().verifier, text);
}

// A policy edit: the worker compiles the new policy, then evaluates.
void BM_PolicyEdit_CompileAndEvaluate(benchmark::State& state)
{
    ui::TraceModel trace;
    for (auto _ : state) {
        const verify::PolicyVerifier verifier(fixture().policy);
        ui::TokenLabResult result = ui::evaluateTokens(verifier, fixture().rs256Token, 0, kIssuedAt + 60);
        trace.setRows(result.detail->rows);
        benchmark::DoNotOptimize(result);
    }
}

// End to end in the real view, hidden so nothing is painted: from the text change to the result
// applied to every widget (the worker hop, the models, the decoded texts, the claims table, the
// timeline data, the verdict banner). Alternates two tokens so each iteration is a real change.
void BM_View_KeystrokeToTrace(benchmark::State& state)
{
    ui::TokenLabView view;
    view.setPolicy(fixture().policy);
    view.setEvaluationInstant(kIssuedAt + 60);
    const QString texts[2] = {fixture().rs256Token, fixture().rs256Token + u'x'};
    int i = 0;
    for (auto _ : state) {
        const quint64 before = view.appliedCount();
        view.setTokenText(texts[i++ % 2]);
        QEventLoop loop;
        QObject::connect(&view, &ui::TokenLabView::evaluated, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit); // never hang the benchmark
        while (view.appliedCount() == before)
            loop.exec();
    }
}

} // namespace

BENCHMARK(BM_View_KeystrokeToTrace)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Keystroke_RS256)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Keystroke_ES256)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Keystroke_RS256_BadSignature)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Paste_TenTokens)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PolicyEdit_CompileAndEvaluate)->Unit(benchmark::kMicrosecond);
int main(int argc, char** argv)
{
    // The view benchmark needs a QApplication; no window is shown, so no display is needed.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
