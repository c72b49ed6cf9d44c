// SPDX-License-Identifier: MIT
#include "engine/casereport.h"

#include "engine/itemchanges.h"

#include <algorithm> // any_of

namespace decksync {
namespace {

std::string quoted(const std::string& label) { return '"' + label + '"'; }

std::string cut(std::string text)
{
    if (text.size() <= CaseReport::MaxCellChars)
        return text;
    std::size_t at = CaseReport::MaxCellChars;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
        --at; // not inside a UTF-8 sequence
    const std::size_t left = text.size() - at;
    text.resize(at);
    return text + "\u2026 (" + std::to_string(left) + " more bytes)";
}

std::string lastSyncWords(const SyncOptions& o)
{
    return o.lastSync ? "The device last synced at " + o.lastSync->toString() + "."
                      : std::string("The device had never synced.");
}

std::string escapeHtml(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\n': out += "<br>"; break;
        default: out += c;
        }
    }
    return out;
}

std::string escapeCell(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += "<br>";
        else
            out += c;
    }
    return out;
}

} // namespace

CaseReport::CaseReport(const SyncSnapshot& snapshot, const ResolutionSet& resolutions, const CaseSources& sources)
{
    const SyncOptions& o = snapshot.options();
    add(Block::Kind::Title, "DeckSync case report");
    add(Block::Kind::Paragraph, "Device: " + sources.local + ". Server: " + sources.server + ". "
                                    + (sources.base.empty() ? "No base." : "Base: " + sources.base + ".") + ' '
                                    + lastSyncWords(o) + " The sync ran at " + o.now.toString() + " under the "
                                    + profileName(o.profile) + " rules.");

    add(Block::Kind::Section, "Summary");
    Block counts{Block::Kind::Table,
                 {"Type", "In the result", "Added", "Updated", "Deleted", "Conflicts", "With warnings"},
                 {}};
    std::size_t conflicts = 0;
    std::size_t warned = 0;
    for (DataType t : AllDataTypes) {
        const TypeView& v = snapshot.view(t);
        const SyncStats& s = v.stats();
        std::size_t withWarnings = 0;
        for (const ItemRow& r : v.rows())
            withWarnings += (r.diagnostics > 0 && r.worst >= Severity::Warning) || r.anySideGoesBack();
        conflicts += static_cast<std::size_t>(s.conflicts);
        warned += withWarnings;
        counts.rows.push_back({dataTypeName(t), std::to_string(s.total_items), std::to_string(s.added),
                               std::to_string(s.updated), std::to_string(s.deleted), std::to_string(s.conflicts),
                               std::to_string(withWarnings)});
    }
    m_blocks.push_back(std::move(counts));
    const std::string headline = std::to_string(conflicts) + " conflicts, " + std::to_string(warned)
                                 + " items with warnings, " + std::to_string(resolutions.items().size())
                                 + " items resolved by hand.";
    add(Block::Kind::Paragraph, headline);

    add(Block::Kind::Section, "What changes for the user");
    m_summary = "Device: " + sources.local + "\nServer: " + sources.server + '\n' + lastSyncWords(o) + ' ' + headline
                + '\n';
    for (const Side side : {Side::Server, Side::Local}) {
        const std::string heading = side == Side::Server ? "On the server" : "On the device";
        add(Block::Kind::Subsection, heading);
        const std::string words = describeItemChanges(snapshot.resolvedChanges(resolutions, side));
        Block list{Block::Kind::Bullets, {}, {}};
        for (std::size_t at = 0, end; at < words.size(); at = end + 1) {
            end = words.find('\n', at);
            list.lines.push_back(words.substr(at, end - at));
        }
        m_summary += heading + ":\n";
        for (const std::string& line : list.lines)
            m_summary += "  " + line + '\n';
        if (list.lines.empty()) {
            add(Block::Kind::Paragraph, "Nothing changes.");
            m_summary += "  nothing changes\n";
        } else {
            m_blocks.push_back(std::move(list));
        }
    }
    addConflicts(snapshot, resolutions);
}

void CaseReport::add(Block::Kind kind, std::string text) { m_blocks.push_back({kind, {std::move(text)}, {}}); }

