// SPDX-License-Identifier: MIT
#pragma once

// Bytes on the wire to and from a test server, without an HTTP client in between: for requests
// that a client library would refuse to send or would fix on the way.
#include "serverprocess.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QString>
#include <QTcpSocket>

namespace rawhttp {

inline int portOf(const QString& base) { return base.section(u':', -1).toInt(); }

/// The server's resident memory in KiB (VmRSS), or -1.
inline qint64 residentKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/// Connects a socket to the server at `base`; false on failure.
inline bool connectTo(QTcpSocket& socket, const QString& base)
{
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(portOf(base)));
    return socket.waitForConnected(ServerProcess::TimeoutMs);
}

/// Reads from `socket` until `count` complete responses (by Content-Length; a 1xx has none)
/// have arrived, the connection ends or `timeoutMs` pass; returns what was read.
inline QByteArray readResponses(QTcpSocket& socket, int count, int timeoutMs = ServerProcess::TimeoutMs)
{
    QByteArray in;
    auto complete = [&] {
        qsizetype at = 0;
        for (int i = 0; i < count; ++i) {
            const qsizetype end = in.indexOf("\r\n\r\n", at);
            if (end < 0)
                return false;
            const QByteArray head = in.mid(at, end - at).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            const bool noBody = head.startsWith("http/1.1 1");
            const qsizetype length = cl < 0 || noBody ? 0 : head.mid(cl + 15, head.indexOf('\n', cl) - cl - 15).trimmed().toLongLong();
            at = end + 4 + length;
            if (at > in.size())
                return false;
        }
        return true;
    };
    const QDeadlineTimer deadline(timeoutMs);
    while (!complete() && !deadline.hasExpired()
           && (socket.bytesAvailable() > 0 || socket.waitForReadyRead(int(deadline.remainingTime()))))
        in += socket.readAll();
    return in;
}

/// True when the server closes the connection within `ms`; what came before is dropped.
inline bool closedWithin(QTcpSocket& socket, int ms)
{
    const QDeadlineTimer deadline(ms);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        socket.readAll();
    }
    return socket.state() != QAbstractSocket::ConnectedState;
}

/// A WebSocket upgrade request for /feed with this token.
inline QByteArray feedUpgrade(const QByteArray& token, const QByteArray& extra = {})
{
    return "GET /feed HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           "Authorization: Bearer "
        + token + "\r\n" + extra + "\r\n";
}

/// The header of a WebSocket frame (FIN set) that declares `length` payload bytes; with a
/// mask key when `masked` (as every client frame must be).
inline QByteArray frameHeader(int opcode, quint64 length, bool masked, const QByteArray& maskKey = "abcd")
{
    QByteArray h;
    h.append(char(0x80 | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    if (length < 126) {
        h.append(char(maskBit | char(length)));
    } else if (length <= 0xffff) {
        h.append(char(maskBit | 126));
        h.append(char(length >> 8)).append(char(length & 0xff));
    } else {
        h.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            h.append(char((length >> (8 * i)) & 0xff));
    }
    if (masked)
        h.append(maskKey);
    return h;
}

/// A whole frame carrying `payload`, masked with "abcd" when `masked`.
inline QByteArray frame(int opcode, const QByteArray& payload, bool masked)
{
    const QByteArray key = "abcd";
    QByteArray out = frameHeader(opcode, quint64(payload.size()), masked, key);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(masked ? char(payload[i] ^ key[i % 4]) : payload[i]);
    return out;
}

/// The close code of the first close frame (opcode 8) in `bytes` that the server sent
/// (unmasked), or 0 when there is none.
inline int closeCode(const QByteArray& bytes)
{
    for (qsizetype at = 0; at + 4 <= bytes.size();) {
        const int opcode = bytes[at] & 0x0f;
        quint64 length = quint8(bytes[at + 1]) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            length = (quint64(quint8(bytes[at + 2])) << 8) | quint8(bytes[at + 3]);
            header = 4;
        } else if (length == 127) {
            return 0; // the server sends nothing that long
        }
        if (opcode == 8 && length >= 2 && at + header + 2 <= bytes.size())
            return (quint8(bytes[at + header]) << 8) | quint8(bytes[at + header + 1]);
        at += header + qsizetype(length);
    }
    return 0;
}

} // namespace rawhttp
