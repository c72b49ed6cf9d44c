// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"
#include "engine/syncbody.h"
#include "engine/syncengine.h"

#include <type_traits>
#include <utility>

/// The engine's sync of one data type, as `POST /sync/{type}` runs it: the device's upload
/// against the stored items of that type, which it consumes. The fleet scan runs the same
/// call again on a stored upload, so that it finds what the sync found.
template <class T>
decksync::SyncResult<T> runTypeSync(const decksync::SyncEngine& engine, const decksync::SyncBody<T>& body,
                                    decksync::Dataset& stored)
{
    using namespace decksync;
    if constexpr (std::is_same_v<T, Deck>)
        return engine.syncDecks(body.items, std::move(stored.decks));
    else if constexpr (std::is_same_v<T, Achievement>)
        return engine.syncAchievements(body.items, std::move(stored.achievements));
    else if constexpr (std::is_same_v<T, Progress>)
        return engine.syncProgress(body.items, std::move(stored.progress));
    else if constexpr (std::is_same_v<T, StarredDeck>)
        return engine.syncStarred(body.items, std::move(stored.starred));
    else
        return engine.syncPreferences(body.single, std::move(stored.preferences));
}
