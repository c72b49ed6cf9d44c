// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <optional> // optional

namespace decksync {

/// The seed's SyncableItem: which member identifies an item, which timestamp orders it,
/// and whether it carries a version.
template <class T>
struct SyncTraits;

template <>
struct SyncTraits<Deck> {
    static constexpr DataType type = DataType::Decks;
    static constexpr const char* timestampName = "updated_at";
    static const Uuid& id(const Deck& d) { return d.id; }
    static Timestamp updatedAt(const Deck& d) { return d.updated_at; }
    static std::optional<std::int64_t> version(const Deck& d) { return d.version; }
};

template <>
struct SyncTraits<Achievement> {
    static constexpr DataType type = DataType::Achievements;
    static constexpr const char* timestampName = "earned_at";
    static const Uuid& id(const Achievement& a) { return a.id; }
    static Timestamp updatedAt(const Achievement& a) { return a.earned_at; }
    static std::optional<std::int64_t> version(const Achievement&) { return std::nullopt; }
};

template <>
struct SyncTraits<Progress> {
    static constexpr DataType type = DataType::Progress;
    static constexpr const char* timestampName = "last_studied";
    static const Uuid& id(const Progress& p) { return p.id; }
    static Timestamp updatedAt(const Progress& p) { return p.last_studied; }
    static std::optional<std::int64_t> version(const Progress& p) { return p.version; }
};

template <>
struct SyncTraits<StarredDeck> {
    static constexpr DataType type = DataType::Starred;
    static constexpr const char* timestampName = "starred_at";
    static const Uuid& id(const StarredDeck& s) { return s.id; }
    static Timestamp updatedAt(const StarredDeck& s) { return s.starred_at; }
    static std::optional<std::int64_t> version(const StarredDeck&) { return std::nullopt; }
};

template <>
struct SyncTraits<UserPreferences> {
    static constexpr DataType type = DataType::Preferences;
    static constexpr const char* timestampName = "updated_at";
    static const Uuid& id(const UserPreferences& p) { return p.user_id; }
    static Timestamp updatedAt(const UserPreferences& p) { return p.updated_at; }
    static std::optional<std::int64_t> version(const UserPreferences& p) { return p.version; }
};

} // namespace decksync
