// SPDX-License-Identifier: MIT
#pragma once

#include "engine/idindex.h"
#include "engine/synctraits.h"

#include <span>          // span
#include <vector>        // vector

namespace decksync {

/// The seed's DeltaPatch: what changed on each side since the last sync.
template <class T>
struct DeltaPatch {
    std::vector<T> local_changes;
    std::vector<T> server_changes;
    Timestamp last_sync;
    Timestamp patch_created_at;
};

/// The seed's DeltaSync, with hash lookups (linear) and an injected clock.
namespace delta {

/// Items whose sync timestamp is after `since`, in input order.
template <class T>
std::vector<const T*> changesSince(std::span<const T> items, Timestamp since)
{
    std::vector<const T*> out;
    for (const T& item : items) {
        if (SyncTraits<T>::updatedAt(item) > since)
            out.push_back(&item);
    }
    return out;
}

template <class T>
DeltaPatch<T> createPatch(std::span<const T> local, std::span<const T> server, Timestamp lastSync, Timestamp now)
{
    DeltaPatch<T> patch;
    for (const T* item : changesSince(local, lastSync))
        patch.local_changes.push_back(*item);
    for (const T* item : changesSince(server, lastSync))
        patch.server_changes.push_back(*item);
    patch.last_sync = lastSync;
    patch.patch_created_at = now;
    return patch;
}

/// Applies the patch's local changes to `base`: an item with the same id (the first one) is
/// replaced, others are appended. Server changes are informational, as in the seed.
template <class T>
void applyPatch(std::vector<T>& base, const DeltaPatch<T>& patch)
{
    IdIndex index(base.size() + patch.local_changes.size());
    for (std::size_t i = 0; i < base.size(); ++i)
        index.emplace(SyncTraits<T>::id(base[i]), static_cast<std::uint32_t>(i));
    for (const T& change : patch.local_changes) {
        const auto [at, inserted] = index.emplace(SyncTraits<T>::id(change), static_cast<std::uint32_t>(base.size()));
        if (inserted)
            base.push_back(change);
        else
            base[at] = change;
    }
}

} // namespace delta
} // namespace decksync
