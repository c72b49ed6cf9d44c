// SPDX-License-Identifier: MIT
#include "engine/filecommit.h"

#include <cerrno>     // errno
#include <cstdlib>    // mkstemp
#include <cstring>    // strerror
#include <sys/stat.h> // lstat
#include <unistd.h>   // link, unlink, close

namespace decksync {

struct FileCommit::Target {
    explicit Target(std::string p)
        : path(std::move(p))
        , writer(path)
    {
    }
    std::string path;
    AtomicFileWriter writer;
    bool checked = false;                 ///< expect() was called
    std::optional<ContentStamp> expected; ///< nullopt with `checked`: must not exist
    std::string backup;
    bool existed = false;
    bool replaced = false;
};

FileIdentity FileIdentity::of(const std::string& path)
{
    FileIdentity id;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return id;
    id.device = static_cast<std::uint64_t>(st.st_dev);
    id.inode = static_cast<std::uint64_t>(st.st_ino);
    id.size = static_cast<std::int64_t>(st.st_size);
    id.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    return id;
}

std::optional<bool> fileHolds(const std::string& path, std::optional<ContentStamp> held, std::string* error)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return !held.has_value();
    std::string why;
    const std::optional<std::string> now = readFile(path, &why);
    if (!now) {
        if (error)
            *error = "cannot read " + path + " again: " + why;
        return std::nullopt;
    }
    return held && ContentStamp::of(*now) == *held;
}

namespace {

std::string sentence(const std::string& what, const std::string& path, int error)
{
    return "cannot " + what + ' ' + path + ": " + std::strerror(error);
}

/// Links `path`'s current bytes to a new name beside it. Returns the name, or empty and the
/// errno in `failure`.
std::string linkAside(const std::string& path, int* failure)
{
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::string name = path + ".decksync-old-XXXXXX";
        const int fd = ::mkstemp(name.data()); // reserves a unique name in that folder
        if (fd < 0) {
            *failure = errno;
            return {};
        }
        ::close(fd);
        ::unlink(name.c_str());
        if (::link(path.c_str(), name.c_str()) == 0)
            return name;
        if (errno != EEXIST) {
            *failure = errno;
            return {};
        }
    }
    *failure = EEXIST;
    return {};
}

} // namespace

FileCommit::FileCommit(std::vector<std::string> targets)
{
    for (std::string& t : targets)
        m_targets.push_back(std::make_unique<Target>(std::move(t)));
}

FileCommit::~FileCommit()
{
    for (auto& t : m_targets) {
        if (!t->backup.empty())
            ::unlink(t->backup.c_str());
    }
}

bool FileCommit::open(std::string* error)
{
    for (auto& t : m_targets) {
        if (!t->writer.open(error)) {
            for (auto& other : m_targets)
                other->writer.discard();
            return false;
        }
    }
    return true;
}

OutputSink& FileCommit::sink(std::size_t i) { return m_targets.at(i)->writer.sink(); }

void FileCommit::expect(std::size_t i, std::optional<ContentStamp> held)
{
    m_targets.at(i)->checked = true;
    m_targets.at(i)->expected = held;
}

CommitResult FileCommit::commitOnce(const CommitHooks& hooks)
{
    CommitResult result;
    for (auto& t : m_targets) {
        if (!t->writer.finish(&result.error)) {
            result.failure = result.error;
            return result; // every temporary is removed by its writer
        }
    }
    for (auto& t : m_targets) {
        if (!t->checked)
            continue;
        const std::optional<bool> holds =
            fileHolds(t->path, t->expected, &result.error);
        if (!holds) {
            result.failure = result.error;
            return result;
        }
        if (!*holds)
            result.changed.push_back(t->path);
    }
    if (!result.changed.empty()) {
        result.status = CommitResult::Status::TargetChanged;
        result.error = result.changed.front() + " changed since it was read; nothing was written";
        return result;
    }
    // Each old file stays reachable under a second name until every new one is in place.
    std::vector<CommitEntry> entries;
    for (auto& t : m_targets) {
        struct stat st {};
        if (::lstat(t->path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
            int failure = 0;
            t->backup = linkAside(t->path, &failure);
            if (t->backup.empty()) {
                result.error = sentence("keep the earlier bytes of", t->path, failure);
                return result;
            }
            t->existed = true;
        }
        entries.push_back(
            {t->path, t->writer.temporaryPath(), t->backup, t->existed, FileIdentity::of(t->writer.temporaryPath())});
    }
    if (hooks.beforeReplace && !hooks.beforeReplace(entries, &result.error))
        return result;
    for (auto& t : m_targets) {
        std::string why;
        if (t->writer.commit(&why)) {
            t->replaced = true;
            continue;
        }
        // Put back every target replaced so far.
        result.error = why;
        result.failure = why;
        bool restored = true;
        for (auto& done : m_targets) {
            if (!done->replaced)
                continue;
            const bool back = done->existed ? ::rename(done->backup.c_str(), done->path.c_str()) == 0
                                            : ::unlink(done->path.c_str()) == 0;
            if (back) {
                done->backup.clear();
                continue;
            }
            restored = false;
            const int failure = errno;
            std::string kept;
            if (done->existed) {
                // Under a name no cleanup removes, for the person to recover by hand.
                kept = done->path + ".decksync-earlier-" + done->backup.substr(done->backup.size() - 6);
                if (::rename(done->backup.c_str(), kept.c_str()) != 0)
                    kept = done->backup;
            }
            result.error += "; " + sentence("put back", done->path, failure) +
                (kept.empty() ? std::string() : " (its earlier bytes are in " + kept + ")");
            done->backup.clear();
        }
        if (restored) {
            result.restored = true;
            result.error += "; nothing was changed";
            if (hooks.afterRestore)
                hooks.afterRestore();
        }
        return result;
    }
    result.status = CommitResult::Status::Committed;
    if (hooks.afterReplace)
        hooks.afterReplace();
    return result;
}

CommitResult FileCommit::commit(const CommitHooks& hooks)
{
    CommitResult result = commitOnce(hooks);
    // Whatever happened, no temporary and no link to old bytes outlives the commit.
    for (auto& t : m_targets) {
        t->writer.discard();
        if (!t->backup.empty())
            ::unlink(t->backup.c_str());
        t->backup.clear();
    }
    return result;
}

CommitResult commitFiles(const std::vector<std::pair<std::string, std::string>>& files, const CommitHooks& hooks)
{
    std::vector<std::string> targets;
    for (const auto& f : files)
        targets.push_back(f.first);
    FileCommit commit(std::move(targets));
    CommitResult result;
    if (!commit.open(&result.error))
        return result;
    for (std::size_t i = 0; i < files.size(); ++i)
        commit.sink(i).write(files[i].second);
    return commit.commit(hooks);
}

} // namespace decksync
