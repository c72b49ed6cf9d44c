// SPDX-License-Identifier: MIT
#pragma once

#include "engine/jsonwriter.h"
#include "engine/syncengine.h"

#include <string> // string

namespace decksync::codec {

/// REPORT.json: for each data type `{"stats", "conflicts", "diagnostics", "decisions"}`; first
/// `"run": {"profile", "base": bool}` when the run was not the seed's without a base.
void writeReport(JsonWriter& writer, const DatasetSyncResult& result);
std::string encodeReport(const DatasetSyncResult& result);

void writeStats(JsonWriter& writer, const SyncStats& stats);
void writeDiagnostic(JsonWriter& writer, const Diagnostic& diagnostic);

} // namespace decksync::codec
