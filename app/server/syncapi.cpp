// SPDX-License-Identifier: MIT
#include "app/server/syncapi.h"

#include "app/server/datasetwrite.h"
#include "app/server/gzip.h"
#include "app/server/syncrun.h"

#include "engine/batch.h"
#include "engine/datasetcodec.h"
#include "engine/idcheck.h"
#include "engine/syncbody.h"
#include "engine/syncengine.h"
#include "engine/synctraits.h"

#include <QCryptographicHash>

#include <exception>
#include <span>
#include <type_traits>

using namespace Qt::StringLiterals;
using namespace decksync;

namespace {

template <class T>
constexpr bool IsSingle = std::is_same_v<T, UserPreferences>;

template <class T>
void writeMerged(JsonWriter& w, const std::vector<T>& merged)
{
    if constexpr (IsSingle<T>) {
        if (merged.empty())
            w.null();
        else
            codec::writeItem(w, merged.front());
    } else {
        w.beginArray();
        for (const T& item : merged)
            codec::writeItem(w, item);
        w.endArray();
    }
}

template <class T>
ApiResponse syncType(ServerStore& store, const ApiRequest& request)
{
    Decoded<SyncBody<T>> body = decodeSyncBody<T>(request.bodyView());
    if (!body)
        return ApiResponse::decodeError(body.error());
    if constexpr (!IsSingle<T>) {
        if (const std::optional<DecodeError> repeated = findDuplicateId<T>(body->items, "/data"))
            return ApiResponse::decodeError(*repeated);
    }

    DatasetWrite write(store, request, RevisionKind::Sync, QString::fromLatin1(dataTypeName(SyncTraits<T>::type)));
    Dataset dataset;
    if (!write.begin() || !write.decode(&dataset, SyncTraits<T>::type))
        return write.failure();

    SyncOptions options;
    options.lastSync = body->lastSync;
    options.now = write.at();
    const SyncEngine engine(options);
    SyncResult<T> result;
    try {
        result = runTypeSync<T>(engine, *body, dataset);
    } catch (const std::exception& e) {
        return ApiResponse::error(500, "sync_failed", std::string("the sync failed: ") + e.what());
    }
    if constexpr (IsSingle<T>) {
        dataset.preferences.reset();
        if (!result.merged_items.empty())
            dataset.preferences = result.merged_items.front();
    } else {
        itemsOf<T>(dataset) = result.merged_items;
    }
    dataset.last_sync = write.at();
    write.setConflicts(static_cast<qint64>(result.conflicts.size()));
    // Kept with the revision, so that a fleet scan can run this sync again.
    write.setUpload(Gzip::deflate(request.body));
    if (!write.commit(dataset))
        return write.failure();

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("data");
    writeMerged(w, result.merged_items);
    w.key("conflicts");
    w.beginArray();
    for (const SyncConflict<T>& c : result.conflicts) {
        w.beginObject();
        w.key("local");
        codec::writeItem(w, c.local_item);
        w.key("remote");
        codec::writeItem(w, c.server_item);
        w.key("resolution");
        w.string(resolutionName(c.resolution));
        w.endObject();
    }
    w.endArray();
    w.key("last_sync");
    w.timestamp(write.at());
    w.endObject();

    ApiResponse r = ApiResponse::json(out);
    r.addRevisionHeaders(write.newRevision());
    r.event = FeedEvent{request.target.id, QString() /* set by SyncApi::sync */, write.newRevision(), write.at()};
    r.conflicts = static_cast<std::int64_t>(result.conflicts.size());
    return r;
}

/// Refusals that depend on the server's current state are conflicts; the others are bad requests.
} // namespace

ApiResponse SyncApi::sync(ServerStore& store, const ApiRequest& request, DataType type)
{
    ApiResponse r;
    switch (type) {
    case DataType::Decks: r = syncType<Deck>(store, request); break;
    case DataType::Achievements: r = syncType<Achievement>(store, request); break;
    case DataType::Progress: r = syncType<Progress>(store, request); break;
    case DataType::Starred: r = syncType<StarredDeck>(store, request); break;
    case DataType::Preferences: r = syncType<UserPreferences>(store, request); break;
    }
    if (r.event)
        r.event->dataType = QString::fromLatin1(dataTypeName(type));
    return r;
}

ApiResponse SyncApi::batch(ServerStore& store, const ApiRequest& request)
{
    Decoded<BatchSyncRequest> batch = decodeBatchRequest(request.bodyView());
    if (!batch)
        return ApiResponse::decodeError(batch.error());
    const QString transactionId = QString::fromStdString(batch->transaction_id);

    DatasetWrite write(store, request, RevisionKind::Batch);
    if (!write.begin())
        return write.failure();
    QString error;
    const QByteArray requestSha256 = QCryptographicHash::hash(request.body, QCryptographicHash::Sha256);
    if (const std::optional<ServerStore::AppliedBatch> stored =
            store.appliedBatch(request.target.id, transactionId, &error)) {
        // A retry sends the same bytes; the same id with other operations is another request,
        // and the client must not be told that it was applied.
        if (!stored->requestSha256.isEmpty() && stored->requestSha256 != requestSha256)
            return ApiResponse::error(
                422, "transaction_reused",
                u"the transaction_id %1 was already used for a batch with other operations; use a new id"_s.arg(
                    transactionId));
        ApiResponse replay;
        replay.body = stored->response;
        replay.addHeader("X-Replayed", "true");
        return replay; // nothing applied again; the transaction rolls back (it wrote nothing)
    }
    if (!error.isEmpty())
        return ApiResponse::storeError(error);

    // Only the items the operations name are read: a batch costs what it touches.
    DatasetWrite::Ids ids;
    for (const SyncOperation& op : batch->operations)
        ids[static_cast<std::size_t>(op.data_type)].push_back(QByteArray::fromStdString(op.item_id.toString()));
    Dataset dataset;
    if (!write.decode(&dataset, ids))
        return write.failure();
    BatchOutcome outcome = applyBatch(dataset, *batch);
    if (!outcome.ok) {
        const bool conflict = outcome.refusal == BatchRefusal::Conflict;
        return ApiResponse::error(conflict ? 409 : 400, conflict ? "conflict" : "invalid_request", outcome.error,
                                  [&](JsonWriter& w) {
                                      w.key("operation");
                                      w.integer(static_cast<std::int64_t>(outcome.failedIndex));
                                      w.key("revision");
                                      w.integer(write.revision());
                                  });
    }

    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("transaction_id");
    w.string(batch->transaction_id);
    w.key("applied");
    w.integer(static_cast<std::int64_t>(batch->operations.size()));
    w.key("revision");
    w.integer(write.newRevision());
    w.endObject();
    ApiResponse r = ApiResponse::json(out);
    if (!store.saveBatch(request.target.id, transactionId, {r.body, requestSha256}, &error))
        return ApiResponse::storeError(error);
    if (!write.commit(outcome.result))
        return write.failure();

    r.addRevisionHeaders(write.newRevision());
    QString dataType;
    for (const SyncOperation& op : batch->operations) {
        const QString name = QString::fromLatin1(dataTypeName(op.data_type));
        dataType = dataType.isEmpty() || dataType == name ? name : u"all"_s;
    }
    r.event = FeedEvent{request.target.id, dataType.isEmpty() ? u"all"_s : dataType, write.newRevision(),
                         write.at()};
    return r;
}
