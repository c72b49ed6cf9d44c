// SPDX-License-Identifier: MIT
#include "engine/resolution.h"

namespace decksync {

const char* baseName(std::optional<Side> base) { return base ? sideName(*base) : "engine"; }

const FieldOverride* ItemResolution::fieldOverride(std::string_view field) const
{
    for (const FieldOverride& f : fields) {
        if (f.field == field)
            return &f;
    }
    return nullptr;
}

void ItemResolution::setField(FieldOverride value)
{
    for (FieldOverride& f : fields) {
        if (f.field == value.field) {
            f = std::move(value);
            return;
        }
    }
    fields.push_back(std::move(value));
}

const ItemResolution* ResolutionSet::find(DataType type, const Uuid& id) const
{
    const auto it = m_items.find({type, id});
    return it == m_items.end() ? nullptr : &it->second;
}

void ResolutionSet::set(DataType type, const Uuid& id, ItemResolution resolution)
{
    if (resolution.isDefault())
        m_items.erase({type, id});
    else
        m_items[{type, id}] = std::move(resolution);
}

} // namespace decksync
