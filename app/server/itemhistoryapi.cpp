// SPDX-License-Identifier: MIT
#include "app/server/itemhistoryapi.h"

#include "app/server/datasetwrite.h"
#include "app/server/historyapi.h"
#include "app/server/itemrows.h"

#include "engine/jsonwriter.h"
#include "engine/uuid.h"

#include <QStringList>

using namespace Qt::StringLiterals;
using namespace decksync;

ApiResponse ItemHistoryApi::revisions(ServerStore& store, const ApiRequest& request, DataType type)
{
    const QStringList parts = request.path.split(u'/', Qt::SkipEmptyParts); // data, type, id, revisions
    const std::optional<Uuid> id = parts.size() == 4 ? Uuid::parse(parts[2].toStdString()) : std::nullopt;
    if (!id)
        return ApiResponse::error(400, "bad_request", u"%1 is not an item id (a UUID)"_s.arg(parts.value(2)));
    ApiResponse refusal;
    const std::optional<HistoryApi::Page> page = HistoryApi::page(request, &refusal);
    if (!page)
        return refusal;

    QString error;
    ServerStore::ReadSnapshot snapshot(store);
    ItemRows rows(store, request.target.id);
    std::optional<StoredHead> head;
    std::vector<ItemRevision> list;
    const QByteArray key = QByteArray::fromStdString(id->toString());
    if (!snapshot.begin(&error) || !(head = rows.head(&error))
        || !rows.itemRevisions(type, key, page->before, page->limit, &list, &error))
        return ApiResponse::storeError(error);
    snapshot.end();
    DatasetWrite::auditRead(store, request, head->revision);

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    const auto text = [&w](const std::optional<QByteArray>& body) {
        if (body)
            w.raw(bytesView(*body));
        else
            w.null();
    };
    w.beginObject();
    w.key("revision");
    w.integer(head->revision);
    w.key("oldest");
    w.integer(head->oldest);
    w.key("type");
    w.string(dataTypeName(type));
    w.key("id");
    w.uuid(*id);
    w.key("revisions");
    w.beginArray();
    for (const ItemRevision& r : list) {
        w.beginObject();
        HistoryApi::writeRevision(w, r.record);
        w.key("before");
        text(r.before);
        w.key("after");
        text(r.after);
        w.endObject();
    }
    w.endArray();
    HistoryApi::writeNextBefore(w, *page, list.size(), list.empty() ? 0 : list.back().record.revision, *head);
    w.endObject();
    ApiResponse response = ApiResponse::json(out);
    response.addRevisionHeaders(head->revision);
    return response;
}
