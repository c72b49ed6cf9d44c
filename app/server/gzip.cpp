// SPDX-License-Identifier: MIT
#include "app/server/gzip.h"

#include <zlib.h>

#include <algorithm> // min

namespace {
constexpr qint64 kChunk = 64 * 1024;
}

Gzip::Result Gzip::inflate(const QByteArray& compressed, qint64 limit, QByteArray* out)
{
    out->clear();
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return Result::Corrupt;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.constData()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    Result result = Result::Corrupt;
    for (;;) {
        const qint64 used = out->size();
        // One byte beyond the limit is enough to know that the body is too large.
        const qint64 room = std::min(kChunk, limit + 1 - used);
        if (room <= 0) {
            result = Result::TooLarge;
            break;
        }
        out->resize(used + room);
        zs.next_out = reinterpret_cast<Bytef*>(out->data() + used);
        zs.avail_out = static_cast<uInt>(room);
        const int rc = ::inflate(&zs, Z_NO_FLUSH);
        out->resize(used + room - zs.avail_out);
        if (rc == Z_STREAM_END) {
            result = zs.avail_in == 0 ? (out->size() > limit ? Result::TooLarge : Result::Ok) : Result::Corrupt;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0)
            break; // truncated stream
    }
    inflateEnd(&zs);
    if (result != Result::Ok)
        out->clear();
    return result;
}

QByteArray Gzip::deflate(const QByteArray& data)
{
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = ::deflate(&zs, Z_FINISH);
    out.resize(rc == Z_STREAM_END ? static_cast<qsizetype>(zs.total_out) : 0);
    deflateEnd(&zs);
    return out;
}
