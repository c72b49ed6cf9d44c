// SPDX-License-Identifier: MIT
#pragma once

#include "engine/contentstamp.h"
#include "engine/fileio.h"

#include <cstdint>    // uint64_t
#include <functional> // function
#include <memory>     // unique_ptr
#include <optional>   // optional
#include <string>     // string
#include <string_view> // string_view
#include <vector>     // vector

namespace decksync {

/// Which file a path names: enough to tell, after a crash, whether a target is still the file
/// a commit put there (its writers always replace a file, never rewrite it in place).
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = -1;
    std::int64_t mtimeNs = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
    /// The identity of what `path` names now (not following a link); size -1 when nothing.
    static FileIdentity of(const std::string& path);
    [[nodiscard]] bool exists() const { return size >= 0; }
};

/// One target of a commit as it is about to be replaced: what a journal records so that an
/// interrupted commit can be put back.
struct CommitEntry {
    std::string target;
    std::string temporary; ///< the complete new bytes, beside the target
    std::string backup;    ///< a hard link to the target's old bytes; empty when it had none
    bool existed = false;  ///< the target existed (as a regular file) before the commit
    FileIdentity written;  ///< the new file, which the target names once it is renamed
};

/// What a commit tells its journal: the journal of the CLI is a file, the inspector's is its
/// history, which rolls an interrupted write forward instead.
struct CommitHooks {
    /// Every new file is complete and every old one is linked aside: record the commit now.
    /// False (with a sentence in `error`) refuses it, and nothing changes.
    std::function<bool(const std::vector<CommitEntry>& entries, std::string* error)> beforeReplace;
    /// Every target holds its new bytes.
    std::function<void()> afterReplace;
    /// A replacement failed and every target replaced before it was put back: nothing changed.
    std::function<void()> afterRestore;
};

/// The outcome of FileCommit::commit().
struct CommitResult {
    enum class Status {
        Committed,     ///< every target holds its new bytes
        TargetChanged, ///< a target no longer holds what the caller read: nothing was written
        Failed,        ///< a write or a rename failed: nothing was changed (unless `error` says otherwise)
    };
    Status status = Status::Failed;
    std::string error;                ///< a sentence naming the file, and what was put back
    std::string failure;              ///< the failed step alone, without what was put back
    bool restored = false;            ///< Failed after a rename: every target was put back
    std::vector<std::string> changed; ///< TargetChanged: the targets that changed
    [[nodiscard]] bool ok() const { return status == Status::Committed; }
};

/// Writes several files so that either all of them are replaced or none is: each new file is
/// written beside its target, flushed, checked against what its target should still hold,
/// recorded by the caller's journal, and only then renamed into place. If a rename fails, the
/// targets renamed before it get their old bytes back (kept as hard links until the end).
/// Used by the CLI's MERGED and REPORT, and by the inspector's Apply, rollback and recovery.
class FileCommit {
public:
    explicit FileCommit(std::vector<std::string> targets);
    ~FileCommit();
    FileCommit(const FileCommit&) = delete;
    FileCommit& operator=(const FileCommit&) = delete;

    /// Creates every temporary file; false and a sentence on failure (nothing is left).
    bool open(std::string* error);
    /// Where target `i`'s new bytes go; each sink may be filled on its own thread.
    OutputSink& sink(std::size_t i);
    /// Target `i` must still hold what has the stamp `held` when the commit happens (it was
    /// read from there); nullopt expects it not to exist.
    void expect(std::size_t i, std::optional<ContentStamp> held);
    /// Finishes every file, checks the expectations, calls the hooks, renames.
    CommitResult commit(const CommitHooks& hooks = {});

private:
    CommitResult commitOnce(const CommitHooks& hooks);

    struct Target;
    std::vector<std::unique_ptr<Target>> m_targets;
};

/// Whether `path` holds what has the stamp `held` (nullopt: that there is no such file), as
/// the checks of FileCommit::expect() judge it; nullopt and a sentence in `error` when it
/// cannot be read.
std::optional<bool> fileHolds(const std::string& path, std::optional<ContentStamp> held, std::string* error);

/// Writes `files` (path, bytes) with one FileCommit.
CommitResult commitFiles(const std::vector<std::pair<std::string, std::string>>& files, const CommitHooks& hooks = {});

} // namespace decksync
