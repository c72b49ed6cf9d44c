// SPDX-License-Identifier: MIT
#include "engine/safemerge.h"

#include "engine/fieldmerge.h"
#include "engine/idindex.h"

#include <algorithm>   // max
#include <cstdint>     // INT64_MIN
#include <string_view> // string_view
#include <type_traits> // is_same_v

namespace decksync {
namespace {

using namespace fieldmerge;

template <class T>
class SafeSync {
public:
    SafeSync(std::span<const T> local, const std::vector<T>* base, const MergeContext& ctx)
        : m_local(local)
        , m_base(base)
        , m_ctx(ctx)
    {
    }

    SyncResult<T> run(std::vector<T> server)
    {
        index(m_local, m_localIds, Side::Local);
        if (m_base)
            index(std::span<const T>(*m_base), m_baseIds, std::nullopt);
        IdIndex serverIds;
        index(std::span<const T>(server), serverIds, Side::Server);

        std::vector<T>& out = m_result.merged_items;
        out.reserve(server.size() + m_local.size());
        IdIndex deleted;
        for (std::size_t i = 0; i < server.size(); ++i) {
            T& s = server[i];
            const Uuid& id = SyncTraits<T>::id(s);
            if (*serverIds.find(id) != i) { // a repeat follows its first copy: deleted with it, else kept as is
                if (!deleted.contains(id))
                    out.push_back(std::move(s));
                continue;
            }
            if (const T* l = find(m_local, m_localIds, id))
                both(*l, std::move(s), out);
            else if (!serverOnly(std::move(s), out))
                deleted.emplace(id, 0);
        }
        for (std::size_t i = 0; i < m_local.size(); ++i) {
            const Uuid& id = SyncTraits<T>::id(m_local[i]);
            if (!serverIds.contains(id) && *m_localIds.find(id) == i)
                localOnly(m_local[i], out);
        }
        m_result.stats.total_items = static_cast<std::int64_t>(out.size());
        return std::move(m_result);
    }

private:
    void index(std::span<const T> items, IdIndex& ids, std::optional<Side> side)
    {
        ids.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Uuid& id = SyncTraits<T>::id(items[i]);
            const auto [first, inserted] = ids.emplace(id, static_cast<std::uint32_t>(i));
            if (!inserted)
                m_ctx.report(Severity::Warning, "duplicate-id", id,
                             std::string("id appears more than once in the ") + (side ? who(*side) : "base") + "'s "
                                 + dataTypeName(SyncTraits<T>::type) + " (items " + std::to_string(first) + " and "
                                 + std::to_string(i) + "); the safe profile merges the first"
                                 + (side == Side::Server ? ", and the others follow it" : ""));
        }
    }

    static const T* find(std::span<const T> items, const IdIndex& ids, const Uuid& id)
    {
        const std::uint32_t* at = ids.find(id);
        return at ? &items[*at] : nullptr;
    }
    const T* baseOf(const Uuid& id) const { return m_base ? find(*m_base, m_baseIds, id) : nullptr; }

    /// Changed since the base (or, with no base, since the last sync).
    bool changed(const T& item, const T* base) const
    {
        if (m_base)
            return !base || !identical(item, *base);
        return !m_ctx.lastSync || SyncTraits<T>::updatedAt(item) > *m_ctx.lastSync;
    }
    std::string noBase() const { return m_base ? "" : " (no base)"; }

    void decide(const Uuid& id, DecisionKind kind, std::string why)
    {
        m_result.decisions.push_back({id, kind, why + noBase()});
    }
    void record(const Uuid& id, const T& local, const T& server, ConflictResolution resolution)
    {
        m_result.conflicts.push_back({id, local, server, resolution, m_ctx.now});
        ++m_result.stats.conflicts;
    }

