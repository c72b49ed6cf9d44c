// SPDX-License-Identifier: MIT
#pragma once

// The safe profile's field-level merge of one item on both sides against its base: what each
// member is to the merge, the rule that settles a true conflict, and the merged item with its
// explanations. Internal to safemerge.cpp; a header so that each piece stays small.
#include "engine/fields.h"
#include "engine/side.h"
#include "engine/strategies.h"
#include "engine/synctraits.h"

#include <algorithm>   // max, equal
#include <cstdint>     // INT64_MIN
#include <optional>    // optional
#include <string>      // string
#include <string_view> // string_view
#include <type_traits> // is_same_v
#include <utility>     // pair
#include <vector>      // vector

namespace decksync::fieldmerge {


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

inline const char* who(Side side) { return side == Side::Local ? "device" : "server"; }

inline const std::vector<UnknownField>& unknownOf(const LayoutPtr& layout)
{
    static const std::vector<UnknownField> none;
    return layout ? layout->unknown : none;
}

inline bool sameUnknown(const LayoutPtr& a, const LayoutPtr& b)
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
                // Equal on both sides (tested above) is one change seen on both, as for any field;
                // else the base plus what each side added, without overflow at any step.
                const std::int64_t b = base->*(f.member);
                std::int64_t addedHere = 0, addedThere = 0, total = 0;
                if (__builtin_sub_overflow(lv, b, &addedHere) || __builtin_sub_overflow(sv, b, &addedThere)
                    || __builtin_add_overflow(lv, addedThere, &total)) {
                    m.overflow = true;
                    return;
                }
                out = total;
                m.notes.push_back(name + ": the base's " + std::to_string(b) + " plus what each side added ("
                                  + std::to_string(addedHere) + " on the device, " + std::to_string(addedThere)
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

inline std::string joined(const std::vector<std::string>& notes)
{
    std::string out;
    for (const std::string& n : notes)
        out += (out.empty() ? "" : "; ") + n;
    return out;
}

} // namespace decksync::fieldmerge
