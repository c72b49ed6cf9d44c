// SPDX-License-Identifier: MIT
#include "engine/strategies.h"

#include <algorithm> // max

namespace decksync {

std::optional<std::int64_t> checkedAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return std::nullopt;
    return sum;
}

namespace {

std::optional<std::int64_t> nextVersion(std::int64_t a, std::int64_t b, const Uuid& id, const MergeContext& ctx)
{
    const auto v = checkedAdd(std::max(a, b), 1);
    if (!v)
        ctx.report(Severity::Error, "int64-overflow", id,
                   "version " + std::to_string(std::max(a, b)) + " + 1 overflows a 64-bit integer; merge refused");
    return v;
}

} // namespace

void MergeContext::report(Severity severity, const char* code, const Uuid& id, std::string message) const
{
    if (diagnostics)
        diagnostics->push_back({severity, code, id, std::move(message)});
}

// ---- decks ---------------------------------------------------------------------------------

Verdict DeckMergeStrategy::resolveConflict(const Deck& local, const Deck& server, const MergeContext&) const
{
    return ConflictAnalyzer::analyzeVersionConflict(local, server);
}

std::optional<Deck> DeckMergeStrategy::mergeItems(const Deck& local, const Deck& server, const MergeContext& ctx) const
{
    Deck merged = local;
    if (server.updated_at > local.updated_at) {
        merged.content = server.content;
        merged.title = server.title;
        merged.description = server.description;
    }
    const auto version = nextVersion(local.version, server.version, local.id, ctx);
    if (!version)
        return std::nullopt;
    merged.version = *version;
    merged.updated_at = ctx.now;
    return merged;
}

bool DeckMergeStrategy::shouldRecordConflict(const Deck& local, const Deck& server) const
{
    return local.content != server.content || local.title != server.title;
}

std::string DeckMergeStrategy::mergeExplanation() const
{
    return "merged: title, description and content from the later side, version max+1, updated_at now";
}

// ---- achievements --------------------------------------------------------------------------

Verdict AchievementMergeStrategy::resolveConflict(const Achievement& local, const Achievement& server,
                                                  const MergeContext&) const
{
    if (local.earned_at < server.earned_at)
        return {ConflictResolution::UseLocal,
                "local kept: earned earlier (" + local.earned_at.toString() + " < " + server.earned_at.toString() + ")"};
    return {ConflictResolution::UseServer, "server kept: achievements are append-only and the server's is not later ("
                                               + server.earned_at.toString() + " <= " + local.earned_at.toString() + ")"};
}

std::optional<Achievement> AchievementMergeStrategy::mergeItems(const Achievement& local, const Achievement&,
                                                                const MergeContext&) const
{
    return local;
}

// ---- progress ------------------------------------------------------------------------------

Verdict ProgressMergeStrategy::resolveConflict(const Progress&, const Progress&, const MergeContext&) const
{
    return {ConflictResolution::Merge, mergeExplanation()};
}

std::optional<Progress> ProgressMergeStrategy::mergeItems(const Progress& local, const Progress& server,
                                                          const MergeContext& ctx) const
{
    Progress merged = local;
    merged.cards_studied = std::max(local.cards_studied, server.cards_studied);
    merged.cards_mastered = std::max(local.cards_mastered, server.cards_mastered);
    merged.total_cards = std::max(local.total_cards, server.total_cards);
    merged.streak_days = std::max(local.streak_days, server.streak_days);
    const auto time = checkedAdd(local.total_time_spent, server.total_time_spent);
    if (!time) {
        ctx.report(Severity::Error, "int64-overflow", local.id,
                   "total_time_spent " + std::to_string(local.total_time_spent) + " + "
                       + std::to_string(server.total_time_spent) + " overflows a 64-bit integer; merge refused");
        return std::nullopt;
    }
    merged.total_time_spent = *time;
    merged.last_studied = std::max(local.last_studied, server.last_studied);
    const auto version = nextVersion(local.version, server.version, local.id, ctx);
    if (!version)
        return std::nullopt;
    merged.version = *version;

    // The sum counts twice whatever history both copies share (the seed's own behaviour).
    const bool serverUnchanged = ctx.lastSync && server.last_studied <= *ctx.lastSync;
    if (serverUnchanged || local.total_time_spent == server.total_time_spent) {
        const std::string reason = serverUnchanged
            ? "the server copy is unchanged since this device last synced, so its " + std::to_string(server.total_time_spent)
                  + " s are already in the local " + std::to_string(local.total_time_spent) + " s"
            : "both sides report " + std::to_string(local.total_time_spent) + " s";
        ctx.report(Severity::Warning, "progress-double-count", local.id,
                   "total_time_spent summed to " + std::to_string(*time)
                       + " s although both sides carry the same history: " + reason);
    }
    return merged;
}

std::string ProgressMergeStrategy::mergeExplanation() const
{
    return "merged: max cards_studied, cards_mastered, total_cards, streak_days and last_studied; "
           "sum total_time_spent; version max+1";
}

// ---- starred -------------------------------------------------------------------------------

Verdict StarredMergeStrategy::resolveConflict(const StarredDeck& local, const StarredDeck& server,
                                              const MergeContext&) const
{
    return ConflictAnalyzer::analyzeTimestampConflict(local, server);
}

std::optional<StarredDeck> StarredMergeStrategy::mergeItems(const StarredDeck& local, const StarredDeck&,
                                                            const MergeContext&) const
{
    return local;
}

// ---- preferences ---------------------------------------------------------------------------

Verdict PreferencesMergeStrategy::resolveConflict(const UserPreferences& local, const UserPreferences& server,
                                                  const MergeContext&) const
{
    return ConflictAnalyzer::analyzeVersionConflict(local, server);
}

std::optional<UserPreferences> PreferencesMergeStrategy::mergeItems(const UserPreferences& local,
                                                                    const UserPreferences& server,
                                                                    const MergeContext& ctx) const
{
    UserPreferences merged = local;
    if (server.updated_at > local.updated_at) {
        merged = server;
        // Language is often set per device: keep the local one if it is less than an hour older.
        if (local.updated_at > server.updated_at.addSeconds(-3600))
            merged.language = local.language;
    }
    const auto version = nextVersion(local.version, server.version, local.user_id, ctx);
    if (!version)
        return std::nullopt;
    merged.version = *version;
    merged.updated_at = ctx.now;
    return merged;
}

bool PreferencesMergeStrategy::shouldRecordConflict(const UserPreferences& local, const UserPreferences& server) const
{
    return local.theme != server.theme || local.language != server.language
        || local.sound_enabled != server.sound_enabled;
}

std::string PreferencesMergeStrategy::mergeExplanation() const
{
    return "merged: the later side's preferences (local language kept within an hour), version max+1, updated_at now";
}

} // namespace decksync
