// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <cstdint> // int64_t
#include <string>  // string
#include <vector>  // vector

namespace decksync {

/// How the engine settled a conflict: the sync specification's own wire enum, as the seed
/// names it, written in reports and the server's conflict records. It keeps its names and its
/// bytes; it is not a second "which side" vocabulary: UseLocal is Side::Local's version,
/// UseServer Side::Server's, and Merge is on neither side (the engine's merged item).
enum class ConflictResolution { UseLocal, UseServer, Merge };
/// "UseLocal", "UseServer", "Merge" (serde's unit-variant names).
const char* resolutionName(ConflictResolution resolution);

/// A pair the strategy thinks a person should review. `server_item` is the server's copy as
/// it was before the merge replaced it. In the safe profile's delete-versus-edit conflicts,
/// the side that deleted the item is given as the base's version of it (what it deleted).
template <class T>
struct SyncConflict {
    Uuid item_id;
    T local_item;
    T server_item;
    ConflictResolution resolution = ConflictResolution::UseServer;
    Timestamp resolved_at;
};

struct SyncStats {
    std::int64_t total_items = 0; ///< items in the merged result
    std::int64_t added = 0;       ///< local items new to the server
    std::int64_t updated = 0;     ///< server items replaced by the local or merged version
    std::int64_t deleted = 0;     ///< server items removed by the deletion rule
    std::int64_t conflicts = 0;   ///< conflicts recorded
    std::int64_t local_wins = 0;
    std::int64_t server_wins = 0;
    std::int64_t merged = 0;

    friend bool operator==(const SyncStats&, const SyncStats&) = default;
};

enum class Severity { Info, Warning, Error };
const char* severityName(Severity severity); ///< "info", "warning", "error"

/// Something about the data that a person should know, with the item it concerns.
struct Diagnostic {
    Severity severity = Severity::Warning;
    std::string code; ///< stable identifier, e.g. "deletion-unseen"
    Uuid item_id;
    std::string message; ///< one sentence
};

enum class DecisionKind { Added, LocalKept, ServerKept, Merged, MergeFailed, Deleted };
const char* decisionName(DecisionKind kind); ///< "added", "local-kept", ...

/// What the engine did with one item and why, for the inspector to show.
struct Decision {
    Uuid item_id;
    DecisionKind kind = DecisionKind::ServerKept;
    std::string explanation; ///< e.g. "server kept: version 2 > 1"
};

/// Everything a sync of one data type reports besides the merged items.
template <class T>
struct SyncReport {
    std::vector<SyncConflict<T>> conflicts;
    SyncStats stats;
    std::vector<Diagnostic> diagnostics;
    std::vector<Decision> decisions;
};

template <class T>
struct SyncResult : SyncReport<T> {
    std::vector<T> merged_items;
};

} // namespace decksync
