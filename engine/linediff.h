// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>     // size_t
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

/// A shortest line diff from `before` to `after` (Myers' O(ND) difference algorithm), for long
/// text fields such as a deck's content. Lines are split at '\n': a '\r' stays part of its line,
/// a trailing '\n' leaves an empty last line, and an empty text has no lines. Inside each run of
/// changes the removed lines come before the added ones. The same inputs give the same output.
///
/// The common first and last lines are matched without a search. The search over the lines
/// between costs time and memory linear in its steps (line comparisons, about 24 bytes each):
/// roughly n + m + D² for n and m lines D edits apart, at worst about (n + m)·D. A middle that
/// needs more than `maxSteps` steps (1,000,000 at most), or that has more than 400,000 lines on
/// its two sides together, is shown as all removed then all added: no longer a shortest diff then,
/// unless the two sides share no line at all.
std::vector<DiffLine> diffLines(std::string_view before, std::string_view after, std::size_t maxSteps = 500'000);

} // namespace decksync
