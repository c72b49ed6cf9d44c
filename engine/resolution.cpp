// SPDX-License-Identifier: MIT
#include "engine/resolution.h"

namespace decksync {

const char* baseName(std::optional<Side> base) { return base ? sideName(*base) : "engine"; }

namespace {

std::string sideWord(Side side) { return side == Side::Local ? "the device" : "the server"; }

} // namespace

std::string describeResolution(const ItemResolution& r)
{
    std::string out = r.base ? "keep " + sideWord(*r.base) + "'s item" : std::string("start from the sync's result");
    for (const FieldOverride& f : r.fields) {
        out += "; " + f.field + ": ";
        if (const std::optional<Side> side = f.side())
            out += "from " + sideWord(*side);
        else
            out += "typed by hand (" + f.manual()->display() + ')';
    }
    if (r.keepDeviceCopy)
        out += "; and keep the device's version as a new deck";
    return out;
}

Uuid deviceCopyId(const Uuid& id)
{
    // A fixed mask over the id's bytes, then the RFC 4122 version-4 and variant bits: a valid
    // UUID that no other input maps to, and that differs from the id in every byte but those.
    static constexpr std::uint8_t Mask[16] = {0x5d, 0xc1, 0x3a, 0x97, 0x2e, 0x64, 0xb8, 0x0f,
                                              0x71, 0xd3, 0x46, 0xe9, 0x8c, 0x25, 0xfa, 0x13};
    Uuid out = id;
    for (std::size_t i = 0; i < 16; ++i)
        out.bytes[i] = static_cast<std::uint8_t>(id.bytes[i] ^ Mask[i]);
    out.bytes[6] = static_cast<std::uint8_t>((out.bytes[6] & 0x0f) | 0x40);
    out.bytes[8] = static_cast<std::uint8_t>((out.bytes[8] & 0x3f) | 0x80);
    if (out == id) // only when the mask cancels out on the version bytes: flip a free bit
        out.bytes[15] ^= 0x01;
    return out;
}

Deck deviceCopyOf(const Deck& local)
{
    Deck copy = local;
    copy.id = deviceCopyId(local.id);
    copy.version = 1;
    const std::string at = local.updated_at.toString(); // 2024-06-01T09:30:00Z
    copy.title = local.title + " (device copy, " + at.substr(0, 10) + ' ' + at.substr(11, 5) + ')';
    return copy;
}

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

const std::string* ResolutionSet::note(DataType type, const Uuid& id) const
{
    const auto it = m_notes.find({type, id});
    return it == m_notes.end() ? nullptr : &it->second;
}

std::string ResolutionSet::keptNote(std::string_view note)
{
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!note.empty() && blank(note.back()))
        note.remove_suffix(1);
    while (!note.empty() && blank(note.front()))
        note.remove_prefix(1);
    return std::string(note);
}

void ResolutionSet::setNote(DataType type, const Uuid& id, std::string_view note)
{
    std::string kept = keptNote(note);
    if (kept.empty())
        m_notes.erase({type, id});
    else
        m_notes[{type, id}] = std::move(kept);
}

} // namespace decksync
