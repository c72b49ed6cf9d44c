// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/itemfields.h"
#include "engine/models.h"
#include "engine/resolution.h"

#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// One version of one item, as a dataset or the server's history held it: its text (compact
/// JSON, as the codec writes it), or none when the item was not there.
using ItemText = std::optional<std::string>;

/// The text of item `id` of `type` in `dataset` (preferences: `id` is the user's), or none.
ItemText itemTextIn(const Dataset& dataset, DataType type, const Uuid& id);

/// One field that differs between two versions of an item.
struct FieldEdit {
    std::string field;
    FieldCell before;
    FieldCell after;
};

/// What changed from `before` to `after`, field by field (the known fields in model order,
/// then the others); every field of the version that is there when the other is not. Fails
/// when a text does not decode as an item of `type`.
Decoded<std::vector<FieldEdit>> fieldEdits(DataType type, const ItemText& before, const ItemText& after);

/// The change in a few words: "added", "deleted", "title, content changed (version 2 → 3)",
/// "unchanged".
std::string describeItemEdit(DataType type, const ItemText& before, const ItemText& after);

/// The resolution that makes the result exactly `version` of the item that the device holds
/// as `local` and the server as `server` (none: not there): one of them as its base with every
/// field typed by hand as `version` has it; for a version where the item was not there, the
/// side that does not hold it. Fails with why when that cannot be said (both sides hold the
/// item and the version has none, or a text does not decode).
Decoded<ItemResolution> resolutionToVersion(DataType type, const ItemText& version, const ItemText& local,
                                            const ItemText& server);

} // namespace decksync
