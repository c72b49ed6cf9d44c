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
        doc["entries"].push_back(
            {{"target", e.target}, {"temporary", e.temporary}, {"backup", e.backup}, {"existed", e.existed}});
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
        for (const nlohmann::json& e : doc.at("entries"))
            entries.push_back({e.at("target").get<std::string>(), e.at("temporary").get<std::string>(),
                               e.at("backup").get<std::string>(), e.at("existed").get<bool>()});
    } catch (const std::exception& e) {
        *error = journal + ": not a readable journal (" + e.what() + "); it was kept";
        return std::nullopt;
    }
    std::size_t putBack = 0;
    for (const CommitEntry& e : entries) {
        bool ok = true;
        if (e.existed) {
            // The link holds the old bytes, whether or not the rename happened.
            if (exists(e.backup))
                ok = ::rename(e.backup.c_str(), e.target.c_str()) == 0;
            if (exists(e.temporary))
                ::unlink(e.temporary.c_str());
        } else if (exists(e.temporary)) {
            ::unlink(e.temporary.c_str()); // never renamed: the target was not created
        } else if (exists(e.target)) {
            ok = ::unlink(e.target.c_str()) == 0; // created by the commit
        }
        if (!ok) {
            *error = "cannot put back " + e.target + " from the journal " + journal + ": " + std::strerror(errno);
            return std::nullopt;
        }
        ++putBack;
    }
    ::unlink(journal.c_str());
    return putBack;
}

} // namespace decksync
