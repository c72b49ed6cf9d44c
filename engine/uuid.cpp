// SPDX-License-Identifier: MIT
#include "engine/uuid.h"

namespace decksync {
namespace {

constexpr auto HexTable = [] {
    std::array<signed char, 256> t{};
    for (auto& v : t)
        v = -1;
    for (int c = '0'; c <= '9'; ++c)
        t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c)
        t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c)
        t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'A' + 10);
    return t;
}();

inline int hexValue(char c) { return HexTable[static_cast<unsigned char>(c)]; }

std::optional<Uuid> parseHex(std::string_view s, bool hyphenated)
{
    Uuid u;
    std::size_t out = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != '-')
                return std::nullopt;
            ++i;
            continue;
        }
        const int hi = hexValue(s[i]);
        const int lo = i + 1 < s.size() ? hexValue(s[i + 1]) : -1;
        if (hi < 0 || lo < 0 || out >= 16)
            return std::nullopt;
        u.bytes[out++] = static_cast<std::uint8_t>(hi << 4 | lo);
        i += 2;
    }
    if (out != 16)
        return std::nullopt;
    return u;
}

} // namespace

std::optional<Uuid> Uuid::parse(std::string_view s)
{
    if (s.size() == 36)
        return parseHex(s, true);
    if (s.size() == 32)
        return parseHex(s, false);
    if (s.size() == 38 && s.front() == '{' && s.back() == '}')
        return parseHex(s.substr(1, 36), true);
    if (s.size() == 45 && s.substr(0, 9) == "urn:uuid:")
        return parseHex(s.substr(9), true);
    return std::nullopt;
}

Uuid Uuid::fromHalves(std::uint64_t high, std::uint64_t low)
{
    Uuid u;
    for (int i = 0; i < 8; ++i) {
        u.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(high >> (56 - 8 * i));
        u.bytes[static_cast<std::size_t>(i + 8)] = static_cast<std::uint8_t>(low >> (56 - 8 * i));
    }
    return u;
}

void Uuid::appendTo(std::string& out) const
{
    static constexpr char hex[] = "0123456789abcdef";
    char buf[36];
    std::size_t p = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            buf[p++] = '-';
        buf[p++] = hex[bytes[i] >> 4];
        buf[p++] = hex[bytes[i] & 0xF];
    }
    out.append(buf, sizeof buf);
}

std::string Uuid::toString() const
{
    std::string s;
    appendTo(s);
    return s;
}

} // namespace decksync
