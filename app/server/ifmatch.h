// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"

#include <optional>

/// The If-Match precondition of the writes that replace data (PUT /data, POST /data/restore).
namespace IfMatch {

/// 428 when `request` has no If-Match, 400 when it is not `*` nor a list of entity tags;
/// empty when it can be checked. `what` names the endpoint in the message ("PUT /data").
std::optional<ApiResponse> malformed(const ApiRequest& request, const char* what);
/// 409 naming the server's revision when the If-Match of `request` does not hold for
/// `revision`; empty when it holds. Call after malformed().
std::optional<ApiResponse> mismatch(const ApiRequest& request, qint64 revision);

} // namespace IfMatch
