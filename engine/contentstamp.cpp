// SPDX-License-Identifier: MIT
#include "engine/contentstamp.h"

#include <cstring> // memcpy

namespace decksync {
namespace {

// The primes and the round of xxHash64 (public domain description), which every lane runs.
constexpr std::uint64_t P1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t P2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t P3 = 0x165667B19E3779F9ULL;

constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
constexpr std::uint64_t mixRound(std::uint64_t acc, std::uint64_t word) { return rotl(acc + word * P2, 31) * P1; }

std::uint64_t load(const char* p)
{
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

/// fmix64 (MurmurHash3): every input bit reaches every output bit.
std::uint64_t finish(std::uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

} // namespace

ContentStamp ContentStamp::of(std::string_view bytes)
{
    const char* p = bytes.data();
    const std::size_t n = bytes.size();
    std::uint64_t lane[4] = {P1 + P2, P2, 0, 0 - P1};
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int k = 0; k < 4; ++k)
            lane[k] = mixRound(lane[k], load(p + i + 8 * static_cast<std::size_t>(k)));
    }
    std::uint64_t h = rotl(lane[0], 1) + rotl(lane[1], 7) + rotl(lane[2], 12) + rotl(lane[3], 18);
    for (; i + 8 <= n; i += 8)
        h = rotl(h ^ mixRound(0, load(p + i)), 27) * P1 + P3;
    for (; i < n; ++i)
        h = rotl(h ^ (static_cast<unsigned char>(p[i]) * P3), 11) * P1;
    return {n, finish(h ^ n)};
}

} // namespace decksync
