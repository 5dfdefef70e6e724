// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jwb::json {

// Strict JSON (RFC 8259) for hostile input. Qt's QJsonDocument silently keeps one of two duplicate
// member names and accepts nesting up to 1024, so token headers and payloads go through this reader:
// duplicate names, invalid UTF-8, lone surrogates, trailing data and excessive depth are errors.
// Members keep document order so a decoded header is shown as it was written.
enum class Type : std::uint8_t { Null, Bool, Number, String, Array, Object };

namespace detail {
class Parser;
class Builder;
struct Arena;
void releaseArena(Arena* arena) noexcept;
} // namespace detail

// A JSON value. A parsed document lives in one arena (usually a single allocation) owned by its root
// Value: strings, numbers' source text, arrays and member lists are views into it, so decoding a token
// allocates once per document and destroying it frees once, instead of once per string and container.
// Values reached through a root (items(), members(), find()) are views valid while the root lives;
// copying any Value, or moving one that is not a root, makes an independent deep copy.
class Value {
public:
    // A member of a parsed or built object. The name is a view into the object's arena.
    using Member = std::pair<std::string_view, Value>;
    // A member given to object(): it owns its name, so a caller can build names on the fly.
    using Entry = std::pair<std::string, Value>;

    Value() noexcept {}
    Value(const Value& other);
    Value(Value&& other) noexcept;
    Value& operator=(const Value& other);
    Value& operator=(Value&& other) noexcept;
    ~Value()
    {
        if (m_arena)
            detail::releaseArena(m_arena);
    }

    static Value null() { return Value(); }
    static Value boolean(bool b);
    // isInteger is honoured only when rawText is an integer literal that fits in 64 bits.
    static Value number(double d, bool isInteger, std::string_view rawText);
    static Value integer(long long v); // raw text is the decimal form
    static Value string(std::string_view s);
    static Value array(const std::vector<Value>& items);
    static Value object(const std::vector<Entry>& members);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }

    bool toBool() const { return m_bool; }
    double toDouble() const { return m_isInteger ? static_cast<double>(m_scalar.integer) : m_scalar.number; }
    // True for a number written without fraction or exponent that fits in a signed 64-bit integer.
    bool isInteger() const { return m_isInteger; }
    // Exact for isInteger(); otherwise the double truncated and saturated to the 64-bit range (NaN: 0),
    // so a hostile 1e400 never reaches undefined behaviour.
    long long toInteger() const;
    // A number's source text; a string's text (UTF-8). Empty for every other type.
    std::string_view rawNumber() const { return hasText() ? std::string_view(m_data.text, m_size) : std::string_view(); }
    std::string_view toString() const { return rawNumber(); }
    QString toQString() const;
    std::span<const Value> items() const
    {
        return m_type == Type::Array ? std::span<const Value>(m_data.items, m_size) : std::span<const Value>();
    }
    std::span<const Member> members() const
    {
        return m_type == Type::Object ? std::span<const Member>(m_data.members, m_size) : std::span<const Member>();
    }

    // Object member lookup (linear: JOSE objects are small). nullptr when absent or not an object.
    const Value* find(std::string_view name) const;

    // For display only (the GUI's pretty-printer, the CLI's decoded view).
    QJsonValue toQJsonValue() const;

private:
    friend class detail::Parser; // builds values in place in its arena: this runs on every token of a corpus
    friend class detail::Builder; // builds copies and in-memory values in a new arena

    bool hasText() const { return m_type == Type::String || m_type == Type::Number; }
    // Points into memory this Value does not own (a view into some root's arena)?
    bool borrows() const { return !m_arena && m_size != 0; }
    void adoptFrom(Value& other) noexcept; // takes other's fields; other becomes null
    void copyFrom(const Value& other);     // a deep copy into a new arena owned by *this (which is null)

    // 32 bytes: a parsed token is a few dozen of these, and its arena then fits one small block.
    Type m_type = Type::Null;
    bool m_bool = false;
    bool m_isInteger = false;
    std::uint32_t m_size = 0; // bytes of text, or number of items or members (inputs are bounded below 4 GiB)
    union Scalar {
        double number = 0;
        long long integer; // exact value when m_isInteger (a double loses digits beyond 2^53)
    } m_scalar;
    union Data {
        const char* text = nullptr; // Type::String, Type::Number
        const Value* items;         // Type::Array
        const Member* members;      // Type::Object
    } m_data;
    detail::Arena* m_arena = nullptr; // owned by this Value when it is a root
};

struct Limits {
    // Objects/arrays nested deeper than this are rejected ("{}" is depth 1; 0 allows only scalars).
    // Parsing and destroying never recurse, but copying, serialising or converting a value does, once per level:
    // keep this small for untrusted input.
    int maxDepth = 16;
    qsizetype maxBytes = 65536; // input larger than this is rejected before parsing
};

// Parses one JSON text strictly. Error codes: ERR_JSON_SYNTAX, ERR_JSON_DUPLICATE_MEMBER,
// ERR_JSON_UTF8 (ill-formed UTF-8: overlongs, encoded surrogates, beyond U+10FFFF; and unpaired
// \u surrogate escapes), ERR_JSON_DEPTH, ERR_JSON_TOO_LARGE. The location is "byte N", the offset
// where the problem starts. Strings are decoded to UTF-8 (\u0000 included); member names compare
// after decoding, so "a" and "\u0061" are duplicates. Numbers beyond the double range keep their text
// and hold +/-infinity or 0. A leading byte order mark is a syntax error. Thread-safe.
Result<Value> parse(QByteArrayView text, const Limits& limits = {});

// Compact, deterministic serialisation (members in stored order, numbers as their source text, only
// '"', '\\' and control characters escaped). Used to mint test tokens. A string built in memory is
// written as is, so it must be valid UTF-8; a number built without text and not finite is written null.
QByteArray serialize(const Value& value);

} // namespace jwb::json
