// SPDX-License-Identifier: MIT
#include "app/server/directoryapi.h"

#include "app/server/queryparams.h"

#include "engine/jsonwriter.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

namespace {


/// `text` as a LIKE pattern that matches it anywhere, its own % _ and \ taken literally.
QString containing(const QString& text)
{
    QString escaped;
    for (const QChar c : text) {
        if (c == u'%' || c == u'_' || c == u'\\')
            escaped += u'\\';
        escaped += c;
    }
    return u'%' + escaped.toLower() + u'%';
}

} // namespace

ApiResponse DirectoryApi::users(ServerStore& store, const ApiRequest& request)
{
    if (!request.caller.isSupport())
        return ApiResponse::error(403, "forbidden", "only a support token may list the users"sv);
    if (request.actingAs())
        return ApiResponse::error(400, "invalid_request", "GET /users lists every user: send it without X-Act-As"sv);
    const QUrlQuery query(QString::fromLatin1(request.query));
    for (const auto& [name, value] : query.queryItems()) {
        if (name != u"q"_s && name != u"after"_s && name != u"limit"_s)
            return ApiResponse::error(400, "invalid_request",
                                      u"GET /users takes ?q=TEXT, ?after=EMAIL and ?limit=N, not ?%1"_s.arg(name));
    }
    ApiResponse refusal;
    const std::optional<qint64> asked = QueryParams::number(query, u"limit"_s, DefaultLimit, 1, MaxLimit, &refusal);
    if (!asked)
        return refusal;
    const int limit = static_cast<int>(*asked);
    const QString text = query.queryItemValue(u"q"_s, QUrl::FullyDecoded);
    const QString after = query.queryItemValue(u"after"_s, QUrl::FullyDecoded).toLower();
    const qint64 recent = request.now.toMilliseconds() - RecentMs;

    QString why;
    ServerStore::ReadSnapshot snapshot(store);
    if (!snapshot.begin(&why))
        return ApiResponse::storeError(why);
    // One more than asked for, to know whether there is a next page.
    const auto q = store.query(
        u"SELECT u.email, u.role, coalesce(h.revision, 0),"
        " (SELECT r.at_ms FROM revisions r WHERE r.user_id = u.id AND r.revision = h.revision),"
        " (SELECT coalesce(sum(r.conflicts), 0) FROM revisions r WHERE r.user_id = u.id),"
        " (SELECT coalesce(sum(r.conflicts), 0) FROM revisions r WHERE r.user_id = u.id AND r.at_ms >= ?)"
        " FROM users u LEFT JOIN heads h ON h.user_id = u.id"
        " WHERE lower(u.email) LIKE ? ESCAPE '\\' AND lower(u.email) > coalesce(?, '')"
        " ORDER BY lower(u.email) LIMIT ?"_s,
        {recent, containing(text), after, limit + 1}, &why);
    if (!q)
        return ApiResponse::storeError(u"Could not list the users: %1."_s.arg(why));

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("users");
    w.beginArray();
    int listed = 0;
    QString last;
    bool more = false;
    while (q->next()) {
        if (listed == limit) {
            more = true;
            break;
        }
        ++listed;
        last = q->value(0).toString();
        const qint64 revision = q->value(2).toLongLong();
        const qint64 recentConflicts = q->value(5).toLongLong();
        w.beginObject();
        w.key("email");
        w.string(last.toStdString());
        w.key("role");
        w.string(q->value(1).toString().toStdString());
        w.key("revision");
        w.integer(revision);
        w.key("last_write");
        if (q->value(3).isNull())
            w.null();
        else
            w.timestamp(Timestamp::fromMilliseconds(q->value(3).toLongLong()));
        w.key("conflicts");
        w.integer(q->value(4).toLongLong());
        w.key("recent_conflicts");
        w.integer(recentConflicts);
        w.key("health");
        w.string(revision == 0 ? "no_data"sv : recentConflicts > 0 ? "conflicts"sv : "ok"sv);
        w.endObject();
    }
    w.endArray();
    w.key("next_after");
    if (more)
        w.string(last.toStdString());
    else
        w.null();
    w.endObject();
    return ApiResponse::json(out);
}