void CaseReport::addConflicts(const SyncSnapshot& snapshot, const ResolutionSet& resolutions)
{
    add(Block::Kind::Section, "Conflicts");
    bool any = false;
    Block byHand{Block::Kind::Bullets, {}, {}};
    Block notes{Block::Kind::Bullets, {}, {}};
    Block warnings{Block::Kind::Bullets, {}, {}};
    for (DataType t : AllDataTypes) {
        const TypeView& v = snapshot.view(t);
        for (std::size_t row = 0; row < v.rows().size(); ++row) {
            const ItemRow& r = v.rows()[row];
            const std::string name = std::string(dataTypeName(t)) + ' ' + quoted(v.label(row));
            const ItemResolution* res = resolutions.find(t, r.id);
            if (res)
                byHand.lines.push_back(name + ": " + describeResolution(*res));
            const std::string* note = resolutions.notes().empty() ? nullptr : resolutions.note(t, r.id);
            if (note)
                notes.lines.push_back(name + ": " + *note);
            for (const Diagnostic* d : v.diagnosticsOf(row)) {
                if (d->severity >= Severity::Warning)
                    warnings.lines.push_back(name + ": " + d->message);
            }
            if (r.localGoesBack)
                warnings.lines.push_back(name + ": the device holds version "
                                         + std::to_string(v.version(row, Side::Local).value_or(0))
                                         + " and goes back to version " + std::to_string(v.resultVersion(row).value_or(0)));
            if (r.status != ItemStatus::Conflict)
                continue;
            any = true;
            add(Block::Kind::Subsection, name + " (" + r.id.toString() + ')');
            const Decision* decision = v.decisionOf(row);
            add(Block::Kind::Paragraph, "The sync: " + (decision ? decision->explanation : std::string("no decision"))
                                            + (res ? ". By hand: " + describeResolution(*res) + '.' : std::string("."))
                                            + (note ? " Note: " + *note : std::string()));
            const auto header = [&](Side side) {
                const std::optional<Timestamp> at = v.timestamp(row, side);
                return std::string(side == Side::Local ? "Device" : "Server")
                       + (at ? ", " + std::string(v.timestampName()) + ' ' + at->toString() : std::string());
            };
            Block fields{Block::Kind::Table, {"Field", header(Side::Local), header(Side::Server), "Result"}, {}};
            for (const FieldRow& f : v.fieldRows(row, res)) {
                if (!f.sidesDiffer() && f.result == f.local)
                    continue; // the same everywhere: not part of the conflict
                fields.rows.push_back({f.spec.name, cut(f.local.display()), cut(f.server.display()),
                                       cut(f.result.display())});
            }
            m_blocks.push_back(std::move(fields));
        }
    }
    // Notes on items the sync no longer has (a restored session's, say) are not left out.
    for (const auto& [key, note] : resolutions.notes()) {
        const TypeView& v = snapshot.view(key.type);
        const bool shown = std::any_of(v.rows().begin(), v.rows().end(), [&](const ItemRow& r) { return r.id == key.id; });
        if (!shown)
            notes.lines.push_back(std::string(dataTypeName(key.type)) + ' ' + key.id.toString() + ": " + note);
    }
    if (!any)
        add(Block::Kind::Paragraph, "No conflict.");
    add(Block::Kind::Section, "Resolved by hand");
    if (byHand.lines.empty())
        add(Block::Kind::Paragraph, "Nothing: every item is as the sync decided.");
    else
        m_blocks.push_back(std::move(byHand));
    add(Block::Kind::Section, "Notes");
    if (notes.lines.empty()) {
        add(Block::Kind::Paragraph, "None.");
    } else {
        m_summary += "Notes:\n";
        for (const std::string& line : notes.lines)
            m_summary += "  " + line + '\n';
        m_blocks.push_back(std::move(notes));
    }
    add(Block::Kind::Section, "Warnings");
    if (warnings.lines.empty())
        add(Block::Kind::Paragraph, "None.");
    else
        m_blocks.push_back(std::move(warnings));
}

std::string CaseReport::markdown() const
{
    std::string out;
    for (const Block& b : m_blocks) {
        switch (b.kind) {
        case Block::Kind::Title: out += "# " + b.lines[0] + "\n\n"; break;
        case Block::Kind::Section: out += "## " + b.lines[0] + "\n\n"; break;
        case Block::Kind::Subsection: out += "### " + b.lines[0] + "\n\n"; break;
        case Block::Kind::Paragraph: out += b.lines[0] + "\n\n"; break;
        case Block::Kind::Bullets:
            for (const std::string& line : b.lines)
                out += "- " + line + '\n';
            out += '\n';
            break;
        case Block::Kind::Table: {
            const auto row = [&out](const std::vector<std::string>& cells) {
                out += '|';
                for (const std::string& c : cells)
                    out += ' ' + escapeCell(c) + " |";
                out += '\n';
            };
            row(b.lines);
            out += '|';
            for (std::size_t i = 0; i < b.lines.size(); ++i)
                out += " --- |";
            out += '\n';
            for (const auto& cells : b.rows)
                row(cells);
            out += '\n';
            break;
        }
        }
    }
    return out;
}

std::string CaseReport::html() const
{
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>DeckSync case report</title>"
                      "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;"
                      "vertical-align:top;text-align:left}</style></head><body>\n";
    for (const Block& b : m_blocks) {
        switch (b.kind) {
        case Block::Kind::Title: out += "<h1>" + escapeHtml(b.lines[0]) + "</h1>\n"; break;
        case Block::Kind::Section: out += "<h2>" + escapeHtml(b.lines[0]) + "</h2>\n"; break;
        case Block::Kind::Subsection: out += "<h3>" + escapeHtml(b.lines[0]) + "</h3>\n"; break;
        case Block::Kind::Paragraph: out += "<p>" + escapeHtml(b.lines[0]) + "</p>\n"; break;
        case Block::Kind::Bullets:
            out += "<ul>\n";
            for (const std::string& line : b.lines)
                out += "<li>" + escapeHtml(line) + "</li>\n";
            out += "</ul>\n";
            break;
        case Block::Kind::Table:
            out += "<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\">\n<tr>";
            for (const std::string& c : b.lines)
                out += "<th>" + escapeHtml(c) + "</th>";
            out += "</tr>\n";
            for (const auto& cells : b.rows) {
                out += "<tr>";
                for (const std::string& c : cells)
                    out += "<td>" + escapeHtml(c) + "</td>";
                out += "</tr>\n";
            }
            out += "</table>\n";
            break;
        }
    }
    return out + "</body></html>\n";
}

} // namespace decksync
