// SPDX-License-Identifier: MIT
#include "app/server/feed.h"

#include "app/server/auth.h"
#include "app/server/serverstore.h"

#include "engine/jsonwriter.h"

#include <QAbstractHttpServer>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

using namespace Qt::StringLiterals;

Feed::Feed(QAbstractHttpServer* server, ServerStore* store, QObject* parent)
    : QObject(parent)
    , m_server(server)
    , m_store(store)
{
    connect(server, &QAbstractHttpServer::newWebSocketConnection, this, &Feed::acceptPending);
}

Feed::~Feed()
{
    for (const Client& c : std::as_const(m_clients)) {
        c.socket->disconnect(this);
        c.socket->abort();
        delete c.socket;
    }
}

void Feed::acceptPending()
{
    while (m_server->hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = m_server->nextPendingWebSocketConnection();
        if (socket)
            accept(socket.release());
    }
}

void Feed::accept(QWebSocket* socket)
{
    socket->setParent(this);
    const QUrl url = socket->requestUrl();
    const QNetworkRequest request = socket->request();
    if (url.path() != u"/feed"_s)
        return refuse(socket, u"not_found: the only WebSocket endpoint is /feed"_s);

    QByteArray token = Auth::bearerToken(request.rawHeader("Authorization"));
    if (token.isEmpty())
        token = QUrlQuery(url).queryItemValue(u"token"_s, QUrl::FullyDecoded).toLatin1();
    QString error;
    std::optional<ServerUser> user;
    if (!token.isEmpty())
        user = m_store->userByTokenHash(Auth::hashToken(token), &error);
    if (!user)
        return refuse(socket, u"unauthorized: a valid bearer token is required"_s);

    const QString actAs = QString::fromUtf8(request.rawHeader("X-Act-As"));
    if (!actAs.isEmpty()) {
        if (!user->isSupport())
            return refuse(socket, u"forbidden: only a support token may use X-Act-As"_s);
        const std::optional<ServerUser> target = m_store->userByEmail(actAs, &error);
        if (!target)
            return refuse(socket, u"not_found: there is no user %1"_s.arg(actAs));
        user = target;
    }

    m_clients.append({socket, user->id, request.rawHeader("X-Device-Id")});
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { forget(socket); });
    qInfo().noquote() << u"WS /feed 101 %1 (%2 open)"_s.arg(user->email).arg(m_clients.size());
}

void Feed::refuse(QWebSocket* socket, const QString& reason)
{
    qInfo().noquote() << u"WS %1 refused: %2"_s.arg(socket->requestUrl().path(), reason);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
}

void Feed::forget(QWebSocket* socket)
{
    m_clients.removeIf([socket](const Client& c) { return c.socket == socket; });
    socket->deleteLater();
}

void Feed::publish(qint64 userId, const QByteArray& sourceDevice, const QString& dataType, qint64 revision,
                   const QString& at)
{
    std::string text;
    decksync::JsonWriter w(text, decksync::JsonWriter::Style::Compact);
    w.beginObject();
    w.key("event");
    w.string("synced");
    w.key("data_type");
    w.string(dataType.toStdString());
    w.key("revision");
    w.integer(revision);
    w.key("at");
    w.string(at.toStdString());
    w.endObject();
    const QString message = QString::fromStdString(text);
    for (const Client& c : std::as_const(m_clients)) {
        if (c.userId != userId || (!sourceDevice.isEmpty() && c.deviceId == sourceDevice))
            continue;
        c.socket->sendTextMessage(message);
    }
}
