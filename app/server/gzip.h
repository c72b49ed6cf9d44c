// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

/// gzip bodies (RFC 1952) for `Content-Encoding: gzip`, through zlib.
class Gzip {
public:
    enum class Result { Ok, TooLarge, Corrupt };

    /// Inflates a gzip stream into `out`, refusing to produce more than `limit` bytes.
    static Result inflate(const QByteArray& compressed, qint64 limit, QByteArray* out);
    /// Deflates `data` as one gzip member (default compression level).
    static QByteArray deflate(const QByteArray& data);
};
