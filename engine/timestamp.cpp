// SPDX-License-Identifier: MIT
#include "engine/timestamp.h"

#include <array>
#include <chrono>

namespace decksync {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month, day;
};

constexpr Civil civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

constexpr bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned daysInMonth(int y, unsigned m)
{
    constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s, std::size_t pos, std::size_t count, unsigned& value)
{
    if (pos + count > s.size())
        return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

std::optional<Timestamp> fail(std::string* error, const char* why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace

Timestamp Timestamp::fromCivil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                               unsigned second, std::uint32_t nanos)
{
    const std::int64_t days = daysFromCivil(year, month, day);
    return {days * 86400 + hour * 3600 + minute * 60 + second, nanos};
}

std::optional<Timestamp> Timestamp::parse(std::string_view s, std::string* error)
{
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, year) || s.size() < 5 || s[4] != '-' || !digits(s, 5, 2, month) || s.size() < 8
        || s[7] != '-' || !digits(s, 8, 2, day))
        return fail(error, "is not an RFC 3339 timestamp (expected YYYY-MM-DDTHH:MM:SSZ)");
    if (s.size() < 11 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return fail(error, "is not an RFC 3339 timestamp (missing the time after the date)");
    if (!digits(s, 11, 2, hour) || s.size() < 14 || s[13] != ':' || !digits(s, 14, 2, minute) || s.size() < 17
        || s[16] != ':' || !digits(s, 17, 2, second))
        return fail(error, "is not an RFC 3339 timestamp (expected HH:MM:SS after the date)");
    if (month < 1 || month > 12)
        return fail(error, "is not a valid date (month out of range)");
    if (day < 1 || day > daysInMonth(static_cast<int>(year), month))
        return fail(error, "is not a valid date (day out of range for its month)");
    if (hour > 23 || minute > 59)
        return fail(error, "is not a valid time of day");
    if (second > 59)
        return fail(error, "is not a valid time of day (leap seconds are not supported)");

    std::size_t pos = 19;
    std::uint32_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t count = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (count < 9)
                nanos = nanos * 10 + static_cast<std::uint32_t>(s[pos] - '0');
            else if (s[pos] != '0')
                return fail(error, "has a fraction finer than nanoseconds");
            ++count;
            ++pos;
        }
        if (count == 0)
            return fail(error, "is not an RFC 3339 timestamp (no digits after the decimal point)");
        for (std::size_t i = count; i < 9; ++i)
            nanos *= 10;
    }
    std::int64_t offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        unsigned oh = 0, om = 0;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om))
            return fail(error, "has a malformed UTC offset (expected Z or +HH:MM)");
        if (oh > 23 || om > 59)
            return fail(error, "has a UTC offset out of range");
        offset = (s[pos] == '-' ? -1 : 1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
        pos += 6;
    } else {
        return fail(error, "has no UTC offset (expected Z or +HH:MM)");
    }
    if (pos != s.size())
        return fail(error, "has trailing characters after the UTC offset");

    Timestamp t = fromCivil(static_cast<int>(year), month, day, hour, minute, second, nanos);
    t.seconds -= offset;
    // The offset can move the instant out of years 0000..9999, which RFC 3339 cannot write.
    if (t.seconds < fromCivil(0, 1, 1, 0, 0, 0).seconds || t.seconds > fromCivil(9999, 12, 31, 23, 59, 59).seconds)
        return fail(error, "is outside years 0000 to 9999 once converted to UTC");
    return t;
}

void Timestamp::appendTo(std::string& out) const
{
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    const auto secOfDay = static_cast<unsigned>(seconds - days * 86400);
    const Civil c = civilFromDays(days);
    char buf[40];
    char* p = buf;
    auto put = [&p](std::uint64_t v, int width) {
        for (int i = width - 1; i >= 0; --i) {
            p[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        p += width;
    };
    std::int64_t year = c.year;
    if (year < 0) {
        *p++ = '-';
        year = -year;
    }
    put(static_cast<std::uint64_t>(year), year > 9999 ? 5 : 4);
    *p++ = '-';
    put(c.month, 2);
    *p++ = '-';
    put(c.day, 2);
    *p++ = 'T';
    put(secOfDay / 3600, 2);
    *p++ = ':';
    put(secOfDay / 60 % 60, 2);
    *p++ = ':';
    put(secOfDay % 60, 2);
    // chrono's SecondsFormat::AutoSi: 0, 3, 6 or 9 fraction digits, whichever is exact.
    if (nanos != 0) {
        *p++ = '.';
        if (nanos % 1'000'000 == 0)
            put(nanos / 1'000'000, 3);
        else if (nanos % 1'000 == 0)
            put(nanos / 1'000, 6);
        else
            put(nanos, 9);
    }
    *p++ = 'Z';
    out.append(buf, static_cast<std::size_t>(p - buf));
}

std::string Timestamp::toString() const
{
    std::string s;
    appendTo(s);
    return s;
}

Timestamp systemNow()
{
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since).count();
    return {ms / 1000, static_cast<std::uint32_t>(ms % 1000) * 1'000'000u};
}

} // namespace decksync
