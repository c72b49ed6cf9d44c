// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef> // size_t
#include <string>  // string
#include <utility> // move
#include <variant> // variant

namespace decksync {

/// Why a document could not be decoded: where (file, JSON Pointer, line and column) and what.
/// Modelled on nlohmann's JSON_DIAGNOSTICS: `/decks/3/id: "test" is not a UUID`.
struct DecodeError {
    std::string file;    ///< set by whoever read the file; empty for in-memory text
    std::string pointer; ///< RFC 6901 JSON Pointer of the offending value ("" = whole document)
    std::string message; ///< the problem, as a sentence fragment
    std::size_t offset = 0;
    std::size_t line = 0;   ///< 1-based; 0 when unknown
    std::size_t column = 0; ///< 1-based, in bytes

    /// "FILE:LINE:COLUMN: POINTER: MESSAGE", leaving out the parts that are empty.
    [[nodiscard]] std::string toString() const;
};

/// A value or the error that prevented it.
template <class T>
class Decoded {
public:
    Decoded(T value) : m_value(std::move(value)) {}
    Decoded(DecodeError error) : m_value(std::move(error)) {}

    [[nodiscard]] bool ok() const { return m_value.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_value); }
    const T& value() const { return std::get<0>(m_value); }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }
    [[nodiscard]] const DecodeError& error() const { return std::get<1>(m_value); }
    DecodeError& error() { return std::get<1>(m_value); }

private:
    std::variant<T, DecodeError> m_value;
};

} // namespace decksync
