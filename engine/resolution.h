// SPDX-License-Identifier: MIT
#pragma once

#include "engine/itemfields.h"
#include "engine/models.h"
#include "engine/side.h"

#include <map>      // map
#include <optional> // optional
#include <string>   // string
#include <string_view> // string_view
#include <variant>  // variant
#include <vector>   // vector

namespace decksync {

/// "engine" for an empty base (the engine's result), else the side's name: how session files
/// and history records write an item's base.
const char* baseName(std::optional<Side> base);

/// One field of the resolved item: taken from a side, or a value typed by hand (absent: the
/// member removed). A default or `{}` source is a typed "absent".
struct FieldOverride {
    std::string field;
    std::variant<FieldCell, Side> source;

    /// The side the field comes from; empty for a typed value.
    [[nodiscard]] std::optional<Side> side() const
    {
        const Side* s = std::get_if<Side>(&source);
        return s ? std::optional<Side>(*s) : std::nullopt;
    }
    /// The typed value, or nullptr when the field comes from a side.
    [[nodiscard]] const FieldCell* manual() const { return std::get_if<FieldCell>(&source); }
    friend bool operator==(const FieldOverride&, const FieldOverride&) = default;
};

/// A person's decision about one item, stored as data (after KDiff3's MergeEditLine): a base
/// version plus field overrides. The base is one side's version, or empty for the engine's
/// result; the default (no base, no overrides) means "as the engine did".
struct ItemResolution {
    std::optional<Side> base;
    std::vector<FieldOverride> fields;
    /// Keep both (decks): besides the resolved item, the device's version is kept as a new
    /// deck (deviceCopyId(), its title naming the copy and its time; see deviceCopyOf()).
    bool keepDeviceCopy = false;

    [[nodiscard]] bool isDefault() const { return !base && fields.empty() && !keepDeviceCopy; }
    /// The override for `field`, or nullptr.
    [[nodiscard]] const FieldOverride* fieldOverride(std::string_view field) const;
    /// Sets or replaces the override of one field.
    void setField(FieldOverride value);
    friend bool operator==(const ItemResolution&, const ItemResolution&) = default;
};

/// A resolution in words: "keep the device's item; title: typed by hand (Biology)" and the like.
std::string describeResolution(const ItemResolution& resolution);

/// The id of the new deck that "keep both" makes from the device's copy of deck `id`: the same
/// for the same id on every machine (a replay gives the same bytes), never `id` itself.
Uuid deviceCopyId(const Uuid& id);
/// The device's deck `local` as the new deck "keep both" adds: deviceCopyId(), version 1, and
/// the title "<title> (device copy, <its updated_at, to the minute>)".
Deck deviceCopyOf(const Deck& local);

struct ResolutionKey {
    DataType type;
    Uuid id;
    friend auto operator<=>(const ResolutionKey&, const ResolutionKey&) = default;
};

/// Every manual resolution of a session, and the person's notes on items, ordered by type and
/// id (deterministic output). A note ("user confirmed the tablet copy is right") belongs to
/// the item, not to its resolution: it stays when the item is resolved another way, and an
/// item may have a note and no resolution. size() and empty() count resolutions only.
class ResolutionSet {
public:
    [[nodiscard]] const ItemResolution* find(DataType type, const Uuid& id) const;
    /// Stores `resolution`; a default one removes the entry.
    void set(DataType type, const Uuid& id, ItemResolution resolution);
    void clear()
    {
        m_items.clear();
        m_notes.clear();
    }
    [[nodiscard]] std::size_t size() const { return m_items.size(); }
    [[nodiscard]] bool empty() const { return m_items.empty(); }
    [[nodiscard]] const std::map<ResolutionKey, ItemResolution>& items() const { return m_items; }

    /// The note on an item, or nullptr.
    [[nodiscard]] const std::string* note(DataType type, const Uuid& id) const;
    /// Stores the note on an item as keptNote() has it; an empty (or all-blank) one removes it.
    void setNote(DataType type, const Uuid& id, std::string_view note);
    /// A note as it is kept: without the blanks (space, tab, line breaks) around it.
    [[nodiscard]] static std::string keptNote(std::string_view note);
    [[nodiscard]] const std::map<ResolutionKey, std::string>& notes() const { return m_notes; }
    friend bool operator==(const ResolutionSet&, const ResolutionSet&) = default;

private:
    std::map<ResolutionKey, ItemResolution> m_items;
    std::map<ResolutionKey, std::string> m_notes;
};

} // namespace decksync
