// SPDX-License-Identifier: Apache-2.0
#include "models/TraceEvaluation.h"

#include <QCoreApplication>

#include <algorithm>

namespace jwb::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("jwb::ui::TraceEvaluation", text); }

} // namespace

QList<TraceRow> traceRows(const verify::Trace& trace)
{
    QList<TraceRow> rows;
    rows.reserve(trace.steps.size());
    const auto append = [&rows](const verify::Trace& t, bool inner) {
        for (const verify::TraceStep& s : t.steps) {
            TraceRow row;
            row.id = s.id;
            row.verdict = s.verdict;
            row.stepName = verify::stepIdName(s.id);
            row.title = inner ? tr("Inner token: ") + verify::stepTitle(s.id) : verify::stepTitle(s.id);
            row.reason = s.reason();
            row.reference = s.reference();
            row.code = s.code;
            row.exceptionId = s.exceptionId;
            row.untrusted = s.untrusted;
            row.inner = inner;
            rows.append(std::move(row));
        }
    };
    append(trace, false);
    for (const verify::Trace* n = trace.nested.get(); n; n = n->nested.get())
        append(*n, true);
    return rows;
}

QList<TokenLine> splitTokenLines(QStringView text, int maxTokens, bool* truncated)
{
    QList<TokenLine> out;
    if (truncated)
        *truncated = false;
    int lineNo = 0;
    for (QStringView line : text.split(u'\n')) {
        ++lineNo;
        line = line.trimmed();
        if (line.startsWith(QLatin1String("Bearer "), Qt::CaseInsensitive))
            line = line.mid(7).trimmed();
        if (line.size() >= 2 && (line.front() == u'"' || line.front() == u'\'') && line.back() == line.front())
            line = line.mid(1, line.size() - 2);
        if (line.isEmpty())
            continue;
        if (out.size() >= maxTokens) {
            if (truncated)
                *truncated = true;
            break;
        }
        out.append(TokenLine{lineNo, line.toUtf8()});
    }
    return out;
}

TokenDetail describeToken(verify::Trace trace, qint64 atUnixSeconds)
{
    TokenDetail detail;
    detail.rows = traceRows(trace);
    const verify::TraceStep* signature = trace.step(verify::StepId::Signature);
    detail.signatureVerified = signature && signature->verdict == verify::Verdict::Pass;
    detail.times.at = atUnixSeconds;
    if (const verify::TokenReading* reading = trace.reading.get()) {
        detail.decoded = reading->decoded;
        detail.headerText = reading->headerText;
        detail.payloadText = reading->payloadText;
        detail.claims = reading->claims;
        detail.times.iat = reading->iat;
        detail.times.nbf = reading->nbf;
        detail.times.exp = reading->exp;
        detail.times.skewSeconds = reading->clockSkewSeconds;
        std::copy(reading->segmentLengths.begin(), reading->segmentLengths.end(), detail.segmentLengths);
    }
    detail.trace = std::move(trace);
    return detail;
}

TokenLabResult evaluateTokens(const verify::PolicyVerifier& verifier, QStringView text, int selected,
                              qint64 atUnixSeconds)
{
    TokenLabResult result;
    result.at = atUnixSeconds;
    const QList<TokenLine> lines = splitTokenLines(text, kMaxTokenLines, &result.truncated);
    if (lines.isEmpty())
        return result;
    result.selected = std::clamp(selected < 0 ? 0 : selected, 0, static_cast<int>(lines.size()) - 1);

    verify::VerifyOptions options;
    options.atUnixSeconds = atUnixSeconds;
    verify::VerifyOptions described = options; // the selected token: with what the lab shows of it
    described.includeReading = true;
    result.tokens.reserve(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const TokenLine& line = lines.at(i);
        verify::Trace trace = verifier.verify(line.token, i == result.selected ? described : options);
        TokenSummary summary;
        summary.line = line.line;
        summary.fingerprint = trace.fingerprint();
        summary.issuer = trace.issuer;
        summary.accepted = trace.accepted;
        if (trace.accepted) {
            const bool warned = std::any_of(trace.steps.cbegin(), trace.steps.cend(), [](const verify::TraceStep& s) {
                return s.verdict == verify::Verdict::Warning;
            });
            summary.verdictText = warned ? tr("accepted, with warnings") : tr("accepted");
        } else if (const verify::TraceStep* failure = trace.firstFailure()) {
            summary.verdictText = tr("rejected at %1").arg(verify::stepTitle(failure->id));
            summary.failureCode = failure->code;
        } else {
            summary.verdictText = tr("rejected");
        }
        result.tokens.append(std::move(summary));
        if (i == result.selected)
            result.detail = describeToken(std::move(trace), atUnixSeconds);
    }
    return result;
}

} // namespace jwb::ui
