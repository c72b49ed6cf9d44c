// SPDX-License-Identifier: MIT
#include "engine/safemerge.h"

#include "engine/fields.h"
#include "engine/idindex.h"
#include "engine/side.h"
#include "engine/synctraits.h"

#include <algorithm>   // max
#include <cstdint>     // INT64_MIN
#include <string_view> // string_view
#include <type_traits> // is_same_v

namespace decksync {
namespace {

/// What a member is to the merge.
enum class Role {
    Identity, ///< the id: equal on both sides by construction
    Version,  ///< bookkeeping: max + 1 on a merge
    Stamp,    ///< bookkeeping: the item's sync timestamp, on types with a version
    Plain,    ///< content: merged against the base
    Max,      ///< a counter: the larger of the two
    Sum,      ///< study time: the base plus what each side added
};

template <class T>
constexpr bool HasVersion = !std::is_same_v<T, Achievement> && !std::is_same_v<T, StarredDeck>;
template <class T>
constexpr bool Deletable = !std::is_same_v<T, Achievement> && !std::is_same_v<T, UserPreferences>;

template <class T>
Role roleOf(std::string_view name)
{
    if (name == "id" || (std::is_same_v<T, UserPreferences> && name == "user_id"))
        return Role::Identity;
    if constexpr (HasVersion<T>) {
        if (name == "version")
            return Role::Version;
        if (name == SyncTraits<T>::timestampName)
            return Role::Stamp;
    }
    if constexpr (std::is_same_v<T, Progress>) {
        if (name == "total_time_spent")
            return Role::Sum;
        if (name == "cards_studied" || name == "cards_mastered" || name == "total_cards" || name == "streak_days")
            return Role::Max;
    }
    return Role::Plain;
}

const char* who(Side side) { return side == Side::Local ? "device" : "server"; }

const std::vector<UnknownField>& unknownOf(const LayoutPtr& layout)
{
    static const std::vector<UnknownField> none;
    return layout ? layout->unknown : none;
}

bool sameUnknown(const LayoutPtr& a, const LayoutPtr& b)
{
    const auto& x = unknownOf(a);
    const auto& y = unknownOf(b);
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](const UnknownField& p, const UnknownField& q) { return p.key == q.key && p.raw == q.raw; });
}

/// Equal in content: every member but the id and the bookkeeping, unknown members included.
template <class T>
bool sameContent(const T& a, const T& b)
{
    bool same = sameUnknown(a.layout, b.layout);
    forEachField<T>([&](const auto& f, auto) {
        const Role role = roleOf<T>(f.name);
        if (role != Role::Identity && role != Role::Version && role != Role::Stamp)
            same = same && a.*(f.member) == b.*(f.member);
    });
    return same;
}

template <class T>
bool identical(const T& a, const T& b)
{
    return sameFields(a, b) && sameUnknown(a.layout, b.layout);
}

/// The type's rule for a true conflict: the higher version, then the later timestamp (for
/// achievements the earlier: they are append-only), never a timestamp after `now`; a tie
/// keeps the server's.
template <class T>
std::pair<Side, std::string> ruleWinner(const T& local, const T& server, Timestamp now)
{
    using Traits = SyncTraits<T>;
    const auto lv = Traits::version(local);
    const auto sv = Traits::version(server);
    if (lv && sv && *lv != *sv) {
        const Side w = *lv > *sv ? Side::Local : Side::Server;
        return {w, std::string("the ") + who(w) + "'s version is higher (" + std::to_string(std::max(*lv, *sv)) + " > "
                       + std::to_string(std::min(*lv, *sv)) + ")"};
    }
    const Timestamp lt = Traits::updatedAt(local);
    const Timestamp st = Traits::updatedAt(server);
    const std::string field = Traits::timestampName;
    const bool lTrusted = !(lt > now);
    const bool sTrusted = !(st > now);
    if (lTrusted != sTrusted) {
        const Side untrusted = lTrusted ? Side::Server : Side::Local;
        return {otherSide(untrusted), std::string("the ") + who(untrusted) + "'s " + field + ' '
                                          + (lTrusted ? st : lt).toString() + " is after now ("
                                          + now.toString() + "), so it is not trusted"};
    }
    if (lt != st && lTrusted) {
        constexpr bool earlierWins = std::is_same_v<T, Achievement>;
        const Side w = ((lt < st) == earlierWins) ? Side::Local : Side::Server;
        return {w, std::string("the ") + who(w) + "'s " + field + " is " + (earlierWins ? "earlier" : "later") + " ("
                       + (w == Side::Local ? lt : st).toString() + ")"};
    }
    return {Side::Server, "neither side's version or " + field + " is later, so the server's stays"};
}

/// One item on both sides, merged against `base` (null: no base for this item).
template <class T>
struct PairMerge {
    T item;
    std::vector<std::string> notes;
    bool conflict = false;
    bool overflow = false;
};

