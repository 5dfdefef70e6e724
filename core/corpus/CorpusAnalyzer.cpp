// SPDX-License-Identifier: Apache-2.0
// The corpus engine. One reader (the calling thread) streams the inputs, hashes every token and keeps
// the table of different tokens in first-seen order; only tokens never seen before go, in batches,
// to the verification workers. Workers hand back compact outcomes that the reader merges into the
// table; the report is built from the table in corpus order at the end, so it does not depend on
// which worker verified what, or when.
#include "corpus/CorpusAnalyzer.h"

#include "corpus/LineReader.h"
#include "corpus/TokenExtractor.h"
#include "crypto/OpenSsl.h"
#include "token/CompactToken.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QThread>


#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace jwb::corpus {

namespace {

Q_LOGGING_CATEGORY(lcCorpus, "jwb.core.corpus")

constexpr size_t kBatchSize = 16; // tokens per work item: small, so the last batches end together
// How far reading may run ahead of verification, in bytes of memory held by tokens waiting for a
// worker. Reading and hashing a repeated token costs about a microsecond; if the reader waited for the
// workers, a corpus whose repeats come after its different tokens would be read and verified one after
// the other. The bound keeps memory independent of the corpus size (the tokens waiting, not the file).
constexpr qsizetype kMaxQueuedBytes = 32 * 1024 * 1024;
// What a waiting token holds besides its text: its QByteArray and heap block header, its index.
constexpr qsizetype kQueuedTokenOverhead = sizeof(QByteArray) + 32 + sizeof(quint32);
constexpr std::chrono::milliseconds kFinishPollInterval{100}; // progress while the last tokens are verified
constexpr qint32 kAccepted = -1;
constexpr qint32 kUnverified = -2;

using Digest = crypto::ossl::Sha256;

struct DigestHash {
    size_t operator()(const Digest& d) const noexcept
    {
        size_t h = 0; // SHA-256 output is uniform: its first bytes are a good hash
        std::memcpy(&h, d.data(), sizeof h);
        return h;
    }
};

// The identity of a rejection bucket: the first failing step with its policy-side arguments. num1
// is left out because it is per token (an exp instant, a token size); it is kept per entry instead.
struct FailureKey {
    verify::StepId step = verify::StepId::Size;
    QString code;
    QString arg1;
    QString arg2;
    qint64 num2 = 0;
    bool untrusted = false;

