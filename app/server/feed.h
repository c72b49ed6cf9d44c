// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

class QAbstractHttpServer;
class QWebSocket;
class ServerStore;

/// The seed's SyncTrigger as a WebSocket feed at `/feed`. Qt 6.4's HTTP server hands over
/// every WebSocket upgrade once the handshake is done, so the path and the bearer token
/// (`Authorization` header or `?token=`) are checked right after it: a refused socket is
/// closed with code 1008 (policy violation) and a reason. A support token may watch another
/// user's feed with `X-Act-As: EMAIL`.
class Feed : public QObject {
    Q_OBJECT

public:
    Feed(QAbstractHttpServer* server, ServerStore* store, QObject* parent = nullptr);
    ~Feed() override;

    /// Sends `{"event": "synced", "data_type", "revision", "at"}` to every socket of `userId`
    /// except those that identified themselves with `sourceDevice` (when it is not empty).
    void publish(qint64 userId, const QByteArray& sourceDevice, const QString& dataType, qint64 revision,
                 const QString& at);
    [[nodiscard]] qsizetype clientCount() const { return m_clients.size(); }

private:
    struct Client {
        QWebSocket* socket = nullptr;
        qint64 userId = 0;
        QByteArray deviceId;
    };

    void acceptPending();
    void accept(QWebSocket* socket);
    void refuse(QWebSocket* socket, const QString& reason);
    void forget(QWebSocket* socket);

    QAbstractHttpServer* m_server;
    ServerStore* m_store;
    QList<Client> m_clients;
};
