// SPDX-License-Identifier: MIT
#include "app/services/serverclient.h"

#include "app/services/bytes.h"
#include "engine/jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

struct ServerClient::Call {
    /// Fetch: `body` is the ?at= time, if any, or with `revision` the revision; Users: the text
    /// searched for; Revisions: `revision` is ?before= and `limit` ?limit=; ItemRevisions: the
    /// same, with `body` "type/id"; Restore: a write.
    enum Kind { Fetch, Push, Users, Revisions, ItemRevisions, Restore } kind;
    quint64 id;
    QByteArray body;
    qint64 ifMatch = -1;
    int attempt = 0;
    qint64 revision = -1;
    int limit = 0;
};

namespace {

qint64 revisionOf(QNetworkReply* reply, const QByteArray& body)
{
    QByteArray etag = reply->rawHeader("ETag");
    etag.replace('"', "");
    bool ok = false;
    const qint64 fromHeader = etag.toLongLong(&ok);
    if (ok)
        return fromHeader;
    const qint64 fromXRevision = reply->rawHeader("X-Revision").toLongLong(&ok);
    if (ok)
        return fromXRevision;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    return o.value(u"revision"_s).toInteger(-1);
}

/// The server's JSON error message, or the HTTP status line.
QString serverMessage(QNetworkReply* reply, const QByteArray& body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString message = o.value(u"message"_s).toString();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!message.isEmpty())
        return QObject::tr("the server answered %1: %2").arg(status).arg(message);
    if (status != 0)
        return QObject::tr("the server answered %1 %2")
            .arg(status)
            .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    return reply->errorString();
}

/// A write the server cannot have processed: nothing was sent.
bool notSent(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError;
}

bool transient(QNetworkReply::NetworkError e, int status)
{
    if (status >= 500)
        return true;
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // our transfer timeout
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
        return true;
    default:
        return false;
    }
}

QList<DirectoryUser> usersOf(const QJsonArray& list)
{
    QList<DirectoryUser> out;
    for (const QJsonValue& v : list) {
        DirectoryUser u;
        u.email = v[u"email"_s].toString();
        u.support = v[u"role"_s].toString() == u"support";
        u.revision = v[u"revision"_s].toInteger();
        u.lastWrite = QDateTime::fromString(v[u"last_write"_s].toString(), Qt::ISODateWithMs);
        u.conflicts = v[u"conflicts"_s].toInteger();
        u.recentConflicts = v[u"recent_conflicts"_s].toInteger();
        const QString health = v[u"health"_s].toString();
        u.health = health == u"conflicts" ? DirectoryUser::Health::Conflicts
            : health == u"ok"             ? DirectoryUser::Health::Ok
                                          : DirectoryUser::Health::NoData;
        out << u;
    }
    return out;
}

QList<ServerRevision> revisionsOf(const QJsonArray& list)
{
    QList<ServerRevision> out;
    for (const QJsonValue& v : list) {
        ServerRevision r;
        r.revision = v[u"revision"_s].toInteger();
        r.at = QDateTime::fromString(v[u"at"_s].toString(), Qt::ISODateWithMs);
        r.by = v[u"by"_s].toString();
        r.device = v[u"device"_s].toString();
        const QString kind = v[u"kind"_s].toString();
        r.kind = kind == u"sync"      ? ServerRevision::Kind::Sync
            : kind == u"batch"        ? ServerRevision::Kind::Batch
            : kind == u"restore"      ? ServerRevision::Kind::Restore
            : kind == u"upgrade"      ? ServerRevision::Kind::Upgrade
                                      : ServerRevision::Kind::Put;
        r.dataType = v[u"data_type"_s].toString();
        r.restored = v[u"restored"_s].toInteger();
        r.added = v[u"added"_s].toInteger();
        r.removed = v[u"removed"_s].toInteger();
        r.changed = v[u"changed"_s].toInteger();
        r.conflicts = v[u"conflicts"_s].toInteger();
        out << r;
    }
    return out;
}