    bool operator==(const FailureKey&) const = default;
};

size_t qHash(const FailureKey& k, size_t seed = 0)
{
    return qHashMulti(seed, static_cast<int>(k.step), k.code, k.arg1, k.arg2, k.num2, k.untrusted);
}

// One policy's verdict on one token, as a worker reports it.
struct Outcome {
    bool accepted = false;
    FailureKey failure;
    qint64 num1 = 0;
};

struct Verified {
    bool done = false; // false: not verified (cancelled)
    Outcome a;
    Outcome b;
    QString issuer;
    QStringList audiences;
};

struct Batch {
    std::vector<quint32> indexes; // into the entry table
    std::vector<QByteArray> tokens;
    std::vector<Verified> results;
    qsizetype queuedBytes = 0; // what the batch holds while it waits: its tokens and their overhead
};

// One different token. Small on purpose: a corpus has as many as it has different tokens.
struct Entry {
    std::array<unsigned char, 8> fingerprint{}; // first 8 bytes of SHA-256, as token::fingerprint()
    qint64 count = 0;
    qint64 num1A = 0;
    qint64 num1B = 0;
    qint32 bucketA = kUnverified;
    qint32 bucketB = kUnverified;
    qint32 issuer = -1;
    qint32 audiences = -1;
};


// Issuer and audiences of a token both policies rejected early (a trace stops at the first failure
// in corpus mode, before iss or aud may have been read). Used for grouping only, never for a verdict.
void readGroupingClaims(QByteArrayView token, QString& issuer, QStringList& audiences)
{
    const auto parsed = token::parseCompact(token, token::ParseLimits{1 << 20, 16}, true);
    const auto* t = std::get_if<token::CompactToken>(&parsed);
    if (!t || !t->claims)
        return;
    if (const json::Value* iss = t->claims->find("iss"); iss && iss->isString())
        issuer = verify::displayValue(iss->toString());
    if (const json::Value* aud = t->claims->find("aud")) {
        if (aud->isString()) {
            audiences.append(verify::displayValue(aud->toString()));
        } else if (aud->isArray()) {
            for (const json::Value& item : aud->items()) {
                if (item.isString())
                    audiences.append(verify::displayValue(item.toString()));
            }
        }
    }
}

Outcome outcomeOf(const verify::Trace& trace)
{
    Outcome o;
    o.accepted = trace.accepted;
    if (trace.accepted)
        return o;
    if (const verify::TraceStep* f = trace.firstFailure()) {
        o.failure = FailureKey{f->id, f->code, f->arg1, f->arg2, f->num2, f->untrusted};
        o.num1 = f->num1;
    } else {
        // Rejected without a failing step would be an engine defect; keep it visible, not lost.
        o.failure.code = QStringLiteral("ERR_REJECTED_WITHOUT_STEP");
    }
    return o;
}

// base64url characters and '.', the only bytes of a compact JWS. A table: this runs on every line.
constexpr std::array<bool, 256> kJwsChars = [] {
    std::array<bool, 256> t{};
    for (int c = 'A'; c <= 'Z'; ++c)
        t[static_cast<size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[static_cast<size_t>(c)] = true;
    for (int c = '0'; c <= '9'; ++c)
        t[static_cast<size_t>(c)] = true;
    t['-'] = t['_'] = t['.'] = true;
    return t;
}();

bool isTokenShaped(QByteArrayView line)
{
    bool ok = true;
    for (const char c : line) // no early exit: a branch-free loop is faster on the token lines that dominate
        ok &= kJwsChars[static_cast<unsigned char>(c)];
    return ok && line.contains('.');
}

// Hand-off between the reader and the workers, bounded by the bytes of the tokens waiting.
class WorkQueue final {
public:
    WorkQueue(qsizetype byteLimit, int workers) : m_byteLimit(byteLimit), m_running(workers) {}

    void push(std::unique_ptr<Batch> batch)
    {
        std::unique_lock lock(m_mutex);
        // An empty queue always takes a batch, so one larger than the limit cannot wait forever.
        m_space.wait(lock, [&] { return m_todo.empty() || m_queuedBytes + batch->queuedBytes <= m_byteLimit; });
        m_queuedBytes += batch->queuedBytes;
        m_todo.push_back(std::move(batch));
        m_work.notify_one();
    }
    std::unique_ptr<Batch> pop()
    {
        std::unique_lock lock(m_mutex);
        m_work.wait(lock, [this] { return !m_todo.empty() || m_closed; });
        if (m_todo.empty())
            return {};
        auto batch = std::move(m_todo.front());
        m_todo.pop_front();
        m_queuedBytes -= batch->queuedBytes;
        m_space.notify_one();
        return batch;
    }
    // No wake-up here: waking the reader for every batch would take a core from a worker each time.
    void finished(std::unique_ptr<Batch> batch)
    {
        std::lock_guard lock(m_mutex);
        m_done.push_back(std::move(batch));
    }
    void workerExited()
    {
        std::lock_guard lock(m_mutex);
        --m_running;
        m_exited.notify_one();
    }
    std::vector<std::unique_ptr<Batch>> takeFinished()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_done, {});
    }
    // After close(): waits up to `timeout` for every worker to exit, then takes what has finished;
    // `allDone` once every worker has exited and everything finished has been taken.
    std::vector<std::unique_ptr<Batch>> waitFinished(std::chrono::milliseconds timeout, bool& allDone)
    {
        std::unique_lock lock(m_mutex);
        m_exited.wait_for(lock, timeout, [this] { return m_running == 0; });
        allDone = m_running == 0;
        return std::exchange(m_done, {});
    }
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_work.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_work;
    std::condition_variable m_space;
    std::condition_variable m_exited;
    std::deque<std::unique_ptr<Batch>> m_todo;
    std::vector<std::unique_ptr<Batch>> m_done;
    qsizetype m_byteLimit;
    qsizetype m_queuedBytes = 0;
    int m_running;
    bool m_closed = false;
};

