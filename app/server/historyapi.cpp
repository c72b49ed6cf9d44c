// SPDX-License-Identifier: MIT
#include "app/server/historyapi.h"

#include "app/server/datasetrows.h"
#include "app/server/datasetwrite.h"
#include "app/server/ifmatch.h"
#include "app/server/queryparams.h"
#include "app/services/bytes.h"

#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"

#include <QUrlQuery>

#include <map>
#include <utility>

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

namespace {

/// Items by type, then id.
using ItemMap = std::array<std::map<QByteArray, QByteArray>, 5>;

ItemMap mapOf(const std::vector<StoredItem>& items)
{
    ItemMap out;
    for (const StoredItem& item : items)
        out[static_cast<std::size_t>(item.type)].emplace(item.id, item.body);
    return out;
}

void writeIds(JsonWriter& w, const std::vector<QByteArray>& ids)
{
    w.beginArray();
    for (const QByteArray& id : ids)
        w.string(bytesView(id));
    w.endArray();
}

struct RestoreRequest {
    qint64 revision = -1;
    std::optional<std::vector<std::pair<DataType, QByteArray>>> items;
};

Decoded<RestoreRequest> decodeRestore(std::string_view json)
{
    return decodeWith<RestoreRequest>(json, [](JsonReader& r) {
        RestoreRequest out;
        r.readObject([&](std::string_view key) {
            if (key == "revision") {
                const std::size_t at = r.offset();
                out.revision = r.readInt64();
                if (out.revision < 0)
                    r.fail("a revision is 0 or more", at);
            } else if (key == "items") {
                out.items.emplace();
                r.readArray([&](std::size_t) {
                    std::optional<DataType> type;
                    QByteArray id;
                    const std::size_t at = r.offset();
                    r.readObject([&](std::string_view member) {
                        if (member == "type") {
                            const std::size_t typeAt = r.offset();
                            type = dataTypeFromName(r.readString());
                            if (!type)
                                r.fail("not a data type (decks, achievements, progress, starred, preferences)", typeAt);
                        } else if (member == "id") {
                            const std::string_view value = r.readString();
                            id = QByteArray(value.data(), static_cast<qsizetype>(value.size()));
                        } else {
                            r.skipValue();
                        }
                    });
                    if (!type || id.isEmpty())
                        r.fail("an item names its \"type\" and its \"id\"", at);
                    out.items->emplace_back(*type, id);
                });
            } else {
                r.skipValue();
            }
        });
        if (out.revision < 0)
            r.fail("the body names the \"revision\" to restore", 0);
        return out;
    });
}

/// 410 for a state older than the history kept, with the oldest revision that is.
ApiResponse gone(const StoredHead& head, const QString& message)
{
    return ApiResponse::error(410, "gone", message, [&](JsonWriter& w) {
        w.key("oldest");
        w.integer(head.oldest);
    });
}

} // namespace

std::optional<ApiResponse> HistoryApi::unreachable(const StoredHead& head, qint64 revision)
{
    if (revision > head.revision)
        return ApiResponse::error(404, "not_found",
                                  u"there is no revision %1: the newest is %2"_s.arg(revision).arg(head.revision));
    if (revision < head.oldest)
        return gone(head, u"revision %1 is no longer kept: the history goes back to revision %2"_s.arg(revision).arg(
                              head.oldest));
    return std::nullopt;
}

void HistoryApi::writeRevision(JsonWriter& w, const RevisionRecord& r)
{
    w.key("revision");
    w.integer(r.revision);
    w.key("at");
    w.timestamp(r.at);
    w.key("by");
    if (r.actor.isEmpty())
        w.null();
    else
        w.string(r.actor.toStdString());
    w.key("device");
    if (r.device.isEmpty())
        w.null();
    else
        w.string(bytesView(r.device));
    w.key("kind");
    w.string(revisionKindName(r.kind));
    if (r.kind == RevisionKind::Sync) {
        w.key("data_type");
        w.string(r.detail.toStdString());
    } else if (r.kind == RevisionKind::Restore) {
        w.key("restored");
        w.integer(r.detail.toLongLong());
    }
    w.key("added");
    w.integer(r.added);
    w.key("removed");
    w.integer(r.removed);
    w.key("changed");
    w.integer(r.changed);
    w.key("conflicts");
    w.integer(r.conflicts);
}

