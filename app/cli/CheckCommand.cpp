// SPDX-License-Identifier: Apache-2.0
// jwt-policy check --policy FILE [--compare FILE] [--at TIME] [--threads N] [--format text|json] CORPUS...
//
// Verifies every token of one or more corpus files (one token a line, or log lines from which
// JWS-shaped strings are extracted; "-" reads standard input) and prints a summary. With --compare,
// every token is also verified under a second policy B and the tokens whose verdict changes are
// listed by issuer and failing step.
//
// Exit codes: 0 every token accepted (with --compare: no verdict changed); 1 some token rejected
// (with --compare: some verdict changed); 2 usage, policy or input error, or a corpus without tokens.
//
// --format json prints one object (a contract: add members, never rename):
// {
//   "complete": true,               // false only if the run was cut short; counts are then partial
//   "cancelled": false,
//   "at": "2026-11-01T10:00:00Z", "threads": 2, "elapsed_ms": 1234,
//   "files": ["a.log"], "bytes": 0, "lines": 0, "lines_without_token": 0, "overlong_lines": 0,
//   "tokens": 0,                    // token occurrences verified
//   "distinct": 0,                  // different tokens (each verified once)
//   "unverified": 0,                // occurrences not verified (cancelled run)
//   "policy": {"name": "...", "revision": 3},
//   "accepted": 0, "rejected": 0,   // occurrences, under --policy
//   "by_step": [{"step": "algorithm", "code": "ERR_ALG_NOT_PINNED", "reason": "...",
//                "reason_varies": false, // true: tokens differ in a per-token number (exp, size); reason is the first one's
//                "count": 0, "distinct": 0, "fingerprints": ["sha256:0123456789abcdef", ...]}],
//   "by_issuer": [{"issuer": "...", "count", "distinct", "accepted", "rejected", "fingerprints": [...]}],
//   "by_audience": [{"audience": "...", "count", "distinct", "accepted", "rejected", "fingerprints": [...]}],
//   "compare": {"policy", "accepted", "rejected", "by_step", "by_issuer", "by_audience"}, // only with --compare
//   "changed": 0,                   // occurrences whose verdict differs between the policies
//   "changes": [{"direction": "newly_rejected" | "newly_accepted", "issuer": "...", "step": "algorithm",
//                "code": "...", "reason": "...", "reason_varies": false, "count", "distinct",
//                "summary": "B rejects 1,204 tokens from ... at `algorithm`: ...", "fingerprints": [...]}]
// }
// Fingerprint lists hold at most 50 entries per bucket; "distinct" gives the total. Tokens are never
// printed. Lists are sorted by count, then by name, and are the same for any --threads value.
#include "CliSupport.h"

#include "corpus/CorpusAnalyzer.h"
#include "policy/PolicyIO.h"
#include "util/Time.h"

#include <QLocale>

namespace jwb::cli {

namespace {

constexpr int kMaxThreads = 256;
constexpr int kTextRows = 20;        // rows per table in the text summary
constexpr int kTextFingerprints = 3; // examples per row in the text summary
constexpr int kBarWidth = 24;

QString grouped(qint64 n)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n);
}

QCommandLineOption compareOption()
{
    return {QStringLiteral("compare"),
            QStringLiteral("Second policy B: verify under both and list the tokens whose verdict changes."),
            QStringLiteral("FILE")};
}

QCommandLineOption threadsOption()
{
    return {QStringLiteral("threads"), QStringLiteral("Verification threads (default: all cores)."),
            QStringLiteral("N")};
}

// "\r[#######.......]  45%  123,456 tokens, 12,345 distinct" on a terminal's stderr. Returns the
// width drawn, so the caller can pad over a longer previous line and clear it at the end.
int drawProgress(CliIo& io, const corpus::CorpusProgress& p, int previousWidth)
{
    QString line;
    if (const double fraction = p.fraction(); fraction >= 0) {
        const int filled = static_cast<int>(fraction * kBarWidth);
        line += u'[' + QString(filled, u'#') + QString(kBarWidth - filled, u'.') + u']'
                + QStringLiteral(" %1%").arg(static_cast<int>(fraction * 100), 3);
    }
    line += QStringLiteral("  %1 tokens, %2 distinct, %3 verified")
                .arg(grouped(p.tokens), grouped(p.distinct), grouped(p.verified));
    const auto width = static_cast<int>(line.size());
    io.err << '\r' << line << QString(std::max(0, previousWidth - width), u' ');
    io.err.flush();
    return width;
}

