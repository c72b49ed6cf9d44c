// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

#include "engine/models.h"

/// The seed's sync handlers: `POST /sync/{type}` through the engine, and `POST /sync/batch`.
class SyncApi {
public:
    /// Body `{"data": [...] (preferences: object or null), "last_sync": TS|null}`; answers
    /// `{"data": merged, "conflicts": [{"local", "remote", "resolution"}], "last_sync": now}`.
    static ApiResponse sync(ServerStore& store, const ApiRequest& request, decksync::DataType type);
    /// Body: the seed's BatchSyncRequest, applied all-or-nothing; answers
    /// `{"transaction_id", "applied", "revision"}`, stored so that a replay answers the same.
    static ApiResponse batch(ServerStore& store, const ApiRequest& request);
};
