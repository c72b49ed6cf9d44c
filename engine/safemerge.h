// SPDX-License-Identifier: MIT
#pragma once

#include "engine/strategies.h"
#include "engine/syncresult.h"

#include <span>   // span
#include <vector> // vector

namespace decksync {

/// The `safe` profile for one data type: a three-way merge of the device's items and the
/// server's against `base`, the state both agreed on at their last sync.
///
/// With a base, field by field: a field changed on one side only takes that side's value; a
/// field changed on both sides to the same value takes it; a field changed on both sides to
/// different values is a conflict, decided by the type's rule (version, then the timestamp;
/// a timestamp after `now` is never trusted) and recorded for review. Progress adds the study
/// time of both sides to the base's, and takes the larger of the other counters. Deletions
/// are explicit: an item of the base missing on one side was deleted there, unless the other
/// side changed it since the base (then it is kept, and recorded as a conflict); an item that
/// is not in the base is new where it is, and kept. Achievements and preferences are never
/// deleted.
///
/// Without a base (`base` null) the same rules run per item, with "changed since last_sync"
/// as the only signal; every such decision says that it had no base.
///
/// Deterministic: the result keeps the server's order, then the device's new items in its
/// order. `ctx.diagnostics` receives what a person should know.
template <class T>
SyncResult<T> safeSync(std::span<const T> local, std::vector<T> server, const std::vector<T>* base,
                       const MergeContext& ctx);

} // namespace decksync
