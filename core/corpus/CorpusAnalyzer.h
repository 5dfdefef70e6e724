// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "corpus/CorpusReport.h"
#include "util/Error.h"
#include "verify/PolicyVerifier.h"

#include <QIODevice>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace jwb::corpus {

// How lines become tokens.
enum class InputMode {
    Auto,         // a line made only of base64url characters and dots is a token; any other line is a log line
    TokenPerLine, // every non-empty line (surrounding whitespace trimmed) is a token, well-formed or not
    LogLines,     // tokens are extracted from every line (see TokenExtractor.h)
};

struct CorpusOptions {
    qint64 atUnixSeconds = 0;         // the evaluation instant for every token
    int threads = 0;                  // verification threads; 0 = QThread::idealThreadCount()
    InputMode mode = InputMode::Auto;
    qsizetype maxLineBytes = (1 << 20) + 4096; // longer lines are skipped and counted (a token is at most 1 MiB)
    int maxFingerprintsPerBucket = 50;
    bool keepTokens = false;          // keep the distinct raw tokens in the report (GUI only)
    int progressIntervalMs = 100;     // progress is reported at most this often (0: every 256 lines)
};

// One input. Either a path (opened and closed by the analyzer) or an open device the caller owns
// (standard input); `name` is what errors and the report call it.
struct CorpusInput {
    QString name;
    QString path;
    QIODevice* device = nullptr;

    static CorpusInput file(const QString& path) { return {path, path, nullptr}; }
};

struct CorpusProgress {
    qint64 bytesRead = 0;
    qint64 bytesTotal = 0;   // sum of the file sizes; 0 when unknown (a pipe)
    qint64 lines = 0;
    qint64 tokens = 0;
    qint64 distinct = 0;     // different tokens seen so far
    qint64 verified = 0;     // different tokens verified so far
    qint64 bytesWaiting = 0; // bytes of the different tokens read but not verified yet

    // How much of the run is done, from 0 to 1; -1 when the total is unknown (a pipe): the bytes read
    // less those of tokens still waiting for verification, over the total. Reading runs ahead of
    // verification; this way the bar reaches its end when the last token is verified, not read, and
    // never goes back (a new token adds as many bytes waiting as read, at most).
    double fraction() const;
};

// Called on the thread that runs analyze(), at most once per CorpusOptions::progressIntervalMs (ten
// times a second by default) and once at the end.
using ProgressCallback = std::function<void(const CorpusProgress&)>;

// Verifies a corpus of tokens under one policy, or under two for a what-if comparison.
//
// Files are streamed line by line with a bounded line length, so memory grows only with the number
// of different tokens (the result tables), not with the file size. Identical tokens are verified
// once: within a run the cache is keyed by the token's SHA-256, and a run has one evaluation instant
// and one policy pair. Verification is spread over worker threads; results are merged in corpus
// order, so every count, list and order in the report is the same for any thread count.
class CorpusAnalyzer final {
public:
    explicit CorpusAnalyzer(std::shared_ptr<const verify::PolicyVerifier> policyA,
                            std::shared_ptr<const verify::PolicyVerifier> policyB = {});
    // Compiles the policies (convenience for callers that hold Policy values).
    explicit CorpusAnalyzer(const policy::Policy& policyA, const policy::Policy* policyB = nullptr);

    // Runs to the end, or until `cancel` becomes true (checked between lines and between tokens): a
    // cancelled run returns a report with complete = false. Errors: ERR_CORPUS_OPEN (a file cannot
    // be opened; checked for every input before anything is read) and ERR_CORPUS_READ.
    Result<CorpusReport> analyze(const QList<CorpusInput>& inputs, const CorpusOptions& options,
                                 const ProgressCallback& progress = {},
                                 const std::atomic<bool>* cancel = nullptr) const;

    // Convenience: every path as a file input.
    Result<CorpusReport> analyzeFiles(const QStringList& paths, const CorpusOptions& options,
                                      const ProgressCallback& progress = {},
                                      const std::atomic<bool>* cancel = nullptr) const;

private:
    std::shared_ptr<const verify::PolicyVerifier> m_a;
    std::shared_ptr<const verify::PolicyVerifier> m_b;
};

} // namespace jwb::corpus
