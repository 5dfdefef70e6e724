// SPDX-License-Identifier: Apache-2.0
// The verification pipeline. Order is fixed (see Trace.h): shape, header, type, the algorithm pin
// before any key is touched, issuer, pinned key, signature, then the claims. Every step yields a
// trace entry; a step that cannot complete fails (fail closed), and nothing after a failure can
// turn the verdict back to accepted.
#include "verify/PolicyVerifier.h"

#include "crypto/Verifier.h"
#include "token/CompactToken.h"

#include <QLoggingCategory>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jwb::verify {

QString displayValue(std::string_view raw)
{
    constexpr int kMaxDisplayChars = 96;
    // Fast path: short printable ASCII, the usual case for iss, aud, kid and sub.
    if (raw.size() <= static_cast<size_t>(kMaxDisplayChars)
        && std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
        return QString::fromLatin1(raw.data(), static_cast<qsizetype>(raw.size()));
    QString text = QString::fromUtf8(raw.data(), static_cast<qsizetype>(std::min<size_t>(raw.size(), 4 * kMaxDisplayChars)));
    for (QChar& ch : text) {
        if (ch.category() == QChar::Other_Control || ch.category() == QChar::Other_Format)
            ch = QChar(0xFFFD);
    }
    if (text.size() > kMaxDisplayChars)
        text = text.left(kMaxDisplayChars) + QStringLiteral("…");
    return text;
}

namespace {

Q_LOGGING_CATEGORY(lcVerify, "jwb.core.verify")

using crypto::Algorithm;
using crypto::AlgorithmSet;

constexpr qint64 kMaxNumericDate = 253402300799; // 9999-12-31T23:59:59Z
constexpr int kMaxActChain = 16; // hard bound on walking nested act claims, whatever the policy says

// JOSE member names are a few bytes long. Packed into one integer with their length, they compare
// in one instruction; comparing them as strings called memcmp for every pair, which showed in
// profiles. Names longer than 7 bytes, and the empty name, get 0, which no packed name equals.
constexpr std::uint64_t nameTag(std::string_view name)
{
    const std::size_t n = name.size();
    if (n > 7)
        return 0;
    auto byte = [name](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])); };
    std::uint64_t packed = 0; // the name's bytes, little-endian
    if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
        for (std::size_t i = 0; i < n; ++i)
            packed |= byte(i) << (8 * i);
    } else if (n >= 4) {
        // Two overlapping 4-byte loads instead of a loop a byte at a time: bytes read by both land
        // in the same place, so the OR is the exact packing.
        std::uint32_t low = 0;
        std::uint32_t high = 0;
        std::memcpy(&low, name.data(), 4);
        std::memcpy(&high, name.data() + n - 4, 4);
        packed = low | (static_cast<std::uint64_t>(high) << (8 * (n - 4)));
    } else if (n > 0) {
        packed = byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)));
    }
    return packed << 8 | n;
}

// Header members that would let a token choose or carry its own key (RFC 8725 §3.10).
constexpr bool isKeySelectorTag(std::uint64_t tag)
{
    return tag == nameTag("jku") || tag == nameTag("x5u") || tag == nameTag("jwk") || tag == nameTag("x5c");
}

bool isKeySelector(std::string_view name) { return isKeySelectorTag(nameTag(name)); }

// RFC 7515 §4.1.9: MIME comparison is case-insensitive and "application/" is implied without a '/'.
// Both sides are reduced to the form without that prefix, so the hot path compares without allocating.
std::string_view withoutApplicationPrefix(std::string_view typ)
{
    constexpr std::string_view prefix = "application/";
    if (typ.size() > prefix.size()
        && std::equal(prefix.begin(), prefix.end(), typ.begin(),
                      [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b); }))
        return typ.substr(prefix.size());
    return typ;
}

bool sameMediaType(std::string_view a, std::string_view b)
{
    if (a == b) // the usual case: the token spells typ as the policy does
        return true;
    a = withoutApplicationPrefix(a);
    b = withoutApplicationPrefix(b);
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [&lower](char x, char y) { return lower(x) == lower(y); });
}

// An algorithm's name for a step: static text, so the step views it.
TraceText algorithmText(Algorithm alg) { return TraceText::viewOf(crypto::algorithmNameText(alg)); }

TraceText jsonTypeName(const json::Value& v)
{
    switch (v.type()) {
    case json::Type::Null: return u"null";
    case json::Type::Bool: return u"a boolean";
    case json::Type::Number: return u"a number";
    case json::Type::String: return u"a string";
    case json::Type::Array: return u"an array";
    case json::Type::Object: return u"an object";
    }
    return {};
}

enum class DateRead { Absent, Ok, WrongType, OutOfRange };

// NumericDate (RFC 7519 §2): a JSON number of seconds, fractions allowed (floored).
DateRead readNumericDate(const json::Value* v, qint64& out)
{
    if (!v)
        return DateRead::Absent;
    if (!v->isNumber())
        return DateRead::WrongType;
    if (v->isInteger()) {
        const long long n = v->toInteger();
        if (n < 0 || n > kMaxNumericDate)
            return DateRead::OutOfRange;
        out = n;
        return DateRead::Ok;
    }
    const double d = v->toDouble();
    if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxNumericDate))
        return DateRead::OutOfRange;
    out = static_cast<qint64>(std::floor(d));
    return DateRead::Ok;
}

struct CompiledKey {
    keys::Key key;
    std::string kid; // the key's kid as bytes, compared with the token's without conversion
    AlgorithmSet usable;
    QString exceptionId; // non-empty for keys granted by a dated exception
    QString label;       // kid, or the thumbprint's start: named in the signature step
    QString description; // "RSA 2048 ...": named in the key step
};

// Byte equality; short strings (most header and claim names, many typ values) compare as packed tags.
bool sameBytes(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    if (a.size() <= 7)
        return nameTag(a) == nameTag(b);
    return a.front() == b.front() && a == b;
}

// The header and claim members the pipeline reads, found in one pass over each object rather than
// by one search per step (a dozen linear searches over the same few members showed in profiles).
class Members {
public:
    enum Name : std::uint8_t { Alg, Typ, Kid, Cty, B64, Crit, Iss, Sub, Aud, Exp, Nbf, Iat, Act, Jti, Count };

    static Members of(const json::Value* object)
    {
        Members m;
        if (!object || !object->isObject())
            return m;
        for (const auto& [name, value] : object->members()) {
            // Names are unique (the reader refuses duplicates), so each slot is written at most once.
            if (const int i = indexOf(name); i >= 0)
                m.m_values[static_cast<std::size_t>(i)] = &value;
        }
        return m;
    }

    const json::Value* operator[](Name n) const { return m_values[n]; }

    // Presence of any member: from the slots for the names recorded here, else by searching.
    bool has(const json::Value* object, std::string_view name) const
    {
        const int i = indexOf(name);
        return i >= 0 ? m_values[static_cast<std::size_t>(i)] != nullptr : object && object->find(name) != nullptr;
    }

private:
    static int indexOf(std::string_view name)
    {
        switch (nameTag(name)) {
        case nameTag("alg"): return Alg;
        case nameTag("typ"): return Typ;
        case nameTag("kid"): return Kid;
        case nameTag("cty"): return Cty;
        case nameTag("b64"): return B64;
        case nameTag("crit"): return Crit;
        case nameTag("iss"): return Iss;
        case nameTag("sub"): return Sub;
        case nameTag("aud"): return Aud;
        case nameTag("exp"): return Exp;
        case nameTag("nbf"): return Nbf;
        case nameTag("iat"): return Iat;
        case nameTag("act"): return Act;
        case nameTag("jti"): return Jti;
        default: return -1;
        }
    }

    std::array<const json::Value*, Count> m_values{};
};

// Keys a token may be verified with; a handful at most, kept off the heap.
template <typename K>
using Candidates = QVarLengthArray<const K*, 8>;

// A policy string and the text a trace shows for it. A token value equal to a policy string is shown
// with the policy's own (shared) text, so the common, accepted case converts nothing per token.
struct PolicyString {
    std::string bytes;
    QString text;
};

