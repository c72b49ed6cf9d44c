// SPDX-License-Identifier: MIT
#pragma once

#include "engine/itemfields.h"
#include "engine/jsonwriter.h"
#include "engine/resolution.h"
#include "engine/syncengine.h"

#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// One member that the two profiles set differently on an item both keep.
struct FieldDifference {
    std::string name;
    FieldCell seed;
    FieldCell safe;
    /// Where safe's value comes from, as a person says it: "the device", "the server",
    /// "both", "neither side (merged)".
    std::string safeFrom;
};

/// An item on which the seed and safe profiles disagree.
struct ProfileDifference {
    enum class Kind {
        SeedDeletes, ///< the seed's result drops it, safe's keeps it
        SafeDeletes, ///< safe's result drops it, the seed's keeps it
        Differs,     ///< both keep it, with different members
    };
    DataType type = DataType::Decks;
    Uuid id;
    Kind kind = Kind::Differs;
    std::string label; ///< a deck's title, an achievement's type, ...
    std::vector<FieldDifference> fields;
    std::string seedReason; ///< each profile's decision on the item, or empty
    std::string safeReason;
};
const char* differenceKindName(ProfileDifference::Kind kind); ///< "seed-deletes", "safe-deletes", "differs"

/// The same sync under both profiles, and where their results differ.
struct ProfileComparison {
    bool hasBase = false;
    DatasetSyncResult seed;
    DatasetSyncResult safe;
    /// In type order; within a type, in the order of safe's result, then the seed's.
    std::vector<ProfileDifference> differences;
    /// Study time over all progress items, in each result (seconds).
    std::int64_t seedTimeSpent = 0;
    std::int64_t safeTimeSpent = 0;
};

/// Syncs `local` and `server` under the seed profile and under the safe one (against `base`,
/// which may be null), with the same clock and last_sync, and lists where they differ.
ProfileComparison compareProfiles(const Dataset& local, const Dataset& server, const Dataset* base,
                                  const SyncOptions& options);

/// The resolution that gives `difference`'s item what `take`'s result holds, whichever
/// profile the snapshot ran: a side's version when it equals one (a side that lacks the
/// item, when the result drops it), else a side's version with the differing fields typed
/// in. Empty when no resolution can say it (both sides hold an item the result drops).
std::optional<ItemResolution> takeProfileResult(const ProfileComparison& comparison,
                                                const ProfileDifference& difference, Profile take,
                                                const Dataset& local, const Dataset& server);

namespace codec {
/// `{"base": bool, "time_spent": {"seed", "safe"}, "differences": [{"type", "id", "kind",
/// "label", "fields": [{"name", "seed", "safe", "safe_from"}], "seed_reason", "safe_reason"}]}`.
void writeComparison(JsonWriter& writer, const ProfileComparison& comparison);
} // namespace codec

} // namespace decksync
