// SPDX-License-Identifier: MIT
#include "app/server/syncserver.h"

#include "app/server/auth.h"
#include "app/server/dataapi.h"
#include "app/server/datasetwrite.h"
#include "app/server/directoryapi.h"
#include "app/server/gzip.h"
#include "app/server/historyapi.h"
#include "app/server/itemhistoryapi.h"
#include "app/server/itemrows.h"
#include "app/server/serverstore.h"
#include "app/server/syncapi.h"

#include <QUrlQuery>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

namespace {

/// This thread's connection to the database (see SyncServer::attachThread()).
thread_local std::unique_ptr<ServerStore> t_store;

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

QString logSafe(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'\\' || c.category() == QChar::Other_Format
            || c == QChar::LineSeparator || c == QChar::ParagraphSeparator || (c.unicode() >= 0x80 && c.unicode() < 0xa0))
            out += u"\\x%1"_s.arg(uint(c.unicode()), 2, 16, QChar(u'0'));
        else
            out += c;
    }
    return out;
}

SyncServer::Route SyncServer::Route::match(const QString& path)
{
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    const auto typeOf = [&](const QString& name) { return dataTypeFromName(name.toStdString()); };
    const QStringList get{u"GET"_s, u"HEAD"_s};
    if (parts == QStringList{u"health"_s})
        return {Health, {}, get};
    if (parts == QStringList{u"metrics"_s})
        return {Metrics, {}, get};
    if (parts == QStringList{u"feed"_s})
        return {Feed, {}, {u"GET"_s}};
    if (parts == QStringList{u"data"_s})
        return {Data, {}, get + QStringList{u"PUT"_s}};
    if (parts == QStringList{u"data"_s, u"restore"_s})
        return {Restore, {}, {u"POST"_s}};
    if (parts == QStringList{u"revisions"_s})
        return {Revisions, {}, get};
    if (parts == QStringList{u"users"_s})
        return {Users, {}, get};
    if (parts.size() == 3 && parts[0] == u"revisions"_s && parts[2] == u"diff"_s)
        return {RevisionDiff, {}, get};
    if (parts.size() == 2 && parts[0] == u"data"_s && typeOf(parts[1]))
        return {DataOfType, *typeOf(parts[1]), get};
    if (parts.size() == 4 && parts[0] == u"data"_s && typeOf(parts[1]) && parts[3] == u"revisions"_s)
        return {ItemRevisions, *typeOf(parts[1]), get};
    if (parts == QStringList{u"sync"_s, u"batch"_s})
        return {Batch, {}, {u"POST"_s}};
    if (parts.size() == 2 && parts[0] == u"sync"_s && typeOf(parts[1]))
        return {Sync, *typeOf(parts[1]), {u"POST"_s}};
    return {};
}

SyncServer::SyncServer(QString databasePath, ServerLimits limits, ServerStore::Durability durability,
                       HistoryRetention retention)
    : m_databasePath(std::move(databasePath))
    , m_limits(limits)
    , m_durability(durability)
    , m_retention(retention)
    , m_writeLock(std::make_shared<std::mutex>())
    , m_bodies(std::max(limits.maxBufferedBodies, 2 * limits.maxBody))
    , m_origin(Auth::generateToken().left(16))
{
}

std::optional<SyncServer::BodyBudget::Reservation> SyncServer::BodyBudget::reserve(std::int64_t bytes)
{
    std::int64_t held = m_held.load();
    do {
        if (held + bytes > m_limit)
            return std::nullopt;
    } while (!m_held.compare_exchange_weak(held, held + bytes));
    return Reservation(this, bytes);
}

SyncServer::~SyncServer() = default;

bool SyncServer::attachThread(QString* error)
{
    if (t_store)
        return true;
    auto store = std::make_unique<ServerStore>(m_writeLock, m_durability, m_retention);
    if (!store->open(m_databasePath, error))
        return false;
    t_store = std::move(store);
    return true;
}

void SyncServer::detachThread() { t_store.reset(); }

bool SyncServer::startWriter(QString* error)
{
    auto writer = std::make_unique<WriteQueue>(m_databasePath, m_writeLock, m_durability, m_retention);
    if (!writer->start(error))
        return false;
    m_writer = std::move(writer);
    const DatabaseTarget target = DatabaseTarget::parse(m_databasePath);
    if (!target.isPostgres())
        return true;
    auto relay = std::make_unique<FeedRelay>(target, m_origin, m_feed);
    if (!relay->start(error))
        return false;
    m_relay = std::move(relay);
    return true;
}

