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

/// The revision an If-Match value names: `"N"`, `N` or `W/"N"`.
std::optional<qint64> parseIfMatch(QByteArray value)
{
    value = value.trimmed();
    if (value.startsWith("W/"))
        value = value.mid(2);
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool ok = false;
    const qint64 n = value.toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
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
    const std::optional<qint64> expected = parseIfMatch(*request.ifMatch);
    if (!expected)
        return ApiResponse::error(400, "invalid_request",
                                  u"If-Match \"%1\" does not name a revision"_s.arg(QString::fromLatin1(*request.ifMatch)));
    Decoded<Dataset> dataset = codec::decodeDataset(request.bodyView());
    if (!dataset)
        return ApiResponse::decodeError(dataset.error());
    if (const std::optional<DecodeError> repeated = findDuplicateId(*dataset))
        return ApiResponse::decodeError(*repeated); // the server stores one item per id

    DatasetWrite write(store, request);
    if (!write.begin())
        return write.failure();
    if (write.revision() != *expected) {
        const qint64 current = write.revision();
        return ApiResponse::error(409, "conflict",
                                  "the server's revision is " + std::to_string(current) + ", not "
                                      + std::to_string(*expected),
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
