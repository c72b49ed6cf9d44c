// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/itemrows.h"
#include "app/server/serverstore.h"
#include "engine/jsonwriter.h"

#include <QString>

#include <optional>

/// The endpoints of a user's history: what each write changed, the data as it was, the changes
/// since a time (delta sync) and the restore of a past revision.
///
///   GET  /revisions[?before=N][&limit=N]   newest first: number, time, who, device, kind, counts
///   GET  /revisions/A..B/diff               per type, the ids added, removed and changed
///   GET  /data?revision=N                   the document as it was at N   (in DataApi)
///   GET  /data?since=TIMESTAMP              the items changed after it, and the tombstones
///   POST /data/restore {"revision": N[, "items": [{"type", "id"}]]}   with If-Match
class HistoryApi {
public:
    static ApiResponse revisions(ServerStore& store, const ApiRequest& request);
    static ApiResponse diff(ServerStore& store, const ApiRequest& request);
    static ApiResponse changesSince(ServerStore& store, const ApiRequest& request, const QString& since);
    static ApiResponse restore(ServerStore& store, const ApiRequest& request);

    /// 404 for a revision after the newest, 410 for one older than the history kept; empty
    /// when the state at `revision` can be rebuilt.
    static std::optional<ApiResponse> unreachable(const StoredHead& head, qint64 revision);
    /// The members of one revision as GET /revisions lists it (inside an object).
    static void writeRevision(decksync::JsonWriter& writer, const RevisionRecord& record);
    /// The page sizes of the history's lists.
    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 1000;
    /// A page of a history list (newest first): revisions before `before` (0: from the newest),
    /// at most `limit`.
    struct Page {
        qint64 before = 0;
        int limit = DefaultLimit;
    };
    /// The page `?before=N&limit=N` asks for; empty, with the 400 in `refusal`, for a bad one.
    static std::optional<Page> page(const ApiRequest& request, ApiResponse* refusal);
    /// "next_before": the last revision listed when the page was full and older history is
    /// kept, else null.
    static void writeNextBefore(decksync::JsonWriter& writer, const Page& page, std::size_t listed,
                                qint64 lastListed, const StoredHead& head);
};
