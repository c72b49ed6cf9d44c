// SPDX-License-Identifier: MIT
#pragma once

#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"
#include "engine/models.h"

#include <optional>    // optional
#include <string_view> // string_view
#include <type_traits> // is_same_v
#include <utility>     // move
#include <vector>      // vector

namespace decksync {

/// The body of the sync API's `POST /sync/{type}`: `{"data": [...], "last_sync": TS|null}`,
/// where for preferences `data` is one object or null. Members it does not know are skipped.
template <class T>
struct SyncBody {
    std::vector<T> items;    ///< the list types
    std::optional<T> single;    ///< preferences
    std::optional<Timestamp> lastSync;
};

/// Decodes a sync body; a missing `data` is an error at the body's own position.
template <class T>
Decoded<SyncBody<T>> decodeSyncBody(std::string_view json)
{
    return decodeWith<SyncBody<T>>(json, [](JsonReader& r) {
        SyncBody<T> body;
        bool hasData = false;
        r.peekType();
        const std::size_t start = r.offset();
        r.readObject([&](std::string_view key) {
            if (key == "data") {
                hasData = true;
                if constexpr (std::is_same_v<T, UserPreferences>) {
                    if (!r.readNull()) {
                        T item;
                        codec::readItem(r, item);
                        body.single = std::move(item);
                    }
                } else {
                    r.readArray([&](std::size_t) {
                        T item;
                        codec::readItem(r, item);
                        body.items.push_back(std::move(item));
                    });
                }
            } else if (key == "last_sync") {
                body.lastSync = codec::readOptionalTimestamp(r);
            } else {
                r.skipValue();
            }
        });
        if (!hasData)
            r.fail("missing field \"data\"", start);
        return body;
    });
}

} // namespace decksync
