// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/fleetscan.h"

#include <string>

/// `decksync-server scan`: runs FleetScan, shows its progress on a terminal and prints what
/// it found, as text for a person or as JSON (`--json`), whose bytes depend only on the data.
namespace ScanCommand {

/// The JSON of a summary (without times or thread counts, so that it can be compared).
std::string json(const ScanSummary& summary, decksync::Timestamp since);
/// The text of a summary: the counts per pattern, then one line per user and pattern.
std::string text(const ScanSummary& summary, decksync::Timestamp since);

/// Runs the scan and prints to stdout; 0 when every sync was run again, 1 when the scan could
/// not run, 2 when some syncs could not be read (they are listed).
int run(const ScanOptions& options, bool asJson);

} // namespace ScanCommand
