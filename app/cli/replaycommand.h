// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>   // ostream
#include <optional> // optional
#include <string>   // string

namespace decksync::cli {

/// `decksync replay BUNDLE [--out-dir DIR]`: runs a repro bundle again and compares the
/// result with the recorded one. Exit 0 identical, 1 different, 2 bad input.
int runReplay(const std::string& bundlePath, const std::optional<std::string>& outDir, std::ostream& out,
              std::ostream& err);

/// Writes a repro bundle of a sync of two files, against a base if given (`decksync sync
/// --bundle OUT`).
int writeBundle(const std::string& localPath, const std::string& serverPath,
                const std::optional<std::string>& basePath, const std::string& bundlePath,
                const std::string& nowText, const std::optional<std::string>& lastSyncText, const std::string& profile,
                std::ostream& err);

} // namespace decksync::cli
