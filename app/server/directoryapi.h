// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

/// The support directory: `GET /users[?q=TEXT][&after=EMAIL][&limit=N]`, for a support token
/// only. The users whose email contains TEXT (case aside), by email, each with its role, its
/// newest revision, the time of its last write, the conflicts its syncs resolved (in the
/// history kept, and in the last 7 days) and a health word:
///   "no_data"    it never wrote;
///   "conflicts"  its syncs resolved conflicts in the last 7 days: worth a look;
///   "ok"         otherwise.
class DirectoryApi {
public:
    static constexpr int DefaultLimit = 50;
    static constexpr int MaxLimit = 500;
    static constexpr qint64 RecentMs = 7 * 86'400'000LL;

    static ApiResponse users(ServerStore& store, const ApiRequest& request);
};
