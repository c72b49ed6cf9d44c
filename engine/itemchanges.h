// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <cstdint>  // int64_t
#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// What happens to one side's copy of an item, in the words support uses. Listed most
/// harmful first.
enum class ChangeKind : unsigned char {
    Removed,  ///< the side had it and will not
    WentBack, ///< replaced by a copy with a lower version
    Changed,  ///< replaced by a copy that differs in a field or an unknown member
    Added,    ///< the side did not have it and will
};
const char* changeKindName(ChangeKind kind); ///< "deleted", "going back to an older version", ...

/// One item whose copy changes.
struct ItemChange {
    DataType type = DataType::Decks;
    ChangeKind kind = ChangeKind::Changed;
    Uuid id;
    std::string label;                      ///< the deck's title, the achievement's type, ...
    std::optional<std::int64_t> fromVersion; ///< before, when the item has versions
    std::optional<std::int64_t> toVersion;   ///< after
};

/// True when the two copies are the same item content: every modelled field and every unknown
/// member equal (the members' order does not count).
template <class T>
bool sameItem(const T& a, const T& b);

/// The change from `before` (null: absent) to `after` (null: absent) of one item, or nullopt
/// when there is none.
template <class T>
std::optional<ItemChange> changeOf(const T* before, const T* after);

/// Every item that differs from `from` to `to`: by type (AllDataTypes order), then by kind,
/// then in the order of the lists.
std::vector<ItemChange> itemChanges(const Dataset& from, const Dataset& to);

/// Sorts `changes` as itemChanges() returns them (stable within a type and kind).
void sortChanges(std::vector<ItemChange>& changes);

/// Plain words, a line per type and kind, most harmful first:
///   decks deleted (2): "Old history deck", "Japanese kana"
///   decks going back to an older version (1): "Spanish verbs" (version 4 → 2)
/// At most `namesPerLine` names on a line, then "and N more". Empty when nothing changes.
std::string describeItemChanges(const std::vector<ItemChange>& changes, std::size_t namesPerLine = 8);

} // namespace decksync