// Aggregation of one policy's verdicts, filled in corpus order.
struct BucketTally {
    qint64 count = 0;
    qint64 distinct = 0;
    qint64 num1 = 0;
    bool varies = false;
    QStringList fingerprints;
};

struct GroupTally {
    qint64 count = 0;
    qint64 distinct = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    QStringList fingerprints;
};

struct ChangeKey {
    VerdictChange::Direction direction;
    qint32 issuer;
    qint32 bucket;
    bool operator==(const ChangeKey&) const = default;
};

size_t qHash(const ChangeKey& k, size_t seed = 0)
{
    return qHashMulti(seed, static_cast<int>(k.direction), k.issuer, k.bucket);
}

// Everything one run holds. Lives on the stack of analyze().
class Run final {
public:
    Run(const verify::PolicyVerifier& a, const verify::PolicyVerifier* b, const CorpusOptions& options,
        const ProgressCallback& progress, const std::atomic<bool>* cancel)
        : m_a(a)
        , m_b(b)
        , m_options(options)
        , m_progress(progress)
        , m_cancel(cancel)
        , m_verifyOptions{.atUnixSeconds = options.atUnixSeconds,
                          .stopAtFirstFailure = true,
                          .computeFingerprint = false,
                          .keepPolicyAlive = false} // each trace becomes an Outcome before the next token
    {
        m_threads = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
    }

    Result<CorpusReport> execute(const QList<CorpusInput>& inputs);

private:
    bool cancelled() const
    {
        return m_stop.load(std::memory_order_relaxed) || (m_cancel && m_cancel->load(std::memory_order_relaxed));
    }
    void addToken(QByteArrayView token);
    void handleLine(QByteArrayView line);
    void flushBatch();
    void verifyBatch(Batch& batch) const;
    void merge(Batch& batch);
    void mergeFinished();
    void reportProgress(bool force);
    qint32 internBucket(const Outcome& o);
    qint32 internIssuer(const QString& issuer);
    qint32 internAudiences(const QStringList& audiences);
    CorpusReport buildReport() const;
    PolicyReport buildPolicyReport(const verify::PolicyVerifier& verifier, bool isB) const;
    StepBucket stepBucket(qint32 bucket, const BucketTally& tally) const;
    QString bucketReason(qint32 bucket, qint64 num1) const;

    const verify::PolicyVerifier& m_a;
    const verify::PolicyVerifier* m_b;
    const CorpusOptions& m_options;
    const ProgressCallback& m_progress;
    const std::atomic<bool>* m_cancel;
    const verify::VerifyOptions m_verifyOptions;
    int m_threads = 1;
    std::atomic<bool> m_stop{false};

    std::unordered_map<Digest, quint32, DigestHash> m_index;
    std::vector<Entry> m_entries;
    std::vector<QByteArray> m_kept; // index-aligned with m_entries when keepTokens
    std::unique_ptr<Batch> m_batch;
    std::unique_ptr<WorkQueue> m_queue;

    QHash<FailureKey, qint32> m_bucketIds;
    std::vector<FailureKey> m_buckets;
    QHash<QString, qint32> m_issuerIds;
    QStringList m_issuers;
    QHash<QStringList, qint32> m_audienceSetIds;
    std::vector<std::vector<qint32>> m_audienceSets; // set id -> audience ids
    QHash<QString, qint32> m_audienceIds;
    QStringList m_audiences;

    QElapsedTimer m_clock;
    qint64 m_lastProgress = -1;
    CorpusProgress m_state;
    qint64 m_linesWithoutToken = 0;
    qint64 m_overlong = 0;
};

