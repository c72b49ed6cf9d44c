// SPDX-License-Identifier: MIT
#include "app/server/dataapi.h"

#include "app/server/datasetwrite.h"
#include "app/server/historyapi.h"
#include "app/server/ifmatch.h"
#include "app/server/itemrows.h"
#include "app/services/bytes.h"

#include "engine/datasetcodec.h"
#include "engine/idcheck.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

ApiResponse DataApi::getAll(ServerStore& store, const ApiRequest& request)
{
    const QUrlQuery query(QString::fromLatin1(request.query));
    int asked = 0;
    for (const auto& [name, value] : query.queryItems()) {
        if (name != u"revision"_s && name != u"since"_s && name != u"at"_s)
            return ApiResponse::error(400, "invalid_request",
                                      u"GET /data takes ?revision=N, ?at=TIMESTAMP or ?since=TIMESTAMP, not ?%1"_s.arg(name));
        ++asked;
    }
    if (asked > 1)
        return ApiResponse::error(400, "invalid_request",
                                  "GET /data takes one of ?revision=N, ?at=TIMESTAMP and ?since=TIMESTAMP, not both"sv);
    if (query.hasQueryItem(u"since"_s))
        return HistoryApi::changesSince(store, request, query.queryItemValue(u"since"_s, QUrl::FullyDecoded));

    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    if (!snapshot.begin(&error) || !(head = rows.head(&error)))
        return ApiResponse::storeError(error);
    qint64 revision = head->revision;
    if (query.hasQueryItem(u"revision"_s)) {
        const QString text = query.queryItemValue(u"revision"_s);
        bool ok = false;
        revision = text.toLongLong(&ok);
        if (!ok || revision < 0)
            return ApiResponse::error(400, "invalid_request", u"?revision=%1 is not a revision number"_s.arg(text));
    } else if (query.hasQueryItem(u"at"_s)) {
        // The revision that was current at that time: what a device that synced then had.
        const QString text = query.queryItemValue(u"at"_s, QUrl::FullyDecoded);
        std::string why;
        const std::optional<Timestamp> at = Timestamp::parse(text.toStdString(), &why);
        if (!at)
            return ApiResponse::error(400, "invalid_request",
                                      u"?at=%1 is not an RFC 3339 time: %2"_s.arg(text, QString::fromStdString(why)));
        const std::optional<qint64> then = rows.revisionAt(*at, &error);
        if (!then)
            return ApiResponse::storeError(error);
        revision = *then;
    }
    if (std::optional<ApiResponse> refused = HistoryApi::unreachable(*head, revision))
        return *refused;
    const std::optional<QByteArray> document = rows.document(*head, revision, &error);
    if (!document)
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, revision);
    ApiResponse r;
    r.body = *document;
    r.addRevisionHeaders(revision);
    return r;
}

ApiResponse DataApi::getType(ServerStore& store, const ApiRequest& request, DataType type)
{
    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    std::vector<StoredItem> items;
    if (!snapshot.begin(&error) || !(head = rows.head(&error)) || !rows.load(type, nullptr, &items, &error))
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, head->revision);

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(head->revision);
    w.key("data");
    if (type == DataType::Preferences) {
        if (items.empty())
            w.null();
        else
            w.raw(bytesView(items.front().body));
    } else {
        w.beginArray();
        for (const StoredItem& item : items)
            w.raw(bytesView(item.body));
        w.endArray();
    }
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(head->revision);
    return r;
}

ApiResponse DataApi::putAll(ServerStore& store, const ApiRequest& request)
{
    if (std::optional<ApiResponse> refused = IfMatch::malformed(request, "PUT /data"))
        return *refused;
    Decoded<Dataset> dataset = codec::decodeDataset(request.bodyView());
    if (!dataset)
        return ApiResponse::decodeError(dataset.error());
    if (const std::optional<DecodeError> repeated = findDuplicateId(*dataset))
        return ApiResponse::decodeError(*repeated); // the server stores one item per id

    DatasetWrite write(store, request, RevisionKind::Put);
    if (!write.begin())
        return write.failure();
    if (std::optional<ApiResponse> refused = IfMatch::mismatch(request, write.revision()))
        return *refused;
    // Stored as the engine writes it, so that GET /data answers in the CLI's format.
    if (!write.readAll() || !write.commit(*dataset))
        return write.failure();

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(write.newRevision());
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(write.newRevision());
    r.event = FeedEvent{request.target.id, u"all"_s, write.newRevision(), write.at()};
    return r;
}