std::optional<HistoryApi::Page> HistoryApi::page(const ApiRequest& request, ApiResponse* refusal)
{
    const QUrlQuery query(QString::fromLatin1(request.query));
    const std::optional<qint64> before =
        QueryParams::number(query, u"before"_s, 0, 1, std::numeric_limits<qint64>::max(), refusal);
    const std::optional<qint64> limit =
        before ? QueryParams::number(query, u"limit"_s, DefaultLimit, 1, MaxLimit, refusal) : std::nullopt;
    if (!limit)
        return std::nullopt;
    return Page{*before, static_cast<int>(*limit)};
}

void HistoryApi::writeNextBefore(JsonWriter& w, const Page& page, std::size_t listed, qint64 lastListed,
                                 const StoredHead& head)
{
    w.key("next_before");
    if (listed == static_cast<std::size_t>(page.limit) && lastListed > head.oldest)
        w.integer(lastListed);
    else
        w.null();
}

ApiResponse HistoryApi::revisions(ServerStore& store, const ApiRequest& request)
{
    ApiResponse refusal;
    const std::optional<Page> asked = page(request, &refusal);
    if (!asked)
        return refusal;
    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    std::vector<RevisionRecord> list;
    if (!snapshot.begin(&error) || !(head = rows.head(&error))
        || !rows.revisions(asked->before, asked->limit, &list, &error))
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, head->revision);

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(head->revision);
    w.key("oldest");
    w.integer(head->oldest);
    w.key("revisions");
    w.beginArray();
    for (const RevisionRecord& r : list) {
        w.beginObject();
        writeRevision(w, r);
        w.endObject();
    }
    w.endArray();
    writeNextBefore(w, *asked, list.size(), list.empty() ? 0 : list.back().revision, *head);
    w.endObject();
    ApiResponse response = ApiResponse::json(out);
    response.addRevisionHeaders(head->revision);
    return response;
}

ApiResponse HistoryApi::diff(ServerStore& store, const ApiRequest& request)
{
    // /revisions/A..B/diff
    const QStringList parts = request.path.split(u'/', Qt::SkipEmptyParts);
    const QStringList range = parts.size() == 3 ? parts[1].split(u".."_s) : QStringList();
    bool okFrom = false;
    bool okTo = false;
    const qint64 from = range.size() == 2 ? range[0].toLongLong(&okFrom) : 0;
    const qint64 to = range.size() == 2 ? range[1].toLongLong(&okTo) : 0;
    if (!okFrom || !okTo || from < 0 || to < 0)
        return ApiResponse::error(400, "invalid_request",
                                  u"%1 does not name two revisions: use /revisions/A..B/diff, as in /revisions/3..5/diff"_s
                                      .arg(request.path));
    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    if (!snapshot.begin(&error) || !(head = rows.head(&error)))
        return ApiResponse::storeError(error);
    for (const qint64 revision : {from, to}) {
        if (std::optional<ApiResponse> refused = unreachable(*head, revision))
            return *refused;
    }
    std::vector<StoredItem> before;
    std::vector<StoredItem> after;
    if (!rows.itemsAt(*head, from, &before, &error) || !rows.itemsAt(*head, to, &after, &error))
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, head->revision);

    const ItemMap a = mapOf(before);
    const ItemMap b = mapOf(after);
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("from");
    w.integer(from);
    w.key("to");
    w.integer(to);
    for (const DataType type : AllDataTypes) {
        const auto& was = a[static_cast<std::size_t>(type)];
        const auto& now = b[static_cast<std::size_t>(type)];
        std::vector<QByteArray> added, removed, changed;
        for (const auto& [id, body] : now) {
            const auto it = was.find(id);
            if (it == was.end())
                added.push_back(id);
            else if (it->second != body)
                changed.push_back(id);
        }
        for (const auto& [id, body] : was) {
            if (!now.contains(id))
                removed.push_back(id);
        }
        w.key(dataTypeName(type));
        w.beginObject();
        w.key("added");
        writeIds(w, added);
        w.key("removed");
        writeIds(w, removed);
        w.key("changed");
        writeIds(w, changed);
        w.endObject();
    }
    w.endObject();
    return ApiResponse::json(out);
}

