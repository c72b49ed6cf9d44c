// SPDX-License-Identifier: MIT
#pragma once

#include <compare>  // strong_ordering
#include <cstdint>  // int64_t
#include <optional> // optional
#include <string>   // string
#include <string_view>

namespace decksync {

/// A UTC instant with nanosecond precision, as chrono's DateTime<Utc> holds it.
/// Written as RFC 3339 with `Z` and chrono's AutoSi fraction (none, 3, 6 or 9 digits).
struct Timestamp {
    std::int64_t seconds = 0;    ///< seconds since 1970-01-01T00:00:00Z
    std::uint32_t nanos = 0;     ///< 0 .. 999'999'999

    friend constexpr auto operator<=>(const Timestamp&, const Timestamp&) = default;

    /// Parses RFC 3339 (`T`, `t` or space between date and time; `Z`, `z` or `±hh:mm`).
    /// On failure returns nullopt and, if `error` is given, a sentence saying why.
    static std::optional<Timestamp> parse(std::string_view text, std::string* error = nullptr);

    /// Builds a timestamp from civil UTC fields; no validation.
    static Timestamp fromCivil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                               unsigned second, std::uint32_t nanos = 0);

    [[nodiscard]] std::string toString() const;
    /// Appends the RFC 3339 form to `out` (no allocation when `out` has room).
    void appendTo(std::string& out) const;

    [[nodiscard]] Timestamp addSeconds(std::int64_t delta) const { return {seconds + delta, nanos}; }

    /// Milliseconds since 1970 (the fraction below a millisecond dropped), and back.
    [[nodiscard]] constexpr std::int64_t toMilliseconds() const { return seconds * 1000 + nanos / 1'000'000; }
    static constexpr Timestamp fromMilliseconds(std::int64_t ms)
    {
        const std::int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
        return Timestamp{s, static_cast<std::uint32_t>((ms - s * 1000) * 1'000'000)};
    }
};

/// The system clock now, in whole milliseconds (which keeps written timestamps short). The
/// engine never reads it: the CLI, the inspector and the server pass it in as `now`.
Timestamp systemNow();

} // namespace decksync
