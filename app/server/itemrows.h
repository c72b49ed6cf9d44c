// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/serverstore.h"

#include "engine/models.h"
#include "engine/timestamp.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

/// One stored item: its text as the codec writes it (compact), its id and its place in its list.
struct StoredItem {
    decksync::DataType type = decksync::DataType::Decks;
    QByteArray id;
    qint64 pos = 0;
    QByteArray body;
};

/// What a user's rows say at their newest revision: the revision, the oldest revision whose
/// state can still be rebuilt (older history was let go), and the document's frame: its
/// last_sync and the members no model knows, as a document without items (empty: no data yet).
struct StoredHead {
    qint64 revision = 0;
    qint64 oldest = 0;
    QByteArray frame;
    qint64 atMs = 0; ///< when the newest revision was written, ms since 1970
};

/// What a write did to one item: its text before (none: it did not exist) and after (none: it
/// was deleted), and its place in its list after.
struct ItemChange {
    decksync::DataType type = decksync::DataType::Decks;
    QByteArray id;
    std::optional<QByteArray> before;
    qint64 posBefore = 0;
    std::optional<QByteArray> after;
    qint64 pos = 0;
};

/// The kind of request that wrote a revision.
enum class RevisionKind { Sync, Batch, Put, Restore, Upgrade };
const char* revisionKindName(RevisionKind kind); ///< "sync", "batch", "put", "restore", "upgrade"

/// One revision of a user's data, as listed by GET /revisions.
struct RevisionRecord {
    qint64 revision = 0;
    decksync::Timestamp at;
    QString actor;    ///< the email of whose token wrote it (empty for an upgrade)
    qint64 actorId = 0;
    QByteArray device; ///< X-Device-Id, when the request sent one
    RevisionKind kind = RevisionKind::Put;
    QString detail;    ///< the data type of a sync, the revision a restore brought back
    qint64 added = 0;
    qint64 removed = 0;
    qint64 changed = 0;
    qint64 conflicts = 0; ///< the conflicts a sync resolved
    QByteArray frame; ///< the document's frame at this revision
    QByteArray upload; ///< of a sync: the device's request body, gzip (written, not listed)
};

/// One write that changed one item: the revision, as revisions() lists it, and the item's text
/// before and after it (none: it did not exist, or was deleted).
struct ItemRevision {
    RevisionRecord record;
    std::optional<QByteArray> before;
    std::optional<QByteArray> after;
};

/// A user's data as rows: one per item (user, type, id, its list position, the revision of its
/// last change, a deleted flag and its exact text), with what each write replaced in
/// `item_history`, one `revisions` row per write and a `heads` row with the newest revision.
/// A deleted item stays as a tombstone (no text), so that history and delta reads can say what
/// was deleted. A sync's upload is kept beside its revision, and let go with it (the state
/// before it, which a replay needs, goes at the same time). Reads run in the store's connection; writes belong inside its Transaction.
class ItemRows {
public:
    ItemRows(ServerStore& store, qint64 userId) : m_store(store), m_userId(userId) {}

    /// The head; revision 0 and an empty frame for a user who never wrote.
    std::optional<StoredHead> head(QString* error);
    /// The live items of `type`, in list order; with `ids`, only those.
    bool load(decksync::DataType type, const std::vector<QByteArray>* ids, std::vector<StoredItem>* out,
              QString* error);
    /// The largest list position ever used in `type`, tombstones' included (-1 when none).
    std::optional<qint64> maxPos(decksync::DataType type, QString* error);
    /// The document at `revision` as the engine writes it (compact), built from the rows: the
    /// current one when `revision` is the head's. The caller checks that it can be rebuilt.
    std::optional<QByteArray> document(const StoredHead& head, qint64 revision, QString* error);
    /// The live items at `revision`, by type and in list order; with `only`, of that type alone.
    bool itemsAt(const StoredHead& head, qint64 revision, std::vector<StoredItem>* out, QString* error,
                 std::optional<decksync::DataType> only = std::nullopt);
    /// The frame at `revision` (empty for revision 0).
    std::optional<QByteArray> frameAt(const StoredHead& head, qint64 revision, QString* error);
    /// The items changed after `revision`: live ones with their text, tombstones without.
    bool changedSince(qint64 revision, std::vector<StoredItem>* live, std::vector<StoredItem>* deleted,
                      QString* error);
    /// The newest revision written at or before `at` (0 if none).
    std::optional<qint64> revisionAt(decksync::Timestamp at, QString* error);
    /// Revisions from newest to oldest, up to `before` (exclusive; 0: from the newest), at most `limit`.
    bool revisions(qint64 before, int limit, std::vector<RevisionRecord>* out, QString* error);

    /// The writes that changed item `id` of `type`, newest first, before revision `before`
    /// (exclusive; 0: from the newest), at most `limit`, as far back as the history is kept.
    bool itemRevisions(decksync::DataType type, const QByteArray& id, qint64 before, int limit,
                       std::vector<ItemRevision>* out, QString* error);

    /// The syncs written at or after `since` whose upload is kept and whose state before can
    /// still be rebuilt, oldest first, with their uploads (gzip) in `upload`.
    bool syncsSince(const StoredHead& head, decksync::Timestamp since, std::vector<RevisionRecord>* out,
                    QString* error);

    /// Writes `record` (its revision the head's + 1) with its changes and frame, then lets go of
    /// the history that `retention` no longer keeps. Inside a transaction.
    bool write(const StoredHead& head, const RevisionRecord& record, const std::vector<ItemChange>& changes,
               const HistoryRetention& retention, QString* error);

    /// The compact document of `frame` (empty: an empty dataset) with `items` (by type, in order).
    static QByteArray assemble(const QByteArray& frame, const std::vector<StoredItem>& items, QString* error);

private:
    bool prune(const StoredHead& head, const RevisionRecord& record, const HistoryRetention& retention,
               QString* error);

    ServerStore& m_store;
    qint64 m_userId;
};
