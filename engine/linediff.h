// SPDX-License-Identifier: MIT
#pragma once

#include <string>      // string
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

/// One line of a two-way line diff.
struct DiffLine {
    enum class Op : unsigned char { Same, Removed, Added };
    Op op;
    std::string text;
    friend bool operator==(const DiffLine&, const DiffLine&) = default;
};

/// A shortest line diff from `before` to `after` (longest common subsequence), for long text
/// fields such as a deck's content. Lines are split at '\n'. Inputs beyond `maxCells`
/// line pairs are shown as all removed then all added rather than computed.
std::vector<DiffLine> diffLines(std::string_view before, std::string_view after, std::size_t maxCells = 4'000'000);

} // namespace decksync
