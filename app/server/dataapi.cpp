// SPDX-License-Identifier: MIT
#include "app/server/dataapi.h"

#include "app/server/datasetwrite.h"

#include "engine/datasetcodec.h"
#include "engine/idcheck.h"

using namespace Qt::StringLiterals;
using namespace decksync;
using namespace std::string_view_literals;

namespace {

template <class T>
void writeList(JsonWriter& w, const std::vector<T>& items)
{
    w.beginArray();
    for (const T& item : items)
        codec::writeItem(w, item);
    w.endArray();
}

/// Whether an If-Match value holds for `revision`, compared strongly (RFC 9110 13.1.1): `*`
/// holds for any revision; otherwise one of its comma-separated entity tags must be `"N"`. A
/// weak tag (`W/"N"`) never holds. A bare `N` is taken as `"N"`, as earlier clients sent it.
/// Empty when the value is not a list of entity tags.
std::optional<bool> ifMatchHolds(const QByteArray& value, qint64 revision)
{
    if (value.trimmed() == "*")
        return true;
    bool holds = false;
    bool any = false;
    for (QByteArray tag : value.split(',')) {
        tag = tag.trimmed();
        const bool weak = tag.startsWith("W/");
        if (weak)
            tag = tag.mid(2);
        if (tag.size() >= 2 && tag.startsWith('"') && tag.endsWith('"'))
            tag = tag.mid(1, tag.size() - 2);
        else if (weak)
            return std::nullopt;
        bool ok = false;
        const qint64 n = tag.toLongLong(&ok);
        if (!ok || n < 0)
            return std::nullopt;
        any = true;
        holds = holds || (!weak && n == revision);
    }
    return any ? std::optional<bool>(holds) : std::nullopt;
}

} // namespace

ApiResponse DataApi::getAll(ServerStore& store, const ApiRequest& request)
{
    QString error;
    const std::optional<StoredDataset> stored = store.loadDataset(request.target.id, &error);
    if (!stored)
        return ApiResponse::storeError(error);
    DatasetWrite::auditRead(store, request, stored->revision);
    ApiResponse r;
    r.body = stored->document.isEmpty() ? DatasetWrite::encodeDocument(Dataset{}) : stored->document;
    r.addRevisionHeaders(stored->revision);
    return r;
}

ApiResponse DataApi::getType(ServerStore& store, const ApiRequest& request, DataType type)
{
    QString error;
    const std::optional<StoredDataset> stored = store.loadDataset(request.target.id, &error);
    Dataset dataset;
    if (!stored || !DatasetWrite::decodeDocument(stored->document, &dataset, &error))
        return ApiResponse::storeError(error);
    DatasetWrite::auditRead(store, request, stored->revision);

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(stored->revision);
    w.key("data");
    switch (type) {
    case DataType::Decks: writeList(w, dataset.decks); break;
    case DataType::Achievements: writeList(w, dataset.achievements); break;
    case DataType::Progress: writeList(w, dataset.progress); break;
    case DataType::Starred: writeList(w, dataset.starred); break;
    case DataType::Preferences:
        if (dataset.preferences)
            codec::writeItem(w, *dataset.preferences);
        else
            w.null();
        break;
    }
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(stored->revision);
    return r;
}

ApiResponse DataApi::putAll(ServerStore& store, const ApiRequest& request)
{
    if (!request.ifMatch)
        return ApiResponse::error(428, "precondition_required",
                                  "PUT /data needs an If-Match header with the revision the client has read"sv);
    if (!ifMatchHolds(*request.ifMatch, 0))
        return ApiResponse::error(400, "invalid_request",
                                  u"If-Match %1 is not * nor a list of revisions such as \"3\""_s.arg(
                                      QString::fromLatin1(*request.ifMatch)));
    Decoded<Dataset> dataset = codec::decodeDataset(request.bodyView());
    if (!dataset)
        return ApiResponse::decodeError(dataset.error());
    if (const std::optional<DecodeError> repeated = findDuplicateId(*dataset))
        return ApiResponse::decodeError(*repeated); // the server stores one item per id

    DatasetWrite write(store, request);
    if (!write.begin())
        return write.failure();
    if (!*ifMatchHolds(*request.ifMatch, write.revision())) {
        const qint64 current = write.revision();
        QByteArray named = request.ifMatch->trimmed();
        if (named.size() > 2 && named.startsWith('"') && named.endsWith('"') && !named.contains(','))
            named = named.mid(1, named.size() - 2);
        const QString why = named.startsWith("W/") ? u" (If-Match compares strongly: a weak tag never matches)"_s
                                                   : QString();
        return ApiResponse::error(409, "conflict",
                                  u"the server's revision is %1, not %2%3"_s.arg(current).arg(
                                      QString::fromLatin1(named), why),
                                  [&](JsonWriter& w) {
                                      w.key("revision");
                                      w.integer(current);
                                  });
    }
    // Stored as the engine writes it, so that GET /data answers in the CLI's format.
    if (!write.commit(*dataset))
        return write.failure();

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("revision");
    w.integer(write.newRevision());
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(write.newRevision());
    r.event = FeedEvent{request.target.id, u"all"_s, write.newRevision()};
    return r;
}