void Run::addToken(QByteArrayView token)
{
    ++m_state.tokens;
    Digest digest{};
    if (!crypto::ossl::sha256(token, digest)) {
        // Without a hash the token cannot be deduplicated; give it its own entry, keyed by its
        // position, so it is still verified and counted (fail visible, not silent).
        qCWarning(lcCorpus) << "SHA-256 unavailable; token verified without deduplication";
        const quint64 position = static_cast<quint64>(m_state.tokens);
        digest.fill(0xff);
        std::memcpy(digest.data(), &position, sizeof position);
    }
    const auto [it, inserted] = m_index.try_emplace(digest, static_cast<quint32>(m_entries.size()));
    if (!inserted) {
        ++m_entries[it->second].count;
        return;
    }
    Entry& e = m_entries.emplace_back();
    std::memcpy(e.fingerprint.data(), digest.data(), e.fingerprint.size());
    e.count = 1;
    if (m_options.keepTokens)
        m_kept.emplace_back();
    ++m_state.distinct;
    if (!m_batch) {
        m_batch = std::make_unique<Batch>();
        m_batch->indexes.reserve(kBatchSize);
        m_batch->tokens.reserve(kBatchSize);
    }
    m_batch->indexes.push_back(it->second);
    m_batch->tokens.emplace_back(token.data(), token.size());
    m_batch->queuedBytes += token.size() + kQueuedTokenOverhead;
    m_state.bytesWaiting += token.size();
    if (m_batch->indexes.size() >= kBatchSize)
        flushBatch();
}

void Run::handleLine(QByteArrayView line)
{
    const QByteArrayView trimmed = line.trimmed();
    if (trimmed.isEmpty()) {
        ++m_linesWithoutToken;
        return;
    }
    if (m_options.mode == InputMode::TokenPerLine
        || (m_options.mode == InputMode::Auto && isTokenShaped(trimmed))) {
        addToken(trimmed);
        return;
    }
    const QList<QByteArrayView> found = extractTokens(line);
    if (found.isEmpty())
        ++m_linesWithoutToken;
    for (const QByteArrayView t : found)
        addToken(t);
}

void Run::flushBatch()
{
    if (!m_batch || m_batch->indexes.empty())
        return;
    if (!m_queue) { // one thread: verify right here
        verifyBatch(*m_batch);
        merge(*m_batch);
        m_batch.reset();
        return;
    }
    m_queue->push(std::move(m_batch));
    mergeFinished();
}

void Run::verifyBatch(Batch& batch) const
{
    batch.results.resize(batch.indexes.size()); // here, not while queued: results are larger than tokens
    for (size_t i = 0; i < batch.tokens.size(); ++i) {
        if (cancelled())
            return;
        const QByteArray& token = batch.tokens[i];
        Verified& v = batch.results[i];
        const verify::Trace ta = m_a.verify(token, m_verifyOptions);
        v.a = outcomeOf(ta);
        const verify::Trace* groupingSource = ta.accepted ? &ta : nullptr;
        std::optional<verify::Trace> tb;
        if (m_b) {
            tb = m_b->verify(token, m_verifyOptions);
            v.b = outcomeOf(*tb);
            if (!groupingSource && tb->accepted)
                groupingSource = &*tb;
        }
        if (groupingSource) {
            v.issuer = groupingSource->issuer;
            v.audiences = groupingSource->audienceList();
        } else {
            readGroupingClaims(token, v.issuer, v.audiences);
        }
        v.done = true;
    }
}

qint32 Run::internBucket(const Outcome& o)
{
    if (o.accepted)
        return kAccepted;
    const auto it = m_bucketIds.constFind(o.failure);
    if (it != m_bucketIds.constEnd())
        return *it;
    const auto id = static_cast<qint32>(m_buckets.size());
    m_buckets.push_back(o.failure);
    m_bucketIds.insert(o.failure, id);
    return id;
}

qint32 Run::internIssuer(const QString& issuer)
{
    const auto it = m_issuerIds.constFind(issuer);
    if (it != m_issuerIds.constEnd())
        return *it;
    const auto id = static_cast<qint32>(m_issuers.size());
    m_issuers.append(issuer);
    m_issuerIds.insert(issuer, id);
    return id;
}