    void both(const T& l, T s, std::vector<T>& out)
    {
        const Uuid id = SyncTraits<T>::id(s);
        if (identical(l, s)) {
            out.push_back(std::move(s));
            return;
        }
        const T* b = baseOf(id);
        const bool lc = changed(l, b);
        const bool sc = changed(s, b);
        if (!m_base && lc != sc) { // one side changed since the last sync: it is taken whole
            const Side from = lc ? Side::Local : Side::Server;
            take(from, l, std::move(s), std::string(who(from)) + "'s kept: only the " + who(from) + " changed it since the last sync", out);
            return;
        }
        PairMerge<T> m = mergeFields(l, s, m_base ? b : nullptr, m_ctx.now);
        if (m.overflow) {
            m_ctx.report(Severity::Error, "int64-overflow", id, "total_time_spent overflows a 64-bit integer; the rule decides");
            m.conflict = true;
            m.item = ruleWinner(l, s, m_ctx.now).first == Side::Local ? l : s;
        }
        const std::string why = joined(m.notes);
        const bool likeServer = sameContent(m.item, s);
        const bool likeLocal = sameContent(m.item, l);
        ConflictResolution resolution;
        if (likeServer && likeLocal) { // only the bookkeeping differs: the rule picks the copy
            const auto [winner, rule] = ruleWinner(l, s, m_ctx.now);
            resolution = take(winner, l, s, std::string(who(winner)) + "'s kept: the same content on both sides, and " + rule, out);
        } else if (likeServer) {
            resolution = take(Side::Server, l, s, "server's kept: " + why, out);
        } else if (likeLocal) {
            resolution = take(Side::Local, l, s, "device's kept: " + why, out);
        } else {
            std::optional<std::int64_t> version = 0;
            if constexpr (HasVersion<T>)
                version = checkedAdd(std::max(l.version, s.version), 1);
            if (!version) {
                m_ctx.report(Severity::Error, "int64-overflow", id, "the version + 1 overflows a 64-bit integer; the rule decides");
                const Side winner = ruleWinner(l, s, m_ctx.now).first;
                resolution = take(winner, l, s, std::string(who(winner)) + "'s kept: a merge would overflow the version", out);
            } else {
                if constexpr (HasVersion<T>)
                    m.item.version = *version;
                stampMerged(m.item, l, s, m_ctx.now);
                ++m_result.stats.merged;
                ++m_result.stats.updated;
                decide(id, DecisionKind::Merged, "merged: " + why);
                resolution = ConflictResolution::Merge;
                out.push_back(std::move(m.item));
            }
        }
        if (m.conflict)
            record(id, l, s, resolution);
    }

    ConflictResolution take(Side from, const T& l, T s, const std::string& why, std::vector<T>& out)
    {
        const Uuid id = SyncTraits<T>::id(s);
        if constexpr (HasVersion<T>) {
            // The other side's version is higher: the kept content gets a version above both,
            // so that no device takes the state for an older one.
            const T& kept = from == Side::Local ? l : s;
            const T& other = from == Side::Local ? s : l;
            if (other.version > kept.version) {
                if (const auto version = checkedAdd(other.version, 1)) {
                    T item = kept;
                    item.version = *version;
                    if constexpr (!std::is_same_v<T, Progress>)
                        item.updated_at = m_ctx.now;
                    ++m_result.stats.merged;
                    ++m_result.stats.updated;
                    decide(id, DecisionKind::Merged,
                           "merged: " + why + "; version " + std::to_string(*version) + ", above the "
                               + who(otherSide(from)) + "'s");
                    out.push_back(std::move(item));
                    return ConflictResolution::Merge;
                }
            }
        }
        if (from == Side::Local) {
            ++m_result.stats.local_wins;
            ++m_result.stats.updated;
            decide(id, DecisionKind::LocalKept, why);
            out.push_back(l);
            return ConflictResolution::UseLocal;
        }
        ++m_result.stats.server_wins;
        decide(id, DecisionKind::ServerKept, why);
        out.push_back(std::move(s));
        return ConflictResolution::UseServer;
    }

