// SPDX-License-Identifier: MIT
#include "engine/syncengine.h"

#include "engine/fields.h"

#include "engine/idindex.h"
#include "engine/safemerge.h"

namespace decksync {
namespace {

const char* sideName(bool local) { return local ? "local" : "server"; }

Diagnostic duplicateDiagnostic(DataType type, const Uuid& id, bool local, std::size_t first, std::size_t again)
{
    return {Severity::Warning, "duplicate-id", id,
            std::string("id appears more than once in the ") + sideName(local) + ' ' + dataTypeName(type) + " (items "
                + std::to_string(first) + " and " + std::to_string(again) + ")"
                + (local ? "; each copy is synced in turn, the later against what the earlier left"
                         : "; the seed matches only the first")};
}

/// Equal in every modelled field but the sync timestamp and the version.
template <class T>
bool sameContent(const T& a, const T& b)
{
    bool same = true;
    forEachField<T>([&](const auto& f, auto) {
        if (f.name != SyncTraits<T>::timestampName && f.name != "version")
            same = same && a.*(f.member) == b.*(f.member);
    });
    return same;
}

template <class T>
void reportFuture(std::span<const T> items, bool local, Timestamp now, std::vector<Diagnostic>& out)
{
    for (const T& item : items) {
        const Timestamp t = SyncTraits<T>::updatedAt(item);
        if (t > now)
            out.push_back({Severity::Warning, "clock-skew", SyncTraits<T>::id(item),
                           std::string(sideName(local)) + ' ' + SyncTraits<T>::timestampName + ' ' + t.toString()
                               + " is after now (" + now.toString() + "): clock skew on that device?"});
    }
}

} // namespace

const char* profileName(Profile profile) { return profile == Profile::Safe ? "safe" : "seed"; }

std::optional<Profile> profileFromName(std::string_view name)
{
    if (name == "seed")
        return Profile::Seed;
    if (name == "safe")
        return Profile::Safe;
    return std::nullopt;
}

SyncEngine::SyncEngine(SyncOptions options)
    : m_options(options)
{
}

template <class T>
SyncResult<T> SyncEngine::performSync(std::span<const T> local, std::vector<T> server,
                                      const MergeStrategy<T>& strategy) const
{
    using Traits = SyncTraits<T>;
    SyncResult<T> result;
    auto& diagnostics = result.diagnostics;
    const MergeContext ctx{m_options.now, m_options.lastSync, &diagnostics};
    const auto& lastSync = m_options.lastSync;

    reportFuture(local, true, m_options.now, diagnostics);
    reportFuture(std::span<const T>(server), false, m_options.now, diagnostics);

    const auto idOf = [](const T& item) -> const Uuid& { return Traits::id(item); };
    // Every local id with its first position: for duplicates and for the deletion rule.
    IdIndex localIds(local.size());
    for (std::size_t i = 0; i < local.size(); ++i) {
        localIds.prefetchAhead(local, i, idOf);
        const Uuid& id = Traits::id(local[i]);
        const auto [first, inserted] = localIds.emplace(id, static_cast<std::uint32_t>(i));
        if (!inserted)
            diagnostics.push_back(duplicateDiagnostic(Traits::type, id, true, first, i));
    }

    // Start with the server items as the base; index the first occurrence of each id,
    // which is the item the seed's linear search would find.
    std::vector<T>& merged = server;
    IdIndex index(merged.size() + local.size());
    for (std::size_t i = 0; i < merged.size(); ++i) {
        index.prefetchAhead(merged, i, idOf);
        const Uuid& id = Traits::id(merged[i]);
        const auto [first, inserted] = index.emplace(id, static_cast<std::uint32_t>(i));
        if (!inserted)
            diagnostics.push_back(duplicateDiagnostic(Traits::type, id, false, first, i));
    }

    for (const T& localItem : local) {
        if (m_observer && (&localItem - local.data()) % 8192 == 8191)
            checkpoint(static_cast<std::size_t>(&localItem - local.data()), local.size());
        index.prefetchAhead(local, static_cast<std::size_t>(&localItem - local.data()), idOf);
        const Uuid& id = Traits::id(localItem);
        if (lastSync && !(Traits::updatedAt(localItem) > *lastSync))
            continue; // unchanged on this device since the last sync

        const std::uint32_t* found = index.find(id);
        if (!found) {
            index.emplace(id, static_cast<std::uint32_t>(merged.size()));
            merged.push_back(localItem);
            ++result.stats.added;
            result.decisions.push_back({id, DecisionKind::Added, "added: new on this device"});
            continue;
        }
        const std::size_t at = *found;
        T& serverItem = merged[at];
        const Verdict verdict = strategy.resolveConflict(localItem, serverItem, ctx);

        const auto lv = Traits::version(localItem);
        const auto sv = Traits::version(serverItem);
        if (lv && sv && *lv == *sv && verdict.resolution != ConflictResolution::Merge
            && !sameContent(localItem, serverItem))
            diagnostics.push_back({Severity::Warning, "same-version-different-content", id,
                                   "same version " + std::to_string(*lv)
                                       + " on both sides but the content differs: a device changed it without "
                                         "bumping the version; decided by "
                                       + Traits::timestampName});

        const bool record = strategy.shouldRecordConflict(localItem, serverItem);
        std::optional<T> before;
        if (record)
            before = serverItem;

        switch (verdict.resolution) {
        case ConflictResolution::UseLocal:
            serverItem = localItem;
            ++result.stats.local_wins;
            ++result.stats.updated;
            result.decisions.push_back({id, DecisionKind::LocalKept, verdict.reason});
            break;
        case ConflictResolution::UseServer:
            ++result.stats.server_wins;
            result.decisions.push_back({id, DecisionKind::ServerKept, verdict.reason});
            break;
        case ConflictResolution::Merge:
            if (std::optional<T> m = strategy.mergeItems(localItem, serverItem, ctx)) {
                serverItem = std::move(*m);
                ++result.stats.merged;
                result.decisions.push_back({id, DecisionKind::Merged, verdict.reason});
            } else {
                serverItem = localItem; // the seed's fallback when a merge fails
                ++result.stats.local_wins;
                result.decisions.push_back(
                    {id, DecisionKind::MergeFailed, "local kept: the merge was refused, the seed falls back to local"});
            }
            ++result.stats.updated;
            break;
        }
        if (record) {
            result.conflicts.push_back({id, localItem, std::move(*before), verdict.resolution, m_options.now});
            ++result.stats.conflicts;
        }
    }

    // A local item unchanged since the last sync and absent on the server vanishes from both.
    if (lastSync) {
        for (const T& localItem : local) {
            if (!(Traits::updatedAt(localItem) > *lastSync) && !index.contains(Traits::id(localItem)))
                diagnostics.push_back({Severity::Info, "local-dropped", Traits::id(localItem),
                                       "not on the server and unchanged on this device since it last synced: the new state drops it "
                                       "(deleted on another device?)"});
        }
    }

    // The seed's deletion rule: server items the device does not hold are removed.
    if (strategy.supportsDeletions()) {
        std::size_t write = 0;
        for (std::size_t read = 0; read < merged.size(); ++read) {
            localIds.prefetchAhead(merged, read, idOf);
            T& item = merged[read];
            const Uuid& id = Traits::id(item);
            if (localIds.contains(id)) {
                if (write != read)
                    merged[write] = std::move(item);
                ++write;
                continue;
            }
            ++result.stats.deleted;
            result.decisions.push_back({id, DecisionKind::Deleted, "deleted: this device no longer holds it"});
            const Timestamp t = Traits::updatedAt(item);
            if (!lastSync)
                diagnostics.push_back({Severity::Warning, "deletion-unseen", id,
                                       "deleted because this device does not hold it, although this device has never synced: "
                                       "it never saw this item"});
            else if (t > *lastSync)
                diagnostics.push_back({Severity::Warning, "deletion-unseen", id,
                                       std::string("deleted because this device does not hold it, although the server changed it "
                                                   "after this device last synced (")
                                           + Traits::timestampName + ' ' + t.toString() + ", last synced " + lastSync->toString()
                                           + "): this device never saw that version"});
        }
        merged.erase(merged.begin() + static_cast<std::ptrdiff_t>(write), merged.end());
    }

    result.stats.total_items = static_cast<std::int64_t>(merged.size());
    result.merged_items = std::move(merged);
    return result;
}

void SyncEngine::checkpoint(std::size_t done, std::size_t total) const
{
    if (m_observer->isCancelled())
        throw OperationCancelled{};
    m_observer->setProgress(static_cast<double>(done) / static_cast<double>(std::max<std::size_t>(1, total)));
}

template <class T>
SyncResult<T> SyncEngine::run(std::span<const T> local, std::vector<T> server, const MergeStrategy<T>& strategy,
                              const std::vector<T>* base) const
{
    if (m_options.profile == Profile::Seed)
        return performSync(local, std::move(server), strategy);
    std::vector<Diagnostic> diagnostics;
    reportFuture(local, true, m_options.now, diagnostics);
    reportFuture(std::span<const T>(server), false, m_options.now, diagnostics);
    const MergeContext ctx{m_options.now, m_options.lastSync, &diagnostics};
    SyncResult<T> result = safeSync(local, std::move(server), base, ctx);
    result.diagnostics = std::move(diagnostics);
    return result;
}

SyncResult<Deck> SyncEngine::syncDecks(std::span<const Deck> local, std::vector<Deck> server) const
{
    return run(local, std::move(server), DeckMergeStrategy{}, m_base ? &m_base->decks : nullptr);
}

SyncResult<Achievement> SyncEngine::syncAchievements(std::span<const Achievement> local,
                                                     std::vector<Achievement> server) const
{
    return run(local, std::move(server), AchievementMergeStrategy{}, m_base ? &m_base->achievements : nullptr);
}

SyncResult<Progress> SyncEngine::syncProgress(std::span<const Progress> local, std::vector<Progress> server) const
{
    return run(local, std::move(server), ProgressMergeStrategy{}, m_base ? &m_base->progress : nullptr);
}

SyncResult<StarredDeck> SyncEngine::syncStarred(std::span<const StarredDeck> local,
                                                std::vector<StarredDeck> server) const
{
    return run(local, std::move(server), StarredMergeStrategy{}, m_base ? &m_base->starred : nullptr);
}

SyncResult<UserPreferences> SyncEngine::syncPreferences(const std::optional<UserPreferences>& local,
                                                        std::optional<UserPreferences> server) const
{
    std::vector<UserPreferences> serverItems;
    if (server)
        serverItems.push_back(std::move(*server));
    if (!local) {
        SyncResult<UserPreferences> kept;
        kept.stats.total_items = static_cast<std::int64_t>(serverItems.size());
        kept.merged_items = std::move(serverItems);
        return kept;
    }
    std::vector<UserPreferences> baseItems;
    if (m_base && m_base->preferences)
        baseItems.push_back(*m_base->preferences);
    SyncResult<UserPreferences> result = run(std::span<const UserPreferences>(&*local, 1), std::move(serverItems),
                                             PreferencesMergeStrategy{}, m_base ? &baseItems : nullptr);
    if (result.merged_items.size() > 1) {
        // One preferences object per dataset: the server's stays; the device's is not written.
        result.diagnostics.push_back({Severity::Error, "preferences-user-mismatch", local->user_id,
                                      "local and server preferences belong to different users ("
                                          + local->user_id.toString() + " and "
                                          + result.merged_items.front().user_id.toString()
                                          + "); the server's are written, the local ones are in this report only"});
        result.merged_items.resize(1);
        result.stats.total_items = 1;
        --result.stats.added;
        // Every decision and conflict about the device's preferences goes with them (the seed
        // has only its Added; safe may also keep an edit the server deleted).
        const Uuid dropped = local->user_id;
        std::erase_if(result.decisions, [&](const Decision& d) { return d.item_id == dropped; });
        std::erase_if(result.conflicts, [&](const auto& c) { return c.item_id == dropped; });
        result.stats.conflicts = static_cast<std::int64_t>(result.conflicts.size());
    }
    return result;
}

template <class ServerDataset, class Take>
DatasetSyncResult SyncEngine::syncEach(const Dataset& local, ServerDataset& server, Take take) const
{
    DatasetSyncResult out;
    out.profile = m_options.profile;
    out.hadBase = m_base != nullptr && m_options.profile == Profile::Safe; // the seed does not read it
    auto keep = [](auto& report, auto&& result) {
        report = std::move(static_cast<std::decay_t<decltype(report)>&>(result));
        return std::move(result.merged_items);
    };
    out.merged.layout = server.layout;
    out.merged.last_sync = m_options.now;
    out.merged.decks = keep(out.decks, syncDecks(local.decks, take(server.decks, local.decks.size())));
    out.merged.achievements = keep(
        out.achievements, syncAchievements(local.achievements, take(server.achievements, local.achievements.size())));
    out.merged.progress = keep(out.progress, syncProgress(local.progress, take(server.progress, local.progress.size())));
    out.merged.starred = keep(out.starred, syncStarred(local.starred, take(server.starred, local.starred.size())));
    std::optional<UserPreferences> serverPreferences = server.preferences; // one item: a copy costs nothing
    auto prefs = keep(out.preferences, syncPreferences(local.preferences, std::move(serverPreferences)));
    if (!prefs.empty())
        out.merged.preferences = std::move(prefs.front());
    return out;
}

DatasetSyncResult SyncEngine::syncDataset(const Dataset& local, Dataset&& server) const
{
    return syncEach(local, server, [](auto& list, std::size_t) { return std::move(list); });
}

DatasetSyncResult SyncEngine::syncDataset(const Dataset& local, const Dataset& server) const
{
    return syncEach(local, server, [](const auto& list, std::size_t room) {
        std::remove_cvref_t<decltype(list)> copy;
        copy.reserve(list.size() + room);
        copy.insert(copy.end(), list.begin(), list.end());
        return copy;
    });
}

template <class F>
static decltype(auto) visitReport(const DatasetSyncResult& r, DataType type, F&& f)
{
    switch (type) {
    case DataType::Decks: return f(r.decks);
    case DataType::Achievements: return f(r.achievements);
    case DataType::Progress: return f(r.progress);
    case DataType::Starred: return f(r.starred);
    case DataType::Preferences: break;
    }
    return f(r.preferences);
}

const SyncStats& DatasetSyncResult::stats(DataType type) const
{
    return visitReport(*this, type, [](const auto& r) -> const SyncStats& { return r.stats; });
}

const std::vector<Diagnostic>& DatasetSyncResult::diagnostics(DataType type) const
{
    return visitReport(*this, type, [](const auto& r) -> const std::vector<Diagnostic>& { return r.diagnostics; });
}

const std::vector<Decision>& DatasetSyncResult::decisions(DataType type) const
{
    return visitReport(*this, type, [](const auto& r) -> const std::vector<Decision>& { return r.decisions; });
}

std::size_t DatasetSyncResult::conflictCount(DataType type) const
{
    return visitReport(*this, type, [](const auto& r) { return r.conflicts.size(); });
}

template SyncResult<Deck> SyncEngine::performSync(std::span<const Deck>, std::vector<Deck>, const MergeStrategy<Deck>&) const;
template SyncResult<Achievement> SyncEngine::performSync(std::span<const Achievement>, std::vector<Achievement>,
                                                         const MergeStrategy<Achievement>&) const;
template SyncResult<Progress> SyncEngine::performSync(std::span<const Progress>, std::vector<Progress>,
                                                      const MergeStrategy<Progress>&) const;
template SyncResult<StarredDeck> SyncEngine::performSync(std::span<const StarredDeck>, std::vector<StarredDeck>,
                                                         const MergeStrategy<StarredDeck>&) const;
template SyncResult<UserPreferences> SyncEngine::performSync(std::span<const UserPreferences>,
                                                             std::vector<UserPreferences>,
                                                             const MergeStrategy<UserPreferences>&) const;

} // namespace decksync
