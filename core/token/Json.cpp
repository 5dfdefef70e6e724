// SPDX-License-Identifier: Apache-2.0
// Strict RFC 8259 reader. Iterative (an explicit stack of open containers) so hostile nesting can never
// exhaust the call stack, whatever depth limit a caller chooses.
#include "token/Json.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jwb::json {

namespace {

constexpr auto kSyntax = "ERR_JSON_SYNTAX";
constexpr auto kDuplicate = "ERR_JSON_DUPLICATE_MEMBER";
constexpr auto kUtf8 = "ERR_JSON_UTF8";
constexpr auto kDepth = "ERR_JSON_DEPTH";
constexpr auto kTooLarge = "ERR_JSON_TOO_LARGE";

// Objects up to this many members are checked for duplicate names as each name is read (a linear
// scan, cheapest for JOSE-sized objects). Larger objects are checked once at '}' by sorting, so a
// hostile object with thousands of members costs O(n log n), not O(n^2).
constexpr std::size_t kLinearDuplicateCheck = 32;

// Bytes a string can copy verbatim: printable ASCII except '"' and '\\'.
constexpr std::array<bool, 256> makePlainTable()
{
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
        t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return t;
}
constexpr std::array<bool, 256> kPlain = makePlainTable();

// Skips bytes a string can copy verbatim, sixteen or eight at a time while no byte in the block needs
// attention (a control, '"', '\\' or a non-ASCII byte); claims are mostly long plain runs such as URLs.
// The first special byte is found from the mask without a byte-by-byte rescan. This reads the caller's
// input, not the parser's fresh copy of it: loads from bytes just stored at other offsets stall.
const char* skipPlain(const char* p, const char* end)
{
#if defined(__SSE2__)
    // Signed bytes: one compare with 0x20 flags both the controls and every non-ASCII byte (negative).
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const auto quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
        const auto others = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmplt_epi8(v, space))));
        // The usual end: the closing quote with nothing to attend to before it. Tested apart (a
        // predicted branch), the other compares stay off the path the parser's next read waits for.
        if (quotes && !(others & ((quotes & (0U - quotes)) - 1)))
            return p + std::countr_zero(quotes);
        if (quotes | others)
            return p + std::countr_zero(quotes | others);
        p += 16;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        // The borrow tricks only err above a true hit, so the lowest flagged byte of a word is exact.
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
        auto hasZeroByte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, sizeof w);
            const std::uint64_t special = (w & kHigh)              // non-ASCII
                | ((w - kOnes * 0x20) & ~w & kHigh)                // below 0x20 (exact when no high bit)
                | hasZeroByte(w ^ (kOnes * '"')) | hasZeroByte(w ^ (kOnes * '\\'));
            if (special)
                return p + (std::countr_zero(special) >> 3);
            p += 8;
        }
    }
    while (p < end && kPlain[static_cast<unsigned char>(*p)])
        ++p;
    return p;
}

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Value of 8 ASCII digits in one go (little-endian load: the first digit is the lowest byte): adjacent
// digits are combined pairwise, then into fours, then eights, each step one multiply. A digit-by-digit
// loop is a chain of dependent multiply-adds, and every claim timestamp has ten digits.
std::uint64_t eightDigits(std::uint64_t v)
{
    v = ((v & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;               // 10 * 2^8 + 1
    v = ((v & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;           // 100 * 2^16 + 1
    return ((v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32; // 10000 * 2^32 + 1
}

// Skips the decimal digits from p and adds their value to `value` (which wraps past 19 digits: a
// caller uses it only for shorter runs). Eight bytes are tested at a time while eight can be read; the
// digits of a partial word are shifted to its top, where the zero bytes below them read as leading
// zeros, so a word costs one conversion whatever its length.
const char* scanDigits(const char* p, const char* end, std::uint64_t& value)
{
    static constexpr std::uint64_t kPow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    std::uint64_t v = value;
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, sizeof w);
            // A byte is a digit when w ^ '0' is below 10: adding 0x76 sets its high bit otherwise, and
            // a carry only leaves a byte that is already flagged, so the lowest flag is exact.
            const std::uint64_t t = w ^ (kOnes * '0');
            const std::uint64_t nonDigit = (t | (t + kOnes * 0x76)) & (kOnes * 0x80);
            if (!nonDigit) {
                v = v * 100000000 + eightDigits(w);
                p += 8;
                continue;
            }
            const int count = std::countr_zero(nonDigit) >> 3;
            if (count)
                v = v * kPow10[count] + eightDigits(w << (64 - 8 * count));
            value = v;
            return p + count;
        }
    }
    for (; p < end && isDigit(*p); ++p)
        v = v * 10 + static_cast<unsigned>(*p - '0');
    value = v;
    return p;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Writes cp as UTF-8 at out; returns the end of what was written.
char* putUtf8(char* out, char32_t cp)
{
    if (cp < 0x80) {
        *out++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *out++ = static_cast<char>(0xC0 | (cp >> 6));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = static_cast<char>(0xE0 | (cp >> 12));
        *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *out++ = static_cast<char>(0xF0 | (cp >> 18));
        *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

// Length of the well-formed UTF-8 sequence starting at p (Unicode 15, table 3-7), or 0 when it is
// ill-formed: stray continuation bytes, overlong forms, UTF-8-encoded surrogates, code points above
// U+10FFFF and truncated sequences are all refused.
int utf8SequenceLength(const unsigned char* p, const unsigned char* end)
{
    const unsigned char b0 = p[0];
    const auto avail = end - p;
    auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF)
        return avail >= 2 && cont(p[1]) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (avail < 3)
            return 0;
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (avail < 4)
            return 0;
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
    }
    return 0;
}

// A member name fit for an error message: bounded, control characters replaced.
QString displayName(std::string_view name)
{
    constexpr std::size_t kMax = 64;
    std::string shown;
    shown.reserve(std::min(name.size(), kMax) + 3);
    for (std::size_t i = 0; i < name.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        shown.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
    }
    if (name.size() > kMax)
        shown += "...";
    return QString::fromUtf8(shown);
}

// A member name's length and first bytes in one word. Equal names have equal tags, and a name of up to
// kTagBytes bytes is its tag, so the duplicate check reads one word per earlier member and compares
// strings only when a longer name shares the tag.
constexpr std::size_t kTagBytes = 7;

// `readable` is how many bytes from key.data() may be read (at least key.size()): with 8 or more the
// bytes come in one load.
std::uint64_t keyTag(std::string_view key, std::size_t readable)
{
    const std::size_t n = std::min(key.size(), kTagBytes);
    std::uint64_t bytes = 0;
    if (std::endian::native == std::endian::little && readable >= 8) {
        std::memcpy(&bytes, key.data(), sizeof bytes);
        bytes &= (std::uint64_t{1} << (8 * n)) - 1;
    } else {
        for (std::size_t i = 0; i < n; ++i)
            bytes |= static_cast<std::uint64_t>(static_cast<unsigned char>(key[i])) << (8 * i);
    }
    return bytes | static_cast<std::uint64_t>(std::min<std::size_t>(key.size(), 0xFF)) << 56;
}

} // namespace

namespace detail {

// One block of a document's arena. Blocks are chained newest first; the root Value frees the chain.
struct Arena {
    Arena* previous = nullptr;
    std::size_t capacity = 0;
    std::size_t used = 0;
    std::size_t reserved = 0; // keeps the header a multiple of the strictest alignment
    char* data() { return reinterpret_cast<char*>(this + 1); }
};
static_assert(sizeof(Arena) % alignof(std::max_align_t) == 0);
static_assert(sizeof(void*) != 8 || sizeof(Value) == 32, "a Value is meant to stay 32 bytes on 64-bit targets");

// Recently released one-block arenas, kept per thread for the next documents. Decoding a token builds
// two (its header and payload) and frees both when the token goes, so over a stream of tokens the blocks
// come from here instead of the allocator. Not under AddressSanitizer: it must see a view that outlives
// its root as a use after free.
#if defined(__SANITIZE_ADDRESS__)
#define JWB_JSON_SPARE_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JWB_JSON_SPARE_BLOCKS 0
#endif
#endif
#ifndef JWB_JSON_SPARE_BLOCKS
#define JWB_JSON_SPARE_BLOCKS 1
#endif
constexpr std::size_t kSpareBlocks = 2;
constexpr std::size_t kSpareMaxCapacity = 4096; // a larger block goes back to the allocator
// First blocks are sized in these steps, so a spare fits the next document of about the same size.
constexpr std::size_t kBlockGranule = 128;

// Plain pointers and a flag: these need no guard on access and stay valid during thread exit.
thread_local Arena* t_spares[kSpareBlocks] = {};
thread_local bool t_sparesClosed = false;

struct SpareReleaser {
    SpareReleaser() = default;
    Q_DISABLE_COPY_MOVE(SpareReleaser)
    ~SpareReleaser()
    {
        t_sparesClosed = true; // from here on, a released block is freed at once
        for (Arena*& spare : t_spares) {
            ::operator delete(spare);
            spare = nullptr;
        }
    }
};

// The smallest spare of at least `capacity` bytes, now owned by the caller; nullptr when none fits.
Arena* takeSpare(std::size_t capacity) noexcept
{
    Arena** best = nullptr;
    for (Arena*& spare : t_spares) {
        if (spare && spare->capacity >= capacity && (!best || spare->capacity < (*best)->capacity))
            best = &spare;
    }
    return best ? std::exchange(*best, nullptr) : nullptr;
}

// Keeps a released one-block arena for reuse; false when it must be freed.
bool keepSpare(Arena* block) noexcept
{
    if (!JWB_JSON_SPARE_BLOCKS || t_sparesClosed || block->previous || block->capacity > kSpareMaxCapacity)
        return false;
    for (Arena*& spare : t_spares) {
        if (!spare) {
            thread_local SpareReleaser releaser; // frees the spares when the thread ends
            spare = block;
            return true;
        }
    }
    return false;
}

void releaseArena(Arena* arena) noexcept
{
    if (arena && keepSpare(arena))
        return;
    while (arena) {
        Arena* previous = arena->previous;
        arena->~Arena();
        ::operator delete(arena);
        arena = previous;
    }
}

// Fills an arena: bump allocation in the newest block, a new block (at least twice as large) when it
// is full. Sized well, a document takes one block. Nothing placed here is ever destroyed one by one:
// Values in an arena own nothing (their m_arena is null), names and texts are plain bytes.
class Builder final {
public:
    explicit Builder(std::size_t expectedBytes) : m_head(newBlock(expectedBytes, nullptr)) {}
    ~Builder() { releaseArena(m_head); }
    Q_DISABLE_COPY_MOVE(Builder)

    void* allocate(std::size_t bytes, std::size_t alignment)
    {
        std::size_t at = (m_head->used + alignment - 1) & ~(alignment - 1);
        if (at + bytes > m_head->capacity) {
            m_head = newBlock(std::max(bytes, 2 * m_head->capacity), m_head);
            at = 0;
        }
        m_head->used = at + bytes;
        return m_head->data() + at;
    }
    const char* text(std::string_view t)
    {
        if (t.empty())
            return nullptr;
        char* out = static_cast<char*>(allocate(t.size(), 1));
        std::memcpy(out, t.data(), t.size());
        return out;
    }
    Value* values(std::size_t count)
    {
        auto* out = static_cast<Value*>(allocate(count * sizeof(Value), alignof(Value)));
        for (std::size_t i = 0; i < count; ++i)
            new (out + i) Value();
        return out;
    }
    Value::Member* members(std::size_t count)
    {
        auto* out = static_cast<Value::Member*>(allocate(count * sizeof(Value::Member), alignof(Value::Member)));
        for (std::size_t i = 0; i < count; ++i)
            new (out + i) Value::Member();
        return out;
    }
    // The blocks, now owned by the caller (a root Value).
    Arena* release() { return std::exchange(m_head, nullptr); }

    // Bytes a deep copy takes, alignment included, so one block holds it: of a value, of a list of
    // items, of a list of members (parsed Members or the Entries given to Value::object).
    static std::size_t footprint(const Value& v)
    {
        if (v.m_type == Type::Array)
            return itemsFootprint(v.items());
        if (v.m_type == Type::Object)
            return membersFootprint(v.members());
        return v.hasText() ? v.m_size : 0;
    }
    static std::size_t itemsFootprint(std::span<const Value> items)
    {
        std::size_t bytes = items.size() * sizeof(Value) + alignof(Value);
        for (const Value& item : items)
            bytes += footprint(item);
        return bytes;
    }
    template <typename MemberList>
    static std::size_t membersFootprint(const MemberList& list)
    {
        std::size_t bytes = std::size(list) * sizeof(Value::Member) + alignof(Value::Member);
        for (const auto& [name, member] : list)
            bytes += name.size() + footprint(member);
        return bytes;
    }

    // Copies `in` into `out` (a null Value in this arena or about to own it), children included.
    void copy(Value& out, const Value& in)
    {
        out.m_type = in.m_type;
        out.m_bool = in.m_bool;
        out.m_isInteger = in.m_isInteger;
        out.m_scalar = in.m_scalar;
        out.m_size = in.m_size;
        switch (in.m_type) {
        case Type::Null:
        case Type::Bool: break;
        case Type::Number:
        case Type::String: out.m_data.text = text(in.toString()); break;
        case Type::Array: out.m_data.items = copyItems(in.items()); break;
        case Type::Object: out.m_data.members = copyMembers(in.members()); break;
        }
    }
    const Value* copyItems(std::span<const Value> items)
    {
        Value* copies = values(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            copy(copies[i], items[i]);
        return copies;
    }
    template <typename MemberList>
    const Value::Member* copyMembers(const MemberList& list)
    {
        Value::Member* copies = members(std::size(list));
        std::size_t i = 0;
        for (const auto& [name, member] : list) {
            copies[i].first = std::string_view(text(name), name.size());
            copy(copies[i].second, member);
            ++i;
        }
        return copies;
    }

private:
    static Arena* newBlock(std::size_t capacity, Arena* previous)
    {
        capacity = std::max<std::size_t>(capacity, 64);
        if (!previous) {
            capacity = (capacity + kBlockGranule - 1) / kBlockGranule * kBlockGranule;
            if (Arena* spare = takeSpare(capacity)) {
                spare->used = 0;
                return spare;
            }
        }
        void* memory = ::operator new(sizeof(Arena) + capacity);
        Arena* block = new (memory) Arena;
        block->previous = previous;
        block->capacity = capacity;
        return block;
    }

    Arena* m_head;
};

// A finished value whose container is still open: the fields of its Value, written once where the
// value is read. Texts already point to their final place (the arena's copy of the input), so when the
// container closes each Value is a plain field copy into its exactly sized block. Kept small and
// trivial: one is written for every value.
struct Slot {
    Type type = Type::Null;
    bool boolean = false;
    bool isInteger = false;
    std::uint32_t size = 0; // bytes of text, or count of items or members
    union {
        double number = 0; // Type::Number unless isInteger
        long long integer; // Type::Number when isInteger
    };
    const void* data = nullptr; // text (String, Number), Values (Array) or Members (Object) in the arena
};

// A member name read in an object that is still open. The tag comes first: the duplicate check reads
// only it for names that differ.
struct KeySlot {
    std::uint64_t tag = 0; // keyTag() of the name
    const char* text = nullptr;
    std::uint32_t size = 0;
    std::uint32_t offset = 0; // byte offset of its opening quote, for a duplicate found when the object closes
    std::string_view name() const { return std::string_view(text, size); }
};

// One open array or object. Its values are on Scratch::values from `valueBase` on and, for an object,
// its names on Scratch::keys from `keyBase` on.
struct Frame {
    bool isObject = false;
    std::size_t valueBase = 0;
    std::size_t keyBase = 0;
};

// A stack of trivial entries, reused from parse to parse. Leaner than std::vector on the paths every
// value takes: a push is one predicted check, and emptying or shrinking it is one store.
template <typename T>
class Stack final {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    Stack() = default;
    ~Stack() { ::operator delete(m_data); }
    Q_DISABLE_COPY_MOVE(Stack)

    T& emplace_back() { return *new (&pushUninitialized()) T(); }
    // A new entry whose every field the caller writes (until then it holds whatever was there).
    T& pushUninitialized()
    {
        if (m_size == m_capacity) [[unlikely]]
            grow();
        return m_data[m_size++];
    }
    T& back() { return m_data[m_size - 1]; }
    void pop_back() { --m_size; }
    void resize(std::size_t size) { m_size = size; } // never grows: drops the entries from `size` on
    void clear() { m_size = 0; }
    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }
    // Gives the memory back (the stack must be empty).
    void release()
    {
        ::operator delete(std::exchange(m_data, nullptr));
        m_capacity = 0;
    }

private:
    Q_NEVER_INLINE void grow()
    {
        const std::size_t capacity = std::max<std::size_t>(16, 2 * m_capacity);
        T* data = static_cast<T*>(::operator new(capacity * sizeof(T)));
        if (m_size)
            std::memcpy(static_cast<void*>(data), m_data, m_size * sizeof(T));
        ::operator delete(m_data);
        m_data = data;
        m_capacity = capacity;
    }

    T* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

// Per-thread working memory, reused from parse to parse so a typical token allocates only the arena
// of the values it returns.
struct Scratch {
    Stack<Frame> frames;
    Stack<Slot> values;
    Stack<KeySlot> keys;
};

// Bytes after the arena's copy of the input, so a name's tag is always one 8-byte load.
constexpr std::size_t kCopyPadding = 8;

class Parser final {
public:
    Parser(QByteArrayView text, const Limits& limits, Scratch& scratch)
        : m_p(text.data()), m_begin(text.data()), m_end(text.data() + text.size()), m_limits(limits),
          m_s(scratch), m_arena(expectedArenaBytes(text.size()))
    {
    }
    ~Parser()
    {
        // Nothing of this document stays behind (an error leaves entries on the stacks), and a huge
        // document does not pin its working memory to the thread.
        constexpr std::size_t kKeep = 256;
        m_s.frames.clear();
        m_s.values.clear();
        m_s.keys.clear();
        if (m_s.values.capacity() > kKeep)
            m_s.values.release();
        if (m_s.keys.capacity() > kKeep)
            m_s.keys.release();
        if (m_s.frames.capacity() > kKeep)
            m_s.frames.release();
    }
    Q_DISABLE_COPY_MOVE(Parser)

    // Parses the text into `document` (a null Value), or returns why it cannot.
    std::optional<Error> run(Value& document);

private:
    Error fail(const char* code, const QString& message, qsizetype offset) const
    {
        return Error{QLatin1String(code), message, QStringLiteral("byte %1").arg(offset)};
    }
    Error failHere(const char* code, const QString& message) const { return fail(code, message, offset()); }
    Error failAt(const char* at, const char* code, const QString& message) const
    {
        return fail(code, message, at - m_begin);
    }
    qsizetype offset() const { return m_p - m_begin; }

    const char* skipWhitespace(const char* p) const
    {
        // Every whitespace byte is at most ' ': one compare settles the usual case (a token has none).
        while (p < m_end && static_cast<unsigned char>(*p) <= ' ' && isWhitespace(*p))
            ++p;
        return p;
    }
    // A first arena block that holds a typical document whole: a copy of the input (which strings and
    // numbers then point into) plus its values. A token's claims take about three times their text,
    // which keeps a typical payload's block within the allocator's per-thread cache (about 1 KB).
    // Denser documents (many short values) chain more blocks.
    static std::size_t expectedArenaBytes(qsizetype inputBytes)
    {
        return 3 * static_cast<std::size_t>(inputBytes) + 128;
    }
    // Where the input byte at `at` is in the arena's copy.
    const char* inCopy(const char* at) const { return m_copy + (at - m_begin); }
    // The hot paths (run, readKey, scanString) keep the read position in a local `p` the compiler can
    // hold in a register; m_p carries it into and out of the cold or bulky helpers that use it.
    bool scanString(const char*& p, const char*& text, std::uint32_t& size, std::optional<Error>& error)
    {
        // p is at the opening quote. Most strings (and nearly every member name) hold no escape and no
        // non-ASCII byte: their text is where it stands in the copy of the input. This path is inline;
        // the rare rest is not, so it costs the callers no registers.
        const char* run = p + 1;
        const char* q = skipPlain(run, m_end);
        if (q < m_end && *q == '"') {
            text = inCopy(run);
            size = static_cast<std::uint32_t>(q - run); // within the input's bound
            p = q + 1;
            return true;
        }
        m_p = q;
        const bool ok = scanEscapedString(run - 1 - m_begin, run, text, size, error);
        p = m_p;
        return ok;
    }
    Q_NEVER_INLINE bool scanEscapedString(qsizetype start, const char* run, const char*& text,
                                          std::uint32_t& size, std::optional<Error>& error);
    // The usual number in a token, inline: an integer of at most 18 digits (a timestamp), which
    // always fits in 64 bits. False, with nothing consumed or written, for anything else (a fraction,
    // an exponent, a longer number, an error): parseNumber reads it from the start.
    bool readInteger(const char*& p, Slot& out) const
    {
        const char* q = p;
        const bool negative = *q == '-';
        if (negative)
            ++q;
        if (q >= m_end || !isDigit(*q))
            return false;
        const char* intStart = q;
        std::uint64_t value = 0;
        if (*q == '0')
            ++q;
        else
            q = scanDigits(q, m_end, value);
        if (q - intStart > 18 || (q < m_end && (isDigit(*q) || *q == '.' || *q == 'e' || *q == 'E')))
            return false;
        out.data = inCopy(p);
        out.size = static_cast<std::uint32_t>(q - p); // within the input's bound
        out.isInteger = true;
        const auto v = static_cast<long long>(value);
        out.integer = negative ? -v : v;
        p = q;
        return true;
    }
    bool parseNumber(Slot& out, std::optional<Error>& error);
    bool parseLiteral(Slot& out, std::optional<Error>& error);
    Q_ALWAYS_INLINE bool readKey(const char*& p, std::optional<Error>& error);
    Q_NEVER_INLINE std::optional<Error> checkLargeObject(const Frame& frame) const;
    void closeContainer();
    static void materialize(const Slot& slot, Value& out)
    {
        out.m_type = slot.type;
        out.m_bool = slot.boolean;
        out.m_isInteger = slot.isInteger;
        out.m_size = slot.size;
        if (slot.isInteger)
            out.m_scalar.integer = slot.integer;
        else
            out.m_scalar.number = slot.number;
        out.m_data.text = static_cast<const char*>(slot.data); // the union's members are all pointers
    }
    // A value on the stack; its other fields are set by the caller.
    Slot& pushValue(Type type)
    {
        Slot& s = m_s.values.emplace_back();
        s.type = type;
        return s;
    }

    const char* m_p;
    const char* m_begin;
    const char* m_end;
    const Limits& m_limits;
    Scratch& m_s;
    Builder m_arena;           // the document's values; handed to its root on success
    char* m_copy = nullptr;    // the input, copied into the arena before parsing (kCopyPadding more bytes)
};

// The rest of a string whose plain start [run, m_p) has been skipped. The decoded text is written over
// the string's own bytes in the arena's copy of the input: decoding never lengthens a text (an escape
// or a UTF-8 sequence is at least as long as what it stands for), so it always fits where it was.
bool Parser::scanEscapedString(qsizetype start, const char* run, const char*& text, std::uint32_t& size,
                               std::optional<Error>& error)
{
    char* const decoded = m_copy + (run - m_begin);
    char* w = decoded + (m_p - run); // the plain start is already in place
    while (true) {
        if (m_p >= m_end) {
            error = fail(kSyntax, QStringLiteral("unterminated string"), start);
            return false;
        }
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            ++m_p;
            text = decoded;
            size = static_cast<std::uint32_t>(w - decoded);
            return true;
        }
        if (c < 0x20) {
            error = failHere(kSyntax, QStringLiteral("unescaped control character in string"));
            return false;
        }
        if (c >= 0x80) {
            const int len = utf8SequenceLength(reinterpret_cast<const unsigned char*>(m_p),
                                               reinterpret_cast<const unsigned char*>(m_end));
            if (len == 0) {
                error = failHere(kUtf8, QStringLiteral("invalid UTF-8 in string"));
                return false;
            }
            std::memcpy(w, m_p, static_cast<std::size_t>(len));
            w += len;
            m_p += len;
        } else if (m_end - m_p < 2) { // backslash escape from here on
            error = fail(kSyntax, QStringLiteral("unterminated string"), start);
            return false;
        } else if (m_p[1] != 'u') {
            char unescaped = 0;
            switch (m_p[1]) {
            case '"': unescaped = '"'; break;
            case '\\': unescaped = '\\'; break;
            case '/': unescaped = '/'; break;
            case 'b': unescaped = '\b'; break;
            case 'f': unescaped = '\f'; break;
            case 'n': unescaped = '\n'; break;
            case 'r': unescaped = '\r'; break;
            case 't': unescaped = '\t'; break;
            default:
                error = failHere(kSyntax, QStringLiteral("invalid escape sequence in string"));
                return false;
            }
            *w++ = unescaped;
            m_p += 2;
        } else {
            auto readHex4 = [this](const char* at) -> int {
                if (m_end - at < 4)
                    return -1;
                int v = 0;
                for (int i = 0; i < 4; ++i) {
                    const int h = hexValue(at[i]);
                    if (h < 0)
                        return -1;
                    v = v * 16 + h;
                }
                return v;
            };
            const int unit = readHex4(m_p + 2);
            if (unit < 0) {
                error = failHere(kSyntax, QStringLiteral("invalid \\u escape in string"));
                return false;
            }
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                error = failHere(kUtf8, QStringLiteral("lone low surrogate escape in string"));
                return false;
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                // Must be immediately followed by an escaped low surrogate.
                const char* next = m_p + 6;
                const int low = (m_end - next >= 6 && next[0] == '\\' && next[1] == 'u') ? readHex4(next + 2) : -1;
                if (low < 0xDC00 || low > 0xDFFF) {
                    error = failHere(kUtf8, QStringLiteral("lone high surrogate escape in string"));
                    return false;
                }
                const char32_t cp = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10)
                    + (static_cast<char32_t>(low) - 0xDC00);
                w = putUtf8(w, cp);
                m_p += 12;
            } else {
                w = putUtf8(w, static_cast<char32_t>(unit));
                m_p += 6;
            }
        }
        const char* plain = m_p;
        m_p = skipPlain(m_p, m_end);
        std::memcpy(w, plain, static_cast<std::size_t>(m_p - plain)); // from the input: no overlap
        w += m_p - plain;
    }
}

bool Parser::parseNumber(Slot& out, std::optional<Error>& error)
{
    const char* start = m_p;
    const char* p = m_p;
    bool negative = false;
    if (*p == '-') {
        negative = true;
        ++p;
    }
    if (p >= m_end || !isDigit(*p)) {
        error = fail(kSyntax, QStringLiteral("invalid number"), start - m_begin);
        return false;
    }
    const char* intStart = p;
    if (*p == '0') {
        ++p;
        if (p < m_end && isDigit(*p)) {
            error = fail(kSyntax, QStringLiteral("number with a leading zero"), start - m_begin);
            return false;
        }
    } else {
        // readInteger has taken every integer of up to 18 digits: what is left here is rarer (a
        // fraction, an exponent, a longer integer, an error), so plain loops and the library do.
        while (p < m_end && isDigit(*p))
            ++p;
    }
    const auto intDigits = p - intStart;
    out.data = inCopy(start);
    bool integral = true;
    qsizetype fractionLeadingZeros = 0;
    bool fractionAllZero = true;
    if (p < m_end && *p == '.') {
        integral = false;
        ++p;
        if (p >= m_end || !isDigit(*p)) {
            error = fail(kSyntax, QStringLiteral("number with an empty fraction"), start - m_begin);
            return false;
        }
        bool counting = true;
        while (p < m_end && isDigit(*p)) {
            if (*p != '0') {
                counting = false;
                fractionAllZero = false;
            } else if (counting) {
                ++fractionLeadingZeros;
            }
            ++p;
        }
    }
    long long exponent = 0;
    if (p < m_end && (*p == 'e' || *p == 'E')) {
        integral = false;
        ++p;
        bool expNegative = false;
        if (p < m_end && (*p == '+' || *p == '-')) {
            expNegative = *p == '-';
            ++p;
        }
        if (p >= m_end || !isDigit(*p)) {
            error = fail(kSyntax, QStringLiteral("number with an empty exponent"), start - m_begin);
            return false;
        }
        while (p < m_end && isDigit(*p)) {
            if (exponent < 1'000'000'000)
                exponent = exponent * 10 + (*p - '0');
            ++p;
        }
        if (expNegative)
            exponent = -exponent;
    }
    m_p = p;

    out.size = static_cast<std::uint32_t>(p - start);
    if (integral) { // maybe still within 64 bits
        long long v = 0;
        const auto [ptr, ec] = std::from_chars(start, p, v);
        if (ec == std::errc() && ptr == p) {
            out.isInteger = true;
            out.integer = v;
            return true;
        }
    }
    double d = 0;
    const auto [ptr, ec] = std::from_chars(start, p, d);
    if (ec == std::errc::result_out_of_range) {
        // Out of double range: decide between overflow and underflow from the decimal magnitude. The
        // raw text is kept; whoever interprets the claim decides whether such a value is acceptable.
        const bool intIsZero = intDigits == 1 && *intStart == '0';
        long long magnitude = intIsZero ? (fractionAllZero ? std::numeric_limits<int>::min() : -fractionLeadingZeros)
                                        : static_cast<long long>(intDigits);
        magnitude += exponent;
        d = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
        if (negative)
            d = -d;
    } else if (ec != std::errc() || ptr != p) {
        error = fail(kSyntax, QStringLiteral("invalid number"), start - m_begin);
        return false;
    }
    out.number = d;
    return true;
}

bool Parser::parseLiteral(Slot& out, std::optional<Error>& error)
{
    auto matches = [this](std::string_view word) {
        return m_end - m_p >= static_cast<qsizetype>(word.size())
            && std::string_view(m_p, word.size()) == word;
    };
    if (matches("true")) {
        out.type = Type::Bool;
        out.boolean = true;
        m_p += 4;
    } else if (matches("false")) {
        out.type = Type::Bool;
        m_p += 5;
    } else if (matches("null")) {
        m_p += 4;
    } else {
        error = failHere(kSyntax, QStringLiteral("unexpected character"));
        return false;
    }
    return true;
}

std::optional<Error> Parser::checkLargeObject(const Frame& frame) const
{
    const KeySlot* keys = m_s.keys.data() + frame.keyBase;
    const std::size_t count = m_s.keys.size() - frame.keyBase;
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [keys](std::size_t a, std::size_t b) {
        const int c = keys[a].name().compare(keys[b].name());
        return c != 0 ? c < 0 : a < b;
    });
    // Report the earliest-written second occurrence, as the linear check would have.
    std::optional<std::size_t> worst;
    for (std::size_t i = 1; i < order.size(); ++i) {
        if (keys[order[i]].name() == keys[order[i - 1]].name() && (!worst || order[i] < *worst))
            worst = order[i];
    }
    if (!worst)
        return std::nullopt;
    return fail(kDuplicate, QStringLiteral("duplicate member name \"%1\"").arg(displayName(keys[*worst].name())),
                keys[*worst].offset);
}

inline bool Parser::readKey(const char*& p, std::optional<Error>& error)
{
    // p should be at the name's opening quote; the name and its ':' are consumed.
    if (p >= m_end || *p != '"') {
        error = failAt(p, kSyntax, QStringLiteral("expected a member name"));
        return false;
    }
    const auto keyOffset = static_cast<std::uint32_t>(p - m_begin); // within the input's bound
    // Written in place: a KeySlot assembled on the stack and then copied costs a store-forwarding
    // stall per name (its fields are stored separately and reloaded as one wide copy).
    KeySlot& key = m_s.keys.pushUninitialized(); // every field is written below
    const char* run = p + 1;
    auto plain = [](char c) { return kPlain[static_cast<unsigned char>(c)]; };
    if (m_end - run >= 4 && run[3] == '"' && plain(run[0]) && plain(run[1]) && plain(run[2])) {
        // Registered JOSE and JWT names have three letters (alg, kid, iss, exp, ...). Tested for
        // directly, the branch is predicted and the parse goes on at a known offset instead of waiting
        // for the general scan to find the closing quote.
        key.text = inCopy(run);
        key.size = 3;
        p = run + 4;
    } else if (!scanString(p, key.text, key.size, error)) {
        return false;
    }
    key.offset = keyOffset;
    // The tag is read from the input when the name holds no escape (nearly always) and 8 bytes can be
    // read there, not from the copy whose bytes were only just stored (such a load stalls); the copy's
    // padding makes 8 bytes readable in every other case.
    if (m_end - run >= 8 && p - run == static_cast<qsizetype>(key.size) + 1)
        key.tag = keyTag(std::string_view(run, key.size), kTagBytes + 1);
    else
        key.tag = keyTag(key.name(), kTagBytes + 1);
    const std::size_t keyBase = m_s.frames.back().keyBase;
    // Names from index kLinearDuplicateCheck on are checked by sorting when the object closes.
    const KeySlot* earlier = m_s.keys.data() + keyBase;
    const std::size_t count = m_s.keys.size() - 1 - keyBase;
    if (count < kLinearDuplicateCheck) {
        for (std::size_t i = 0; i < count; ++i) {
            if (earlier[i].tag == key.tag && (key.size <= kTagBytes || earlier[i].name() == key.name())) {
                error = fail(kDuplicate, QStringLiteral("duplicate member name \"%1\"").arg(displayName(key.name())),
                             keyOffset);
                return false;
            }
        }
    }
    p = skipWhitespace(p);
    if (p >= m_end || *p != ':') {
        error = failAt(p, kSyntax, QStringLiteral("expected ':' after member name"));
        return false;
    }
    ++p;
    return true;
}

void Parser::closeContainer()
{
    // The container's values are built once, in place in an exactly sized block of the arena; the
    // container itself becomes a pending value of its parent (or the document).
    // Field by field, not as one Frame copy: the frame was stored moments ago, and a wide load of
    // separately stored fields stalls until the stores retire.
    const bool isObject = m_s.frames.back().isObject;
    const std::size_t valueBase = m_s.frames.back().valueBase;
    const std::size_t keyBase = m_s.frames.back().keyBase;
    m_s.frames.pop_back();
    const Slot* values = m_s.values.data() + valueBase;
    const std::size_t count = m_s.values.size() - valueBase;
    const void* children = nullptr;
    if (isObject) {
        auto* members = static_cast<Value::Member*>(
            m_arena.allocate(count * sizeof(Value::Member), alignof(Value::Member)));
        const KeySlot* keys = m_s.keys.data() + keyBase;
        for (std::size_t i = 0; i < count; ++i) {
            Value::Member* member = new (members + i) Value::Member;
            member->first = keys[i].name();
            materialize(values[i], member->second);
        }
        m_s.keys.resize(keyBase);
        children = members;
    } else {
        auto* items = static_cast<Value*>(m_arena.allocate(count * sizeof(Value), alignof(Value)));
        for (std::size_t i = 0; i < count; ++i)
            materialize(values[i], *new (items + i) Value);
        children = items;
    }
    m_s.values.resize(valueBase);
    Slot& closed = pushValue(isObject ? Type::Object : Type::Array);
    closed.size = static_cast<std::uint32_t>(count); // within the input's bound
    closed.data = children;
}

std::optional<Error> Parser::run(Value& document)
{
    const auto inputBytes = static_cast<std::size_t>(m_end - m_begin);
    if (m_end - m_begin > m_limits.maxBytes || inputBytes > std::numeric_limits<std::uint32_t>::max())
        return fail(kTooLarge, QStringLiteral("JSON text of %1 bytes exceeds the limit of %2 bytes")
                                   .arg(m_end - m_begin).arg(m_limits.maxBytes), 0);
    // Nearly every document has a string or a number, and their Values point into this copy.
    m_copy = static_cast<char*>(m_arena.allocate(inputBytes + kCopyPadding, 1));
    if (inputBytes)
        std::memcpy(m_copy, m_begin, inputBytes);
    std::memset(m_copy + inputBytes, 0, kCopyPadding);
    std::optional<Error> error;
    const char* p = m_begin;

    while (true) {
        // Parse one value onto the value stack, or open a container and go round for its first element.
        p = skipWhitespace(p);
        if (p >= m_end)
            return failAt(p, kSyntax, QStringLiteral("unexpected end of input"));
        const char c = *p;
        switch (c) {
        case '{':
        case '[': {
            const bool isObject = c == '{';
            // The bound is enforced before the container exists, so no input can grow the stack past it.
            if (static_cast<qsizetype>(m_s.frames.size()) >= m_limits.maxDepth)
                return failAt(p, kDepth, QStringLiteral("nesting deeper than %1 levels").arg(m_limits.maxDepth));
            Frame& frame = m_s.frames.pushUninitialized(); // fields written in place (see closeContainer)
            frame.isObject = isObject;
            frame.valueBase = m_s.values.size();
            frame.keyBase = m_s.keys.size();
            p = skipWhitespace(p + 1);
            if (p < m_end && *p == (isObject ? '}' : ']')) {
                ++p;
                closeContainer();
                break;
            }
            if (isObject && !readKey(p, error))
                return error;
            continue; // the container's first element
        }
        case '"': {
            Slot& s = pushValue(Type::String);
            const char* text = nullptr;
            if (!scanString(p, text, s.size, error))
                return error;
            s.data = text;
            break;
        }
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9': {
            Slot& s = pushValue(Type::Number);
            if (readInteger(p, s))
                break;
            m_p = p;
            if (!parseNumber(s, error))
                return error;
            p = m_p;
            break;
        }
        default:
            m_p = p;
            if (!parseLiteral(pushValue(Type::Null), error))
                return error;
            p = m_p;
            break;
        }

        // The value is on the stack: read what follows it, closing containers that end here.
        while (true) {
            if (m_s.frames.empty()) {
                p = skipWhitespace(p);
                if (p != m_end)
                    return failAt(p, kSyntax, QStringLiteral("trailing data after the JSON value"));
                materialize(m_s.values.back(), document);
                document.m_arena = m_arena.release();
                return std::nullopt;
            }
            const Frame& frame = m_s.frames.back();
            const bool inObject = frame.isObject;
            p = skipWhitespace(p);
            if (p >= m_end)
                return failAt(p, kSyntax, QStringLiteral("unexpected end of input"));
            const char sep = *p;
            if (sep == ',') {
                ++p;
                if (inObject) {
                    p = skipWhitespace(p);
                    if (!readKey(p, error))
                        return error;
                }
                break; // the next element
            }
            if (sep != (inObject ? '}' : ']')) {
                return failAt(p, kSyntax, inObject ? QStringLiteral("expected ',' or '}'")
                                                   : QStringLiteral("expected ',' or ']'"));
            }
            ++p;
            if (inObject && m_s.keys.size() - frame.keyBase > kLinearDuplicateCheck
                && (error = checkLargeObject(frame)))
                return error;
            closeContainer();
        }
    }
}

} // namespace detail

