// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <string_view> // string_view
#include <tuple>       // tuple
#include <utility>     // index_sequence

namespace decksync {

/// One member of a model: its JSON key and where it lives.
template <class T, class M>
struct Field {
    std::string_view name;
    M T::*member;
    using Type = M;
};

template <class T>
struct ModelFields; // specialised per model: `static constexpr auto fields = std::tuple{...}`

template <class T, class M>
constexpr Field<T, M> field(std::string_view name, M T::*member)
{
    return {name, member};
}

template <>
struct ModelFields<Deck> {
    static constexpr auto fields = std::tuple{
        field("id", &Deck::id), field("user_id", &Deck::user_id), field("title", &Deck::title),
        field("description", &Deck::description), field("content", &Deck::content),
        field("created_at", &Deck::created_at), field("updated_at", &Deck::updated_at),
        field("version", &Deck::version)};
};

template <>
struct ModelFields<Achievement> {
    static constexpr auto fields = std::tuple{
        field("id", &Achievement::id), field("user_id", &Achievement::user_id),
        field("achievement_type", &Achievement::achievement_type), field("earned_at", &Achievement::earned_at),
        field("title", &Achievement::title), field("deck_id", &Achievement::deck_id)};
};

template <>
struct ModelFields<Progress> {
    static constexpr auto fields = std::tuple{
        field("id", &Progress::id), field("user_id", &Progress::user_id), field("deck_id", &Progress::deck_id),
        field("cards_studied", &Progress::cards_studied), field("cards_mastered", &Progress::cards_mastered),
        field("total_cards", &Progress::total_cards), field("last_studied", &Progress::last_studied),
        field("streak_days", &Progress::streak_days), field("total_time_spent", &Progress::total_time_spent),
        field("version", &Progress::version)};
};

template <>
struct ModelFields<StarredDeck> {
    static constexpr auto fields = std::tuple{
        field("id", &StarredDeck::id), field("user_id", &StarredDeck::user_id),
        field("deck_id", &StarredDeck::deck_id), field("starred_at", &StarredDeck::starred_at)};
};

template <>
struct ModelFields<UserPreferences> {
    static constexpr auto fields = std::tuple{
        field("user_id", &UserPreferences::user_id), field("theme", &UserPreferences::theme),
        field("language", &UserPreferences::language), field("sound_enabled", &UserPreferences::sound_enabled),
        field("daily_goal", &UserPreferences::daily_goal), field("updated_at", &UserPreferences::updated_at),
        field("version", &UserPreferences::version)};
};

template <>
struct ModelFields<Dataset> {
    static constexpr auto fields = std::tuple{
        field("last_sync", &Dataset::last_sync), field("decks", &Dataset::decks),
        field("achievements", &Dataset::achievements), field("progress", &Dataset::progress),
        field("starred", &Dataset::starred), field("preferences", &Dataset::preferences)};
};

template <class T>
inline constexpr std::size_t FieldCount = std::tuple_size_v<decltype(ModelFields<T>::fields)>;

/// Calls `f(field, index)` for each field of T, in model order.
template <class T, class F>
constexpr void forEachField(F&& f)
{
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::get<I>(ModelFields<T>::fields), std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<FieldCount<T>>{});
}

/// True when every modelled field of `a` equals that of `b` (unknown members are not compared).
template <class T>
bool sameFields(const T& a, const T& b)
{
    bool same = true;
    forEachField<T>([&](const auto& f, auto) { same = same && a.*(f.member) == b.*(f.member); });
    return same;
}

} // namespace decksync
