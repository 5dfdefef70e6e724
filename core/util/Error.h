// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace jwb {

// An error as a value: a stable machine code (tests and tools match on it), a human message, and
// where the problem is ("policy.yaml:12: issuers[0].audiences", "token segment 2", "keys/a.pem").
struct Error {
    QString code;     // e.g. "ERR_POLICY_UNKNOWN_FIELD"; never renamed once shipped
    QString message;  // one sentence a policy owner understands
    QString location; // file:line: field path, or empty

    QString toString() const
    {
        return location.isEmpty() ? message : location + QStringLiteral(": ") + message;
    }
};

// Either a value or an Error. Small on purpose: C++20 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(m_data); }
    T& value() & { return std::get<T>(m_data); }
    T&& value() && { return std::get<T>(std::move(m_data)); }
    const T* operator->() const { return &std::get<T>(m_data); }
    const T& operator*() const& { return std::get<T>(m_data); }
    const Error& error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// Success-or-error for operations with no value.
struct Ok {};
using Status = Result<Ok>;

} // namespace jwb
