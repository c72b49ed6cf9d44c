// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

#include "engine/models.h"

/// The history of one item, for support's per-item view:
///
///   GET /data/{type}/{id}/revisions[?before=N][&limit=N]
///
/// The writes that changed the item, newest first, each with the members GET /revisions gives
/// and the item's text before and after it (`null`: it was not there). As far back as the
/// server keeps history; `next_before` pages on as in /revisions.
class ItemHistoryApi {
public:
    static ApiResponse revisions(ServerStore& store, const ApiRequest& request, decksync::DataType type);
};