void SyncServer::stopWriter()
{
    if (m_writer)
        m_writer->stop();
    if (m_relay)
        m_relay->stop();
}

ServerStore& SyncServer::store() { return *t_store; }

SyncServer::Exchange SyncServer::admit(const RequestHead& head)
{
    Exchange x;
    x.timer.start();
    x.api.method = head.method;
    x.api.path = head.path; // the log writes the path, never the query: a feed's ?token= must not reach it
    x.api.query = head.query;
    x.api.now = systemNow();
    x.head = head.method == u"HEAD"_s;
    x.acceptsGzip = acceptsGzip(head.value("Accept-Encoding"));
    x.route = Route::match(head.path);
    const Route& route = x.route;

    if (route.kind == Route::None) {
        x.refusal = ApiResponse::error(404, "not_found", u"there is no endpoint %1"_s.arg(head.path));
        return x;
    }
    if (!route.methods.contains(head.method)) {
        const QString allowed = route.methods.join(u", "_s);
        ApiResponse r = ApiResponse::error(
            405, "method_not_allowed", u"%1 is not allowed on %2; use %3"_s.arg(head.method, head.path, allowed));
        r.addHeader("Allow", allowed.toLatin1());
        x.refusal = std::move(r);
        return x;
    }
    if (head.chunked) {
        x.refusal = ApiResponse::error(411, "length_required",
                                       "send the request body with a Content-Length (chunked bodies are not accepted)"sv);
        return x;
    }
    if (head.contentLength > m_limits.maxBody) {
        x.refusal = tooLarge(m_limits.maxBody);
        return x;
    }
    const QByteArray encoding = head.value("Content-Encoding").toLower();
    x.api.contentEncoding = encoding;
    if (!encoding.isEmpty() && encoding != "identity" && encoding != "gzip") {
        x.refusal = ApiResponse::error(400, "invalid_request",
                                       u"Content-Encoding %1 is not supported (gzip is)"_s.arg(QString::fromLatin1(encoding)));
        return x;
    }
    if (route.kind == Route::Feed) {
        x.refusal = ApiResponse::error(
            400, "invalid_request",
            "/feed is a WebSocket endpoint: connect with a WebSocket client (Connection: Upgrade, Upgrade: websocket)"sv);
        return x;
    }
    if (route.kind == Route::Health || route.kind == Route::Metrics)
        return x;
    ApiResponse refusal = authenticate(head, x.api);
    if (refusal.status != 200) {
        x.refusal = std::move(refusal);
        return x;
    }
    // The body is read next: its bytes count against what all connections may hold at once.
    if (head.contentLength > 0) {
        std::optional<BodyBudget::Reservation> reserved = m_bodies.reserve(head.contentLength);
        if (!reserved) {
            ApiResponse busy = ApiResponse::error(
                503, "unavailable", "the server holds too many request bodies right now; try again shortly"sv);
            busy.addHeader("Retry-After", "1");
            x.refusal = std::move(busy);
            return x;
        }
        x.body = std::move(*reserved);
    }
    return x;
}

SyncServer::Identity SyncServer::identify(const QByteArray& token, const QString& actAs)
{
    using Refusal = Identity::Refusal;
    Identity id;
    if (token.isEmpty()) {
        id.refusal = Refusal::NoToken;
        return id;
    }
    const std::optional<ServerUser> caller = store().userByTokenHash(Auth::hashToken(token), &id.error);
    if (!id.error.isEmpty() || !caller) {
        id.refusal = id.error.isEmpty() ? Refusal::BadToken : Refusal::TokenLookupFailed;
        return id;
    }
    id.caller = id.target = *caller;
    if (actAs.isEmpty() || actAs.compare(caller->email, Qt::CaseInsensitive) == 0)
        return id;
    if (!caller->isSupport()) {
        id.refusal = Refusal::NotSupport;
        return id;
    }
    const std::optional<ServerUser> target = store().userByEmail(actAs, &id.error);
    if (!id.error.isEmpty() || !target) {
        id.refusal = id.error.isEmpty() ? Refusal::NoSuchUser : Refusal::UserLookupFailed;
        return id;
    }
    id.target = *target;
    return id;
}

