// SPDX-License-Identifier: MIT
#pragma once

#include "engine/itemchanges.h"
#include "engine/itemfields.h"
#include "engine/resolution.h"
#include "engine/side.h"
#include "engine/syncengine.h"

#include <array>    // array
#include <memory>   // shared_ptr, unique_ptr
#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// What happened to an item, as the inspector's status column shows it.
enum class ItemStatus : unsigned char { Unchanged, Added, Updated, Deleted, Merged, Conflict };
const char* itemStatusName(ItemStatus status); ///< "unchanged", "added", ...

/// One item across the states, aligned by id (KDiff3's Diff3Line for items): its position in
/// the base, local, server and merged lists (-1: not there), its conflict record and
/// decision (-1: none) and how many diagnostics concern it.
struct ItemRow {
    Uuid id;
    std::int32_t base = -1;
    std::int32_t local = -1;
    std::int32_t server = -1;
    std::int32_t merged = -1;
    std::int32_t conflict = -1;
    std::int32_t decision = -1;
    std::uint32_t diagnostics = 0;
    ItemStatus status = ItemStatus::Unchanged;
    Severity worst = Severity::Info; ///< the most severe diagnostic, when there are some
    /// The engine's result has a lower version than this side's copy: after the sync, that
    /// side goes back (a device at version 4 gets the server's version 2). It can happen to
    /// an item the device did not change since its last sync, which is then "unchanged".
    bool localGoesBack = false;
    bool serverGoesBack = false;
    [[nodiscard]] bool goesBack(Side side) const { return side == Side::Local ? localGoesBack : serverGoesBack; }
    [[nodiscard]] bool anySideGoesBack() const { return localGoesBack || serverGoesBack; }
};

/// One field of one item on each side and in the result (the engine's, or a resolution
/// applied): the rows every pane of the side-by-side view draws from.
struct FieldRow {
    FieldSpec spec;
    FieldCell base; ///< absent when the snapshot has no base, or the base lacks the item
    FieldCell local;
    FieldCell server;
    FieldCell result;
    bool hasBase = false; ///< the snapshot has a base (which may lack this item)
    [[nodiscard]] const FieldCell& cell(Side side) const { return side == Side::Local ? local : server; }
    [[nodiscard]] bool sidesDiffer() const { return local != server; }
    /// The side's value differs from the base's (never, without a base).
    [[nodiscard]] bool changedSinceBase(Side side) const { return hasBase && cell(side) != base; }
};

/// One data type of a snapshot, without its C++ type: what the item models and the
/// conflict view read. Rows come in the merged state's order: the server's items, then the
/// items new from the device, then local items the sync drops.
class TypeView {
public:
    virtual ~TypeView() = default;
    [[nodiscard]] virtual DataType type() const = 0;
    [[nodiscard]] virtual const std::vector<ItemRow>& rows() const = 0;
    /// The first row of `id`, or -1: from the index the rows were built with, so a caller on
    /// the GUI thread has nothing to build.
    [[nodiscard]] virtual std::int64_t rowOf(const Uuid& id) const = 0;
    /// Every row of `id`, in order: more than one when the server holds the id more than once.
    [[nodiscard]] virtual std::vector<std::size_t> rowsOf(const Uuid& id) const = 0;
    /// The sync had a base (the safe profile's three-way merge reads it).
    [[nodiscard]] virtual bool hasBase() const = 0;
    [[nodiscard]] virtual std::string label(std::size_t row) const = 0;
    /// The item's sync timestamp on one side (its updated_at, earned_at, ...), if it is there.
    [[nodiscard]] virtual std::optional<Timestamp> timestamp(std::size_t row, Side side) const = 0;
    [[nodiscard]] virtual std::optional<std::int64_t> version(std::size_t row, Side side) const = 0;
    /// The version in the engine's result, if the item is there and has one.
    [[nodiscard]] virtual std::optional<std::int64_t> resultVersion(std::size_t row) const = 0;
    [[nodiscard]] virtual const char* timestampName() const = 0;
    /// Field rows of one item; the result column shows `resolution` applied (or the engine's).
    [[nodiscard]] virtual std::vector<FieldRow> fieldRows(std::size_t row, const ItemResolution* resolution) const = 0;
    /// Checks a value for a field of this type without changing anything.
    virtual bool validate(std::string_view field, const FieldCell& cell, std::string* error) const = 0;
    /// The value as the item stores it (a time in UTC, say), or nullopt and why it is refused.
    [[nodiscard]] virtual std::optional<FieldCell> canonical(std::string_view field, const FieldCell& cell,
                                                             std::string* error) const = 0;
    [[nodiscard]] virtual const SyncStats& stats() const = 0;
    [[nodiscard]] virtual const std::vector<Diagnostic>& diagnostics() const = 0;
    [[nodiscard]] virtual std::vector<const Diagnostic*> diagnosticsOf(std::size_t row) const = 0;
    [[nodiscard]] virtual const Decision* decisionOf(std::size_t row) const = 0;
    [[nodiscard]] std::size_t count(ItemStatus status) const;
    [[nodiscard]] std::size_t rowsWithDiagnostics() const;
};

