// SPDX-License-Identifier: MIT
#include "engine/jsonreader.h"

#include "engine/swar.h"

#include <cstdint> // uint64_t
#include <algorithm> // max
#include <cstring> // memchr, memcpy

namespace decksync {
namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | cp >> 6));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | cp >> 12));
        out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | cp >> 18));
        out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

void appendPointerToken(std::string& out, std::string_view token)
{
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out.push_back(c);
    }
}

} // namespace

std::string DecodeError::toString() const
{
    std::string s;
    if (!file.empty())
        s += file + ':';
    if (line > 0)
        s += std::to_string(line) + ':' + std::to_string(column) + ':';
    if (!s.empty())
        s += ' ';
    if (!pointer.empty())
        s += pointer + ": ";
    s += message;
    return s;
}

JsonReader::JsonReader(std::string_view text)
    : m_begin(text.data())
    , m_pos(text.data())
    , m_end(text.data() + text.size())
{
    m_path.reserve(16);
    // A UTF-8 byte order mark is tolerated, as most editors write one on request.
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
        m_pos += 3;
}

void JsonReader::checkpoint()
{
    if (m_observer->isCancelled())
        throw OperationCancelled{};
    m_observer->setProgress(static_cast<double>(m_pos - m_begin) / static_cast<double>(std::max<std::ptrdiff_t>(1, m_end - m_begin)));
}

void JsonReader::skipWs()
{
    while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\n' || *m_pos == '\r' || *m_pos == '\t'))
        ++m_pos;
}

char JsonReader::peekType()
{
    skipWs();
    if (m_pos >= m_end)
        failHere("unexpected end of input, expected a value");
    const char c = *m_pos;
    switch (c) {
    case '{':
    case '[':
    case '"':
    case 'n':
    case 't':
    case 'f':
        return c;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return '0';
        failHere(std::string("unexpected character '") + (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80 ? std::string("\\x") + "0123456789abcdef"[static_cast<unsigned char>(c) >> 4] + "0123456789abcdef"[c & 0xF] : std::string(1, c)) + "', expected a value");
    }
}

const char* JsonReader::describeNext()
{
    switch (peekType()) {
    case '{':
        return "an object";
    case '[':
        return "an array";
    case '"':
        return "a string";
    case 'n':
        return "null";
    case 't':
    case 'f':
        return "a boolean";
    default:
        return "a number";
    }
}

void JsonReader::expect(char c, const char* what)
{
    skipWs();
    if (m_pos < m_end && *m_pos == c) {
        ++m_pos;
        return;
    }
    if (m_pos >= m_end)
        failHere(std::string("unexpected end of input, expected ") + what);
    if (c == ':' )
        failHere(std::string("expected ") + what);
    const std::size_t at = offset();
    fail(std::string("expected ") + what + ", found " + describeNext(), at);
}

void JsonReader::enter()
{
    if (++m_depth > MaxDepth)
        fail("nesting deeper than " + std::to_string(MaxDepth) + " levels", offset() - 1);
}

std::string_view JsonReader::readKey()
{
    if (m_pos >= m_end || *m_pos != '"')
        failHere(m_pos < m_end ? "expected a string key in an object" : "unexpected end of input inside an object");
    return readStringAt(m_keyScratch);
}

std::string_view JsonReader::readString()
{
    skipWs();
    if (m_pos >= m_end || *m_pos != '"') {
        const std::size_t at = offset();
        fail(std::string("expected a string, found ") + describeNext(), at);
    }
    return readStringAt(m_scratch);
}