const QString* findText(const std::vector<PolicyString>& list, std::string_view value)
{
    for (const PolicyString& p : list) {
        if (sameBytes(p.bytes, value))
            return &p.text;
    }
    return nullptr;
}

struct CompiledException {
    QString id;
    qint64 expiresAt = 0; // exclusive
    AlgorithmSet algorithms;
    std::vector<std::string> headers;
    std::vector<std::string> kids;
    std::optional<int> clockSkewSeconds;
    std::optional<qint64> maxLifetimeSeconds;
};

struct CompiledIssuer {
    const policy::Issuer* issuer = nullptr;
    QString name;
    policy::EffectiveRules rules;
    AlgorithmSet pinned;
    std::vector<std::string> allowedHeaders;
    std::vector<std::uint64_t> allowedHeaderTags; // nameTag of each allowed name of up to 7 bytes
    std::vector<PolicyString> allowedTypes;
    QString allowedTypesText;  // for reasons
    std::vector<std::string> requiredClaims;
    bool requiresExp = false;   // "exp" is among requiredClaims: its absence fails at expiry
    QString requiredClaimsText; // for reasons
    QString pinnedText;         // for reasons
    std::vector<PolicyString> audiences;
    std::vector<PolicyString> subjects;
    std::vector<CompiledKey> keys;
    std::vector<CompiledException> exceptions;
};

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::any_of(list.begin(), list.end(), [value](const std::string& item) { return sameBytes(item, value); });
}

std::vector<std::string> toStdList(const QStringList& list)
{
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(list.size()));
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

std::vector<PolicyString> toPolicyStrings(const QStringList& list)
{
    std::vector<PolicyString> out;
    out.reserve(static_cast<size_t>(list.size()));
    for (const QString& s : list)
        out.push_back({s.toStdString(), s});
    return out;
}

AlgorithmSet toAlgorithmSet(const QStringList& names)
{
    AlgorithmSet set;
    for (const QString& n : names)
        set.insert(crypto::algorithmFromName(n));
    return set;
}

QString keyLabel(const keys::Key& key)
{
    return key.kid.isEmpty() ? key.thumbprint.left(12) : key.kid;
}

CompiledKey compileKey(const keys::Key& key, const QString& exceptionId)
{
    CompiledKey ck{key, key.kid.toStdString(), {}, exceptionId, keyLabel(key), key.description()};
    for (Algorithm a : key.usableAlgorithms())
        ck.usable.insert(a);
    return ck;
}

void compileRules(CompiledIssuer& ci)
{
    ci.pinned = toAlgorithmSet(ci.rules.algorithms);
    ci.allowedHeaders = toStdList(ci.rules.allowedHeaders);
    for (const std::string& name : ci.allowedHeaders) {
        if (const std::uint64_t tag = nameTag(name))
            ci.allowedHeaderTags.push_back(tag);
    }
    if (ci.rules.allowedTypes) {
        ci.allowedTypes = toPolicyStrings(*ci.rules.allowedTypes);
        ci.allowedTypesText = ci.rules.allowedTypes->join(QStringLiteral(", "));
    }
    ci.requiredClaims = toStdList(ci.rules.requiredClaims);
    ci.requiresExp = contains(ci.requiredClaims, "exp");
    ci.requiredClaimsText = ci.rules.requiredClaims.join(QStringLiteral(", "));
    ci.pinnedText = ci.rules.algorithms.join(QStringLiteral(", "));
}

// Lets the issuer index be searched with a token's iss as read, without building a std::string.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

} // namespace

struct PolicyVerifier::Compiled {
    policy::Policy policy;
    std::vector<CompiledIssuer> issuers;
    std::unordered_map<std::string, size_t, TextHash, std::equal_to<>> byIssuer;
    CompiledIssuer fallback; // the defaults, for diagnosis when no trust entry matches
    qint64 globalMaxTokenBytes = 0;
};

PolicyVerifier::PolicyVerifier(policy::Policy policy)
{
    auto compiled = std::make_shared<Compiled>();
    compiled->policy = std::move(policy);
    const policy::Policy& p = compiled->policy;

    compiled->fallback.rules.apply(p.defaults);
    compileRules(compiled->fallback);
    compiled->globalMaxTokenBytes = compiled->fallback.rules.maxTokenBytes;

    compiled->issuers.reserve(static_cast<size_t>(p.issuers.size()));
    for (const policy::Issuer& issuer : p.issuers) {
        CompiledIssuer ci;
        ci.issuer = &issuer;
        ci.name = issuer.issuer;
        ci.rules = p.effectiveRules(issuer);
        compileRules(ci);
        ci.audiences = toPolicyStrings(issuer.audiences);
        ci.subjects = toPolicyStrings(issuer.subjects);
        for (const keys::Key& k : issuer.keys.resolved)
            ci.keys.push_back(compileKey(k, {}));
        for (const policy::PolicyException& ex : p.exceptions) {
            if (ex.issuer != issuer.issuer)
                continue;
            CompiledException ce;
            ce.id = ex.id;
            ce.expiresAt = ex.expires.toSecsSinceEpoch();
            ce.algorithms = toAlgorithmSet(ex.allow.algorithms.value_or(QStringList()));
            ce.headers = toStdList(ex.allow.headers.value_or(QStringList()));
            ce.kids = toStdList(ex.allow.kids.value_or(QStringList()));
            ce.clockSkewSeconds = ex.allow.clockSkewSeconds;
            ce.maxLifetimeSeconds = ex.allow.maxLifetimeSeconds;
            if (ex.allow.keys) {
                for (const keys::Key& k : ex.allow.keys->resolved)
                    ci.keys.push_back(compileKey(k, ex.id));
            }
            ci.exceptions.push_back(std::move(ce));
        }
        compiled->globalMaxTokenBytes = std::max(compiled->globalMaxTokenBytes, ci.rules.maxTokenBytes);
        compiled->byIssuer.emplace(issuer.issuer.toStdString(), compiled->issuers.size());
        compiled->issuers.push_back(std::move(ci));
    }
    m_compiled = std::move(compiled);
}

PolicyVerifier::~PolicyVerifier() = default;

const policy::Policy& PolicyVerifier::policy() const { return m_compiled->policy; }

namespace {

// One verification: builds the trace step by step, straight into a Trace its caller owns and
// outlives. When the Run ends, that trace holds exactly the steps written, whichever path ended it.
class Run {
public:
    // `policyKept`: the rules' texts outlive every reader of the trace (the compiled policy, kept by
    // the trace through Trace::keepTextOwner, or by the caller when VerifyOptions::keepPolicyAlive is
    // off), so steps may view them; otherwise (rules made for one call) they are copied into the trace.
    Run(Trace& trace, const CompiledIssuer* entry, const CompiledIssuer& rulesSource, qint64 now,
        bool stopAtFirstFailure, bool policyKept)
        : m_entry(entry)
        , m_rules(rulesSource)
        , m_now(now)
        , m_stopAtFirstFailure(stopAtFirstFailure)
        , m_policyKept(policyKept)
        , m_trace(trace)
    {
        // Every slot at once: TraceStep is a primitive type for Qt, so this only sets the size. Each
        // step is then written whole into its slot, and the Run trims the slots left when it ends.
        m_trace.steps.resize(kStepCount);
    }
    ~Run() { m_trace.steps.resize(m_used); }
    Q_DISABLE_COPY_MOVE(Run)

    // The members of the token's header and claims that the steps read.
    void useMembers(const Members& header, const Members& claims, const json::Value* claimsObject = nullptr)
    {
        m_h = header;
        m_c = claims;
        m_claims = claimsObject;
    }
    bool failed() const { return m_failed; }
    // In corpus mode everything after the first failure is skipped unevaluated.
    bool skipRest() const { return m_failed && m_stopAtFirstFailure; }