namespace {

void serializeString(QByteArray& out, std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out.append('"');
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        const char* run = p;
        while (p < end && kPlain[static_cast<unsigned char>(*p)])
            ++p;
        // Non-ASCII UTF-8 is copied unchanged; only quote, backslash and controls need escapes.
        while (p < end && static_cast<unsigned char>(*p) >= 0x80)
            ++p;
        out.append(run, p - run);
        if (p < end && !kPlain[static_cast<unsigned char>(*p)] && static_cast<unsigned char>(*p) < 0x80) {
            const char c = *p++;
            switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\b': out.append("\\b"); break;
            case '\f': out.append("\\f"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default: {
                const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
                out.append(esc, sizeof esc);
            }
            }
        }
    }
    out.append('"');
}

void serializeNumber(QByteArray& out, const Value& v)
{
    if (!v.rawNumber().empty()) {
        out.append(v.rawNumber().data(), static_cast<qsizetype>(v.rawNumber().size()));
        return;
    }
    if (!std::isfinite(v.toDouble())) {
        out.append("null"); // JSON has no infinity
        return;
    }
    char buf[32];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v.toDouble());
    out.append(buf, ec == std::errc() ? ptr - buf : 0);
}

void serializeValue(QByteArray& out, const Value& v)
{
    // Recursion is bounded by the depth of values built in memory; parsed values are bounded by Limits.
    switch (v.type()) {
    case Type::Null: out.append("null"); break;
    case Type::Bool: out.append(v.toBool() ? "true" : "false"); break;
    case Type::Number: serializeNumber(out, v); break;
    case Type::String: serializeString(out, v.toString()); break;
    case Type::Array: {
        out.append('[');
        bool first = true;
        for (const auto& item : v.items()) {
            if (!first)
                out.append(',');
            first = false;
            serializeValue(out, item);
        }
        out.append(']');
        break;
    }
    case Type::Object: {
        out.append('{');
        bool first = true;
        for (const auto& [name, member] : v.members()) {
            if (!first)
                out.append(',');
            first = false;
            serializeString(out, name);
            out.append(':');
            serializeValue(out, member);
        }
        out.append('}');
        break;
    }
    }
}

} // namespace

