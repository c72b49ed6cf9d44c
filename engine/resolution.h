// SPDX-License-Identifier: MIT
#pragma once

#include "engine/itemfields.h"
#include "engine/models.h"

#include <map>     // map
#include <string>  // string
#include <vector>  // vector

namespace decksync {

/// Which version of an item the resolved state starts from.
enum class ItemChoice : unsigned char { Engine, Local, Server };
const char* itemChoiceName(ItemChoice choice); ///< "engine", "local", "server"

/// Where one field of the resolved item comes from.
enum class FieldSource : unsigned char { Local, Server, Manual };
const char* fieldSourceName(FieldSource source); ///< "local", "server", "manual"

struct FieldOverride {
    std::string field;
    FieldSource source = FieldSource::Manual;
    FieldCell manual; ///< the value, for FieldSource::Manual
    friend bool operator==(const FieldOverride&, const FieldOverride&) = default;
};

/// A person's decision about one item, stored as data (after KDiff3's MergeEditLine): a base
/// version plus field overrides. The default (Engine, no overrides) means "as the engine did".
struct ItemResolution {
    ItemChoice base = ItemChoice::Engine;
    std::vector<FieldOverride> fields;

    [[nodiscard]] bool isDefault() const { return base == ItemChoice::Engine && fields.empty(); }
    /// The override for `field`, or nullptr.
    [[nodiscard]] const FieldOverride* fieldOverride(std::string_view field) const;
    /// Sets or replaces the override of one field.
    void setField(FieldOverride value);
    friend bool operator==(const ItemResolution&, const ItemResolution&) = default;
};

struct ResolutionKey {
    DataType type;
    Uuid id;
    friend auto operator<=>(const ResolutionKey&, const ResolutionKey&) = default;
};

/// Every manual resolution of a session, ordered by type and id (deterministic output).
class ResolutionSet {
public:
    [[nodiscard]] const ItemResolution* find(DataType type, const Uuid& id) const;
    /// Stores `resolution`; a default one removes the entry.
    void set(DataType type, const Uuid& id, ItemResolution resolution);
    void clear() { m_items.clear(); }
    [[nodiscard]] std::size_t size() const { return m_items.size(); }
    [[nodiscard]] bool empty() const { return m_items.empty(); }
    [[nodiscard]] const std::map<ResolutionKey, ItemResolution>& items() const { return m_items; }
    friend bool operator==(const ResolutionSet&, const ResolutionSet&) = default;

private:
    std::map<ResolutionKey, ItemResolution> m_items;
};

} // namespace decksync
