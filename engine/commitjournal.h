// SPDX-License-Identifier: MIT
#pragma once

#include "engine/filecommit.h"

#include <optional> // optional
#include <string>   // string
#include <vector>   // vector

namespace decksync {

/// The CLI's journal of a FileCommit: a small JSON file beside the first target
/// (`<target>.decksync-journal`), written once every new file is complete and every old one
/// is linked aside, and removed when the commit is over. A run killed during its renames
/// leaves it behind, and the next run on the same outputs puts every target back.
std::string commitJournalPath(const std::string& firstTarget);

/// Writes the journal atomically; false and a sentence on failure.
bool writeCommitJournal(const std::string& journal, const std::vector<CommitEntry>& entries, std::string* error);

/// Hooks that keep the journal at `journal` for one FileCommit.
CommitHooks journalHooks(const std::string& journal);

/// Puts back every target of an interrupted commit from its journal, removes the new files
/// and the journal. Returns how many targets were put back (0 when there is no journal), or
/// nullopt and a sentence naming the journal (which is kept then).
std::optional<std::size_t> recoverCommitJournal(const std::string& journal, std::string* error);

} // namespace decksync