namespace {

// A Value records sizes in 32 bits; parse() refuses larger input, and so do the builders.
std::uint32_t builtSize(std::size_t size)
{
    if (size > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("jwb::json::Value: more than 4 GiB of text or elements");
    return static_cast<std::uint32_t>(size);
}

} // namespace

Value::Value(const Value& other)
{
    copyFrom(other);
}

Value::Value(Value&& other) noexcept
{
    // A root hands over its arena; a value inside another's arena cannot, so it is copied.
    if (other.borrows())
        copyFrom(other);
    else
        adoptFrom(other);
}

Value& Value::operator=(const Value& other)
{
    if (this != &other) {
        Value copy(other); // other may live inside *this
        detail::releaseArena(std::exchange(m_arena, nullptr));
        adoptFrom(copy);
    }
    return *this;
}

Value& Value::operator=(Value&& other) noexcept
{
    if (this != &other) {
        Value moved(std::move(other)); // other may live inside *this
        detail::releaseArena(std::exchange(m_arena, nullptr));
        adoptFrom(moved);
    }
    return *this;
}

void Value::adoptFrom(Value& other) noexcept
{
    m_type = std::exchange(other.m_type, Type::Null);
    m_bool = std::exchange(other.m_bool, false);
    m_isInteger = std::exchange(other.m_isInteger, false);
    m_scalar = other.m_scalar;
    m_data = std::exchange(other.m_data, Data{});
    m_size = std::exchange(other.m_size, 0U);
    m_arena = std::exchange(other.m_arena, nullptr);
}

void Value::copyFrom(const Value& other)
{
    if (other.m_size == 0) { // nothing outside the Value itself
        m_type = other.m_type;
        m_bool = other.m_bool;
        m_isInteger = other.m_isInteger;
        m_scalar = other.m_scalar;
        return;
    }
    detail::Builder builder(detail::Builder::footprint(other));
    builder.copy(*this, other);
    m_arena = builder.release();
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_type = Type::Bool;
    v.m_bool = b;
    return v;
}

Value Value::number(double d, bool isInteger, std::string_view rawText)
{
    Value v = string(rawText);
    v.m_type = Type::Number;
    v.m_scalar.number = d;
    if (isInteger) {
        long long i = 0;
        const char* b = rawText.data();
        const char* e = b + rawText.size();
        const auto [ptr, ec] = std::from_chars(b, e, i);
        if (!rawText.empty() && ec == std::errc() && ptr == e) {
            v.m_isInteger = true;
            v.m_scalar.integer = i;
        }
    }
    return v;
}

Value Value::integer(long long i)
{
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, i);
    Value v = number(0, true, std::string_view(digits, static_cast<std::size_t>(end - digits)));
    Q_ASSERT(ec == std::errc() && v.m_isInteger);
    return v;
}