/// The items before and after each entry of GET /data/{type}/{id}/revisions, exactly as the
/// server sent them (members no model knows keep their text); none for null. Empty when the
/// body does not read.
QList<std::pair<std::optional<QByteArray>, std::optional<QByteArray>>> itemTexts(const QByteArray& body)
{
    QList<std::pair<std::optional<QByteArray>, std::optional<QByteArray>>> out;
    const auto raw = [](decksync::JsonReader& r) -> std::optional<QByteArray> {
        if (r.readNull())
            return std::nullopt;
        const std::string_view text = r.skipValue();
        return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    };
    const auto read = decksync::decodeWith<bool>(bytesView(body), [&](decksync::JsonReader& r) {
        r.readObject([&](std::string_view key) {
            if (key != "revisions") {
                r.skipValue();
                return;
            }
            r.readArray([&](std::size_t) {
                auto& entry = out.emplace_back();
                r.readObject([&](std::string_view member) {
                    if (member == "before")
                        entry.first = raw(r);
                    else if (member == "after")
                        entry.second = raw(r);
                    else
                        r.skipValue();
                });
            });
        });
        return true;
    });
    if (!read.ok())
        out.clear();
    return out;
}

} // namespace

ServerClient::ServerClient(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_reconnect(new QTimer(this))
{
    m_reconnect->setSingleShot(true);
    m_reconnect->setInterval(FeedRetryMs);
    connect(m_reconnect, &QTimer::timeout, this, &ServerClient::openFeed);
}

ServerClient::~ServerClient() { closeFeed(); }

void ServerClient::setConnection(ServerConnection connection)
{
    closeFeed();
    m_connection = std::move(connection);
}

QString ServerClient::describe() const
{
    const QString base = m_connection.baseUrl.toString(QUrl::RemoveUserInfo);
    return m_connection.actAs.isEmpty() ? base : tr("%1 (%2)").arg(base, m_connection.actAs);
}

QNetworkRequest ServerClient::request(const QString& path, const QUrlQuery& query, bool actingAs) const
{
    QUrl url = m_connection.baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest r(url);
    r.setRawHeader("Authorization", "Bearer " + m_connection.token.toUtf8());
    if (actingAs && !m_connection.actAs.isEmpty())
        r.setRawHeader("X-Act-As", m_connection.actAs.toUtf8());
    if (!m_connection.deviceId.isEmpty())
        r.setRawHeader("X-Device-Id", m_connection.deviceId.toUtf8());
    r.setTransferTimeout(m_timeoutMs);
    return r;
}

quint64 ServerClient::fetch()
{
    auto call = std::make_shared<Call>(Call{Call::Fetch, m_nextCall++, {}, -1, 0, -1, 0});
    send(call);
    return call->id;
}

quint64 ServerClient::fetchAt(const QString& at)
{
    auto call = std::make_shared<Call>(Call{Call::Fetch, m_nextCall++, at.toUtf8(), -1, 0, -1, 0});
    send(call);
    return call->id;
}

quint64 ServerClient::listRevisions(qint64 before, int limit)
{
    auto call = std::make_shared<Call>(Call{Call::Revisions, m_nextCall++, {}, -1, 0, before, limit});
    send(call);
    return call->id;
}

quint64 ServerClient::fetchRevision(qint64 revision)
{
    auto call = std::make_shared<Call>(Call{Call::Fetch, m_nextCall++, {}, -1, 0, revision, 0});
    send(call);
    return call->id;
}

quint64 ServerClient::listItemRevisions(const QString& type, const QString& id, qint64 before, int limit)
{
    auto call = std::make_shared<Call>(
        Call{Call::ItemRevisions, m_nextCall++, QString(type + u'/' + id).toUtf8(), -1, 0, before, limit});
    send(call);
    return call->id;
}

quint64 ServerClient::restore(qint64 revision, qint64 ifMatchRevision, const QList<QPair<QString, QString>>& items)
{
    QJsonObject request{{u"revision"_s, revision}};
    if (!items.isEmpty()) {
        QJsonArray list;
        for (const auto& [type, id] : items)
            list.append(QJsonObject{{u"type"_s, type}, {u"id"_s, id}});
        request[u"items"_s] = list;
    }
    const QByteArray body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    auto call = std::make_shared<Call>(Call{Call::Restore, m_nextCall++, body, ifMatchRevision, 0, revision, 0});
    send(call);
    return call->id;
}

quint64 ServerClient::push(const QByteArray& document, qint64 ifMatchRevision)
{
    auto call = std::make_shared<Call>(Call{Call::Push, m_nextCall++, document, ifMatchRevision, 0, -1, 0});
    send(call);
    return call->id;
}

quint64 ServerClient::listUsers(const QString& text)
{
    auto call = std::make_shared<Call>(Call{Call::Users, m_nextCall++, text.toUtf8(), -1, 0, -1, 0});
    send(call);
    return call->id;
}

template <class... Args, class Handler>
void ServerClient::onceFor(quint64 call, QObject* context, const std::shared_ptr<QList<QMetaObject::Connection>>& answers,
                           void (ServerClient::*signal)(quint64, Args...), Handler handler)
{
    *answers << connect(this, signal, context, [call, answers, handler](quint64 id, Args... args) {
        if (id != call)
            return;
        for (const auto& c : *answers) // the first answer ends them all
            QObject::disconnect(c);
        handler(args...);
    });
}

void ServerClient::fetchThen(QObject* context, std::function<void(const QByteArray&, qint64)> onFetched,
                             std::function<void(const QString&)> onFailed)
{
    const quint64 call = fetch();
    auto answers = std::make_shared<QList<QMetaObject::Connection>>();
    onceFor(call, context, answers, &ServerClient::fetched, std::move(onFetched));
    onceFor(call, context, answers, &ServerClient::failed, [onFailed](const QString& message, int) { onFailed(message); });
}

void ServerClient::pushThen(const QByteArray& document, qint64 ifMatchRevision, QObject* context,
                            std::function<void(qint64)> onPushed, std::function<void(qint64, const QString&)> onConflict,
                            std::function<void(const QString&)> onFailed)
{
    const quint64 call = push(document, ifMatchRevision);
    auto answers = std::make_shared<QList<QMetaObject::Connection>>();
    onceFor(call, context, answers, &ServerClient::pushed, std::move(onPushed));
    onceFor(call, context, answers, &ServerClient::pushConflict, std::move(onConflict));
    onceFor(call, context, answers, &ServerClient::failed, [onFailed](const QString& message, int) { onFailed(message); });
}

void ServerClient::send(std::shared_ptr<Call> call)
{
    QString path = u"/data"_s;
    QUrlQuery query;
    switch (call->kind) {
    case Call::Fetch:
        if (call->revision >= 0)
            query.addQueryItem(u"revision"_s, QString::number(call->revision));
        else if (!call->body.isEmpty())
            query.addQueryItem(u"at"_s, QString::fromUtf8(call->body));
        break;
    case Call::Push: break;
    case Call::Users:
        path = u"/users"_s;
        query.addQueryItem(u"q"_s, QString::fromUtf8(call->body));
        break;
    case Call::Revisions:
        path = u"/revisions"_s;
        if (call->revision > 0)
            query.addQueryItem(u"before"_s, QString::number(call->revision));
        query.addQueryItem(u"limit"_s, QString::number(call->limit));
        break;
    case Call::ItemRevisions:
        path = u"/data/%1/revisions"_s.arg(QString::fromUtf8(QUrl::toPercentEncoding(QString::fromUtf8(call->body), "/")));
        if (call->revision > 0)
            query.addQueryItem(u"before"_s, QString::number(call->revision));
        query.addQueryItem(u"limit"_s, QString::number(call->limit));
        break;
    case Call::Restore: path = u"/data/restore"_s; break;
    }
    // The directory lists every user: it is asked without the user to inspect.
    QNetworkRequest r = request(path, query, call->kind != Call::Users);
    QNetworkReply* reply = nullptr;
    if (call->kind == Call::Push || call->kind == Call::Restore) {
        r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        r.setRawHeader("If-Match", '"' + QByteArray::number(call->ifMatch) + '"');
        reply = call->kind == Call::Push ? m_network->put(r, call->body) : m_network->post(r, call->body);
    } else {
        reply = m_network->get(r);
    }
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finished(call, reply); });
}

