// SPDX-License-Identifier: MIT
#pragma once

#include "engine/conflictanalyzer.h"

#include <optional> // optional
#include <vector>   // vector

namespace decksync {

/// What a merge may need beyond the two items: the injected clock and somewhere to say why
/// a merge was refused.
struct MergeContext {
    Timestamp now;
    std::optional<Timestamp> lastSync;
    std::vector<Diagnostic>* diagnostics = nullptr;

    void report(Severity severity, const char* code, const Uuid& id, std::string message) const;
};

/// The seed's MergeStrategy trait, one implementation per data type.
template <class T>
class MergeStrategy {
public:
    virtual ~MergeStrategy() = default;
    virtual Verdict resolveConflict(const T& local, const T& server, const MergeContext& ctx) const = 0;
    /// The merged item, or nullopt when a merge is impossible (the engine then keeps local).
    virtual std::optional<T> mergeItems(const T& local, const T& server, const MergeContext& ctx) const = 0;
    virtual bool shouldRecordConflict(const T& local, const T& server) const = 0;
    virtual bool supportsDeletions() const { return true; }
    /// The sentence recorded when the merge was used.
    virtual std::string mergeExplanation() const { return "merged"; }
};

/// Decks: version wins, then timestamp; conflicts recorded when title or content differ.
class DeckMergeStrategy final : public MergeStrategy<Deck> {
public:
    Verdict resolveConflict(const Deck& local, const Deck& server, const MergeContext& ctx) const override;
    std::optional<Deck> mergeItems(const Deck& local, const Deck& server, const MergeContext& ctx) const override;
    bool shouldRecordConflict(const Deck& local, const Deck& server) const override;
    std::string mergeExplanation() const override;
};

/// Achievements: append-only; the earlier one is kept; never deleted, never recorded.
class AchievementMergeStrategy final : public MergeStrategy<Achievement> {
public:
    Verdict resolveConflict(const Achievement& local, const Achievement& server, const MergeContext& ctx) const override;
    std::optional<Achievement> mergeItems(const Achievement& local, const Achievement& server,
                                          const MergeContext& ctx) const override;
    bool shouldRecordConflict(const Achievement&, const Achievement&) const override { return false; }
    bool supportsDeletions() const override { return false; }
};

/// Progress: always merged (max of the counters, sum of the time spent, version max+1).
class ProgressMergeStrategy final : public MergeStrategy<Progress> {
public:
    Verdict resolveConflict(const Progress& local, const Progress& server, const MergeContext& ctx) const override;
    std::optional<Progress> mergeItems(const Progress& local, const Progress& server,
                                       const MergeContext& ctx) const override;
    bool shouldRecordConflict(const Progress&, const Progress&) const override { return false; }
    std::string mergeExplanation() const override;
};

/// Starred decks: later starred_at wins; unstarring deletes.
class StarredMergeStrategy final : public MergeStrategy<StarredDeck> {
public:
    Verdict resolveConflict(const StarredDeck& local, const StarredDeck& server, const MergeContext& ctx) const override;
    std::optional<StarredDeck> mergeItems(const StarredDeck& local, const StarredDeck& server,
                                          const MergeContext& ctx) const override;
    bool shouldRecordConflict(const StarredDeck&, const StarredDeck&) const override { return false; }
};

/// Preferences: version wins, then timestamp; never deleted; conflicts recorded when theme,
/// language or sound differ.
class PreferencesMergeStrategy final : public MergeStrategy<UserPreferences> {
public:
    Verdict resolveConflict(const UserPreferences& local, const UserPreferences& server,
                            const MergeContext& ctx) const override;
    std::optional<UserPreferences> mergeItems(const UserPreferences& local, const UserPreferences& server,
                                              const MergeContext& ctx) const override;
    bool shouldRecordConflict(const UserPreferences& local, const UserPreferences& server) const override;
    bool supportsDeletions() const override { return false; }
    std::string mergeExplanation() const override;
};

/// a + b, or nullopt on int64 overflow (an error, never a wrap).
std::optional<std::int64_t> checkedAdd(std::int64_t a, std::int64_t b);

} // namespace decksync
