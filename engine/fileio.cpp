// SPDX-License-Identifier: MIT
#include "engine/fileio.h"

#include "engine/datasetcodec.h"

#include <cerrno>   // errno
#include <cstdio>   // FILE
#include <cstring>  // strerror
#include <filesystem> // directory_iterator
#include <fcntl.h>  // open
#include <sys/stat.h> // fchmod, fstat
#include <unistd.h> // fsync, close

namespace decksync {
namespace {

std::string errnoText(const std::string& what, const std::string& path)
{
    return "cannot " + what + ' ' + path + ": " + std::strerror(errno);
}

std::string errnoText(const std::string& what)
{
    return "cannot " + what + ": " + std::strerror(errno);
}

/// Opens `path` and reads it to its end, in one read for a regular file that does not grow.
/// `grow(capacity, used)` returns a buffer of `capacity` bytes that starts with the `used`
/// bytes read so far. Returns how many bytes were read, or nullopt and a sentence in `error`.
template <class Grow>
std::optional<std::size_t> readWhole(const std::string& path, Grow grow, std::string* error)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = errnoText("open the file");
        return std::nullopt;
    }
    struct stat st {};
    std::size_t capacity = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                               ? static_cast<std::size_t>(st.st_size) + 1 // +1: sees a file that grew
                               : 64 * 1024;
    char* data = grow(capacity, 0);
    std::size_t used = 0;
    for (;;) {
        if (used == capacity) {
            capacity *= 2;
            data = grow(capacity, used);
        }
        const ssize_t n = ::read(fd, data + used, capacity - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (error)
                *error = errnoText("read the file");
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return used;
}

} // namespace

std::optional<std::string> readFile(const std::string& path, std::string* error)
{
    std::string data;
    const std::optional<std::size_t> size = readWhole(
        path,
        [&](std::size_t capacity, std::size_t) {
            data.resize(capacity);
            return data.data();
        },
        error);
    if (!size)
        return std::nullopt;
    data.resize(*size);
    return data;
}

FileBytes::~FileBytes() = default;

FileBytes::FileBytes(FileBytes&& other) noexcept
    : m_data(std::move(other.m_data))
    , m_size(std::exchange(other.m_size, 0))
{
}

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept
{
    m_data = std::move(other.m_data);
    m_size = std::exchange(other.m_size, 0);
    return *this;
}

bool FileBytes::open(const std::string& path, std::string* error)
{
    m_data.reset();
    m_size = 0;
    // Read, not mapped: a file truncated by another process while it is parsed would make a
    // mapping raise SIGBUS; a read gives a snapshot whose end the parser reports. The buffer
    // is left uninitialised (no zero fill), so reading costs about what the mapping's page
    // faults did.
    std::unique_ptr<char[]> data;
    const std::optional<std::size_t> size = readWhole(
        path,
        [&](std::size_t capacity, std::size_t used) {
            auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
            if (used > 0)
                std::memcpy(bigger.get(), data.get(), used);
            data = std::move(bigger);
            return data.get();
        },
        error);
    if (!size)
        return false;
    m_data = std::move(data);
    m_size = *size;
    return true;
}

Decoded<Dataset> loadDatasetFile(const std::string& path, ProgressObserver* observer)
{
    std::string why;
    FileBytes bytes;
    if (!bytes.open(path, &why)) {
        DecodeError e;
        e.file = path;
        e.message = why;
        return e;
    }
    Decoded<Dataset> d = codec::decodeDataset(bytes.view(), observer);
    if (!d)
        d.error().file = path;
    return d;
}

class AtomicFileWriter::Sink final : public OutputSink {
public:
    explicit Sink(int fd)
        : m_fd(fd)
    {
    }
    void write(std::string_view bytes) override
    {
        while (!bytes.empty() && m_errno == 0) {
            const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                m_errno = errno;
                return;
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    int m_fd;
    int m_errno = 0;
};

AtomicFileWriter::AtomicFileWriter(std::string path)
    : m_path(std::move(path))
{
}

AtomicFileWriter::~AtomicFileWriter() { discard(); }

bool AtomicFileWriter::open(std::string* error)
{
    m_tmp = m_path + ".decksync-tmp-XXXXXX";
    m_fd = ::mkstemp(m_tmp.data());
    if (m_fd < 0) {
        if (error)
            *error = errnoText("create a temporary file for", m_path);
        m_tmp.clear();
        return false;
    }
    m_sink = std::make_unique<Sink>(m_fd);
    return true;
}

OutputSink& AtomicFileWriter::sink() { return *m_sink; }

bool AtomicFileWriter::finish(std::string* error)
{
    if (m_fd < 0)
        return !m_tmp.empty();
    int failure = m_sink->m_errno;
    if (failure == 0 && ::fchmod(m_fd, 0644) != 0)
        failure = errno;
    if (failure == 0 && ::fsync(m_fd) != 0)
        failure = errno;
    if (::close(m_fd) != 0 && failure == 0)
        failure = errno;
    m_fd = -1;
    return failure == 0 || fail(failure, error);
}

bool AtomicFileWriter::commit(std::string* error)
{
    if (!finish(error))
        return false;
    if (::rename(m_tmp.c_str(), m_path.c_str()) != 0)
        return fail(errno, error);
    m_tmp.clear();
    return true;
}

bool AtomicFileWriter::fail(int failure, std::string* error)
{
    ::unlink(m_tmp.c_str());
    m_tmp.clear();
    errno = failure;
    if (error)
        *error = errnoText("write", m_path);
    return false;
}

void AtomicFileWriter::discard()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_tmp.empty()) {
        ::unlink(m_tmp.c_str());
        m_tmp.clear();
    }
}

bool writeFileAtomically(const std::string& path, const std::function<void(OutputSink&)>& produce, std::string* error)
{
    AtomicFileWriter file(path);
    if (!file.open(error))
        return false;
    produce(file.sink());
    return file.commit(error);
}

std::size_t removeStaleTemporaries(const std::string& target, std::chrono::seconds staleAfter)
{
    namespace fs = std::filesystem;
    const fs::path path(target);
    const std::string tmpPrefix = path.filename().string() + ".decksync-tmp-";
    const std::string oldPrefix = path.filename().string() + ".decksync-old-";
    const auto limit = fs::file_time_type::clock::now() - staleAfter;
    std::error_code ec;
    std::size_t removed = 0;
    for (fs::directory_iterator it(path.has_parent_path() ? path.parent_path() : fs::path("."), ec), end;
         !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // Exactly what mkstemp makes of "<target>.decksync-tmp-XXXXXX" (or -old-).
        const auto isOurs = [&name](const std::string& prefix) {
            return name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0;
        };
        const bool link = isOurs(oldPrefix);
        if (!isOurs(tmpPrefix) && !link)
            continue;
        std::error_code statError;
        if (link) {
            // A link to old bytes has the old file's mtime; its age is when it was linked,
            // which is when its inode's status last changed.
            struct stat st {};
            if (::lstat(it->path().c_str(), &st) != 0
                || std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_ctim.tv_sec)
                    < staleAfter)
                continue;
        } else if (!it->is_regular_file(statError) || it->last_write_time(statError) > limit || statError) {
            continue;
        }
        if (fs::remove(it->path(), statError))
            ++removed;
    }
    return removed;
}

} // namespace decksync
