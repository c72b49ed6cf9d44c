// SPDX-License-Identifier: MIT
// Small builders for engine items and QTest printers for engine values, shared by the
// engine suites. Items are built from numbers (ids via testutil::id) and RFC 3339 text.
#pragma once

#include "testutil.h"

#include "engine/models.h"
#include "engine/syncresult.h"

#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

namespace decksync {
// Let QCOMPARE print engine values (found by argument-dependent lookup).
inline char* toString(const Timestamp& t) { return qstrdup(t.toString().c_str()); }
inline char* toString(const Uuid& u) { return qstrdup(u.toString().c_str()); }
} // namespace decksync

namespace builders {

using namespace decksync;

/// The user every built item belongs to.
inline Uuid user() { return testutil::id(1000); }

/// The small number testutil::id(n) was built from (its low 56 bits).
inline std::uint64_t num(const Uuid& u)
{
    std::uint64_t low = 0;
    for (std::size_t i = 9; i < 16; ++i)
        low = low << 8 | u.bytes[i];
    return low;
}

inline Deck deck(std::uint64_t n, const char* updatedAt, std::int64_t version, std::string title = "title",
                 std::string content = "content")
{
    Deck d;
    d.id = testutil::id(n);
    d.user_id = user();
    d.title = std::move(title);
    d.content = std::move(content);
    d.created_at = testutil::ts("2024-01-01T00:00:00Z");
    d.updated_at = testutil::ts(updatedAt);
    d.version = version;
    return d;
}

inline Achievement achievement(std::uint64_t n, const char* earnedAt, std::string type = "streak_7")
{
    Achievement a;
    a.id = testutil::id(n);
    a.user_id = user();
    a.achievement_type = std::move(type);
    a.earned_at = testutil::ts(earnedAt);
    return a;
}

inline Progress progress(std::uint64_t n, const char* lastStudied, std::int64_t version, std::int64_t timeSpent = 100,
                         std::int64_t studied = 10)
{
    Progress p;
    p.id = testutil::id(n);
    p.user_id = user();
    p.deck_id = testutil::id(n + 500);
    p.cards_studied = studied;
    p.cards_mastered = studied / 2;
    p.total_cards = 40;
    p.last_studied = testutil::ts(lastStudied);
    p.streak_days = 3;
    p.total_time_spent = timeSpent;
    p.version = version;
    return p;
}

inline StarredDeck starred(std::uint64_t n, const char* starredAt)
{
    StarredDeck s;
    s.id = testutil::id(n);
    s.user_id = user();
    s.deck_id = testutil::id(n + 500);
    s.starred_at = testutil::ts(starredAt);
    return s;
}

inline UserPreferences preferences(std::uint64_t userNumber, const char* updatedAt, std::int64_t version,
                                   std::string theme = "dark", std::string language = "en")
{
    UserPreferences p;
    p.user_id = testutil::id(userNumber);
    p.theme = std::move(theme);
    p.language = std::move(language);
    p.sound_enabled = true;
    p.daily_goal = 20;
    p.updated_at = testutil::ts(updatedAt);
    p.version = version;
    return p;
}

/// "total/added/updated/deleted/conflicts/local_wins/server_wins/merged".
inline std::string statsString(const SyncStats& s)
{
    return std::to_string(s.total_items) + '/' + std::to_string(s.added) + '/' + std::to_string(s.updated) + '/'
        + std::to_string(s.deleted) + '/' + std::to_string(s.conflicts) + '/' + std::to_string(s.local_wins) + '/'
        + std::to_string(s.server_wins) + '/' + std::to_string(s.merged);
}

/// The item numbers of `items`, space-separated: "3 1 7".
template <class T, class IdOf>
std::string numbers(const std::vector<T>& items, IdOf idOf)
{
    std::string out;
    for (const T& item : items) {
        if (!out.empty())
            out += ' ';
        out += std::to_string(num(idOf(item)));
    }
    return out;
}

/// "n:decision n:decision ..." for the decisions of one sync.
inline std::string decisionsString(const std::vector<Decision>& decisions)
{
    std::string out;
    for (const Decision& d : decisions) {
        if (!out.empty())
            out += ' ';
        out += std::to_string(num(d.item_id)) + ':' + decisionName(d.kind);
    }
    return out;
}

/// "n:code n:code ..." for the diagnostics of one sync, sorted (the engine's reporting order
/// between different checks is not part of the contract).
inline std::string diagnosticsString(const std::vector<Diagnostic>& diagnostics)
{
    std::vector<std::string> tokens;
    for (const Diagnostic& d : diagnostics)
        tokens.push_back(std::to_string(num(d.item_id)) + ':' + d.code);
    std::sort(tokens.begin(), tokens.end());
    std::string out;
    for (const std::string& t : tokens) {
        if (!out.empty())
            out += ' ';
        out += t;
    }
    return out;
}

/// The messages of the diagnostics with `code`, in reporting order.
inline std::vector<std::string> messagesFor(const std::vector<Diagnostic>& diagnostics, const std::string& code)
{
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) {
        if (d.code == code)
            out.push_back(d.message);
    }
    return out;
}

} // namespace builders
