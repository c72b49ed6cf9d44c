// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>   // ostream
#include <optional> // optional
#include <string>   // string

namespace decksync::cli {

/// `decksync report`: a support case's report, from the same inputs as a sync.
struct ReportArgs {
    std::string localPath;
    std::string serverPath;
    std::optional<std::string> basePath;
    std::optional<std::string> lastSync; ///< overrides the local file's; "null" means never synced
    std::optional<std::string> now;      ///< fixes the clock; default: the system clock
    std::string profile = "seed";
    std::string format;  ///< md, html or pdf; empty: from the extension of `outPath`
    std::string outPath; ///< the report; "-" writes Markdown or HTML to `out`
    bool allowDuplicateIds = false;
};

/// Syncs (nothing is written but the report) and writes the case report: the summary, what
/// changes for the user on each side by name, every conflict with both sides, the result and
/// its reason, and every warning. A PDF needs a QGuiApplication. Returns an ExitCode.
int runReport(const ReportArgs& args, std::ostream& out, std::ostream& err);

} // namespace decksync::cli
