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
/// leaves it behind, and the next run with the same first output puts every target back.
std::string commitJournalPath(const std::string& firstTarget);

/// Writes the journal atomically; false and a sentence on failure.
bool writeCommitJournal(const std::string& journal, const std::vector<CommitEntry>& entries, std::string* error);

/// Hooks that keep the journal at `journal` for one FileCommit.
CommitHooks journalHooks(const std::string& journal);

/// Puts back every target of an interrupted commit from its journal, removes the new files
/// and the journal. Returns how many targets were replaced and are put back (0 when there is
/// no journal, or the run was killed before its first rename), or nullopt and a sentence
/// naming the journal (which is kept then). A target that is neither the file the commit
/// wrote nor the one it replaced was changed since (by a later run or another program): then
/// nothing is changed at all.
std::optional<std::size_t> recoverCommitJournal(const std::string& journal, std::string* error);

} // namespace decksync