void printPolicy(CliIo& io, const corpus::PolicyReport& p, const QString& label)
{
    QTextStream& out = io.out;
    out << label << " \"" << p.policyName << "\" (revision " << p.policyRevision << "): " << grouped(p.accepted)
        << " accepted, " << grouped(p.rejected) << " rejected\n";
    if (!p.byStep.isEmpty()) {
        out << "\n  Rejections by first failing step:\n";
        for (qsizetype i = 0; i < p.byStep.size() && i < kTextRows; ++i) {
            const corpus::StepBucket& b = p.byStep.at(i);
            out << "  " << grouped(b.count).rightJustified(11) << "  " << verify::stepIdName(b.step).leftJustified(16)
                << (b.reasonVaries ? QStringLiteral("e.g. ") : QString()) << b.reason << "  [" << b.code << "]\n";
            out << QString(31, u' ') << b.fingerprints.mid(0, kTextFingerprints).join(QStringLiteral(", "));
            if (b.distinct > kTextFingerprints)
                out << " (+" << grouped(b.distinct - kTextFingerprints) << " more)";
            out << '\n';
        }
        if (p.byStep.size() > kTextRows)
            out << "  ... " << (p.byStep.size() - kTextRows) << " more (see --format json)\n";
    }
    auto groups = [&out](const QList<corpus::GroupBucket>& list, const char* title) {
        if (list.isEmpty())
            return;
        out << "\n  " << title << ":\n";
        out << "  " << QStringLiteral("accepted").rightJustified(11) << QStringLiteral("rejected").rightJustified(11)
            << "  name\n";
        for (qsizetype i = 0; i < list.size() && i < kTextRows; ++i) {
            const corpus::GroupBucket& g = list.at(i);
            out << "  " << grouped(g.accepted).rightJustified(11) << grouped(g.rejected).rightJustified(11) << "  "
                << (g.name.isEmpty() ? QStringLiteral("(none)") : g.name) << '\n';
        }
        if (list.size() > kTextRows)
            out << "  ... " << (list.size() - kTextRows) << " more (see --format json)\n";
    };
    groups(p.byIssuer, "By issuer (iss as read; untrusted for rejected tokens)");
    groups(p.byAudience, "By audience");
}

void printText(CliIo& io, const corpus::CorpusReport& r)
{
    QTextStream& out = io.out;
    out << "Corpus: " << grouped(r.tokens) << " tokens (" << grouped(r.distinct) << " distinct) in "
        << r.files.size() << (r.files.size() == 1 ? " file, " : " files, ") << grouped(r.lines) << " lines";
    if (r.linesWithoutToken > 0)
        out << ", " << grouped(r.linesWithoutToken) << " without a token";
    if (r.overlongLines > 0)
        out << ", " << grouped(r.overlongLines) << " overlong lines skipped";
    out << '\n';
    out << "Evaluated at " << util::formatInstant(r.atUnixSeconds) << " on " << r.threads
        << (r.threads == 1 ? " thread" : " threads") << " in " << QString::number(r.elapsedMs / 1000.0, 'f', 2)
        << " s: " << (r.complete ? "complete" : "INCOMPLETE (cancelled; counts are partial)") << "\n\n";
    printPolicy(io, r.policyA, r.policyB ? QStringLiteral("Policy A") : QStringLiteral("Policy"));
    if (!r.policyB)
        return;
    out << '\n';
    printPolicy(io, *r.policyB, QStringLiteral("Policy B"));
    out << "\nVerdict changes from A to B: " << grouped(r.changedCount()) << " tokens\n";
    for (const corpus::VerdictChange& c : r.changes) {
        out << "  " << c.summary() << '\n';
        out << "      " << c.fingerprints.mid(0, kTextFingerprints).join(QStringLiteral(", "));
        if (c.distinct > kTextFingerprints)
            out << " (+" << grouped(c.distinct - kTextFingerprints) << " more)";
        out << '\n';
    }
}

