// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>   // ostream
#include <optional> // optional
#include <string>   // string

namespace decksync::cli {

/// `decksync compare`: the same sync under the seed profile and the safe one.
struct CompareArgs {
    std::string localPath;
    std::string serverPath;
    std::optional<std::string> basePath;
    std::optional<std::string> lastSync; ///< overrides the local file's; "null" means never synced
    std::optional<std::string> now;      ///< fixes the clock; default: the system clock
    std::optional<std::string> reportPath; ///< the comparison as JSON
    bool allowDuplicateIds = false;
};

/// Prints, per type, where the two profiles' results differ: items the seed deletes and safe
/// keeps (or the reverse), the study time each counts, and the fields safe takes from another
/// side, each with both profiles' reasons. Writes the same as JSON with `reportPath`.
/// Returns an ExitCode; the comparison itself never fails the command.
int runCompare(const CompareArgs& args, std::ostream& out, std::ostream& err);

} // namespace decksync::cli