    TraceStep& add(StepId id, Verdict verdict, TraceText code)
    {
        if (verdict == Verdict::Fail)
            m_failed = true;
        if (m_used == m_trace.steps.size()) [[unlikely]] // never in the pipeline: a step id appears once
            return addBeyondSlots(id, verdict, code);
        return m_trace.steps[m_used++] = TraceStep(id, verdict, code);
    }
    TraceStep& skip(StepId id, TraceText code) { return add(id, Verdict::Skipped, code); }
    // A step made beforehand, whose texts this trace already keeps.
    void append(const TraceStep& step) { add(step.id, step.verdict, step.code) = step; }
    // Takes the one step a sub-run wrote (the signature-only path reuses the policy steps), with the
    // texts that step's trace keeps. `sub` is the trace of a Run that has ended, so it holds only the
    // steps written.
    void appendFirstOf(const Trace& sub)
    {
        Q_ASSERT(sub.steps.size() == 1);
        if (sub.steps.isEmpty()) { // the sub-run wrote nothing: fail closed rather than lose the step
            add(StepId::Header, Verdict::Fail, u"ERR_INTERNAL_NO_STEP");
            return;
        }
        m_trace.keepTextsOf(sub);
        append(sub.steps.front());
    }
    // A text computed for this token (a token's value as shown, a joined list): kept by the trace.
    TraceText keep(const QString& text) { return m_trace.keep(text); }
    // A text of the rules this Run applies.
    TraceText policyText(const QString& text) { return m_policyKept ? TraceText::viewOf(text) : keep(text); }
    // The step passed only because of the dated exception `id`, which its reason names.
    void byException(TraceStep& s, const QString& id) { s.arg2 = s.exceptionId = policyText(id); }
    // The step recorded so far for `id`, if any.
    const TraceStep* step(StepId id) const
    {
        const std::span<const TraceStep> written(m_trace.steps.data(), static_cast<std::size_t>(m_used));
        const auto it = std::find_if(written.begin(), written.end(), [id](const TraceStep& s) { return s.id == id; });
        return it != written.end() ? &*it : nullptr;
    }
    void skipFrom(StepId first, TraceText code)
    {
        for (int i = static_cast<int>(first); i < kStepCount; ++i)
            skip(static_cast<StepId>(i), code);
    }

    // Active exceptions of the trust entry at the evaluation instant. Expired ones change nothing.
    template <typename Pred>
    const CompiledException* activeException(Pred pred) const
    {
        if (!m_entry)
            return nullptr;
        for (const CompiledException& ex : m_entry->exceptions) {
            if (m_now < ex.expiresAt && pred(ex))
                return &ex;
        }
        return nullptr;
    }

    void header(const json::Value& header);
    void type();
    bool algorithm(Algorithm& alg);
    void issuer(const json::Value* iss, bool issFromHeader);
    Candidates<CompiledKey> key(Algorithm alg);
    void claims(bool trusted);

private:
    void expiry(bool untrusted);
    void notBefore(bool untrusted);
    void issuedAt(bool untrusted);
    void lifetime(bool untrusted);
    void audience(bool untrusted);
    void subject(bool untrusted);
    void requiredClaims(bool untrusted);
    bool dateTypeError(StepId id, TraceText claim, DateRead r, const json::Value* v, bool untrusted);

    const CompiledIssuer* m_entry;
    const CompiledIssuer& m_rules;
    qint64 m_now;
    bool m_stopAtFirstFailure;
    bool m_policyKept;
    bool m_failed = false;
    Members m_h;          // header members
    Members m_c;          // claim members
    const json::Value* m_claims = nullptr; // the claims object, for names m_c does not record
    Trace& m_trace;
    qsizetype m_used = 0; // slots of m_trace.steps written so far

