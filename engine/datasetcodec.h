// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/jsonwriter.h"
#include "engine/models.h"
#include "engine/progress.h"

#include <array>       // array
#include <optional>    // optional
#include <string>      // string
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

class JsonReader;

/// The wire format of the models: serde's defaults (snake_case keys, RFC 3339 UTC timestamps,
/// hyphenated lower-case UUIDs, `null` for absent optionals). Members no model knows are kept
/// as raw text and written back in place; absent optional members stay absent.
namespace codec {

/// Decodes a dataset document. With an observer, reports progress and may throw
/// OperationCancelled.
Decoded<Dataset> decodeDataset(std::string_view json, ProgressObserver* observer = nullptr);
void writeDataset(JsonWriter& writer, const Dataset& dataset);
/// The whole document, pretty-printed, with a trailing newline.
std::string encodeDataset(const Dataset& dataset, JsonWriter::Style style = JsonWriter::Style::Pretty);

/// A dataset's items as the text encodeItem() wrote (compact): decks, achievements, progress
/// and starred in document order, and the preferences.
struct RawItems {
    std::array<std::vector<std::string_view>, 4> lists;
    std::optional<std::string_view> preferences;
};
/// Writes the document of `frame` (its last_sync, unknown members and their order) with
/// `items` in place of its own lists and preferences: encodeDataset() of the whole dataset,
/// without decoding the items. Byte-identical to it in the compact style.
void writeDatasetWith(JsonWriter& writer, const Dataset& frame, const RawItems& items);

/// One item (Deck, Achievement, Progress, StarredDeck, UserPreferences).
template <class T>
void readItem(JsonReader& reader, T& out);
template <class T>
void writeItem(JsonWriter& writer, const T& item);
template <class T>
Decoded<T> decodeItem(std::string_view json);
template <class T>
std::string encodeItem(const T& item, JsonWriter::Style style = JsonWriter::Style::Compact);

/// A UUID, an RFC 3339 timestamp, or either-or-null, read with the codec's error messages.
Uuid readUuid(JsonReader& reader);
Timestamp readTimestamp(JsonReader& reader);
std::optional<Timestamp> readOptionalTimestamp(JsonReader& reader);

/// `"text"` JSON-quoted and shortened for an error message.
std::string quoteForMessage(std::string_view text);

} // namespace codec
} // namespace decksync
