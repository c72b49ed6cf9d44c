// SPDX-License-Identifier: MIT
// diffLines: the line splitting it keeps, shortest scripts against a naive LCS, its step bound.
#include "testutil.h"

#include "engine/linediff.h"

#include <QObject>
#include <QTest>

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using decksync::DiffLine;
using decksync::diffLines;

namespace {

std::vector<std::string> splitLines(std::string_view text)
{
    std::vector<std::string> lines;
    if (text.empty())
        return lines;
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            return lines;
        }
        lines.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
}

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i)
        text += (i ? "\n" : "") + lines[i];
    return text;
}

/// "=same|-removed|+added", with a carriage return written as \r.
std::string script(const std::vector<DiffLine>& diff)
{
    std::string out;
    for (std::size_t k = 0; k < diff.size(); ++k) {
        const DiffLine& line = diff[k];
        if (k)
            out += '|';
        out += line.op == DiffLine::Op::Same ? '=' : line.op == DiffLine::Op::Removed ? '-' : '+';
        for (const char c : line.text)
            out += c == '\r' ? std::string("\\r") : std::string(1, c);
    }
    return out;
}

std::size_t editCount(const std::vector<DiffLine>& diff)
{
    return static_cast<std::size_t>(
        std::count_if(diff.begin(), diff.end(), [](const DiffLine& l) { return l.op != DiffLine::Op::Same; }));
}

/// Applies `diff` to the lines of `before`; false when the script does not fit them.
bool apply(const std::vector<DiffLine>& diff, const std::vector<std::string>& before, std::vector<std::string>& after)
{
    after.clear();
    std::size_t i = 0;
    for (const DiffLine& line : diff) {
        switch (line.op) {
        case DiffLine::Op::Same:
            if (i >= before.size() || before[i] != line.text)
                return false;
            after.push_back(before[i++]);
            break;
        case DiffLine::Op::Removed:
            if (i >= before.size() || before[i] != line.text)
                return false;
            ++i;
            break;
        case DiffLine::Op::Added:
            after.push_back(line.text);
            break;
        }
    }
    return i == before.size();
}

/// Inside each run of changes, no removed line comes after an added one.
bool removedBeforeAdded(const std::vector<DiffLine>& diff)
{
    for (std::size_t k = 1; k < diff.size(); ++k) {
        if (diff[k - 1].op == DiffLine::Op::Added && diff[k].op == DiffLine::Op::Removed)
            return false;
    }
    return true;
}

std::size_t naiveLcs(const std::vector<std::string>& a, const std::vector<std::string>& b)
{
    std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j)
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
    return t[a.size()][b.size()];
}

} // namespace

class TestLineDiff : public QObject {
    Q_OBJECT

private slots:
    void diff_data();
    void diff();
    void randomPairsAreShortest();
    void overBudgetShowsAllRemovedThenAdded_data();
    void overBudgetShowsAllRemovedThenAdded();
    void largeTextsWithFewEdits_data();
    void largeTextsWithFewEdits();
};

void TestLineDiff::diff_data()
{
    QTest::addColumn<std::string>("before");
    QTest::addColumn<std::string>("after");
    QTest::addColumn<std::string>("expected");

    QTest::newRow("empty, empty") << std::string() << std::string() << std::string();
    QTest::newRow("empty before") << std::string() << std::string("a\nb") << std::string("+a|+b");
    QTest::newRow("empty after") << std::string("a\nb") << std::string() << std::string("-a|-b");
    QTest::newRow("identical") << std::string("a\nb\nc") << std::string("a\nb\nc") << std::string("=a|=b|=c");
    QTest::newRow("insert at start") << std::string("b\nc") << std::string("a\nb\nc") << std::string("+a|=b|=c");
    QTest::newRow("insert in the middle") << std::string("a\nc") << std::string("a\nb\nc") << std::string("=a|+b|=c");
    QTest::newRow("insert at end") << std::string("a\nb") << std::string("a\nb\nc") << std::string("=a|=b|+c");
    QTest::newRow("delete") << std::string("a\nb\nc") << std::string("a\nc") << std::string("=a|-b|=c");
    QTest::newRow("replace") << std::string("a\nb\nc") << std::string("a\nx\nc") << std::string("=a|-b|+x|=c");
    QTest::newRow("replace a block") << std::string("a\nb\nc\nd") << std::string("a\nx\ny\nd")
                                     << std::string("=a|-b|-c|+x|+y|=d");
    QTest::newRow("two replacements") << std::string("a\nb\nc\nd\ne") << std::string("a\nx\nc\ny\ne")
                                      << std::string("=a|-b|+x|=c|-d|+y|=e");
    QTest::newRow("searched middle") << std::string("a\nb\nc\nd") << std::string("b\nc\nx\nd")
                                     << std::string("-a|=b|=c|+x|=d");
    QTest::newRow("everything replaced") << std::string("a\nb") << std::string("x\ny") << std::string("-a|-b|+x|+y");
    // A trailing '\n' ends the text with an empty line.
    QTest::newRow("trailing newline added") << std::string("a\nb") << std::string("a\nb\n") << std::string("=a|=b|+");
    QTest::newRow("trailing newline removed") << std::string("a\n") << std::string("a") << std::string("=a|-");
    QTest::newRow("trailing newline on both") << std::string("a\nb\n") << std::string("a\nc\n")
                                              << std::string("=a|-b|+c|=");
    QTest::newRow("newline only") << std::string("\n") << std::string() << std::string("-|-");
    QTest::newRow("blank line inserted") << std::string("a\nb") << std::string("a\n\nb") << std::string("=a|+|=b");
    // '\r' is part of its line.
    QTest::newRow("CRLF kept") << std::string("a\r\nb") << std::string("a\r\nc") << std::string("=a\\r|-b|+c");
    QTest::newRow("CRLF against LF") << std::string("a\r\nb\r\n") << std::string("a\nb\n")
                                     << std::string("-a\\r|-b\\r|+a|+b|=");
    QTest::newRow("repeated line removed") << std::string("x\nx\nx") << std::string("x\nx") << std::string("=x|=x|-x");
    QTest::newRow("repeated line added") << std::string("a\nx\na\nx") << std::string("a\nx\nx\na\nx")
                                         << std::string("=a|=x|+x|=a|=x");
    QTest::newRow("repeated lines around a change") << std::string("x\nx\na\nx\nx") << std::string("x\nx\nb\nx\nx")
                                                    << std::string("=x|=x|-a|+b|=x|=x");
}