    // Out of line, so that add() stays small enough to be inlined where it is called.
    [[gnu::noinline]] TraceStep& addBeyondSlots(StepId id, Verdict verdict, TraceText code)
    {
        ++m_used;
        return m_trace.steps.emplace_back(id, verdict, code);
    }
};

void Run::header(const json::Value& header)
{
    // Specific dangers first, so the trace names them rather than a generic allowlist miss.
    if (const json::Value* crit = m_h[Members::Crit]) {
        if (!crit->isArray() || crit->items().empty()) {
            add(StepId::Header, Verdict::Fail, u"ERR_HEADER_CRIT_MALFORMED").ref =
                u"RFC 7515 §4.1.11";
            return;
        }
        // This verifier implements no critical extension, so any listed name must be refused.
        const json::Value& first = crit->items().front();
        TraceStep& s = add(StepId::Header, Verdict::Fail,
                           first.isString() ? TraceText(u"ERR_HEADER_CRIT") : TraceText(u"ERR_HEADER_CRIT_MALFORMED"));
        if (first.isString())
            s.arg1 = keep(displayValue(first.toString()));
        s.ref = u"RFC 7515 §4.1.11";
        return;
    }
    if (const json::Value* b64 = m_h[Members::B64]; b64 && !(b64->isBool() && b64->toBool())) {
        add(StepId::Header, Verdict::Fail, u"ERR_HEADER_B64").ref = u"RFC 7797 §3";
        return;
    }
    if (!m_h[Members::Alg]) {
        add(StepId::Header, Verdict::Fail, u"ERR_HEADER_ALG_MISSING").ref = u"RFC 7515 §4.1.1";
        return;
    }
    constexpr std::pair<Members::Name, QStringView> stringMembers[] = {
        {Members::Alg, u"alg"}, {Members::Kid, u"kid"}, {Members::Typ, u"typ"}, {Members::Cty, u"cty"}};
    for (const auto& [slot, stringMember] : stringMembers) {
        const json::Value* v = m_h[slot];
        if (v && !v->isString()) {
            TraceStep& s = add(StepId::Header, Verdict::Fail, u"ERR_HEADER_MEMBER_TYPE");
            s.arg1 = TraceText::viewOf(stringMember);
            s.arg2 = u"a string";
            return;
        }
    }

    std::optional<TraceStep> warning; // the first loosening seen; reported if nothing fails
    for (const auto& [name, value] : header.members()) {
        // Header names are short: one tag per name against the policy's precomputed tags.
        const std::uint64_t tag = nameTag(name);
        const bool allowed = tag ? std::find(m_rules.allowedHeaderTags.begin(), m_rules.allowedHeaderTags.end(), tag)
                                       != m_rules.allowedHeaderTags.end()
                                 : contains(m_rules.allowedHeaders, name);
        if (allowed) {
            if (isKeySelectorTag(tag) && !warning) {
                warning.emplace(StepId::Header, Verdict::Warning, u"WARN_HEADER_KEY_SELECTOR_IGNORED");
                warning->arg1 = keep(displayValue(name));
                warning->ref = u"RFC 8725 §3.10";
            }
            continue;
        }
        if (const CompiledException* ex =
                activeException([&member = name](const CompiledException& e) { return contains(e.headers, member); })) {
            if (!warning) {
                warning.emplace(StepId::Header, Verdict::Warning, u"WARN_HEADER_BY_EXCEPTION");
                warning->arg1 = keep(displayValue(name));
                byException(*warning, ex->id);
            }
            continue;
        }
        TraceStep& s = add(StepId::Header, Verdict::Fail,
                           isKeySelectorTag(tag) ? TraceText(u"ERR_HEADER_KEY_SELECTOR")
                                                 : TraceText(u"ERR_HEADER_NOT_ALLOWED"));
        s.arg1 = keep(displayValue(name));
        if (isKeySelectorTag(tag))
            s.ref = u"RFC 8725 §3.10, RFC 7515 §4.1.2-4.1.6";
        return;
    }
    if (warning) {
        append(*warning);
        return;
    }
    add(StepId::Header, Verdict::Pass, u"OK_HEADER");
}

void Run::type()
{
    const json::Value* typ = m_h[Members::Typ];
    const policy::EffectiveRules& rules = m_rules.rules;
    if (!rules.allowedTypes) {
        if (rules.requireType && !typ) {
            add(StepId::Type, Verdict::Fail, u"ERR_TYPE_MISSING").arg2 = u"any";
            return;
        }
        skip(StepId::Type, u"SKIPPED_TYPE_NOT_CHECKED");
        return;
    }
    const QString& allowed = m_rules.allowedTypesText;
    if (!typ) {
        if (rules.requireType) {
            add(StepId::Type, Verdict::Fail, u"ERR_TYPE_MISSING").arg2 = policyText(allowed);
            return;
        }
        add(StepId::Type, Verdict::Pass, u"OK_TYPE_ABSENT");
        return;
    }
    if (!typ->isString()) {
        TraceStep& s = add(StepId::Type, Verdict::Fail, u"ERR_HEADER_MEMBER_TYPE");
        s.arg1 = u"typ";
        s.arg2 = u"a string";
        return;
    }
    const std::string_view value = typ->toString();
    for (const PolicyString& t : m_rules.allowedTypes) {
        if (sameMediaType(t.bytes, value)) {
            // Shown as the token spells it; the policy's text serves when the spelling is the same.
            add(StepId::Type, Verdict::Pass, u"OK_TYPE").arg1 =
                t.bytes == value ? policyText(t.text) : keep(displayValue(value));
            return;
        }
    }
    TraceStep& s = add(StepId::Type, Verdict::Fail, u"ERR_TYPE_NOT_ALLOWED");
    s.arg1 = keep(displayValue(value));
    s.arg2 = policyText(allowed);
}

bool Run::algorithm(Algorithm& alg)
{
    const json::Value* algValue = m_h[Members::Alg];
    if (!algValue || !algValue->isString()) {
        add(StepId::Algorithm, Verdict::Fail, u"ERR_HEADER_ALG_MISSING");
        return false;
    }
    const std::string_view rawName = algValue->toString();
    const QLatin1StringView name(rawName.data(), static_cast<qsizetype>(std::min<size_t>(rawName.size(), 64)));
    // No spelling of "none" is a registered name, so it is looked for only among the unknown ones.
    alg = crypto::algorithmFromName(name);
    if (alg == Algorithm::Unsupported) {
        const bool none = crypto::isNoneSpelling(name);
        TraceStep& s = add(StepId::Algorithm, Verdict::Fail, none ? TraceText(u"ERR_ALG_NONE") : TraceText(u"ERR_ALG_UNSUPPORTED"));
        s.arg1 = keep(displayValue(algValue->toString()));
        if (none)
            s.ref = u"RFC 7518 §3.6, RFC 8725 §3.1";
        return false;
    }
    if (m_rules.pinned.contains(alg)) {
        add(StepId::Algorithm, Verdict::Pass, u"OK_ALG").arg1 = algorithmText(alg);
        return true;
    }
    if (const CompiledException* ex =
            activeException([alg](const CompiledException& e) { return e.algorithms.contains(alg); })) {
        TraceStep& s = add(StepId::Algorithm, Verdict::Warning, u"WARN_ALG_BY_EXCEPTION");
        s.arg1 = algorithmText(alg);
        byException(s, ex->id);
        return true;
    }
    if (m_rules.pinned.isEmpty()) {
        add(StepId::Algorithm, Verdict::Fail, u"ERR_ALG_PIN_EMPTY");
        return false;
    }
    TraceStep& s = add(StepId::Algorithm, Verdict::Fail, u"ERR_ALG_NOT_PINNED");
    s.arg1 = algorithmText(alg);
    s.arg2 = policyText(m_rules.pinnedText);
    return false;
}

void Run::issuer(const json::Value* iss, bool issFromHeader)
{
    if (!iss) {
        add(StepId::Issuer, Verdict::Fail, u"ERR_ISS_MISSING");
        return;
    }
    if (!iss->isString()) {
        add(StepId::Issuer, Verdict::Fail, u"ERR_ISS_TYPE");
        return;
    }
    // The trust entry was found by an exact byte match, so its own name is the token's iss.
    m_trace.issuer = m_entry ? policyText(m_entry->name) : keep(displayValue(iss->toString()));
    if (!m_entry) {
        add(StepId::Issuer, Verdict::Fail, u"ERR_ISS_UNKNOWN").arg1 = m_trace.issuer;
        return;
    }
    TraceStep& s = add(StepId::Issuer, Verdict::Pass, u"OK_ISSUER");
    s.arg1 = m_trace.issuer;
    s.untrusted = true; // chosen before the signature is verified
    if (issFromHeader)
        s.ref = u"RFC 7519 §5.3";
}

Candidates<CompiledKey> Run::key(Algorithm alg)
{
    Candidates<CompiledKey> candidates;
    if (m_entry->keys.empty()) {
        add(StepId::Key, Verdict::Fail, u"ERR_KEY_NO_KEYS");
        return candidates;
    }
    const json::Value* kid = m_h[Members::Kid];
    if (kid && !kid->isString()) {
        add(StepId::Key, Verdict::Fail, u"ERR_KID_TYPE");
        return candidates;
    }
    if (!kid) {
        if (m_rules.rules.requireKid) {
            add(StepId::Key, Verdict::Fail, u"ERR_KID_MISSING");
            return candidates;
        }
        for (const CompiledKey& k : m_entry->keys) {
            if (k.usable.contains(alg) && (k.exceptionId.isEmpty() || activeException([&k](const CompiledException& e) {
                                                                   return e.id == k.exceptionId;
                                                               })))
                candidates.push_back(&k);
        }
        if (candidates.empty()) {
            add(StepId::Key, Verdict::Fail, u"ERR_KEY_NONE_USABLE").arg1 = algorithmText(alg);
            return candidates;
        }
        TraceStep& s = add(StepId::Key, Verdict::Pass, u"OK_KEY_CANDIDATES");
        s.arg1 = algorithmText(alg);
        s.num1 = static_cast<qint64>(candidates.size());
        return candidates;
    }

    const CompiledKey* matched = nullptr;
    for (const CompiledKey& k : m_entry->keys) {
        if (k.kid != kid->toString())
            continue;
        if (!k.exceptionId.isEmpty()
            && !activeException([&k](const CompiledException& e) { return e.id == k.exceptionId; }))
            continue; // an expired exception's key is as good as absent
        matched = &k;
        if (k.usable.contains(alg))
            break;
    }
    if (!matched) {
        // A rotation exception may accept a renamed kid for the issuer's own keys.
        if (const CompiledException* ex = activeException(
                [kid](const CompiledException& e) { return contains(e.kids, kid->toString()); })) {
            for (const CompiledKey& k : m_entry->keys) {
                if (k.exceptionId.isEmpty() && k.usable.contains(alg))
                    candidates.push_back(&k);
            }
            if (!candidates.empty()) {
                TraceStep& s = add(StepId::Key, Verdict::Warning, u"WARN_KEY_BY_EXCEPTION");
                s.arg1 = keep(displayValue(kid->toString()));
                byException(s, ex->id);
                return candidates;
            }
        }
        add(StepId::Key, Verdict::Fail, u"ERR_KEY_UNKNOWN_KID").arg1 = keep(displayValue(kid->toString()));
        return candidates;
    }
    if (!matched->usable.contains(alg)) { // usable holds exactly the algorithms usableWith accepts
        QString why;
        matched->key.usableWith(alg, &why);
        TraceStep& s = add(StepId::Key, Verdict::Fail, u"ERR_KEY_UNUSABLE");
        s.arg1 = keep(displayValue(kid->toString()));
        s.arg2 = keep(crypto::algorithmName(alg) + QStringLiteral(": ") + why);
        return candidates;
    }
    candidates.push_back(matched);
    if (!matched->exceptionId.isEmpty()) {
        TraceStep& s = add(StepId::Key, Verdict::Warning, u"WARN_KEY_BY_EXCEPTION");
        s.arg1 = policyText(matched->key.kid);
        byException(s, matched->exceptionId);
        return candidates;
    }
    TraceStep& s = add(StepId::Key, Verdict::Pass, u"OK_KEY");
    s.arg1 = policyText(matched->key.kid);
    s.arg2 = policyText(matched->description);
    return candidates;
}

const keys::Key& keyOf(const keys::Key* k) { return *k; }
const keys::Key& keyOf(const CompiledKey* k) { return k->key; }
TraceText labelOf(Run& run, const keys::Key* k) { return run.keep(keyLabel(*k)); }
TraceText labelOf(Run& run, const CompiledKey* k) { return run.policyText(k->label); }

template <typename K>
bool verifyWithCandidates(Run& run, const Candidates<K>& candidates, Algorithm alg, const token::CompactToken& t)
{
    if (t.signature().isEmpty()) {
        run.add(StepId::Signature, Verdict::Fail, u"ERR_SIGNATURE_MISSING");
        return false;
    }
    crypto::SignatureResult last = crypto::SignatureResult::Invalid;
    QString detail;
    const K* lastKey = nullptr;
    for (const K* k : candidates) {
        QString d;
        const crypto::SignatureResult r = crypto::verifySignature(keyOf(k), alg, t.signingInput(), t.signature(), &d);
        if (r == crypto::SignatureResult::Valid) {
            TraceStep& s = run.add(StepId::Signature, Verdict::Pass, u"OK_SIGNATURE");
            s.arg1 = algorithmText(alg);
            s.arg2 = labelOf(run, k);
            return true;
        }
        // Report the most specific failure: a malformed signature says more than "invalid".
        if (!lastKey || r != crypto::SignatureResult::Invalid) {
            last = r;
            detail = d;
            lastKey = k;
        }
    }
    TraceText code;
    switch (last) {
    case crypto::SignatureResult::Malformed: code = u"ERR_SIGNATURE_MALFORMED"; break;
    case crypto::SignatureResult::InternalError:
    case crypto::SignatureResult::KeyMismatch: code = u"ERR_SIGNATURE_INTERNAL"; break;
    default: code = u"ERR_SIGNATURE_INVALID"; break;
    }
    TraceStep& s = run.add(StepId::Signature, Verdict::Fail, code);
    s.arg1 = algorithmText(alg);
    if (last != crypto::SignatureResult::Invalid)
        s.arg2 = run.keep(detail);
    else if (candidates.size() == 1)
        s.arg2 = labelOf(run, candidates.front());
    else
        s.arg2 = run.keep(QStringLiteral("any of %1 keys").arg(candidates.size()));
    if (last == crypto::SignatureResult::InternalError)
        qCWarning(lcVerify) << "signature backend failure:" << detail;
    return false;
}

bool Run::dateTypeError(StepId id, TraceText claim, DateRead r, const json::Value* v, bool untrusted)
{
    if (r == DateRead::WrongType) {
        TraceStep& s = add(id, Verdict::Fail, u"ERR_CLAIM_TYPE");
        s.arg1 = claim;
        s.arg2 = jsonTypeName(*v);
        s.untrusted = untrusted;
        s.ref = u"RFC 7519 §2";
        return true;
    }
    if (r == DateRead::OutOfRange) {
        TraceStep& s = add(id, Verdict::Fail, u"ERR_CLAIM_RANGE");
        s.arg1 = claim;
        s.untrusted = untrusted;
        s.ref = u"RFC 7519 §2";
        return true;
    }
    return false;
}

void Run::expiry(bool untrusted)
{
    const json::Value* v = m_c[Members::Exp];
    qint64 exp = 0;
    const DateRead r = readNumericDate(v, exp);
    if (r == DateRead::Absent) {
        // A missing exp is the cause a reader looks for first, so it fails here, not only at
        // lifetime or required_claims further down.
        if (m_rules.requiresExp) {
            TraceStep& s = add(StepId::Expiry, Verdict::Fail, u"ERR_EXP_MISSING");
            s.untrusted = untrusted;
            s.ref = u"RFC 8725 §3.10, RFC 7519 §4.1.4";
        } else {
            skip(StepId::Expiry, u"SKIPPED_EXP_ABSENT");
        }
        return;
    }
    if (dateTypeError(StepId::Expiry, u"exp", r, v, untrusted))
        return;
    const int skew = m_rules.rules.clockSkewSeconds;
    if (m_now < exp + skew) {
        TraceStep& s = add(StepId::Expiry, Verdict::Pass, u"OK_EXP");
        s.num1 = exp;
        s.num2 = skew;
        s.untrusted = untrusted;
        return;
    }
    const CompiledException* ex = activeException([this, exp](const CompiledException& e) {
        return e.clockSkewSeconds && m_now < exp + *e.clockSkewSeconds;
    });
    TraceStep& s = add(StepId::Expiry, ex ? Verdict::Warning : Verdict::Fail,
                       ex ? TraceText(u"WARN_EXP_BY_EXCEPTION") : TraceText(u"ERR_EXPIRED"));
    s.num1 = exp;
    s.num2 = ex ? *ex->clockSkewSeconds : skew;
    s.untrusted = untrusted;
    if (ex) {
        byException(s, ex->id);
    }
}

void Run::notBefore(bool untrusted)
{
    const json::Value* v = m_c[Members::Nbf];
    qint64 nbf = 0;
    const DateRead r = readNumericDate(v, nbf);
    if (r == DateRead::Absent) {
        skip(StepId::NotBefore, u"SKIPPED_NBF_ABSENT");
        return;
    }
    if (dateTypeError(StepId::NotBefore, u"nbf", r, v, untrusted))
        return;
    const int skew = m_rules.rules.clockSkewSeconds;
    if (m_now + skew >= nbf) {
        TraceStep& s = add(StepId::NotBefore, Verdict::Pass, u"OK_NBF");
        s.num1 = nbf;
        s.num2 = skew;
        s.untrusted = untrusted;
        return;
    }
    const CompiledException* ex = activeException([this, nbf](const CompiledException& e) {
        return e.clockSkewSeconds && m_now + *e.clockSkewSeconds >= nbf;
    });
    TraceStep& s = add(StepId::NotBefore, ex ? Verdict::Warning : Verdict::Fail,
                       ex ? TraceText(u"WARN_NBF_BY_EXCEPTION") : TraceText(u"ERR_NOT_YET_VALID"));
    s.num1 = nbf;
    s.num2 = ex ? *ex->clockSkewSeconds : skew;
    s.untrusted = untrusted;
    if (ex) {
        byException(s, ex->id);
    }
}

void Run::issuedAt(bool untrusted)
{
    const json::Value* v = m_c[Members::Iat];
    qint64 iat = 0;
    const DateRead r = readNumericDate(v, iat);
    if (r == DateRead::Absent) {
        skip(StepId::IssuedAt, u"SKIPPED_IAT_ABSENT");
        return;
    }
    if (dateTypeError(StepId::IssuedAt, u"iat", r, v, untrusted))
        return;
    int skew = m_rules.rules.clockSkewSeconds;
    const CompiledException* ex = nullptr;
    if (iat > m_now + skew) {
        ex = activeException([this, iat](const CompiledException& e) {
            return e.clockSkewSeconds && iat <= m_now + *e.clockSkewSeconds;
        });
        if (!ex) {
            TraceStep& s = add(StepId::IssuedAt, Verdict::Fail, u"ERR_IAT_FUTURE");
            s.num1 = iat;
            s.num2 = skew;
            s.untrusted = untrusted;
            return;
        }
    }
    TraceStep& s = add(StepId::IssuedAt, ex ? Verdict::Warning : Verdict::Pass, u"OK_IAT");
    s.num1 = iat;
    s.untrusted = untrusted;
    if (ex)
        s.exceptionId = policyText(ex->id);
}

void Run::lifetime(bool untrusted)
{
    const std::optional<qint64>& limit = m_rules.rules.maxLifetimeSeconds;
    if (!limit) {
        skip(StepId::Lifetime, u"SKIPPED_LIFETIME_NO_LIMIT");
        return;
    }
    qint64 exp = 0;
    qint64 start = 0;
    const bool haveExp = readNumericDate(m_c[Members::Exp], exp) == DateRead::Ok;
    const bool haveStart = readNumericDate(m_c[Members::Iat], start) == DateRead::Ok
                           || readNumericDate(m_c[Members::Nbf], start) == DateRead::Ok;
    if (!haveExp || !haveStart) {
        TraceStep& s = add(StepId::Lifetime, Verdict::Fail, u"ERR_LIFETIME_UNKNOWN");
        s.arg1 = !haveExp ? TraceText(u"a valid exp") : TraceText(u"a valid iat or nbf");
        s.untrusted = untrusted;
        return;
    }
    const qint64 lifetimeSeconds = exp - start;
    if (lifetimeSeconds <= *limit) {
        TraceStep& s = add(StepId::Lifetime, Verdict::Pass, u"OK_LIFETIME");
        s.num1 = lifetimeSeconds;
        s.num2 = *limit;
        s.untrusted = untrusted;
        return;
    }
    const CompiledException* ex = activeException([lifetimeSeconds](const CompiledException& e) {
        return e.maxLifetimeSeconds && lifetimeSeconds <= *e.maxLifetimeSeconds;
    });
    TraceStep& s = add(StepId::Lifetime, ex ? Verdict::Warning : Verdict::Fail,
                       ex ? TraceText(u"WARN_LIFETIME_BY_EXCEPTION") : TraceText(u"ERR_LIFETIME_EXCEEDED"));
    s.num1 = lifetimeSeconds;
    s.num2 = ex ? *ex->maxLifetimeSeconds : *limit;
    s.untrusted = untrusted;
    if (ex) {
        byException(s, ex->id);
    }
}

void Run::audience(bool untrusted)
{
    const json::Value* aud = m_c[Members::Aud];
    auto fail = [this, untrusted](TraceText code) -> TraceStep& {
        TraceStep& s = add(StepId::Audience, Verdict::Fail, code);
        s.untrusted = untrusted;
        if (m_entry)
            s.arg2 = policyText(m_entry->name);
        return s;
    };
    auto listed = [this] { return keep(m_trace.audienceList().join(QStringLiteral(", "))); };
    if (!aud) {
        fail(u"ERR_AUD_MISSING");
        return;
    }
    const std::span<const json::Value> values = aud->isArray() ? std::span(aud->items()) : std::span(aud, 1);
    if (!std::all_of(values.begin(), values.end(), [](const json::Value& v) { return v.isString(); })) {
        fail(u"ERR_AUD_TYPE");
        return;
    }
    // Each audience as the trace shows it; one the trust entry names is shown with the policy's text.
    const QString* bound = nullptr;
    m_trace.audiences.reserve(static_cast<qsizetype>(values.size()));
    for (const json::Value& v : values) {
        const QString* known = m_entry ? findText(m_entry->audiences, v.toString()) : nullptr;
        m_trace.audiences.append(known ? policyText(*known) : keep(displayValue(v.toString())));
        if (known && !bound)
            bound = known;
    }
    if (values.empty()) {
        fail(u"ERR_AUD_EMPTY");
        return;
    }
    if (!m_entry) {
        fail(u"ERR_AUD_NOT_BOUND").arg1 = listed();
        return;
    }
    if (m_entry->audiences.empty()) {
        fail(u"ERR_AUD_NO_ROW");
        return;
    }
    if (bound) {
        TraceStep& s = add(StepId::Audience, Verdict::Pass, u"OK_AUD");
        s.arg1 = policyText(*bound);
        s.arg2 = policyText(m_entry->name);
        s.untrusted = untrusted;
        return;
    }
    fail(u"ERR_AUD_NOT_BOUND").arg1 = listed();
}

void Run::subject(bool untrusted)
{
    const json::Value* sub = m_c[Members::Sub];
    if (!m_entry || m_entry->subjects.empty()) {
        // RFC 7519 §4.1.2: sub is a StringOrURI whether or not the policy lists subjects.
        if (sub && !sub->isString()) {
            TraceStep& s = add(StepId::Subject, Verdict::Fail, u"ERR_SUB_TYPE");
            s.untrusted = untrusted;
            s.ref = u"RFC 7519 §4.1.2";
            return;
        }
        skip(StepId::Subject, u"SKIPPED_SUB_NO_ALLOWLIST");
        return;
    }
    const QString* allowed = sub && sub->isString() ? findText(m_entry->subjects, sub->toString()) : nullptr;
    TraceText code;
    if (!sub)
        code = u"ERR_SUB_MISSING";
    else if (!sub->isString())
        code = u"ERR_SUB_TYPE";
    else if (!allowed)
        code = u"ERR_SUB_NOT_ALLOWED";
    TraceStep& s = add(StepId::Subject, code.isEmpty() ? Verdict::Pass : Verdict::Fail,
                       code.isEmpty() ? TraceText(u"OK_SUB") : code);
    if (allowed)
        s.arg1 = policyText(*allowed);
    else if (sub && sub->isString())
        s.arg1 = keep(displayValue(sub->toString()));
    s.untrusted = untrusted;
}

void Run::requiredClaims(bool untrusted)
{
    // jti has no step of its own; RFC 7519 §4.1.7 makes it a string, so a present jti of another
    // type fails here, with the other registered claims' type checks done by their own steps.
    if (const json::Value* jti = m_c[Members::Jti]; jti && !jti->isString()) {
        TraceStep& s = add(StepId::RequiredClaims, Verdict::Fail, u"ERR_JTI_TYPE");
        s.arg2 = jsonTypeName(*jti);
        s.untrusted = untrusted;
        s.ref = u"RFC 7519 §4.1.7";
        return;
    }
    const std::vector<std::string>& required = m_rules.requiredClaims;
    if (required.empty()) {
        add(StepId::RequiredClaims, Verdict::Pass, u"OK_REQUIRED_NONE");
        return;
    }
    QStringList missing; // built only on failure
    for (const std::string& name : required) {
        if (!m_c.has(m_claims, name))
            missing.append(QString::fromStdString(name));
    }
    TraceStep& s = add(StepId::RequiredClaims, missing.isEmpty() ? Verdict::Pass : Verdict::Fail,
                       missing.isEmpty() ? TraceText(u"OK_REQUIRED") : TraceText(u"ERR_CLAIM_MISSING"));
    s.arg1 = missing.isEmpty() ? policyText(m_rules.requiredClaimsText) : keep(missing.join(QStringLiteral(", ")));
    s.untrusted = untrusted;
}

void Run::claims(bool trusted)
{
    const bool untrusted = !trusted;
    // Called one by one rather than through a table, so each call is direct (and may be inlined).
    auto step = [this, untrusted](StepId id, void (Run::*check)(bool)) {
        if (skipRest())
            skip(id, u"SKIPPED_AFTER_FAILURE");
        else
            (this->*check)(untrusted);
    };
    step(StepId::Expiry, &Run::expiry);
    step(StepId::NotBefore, &Run::notBefore);
    step(StepId::IssuedAt, &Run::issuedAt);
    step(StepId::Lifetime, &Run::lifetime);
    step(StepId::Audience, &Run::audience);
    step(StepId::Subject, &Run::subject);
    step(StepId::RequiredClaims, &Run::requiredClaims);
}

// RFC 8693 §4.1: act is an object naming the current actor by sub; nested act is the prior chain.
void delegationStep(Run& run, const policy::Delegation& rules, const json::Value* act, bool untrusted)
{
    if (!act) {
        run.skip(StepId::Delegation, u"SKIPPED_NO_ACT");
        return;
    }
    int chain = 0;
    QString firstActor;
    bool actorsAllowed = true;
    QString offending;
    for (const json::Value* link = act; link; link = link->find("act")) {
        const json::Value* sub = link->isObject() ? link->find("sub") : nullptr;
        if (!sub || !sub->isString() || ++chain > kMaxActChain) {
            run.add(StepId::Delegation, Verdict::Fail, u"ERR_ACT_MALFORMED").untrusted = untrusted;
            return;
        }
        const QString actor = displayValue(sub->toString());
        if (firstActor.isEmpty())
            firstActor = actor;
        if (!rules.allowedActors.isEmpty() && !rules.allowedActors.contains(sub->toQString()) && actorsAllowed) {
            actorsAllowed = false;
            offending = actor;
        }
    }
    TraceStep* s = nullptr;
    if (rules.act == policy::Delegation::Act::Reject) {
        s = &run.add(StepId::Delegation, Verdict::Fail, u"ERR_ACT_REJECTED");
        s->arg1 = run.keep(firstActor);
    } else if (chain > rules.maxChain) {
        s = &run.add(StepId::Delegation, Verdict::Fail, u"ERR_ACT_CHAIN");
        s->num1 = chain;
        s->num2 = rules.maxChain;
    } else if (!actorsAllowed) {
        s = &run.add(StepId::Delegation, Verdict::Fail, u"ERR_ACT_NOT_ALLOWED");
        s->arg1 = run.keep(offending);
    } else {
        s = &run.add(StepId::Delegation, Verdict::Pass, u"OK_ACT");
        s->arg1 = run.keep(firstActor);
        s->num1 = chain;
    }
    s->untrusted = untrusted;
}

bool isNestedJwt(const Members& header)
{
    const json::Value* cty = header[Members::Cty];
    return cty && cty->isString() && sameMediaType(cty->toString(), "JWT");
}

} // namespace