class CheckCommand final : public Command {
public:
    QString name() const override { return QStringLiteral("check"); }
    QString description() const override
    {
        return QStringLiteral("Verify a corpus of tokens (dumps or logs); compare two policies over it.");
    }

    void defineOptions(QCommandLineParser& parser) const override
    {
        parser.addOption(policyOption());
        parser.addOption(compareOption());
        parser.addOption(atOption());
        parser.addOption(threadsOption());
        parser.addOption(formatOption());
        parser.addPositionalArgument(QStringLiteral("CORPUS"),
                                     QStringLiteral("Files with one token a line or log lines holding tokens; "
                                                    "'-' for standard input."),
                                     QStringLiteral("CORPUS..."));
    }

    int run(const QCommandLineParser& parser, CliIo& io) const override
    {
        const auto format = outputFormat(parser);
        if (!format)
            return reportError(io, name(), format.error());
        const auto at = evaluationInstant(parser);
        if (!at)
            return reportError(io, name(), at.error());
        corpus::CorpusOptions options;
        options.atUnixSeconds = *at;
        if (parser.isSet(threadsOption())) {
            bool ok = false;
            const int n = parser.value(threadsOption()).toInt(&ok);
            if (!ok || n < 1 || n > kMaxThreads)
                return reportError(io, name(),
                                   Error{QStringLiteral("ERR_USAGE_THREADS"),
                                         QStringLiteral("--threads must be a number from 1 to %1").arg(kMaxThreads), {}});
            options.threads = n;
        }
        const QStringList paths = parser.positionalArguments();
        if (paths.isEmpty())
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_USAGE_ARGS"),
                                     QStringLiteral("name at least one CORPUS file (or '-' for standard input)"), {}});
        const auto policyA = loadPolicyArg(parser);
        if (!policyA)
            return reportError(io, name(), policyA.error());
        std::optional<policy::Policy> policyB;
        if (parser.isSet(compareOption())) {
            auto loaded = policy::loadPolicyFile(parser.value(compareOption()));
            if (!loaded)
                return reportError(io, name(), loaded.error());
            policyB = std::move(loaded).value();
        }

        QList<corpus::CorpusInput> inputs;
        for (const QString& p : paths) {
            if (p == u"-")
                inputs.append(corpus::CorpusInput{QStringLiteral("<stdin>"), {}, &io.in});
            else
                inputs.append(corpus::CorpusInput::file(p));
        }

        const corpus::CorpusAnalyzer analyzer(*policyA, policyB ? &*policyB : nullptr);
        corpus::ProgressCallback progress;
        int drawn = 0;
        if (io.errIsTerminal)
            progress = [&io, &drawn](const corpus::CorpusProgress& p) { drawn = std::max(drawn, drawProgress(io, p, drawn)); };
        const auto result = analyzer.analyze(inputs, options, progress);
        if (drawn > 0) { // erase the bar: the summary follows on the same terminal
            io.err << '\r' << QString(drawn, u' ') << '\r';
            io.err.flush();
        }
        if (!result)
            return reportError(io, name(), result.error());
        const corpus::CorpusReport& report = *result;
        if (report.tokens == 0)
            return reportError(io, name(),
                               Error{QStringLiteral("ERR_CORPUS_EMPTY"),
                                     QStringLiteral("no token found in %1 lines").arg(grouped(report.lines)),
                                     paths.join(QStringLiteral(", "))});

        if (*format == OutputFormat::Json)
            printJson(io, report.toJson());
        else
            printText(io, report);
        if (!report.complete)
            return ExitUsage;
        if (policyB)
            return report.changedCount() > 0 ? ExitRejected : ExitOk;
        return report.policyA.rejected > 0 ? ExitRejected : ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeCheckCommand() { return std::make_unique<CheckCommand>(); }

} // namespace jwb::cli