qint32 Run::internAudiences(const QStringList& audiences)
{
    const auto it = m_audienceSetIds.constFind(audiences);
    if (it != m_audienceSetIds.constEnd())
        return *it;
    std::vector<qint32> ids;
    for (const QString& a : audiences) {
        auto ait = m_audienceIds.constFind(a);
        qint32 aid = 0;
        if (ait != m_audienceIds.constEnd()) {
            aid = *ait;
        } else {
            aid = static_cast<qint32>(m_audiences.size());
            m_audiences.append(a);
            m_audienceIds.insert(a, aid);
        }
        if (std::find(ids.begin(), ids.end(), aid) == ids.end()) // ["a","a"] counts once
            ids.push_back(aid);
    }
    const auto id = static_cast<qint32>(m_audienceSets.size());
    m_audienceSets.push_back(std::move(ids));
    m_audienceSetIds.insert(audiences, id);
    return id;
}

void Run::merge(Batch& batch)
{
    for (size_t i = 0; i < batch.indexes.size(); ++i) {
        Verified& v = batch.results[i];
        const quint32 index = batch.indexes[i];
        if (v.done)
            m_state.bytesWaiting -= batch.tokens[i].size();
        if (m_options.keepTokens)
            m_kept[index] = std::move(batch.tokens[i]);
        if (!v.done)
            continue;
        Entry& e = m_entries[index];
        e.bucketA = internBucket(v.a);
        e.num1A = v.a.num1;
        if (m_b) {
            e.bucketB = internBucket(v.b);
            e.num1B = v.b.num1;
        }
        e.issuer = internIssuer(v.issuer);
        e.audiences = internAudiences(v.audiences);
        ++m_state.verified;
    }
}

void Run::mergeFinished()
{
    if (!m_queue)
        return;
    for (auto& batch : m_queue->takeFinished())
        merge(*batch);
}

void Run::reportProgress(bool force)
{
    if (!m_progress)
        return;
    const qint64 now = m_clock.elapsed();
    if (!force && m_lastProgress >= 0 && now - m_lastProgress < m_options.progressIntervalMs)
        return;
    m_lastProgress = now;
    m_progress(m_state);
}

