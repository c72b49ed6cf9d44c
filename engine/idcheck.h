// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/models.h"

#include <optional>    // optional
#include <span>        // span
#include <string_view> // string_view

namespace decksync {

/// Each list of a dataset should name an item once. The seed's engine matches only the first
/// of two server items with one id and syncs two local ones in turn, so a repeated id is a
/// device bug: the CLI, the inspector and the server refuse it unless asked to go on.
///
/// The first repeated id, as a DecodeError at its second occurrence:
/// `/decks/3/id: duplicate id "3f2a…", first at /decks/0/id`. Linear in the dataset.
std::optional<DecodeError> findDuplicateId(const Dataset& dataset);

/// The same for one list, whose items sit at `listPointer` ("/data" in a sync request).
/// Instantiated for Deck, Achievement, Progress and StarredDeck.
template <class T>
std::optional<DecodeError> findDuplicateId(std::span<const T> items, std::string_view listPointer);

} // namespace decksync
