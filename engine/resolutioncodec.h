// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/jsonwriter.h"
#include "engine/resolution.h"

#include <string> // string

namespace decksync::codec {

/// `[{"type": "decks", "id": "...", "base": "local", "fields": [{"field": "title",
/// "source": "manual", "value": "..."}]}]`. A manual value is a JSON string, `null`, or
/// absent (the member removed). `"keep_device_copy": true` is written only when set (keep both),
/// and `"note": "..."` only when the item has a note; an item with a note and no resolution is
/// written with base "engine" and no fields.
void writeResolutions(JsonWriter& writer, const ResolutionSet& resolutions);
std::string encodeResolutions(const ResolutionSet& resolutions);
Decoded<ResolutionSet> decodeResolutions(std::string_view json);

} // namespace decksync::codec
