// SPDX-License-Identifier: MIT
#pragma once

#include <array>       // array
#include <compare>     // strong_ordering
#include <cstdint>     // uint8_t
#include <functional>  // hash
#include <optional>    // optional
#include <string>      // string
#include <string_view> // string_view

namespace decksync {

/// A 128-bit UUID, as the uuid crate holds it. Written lower-case and hyphenated.
struct Uuid {
    std::array<std::uint8_t, 16> bytes{};

    friend constexpr auto operator<=>(const Uuid&, const Uuid&) = default;

    /// Accepts what uuid::Uuid::parse_str accepts: hyphenated, simple (32 hex digits),
    /// braced `{...}` and `urn:uuid:` forms, in either case.
    static std::optional<Uuid> parse(std::string_view text);
    /// Builds a UUID from two 64-bit halves (for generators and tests).
    static Uuid fromHalves(std::uint64_t high, std::uint64_t low);

    [[nodiscard]] std::string toString() const;
    void appendTo(std::string& out) const;
    [[nodiscard]] bool isNil() const { return *this == Uuid{}; }
};

struct UuidHash {
    std::size_t operator()(const Uuid& u) const noexcept
    {
        std::uint64_t a = 0, b = 0;
        for (int i = 0; i < 8; ++i) {
            a = a << 8 | u.bytes[static_cast<std::size_t>(i)];
            b = b << 8 | u.bytes[static_cast<std::size_t>(i + 8)];
        }
        // UUIDs are mostly random already; mix the halves so sequential ones spread too.
        std::uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ull);
        h ^= h >> 29;
        return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ull);
    }
};

} // namespace decksync
