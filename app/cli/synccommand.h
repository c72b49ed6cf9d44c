// SPDX-License-Identifier: MIT
#pragma once

#include "engine/syncengine.h"

#include <iosfwd>   // ostream
#include <optional> // optional
#include <string>   // string

namespace decksync::cli {

/// Exit codes of the CLI.
enum ExitCode : int { Success = 0, OutputFailed = 1, BadInput = 2 };

/// `decksync sync`: what to sync and where to write.
struct SyncArgs {
    std::string localPath;
    std::string serverPath;
    std::optional<std::string> basePath; ///< the state both sides agreed on (the safe profile uses it)
    std::optional<std::string> lastSync; ///< overrides the local file's; "null" means never synced
    std::optional<std::string> now;      ///< fixes the clock; default: the system clock
    std::string profile = "seed";
    std::optional<std::string> outPath;    ///< MERGED.json
    std::optional<std::string> reportPath; ///< REPORT.json
    std::optional<std::string> bundlePath; ///< a repro bundle of this run
    bool quiet = false;
    bool timings = false; ///< print the time of each phase to `err`
    /// Sync datasets that name one item twice (as the seed would) instead of refusing them.
    bool allowDuplicateIds = false;
    /// The caller exits right after runSync(): leave the datasets for the system to reclaim.
    bool exitWithoutTeardown = false;
};

/// Runs a sync: loads the files (in parallel), syncs, writes MERGED and REPORT atomically
/// (both or neither), prints a summary to `out` and errors to `err`. Returns an ExitCode.
int runSync(const SyncArgs& args, std::ostream& out, std::ostream& err);

/// `text` as an RFC 3339 time for option `name`; prints the error to `err` when it is not one.
std::optional<Timestamp> parseOption(const char* name, const std::string& text, std::ostream& err);

/// --profile NAME as a profile; prints the error to `err` when it names none.
std::optional<Profile> parseProfileOption(const std::string& name, std::ostream& err);

/// --last-sync, when given, in place of the local file's `lastSync`: "null" (or empty) means
/// never synced. False, with the error printed to `err`, when it is not a time.
bool applyLastSyncOption(const std::optional<std::string>& option, std::optional<Timestamp>& lastSync,
                         std::ostream& err);

/// The datasets of a run, read and checked in parallel.
struct LoadedSides {
    Dataset local;
    Dataset server;
    std::optional<Dataset> base;
};
/// Reads the local, server and (if given) base files at the same time; prints every error
/// (file, JSON path, problem) to `err` and returns false if any failed.
bool loadSides(const std::string& localPath, const std::string& serverPath,
               const std::optional<std::string>& basePath, bool allowDuplicateIds, LoadedSides& out,
               std::ostream& err);

} // namespace decksync::cli
