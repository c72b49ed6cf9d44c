// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/resolution.h"
#include "engine/syncengine.h"

#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// Everything needed to reproduce one sync exactly, in one JSON document: both sides as they
/// were (their exact text), the base when there was one, the clock, last_sync, the profile,
/// the engine version, and the result the engine gave then.
///
/// `{"format": "decksync-repro", "format_version": 1, "engine_version", "profile", "now",
///   "last_sync", "local": {...}, "server": {...}, ["base": {...},]
///   "expected": {"merged": {...}, "report": {...}}[, "resolutions": [...]]}`
///
/// "resolutions", written only when there are some, holds what the person decided by hand and
/// their notes on items (as resolutioncodec.h writes them): the case as support left it. A
/// replay runs the engine alone and does not apply them.
struct ReproBundle {
    std::string engineVersion;
    SyncOptions options;
    std::string localText;  ///< the local dataset document, exactly as given
    std::string serverText; ///< the server dataset document, exactly as given
    std::optional<std::string> baseText; ///< the base dataset document, if the run had one
    std::string expectedMerged; ///< the merged dataset as the engine wrote it then
    std::string expectedReport; ///< the report as the engine wrote it then
    ResolutionSet resolutions;  ///< the manual resolutions and notes of the case, if any
};

namespace codec {

/// Runs the sync on both texts (against the base, if given) and records its result. Fails
/// when a text does not decode.
Decoded<ReproBundle> makeReproBundle(std::string localText, std::string serverText, const SyncOptions& options,
                                     std::string engineVersion, std::optional<std::string> baseText = std::nullopt);
std::string encodeReproBundle(const ReproBundle& bundle);
Decoded<ReproBundle> decodeReproBundle(std::string_view json);

} // namespace codec

/// The outcome of running a bundle again.
struct ReplayResult {
    bool identical = false;
    std::string merged; ///< what the engine writes now
    std::string report;
    std::vector<std::string> differences; ///< one sentence each, empty when identical
};

/// Syncs the bundle's sides again with its options and compares the result byte for byte;
/// differences are described per type (stats, items added, removed or changed).
ReplayResult replay(const ReproBundle& bundle, const std::string& engineVersion);

} // namespace decksync
