// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint> // uint64_t
#include <cstring> // memcpy

#if defined(__SSE2__)
#include <emmintrin.h> // SSE2: on every x86-64
#endif

/// The JSON reader's and writer's string scans: where the next byte is that a string's plain
/// run ends at. Sixteen bytes at a time with SSE2 (every x86-64 has it), eight at a time in
/// portable code elsewhere; the answer is the same exact position either way.
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

constexpr bool isEscapable(unsigned char c) { return c == '"' || c == '\\' || c < 0x20; }
constexpr bool isSpecial(unsigned char c) { return isEscapable(c) || c >= 0x80; }

/// The first byte in [p, end) that a JSON string must escape (quote, backslash, control
/// character), or `end`: what the writer copies as it is runs up to there.
inline const char* findEscapable(const char* p, const char* end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, control), v); // v <= 0x1F, unsigned
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), low);
        if (const int mask = _mm_movemask_epi8(hit))
            return p + __builtin_ctz(static_cast<unsigned>(mask));
    }
#else
    while (end - p >= 8 && !hasEscapable(load(p)))
        p += 8;
#endif
    while (p < end && !isEscapable(static_cast<unsigned char>(*p)))
        ++p;
    return p;
}

/// The first byte in [p, end) that ends a plain ASCII run of string content (quote,
/// backslash, control character or a byte outside ASCII), or `end`: what the reader
/// returns as a view of its input runs up to there.
inline const char* findSpecial(const char* p, const char* end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed: bytes >= 0x80 are negative, so one compare finds them and the controls.
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                         _mm_cmplt_epi8(v, space));
        if (const int mask = _mm_movemask_epi8(hit))
            return p + __builtin_ctz(static_cast<unsigned>(mask));
    }
#else
    for (; end - p >= 8; p += 8) {
        const std::uint64_t w = load(p);
        if (hasEscapable(w) || hasNonAscii(w))
            break;
    }
#endif
    while (p < end && !isSpecial(static_cast<unsigned char>(*p)))
        ++p;
    return p;
}

} // namespace decksync::swar