void TestLineDiff::diff()
{
    QFETCH(std::string, before);
    QFETCH(std::string, after);
    QFETCH(std::string, expected);

    const std::vector<DiffLine> result = diffLines(before, after);
    QCOMPARE(script(result), expected);
    std::vector<std::string> applied;
    QVERIFY(apply(result, splitLines(before), applied));
    QCOMPARE(joinLines(applied), after);
    QCOMPARE(diffLines(before, after), result);
}

void TestLineDiff::randomPairsAreShortest()
{
    std::mt19937 rng(20240611u);
    const std::vector<std::string> alphabet = {"a", "b", "c", "", "a\r"};
    std::uniform_int_distribution<std::size_t> pickLine(0, alphabet.size() - 1);
    std::uniform_int_distribution<std::size_t> pickLength(0, 14);
    auto randomText = [&] {
        std::vector<std::string> lines(pickLength(rng));
        for (std::string& line : lines)
            line = alphabet[pickLine(rng)];
        return joinLines(lines);
    };
    for (int round = 0; round < 3000; ++round) {
        const std::string before = randomText();
        // Half of the pairs are edits of `before`, so that they share long runs.
        std::string after = randomText();
        if (round % 2) {
            std::vector<std::string> lines = splitLines(before);
            for (int e = 0; e < 3 && !lines.empty(); ++e) {
                const std::size_t at = rng() % lines.size();
                if (rng() % 2)
                    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
                else
                    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), alphabet[pickLine(rng)]);
            }
            after = joinLines(lines);
        }
        const std::vector<std::string> a = splitLines(before);
        const std::vector<std::string> b = splitLines(after);
        const std::vector<DiffLine> result = diffLines(before, after);

        std::vector<std::string> applied;
        QVERIFY2(apply(result, a, applied), script(result).c_str());
        QCOMPARE(applied, b);
        QCOMPARE(editCount(result), a.size() + b.size() - 2 * naiveLcs(a, b));
        QVERIFY2(removedBeforeAdded(result), script(result).c_str());
    }
}

void TestLineDiff::overBudgetShowsAllRemovedThenAdded_data()
{
    QTest::addColumn<std::string>("before");
    QTest::addColumn<std::string>("after");
    QTest::addColumn<std::size_t>("maxSteps");
    QTest::addColumn<std::string>("expected");

    // The common first and last lines stay matched; the middle is not searched.
    QTest::newRow("no steps") << std::string("a\nb\nc\nd\ne") << std::string("a\nx\nc\ny\ne") << std::size_t(0)
                              << std::string("=a|-b|-c|-d|+x|+c|+y|=e");
    QTest::newRow("too few steps") << std::string("a\nb\nc\nd\ne") << std::string("a\nx\nc\ny\ne") << std::size_t(3)
                                   << std::string("=a|-b|-c|-d|+x|+c|+y|=e");
    QTest::newRow("enough steps") << std::string("a\nb\nc\nd\ne") << std::string("a\nx\nc\ny\ne") << std::size_t(100)
                                  << std::string("=a|-b|+x|=c|-d|+y|=e");
    QTest::newRow("one side empty needs no steps") << std::string("a\nb") << std::string("a\nb\nc\nd")
                                                    << std::size_t(0) << std::string("=a|=b|+c|+d");
}

void TestLineDiff::overBudgetShowsAllRemovedThenAdded()
{
    QFETCH(std::string, before);
    QFETCH(std::string, after);
    QFETCH(std::size_t, maxSteps);
    QFETCH(std::string, expected);

    QCOMPARE(script(diffLines(before, after, maxSteps)), expected);
}

void TestLineDiff::largeTextsWithFewEdits_data()
{
    QTest::addColumn<bool>("blankLines");

    QTest::newRow("distinct lines") << false;
    QTest::newRow("every other line blank") << true;
}

void TestLineDiff::largeTextsWithFewEdits()
{
    QFETCH(bool, blankLines);

    constexpr std::size_t count = 20'000;
    std::vector<std::string> a;
    a.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        a.push_back(blankLines && i % 2 ? std::string() : "card " + std::to_string(i) + " front :: back");
    std::vector<std::string> b = a;
    // Three replacements, two deletions and two insertions, far apart: 3·2 + 2 + 2 edits.
    b[1'000] = "changed 1";
    b[9'000] = "changed 2";
    b[18'000] = "changed 3";
    b.erase(b.begin() + 15'000);
    b.erase(b.begin() + 5'000);
    b.insert(b.begin() + 12'000, "inserted 1");
    b.insert(b.begin() + 3'000, "inserted 2");
    QCOMPARE(b.size(), count);

    const std::vector<DiffLine> result = diffLines(joinLines(a), joinLines(b));
    QCOMPARE(editCount(result), std::size_t(10));
    std::vector<std::string> applied;
    QVERIFY(apply(result, a, applied));
    QCOMPARE(applied, b);
}

QTEST_GUILESS_MAIN(TestLineDiff)
#include "tst_linediff.moc"
