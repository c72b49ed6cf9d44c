// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

/// Watches the bytes of one connection before the HTTP server parses them. Qt 6.4's HTTP
/// server keeps a whole request body in memory before any handler runs, so a client could
/// make it hold gigabytes just by sending them. The guard follows each request's framing as
/// it arrives and refuses, before the body is read:
/// - 413 when the declared Content-Length is over the limit;
/// - 411 for a body without a Content-Length (any Transfer-Encoding);
/// - 431 for a header section over 64 KiB;
/// - 400 for framing the guard and Qt's parser could read differently: a bare LF line end, a
///   folded header line, CONNECT, a Content-Length that is not plain digits or comes twice.
/// The refusal is sent once the server has answered what came before it on the connection,
/// with `Connection: close`; then the guard reads and drops what the client still sends (so
/// that the client sees the answer rather than a reset), up to the declared length or 64 MiB
/// or 30 seconds, and closes.
///
/// It must see readyRead() before the server: connect it before the server takes the socket.
/// It relies on the server reading all there is in each readyRead() (Qt 6.4 does, inside a
/// socket transaction). The socket's read buffer is capped at one largest request, and a
/// connection the server abandons (Qt 6.4 drops every connection of a socket whose request it
/// cannot parse, and leaves it open) is closed within a second. A WebSocket upgrade ends the
/// watch: what follows is not HTTP.
class RequestGuard : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qint64 MaxDrainBytes = 64LL << 20;

    RequestGuard(QTcpSocket* socket, qint64 maxBody);

private:
    struct Refusal {
        int status = 0;
        QByteArray reason;
        QByteArray code;
        QByteArray message;
        qint64 drain = 0;
    };

    void onReadyRead();
    /// Follows the request framing through `bytes`; false once a refusal was decided.
    bool scan(const QByteArray& bytes);
    /// Looks at a complete header section; false once a refusal was decided.
    bool checkHead(const QByteArray& head);
    void refuse(Refusal refusal);
    void sendRefusal();
    void drain();
    void checkAbandoned();

    QTcpSocket* m_socket;
    qint64 m_maxBody;
    enum class State { Head, Body, Refusing, Draining, Off } m_state = State::Head;
    QByteArray m_head;      ///< the header section read so far
    qint64 m_bodyLeft = 0;  ///< bytes of the current body still to come
    qint64 m_drainLeft = 0; ///< bytes still dropped before the connection closes
    int m_completedInChunk = 0; ///< requests completed in the bytes being scanned
    Refusal m_refusal;
    QMetaObject::Connection m_watch; ///< readyRead() → onReadyRead(): gone when the server drops the socket
    QTimer m_abandoned;
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
