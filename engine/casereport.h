// SPDX-License-Identifier: MIT
#pragma once

#include "engine/resolution.h"
#include "engine/syncsnapshot.h"

#include <string> // string
#include <vector> // vector

namespace decksync {

/// Where the sides of a case came from, as the report names them.
struct CaseSources {
    std::string local;  ///< the device's file
    std::string server; ///< the server's file or address
    std::string base;   ///< the base file; empty: none
};

/// A support case as a document, for the reply and the ticket: the summary, what changes for
/// the user on each side by name, every conflict with both sides, the result and its reason,
/// the resolutions made by hand, the person's notes on items, and every warning. Built once from a snapshot and its
/// resolutions; the same inputs give the same bytes. Rendered as Markdown or HTML here (the
/// inspector prints the HTML to PDF).
class CaseReport {
public:
    CaseReport(const SyncSnapshot& snapshot, const ResolutionSet& resolutions, const CaseSources& sources);

    [[nodiscard]] std::string markdown() const;
    /// A complete HTML document (UTF-8), plain enough for Qt's rich text and a PDF.
    [[nodiscard]] std::string html() const;
    /// A few lines of plain text to paste into a ticket: the sources, the counts, what each
    /// side loses, and the notes.
    [[nodiscard]] const std::string& summaryText() const { return m_summary; }

    /// A value longer than this is cut in the report's tables (with how much was left out).
    static constexpr std::size_t MaxCellChars = 300;

private:
    struct Block {
        enum class Kind { Title, Section, Subsection, Paragraph, Bullets, Table };
        Kind kind;
        std::vector<std::string> lines; ///< the text; for a table, its header cells
        std::vector<std::vector<std::string>> rows; ///< a table's rows
    };
    void add(Block::Kind kind, std::string text);
    void addConflicts(const SyncSnapshot& snapshot, const ResolutionSet& resolutions);

    std::vector<Block> m_blocks;
    std::string m_summary;
};

} // namespace decksync