Result<CorpusReport> Run::execute(const QList<CorpusInput>& inputs)
{
    m_clock.start();
    // Open everything first: a typo in the last file name should not cost a long run.
    std::vector<std::unique_ptr<QFile>> owned;
    std::vector<QIODevice*> devices;
    for (const CorpusInput& input : inputs) {
        if (input.device) {
            if (!input.device->isOpen() || !input.device->isReadable())
                return Error{QStringLiteral("ERR_CORPUS_OPEN"), QStringLiteral("the corpus input is not open for reading"),
                             input.name};
            devices.push_back(input.device);
            if (!input.device->isSequential())
                m_state.bytesTotal += input.device->size();
            continue;
        }
        auto file = std::make_unique<QFile>(input.path);
        if (!file->open(QIODevice::ReadOnly))
            return Error{QStringLiteral("ERR_CORPUS_OPEN"),
                         QStringLiteral("cannot open the corpus file: %1").arg(file->errorString()), input.name};
        m_state.bytesTotal += file->size();
        devices.push_back(file.get());
        owned.push_back(std::move(file));
    }

    std::vector<std::thread> workers;
    if (m_threads > 1) {
        m_queue = std::make_unique<WorkQueue>(kMaxQueuedBytes, m_threads);
        for (int i = 0; i < m_threads; ++i) {
            workers.emplace_back([this] {
                while (auto batch = m_queue->pop()) {
                    verifyBatch(*batch);
                    m_queue->finished(std::move(batch));
                }
                m_queue->workerExited();
            });
        }
    }
    auto stopWorkers = [&] {
        flushBatch();
        if (m_queue) {
            m_queue->close();
            // Reading may have run far ahead: keep merging and reporting while the workers finish.
            for (bool allDone = false; !allDone;) {
                for (auto& batch : m_queue->waitFinished(kFinishPollInterval, allDone))
                    merge(*batch);
                reportProgress(false);
            }
        }
        for (std::thread& w : workers) // every worker has exited and every batch is merged
            w.join();
    };

    qint64 bytesBefore = 0;
    std::optional<Error> readError;
    for (size_t i = 0; i < devices.size() && !cancelled() && !readError; ++i) {
        LineReader reader(*devices[i], m_options.maxLineBytes);
        QByteArrayView line;
        for (;;) {
            if (cancelled())
                break;
            const LineReader::Status status = reader.next(line);
            if (status == LineReader::Status::End)
                break;
            if (status == LineReader::Status::Error) {
                readError = Error{QStringLiteral("ERR_CORPUS_READ"),
                                  QStringLiteral("cannot read the corpus: %1").arg(devices[i]->errorString()),
                                  QStringLiteral("%1:%2").arg(inputs[static_cast<qsizetype>(i)].name).arg(reader.lineNumber() + 1)};
                break;
            }
            ++m_state.lines;
            if (status == LineReader::Status::Overlong)
                ++m_overlong;
            else
                handleLine(line);
            if ((m_state.lines & 0xff) == 0) {
                // Consumed, not buffered: the buffer can hold megabytes of lines not looked at yet.
                m_state.bytesRead = bytesBefore + reader.bytesConsumed();
                flushBatch(); // a long run of repeated tokens must not hold back the last new ones
                mergeFinished();
                reportProgress(false);
            }
        }
        bytesBefore += reader.bytesConsumed();
        m_state.bytesRead = bytesBefore;
    }
    if (readError)
        m_stop = true; // workers drop what is queued
    stopWorkers();
    if (readError)
        return *readError;
    reportProgress(true);

    CorpusReport report = buildReport();
    for (const CorpusInput& input : inputs)
        report.files.append(input.name);
    report.bytes = m_state.bytesRead;
    report.elapsedMs = m_clock.elapsed();
    return report;
}

QString Run::bucketReason(qint32 bucket, qint64 num1) const
{
    const FailureKey& k = m_buckets[static_cast<size_t>(bucket)];
    verify::TraceStep step;
    step.id = k.step;
    step.verdict = verify::Verdict::Fail;
    step.code = verify::TraceText::viewOf(k.code); // the step lives only in this call; k outlives it
    step.arg1 = verify::TraceText::viewOf(k.arg1);
    step.arg2 = verify::TraceText::viewOf(k.arg2);
    step.num1 = num1;
    step.num2 = k.num2;
    step.untrusted = k.untrusted;
    return step.reason();
}

StepBucket Run::stepBucket(qint32 bucket, const BucketTally& tally) const
{
    const FailureKey& k = m_buckets[static_cast<size_t>(bucket)];
    StepBucket b;
    b.step = k.step;
    b.code = k.code;
    b.reason = bucketReason(bucket, tally.num1);
    b.reasonVaries = tally.varies;
    b.count = tally.count;
    b.distinct = tally.distinct;
    b.fingerprints = tally.fingerprints;
    return b;
}

template <typename T>
void addFingerprint(T& tally, const Entry& e, int limit)
{
    if (tally.fingerprints.size() < limit)
        tally.fingerprints.append(token::fingerprintText(e.fingerprint));
}