/// Both sides, the engine's result and the aligned rows of one sync: immutable once built,
/// shared between the GUI thread and workers.
class SyncSnapshot {
public:
    /// Syncs `local` with `server` against `base` (null: none), sharing all three (no copy).
    /// With an observer, reports progress and may throw OperationCancelled.
    static std::shared_ptr<const SyncSnapshot> create(std::shared_ptr<const Dataset> local,
                                                      std::shared_ptr<const Dataset> server, const SyncOptions& options,
                                                      ProgressObserver* observer = nullptr,
                                                      std::shared_ptr<const Dataset> base = nullptr);
    /// The same for datasets the snapshot may own.
    static std::shared_ptr<const SyncSnapshot> create(Dataset local, Dataset server, const SyncOptions& options,
                                                      ProgressObserver* observer = nullptr);
    ~SyncSnapshot();

    [[nodiscard]] const Dataset& local() const { return *m_local; }
    [[nodiscard]] const Dataset& server() const { return *m_server; }
    /// The state both sides agreed on, or null when the sync had none.
    [[nodiscard]] const Dataset* base() const { return m_base.get(); }
    [[nodiscard]] const DatasetSyncResult& result() const { return m_result; }
    [[nodiscard]] const SyncOptions& options() const { return m_options; }
    [[nodiscard]] const TypeView& view(DataType type) const { return *m_views[static_cast<std::size_t>(type)]; }

    /// The new server state with `resolutions` applied (the engine's result where there are
    /// none), `last_sync` = now. Items whose resolution cannot be applied keep the engine's
    /// version and are listed in `problems`.
    [[nodiscard]] Dataset resolvedServerState(const ResolutionSet& resolutions,
                                              std::vector<std::string>* problems = nullptr) const;
    /// Per type (in AllDataTypes order), how many items resolvedServerState() would hold,
    /// with the same `problems`, without building the datasets (the Apply preview).
    [[nodiscard]] std::array<std::size_t, 5> resolvedCounts(const ResolutionSet& resolutions,
                                                            std::vector<std::string>* problems = nullptr) const;
    /// What applying `resolutions` does to each item's copy on `side` (deleted, going back,
    /// replaced, added), sorted as itemChanges() sorts, without building the datasets.
    [[nodiscard]] std::vector<ItemChange> resolvedChanges(const ResolutionSet& resolutions, Side side) const;
    /// What the device holds after applying: the resolved server state, with the local
    /// file's unknown top-level members.
    [[nodiscard]] Dataset resolvedLocalState(const Dataset& resolvedServer) const;

private:
    SyncSnapshot() = default;

    std::shared_ptr<const Dataset> m_local;
    std::shared_ptr<const Dataset> m_server;
    std::shared_ptr<const Dataset> m_base;
    DatasetSyncResult m_result;
    SyncOptions m_options;
    std::array<std::unique_ptr<TypeView>, 5> m_views;
};

} // namespace decksync
