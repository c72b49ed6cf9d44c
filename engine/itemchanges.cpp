// SPDX-License-Identifier: MIT
#include "engine/itemchanges.h"

#include "engine/fields.h"
#include "engine/idindex.h"
#include "engine/itemfields.h"
#include "engine/synctraits.h"

#include <algorithm> // stable_sort
#include <tuple>     // tie

namespace decksync {
namespace {

bool sameUnknown(const LayoutPtr& a, const LayoutPtr& b)
{
    if (a == b)
        return true;
    static const std::vector<UnknownField> none;
    const std::vector<UnknownField>& ua = a ? a->unknown : none;
    const std::vector<UnknownField>& ub = b ? b->unknown : none;
    if (ua.size() != ub.size())
        return false;
    for (const UnknownField& f : ua) {
        const auto same = std::find_if(ub.begin(), ub.end(),
                                       [&](const UnknownField& g) { return g.key == f.key && g.raw == f.raw; });
        if (same == ub.end())
            return false;
    }
    return true;
}

template <class T>
void listChanges(const std::vector<T>& from, const std::vector<T>& to, std::vector<ItemChange>& out)
{
    IdIndex fromIds(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        fromIds.emplace(SyncTraits<T>::id(from[i]), static_cast<std::uint32_t>(i));
    IdIndex seen(to.size());
    for (const T& item : to) {
        seen.emplace(SyncTraits<T>::id(item), 0);
        const std::uint32_t* at = fromIds.find(SyncTraits<T>::id(item));
        if (auto c = changeOf<T>(at ? &from[*at] : nullptr, &item))
            out.push_back(std::move(*c));
    }
    for (const T& item : from) {
        if (!seen.contains(SyncTraits<T>::id(item)))
            out.push_back(*changeOf<T>(&item, nullptr));
    }
}

template <class T>
std::vector<T> asList(const std::optional<T>& v)
{
    return v ? std::vector<T>{*v} : std::vector<T>{};
}

} // namespace

const char* changeKindName(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::Removed: return "deleted";
    case ChangeKind::WentBack: return "going back to an older version";
    case ChangeKind::Changed: return "replaced by another version";
    case ChangeKind::Added: break;
    }
    return "added";
}

template <class T>
bool sameItem(const T& a, const T& b)
{
    return sameFields(a, b) && sameUnknown(a.layout, b.layout);
}

template <class T>
std::optional<ItemChange> changeOf(const T* before, const T* after)
{
    if (!before && !after)
        return std::nullopt;
    if (before && after && sameItem(*before, *after))
        return std::nullopt;
    ItemChange c;
    c.type = SyncTraits<T>::type;
    const T& any = after ? *after : *before;
    c.id = SyncTraits<T>::id(any);
    c.label = ItemFields<T>::label(any);
    c.fromVersion = before ? SyncTraits<T>::version(*before) : std::nullopt;
    c.toVersion = after ? SyncTraits<T>::version(*after) : std::nullopt;
    if (!after)
        c.kind = ChangeKind::Removed;
    else if (!before)
        c.kind = ChangeKind::Added;
    else if (c.fromVersion && c.toVersion && *c.toVersion < *c.fromVersion)
        c.kind = ChangeKind::WentBack;
    else
        c.kind = ChangeKind::Changed;
    return c;
}

#define DECKSYNC_ITEM_CHANGES(T)                                                                                       \
    template bool sameItem<T>(const T&, const T&);                                                                     \
    template std::optional<ItemChange> changeOf<T>(const T*, const T*);
DECKSYNC_ITEM_CHANGES(Deck)
DECKSYNC_ITEM_CHANGES(Achievement)
DECKSYNC_ITEM_CHANGES(Progress)
DECKSYNC_ITEM_CHANGES(StarredDeck)
DECKSYNC_ITEM_CHANGES(UserPreferences)
#undef DECKSYNC_ITEM_CHANGES

std::vector<ItemChange> itemChanges(const Dataset& from, const Dataset& to)
{
    std::vector<ItemChange> out;
    listChanges(from.decks, to.decks, out);
    listChanges(from.achievements, to.achievements, out);
    listChanges(from.progress, to.progress, out);
    listChanges(from.starred, to.starred, out);
    listChanges(asList(from.preferences), asList(to.preferences), out);
    sortChanges(out);
    return out;
}

void sortChanges(std::vector<ItemChange>& changes)
{
    std::stable_sort(changes.begin(), changes.end(), [](const ItemChange& a, const ItemChange& b) {
        return std::tie(a.type, a.kind) < std::tie(b.type, b.kind);
    });
}

std::string describeItemChanges(const std::vector<ItemChange>& changes, std::size_t namesPerLine)
{
    std::string out;
    for (std::size_t i = 0; i < changes.size();) {
        std::size_t end = i;
        while (end < changes.size() && changes[end].type == changes[i].type && changes[end].kind == changes[i].kind)
            ++end;
        out += std::string(dataTypeName(changes[i].type)) + ' ' + changeKindName(changes[i].kind) + " ("
               + std::to_string(end - i) + "): ";
        for (std::size_t k = i; k < end && k - i < namesPerLine; ++k) {
            const ItemChange& c = changes[k];
            if (k > i)
                out += ", ";
            out += '"' + (c.label.empty() ? c.id.toString() : c.label) + '"';
            if (c.fromVersion && c.toVersion && *c.fromVersion != *c.toVersion)
                out += " (version " + std::to_string(*c.fromVersion) + " \u2192 " + std::to_string(*c.toVersion) + ')';
        }
        if (end - i > namesPerLine)
            out += ", and " + std::to_string(end - i - namesPerLine) + " more";
        out += '\n';
        i = end;
    }
    return out;
}

} // namespace decksync