template <class T>
PairMerge<T> mergeFields(const T& local, const T& server, const T* base, Timestamp now)
{
    PairMerge<T> m{server, {}, false, false};
    const std::string since = base ? "since the base" : "since the last sync";
    std::optional<std::pair<Side, std::string>> rule; // computed at the first true conflict
    const auto ruled = [&] {
        if (!rule)
            rule = ruleWinner(local, server, now);
        return *rule;
    };
    forEachField<T>([&](const auto& f, auto) {
        const Role role = roleOf<T>(f.name);
        const auto& lv = local.*(f.member);
        const auto& sv = server.*(f.member);
        auto& out = m.item.*(f.member);
        const std::string name(f.name);
        if (role == Role::Identity || role == Role::Version || role == Role::Stamp || lv == sv)
            return;
        using M = std::decay_t<decltype(lv)>;
        if constexpr (std::is_same_v<M, std::int64_t>) {
            if (role == Role::Max) {
                out = std::max(lv, sv);
                m.notes.push_back(name + ": the larger of the two (" + std::to_string(out) + ")");
                return;
            }
            if (role == Role::Sum) {
                if (!base) {
                    out = std::max(lv, sv);
                    m.notes.push_back(name + ": the larger of the two, as there is no base to tell what each side "
                                             "added; study on the other side since the last sync may be missing");
                    return;
                }
                const std::int64_t b = base->*(f.member);
                const auto sum = checkedAdd(lv, sv);
                const auto total = sum && b != INT64_MIN ? checkedAdd(*sum, -b) : std::nullopt;
                if (!total) {
                    m.overflow = true;
                    return;
                }
                out = *total;
                m.notes.push_back(name + ": the base's " + std::to_string(b) + " plus what each side added ("
                                  + std::to_string(lv - b) + " on the device, " + std::to_string(sv - b)
                                  + " on the server)");
                return;
            }
        }
        const bool lc = !base || !(lv == base->*(f.member));
        const bool sc = !base || !(sv == base->*(f.member));
        if (lc && !sc) {
            out = lv;
            m.notes.push_back(name + " from the device: the server did not change it " + since);
        } else if (sc && !lc) {
            m.notes.push_back(name + " from the server: the device did not change it " + since);
        } else {
            m.conflict = true;
            const auto [winner, why] = ruled();
            if (winner == Side::Local)
                out = lv;
            m.notes.push_back("conflict: both changed " + name + "; the " + who(winner) + "'s is kept: " + why);
        }
    });
    // The members no model knows, as one: they come with the side that changed them.
    if (!sameUnknown(local.layout, server.layout)) {
        const bool lc = !base || !sameUnknown(local.layout, base->layout);
        const bool sc = !base || !sameUnknown(server.layout, base->layout);
        if (lc && !sc) {
            m.item.layout = local.layout;
            m.notes.push_back("other members from the device: the server did not change them " + since);
        } else if (lc && sc) {
            m.conflict = true;
            const auto [winner, why] = ruled();
            if (winner == Side::Local)
                m.item.layout = local.layout;
            m.notes.push_back(std::string("conflict: both changed other members; the ") + who(winner) + "'s are kept: " + why);
        }
    }
    return m;
}

/// The sync timestamp of a merged item: now for decks and preferences; progress keeps the
/// later trusted of its two study times.
template <class T>
void stampMerged(T& item, const T& local, const T& server, Timestamp now)
{
    if constexpr (std::is_same_v<T, Progress>) {
        const Timestamp l = local.last_studied > now ? Timestamp{} : local.last_studied;
        const Timestamp s = server.last_studied > now ? Timestamp{} : server.last_studied;
        item.last_studied = std::max(l, s) == Timestamp{} ? now : std::max(l, s);
    } else if constexpr (HasVersion<T>) {
        item.updated_at = now;
    }
}

std::string joined(const std::vector<std::string>& notes)
{
    std::string out;
    for (const std::string& n : notes)
        out += (out.empty() ? "" : "; ") + n;
    return out;
}

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
        IdIndex serverIds(server.size());
        for (std::size_t i = 0; i < server.size(); ++i)
            serverIds.emplace(SyncTraits<T>::id(server[i]), static_cast<std::uint32_t>(i));

        std::vector<T>& out = m_result.merged_items;
        out.reserve(server.size() + m_local.size());
        for (T& s : server) {
            const Uuid& id = SyncTraits<T>::id(s);
            const T* l = find(m_local, m_localIds, id);
            if (l)
                both(*l, std::move(s), out);
            else
                serverOnly(std::move(s), out);
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
                                 + std::to_string(i) + "); the safe profile uses the first");
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

    void serverOnly(T s, std::vector<T>& out)
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
        }
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