Trace PolicyVerifier::verify(QByteArrayView token, const VerifyOptions& options) const
{
    Trace trace;
    verifyInto(trace, token, nullptr, options);
    return trace;
}

Trace PolicyVerifier::verify(const QByteArray& token, const VerifyOptions& options) const
{
    Trace trace;
    verifyInto(trace, QByteArrayView(token), &token, options);
    return trace;
}

void PolicyVerifier::verifyInto(Trace& trace, QByteArrayView token, const QByteArray* owner,
                                const VerifyOptions& options) const
{
    const Compiled& c = *m_compiled;
    const qint64 size = token.size();
    if (options.keepPolicyAlive)
        trace.keepTextOwner(m_compiled); // the steps view the compiled policy's texts

    // Size bound before any decoding: the largest limit any trust entry allows.
    if (size > c.globalMaxTokenBytes) {
        Run run(trace, nullptr, c.fallback, options.atUnixSeconds, options.stopAtFirstFailure, true);
        if (options.computeFingerprint)
            trace.setFingerprintSource(token.first(std::min<qsizetype>(size, 1 << 20)));
        TraceStep& s = run.add(StepId::Size, Verdict::Fail, u"ERR_TOKEN_TOO_LARGE");
        s.num1 = size;
        s.num2 = c.globalMaxTokenBytes;
        run.skipFrom(StepId::Structure, u"SKIPPED_NOT_DECODED");
        return;
    }

    const token::ParseLimits limits{c.globalMaxTokenBytes, 16};
    auto parsed = token::parseCompact(token, limits, /*requireJsonPayload=*/false);
    const token::CompactToken* t = std::get_if<token::CompactToken>(&parsed);

    // Choose the trust entry from the untrusted iss (or, for a nested JWT, the iss header
    // replicated per RFC 7519 §5.3). It only selects which rules and keys apply.
    const json::Value* claimsObject = t && t->claims ? &*t->claims : nullptr;
    const Members headerMembers = Members::of(t ? &t->header : nullptr);
    const Members claimMembers = Members::of(claimsObject);
    const bool nested = t && isNestedJwt(headerMembers);
    const json::Value* iss = nested ? headerMembers[Members::Iss] : claimMembers[Members::Iss];
    const CompiledIssuer* entry = nullptr;
    if (iss && iss->isString()) {
        const auto it = c.byIssuer.find(iss->toString());
        if (it != c.byIssuer.end())
            entry = &c.issuers[it->second];
    }
    Run run(trace, entry, entry ? *entry : c.fallback, options.atUnixSeconds, options.stopAtFirstFailure, true);
    run.useMembers(headerMembers, claimMembers, claimsObject);
    if (options.computeFingerprint && owner)
        trace.setFingerprintSource(*owner);
    else if (options.computeFingerprint)
        trace.setFingerprintSource(token);

    const qint64 sizeLimit = entry ? entry->rules.maxTokenBytes : c.fallback.rules.maxTokenBytes;
    {
        const bool within = size <= sizeLimit;
        TraceStep& s = run.add(StepId::Size, within ? Verdict::Pass : Verdict::Fail,
                               within ? TraceText(u"OK_SIZE") : TraceText(u"ERR_TOKEN_TOO_LARGE_FOR_ISSUER"));
        s.num1 = size;
        s.num2 = sizeLimit;
    }

    if (!t) {
        const auto& failure = std::get<token::ParseFailure>(parsed);
        TraceStep& s = run.add(StepId::Structure, Verdict::Fail, run.keep(failure.error.code));
        s.arg1 = run.keep(failure.error.location.isEmpty()
                              ? failure.error.message
                              : failure.error.location + QStringLiteral(": ") + failure.error.message);
        run.skipFrom(StepId::Header, u"SKIPPED_NOT_DECODED");
        trace.accepted = false;
        return;
    }
    if (!nested && !t->claims) {
        TraceStep& s = run.add(StepId::Structure, Verdict::Fail, u"ERR_TOKEN_PAYLOAD_JSON");
        s.arg1 = t->claimsError ? run.keep(t->claimsError->message) : TraceText(u"the payload is not a JSON object");
        run.skipFrom(StepId::Header, u"SKIPPED_NOT_DECODED");
        trace.accepted = false;
        return;
    }
    run.add(StepId::Structure, Verdict::Pass, u"OK_STRUCTURE");

    auto guarded = [&run](StepId id, auto&& fn) {
        if (run.skipRest())
            run.skip(id, u"SKIPPED_AFTER_FAILURE");
        else
            fn();
    };
    guarded(StepId::Header, [&] { run.header(t->header); });
    guarded(StepId::Type, [&] { run.type(); });
    Algorithm alg = Algorithm::Unsupported;
    bool algOk = false;
    guarded(StepId::Algorithm, [&] { algOk = run.algorithm(alg); });
    guarded(StepId::Issuer, [&] { run.issuer(iss, nested); });

    bool signatureOk = false;
    if (run.skipRest()) {
        run.skip(StepId::Key, u"SKIPPED_AFTER_FAILURE");
        run.skip(StepId::Signature, u"SKIPPED_AFTER_FAILURE");
    } else if (!algOk) {
        run.skip(StepId::Key, u"SKIPPED_KEY_ALG");
        run.skip(StepId::Signature, u"SKIPPED_KEY_ALG");
    } else if (!entry) {
        run.skip(StepId::Key, u"SKIPPED_KEY_ISSUER");
        run.skip(StepId::Signature, u"SKIPPED_KEY_ISSUER");
    } else {
        const Candidates<CompiledKey> candidates = run.key(alg);
        if (candidates.empty())
            run.skip(StepId::Signature, u"SKIPPED_SIGNATURE_KEY");
        else if (run.skipRest())
            run.skip(StepId::Signature, u"SKIPPED_AFTER_FAILURE");
        else
            signatureOk = verifyWithCandidates(run, candidates, alg, *t);
    }

    if (nested) {
        for (StepId id : {StepId::Expiry, StepId::NotBefore, StepId::IssuedAt, StepId::Lifetime, StepId::Audience,
                          StepId::Subject, StepId::RequiredClaims, StepId::Delegation})
            run.skip(id, u"SKIPPED_NO_CLAIMS");
        const policy::Delegation& d = c.policy.delegation;
        if (d.nested == policy::Delegation::Nested::Reject) {
            run.add(StepId::Nested, Verdict::Fail, u"ERR_NESTED_REJECTED");
        } else if (options.nestedDepth + 1 > d.maxNestedDepth) {
            TraceStep& s = run.add(StepId::Nested, Verdict::Fail, u"ERR_NESTED_DEPTH");
            s.num1 = options.nestedDepth + 1;
            s.num2 = d.maxNestedDepth;
        } else {
            VerifyOptions inner = options;
            inner.nestedDepth = options.nestedDepth + 1;
            auto innerTrace = std::make_shared<Trace>(verify(t->payloadBytes(), inner));
            if (innerTrace->accepted) {
                run.add(StepId::Nested, Verdict::Pass, u"OK_NESTED").num1 = inner.nestedDepth;
            } else {
                const TraceStep* f = innerTrace->firstFailure();
                run.add(StepId::Nested, Verdict::Fail, u"ERR_NESTED_INNER").arg1 =
                    f ? run.keep(stepIdName(f->id)) : TraceText(u"unknown");
            }
            trace.nested = std::move(innerTrace);
        }
    } else {
        run.claims(signatureOk);
        guarded(StepId::Delegation, [&] { delegationStep(run, c.policy.delegation, claimMembers[Members::Act], !signatureOk); });
        run.skip(StepId::Nested, u"SKIPPED_NOT_NESTED");
    }

    trace.accepted = !run.failed();
}

