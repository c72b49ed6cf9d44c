// SPDX-License-Identifier: MIT
#pragma once

#include "engine/progress.h"
#include "engine/strategies.h"
#include "engine/syncresult.h"

#include <optional>    // optional
#include <span>        // span
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

/// A set of rules the engine follows. `Seed` is the specification's behaviour with only the
/// intended fixes (pre-merge conflict record, full stats, injected clock, linear lookups).
/// `Safe` merges against a base, field by field, and never infers a deletion from absence
/// alone (see safemerge.h).
enum class Profile { Seed, Safe };
const char* profileName(Profile profile);
std::optional<Profile> profileFromName(std::string_view name);

struct SyncOptions {
    std::optional<Timestamp> lastSync; ///< the device's last successful sync; none = never synced
    Timestamp now;                     ///< the clock: merge timestamps and resolved_at
    Profile profile = Profile::Seed;
};

/// The sync of two whole datasets: the new server state and one report per data type.
struct DatasetSyncResult {
    Dataset merged; ///< the new server state, `last_sync` = now
    Profile profile = Profile::Seed; ///< the rules it ran
    bool hadBase = false;            ///< a base was given (the seed's rules do not read it)
    SyncReport<Deck> decks;
    SyncReport<Achievement> achievements;
    SyncReport<Progress> progress;
    SyncReport<StarredDeck> starred;
    SyncReport<UserPreferences> preferences;

    [[nodiscard]] const SyncStats& stats(DataType type) const;
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics(DataType type) const;
    [[nodiscard]] const std::vector<Decision>& decisions(DataType type) const;
    [[nodiscard]] std::size_t conflictCount(DataType type) const;
};

/// The seed's SyncEngine. Deterministic: the same inputs and options give the same result.
/// Linear: ids are looked up in hash tables, so a sync costs O(local + server).
class SyncEngine {
public:
    explicit SyncEngine(SyncOptions options);

    [[nodiscard]] const SyncOptions& options() const { return m_options; }
    /// Progress and cancellation for long syncs; cancelled work throws OperationCancelled.
    void setObserver(ProgressObserver* observer) { m_observer = observer; }
    /// The state both sides agreed on at their last sync, for the safe profile (which without
    /// one decides per item by last_sync); the seed profile ignores it. Must outlive the syncs.
    void setBase(const Dataset* base) { m_base = base; }
    [[nodiscard]] const Dataset* base() const { return m_base; }

    SyncResult<Deck> syncDecks(std::span<const Deck> local, std::vector<Deck> server) const;
    SyncResult<Achievement> syncAchievements(std::span<const Achievement> local, std::vector<Achievement> server) const;
    SyncResult<Progress> syncProgress(std::span<const Progress> local, std::vector<Progress> server) const;
    SyncResult<StarredDeck> syncStarred(std::span<const StarredDeck> local, std::vector<StarredDeck> server) const;
    /// When the local side has no preferences the server's are kept unchanged.
    SyncResult<UserPreferences> syncPreferences(const std::optional<UserPreferences>& local,
                                                std::optional<UserPreferences> server) const;

    /// Syncs every data type; `server` is consumed to build the merged state without copies.
    DatasetSyncResult syncDataset(const Dataset& local, Dataset&& server) const;
    /// The same for a server state that stays as it is: each list is copied just before its
    /// type syncs, with room for the device's new items (growing the copy would hold two
    /// copies at once: 400 MB at a million decks).
    DatasetSyncResult syncDataset(const Dataset& local, const Dataset& server) const;

    /// The seed's perform_sync over any strategy.
    template <class T>
    SyncResult<T> performSync(std::span<const T> local, std::vector<T> server,
                              const MergeStrategy<T>& strategy) const;

private:
    void checkpoint(std::size_t done, std::size_t total) const;
    /// syncDataset() with each server list from `take(list, device's count)`.
    template <class ServerDataset, class Take>
    DatasetSyncResult syncEach(const Dataset& local, ServerDataset& server, Take take) const;
    /// performSync(), or the safe profile's merge against the base's items of T.
    template <class T>
    SyncResult<T> run(std::span<const T> local, std::vector<T> server, const MergeStrategy<T>& strategy,
                      const std::vector<T>* base) const;

    SyncOptions m_options;
    ProgressObserver* m_observer = nullptr;
    const Dataset* m_base = nullptr;
};

} // namespace decksync
