// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint> // uint64_t
#include <cstring> // memcpy

/// Tests on eight bytes at once for the JSON reader's and writer's string scans. Each is
/// exact as a yes/no answer for the whole word.
namespace decksync::swar {

inline constexpr std::uint64_t Ones = 0x0101010101010101ull;
inline constexpr std::uint64_t High = 0x8080808080808080ull;

inline std::uint64_t load(const char* p)
{
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

/// Any byte that a JSON string must escape: quote, backslash or a control character.
inline bool hasEscapable(std::uint64_t w)
{
    const auto hasZero = [](std::uint64_t x) { return (x - Ones) & ~x & High; };
    const std::uint64_t below20 = (w - Ones * 0x20) & ~w & High; // bytes >= 0x80 are left out
    return (hasZero(w ^ (Ones * '"')) | hasZero(w ^ (Ones * '\\')) | below20) != 0;
}

/// Any byte outside ASCII (part of a UTF-8 sequence).
inline bool hasNonAscii(std::uint64_t w) { return (w & High) != 0; }

} // namespace decksync::swar