namespace {

void verifySignatureOnlyInto(Trace& trace, QByteArrayView token, const QList<keys::Key>& keyList,
                             std::optional<Algorithm> pinned, qint64 maxTokenBytes)
{
    CompiledIssuer rules; // no policy: only structural rules apply
    Run run(trace, nullptr, rules, 0, false, false);
    trace.setFingerprintSource(token.first(std::min<qsizetype>(token.size(), maxTokenBytes)));
    const StepId jwsSteps[] = {StepId::Structure, StepId::Header, StepId::Algorithm, StepId::Key, StepId::Signature};
    auto skipJwsFrom = [&run, &jwsSteps](StepId first) {
        for (StepId id : jwsSteps) {
            if (id >= first)
                run.skip(id, u"SKIPPED_NOT_DECODED");
        }
    };

    {
        const bool within = token.size() <= maxTokenBytes;
        TraceStep& s = run.add(StepId::Size, within ? Verdict::Pass : Verdict::Fail,
                               within ? TraceText(u"OK_SIZE") : TraceText(u"ERR_TOKEN_TOO_LARGE"));
        s.num1 = token.size();
        s.num2 = maxTokenBytes;
        if (!within) {
            skipJwsFrom(StepId::Structure);
            return;
        }
    }
    auto parsed = token::parseCompact(token, token::ParseLimits{maxTokenBytes, 16}, /*requireJsonPayload=*/false);
    const token::CompactToken* t = std::get_if<token::CompactToken>(&parsed);
    if (!t) {
        const auto& failure = std::get<token::ParseFailure>(parsed);
        TraceStep& s = run.add(StepId::Structure, Verdict::Fail, run.keep(failure.error.code));
        s.arg1 = run.keep(failure.error.message);
        skipJwsFrom(StepId::Header);
        return;
    }
    run.add(StepId::Structure, Verdict::Pass, u"OK_STRUCTURE_JWS");

    // Header: crit and b64 as under a policy; every other member is tolerated, but key selectors are
    // reported as ignored.
    const json::Value& header = t->header;
    if (header.find("crit") || (header.find("b64") && !(header.find("b64")->isBool() && header.find("b64")->toBool()))) {
        Trace probeTrace;
        bool probeFailed = false;
        {
            Run probe(probeTrace, nullptr, rules, 0, false, false);
            probe.useMembers(Members::of(&header), {});
            probe.header(header);
            probeFailed = probe.failed();
        }
        run.appendFirstOf(probeTrace); // the one step the probe wrote
        if (probeFailed)
            run.add(StepId::Algorithm, Verdict::Skipped, u"SKIPPED_AFTER_FAILURE");
    }
    if (!run.step(StepId::Header)) {
        QString selector;
        for (const auto& [name, value] : header.members()) {
            if (isKeySelector(name))
                selector = QString::fromUtf8(name);
        }
        if (!selector.isEmpty()) {
            TraceStep& s = run.add(StepId::Header, Verdict::Warning, u"WARN_HEADER_KEY_SELECTOR_IGNORED");
            s.arg1 = run.keep(selector);
            s.ref = u"RFC 8725 §3.10";
        } else {
            run.add(StepId::Header, Verdict::Pass, u"OK_HEADER").arg1 = u"all";
        }
    }

    Algorithm alg = Algorithm::Unsupported;
    bool algOk = false;
    if (!run.step(StepId::Algorithm)) {
        if (pinned)
            rules.pinned.insert(*pinned);
        else if (const json::Value* a = header.find("alg"); a && a->isString())
            rules.pinned.insert(crypto::algorithmFromName(a->toQString())); // any implemented alg but "none"
        rules.rules.algorithms = pinned ? QStringList{crypto::algorithmName(*pinned)} : QStringList{};
        rules.pinnedText = rules.rules.algorithms.join(QStringLiteral(", ")); // named when alg is not pinned
        Trace algTrace;
        {
            Run algRun(algTrace, nullptr, rules, 0, false, false);
            algRun.useMembers(Members::of(&header), {});
            algOk = algRun.algorithm(alg);
        }
        run.appendFirstOf(algTrace); // the one step the sub-run wrote
        if (!algOk)
            run.add(StepId::Key, Verdict::Skipped, u"SKIPPED_KEY_ALG");
    }
    // RFC 8725 §3.1: with no pin, a set of secrets and public keys lets the token's alg decide
    // whether a public key's bytes become an HMAC secret. Refused whatever the token claims.
    const bool mixedSet =
        std::any_of(keyList.begin(), keyList.end(), [](const keys::Key& k) { return k.type == keys::KeyType::Oct; })
        && std::any_of(keyList.begin(), keyList.end(), [](const keys::Key& k) { return k.type != keys::KeyType::Oct; });
    if (algOk && !pinned && mixedSet) {
        TraceStep& s = run.add(StepId::Key, Verdict::Fail, u"ERR_KEY_SET_MIXED");
        s.ref = u"RFC 8725 §3.1";
        run.skip(StepId::Signature, u"SKIPPED_SIGNATURE_KEY");
    } else if (algOk) {
        Candidates<keys::Key> candidates;
        const json::Value* kid = header.find("kid");
        const bool anyKeyHasKid = std::any_of(keyList.begin(), keyList.end(), [](const keys::Key& k) { return !k.kid.isEmpty(); });
        QString why;
        for (const keys::Key& k : keyList) {
            const bool kidMatches = !kid || !kid->isString() || !anyKeyHasKid || k.kid == kid->toQString();
            if (kidMatches && k.usableWith(alg, &why))
                candidates.push_back(&k);
        }
        if (candidates.empty()) {
            TraceStep& s = run.add(StepId::Key, Verdict::Fail,
                                   keyList.isEmpty() ? TraceText(u"ERR_KEY_NO_KEYS")
                                   : why.isEmpty()   ? TraceText(u"ERR_KEY_UNKNOWN_KID")
                                                     : TraceText(u"ERR_KEY_UNUSABLE"));
            s.arg1 = kid && kid->isString() ? run.keep(displayValue(kid->toString())) : TraceText(u"(no kid)");
            s.arg2 = run.keep(crypto::algorithmName(alg) + QStringLiteral(": ") + why);
            run.skip(StepId::Signature, u"SKIPPED_SIGNATURE_KEY");
        } else {
            TraceStep& s = run.add(StepId::Key, Verdict::Pass, candidates.size() == 1 ? TraceText(u"OK_KEY")
                                                                                       : TraceText(u"OK_KEY_CANDIDATES"));
            s.arg1 = candidates.size() == 1 ? labelOf(run, candidates.front())
                                            : algorithmText(alg);
            s.arg2 = run.keep(candidates.front()->description());
            s.num1 = static_cast<qint64>(candidates.size());
            verifyWithCandidates(run, candidates, alg, *t);
        }
    } else if (!run.step(StepId::Key)) {
        run.skip(StepId::Key, u"SKIPPED_KEY_ALG");
    }
    if (!run.step(StepId::Signature))
        run.skip(StepId::Signature, u"SKIPPED_KEY_ALG");
    trace.accepted = !run.failed();
}

} // namespace

Trace verifySignatureOnly(QByteArrayView token, const QList<keys::Key>& keyList, std::optional<Algorithm> pinned,
                          qint64 maxTokenBytes)
{
    Trace trace;
    verifySignatureOnlyInto(trace, token, keyList, pinned, maxTokenBytes);
    return trace;
}

} // namespace jwb::verify