    /// False when the item is deleted.
    bool serverOnly(T s, std::vector<T>& out)
    {
        const Uuid id = SyncTraits<T>::id(s);
        const T* b = baseOf(id);
        const bool deletedOnDevice = m_base ? b != nullptr : !changed(s, nullptr);
        if (!deletedOnDevice) {
            decide(id, DecisionKind::ServerKept,
                   std::string("kept: new on the server ") + (m_base ? "since the base" : "since the last sync")
                       + " (the seed would delete it)");
            out.push_back(std::move(s));
        } else if (!Deletable<T>) {
            decide(id, DecisionKind::ServerKept,
                   std::string("kept: not on the device, but ") + dataTypeName(SyncTraits<T>::type) + " are never deleted");
            out.push_back(std::move(s));
        } else if (m_base && changed(s, b)) {
            decide(id, DecisionKind::ServerKept,
                   "conflict: deleted on the device, changed on the server since the base; kept until someone resolves it");
            record(id, *b, s, ConflictResolution::UseServer);
            m_ctx.report(Severity::Warning, "delete-edit", id,
                         "the device deleted this item and the server changed it since the base: the server's is kept");
            out.push_back(std::move(s));
        } else {
            ++m_result.stats.deleted;
            decide(id, DecisionKind::Deleted,
                   std::string("deleted: the device deleted it, and the server did not change it ")
                       + (m_base ? "since the base" : "since the last sync"));
            return false;
        }
        return true;
    }

    void localOnly(const T& l, std::vector<T>& out)
    {
        const Uuid id = SyncTraits<T>::id(l);
        const T* b = baseOf(id);
        const bool deletedOnServer = m_base ? b != nullptr : !changed(l, nullptr);
        if (!deletedOnServer) {
            ++m_result.stats.added;
            decide(id, DecisionKind::Added, "added: new on the device");
            out.push_back(l);
        } else if (!Deletable<T>) {
            ++m_result.stats.added;
            decide(id, DecisionKind::Added,
                   std::string("added: not on the server, but ") + dataTypeName(SyncTraits<T>::type) + " are never deleted");
            out.push_back(l);
        } else if (m_base && changed(l, b)) {
            ++m_result.stats.added;
            decide(id, DecisionKind::LocalKept,
                   "conflict: deleted on the server, changed on the device since the base; kept until someone resolves it");
            record(id, l, *b, ConflictResolution::UseLocal);
            m_ctx.report(Severity::Warning, "delete-edit", id,
                         "the server deleted this item and the device changed it since the base: the device's is kept");
            out.push_back(l);
        } else {
            decide(id, DecisionKind::Deleted,
                   std::string("stays deleted: the server deleted it, and the device did not change it ")
                       + (m_base ? "since the base" : "since the last sync"));
        }
    }

    std::span<const T> m_local;
    const std::vector<T>* m_base;
    const MergeContext& m_ctx;
    IdIndex m_localIds;
    IdIndex m_baseIds;
    SyncResult<T> m_result;
};

} // namespace

template <class T>
SyncResult<T> safeSync(std::span<const T> local, std::vector<T> server, const std::vector<T>* base,
                       const MergeContext& ctx)
{
    return SafeSync<T>(local, base, ctx).run(std::move(server));
}

template SyncResult<Deck> safeSync(std::span<const Deck>, std::vector<Deck>, const std::vector<Deck>*, const MergeContext&);
template SyncResult<Achievement> safeSync(std::span<const Achievement>, std::vector<Achievement>,
                                          const std::vector<Achievement>*, const MergeContext&);
template SyncResult<Progress> safeSync(std::span<const Progress>, std::vector<Progress>, const std::vector<Progress>*,
                                       const MergeContext&);
template SyncResult<StarredDeck> safeSync(std::span<const StarredDeck>, std::vector<StarredDeck>,
                                          const std::vector<StarredDeck>*, const MergeContext&);
template SyncResult<UserPreferences> safeSync(std::span<const UserPreferences>, std::vector<UserPreferences>,
                                              const std::vector<UserPreferences>*, const MergeContext&);

} // namespace decksync