void JsonReader::validateUtf8(const char*& p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    const auto* end = reinterpret_cast<const unsigned char*>(m_end);
    const unsigned char c = u[0];
    int len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        fail("invalid UTF-8 in a string", static_cast<std::size_t>(p - m_begin));
    }
    if (end - u < len)
        fail("invalid UTF-8 in a string (truncated sequence)", static_cast<std::size_t>(p - m_begin));
    for (int i = 1; i < len; ++i) {
        if ((u[i] & 0xC0) != 0x80)
            fail("invalid UTF-8 in a string", static_cast<std::size_t>(p - m_begin));
        cp = cp << 6 | (u[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        fail("invalid UTF-8 in a string (overlong or surrogate sequence)", static_cast<std::size_t>(p - m_begin));
    p += len;
}

std::string_view JsonReader::readStringAt(std::string& scratch)
{
    const char* start = ++m_pos; // after the opening quote
    const char* p = start;
    // Fast path: plain ASCII without escapes is returned as a view into the input.
    for (;;) {
        p = swar::findSpecial(p, m_end);
        if (p >= m_end)
            fail("unexpected end of input inside a string", static_cast<std::size_t>(start - 1 - m_begin));
        const auto c = static_cast<unsigned char>(*p);
        if (c == '"') {
            m_pos = p + 1;
            return {start, static_cast<std::size_t>(p - start)};
        }
        if (c == '\\')
            break;
        if (c < 0x20)
            fail("control character in a string (it must be escaped)", static_cast<std::size_t>(p - m_begin));
        validateUtf8(p);
    }
    // Slow path: unescape into the scratch buffer.
    scratch.assign(start, static_cast<std::size_t>(p - start));
    m_pos = p;
    for (;;) {
        const char* run = m_pos;
        m_pos = swar::findSpecial(m_pos, m_end);
        scratch.append(run, static_cast<std::size_t>(m_pos - run));
        if (m_pos >= m_end)
            fail("unexpected end of input inside a string", static_cast<std::size_t>(start - 1 - m_begin));
        const auto c = static_cast<unsigned char>(*m_pos);
        if (c == '"') {
            ++m_pos;
            return scratch;
        }
        if (c == '\\') {
            readEscape(scratch);
        } else if (c < 0x20) {
            failHere("control character in a string (it must be escaped)");
        } else {
            const char* seq = m_pos;
            validateUtf8(m_pos);
            scratch.append(seq, static_cast<std::size_t>(m_pos - seq));
        }
    }
}

void JsonReader::readEscape(std::string& out)
{
    const std::size_t at = offset();
    if (m_end - m_pos < 2)
        fail("unexpected end of input inside a string", at);
    const char e = m_pos[1];
    m_pos += 2;
    switch (e) {
    case '"': out.push_back('"'); return;
    case '\\': out.push_back('\\'); return;
    case '/': out.push_back('/'); return;
    case 'b': out.push_back('\b'); return;
    case 'f': out.push_back('\f'); return;
    case 'n': out.push_back('\n'); return;
    case 'r': out.push_back('\r'); return;
    case 't': out.push_back('\t'); return;
    case 'u': break;
    default: fail(std::string("invalid escape '\\") + e + "' in a string", at);
    }
    auto hex4 = [this, at]() {
        if (m_end - m_pos < 4)
            fail("unexpected end of input in a \\u escape", at);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const int d = hexDigit(m_pos[i]);
            if (d < 0)
                fail("invalid \\u escape (expected four hex digits)", at);
            v = v << 4 | static_cast<std::uint32_t>(d);
        }
        m_pos += 4;
        return v;
    };
    std::uint32_t cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        fail("lone trailing surrogate in a \\u escape", at);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (m_end - m_pos < 2 || m_pos[0] != '\\' || m_pos[1] != 'u')
            fail("lone leading surrogate in a \\u escape", at);
        m_pos += 2;
        const std::uint32_t low = hex4();
        if (low < 0xDC00 || low > 0xDFFF)
            fail("invalid surrogate pair in a \\u escape", at);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
}

std::int64_t JsonReader::readInt64()
{
    skipWs();
    const char* start = m_pos;
    if (m_pos >= m_end || !(*m_pos == '-' || (*m_pos >= '0' && *m_pos <= '9')))
        fail(std::string("expected an integer, found ") + describeNext(), offset());
    const bool negative = *m_pos == '-';
    if (negative)
        ++m_pos;
    if (m_pos >= m_end || *m_pos < '0' || *m_pos > '9')
        fail("invalid number (no digits after '-')", static_cast<std::size_t>(start - m_begin));
    if (*m_pos == '0' && m_pos + 1 < m_end && m_pos[1] >= '0' && m_pos[1] <= '9')
        fail("invalid number (leading zero)", static_cast<std::size_t>(start - m_begin));
    // Accumulate as a negative value so that INT64_MIN is representable.
    std::int64_t value = 0;
    bool overflow = false;
    constexpr std::int64_t minValue = INT64_MIN;
    while (m_pos < m_end && *m_pos >= '0' && *m_pos <= '9') {
        const int d = *m_pos - '0';
        if (value < (minValue + d) / 10)
            overflow = true;
        else
            value = value * 10 - d;
        ++m_pos;
    }
    if (m_pos < m_end && (*m_pos == '.' || *m_pos == 'e' || *m_pos == 'E')) {
        m_pos = start;
        skipNumber();
        fail("expected an integer, found the number " + std::string(start, m_pos), static_cast<std::size_t>(start - m_begin));
    }
    if (!negative && value == minValue)
        overflow = true;
    if (overflow)
        fail(std::string(start, m_pos) + " is out of range for a 64-bit integer", static_cast<std::size_t>(start - m_begin));
    return negative ? value : -value;
}

bool JsonReader::readBool()
{
    const char t = peekType();
    if (t == 't') {
        skipLiteral("true");
        return true;
    }
    if (t == 'f') {
        skipLiteral("false");
        return false;
    }
    fail(std::string("expected a boolean, found ") + describeNext(), offset());
}

bool JsonReader::readNull()
{
    if (peekType() != 'n')
        return false;
    skipLiteral("null");
    return true;
}

void JsonReader::skipLiteral(std::string_view word)
{
    if (static_cast<std::size_t>(m_end - m_pos) < word.size() || std::string_view(m_pos, word.size()) != word)
        failHere("invalid literal (expected " + std::string(word) + ")");
    m_pos += word.size();
}

void JsonReader::skipNumber()
{
    const char* start = m_pos;
    auto bad = [&](const char* why) { fail(std::string("invalid number (") + why + ")", static_cast<std::size_t>(start - m_begin)); };
    auto isDigit = [this]() { return m_pos < m_end && *m_pos >= '0' && *m_pos <= '9'; };
    if (m_pos < m_end && *m_pos == '-')
        ++m_pos;
    if (!isDigit())
        bad("no digits");
    if (*m_pos == '0') {
        ++m_pos;
        if (isDigit())
            bad("leading zero");
    } else {
        while (isDigit())
            ++m_pos;
    }
    if (m_pos < m_end && *m_pos == '.') {
        ++m_pos;
        if (!isDigit())
            bad("no digits after the decimal point");
        while (isDigit())
            ++m_pos;
    }
    if (m_pos < m_end && (*m_pos == 'e' || *m_pos == 'E')) {
        ++m_pos;
        if (m_pos < m_end && (*m_pos == '+' || *m_pos == '-'))
            ++m_pos;
        if (!isDigit())
            bad("no digits in the exponent");
        while (isDigit())
            ++m_pos;
    }
}

std::string_view JsonReader::skipValue()
{
    const char type = peekType();
    const char* start = m_pos;
    switch (type) {
    case '{':
        readObject([this](std::string_view) { skipValue(); });
        break;
    case '[':
        readArray([this](std::size_t) { skipValue(); });
        break;
    case '"':
        readStringAt(m_scratch);
        break;
    case 'n':
        skipLiteral("null");
        break;
    case 't':
        skipLiteral("true");
        break;
    case 'f':
        skipLiteral("false");
        break;
    default:
        skipNumber();
        break;
    }
    return {start, static_cast<std::size_t>(m_pos - start)};
}

void JsonReader::expectEnd()
{
    skipWs();
    if (m_pos != m_end)
        failHere("unexpected content after the end of the document");
}

std::string JsonReader::pointer() const
{
    std::string out;
    for (const PathSegment& seg : m_path) {
        if (seg.value == NoSegment)
            continue;
        out.push_back('/');
        if (seg.isIndex) {
            out += std::to_string(seg.value);
            continue;
        }
        // Re-read the key from the input; it was validated when first read.
        JsonReader again(std::string_view(m_begin, static_cast<std::size_t>(m_end - m_begin)));
        again.m_pos = m_begin + seg.value;
        try {
            appendPointerToken(out, again.readStringAt(again.m_scratch));
        } catch (const Failure&) {
            out += "?";
        }
    }
    return out;
}

void JsonReader::fail(std::string message, std::size_t at) const
{
    raise(pointer(), std::move(message), at);
}

void JsonReader::failNested(const DecodeError& inner, std::string_view member, std::size_t memberOffset) const
{
    std::string path = pointer();
    if (!member.empty()) {
        path.push_back('/');
        appendPointerToken(path, member);
    }
    raise(path + inner.pointer, inner.message, memberOffset + inner.offset);
}

void JsonReader::raise(std::string pointer, std::string message, std::size_t at) const
{
    DecodeError e;
    e.pointer = std::move(pointer);
    e.message = std::move(message);
    e.offset = at;
    e.line = 1;
    std::size_t lineStart = 0;
    const std::size_t limit = std::min(at, static_cast<std::size_t>(m_end - m_begin));
    for (const char* p = m_begin; p < m_begin + limit;) {
        const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(m_begin + limit - p));
        if (!nl)
            break;
        p = static_cast<const char*>(nl) + 1;
        ++e.line;
        lineStart = static_cast<std::size_t>(p - m_begin);
    }
    e.column = at - lineStart + 1;
    throw Failure{std::move(e)};
}

} // namespace decksync
