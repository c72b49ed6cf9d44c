// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/itemrows.h"

#include "engine/models.h"

#include <QByteArray>
#include <QString>

#include <vector>

/// Between a Dataset and its rows: the frame (the document without its items), the rows of its
/// items, and the changes from one set of rows to the next.
namespace DatasetRows {

/// The document of `dataset` without its items, compact.
QByteArray frameOf(const decksync::Dataset& dataset);
/// The rows of the items of `type` in `dataset`, positions from 0; a preferences
/// item's id is its user_id.
std::vector<StoredItem> rowsOf(const decksync::Dataset& dataset, decksync::DataType type);
/// Decodes `rows` into the lists of `out` (in the rows' order); false and a sentence naming the
/// item if one cannot be read.
bool decodeRows(const std::vector<StoredItem>& rows, decksync::Dataset* out, QString* error);

/// The changes from `before` (the stored rows of `type` that a write read, in list order) to
/// `after` (what the write makes of them, in list order). `wholeType` says that `before` holds
/// every row of the type, so that `after` decides the order; a new item goes at the end, after
/// `maxPos`. Items whose text and place did not change are left out.
std::vector<ItemChange> diff(decksync::DataType type, const std::vector<StoredItem>& before,
                             const std::vector<StoredItem>& after, bool wholeType, qint64 maxPos);

/// The added, removed and changed counts of `changes` (a move alone is not a change).
struct Counts {
    qint64 added = 0;
    qint64 removed = 0;
    qint64 changed = 0;
};
Counts countsOf(const std::vector<ItemChange>& changes);

} // namespace DatasetRows