PolicyReport Run::buildPolicyReport(const verify::PolicyVerifier& verifier, bool isB) const
{
    const int limit = std::max(0, m_options.maxFingerprintsPerBucket);
    PolicyReport r;
    r.policyName = verifier.policy().name;
    r.policyRevision = verifier.policy().revision;
    std::vector<BucketTally> buckets(m_buckets.size());
    std::vector<GroupTally> issuers(static_cast<size_t>(m_issuers.size()));
    std::vector<GroupTally> audiences(static_cast<size_t>(m_audiences.size()));
    for (const Entry& e : m_entries) { // corpus order: lists and representatives are deterministic
        const qint32 bucket = isB ? e.bucketB : e.bucketA;
        if (bucket == kUnverified)
            continue;
        const bool accepted = bucket == kAccepted;
        (accepted ? r.accepted : r.rejected) += e.count;
        if (!accepted) {
            BucketTally& t = buckets[static_cast<size_t>(bucket)];
            const qint64 num1 = isB ? e.num1B : e.num1A;
            if (t.distinct == 0)
                t.num1 = num1;
            else if (t.num1 != num1)
                t.varies = true;
            t.count += e.count;
            ++t.distinct;
            addFingerprint(t, e, limit);
        }
        auto tallyGroup = [&](GroupTally& g) {
            g.count += e.count;
            ++g.distinct;
            (accepted ? g.accepted : g.rejected) += e.count;
            addFingerprint(g, e, limit);
        };
        tallyGroup(issuers[static_cast<size_t>(e.issuer)]);
        for (const qint32 aid : m_audienceSets[static_cast<size_t>(e.audiences)])
            tallyGroup(audiences[static_cast<size_t>(aid)]);
    }
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (buckets[i].distinct > 0)
            r.byStep.append(stepBucket(static_cast<qint32>(i), buckets[i]));
    }
    std::sort(r.byStep.begin(), r.byStep.end(), [](const StepBucket& x, const StepBucket& y) {
        if (x.count != y.count)
            return x.count > y.count;
        if (x.step != y.step)
            return x.step < y.step;
        if (x.code != y.code)
            return x.code < y.code;
        if (x.reason != y.reason)
            return x.reason < y.reason;
        return x.fingerprints.value(0) < y.fingerprints.value(0); // distinct buckets never share a token
    });
    auto groups = [](const std::vector<GroupTally>& tallies, const QStringList& names) {
        QList<GroupBucket> out;
        for (size_t i = 0; i < tallies.size(); ++i) {
            const GroupTally& t = tallies[i];
            if (t.distinct == 0)
                continue;
            out.append(GroupBucket{names.at(static_cast<qsizetype>(i)), t.count, t.distinct, t.accepted, t.rejected,
                                   t.fingerprints});
        }
        std::sort(out.begin(), out.end(), [](const GroupBucket& x, const GroupBucket& y) {
            return x.count != y.count ? x.count > y.count : x.name < y.name;
        });
        return out;
    };
    r.byIssuer = groups(issuers, m_issuers);
    r.byAudience = groups(audiences, m_audiences);
    return r;
}