Value Value::string(std::string_view s)
{
    Value v;
    v.m_type = Type::String;
    if (!s.empty()) {
        detail::Builder builder(s.size());
        v.m_data.text = builder.text(s);
        v.m_size = builtSize(s.size());
        v.m_arena = builder.release();
    }
    return v;
}

Value Value::array(const std::vector<Value>& items)
{
    Value v;
    v.m_type = Type::Array;
    if (items.empty())
        return v;
    v.m_size = builtSize(items.size());
    detail::Builder builder(detail::Builder::itemsFootprint(items));
    v.m_data.items = builder.copyItems(items);
    v.m_arena = builder.release();
    return v;
}

Value Value::object(const std::vector<Entry>& members)
{
    Value v;
    v.m_type = Type::Object;
    if (members.empty())
        return v;
    v.m_size = builtSize(members.size());
    detail::Builder builder(detail::Builder::membersFootprint(members));
    v.m_data.members = builder.copyMembers(members);
    v.m_arena = builder.release();
    return v;
}

QString Value::toQString() const
{
    const std::string_view text = toString();
    return QString::fromUtf8(text);
}

long long Value::toInteger() const
{
    if (m_isInteger)
        return m_scalar.integer;
    const double number = m_scalar.number;
    if (std::isnan(number))
        return 0;
    // 2^63 is exactly representable; anything at or beyond it saturates.
    constexpr double kLimit = 9223372036854775808.0;
    if (number >= kLimit)
        return std::numeric_limits<long long>::max();
    if (number < -kLimit)
        return std::numeric_limits<long long>::min();
    return static_cast<long long>(number);
}

