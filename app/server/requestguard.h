// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

/// Watches the bytes of one connection before the HTTP server parses them. Qt 6.4's HTTP
/// server keeps a whole request body in memory before any handler runs, so a client could
/// make it hold gigabytes just by sending them. The guard reads each request's header section
/// as it arrives and refuses, before the body is read:
/// - 413 when the declared Content-Length is over the limit;
/// - 411 for a body without a Content-Length (chunked);
/// - 431 for a header section over 64 KiB.
/// A refused connection answers at once with `Connection: close`, then reads and discards
/// what the client still sends (so that the client sees the answer rather than a reset) up to
/// the declared length, or 64 MiB, or 30 seconds, and closes.
///
/// It must see readyRead() before the server: connect it before the server takes the socket.
/// It counts the bytes the server reads in each readyRead() (the server reads all there is).
/// A WebSocket upgrade ends the watch: what follows is not HTTP.
class RequestGuard : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qint64 MaxDrainBytes = 64LL << 20;

    RequestGuard(QTcpSocket* socket, qint64 maxBody);

private:
    void onReadyRead();
    /// Follows the request framing through `bytes`; false once the connection was refused.
    bool scan(const QByteArray& bytes);
    /// Looks at a complete header section; false once the connection was refused.
    bool checkHead(const QByteArray& head);
    void refuse(int status, const QByteArray& reason, const QByteArray& message, qint64 pendingBody);
    void drain();

    QTcpSocket* m_socket;
    qint64 m_maxBody;
    enum class State { Head, Body, Draining, Off } m_state = State::Head;
    QByteArray m_head;        ///< the header section read so far
    qint64 m_bodyLeft = 0;    ///< bytes of the current body still to come
    qint64 m_drainLeft = 0;   ///< bytes still discarded before the connection closes
};

/// A QTcpServer whose connections get a RequestGuard before anyone else sees them.
class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    explicit GuardedTcpServer(qint64 maxBody, QObject* parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    qint64 m_maxBody;
};
