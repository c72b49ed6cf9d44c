// SPDX-License-Identifier: MIT
#include "app/server/syncserver.h"

#include "app/server/auth.h"
#include "app/server/dataapi.h"
#include "app/server/feed.h"
#include "app/server/gzip.h"
#include "app/server/serverstore.h"
#include "app/server/syncapi.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

/// What a path names: the endpoint, its data type and the methods it accepts.
struct SyncServer::Route {
    enum Kind { None, Health, Metrics, Sync, Batch, Data, DataOfType, Feed } kind = None;
    DataType type = DataType::Decks;
    QStringList methods;

    static Route match(const QString& path)
    {
        const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
        const auto typeOf = [&](const QString& name) { return dataTypeFromName(name.toStdString()); };
        if (parts == QStringList{u"health"_s})
            return {Health, {}, {u"GET"_s}};
        if (parts == QStringList{u"metrics"_s})
            return {Metrics, {}, {u"GET"_s}};
        if (parts == QStringList{u"feed"_s})
            return {Feed, {}, {u"GET"_s}};
        if (parts == QStringList{u"data"_s})
            return {Data, {}, {u"GET"_s, u"PUT"_s}};
        if (parts.size() == 2 && parts[0] == u"data"_s && typeOf(parts[1]))
            return {DataOfType, *typeOf(parts[1]), {u"GET"_s}};
        if (parts == QStringList{u"sync"_s, u"batch"_s})
            return {Batch, {}, {u"POST"_s}};
        if (parts.size() == 2 && parts[0] == u"sync"_s && typeOf(parts[1]))
            return {Sync, *typeOf(parts[1]), {u"POST"_s}};
        return {};
    }
};

namespace {


QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return u"GET"_s;
    case QHttpServerRequest::Method::Put: return u"PUT"_s;
    case QHttpServerRequest::Method::Delete: return u"DELETE"_s;
    case QHttpServerRequest::Method::Post: return u"POST"_s;
    case QHttpServerRequest::Method::Head: return u"HEAD"_s;
    case QHttpServerRequest::Method::Options: return u"OPTIONS"_s;
    case QHttpServerRequest::Method::Patch: return u"PATCH"_s;
    case QHttpServerRequest::Method::Connect: return u"CONNECT"_s;
    case QHttpServerRequest::Method::Trace: return u"TRACE"_s;
    default: break;
    }
    return u"UNKNOWN"_s;
}

/// True when an Accept-Encoding value accepts gzip (a `gzip` coding whose q is not 0).
bool acceptsGzip(const QByteArray& acceptEncoding)
{
    for (const QByteArray& part : acceptEncoding.split(',')) {
        const QList<QByteArray> params = part.split(';');
        if (params.first().trimmed().toLower() != "gzip")
            continue;
        for (qsizetype i = 1; i < params.size(); ++i) {
            const QByteArray p = params[i].trimmed();
            if (p.startsWith("q=") && p.mid(2).toDouble() <= 0.0)
                return false;
        }
        return true;
    }
    return false;
}

ApiResponse tooLarge(qint64 limit)
{
    return ApiResponse::error(413, "payload_too_large",
                              "the request body is larger than the limit of " + std::to_string(limit) + " bytes");
}

} // namespace

SyncServer::SyncServer(ServerStore* store, qint64 maxBody, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_store(store)
    , m_feed(new Feed(this, store, this))
    , m_maxBody(maxBody)
{
}

SyncServer::~SyncServer()
{
    delete m_feed; // its sockets go before the server's own WebSocket machinery
}

bool SyncServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // Qt 6.4 offers WebSocket upgrades here first and hands them to the Feed afterwards, when
    // nothing was written: answering would break the handshake.
    if (request.value("Upgrade").trimmed().compare("websocket", Qt::CaseInsensitive) == 0)
        return true;
    QElapsedTimer timer;
    timer.start();
    ApiRequest api;
    api.method = methodName(request.method());
    api.path = request.url().path(); // never the query: a feed's ?token= must not reach the log
    api.now = systemNow();
    const Route route = Route::match(api.path);

    ApiResponse response = process(request, api, route);
    const qint64 ms = timer.elapsed();
    ++m_statusCounts[response.status];
    if (route.kind == Route::Sync || route.kind == Route::Batch) {
        const qint64 bytes = request.body().size() + response.body.size();
        if (response.status < 400) {
            m_metrics.recordSuccess(ms, bytes, response.conflicts);
            m_lastSuccessfulSync = api.now;
            m_lastConflicts = response.conflicts;
        } else {
            m_metrics.recordFailure(ms, bytes);
        }
    }
    if (response.event && response.status < 300)
        m_feed->publish(response.event->userId, api.deviceId, response.event->dataType, response.event->revision,
                        QString::fromStdString(api.now.toString()));
    send(request, socket, response);
    const QString who = api.target.id == 0 ? u"-"_s
        : api.actingAs()                   ? api.caller.email + u" as "_s + api.target.email
                                           : api.caller.email;
    qInfo().noquote() << u"%1 %2 %3 %4 %5 ms"_s.arg(api.method, api.path).arg(response.status).arg(who).arg(ms);
    return true;
}

void SyncServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    send(request, socket, ApiResponse::error(404, "not_found", "there is no such endpoint"sv));
}

