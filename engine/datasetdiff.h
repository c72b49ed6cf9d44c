// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <array>    // array
#include <optional> // optional
#include <string> // string

namespace decksync {

/// How one type's items differ between two datasets, matched by id.
struct TypeDiff {
    std::size_t added = 0;     ///< in `to` only
    std::size_t removed = 0;   ///< in `from` only
    std::size_t changed = 0;   ///< in both, written differently (any member, known or not)
    std::size_t unchanged = 0; ///< in both, identical
    friend bool operator==(const TypeDiff&, const TypeDiff&) = default;
};

using DatasetDiff = std::array<TypeDiff, 5>; ///< indexed by DataType

/// Per type, what changes from `from` to `to` (for history details and rollback previews).
DatasetDiff diffDatasets(const Dataset& from, const Dataset& to);

/// "decks: 2 added, 1 removed, 3 changed; preferences: 1 changed" (or "no change").
std::string describeDiff(const DatasetDiff& diff);

/// describeDiff() of two dataset documents; nullopt when either is not a dataset.
std::optional<std::string> describeDocumentDiff(std::string_view fromDocument, std::string_view toDocument);

/// describeDiff() of the two datasets, then their item changes by name, a line per type and
/// kind (describeItemChanges()).
std::string describeChanges(const Dataset& from, const Dataset& to);

/// describeChanges() of two dataset documents; nullopt when either is not a dataset.
std::optional<std::string> describeDocumentChanges(std::string_view fromDocument, std::string_view toDocument);

} // namespace decksync
