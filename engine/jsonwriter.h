// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>     // int64_t
#include <string>      // string
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

struct Timestamp;
struct Uuid;

/// Where a JsonWriter's bytes go once its buffer fills.
class OutputSink {
public:
    virtual ~OutputSink() = default;
    virtual void write(std::string_view bytes) = 0;
};

/// A streaming JSON writer. Pretty output matches serde_json's `to_string_pretty` (and
/// nlohmann's `dump(2)`): two-space indent, `"key": value`, `[]` and `{}` for empty
/// containers, UTF-8 written as is, control characters escaped.
class JsonWriter {
public:
    enum class Style { Pretty, Compact };

    /// Writes into `out` (appending).
    explicit JsonWriter(std::string& out, Style style = Style::Pretty);
    /// Writes through a buffer into `sink`; call finish() at the end.
    explicit JsonWriter(OutputSink& sink, Style style = Style::Pretty);
    ~JsonWriter();

    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view name);

    void string(std::string_view text);
    void integer(std::int64_t value);
    void number(double value);
    void boolean(bool value);
    void null();
    void timestamp(const Timestamp& value);
    void uuid(const Uuid& value);
    /// Inserts already-valid JSON text as the next value, unchanged.
    void raw(std::string_view json);

    /// Flushes the buffer to the sink (no-op for string output). Add a final newline first if wanted.
    void finish(bool trailingNewline = true);

    static void appendEscaped(std::string& out, std::string_view text);

private:
    void beforeValue();
    void newline();
    void maybeFlush();

    std::string m_own;
    std::string& m_out;
    OutputSink* m_sink = nullptr;
    Style m_style;
    struct Level {
        bool isObject;
        bool empty;
    };
    std::vector<Level> m_stack;
    bool m_afterKey = false;
};

} // namespace decksync
