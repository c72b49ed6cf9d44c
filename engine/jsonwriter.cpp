// SPDX-License-Identifier: MIT
#include "engine/jsonwriter.h"

#include "engine/swar.h"
#include "engine/timestamp.h"
#include "engine/uuid.h"

#include <charconv> // to_chars
#include <cmath>    // isfinite
#include <cstring>  // memcpy

namespace decksync {
namespace {
constexpr std::size_t FlushThreshold = 1 << 20;

} // namespace

JsonWriter::JsonWriter(std::string& out, Style style)
    : m_out(out)
    , m_style(style)
{
}

JsonWriter::JsonWriter(OutputSink& sink, Style style)
    : m_out(m_own)
    , m_sink(&sink)
    , m_style(style)
{
    m_own.reserve(FlushThreshold + 4096);
}

JsonWriter::~JsonWriter() = default;

void JsonWriter::newline()
{
    if (m_style == Style::Compact)
        return;
    m_out.push_back('\n');
    m_out.append(2 * m_stack.size(), ' ');
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_stack.empty())
        return;
    Level& level = m_stack.back();
    if (!level.empty)
        m_out.push_back(',');
    level.empty = false;
    newline();
}

void JsonWriter::maybeFlush()
{
    if (m_sink && m_out.size() >= FlushThreshold) {
        m_sink->write(m_out);
        m_out.clear();
    }
}

void JsonWriter::beginObject()
{
    beforeValue();
    m_out.push_back('{');
    m_stack.push_back({true, true});
}

void JsonWriter::endObject()
{
    const bool empty = m_stack.back().empty;
    m_stack.pop_back();
    if (!empty)
        newline();
    m_out.push_back('}');
    maybeFlush();
}

void JsonWriter::beginArray()
{
    beforeValue();
    m_out.push_back('[');
    m_stack.push_back({false, true});
}

void JsonWriter::endArray()
{
    const bool empty = m_stack.back().empty;
    m_stack.pop_back();
    if (!empty)
        newline();
    m_out.push_back(']');
    maybeFlush();
}

void JsonWriter::key(std::string_view name)
{
    Level& level = m_stack.back();
    if (!level.empty)
        m_out.push_back(',');
    level.empty = false;
    newline();
    appendEscaped(m_out, name);
    m_out += m_style == Style::Pretty ? std::string_view(": ") : std::string_view(":");
    m_afterKey = true;
}

void JsonWriter::appendEscaped(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (;;) {
        const char* q = swar::findEscapable(p, end);
        out.append(p, static_cast<std::size_t>(q - p));
        if (q == end)
            break;
        p = q + 1;
        const auto c = static_cast<unsigned char>(*q);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: {
            const char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(escape, sizeof escape);
        }
        }
    }
    out.push_back('"');
}

void JsonWriter::string(std::string_view text)
{
    beforeValue();
    appendEscaped(m_out, text);
    maybeFlush();
}

void JsonWriter::integer(std::int64_t value)
{
    beforeValue();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    m_out.append(buf, r.ptr);
}

void JsonWriter::number(double value)
{
    if (!std::isfinite(value)) {
        null();
        return;
    }
    beforeValue();
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    m_out.append(buf, r.ptr);
    // Keep doubles recognisable as such, as serde_json does ("1.0", not "1").
    if (std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)).find_first_of(".e") == std::string_view::npos)
        m_out += ".0";
}

void JsonWriter::boolean(bool value)
{
    beforeValue();
    m_out += value ? std::string_view("true") : std::string_view("false");
}

void JsonWriter::null()
{
    beforeValue();
    m_out += "null";
}

void JsonWriter::timestamp(const Timestamp& value)
{
    beforeValue();
    m_out.push_back('"');
    value.appendTo(m_out);
    m_out.push_back('"');
}

void JsonWriter::uuid(const Uuid& value)
{
    beforeValue();
    m_out.push_back('"');
    value.appendTo(m_out);
    m_out.push_back('"');
}

void JsonWriter::raw(std::string_view json)
{
    beforeValue();
    m_out += json;
    maybeFlush();
}

void JsonWriter::finish(bool trailingNewline)
{
    if (trailingNewline)
        m_out.push_back('\n');
    if (m_sink) {
        m_sink->write(m_out);
        m_out.clear();
    }
}

} // namespace decksync
