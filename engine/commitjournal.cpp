// SPDX-License-Identifier: MIT
#include "engine/commitjournal.h"

#include <nlohmann/json.hpp>

#include <cerrno>     // errno
#include <cstring>    // strerror
#include <stdexcept>  // exception
#include <sys/stat.h> // lstat
#include <unistd.h>   // unlink

namespace decksync {
namespace {

constexpr const char* FormatKey = "decksync_commit_journal";

bool exists(const std::string& path)
{
    struct stat st {};
    return !path.empty() && ::lstat(path.c_str(), &st) == 0;
}

} // namespace

std::string commitJournalPath(const std::string& firstTarget) { return firstTarget + ".decksync-journal"; }

bool writeCommitJournal(const std::string& journal, const std::vector<CommitEntry>& entries, std::string* error)
{
    nlohmann::json doc = {{FormatKey, 1}, {"entries", nlohmann::json::array()}};
    for (const CommitEntry& e : entries)
        doc["entries"].push_back({{"target", e.target},
                                  {"temporary", e.temporary},
                                  {"backup", e.backup},
                                  {"existed", e.existed},
                                  {"written",
                                   {{"device", e.written.device},
                                    {"inode", e.written.inode},
                                    {"size", e.written.size},
                                    {"mtime_ns", e.written.mtimeNs}}}});
    const std::string text = doc.dump(2) + '\n';
    return writeFileAtomically(journal, [&](OutputSink& sink) { sink.write(text); }, error);
}

CommitHooks journalHooks(const std::string& journal)
{
    CommitHooks hooks;
    hooks.beforeReplace = [journal](const std::vector<CommitEntry>& entries, std::string* error) {
        return writeCommitJournal(journal, entries, error);
    };
    hooks.afterReplace = [journal] { ::unlink(journal.c_str()); };
    hooks.afterRestore = hooks.afterReplace;
    return hooks;
}

std::optional<std::size_t> recoverCommitJournal(const std::string& journal, std::string* error)
{
    if (!exists(journal))
        return std::size_t(0);
    std::string why;
    const std::optional<std::string> text = readFile(journal, &why);
    if (!text) {
        *error = "cannot read the journal " + journal + ": " + why;
        return std::nullopt;
    }
    std::vector<CommitEntry> entries;
    try {
        const nlohmann::json doc = nlohmann::json::parse(*text);
        if (doc.value(FormatKey, 0) != 1)
            throw std::runtime_error("not a journal of this version");
        for (const nlohmann::json& e : doc.at("entries")) {
            const nlohmann::json& w = e.at("written");
            entries.push_back({e.at("target").get<std::string>(), e.at("temporary").get<std::string>(),
                               e.at("backup").get<std::string>(), e.at("existed").get<bool>(),
                               {w.at("device").get<std::uint64_t>(), w.at("inode").get<std::uint64_t>(),
                                w.at("size").get<std::int64_t>(), w.at("mtime_ns").get<std::int64_t>()}});
        }
    } catch (const std::exception& e) {
        *error = journal + ": not a readable journal (" + e.what() + "); it was kept";
        return std::nullopt;
    }
    // First decide, for every target, without changing anything: a target that is neither the
    // file the commit wrote nor the one it replaced was changed since, and is left alone.
    for (const CommitEntry& e : entries) {
        const FileIdentity now = FileIdentity::of(e.target);
        const bool isNew = now.exists() && now == e.written;
        const bool isOld = e.existed ? exists(e.backup) && now.exists() && now.inode == FileIdentity::of(e.backup).inode
                                     : !now.exists();
        if (!isNew && !isOld) {
            *error = e.target + " changed since the interrupted run (" + journal + ") and was left as it is" +
                (e.existed && exists(e.backup) ? "; its bytes from before that run are in " + e.backup : std::string());
            return std::nullopt;
        }
        if (isNew && e.existed && !exists(e.backup)) {
            *error = "cannot put back " + e.target + ": its bytes from before the interrupted run (" + journal +
                ") are gone";
            return std::nullopt;
        }
    }
    std::size_t putBack = 0;
    for (const CommitEntry& e : entries) {
        const bool isNew = FileIdentity::of(e.target) == e.written;
        int failure = 0;
        if (isNew) {
            const bool ok = e.existed ? ::rename(e.backup.c_str(), e.target.c_str()) == 0
                                      : ::unlink(e.target.c_str()) == 0;
            if (!ok)
                failure = errno;
            else
                ++putBack;
        } else if (e.existed && exists(e.backup)) {
            ::unlink(e.backup.c_str()); // never replaced: the target still is the old file
        }
        if (exists(e.temporary))
            ::unlink(e.temporary.c_str());
        if (failure != 0) {
            *error = "cannot put back " + e.target + " from the journal " + journal + ": " + std::strerror(failure);
            return std::nullopt;
        }
    }
    ::unlink(journal.c_str());
    return putBack;
}

} // namespace decksync
