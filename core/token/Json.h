// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jwb::json {

// Strict JSON (RFC 8259) for hostile input. Qt's QJsonDocument silently keeps one of two duplicate
// member names and accepts nesting up to 1024, so token headers and payloads go through this reader:
// duplicate names, invalid UTF-8, lone surrogates, trailing data and excessive depth are errors.
// Members keep document order so a decoded header is shown as it was written.
enum class Type { Null, Bool, Number, String, Array, Object };

namespace detail {
class Parser;
}

class Value {
public:
    using Member = std::pair<std::string, Value>;

    Value() noexcept {}
    Value(const Value& other);
    Value(Value&& other) noexcept { constructFrom(std::move(other)); }
    Value& operator=(const Value& other);
    Value& operator=(Value&& other) noexcept;
    ~Value() { destroy(); }

    static Value null() { return Value(); }
    static Value boolean(bool b);
    // isInteger is honoured only when rawText is an integer literal that fits in 64 bits.
    static Value number(double d, bool isInteger, std::string rawText);
    static Value integer(long long v); // raw text is the decimal form
    static Value string(std::string s);
    static Value array(std::vector<Value> items);
    static Value object(std::vector<Member> members);

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
    // A number's source text; a string's text. Empty for every other type.
    const std::string& rawNumber() const { return hasText() ? m_u.text : emptyText(); }
    const std::string& toString() const { return hasText() ? m_u.text : emptyText(); }
    QString toQString() const { return QString::fromStdString(toString()); }
    const std::vector<Value>& items() const { return m_type == Type::Array ? m_u.items : emptyItems(); }
    const std::vector<Member>& members() const { return m_type == Type::Object ? m_u.members : emptyMembers(); }

    // Object member lookup (linear: JOSE objects are small). nullptr when absent or not an object.
    const Value* find(std::string_view name) const;

    // For display only (the GUI's pretty-printer, the CLI's decoded view).
    QJsonValue toQJsonValue() const;

private:
    friend class detail::Parser; // builds values in place: this runs on every token of a corpus

    bool hasText() const { return m_type == Type::String || m_type == Type::Number; }
    static const std::string& emptyText();
    static const std::vector<Value>& emptyItems();
    static const std::vector<Member>& emptyMembers();
    // Inline: they run for every value destroyed, and for every move of a value (a finished container
    // moving to its parent, a vector of values growing).
    void destroy() noexcept;
    // Copies or moves `other`'s storage into *this, which must hold none (just constructed, or
    // destroy()ed). A moved-from `other` keeps its type with an emptied string or vector.
    template <typename V>
    void constructFrom(V&& other);

    // Shaped for speed: every token of a corpus decodes to a few dozen values that are built, moved and
    // destroyed, so a Value is 48 bytes (it was 112 with a separate string, two vectors and both number
    // forms). Only the storage the type needs exists: text for a string or a number's source text
    // (numbers like timestamps fit the string's inline buffer), a vector for an array or an object.
    // The parser (a friend) writes these members directly.
    Type m_type = Type::Null;
    bool m_bool = false;
    bool m_isInteger = false;
    union Scalar {
        double number = 0;
        long long integer; // exact value when m_isInteger (a double loses digits beyond 2^53)
    } m_scalar;
    union Storage {
        Storage() noexcept {}
        ~Storage() {}
        Storage(const Storage&) = delete;
        Storage& operator=(const Storage&) = delete;
        std::string text;          // Type::String, Type::Number
        std::vector<Value> items;  // Type::Array
        std::vector<Member> members; // Type::Object
    } m_u;
};

inline void Value::destroy() noexcept
{
    switch (m_type) {
    case Type::Null:
    case Type::Bool: break;
    case Type::Number:
    case Type::String: std::destroy_at(&m_u.text); break;
    case Type::Array: std::destroy_at(&m_u.items); break;
    case Type::Object: std::destroy_at(&m_u.members); break;
    }
    m_type = Type::Null;
}

template <typename V>
inline void Value::constructFrom(V&& other)
{
    m_bool = other.m_bool;
    m_isInteger = other.m_isInteger;
    m_scalar = other.m_scalar;
    // std::forward<V>(other).member is an lvalue for a copy and an xvalue for a move.
    switch (other.m_type) {
    case Type::Null:
    case Type::Bool: break;
    case Type::Number:
    case Type::String: new (&m_u.text) std::string(std::forward<V>(other).m_u.text); break;
    case Type::Array: new (&m_u.items) std::vector<Value>(std::forward<V>(other).m_u.items); break;
    case Type::Object: new (&m_u.members) std::vector<Member>(std::forward<V>(other).m_u.members); break;
    }
    m_type = other.m_type;
}

struct Limits {
    // Objects/arrays nested deeper than this are rejected ("{}" is depth 1; 0 allows only scalars).
    // Parsing never recurses, but destroying, serialising or converting a value does, once per level:
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
