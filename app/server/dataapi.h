// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

#include "engine/models.h"

/// The whole-dataset endpoints: `GET /data`, `GET /data/{type}` and `PUT /data` (If-Match).
class DataApi {
public:
    /// The dataset document, with `ETag: "N"` and `X-Revision: N`.
    static ApiResponse getAll(ServerStore& store, const ApiRequest& request);
    /// `{"revision": N, "data": [...] | {...} | null}`.
    static ApiResponse getType(ServerStore& store, const ApiRequest& request, decksync::DataType type);
    /// Replaces the dataset when If-Match names the current revision; answers `{"revision": N+1}`.
    static ApiResponse putAll(ServerStore& store, const ApiRequest& request);
};