void ServerClient::retryLater(std::shared_ptr<Call> call, const QString& why, int status)
{
    if (call->attempt >= m_retries) {
        Q_EMIT failed(call->id, call->attempt == 0 ? why : tr("%1 (after %2 attempts)").arg(why).arg(call->attempt + 1),
                      status);
        return;
    }
    const int wait = m_backoffMs << call->attempt;
    ++call->attempt;
    QTimer::singleShot(wait, this, [this, call] { send(call); });
}

void ServerClient::finished(std::shared_ptr<Call> call, QNetworkReply* reply)
{
    reply->deleteLater();
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    const QString where = m_connection.baseUrl.toString(QUrl::RemoveUserInfo);

    if ((call->kind == Call::Push || call->kind == Call::Restore) && status == 409) {
        Q_EMIT pushConflict(call->id, revisionOf(reply, body), serverMessage(reply, body));
        return;
    }
    if (status >= 200 && status < 300 && error == QNetworkReply::NoError) {
        if (call->kind == Call::Revisions) {
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            Q_EMIT revisionsListed(call->id, revisionsOf(o[u"revisions"_s].toArray()),
                                   o[u"next_before"_s].toInteger(0));
        } else if (call->kind == Call::ItemRevisions) {
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            QList<ServerItemRevision> list;
            const QJsonArray entries = o[u"revisions"_s].toArray();
            const QList<ServerRevision> revisions = revisionsOf(entries);
            const auto texts = itemTexts(body);
            for (qsizetype i = 0; i < revisions.size() && i < texts.size(); ++i)
                list << ServerItemRevision{revisions[i], texts[i].first, texts[i].second};
            Q_EMIT itemRevisionsListed(call->id, list, o[u"next_before"_s].toInteger(0));
        } else if (call->kind == Call::Users) {
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            Q_EMIT usersListed(call->id, usersOf(o[u"users"_s].toArray()), o[u"next_after"_s].isString());
        } else if (call->kind == Call::Fetch)
            Q_EMIT fetched(call->id, body, revisionOf(reply, body));
        else
            Q_EMIT pushed(call->id, revisionOf(reply, body));
        return;
    }
    // Our transfer timeout shows up as "Operation canceled": say what happened instead.
    const QString cause = error == QNetworkReply::OperationCanceledError
        ? tr("no answer within %1 s").arg(m_timeoutMs / 1000.0)
        : reply->errorString();
    const QString why = status ? serverMessage(reply, body) : tr("%1: %2").arg(where, cause);
    // A read can always be repeated; a write only when the server cannot have seen it.
    const bool write = call->kind == Call::Push || call->kind == Call::Restore;
    const bool safe = !write || notSent(error) || status == 503;
    if (safe && transient(error, status))
        retryLater(call, why, status);
    else
        Q_EMIT failed(call->id, why, status);
}

