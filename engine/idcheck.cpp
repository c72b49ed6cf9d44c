// SPDX-License-Identifier: MIT
#include "engine/idcheck.h"

#include "engine/idindex.h"
#include "engine/synctraits.h"

#include <span> // span

namespace decksync {

template <class T>
std::optional<DecodeError> findDuplicateId(std::span<const T> items, std::string_view listPointer)
{
    IdIndex seen(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        seen.prefetchAhead(items, i, [](const T& item) -> const Uuid& { return SyncTraits<T>::id(item); });
        const Uuid& id = SyncTraits<T>::id(items[i]);
        const auto [first, inserted] = seen.emplace(id, static_cast<std::uint32_t>(i));
        if (inserted)
            continue;
        const std::string list = std::string(listPointer) + '/';
        DecodeError e;
        e.pointer = list + std::to_string(i) + "/id";
        e.message = "duplicate id \"" + id.toString() + "\", first at " + list + std::to_string(first) + "/id";
        return e;
    }
    return std::nullopt;
}

template std::optional<DecodeError> findDuplicateId(std::span<const Deck>, std::string_view);
template std::optional<DecodeError> findDuplicateId(std::span<const Achievement>, std::string_view);
template std::optional<DecodeError> findDuplicateId(std::span<const Progress>, std::string_view);
template std::optional<DecodeError> findDuplicateId(std::span<const StarredDeck>, std::string_view);

std::optional<DecodeError> findDuplicateId(const Dataset& dataset)
{
    if (auto e = findDuplicateId<Deck>(dataset.decks, "/decks"))
        return e;
    if (auto e = findDuplicateId<Achievement>(dataset.achievements, "/achievements"))
        return e;
    if (auto e = findDuplicateId<Progress>(dataset.progress, "/progress"))
        return e;
    return findDuplicateId<StarredDeck>(dataset.starred, "/starred");
}

} // namespace decksync