ApiResponse SyncServer::authenticate(const RequestHead& head, ApiRequest& api)
{
    const QString actAs = QString::fromUtf8(head.value("X-Act-As"));
    const Identity id = identify(Auth::bearerToken(head.value("Authorization")), actAs);
    switch (id.refusal) {
    case Identity::Refusal::None: break;
    case Identity::Refusal::NoToken:
        return ApiResponse::error(401, "unauthorized", "Authentication required: send Authorization: Bearer TOKEN"sv);
    case Identity::Refusal::BadToken: return ApiResponse::error(401, "unauthorized", "the bearer token is not valid"sv);
    case Identity::Refusal::NotSupport:
        return ApiResponse::error(403, "forbidden", "only a support token may act as another user (X-Act-As)"sv);
    case Identity::Refusal::NoSuchUser: return ApiResponse::error(404, "not_found", u"there is no user %1"_s.arg(actAs));
    case Identity::Refusal::TokenLookupFailed:
    case Identity::Refusal::UserLookupFailed: return ApiResponse::storeError(id.error);
    }
    api.caller = id.caller;
    api.target = id.target;
    api.deviceId = head.value("X-Device-Id");
    if (api.deviceId.size() > MaxDeviceIdBytes) // it travels in each write's feed event
        return ApiResponse::error(400, "invalid_request",
                                  u"X-Device-Id is longer than %1 bytes"_s.arg(MaxDeviceIdBytes));
    const QByteArray ifMatch = head.value("If-Match");
    if (!ifMatch.isEmpty())
        api.ifMatch = ifMatch;
    return ApiResponse{};
}

void SyncServer::handle(Exchange& x, QByteArray body, std::function<void(ApiResponse)> done)
{
    if (x.route.kind == Route::Health)
        return done(health());
    if (x.route.kind == Route::Metrics)
        return done(metrics());
    if (x.api.contentEncoding == "gzip") {
        QByteArray inflated;
        switch (Gzip::inflate(body, m_limits.maxBody, &inflated)) {
        case Gzip::Result::Ok: body = std::move(inflated); break;
        case Gzip::Result::TooLarge: return done(tooLarge(m_limits.maxBody));
        case Gzip::Result::Corrupt:
            return done(ApiResponse::error(400, "invalid_request", "the request body is not a valid gzip stream"sv));
        }
    }
    if (!x.route.writes(x.api.method) || !m_writer) {
        x.api.body = std::move(body);
        ApiResponse answer = dispatch(store(), x.api, x.route);
        x.api.body.clear();
        return done(std::move(answer));
    }
    ApiRequest request = x.api; // the writer's own copy; the exchange keeps what the log needs
    request.body = std::move(body);
    const qint64 user = request.target.id;
    m_writer->submit(
        user, [request = std::move(request), route = x.route, origin = m_origin](ServerStore& writerStore) {
            ApiResponse answer = dispatch(writerStore, request, route);
            // The other servers on the database tell their devices once this write commits.
            QString why;
            if (answer.event && answer.status < 300
                && !writerStore.notifyOthers(
                    FeedRelay::encode({origin, *answer.event, QString::fromStdString(answer.event->at.toString()),
                                       request.deviceId}),
                    &why))
                return ApiResponse::storeError(why);
            return answer;
        },
        std::move(done));
}

ApiResponse SyncServer::dispatch(ServerStore& store, const ApiRequest& api, const Route& route)
{
    switch (route.kind) {
    case Route::Sync: return SyncApi::sync(store, api, route.type);
    case Route::Batch: return SyncApi::batch(store, api);
    case Route::Data: return api.method == u"PUT"_s ? DataApi::putAll(store, api) : DataApi::getAll(store, api);
    case Route::DataOfType: return DataApi::getType(store, api, route.type);
    case Route::Revisions: return HistoryApi::revisions(store, api);
    case Route::RevisionDiff: return HistoryApi::diff(store, api);
    case Route::Restore: return HistoryApi::restore(store, api);
    case Route::Users: return DirectoryApi::users(store, api);
    case Route::ItemRevisions: return ItemHistoryApi::revisions(store, api, route.type);
    default: break;
    }
    return ApiResponse::error(404, "not_found", u"there is no endpoint %1"_s.arg(api.path));
}