ApiResponse HistoryApi::changesSince(ServerStore& store, const ApiRequest& request, const QString& since)
{
    std::string why;
    const std::optional<Timestamp> at = Timestamp::parse(since.toStdString(), &why);
    if (!at)
        return ApiResponse::error(400, "invalid_request",
                                  u"?since=%1 is not an RFC 3339 time: %2"_s.arg(since, QString::fromStdString(why)));
    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    std::optional<qint64> from;
    if (!snapshot.begin(&error) || !(head = rows.head(&error)) || !(from = rows.revisionAt(*at, &error)))
        return ApiResponse::storeError(error);
    if (*from < head->oldest)
        return gone(*head, u"the changes since %1 are no longer known: the history goes back to revision %2; "
                           "read the whole dataset with GET /data"_s.arg(since).arg(head->oldest));
    std::vector<StoredItem> live;
    std::vector<StoredItem> deleted;
    if (!rows.changedSince(*from, &live, &deleted, &error))
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, head->revision);

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(head->revision);
    w.key("since");
    w.timestamp(*at);
    w.key("since_revision");
    w.integer(*from);
    w.key("changes");
    w.beginObject();
    for (const DataType type : AllDataTypes) {
        if (type == DataType::Preferences) {
            for (const StoredItem& item : live) {
                if (item.type == type) {
                    w.key("preferences");
                    w.raw(bytesView(item.body));
                }
            }
            continue;
        }
        w.key(dataTypeName(type));
        w.beginArray();
        for (const StoredItem& item : live) {
            if (item.type == type)
                w.raw(bytesView(item.body));
        }
        w.endArray();
    }
    w.endObject();
    w.key("deleted");
    w.beginObject();
    for (const DataType type : AllDataTypes) {
        w.key(dataTypeName(type));
        w.beginArray();
        for (const StoredItem& item : deleted) {
            if (item.type == type)
                w.string(bytesView(item.id));
        }
        w.endArray();
    }
    w.endObject();
    w.endObject();
    ApiResponse response = ApiResponse::json(out);
    response.addRevisionHeaders(head->revision);
    return response;
}

ApiResponse HistoryApi::restore(ServerStore& store, const ApiRequest& request)
{
    if (std::optional<ApiResponse> refused = IfMatch::malformed(request, "POST /data/restore"))
        return *refused;
    Decoded<RestoreRequest> body = decodeRestore(request.bodyView());
    if (!body)
        return ApiResponse::decodeError(body.error());

    DatasetWrite write(store, request, RevisionKind::Restore, QString::number(body->revision));
    if (!write.begin())
        return write.failure();
    if (std::optional<ApiResponse> refused = IfMatch::mismatch(request, write.revision()))
        return *refused;
    if (std::optional<ApiResponse> refused = unreachable(write.head(), body->revision))
        return *refused;
    QString error;
    std::vector<StoredItem> past;
    std::optional<QByteArray> frame = write.rows().frameAt(write.head(), body->revision, &error);
    if (!frame || !write.rows().itemsAt(write.head(), body->revision, &past, &error))
        return ApiResponse::storeError(error);
    if (!write.readAll())
        return write.failure();

    std::vector<StoredItem> next = past;
    if (body->items) {
        // One item at a time: each as it was at the revision (or gone, if it did not exist
        // then), in its place now, or at the end when it is back; the rest as it is now.
        frame = write.head().frame;
        next.clear();
        for (const DataType type : AllDataTypes)
            std::ranges::copy(write.readRows(type), std::back_inserter(next));
        for (const auto& [type, id] : *body->items) {
            const auto matches = [&](const StoredItem& s) { return s.type == type && s.id == id; };
            const auto then = std::ranges::find_if(past, matches);
            const auto now = std::ranges::find_if(next, matches);
            if (then == past.end() && now == next.end())
                return ApiResponse::error(404, "not_found",
                                          u"the %1 item %2 is neither in revision %3 nor in the current data"_s.arg(
                                              QLatin1String(dataTypeName(type)), QString::fromLatin1(id))
                                              .arg(body->revision));
            if (then == past.end())
                next.erase(now);
            else if (now == next.end())
                next.push_back(*then);
            else
                now->body = then->body;
        }
        std::ranges::stable_sort(next, {}, [](const StoredItem& s) { return static_cast<int>(s.type); });
    }
    const QByteArray document = ItemRows::assemble(*frame, next, &error);
    Decoded<Dataset> dataset = error.isEmpty() ? codec::decodeDataset(bytesView(document)) : Decoded<Dataset>(Dataset{});
    if (!error.isEmpty() || !dataset)
        return ApiResponse::storeError(error.isEmpty() ? QString::fromStdString(dataset.error().toString()) : error);
    if (!write.commit(*dataset))
        return write.failure();

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(write.newRevision());
    w.key("restored");
    w.integer(body->revision);
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(write.newRevision());
    r.event = FeedEvent{request.target.id, u"all"_s, write.newRevision(), write.at()};
    return r;
}
