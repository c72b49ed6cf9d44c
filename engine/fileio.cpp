// SPDX-License-Identifier: MIT
#include "engine/fileio.h"

#include "engine/datasetcodec.h"

#include <cerrno>   // errno
#include <cstdio>   // FILE
#include <cstring>  // strerror
#include <fcntl.h>  // open
#include <sys/stat.h> // fchmod
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

} // namespace

std::optional<std::string> readFile(const std::string& path, std::string* error)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = errnoText("open the file");
        return std::nullopt;
    }
    std::string data;
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size > 0) {
        data.resize(static_cast<std::size_t>(size));
        ::lseek(fd, 0, SEEK_SET);
    }
    std::size_t used = 0;
    for (;;) {
        if (used == data.size())
            data.resize(std::max<std::size_t>(4096, data.size() * 2));
        const ssize_t n = ::read(fd, data.data() + used, data.size() - used);
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
    data.resize(used);
    return data;
}

Decoded<Dataset> loadDatasetFile(const std::string& path)
{
    std::string why;
    std::optional<std::string> text = readFile(path, &why);
    if (!text) {
        DecodeError e;
        e.file = path;
        e.message = why;
        return e;
    }
    Decoded<Dataset> d = codec::decodeDataset(*text);
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
    m_tmp = m_path + ".tmp-XXXXXX";
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

bool AtomicFileWriter::commit(std::string* error)
{
    if (m_fd < 0)
        return false;
    int failure = m_sink->m_errno;
    if (failure == 0 && ::fchmod(m_fd, 0644) != 0)
        failure = errno;
    if (failure == 0 && ::fsync(m_fd) != 0)
        failure = errno;
    if (::close(m_fd) != 0 && failure == 0)
        failure = errno;
    m_fd = -1;
    if (failure == 0 && ::rename(m_tmp.c_str(), m_path.c_str()) != 0)
        failure = errno;
    if (failure != 0) {
        ::unlink(m_tmp.c_str());
        m_tmp.clear();
        errno = failure;
        if (error)
            *error = errnoText("write", m_path);
        return false;
    }
    m_tmp.clear();
    return true;
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

bool writeJsonFileAtomically(const std::string& path, const std::function<void(JsonWriter&)>& produce,
                             std::string* error)
{
    return writeFileAtomically(
        path,
        [&](OutputSink& sink) {
            JsonWriter writer(sink);
            produce(writer);
            writer.finish();
        },
        error);
}

} // namespace decksync