QByteArray SyncServer::finish(const Exchange& x, const ApiResponse& response, qint64 requestBytes, bool* gzipped)
{
    const qint64 ms = x.timer.elapsed();
    const bool syncRoute = x.route.kind == Route::Sync || x.route.kind == Route::Batch;
    {
        const std::lock_guard lock(m_statsLock);
        ++m_statusCounts[response.status];
        if (syncRoute) {
            const qint64 bytes = requestBytes + response.body.size();
            if (response.status < 400) {
                m_metrics.recordSuccess(ms, bytes, response.conflicts);
                m_lastSuccessfulSync = x.api.now;
                m_lastConflicts = response.conflicts;
            } else {
                m_metrics.recordFailure(ms, bytes);
            }
        }
    }
    if (response.event && response.status < 300)
        m_feed.publish(response.event->userId, x.api.deviceId, response.event->dataType, response.event->revision,
                       QString::fromStdString(response.event->at.toString()));
    const ApiRequest& api = x.api;
    const QString who = api.target.id == 0 ? u"-"_s
        : api.actingAs()                   ? api.caller.email + u" as "_s + api.target.email
                                           : api.caller.email;
    writeLog(u"%1 %2 %3 %4 %5 ms"_s.arg(logSafe(api.method), logSafe(api.path)).arg(response.status).arg(who).arg(ms));

    *gzipped = false;
    if (response.body.size() > 1024 && x.acceptsGzip) {
        QByteArray z = Gzip::deflate(response.body);
        if (!z.isEmpty()) {
            *gzipped = true;
            return z;
        }
    }
    return response.body;
}

void SyncServer::logLine(const QString& line) { writeLog(logSafe(line)); }

void SyncServer::writeLog(const QString& line)
{
    // One fwrite per line: stderr is unbuffered, so each line is one write(2), and lines from
    // several threads never interleave. Qt's message handler cost a small sync about 4%.
    QByteArray bytes = line.toUtf8();
    bytes += '\n';
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stderr);
}

std::optional<ServerUser> SyncServer::admitFeed(const RequestHead& head, QString* refusal)
{
    if (head.path != u"/feed"_s) {
        *refusal = u"not_found: the only WebSocket endpoint is /feed"_s;
        return std::nullopt;
    }
    QByteArray token = Auth::bearerToken(head.value("Authorization"));
    if (token.isEmpty())
        token = QUrlQuery(QString::fromLatin1(head.query)).queryItemValue(u"token"_s, QUrl::FullyDecoded).toLatin1();
    const QString actAs = QString::fromUtf8(head.value("X-Act-As"));
    const Identity id = identify(token, actAs);
    switch (id.refusal) {
    case Identity::Refusal::None: break;
    case Identity::Refusal::NoToken:
    case Identity::Refusal::BadToken:
    case Identity::Refusal::TokenLookupFailed:
        *refusal = u"unauthorized: a valid bearer token is required"_s;
        return std::nullopt;
    case Identity::Refusal::NotSupport:
        *refusal = u"forbidden: only a support token may use X-Act-As"_s;
        return std::nullopt;
    case Identity::Refusal::NoSuchUser:
    case Identity::Refusal::UserLookupFailed:
        *refusal = u"not_found: there is no user %1"_s.arg(actAs);
        return std::nullopt;
    }
    if (id.caller.id == id.target.id) {
        writeLog(u"WS /feed 101 %1 (%2 open)"_s.arg(id.caller.email).arg(m_feed.clientCount() + 1));
        return id.caller;
    }
    // Support watching a user's feed is a read of that user's data: it is audited.
    ApiRequest watch;
    watch.method = u"GET"_s;
    watch.path = u"/feed"_s;
    watch.caller = id.caller;
    watch.target = id.target;
    QString error;
    const std::optional<StoredHead> stored = ItemRows(store(), id.target.id).head(&error);
    if (!DatasetWrite::auditRead(store(), watch, stored ? stored->revision : 0)) {
        *refusal = u"unavailable: the audit record could not be written"_s;
        return std::nullopt;
    }
    writeLog(u"WS /feed 101 %1 as %2 (%3 open)"_s.arg(id.caller.email, id.target.email).arg(m_feed.clientCount() + 1));
    return id.target;
}

ApiResponse SyncServer::health() const
{
    SyncHealth h;
    const bool open = t_store && t_store->isOpen();
    h.status = open ? SyncHealthStatus::Healthy : SyncHealthStatus::Error;
    {
        const std::lock_guard lock(m_statsLock);
        h.last_successful_sync = m_lastSuccessfulSync;
        h.conflict_count = static_cast<std::int32_t>(m_lastConflicts);
    }
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
    const std::lock_guard lock(m_statsLock);
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
    w.integer(static_cast<std::int64_t>(m_feed.clientCount()));
    w.endObject();
    return ApiResponse::json(out);
}