CorpusReport Run::buildReport() const
{
    CorpusReport report;
    report.cancelled = cancelled();
    report.complete = !report.cancelled;
    report.atUnixSeconds = m_options.atUnixSeconds;
    report.threads = m_threads;
    report.lines = m_state.lines;
    report.linesWithoutToken = m_linesWithoutToken;
    report.overlongLines = m_overlong;
    for (const Entry& e : m_entries) {
        if (e.bucketA == kUnverified) {
            report.unverified += e.count;
            continue;
        }
        report.tokens += e.count;
        ++report.distinct;
    }
    if (report.unverified > 0) // never claim completeness for tokens that were not verified
        report.complete = false;
    report.policyA = buildPolicyReport(m_a, false);
    if (m_b) {
        report.policyB = buildPolicyReport(*m_b, true);
        const int limit = std::max(0, m_options.maxFingerprintsPerBucket);
        QHash<ChangeKey, qsizetype> index;
        QList<VerdictChange> changes;
        std::vector<BucketTally> tallies;
        std::vector<qint32> failureBuckets; // per change: the rejecting policy's bucket
        for (const Entry& e : m_entries) {
            if (e.bucketA == kUnverified || e.bucketB == kUnverified)
                continue;
            const bool acceptedA = e.bucketA == kAccepted;
            const bool acceptedB = e.bucketB == kAccepted;
            if (acceptedA == acceptedB)
                continue;
            const auto direction = acceptedA ? VerdictChange::Direction::NewlyRejected
                                             : VerdictChange::Direction::NewlyAccepted;
            const qint32 bucket = acceptedA ? e.bucketB : e.bucketA;
            const qint64 num1 = acceptedA ? e.num1B : e.num1A;
            const ChangeKey key{direction, e.issuer, bucket};
            auto it = index.constFind(key);
            if (it == index.constEnd()) {
                const FailureKey& k = m_buckets[static_cast<size_t>(bucket)];
                VerdictChange c;
                c.direction = direction;
                c.issuer = m_issuers.at(e.issuer);
                c.step = k.step;
                c.code = k.code;
                changes.append(c);
                tallies.emplace_back().num1 = num1; // the first token in corpus order names the reason
                failureBuckets.push_back(bucket);
                it = index.insert(key, changes.size() - 1);
            }
            BucketTally& t = tallies[static_cast<size_t>(*it)];
            if (t.num1 != num1)
                t.varies = true;
            t.count += e.count;
            ++t.distinct;
            addFingerprint(t, e, limit);
        }
        for (qsizetype i = 0; i < changes.size(); ++i) {
            const BucketTally& t = tallies[static_cast<size_t>(i)];
            VerdictChange& c = changes[i];
            c.reason = bucketReason(failureBuckets[static_cast<size_t>(i)], t.num1);
            c.reasonVaries = t.varies;
            c.count = t.count;
            c.distinct = t.distinct;
            c.fingerprints = t.fingerprints;
        }
        std::sort(changes.begin(), changes.end(), [](const VerdictChange& x, const VerdictChange& y) {
            if (x.count != y.count)
                return x.count > y.count;
            if (x.direction != y.direction)
                return x.direction < y.direction;
            if (x.issuer != y.issuer)
                return x.issuer < y.issuer;
            if (x.step != y.step)
                return x.step < y.step;
            if (x.reason != y.reason)
                return x.reason < y.reason;
            return x.fingerprints.value(0) < y.fingerprints.value(0);
        });
        report.changes = changes;
    }
    if (m_options.keepTokens) {
        for (size_t i = 0; i < m_entries.size(); ++i) {
            if (m_entries[i].bucketA != kUnverified && !m_kept[i].isEmpty())
                report.tokensByFingerprint.insert(token::fingerprintText(m_entries[i].fingerprint), m_kept[i]);
        }
    }
    return report;
}

} // namespace

double CorpusProgress::fraction() const
{
    if (bytesTotal <= 0)
        return -1;
    return std::clamp(static_cast<double>(bytesRead - bytesWaiting) / static_cast<double>(bytesTotal), 0.0, 1.0);
}

CorpusAnalyzer::CorpusAnalyzer(std::shared_ptr<const verify::PolicyVerifier> policyA,
                               std::shared_ptr<const verify::PolicyVerifier> policyB)
    : m_a(std::move(policyA))
    , m_b(std::move(policyB))
{
}

CorpusAnalyzer::CorpusAnalyzer(const policy::Policy& policyA, const policy::Policy* policyB)
    : m_a(std::make_shared<const verify::PolicyVerifier>(policyA))
    , m_b(policyB ? std::make_shared<const verify::PolicyVerifier>(*policyB) : nullptr)
{
}

Result<CorpusReport> CorpusAnalyzer::analyze(const QList<CorpusInput>& inputs, const CorpusOptions& options,
                                             const ProgressCallback& progress,
                                             const std::atomic<bool>* cancel) const
{
    if (!m_a)
        return Error{QStringLiteral("ERR_CORPUS_NO_POLICY"), QStringLiteral("no policy to verify the corpus with"), {}};
    Run run(*m_a, m_b.get(), options, progress, cancel);
    return run.execute(inputs);
}

Result<CorpusReport> CorpusAnalyzer::analyzeFiles(const QStringList& paths, const CorpusOptions& options,
                                                  const ProgressCallback& progress,
                                                  const std::atomic<bool>* cancel) const
{
    QList<CorpusInput> inputs;
    for (const QString& p : paths)
        inputs.append(CorpusInput::file(p));
    return analyze(inputs, options, progress, cancel);
}

} // namespace jwb::corpus
