// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/jsonwriter.h"
#include "engine/models.h"
#include "engine/progress.h"

#include <chrono>     // seconds
#include <functional> // function
#include <memory>     // unique_ptr
#include <string>     // string

namespace decksync {

/// Reads a whole file. On failure returns nullopt and a sentence in `error` (without the path).
std::optional<std::string> readFile(const std::string& path, std::string* error);

/// A file's bytes, read into one buffer (not mapped: see open()).
class FileBytes {
public:
    FileBytes() = default;
    ~FileBytes();
    FileBytes(FileBytes&& other) noexcept;
    FileBytes& operator=(FileBytes&& other) noexcept;

    /// Reads `path`; false and a sentence (without the path) in `error` on failure.
    bool open(const std::string& path, std::string* error);
    [[nodiscard]] std::string_view view() const { return {m_data.get(), m_size}; }

private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
};

/// Loads a dataset document; errors name the file, the JSON Pointer, line and column.
Decoded<Dataset> loadDatasetFile(const std::string& path, ProgressObserver* observer = nullptr);

/// A file written beside its target and renamed over it on commit(), so that the target is
/// either wholly replaced or untouched. Not committed by destruction time: discarded.
class AtomicFileWriter {
public:
    explicit AtomicFileWriter(std::string path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    /// Creates the temporary file; false and a sentence in `error` on failure.
    bool open(std::string* error);
    OutputSink& sink();
    /// Flushes to disk and closes; false and a sentence on failure (then discarded).
    bool finish(std::string* error);
    /// finish() if not done, then renames over the target; false and a sentence on failure.
    bool commit(std::string* error);
    void discard();
    /// The temporary file's path while it is open or finished; empty otherwise.
    [[nodiscard]] const std::string& temporaryPath() const { return m_tmp; }

private:
    class Sink;
    /// Removes the temporary file and reports `failure` (an errno) for the target.
    bool fail(int failure, std::string* error);

    std::string m_path;
    std::string m_tmp;
    int m_fd = -1;
    std::unique_ptr<Sink> m_sink;
};

/// Writes a file so that it is either wholly there or untouched: the bytes go to a temporary
/// file beside it, are flushed to disk, then renamed over the target. Returns false and a
/// sentence in `error` on failure (the target is then unchanged and the temporary removed).
bool writeFileAtomically(const std::string& path, const std::function<void(OutputSink&)>& produce,
                         std::string* error);

/// Removes the temporary files (`<target>.decksync-tmp-XXXXXX`) that a writer killed before its
/// commit left beside `target`, and the links to old bytes (`<target>.decksync-old-XXXXXX`) that
/// a FileCommit killed during its renames left, once they are older than `staleAfter` (a
/// younger one may belong to a writer still at work; a link's age is from when it was made).
/// Returns how many were removed. Recover a journal that needs those links first
/// (recoverCommitJournal()).
std::size_t removeStaleTemporaries(const std::string& target,
                                   std::chrono::seconds staleAfter = std::chrono::seconds(60));

} // namespace decksync