ApiResponse SyncServer::process(const QHttpServerRequest& request, ApiRequest& api, const Route& route)
{
    if (route.kind == Route::None)
        return ApiResponse::error(404, "not_found", u"there is no endpoint %1"_s.arg(api.path));
    if (!route.methods.contains(api.method)) {
        ApiResponse r = ApiResponse::error(
            405, "method_not_allowed",
            u"%1 is not allowed on %2; use %3"_s.arg(api.method, api.path, route.methods.join(u", "_s)));
        r.addHeader("Allow", route.methods.join(u", "_s).toLatin1());
        return r;
    }

    const QByteArray contentLength = request.value("Content-Length");
    if (!contentLength.isEmpty() && contentLength.trimmed().toLongLong() > m_maxBody)
        return tooLarge(m_maxBody);
    api.body = request.body();
    if (api.body.size() > m_maxBody)
        return tooLarge(m_maxBody);
    const QByteArray encoding = request.value("Content-Encoding").trimmed().toLower();
    if (encoding == "gzip") {
        QByteArray inflated;
        switch (Gzip::inflate(api.body, m_maxBody, &inflated)) {
        case Gzip::Result::Ok: api.body = std::move(inflated); break;
        case Gzip::Result::TooLarge: return tooLarge(m_maxBody);
        case Gzip::Result::Corrupt:
            return ApiResponse::error(400, "invalid_request", "the request body is not a valid gzip stream"sv);
        }
    } else if (!encoding.isEmpty() && encoding != "identity") {
        return ApiResponse::error(400, "invalid_request",
                                  u"Content-Encoding %1 is not supported (gzip is)"_s.arg(QString::fromLatin1(encoding)));
    }

    if (route.kind == Route::Health)
        return health();
    if (route.kind == Route::Metrics)
        return metrics();
    if (route.kind == Route::Feed)
        return ApiResponse::error(400, "invalid_request", "/feed is a WebSocket endpoint: connect with a WebSocket client"sv);

    const QByteArray token = Auth::bearerToken(request.value("Authorization"));
    if (token.isEmpty())
        return ApiResponse::error(401, "unauthorized", "Authentication required: send Authorization: Bearer TOKEN"sv);
    QString error;
    const std::optional<ServerUser> caller = m_store->userByTokenHash(Auth::hashToken(token), &error);
    if (!error.isEmpty())
        return ApiResponse::storeError(error);
    if (!caller)
        return ApiResponse::error(401, "unauthorized", "the bearer token is not valid"sv);
    api.caller = api.target = *caller;

    const QString actAs = QString::fromUtf8(request.value("X-Act-As")).trimmed();
    if (!actAs.isEmpty() && actAs.compare(caller->email, Qt::CaseInsensitive) != 0) {
        if (!caller->isSupport())
            return ApiResponse::error(403, "forbidden", "only a support token may act as another user (X-Act-As)"sv);
        const std::optional<ServerUser> target = m_store->userByEmail(actAs, &error);
        if (!error.isEmpty())
            return ApiResponse::storeError(error);
        if (!target)
            return ApiResponse::error(404, "not_found", u"there is no user %1"_s.arg(actAs));
        api.target = *target;
    }
    api.deviceId = request.value("X-Device-Id").trimmed();
    const QByteArray ifMatch = request.value("If-Match");
    if (!ifMatch.isEmpty())
        api.ifMatch = ifMatch;

    switch (route.kind) {
    case Route::Sync: return SyncApi::sync(*m_store, api, route.type);
    case Route::Batch: return SyncApi::batch(*m_store, api);
    case Route::Data: return api.method == u"PUT"_s ? DataApi::putAll(*m_store, api) : DataApi::getAll(*m_store, api);
    case Route::DataOfType: return DataApi::getType(*m_store, api, route.type);
    default: break;
    }
    return ApiResponse::error(404, "not_found", u"there is no endpoint %1"_s.arg(api.path));
}

ApiResponse SyncServer::health() const
{
    SyncHealth h;
    const bool open = m_store->isOpen();
    h.status = open ? SyncHealthStatus::Healthy : SyncHealthStatus::Error;
    h.last_successful_sync = m_lastSuccessfulSync;
    h.conflict_count = static_cast<std::int32_t>(m_lastConflicts);
    if (!open)
        h.error_message = "the database is not open";
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    writeHealth(w, h);
    return ApiResponse::json(out);
}

ApiResponse SyncServer::metrics() const
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("sync");
    writeMetrics(w, m_metrics);
    w.key("requests");
    w.beginObject();
    qint64 total = 0;
    for (auto it = m_statusCounts.cbegin(); it != m_statusCounts.cend(); ++it) {
        w.key(std::to_string(it.key()));
        w.integer(it.value());
        total += it.value();
    }
    w.endObject();
    w.key("requests_total");
    w.integer(total);
    w.key("feed_clients");
    w.integer(m_feed->clientCount());
    w.endObject();
    return ApiResponse::json(out);
}

void SyncServer::send(const QHttpServerRequest& request, QTcpSocket* socket, const ApiResponse& response)
{
    QByteArray body = response.body;
    bool gzipped = false;
    if (body.size() > 1024 && acceptsGzip(request.value("Accept-Encoding"))) {
        const QByteArray z = Gzip::deflate(body);
        if (!z.isEmpty()) {
            body = z;
            gzipped = true;
        }
    }
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeHeader("Vary", "Accept-Encoding");
    if (gzipped)
        responder.writeHeader("Content-Encoding", "gzip");
    for (const auto& [name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeBody(body);
}
