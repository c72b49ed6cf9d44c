// SPDX-License-Identifier: MIT
#include "engine/linediff.h"

#if !__has_include(<dtl/dtl.hpp>)
#error "engine/linediff.cpp needs the header-only dtl library (Debian: libdtl-dev)"
#endif
#include <dtl/dtl.hpp>

#include <algorithm>     // min
#include <cstdint>       // uint32_t
#include <iterator>      // back_inserter
#include <unordered_map> // unordered_map

namespace decksync {
namespace {

using LineId = std::uint32_t;

// dtl ends its search early, with a script that is no longer shortest, once its path table holds
// dtl::MAX_CORDINATES_SIZE entries. The table gains one entry per search step plus at most one per
// line in the last round, so these two caps keep it below that.
constexpr std::size_t kMaxSteps = 1'000'000;
constexpr std::size_t kMaxSearchLines = 400'000;
static_assert(kMaxSteps + 2 * (kMaxSearchLines + 2) < dtl::MAX_CORDINATES_SIZE);

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

struct StepBudget {
    std::size_t left;
    bool spent = false;
};

// Line equality that counts the steps of the search. Once the budget is spent every pair
// compares equal: dtl's search then ends within its current round, and the caller drops the
// script it made.
class BudgetedCompare : public dtl::Compare<LineId> {
public:
    explicit BudgetedCompare(StepBudget* budget)
        : m_budget(budget)
    {
    }

    bool impl(const LineId& a, const LineId& b) const override
    {
        if (m_budget->left == 0) {
            m_budget->spent = true;
            return true;
        }
        --m_budget->left;
        return a == b;
    }

private:
    StepBudget* m_budget;
};

void appendLines(std::vector<DiffLine>& out, DiffLine::Op op, const std::vector<std::string_view>& lines,
                 std::size_t from, std::size_t count)
{
    for (std::size_t k = 0; k < count; ++k)
        out.push_back({op, std::string(lines[from + k])});
}

// The shortest script for a[from..from + n) to b[from..from + m), or nothing when the search
// goes over its budget.
bool searchMiddle(std::vector<DiffLine>& out, const std::vector<std::string_view>& a,
                  const std::vector<std::string_view>& b, std::size_t from, std::size_t n, std::size_t m,
                  std::size_t maxSteps)
{
    if (n + m > kMaxSearchLines)
        return false;
    // Equal lines get equal ids, so that a step compares two integers.
    std::unordered_map<std::string_view, LineId> ids;
    ids.reserve(n + m);
    auto intern = [&](const std::vector<std::string_view>& lines, std::size_t count) {
        std::vector<LineId> seq;
        seq.reserve(count);
        for (std::size_t k = 0; k < count; ++k)
            seq.push_back(ids.try_emplace(lines[from + k], static_cast<LineId>(ids.size())).first->second);
        return seq;
    };
    const std::vector<LineId> ia = intern(a, n);
    const std::vector<LineId> ib = intern(b, m);

    StepBudget budget{std::min(maxSteps, kMaxSteps)};
    dtl::Diff<LineId, std::vector<LineId>, BudgetedCompare> diff(ia, ib, BudgetedCompare(&budget));
    diff.compose();
    if (budget.spent)
        return false;

    // Replay the script, each run of changes as its removed lines then its added lines.
    std::vector<DiffLine> middle;
    middle.reserve(n + m);
    std::size_t i = 0, j = 0;
    std::size_t removed = 0, added = 0;
    auto flush = [&] {
        appendLines(middle, DiffLine::Op::Removed, a, from + i, removed);
        appendLines(middle, DiffLine::Op::Added, b, from + j, added);
        i += removed;
        j += added;
        removed = added = 0;
    };
    for (const auto& [id, info] : diff.getSes().getSequence()) {
        switch (info.type) {
        case dtl::SES_DELETE:
            ++removed;
            break;
        case dtl::SES_ADD:
            ++added;
            break;
        default:
            flush();
            if (i >= n || j >= m || ia[i] != ib[j])
                return false;
            middle.push_back({DiffLine::Op::Same, std::string(a[from + i])});
            ++i;
            ++j;
            break;
        }
    }
    flush();
    if (i != n || j != m)
        return false;
    std::move(middle.begin(), middle.end(), std::back_inserter(out));
    return true;
}

} // namespace

std::vector<DiffLine> diffLines(std::string_view before, std::string_view after, std::size_t maxSteps)
{
    const std::vector<std::string_view> a = splitLines(before);
    const std::vector<std::string_view> b = splitLines(after);
    std::vector<DiffLine> out;

    // Common prefix and suffix need no search.
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    out.reserve(a.size() + b.size() - prefix - suffix);
    appendLines(out, DiffLine::Op::Same, a, 0, prefix);

    const std::size_t n = a.size() - prefix - suffix;
    const std::size_t m = b.size() - prefix - suffix;
    if (n == 0 || m == 0 || !searchMiddle(out, a, b, prefix, n, m, maxSteps)) {
        appendLines(out, DiffLine::Op::Removed, a, prefix, n);
        appendLines(out, DiffLine::Op::Added, b, prefix, m);
    }
    appendLines(out, DiffLine::Op::Same, a, a.size() - suffix, suffix);
    return out;
}

} // namespace decksync
