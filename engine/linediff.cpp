// SPDX-License-Identifier: MIT
#include "engine/linediff.h"

#include <algorithm> // max

namespace decksync {
namespace {

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    if (text.empty())
        return lines;
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(start));
            return lines;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
}

} // namespace

std::vector<DiffLine> diffLines(std::string_view before, std::string_view after, std::size_t maxCells)
{
    const std::vector<std::string_view> a = splitLines(before);
    const std::vector<std::string_view> b = splitLines(after);
    std::vector<DiffLine> out;

    // Common prefix and suffix need no table.
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    for (std::size_t i = 0; i < prefix; ++i)
        out.push_back({DiffLine::Op::Same, std::string(a[i])});

    const std::size_t n = a.size() - prefix - suffix;
    const std::size_t m = b.size() - prefix - suffix;
    if (n * m > maxCells) {
        for (std::size_t i = 0; i < n; ++i)
            out.push_back({DiffLine::Op::Removed, std::string(a[prefix + i])});
        for (std::size_t j = 0; j < m; ++j)
            out.push_back({DiffLine::Op::Added, std::string(b[prefix + j])});
    } else {
        // lcs[i][j]: length of the LCS of a[i..] and b[j..] (middle part only).
        std::vector<std::size_t> lcs((n + 1) * (m + 1), 0);
        auto cell = [&](std::size_t i, std::size_t j) -> std::size_t& { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;)
                cell(i, j) = a[prefix + i] == b[prefix + j] ? cell(i + 1, j + 1) + 1
                                                             : std::max(cell(i + 1, j), cell(i, j + 1));
        }
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
                out.push_back({DiffLine::Op::Same, std::string(a[prefix + i])});
                ++i;
                ++j;
            } else if (i < n && (j == m || cell(i + 1, j) >= cell(i, j + 1))) {
                out.push_back({DiffLine::Op::Removed, std::string(a[prefix + i])});
                ++i;
            } else {
                out.push_back({DiffLine::Op::Added, std::string(b[prefix + j])});
                ++j;
            }
        }
    }
    for (std::size_t k = suffix; k > 0; --k)
        out.push_back({DiffLine::Op::Same, std::string(a[a.size() - k])});
    return out;
}

} // namespace decksync