const Value* Value::find(std::string_view name) const
{
    if (m_type != Type::Object)
        return nullptr;
    // Length and first byte first: claim names mostly differ there, and a library compare per member
    // showed in profiles of the verification pipeline.
    for (const Member& member : members()) {
        const std::string_view key = member.first;
        if (key.size() == name.size() && (name.empty() || key[0] == name[0])
            && std::memcmp(key.data(), name.data(), name.size()) == 0)
            return &member.second;
    }
    return nullptr;
}

QJsonValue Value::toQJsonValue() const
{
    switch (m_type) {
    case Type::Null: return QJsonValue(QJsonValue::Null);
    case Type::Bool: return QJsonValue(m_bool);
    case Type::Number:
        if (m_isInteger)
            return QJsonValue(static_cast<qint64>(m_scalar.integer));
        return QJsonValue(m_scalar.number);
    case Type::String: return QJsonValue(toQString());
    case Type::Array: {
        QJsonArray a;
        for (const Value& item : items())
            a.append(item.toQJsonValue());
        return a;
    }
    case Type::Object: {
        QJsonObject o;
        for (const auto& [name, member] : members())
            o.insert(QString::fromUtf8(name), member.toQJsonValue());
        return o;
    }
    }
    return QJsonValue();
}

Result<Value> parse(QByteArrayView text, const Limits& limits)
{
    thread_local detail::Scratch scratch;
    // The document is built where the caller receives it: a parsed root is not moved on its way out.
    Result<Value> result{Value()};
    detail::Parser parser(text, limits, scratch);
    if (std::optional<Error> error = parser.run(result.value()))
        result = std::move(*error);
    return result;
}

QByteArray serialize(const Value& value)
{
    QByteArray out;
    out.reserve(256);
    serializeValue(out, value);
    return out;
}

} // namespace jwb::json