void ServerClient::openFeed()
{
    if (!isConfigured())
        return;
    if (!m_feed) {
        m_feed = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(m_feed, &QWebSocket::connected, this, [this] {
            m_reconnect->setInterval(FeedRetryMs);
            Q_EMIT feedStateChanged(true);
        });
        connect(m_feed, &QWebSocket::disconnected, this, [this] {
            Q_EMIT feedStateChanged(false);
            // The feed comes back on its own, less and less often while it cannot (2 s, 4 s, ...
            // up to a minute): a server that is down is not asked twice a second.
            m_reconnect->start();
            m_reconnect->setInterval(std::min(m_reconnect->interval() * 2, FeedRetryMaxMs));
        });
        connect(m_feed, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            if (o.value(u"event"_s).toString() == u"synced")
                Q_EMIT remoteChanged(o.value(u"data_type"_s).toString(), o.value(u"revision"_s).toInteger(-1),
                                     o.value(u"at"_s).toString());
        });
    }
    if (m_feed->state() != QAbstractSocket::UnconnectedState)
        return; // open, or on its way
    QNetworkRequest r = request(u"/feed"_s);
    QUrl url = r.url();
    url.setScheme(url.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    r.setUrl(url);
    m_feed->open(r);
}

void ServerClient::closeFeed()
{
    m_reconnect->stop();
    m_reconnect->setInterval(FeedRetryMs);
    if (m_feed) {
        m_feed->disconnect(this);
        m_feed->close();
        m_feed->deleteLater();
        m_feed = nullptr;
    }
}

bool ServerClient::feedConnected() const { return m_feed && m_feed->state() == QAbstractSocket::ConnectedState; }
