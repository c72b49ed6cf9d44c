// SPDX-License-Identifier: MIT
#pragma once

#include "engine/timestamp.h"
#include "engine/uuid.h"

#include <cstdint>  // int64_t
#include <memory>   // shared_ptr
#include <optional> // optional
#include <string>   // string
#include <type_traits> // is_same_v
#include <vector>   // vector

namespace decksync {

/// A JSON member that no model knows: kept byte for byte and written back in place.
struct UnknownField {
    std::string key; ///< unescaped key
    std::string raw; ///< the value's exact text in the input
};

/// How an item looked on input when that differs from the canonical form: the order of its
/// members (known fields by index into the model's field table, unknown ones as -1 - i) and
/// the unknown members. Items in canonical form (all fields, model order) share no layout.
struct ItemLayout {
    std::vector<std::int16_t> order;
    std::vector<UnknownField> unknown;
};
using LayoutPtr = std::shared_ptr<const ItemLayout>;

struct Deck {
    Uuid id;
    Uuid user_id;
    std::string title;
    std::optional<std::string> description;
    std::string content;
    Timestamp created_at;
    Timestamp updated_at;
    std::int64_t version = 0;
    LayoutPtr layout;
};

struct Achievement {
    Uuid id;
    Uuid user_id;
    std::string achievement_type;
    Timestamp earned_at;
    std::optional<std::string> title;
    std::optional<Uuid> deck_id;
    LayoutPtr layout;
};

struct Progress {
    Uuid id;
    Uuid user_id;
    Uuid deck_id;
    std::int64_t cards_studied = 0;
    std::int64_t cards_mastered = 0;
    std::int64_t total_cards = 0;
    Timestamp last_studied;
    std::int64_t streak_days = 0;
    std::int64_t total_time_spent = 0; ///< seconds
    std::int64_t version = 0;
    LayoutPtr layout;
};

struct StarredDeck {
    Uuid id;
    Uuid user_id;
    Uuid deck_id;
    Timestamp starred_at;
    LayoutPtr layout;
};

struct UserPreferences {
    Uuid user_id;
    std::string theme;
    std::string language;
    bool sound_enabled = true;
    std::optional<std::int64_t> daily_goal;
    Timestamp updated_at;
    std::int64_t version = 0;
    LayoutPtr layout;
};

/// One side of a sync: everything a device (or the server) holds for one user.
/// A missing key in the document means empty.
struct Dataset {
    std::optional<Timestamp> last_sync;
    std::vector<Deck> decks;
    std::vector<Achievement> achievements;
    std::vector<Progress> progress;
    std::vector<StarredDeck> starred;
    std::optional<UserPreferences> preferences;
    LayoutPtr layout; ///< top-level unknown members and order
};

/// The list of `T` in a dataset (Deck, Achievement, Progress or StarredDeck), const when the
/// dataset is.
template <class T, class D>
    requires std::is_same_v<std::remove_const_t<D>, Dataset>
auto& itemsOf(D& d)
{
    if constexpr (std::is_same_v<T, Deck>)
        return d.decks;
    else if constexpr (std::is_same_v<T, Achievement>)
        return d.achievements;
    else if constexpr (std::is_same_v<T, Progress>)
        return d.progress;
    else
        return d.starred;
}

/// The five kinds of data, in document order.
enum class DataType { Decks, Achievements, Progress, Starred, Preferences };
inline constexpr DataType AllDataTypes[] = {DataType::Decks, DataType::Achievements, DataType::Progress,
                                            DataType::Starred, DataType::Preferences};

/// Calls `f.template operator()<T>()` with the model type of `type` (Deck, Achievement,
/// Progress, StarredDeck or UserPreferences) and returns what it returns.
template <class F>
decltype(auto) withModelOf(DataType type, F&& f)
{
    switch (type) {
    case DataType::Decks: return f.template operator()<Deck>();
    case DataType::Achievements: return f.template operator()<Achievement>();
    case DataType::Progress: return f.template operator()<Progress>();
    case DataType::Starred: return f.template operator()<StarredDeck>();
    case DataType::Preferences: break;
    }
    return f.template operator()<UserPreferences>();
}

/// How many items of `type` a dataset holds (preferences: 0 or 1).
[[nodiscard]] inline std::size_t itemCount(const Dataset& d, DataType type)
{
    switch (type) {
    case DataType::Decks: return d.decks.size();
    case DataType::Achievements: return d.achievements.size();
    case DataType::Progress: return d.progress.size();
    case DataType::Starred: return d.starred.size();
    case DataType::Preferences: break;
    }
    return d.preferences ? 1 : 0;
}

/// "decks", "achievements", "progress", "starred", "preferences" (the API's path segment).
const char* dataTypeName(DataType type);
std::optional<DataType> dataTypeFromName(std::string_view name);

} // namespace decksync
