// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/progress.h"

#include <cstdint>     // int64_t
#include <string>      // string
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

/// A strict, fast, pull-style JSON reader (RFC 8259) over one in-memory buffer.
///
/// It validates as it goes (UTF-8, escapes, number grammar, nesting depth) and keeps the
/// path of the value being read, so every failure becomes a DecodeError carrying a JSON
/// Pointer plus line and column. The dataset codec drives it straight into the models;
/// values it does not model are skipped and kept as their raw text.
class JsonReader {
public:
    static constexpr int MaxDepth = 128; ///< as serde_json's recursion limit

    explicit JsonReader(std::string_view text);

    /// Reports progress (share of the input read) and honours cancellation every few
    /// thousand array elements; throws OperationCancelled.
    void setObserver(ProgressObserver* observer) { m_observer = observer; }

    /// The type of the next value, after whitespace: one of `{ [ " n t f` or `0` for a number.
    char peekType();
    [[nodiscard]] std::size_t offset() const { return static_cast<std::size_t>(m_pos - m_begin); }

    /// Reads an object; `onMember(key)` is called with the key and must consume the value.
    template <class F>
    void readObject(F&& onMember);
    /// Reads an array; `onElement(index)` must consume the element.
    template <class F>
    void readArray(F&& onElement);

    /// Reads a string. The view points into the input when it had no escapes, else into an
    /// internal buffer that the next readString() overwrites.
    std::string_view readString();
    std::int64_t readInt64();
    bool readBool();
    /// Consumes `null` and returns true if the next value is null.
    bool readNull();
    /// Validates and skips one value of any type; returns its exact text.
    std::string_view skipValue();
    /// After the top-level value: only whitespace may follow.
    void expectEnd();

    /// Throws a DecodeError for the value starting at `offset`, at the current path.
    [[noreturn]] void fail(std::string message, std::size_t offset) const;
    [[noreturn]] void failHere(std::string message) const { fail(std::move(message), offset()); }
    /// Re-throws an error found while decoding the raw text of member `member` (which began at
    /// `memberOffset`) with the current path and position in front of it; an empty `member`
    /// means the current value itself.
    [[noreturn]] void failNested(const DecodeError& inner, std::string_view member, std::size_t memberOffset) const;
    /// "an object", "a string", ... for the next value, for "expected X, found Y" messages.
    const char* describeNext();

    /// Turns a DecodeError thrown by the reader into a value (used by the codecs' entry points).
    struct Failure {
        DecodeError error;
    };

private:
    struct PathSegment {
        bool isIndex;
        std::size_t value; ///< array index, or offset of the key's opening quote, or NoSegment
    };
    /// A container's segment while no member or element is being read (reading a key, or
    /// between members): errors then concern the container itself.
    static constexpr std::size_t NoSegment = static_cast<std::size_t>(-1);

    void skipWs();
    void expect(char c, const char* what);
    std::string_view readKey();
    std::string_view readStringAt(std::string& scratch);
    void readEscape(std::string& out);
    void validateUtf8(const char*& p);
    void skipNumber();
    void skipLiteral(std::string_view word);
    void enter();
    [[nodiscard]] std::string pointer() const;
    [[noreturn]] void raise(std::string pointer, std::string message, std::size_t offset) const;

    const char* m_begin;
    const char* m_pos;
    const char* m_end;
    void checkpoint();

    ProgressObserver* m_observer = nullptr;
    int m_depth = 0;
    std::vector<PathSegment> m_path;
    std::string m_scratch;
    std::string m_keyScratch;
};

template <class F>
void JsonReader::readObject(F&& onMember)
{
    expect('{', "an object");
    enter();
    skipWs();
    if (m_pos < m_end && *m_pos == '}') {
        ++m_pos;
        --m_depth;
        return;
    }
    m_path.push_back({false, NoSegment});
    for (;;) {
        skipWs();
        const std::size_t keyOffset = offset();
        const std::string_view key = readKey();
        m_path.back().value = keyOffset;
        skipWs();
        expect(':', "':' after an object key");
        onMember(key);
        m_path.back().value = NoSegment;
        skipWs();
        if (m_pos < m_end && *m_pos == ',') {
            ++m_pos;
            continue;
        }
        if (m_pos < m_end && *m_pos == '}') {
            ++m_pos;
            break;
        }
        failHere(m_pos < m_end ? "expected ',' or '}' after an object member" : "unexpected end of input inside an object");
    }
    m_path.pop_back();
    --m_depth;
}

template <class F>
void JsonReader::readArray(F&& onElement)
{
    expect('[', "an array");
    enter();
    skipWs();
    if (m_pos < m_end && *m_pos == ']') {
        ++m_pos;
        --m_depth;
        return;
    }
    m_path.push_back({true, 0});
    for (std::size_t index = 0;; ++index) {
        m_path.back().value = index;
        if (m_observer && (index & 4095) == 4095)
            checkpoint();
        onElement(index);
        m_path.back().value = NoSegment;
        skipWs();
        if (m_pos < m_end && *m_pos == ',') {
            ++m_pos;
            continue;
        }
        if (m_pos < m_end && *m_pos == ']') {
            ++m_pos;
            break;
        }
        failHere(m_pos < m_end ? "expected ',' or ']' after an array element" : "unexpected end of input inside an array");
    }
    m_path.pop_back();
    --m_depth;
}

/// Runs `body(reader)` over `text` and returns its value or the error it threw.
template <class T, class Body>
Decoded<T> decodeWith(std::string_view text, Body&& body)
{
    try {
        JsonReader reader(text);
        T value = body(reader);
        reader.expectEnd();
        return value;
    } catch (JsonReader::Failure& f) {
        return std::move(f.error);
    }
}

} // namespace decksync
