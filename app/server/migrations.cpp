// SPDX-License-Identifier: MIT
#include "app/server/migrations.h"

#include "app/server/datasetrows.h"
#include "app/server/itemrows.h"
#include "app/services/bytes.h"

#include "engine/datasetcodec.h"
#include "engine/timestamp.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;
using namespace decksync;

namespace Migrations {
namespace {

bool setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

const QString kVersion1[] = {
    u"CREATE TABLE IF NOT EXISTS users ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " role TEXT NOT NULL CHECK (role IN ('user', 'support')),"
    " token_sha256 BLOB NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL)"_s,
    u"CREATE TABLE IF NOT EXISTS datasets ("
    " user_id INTEGER PRIMARY KEY REFERENCES users(id),"
    " revision INTEGER NOT NULL,"
    " document BLOB NOT NULL)"_s,
    u"CREATE TABLE IF NOT EXISTS audit ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " at TEXT NOT NULL," // ISO 8601 UTC with milliseconds
    " actor_user_id INTEGER NOT NULL REFERENCES users(id),"
    " target_user_id INTEGER NOT NULL REFERENCES users(id),"
    " method TEXT NOT NULL, path TEXT NOT NULL,"
    " revision_before INTEGER, revision_after INTEGER)"_s,
    u"CREATE TABLE IF NOT EXISTS batches ("
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " transaction_id TEXT NOT NULL,"
    " response BLOB NOT NULL,"
    " PRIMARY KEY (user_id, transaction_id))"_s,
};

const QString kVersion2[] = {
    u"CREATE TABLE heads ("
    " user_id INTEGER PRIMARY KEY REFERENCES users(id),"
    " revision INTEGER NOT NULL," // the newest; gapless from 1
    " oldest INTEGER NOT NULL,"   // the oldest revision whose state can be rebuilt
    " at_ms INTEGER NOT NULL,"    // when the newest was written; each revision's time is later
    " frame BLOB NOT NULL)"_s,    // the document without its items
    u"CREATE TABLE items ("
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " type INTEGER NOT NULL," // 0 decks, 1 achievements, 2 progress, 3 starred, 4 preferences
    " id TEXT NOT NULL,"
    " pos INTEGER NOT NULL,"      // its place in its list
    " revision INTEGER NOT NULL," // of its last change
    " deleted INTEGER NOT NULL DEFAULT 0,"
    " body BLOB," // its text; NULL for a tombstone
    " PRIMARY KEY (user_id, type, id))"_s,
    u"CREATE INDEX items_by_revision ON items (user_id, revision)"_s,
    // The largest place used in each list, tombstones' too: a new item goes after it. (An
    // index on the places would also answer, but PostgreSQL, before it has statistics, then
    // takes that index for the lookups by id.)
    u"CREATE TABLE item_lists ("
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " type INTEGER NOT NULL,"
    " max_pos INTEGER NOT NULL,"
    " PRIMARY KEY (user_id, type))"_s,
    u"CREATE TABLE item_history (" // what the write of `revision` replaced
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " type INTEGER NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL,"
    " pos INTEGER," // its place before
    " body BLOB,"   // its text before; NULL when it did not exist
    " PRIMARY KEY (user_id, type, id, revision))"_s,
    u"CREATE INDEX item_history_by_revision ON item_history (user_id, revision)"_s,
    u"CREATE TABLE revisions ("
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " revision INTEGER NOT NULL,"
    " at_ms INTEGER NOT NULL," // the server's clock, milliseconds since 1970 UTC
    " actor_user_id INTEGER REFERENCES users(id),"
    " device TEXT NOT NULL DEFAULT '',"
    " kind TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',"
    " added INTEGER NOT NULL, removed INTEGER NOT NULL, changed INTEGER NOT NULL,"
    " conflicts INTEGER NOT NULL DEFAULT 0," // of a sync: what the engine resolved
    " frame BLOB NOT NULL,"
    " PRIMARY KEY (user_id, revision))"_s,
    u"CREATE INDEX revisions_by_time ON revisions (user_id, at_ms)"_s,
    u"CREATE UNIQUE INDEX users_by_email ON users (lower(email))"_s,
};

const QString kVersion3[] = {
    u"CREATE TABLE sync_uploads (" // what the device sent in the sync that wrote `revision`
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " revision INTEGER NOT NULL,"
    " body BLOB NOT NULL," // the request body, gzip
    " PRIMARY KEY (user_id, revision))"_s,
};

bool execAll(ServerStore& store, const auto& statements, QString* error)
{
    for (const QString& sql : statements) {
        if (!store.exec(store.target().schema(sql), error))
            return false;
    }
    return true;
}

bool toVersion1(ServerStore& store, QString* error)
{
    if (!execAll(store, kVersion1, error))
        return false;
    // Files written before the server kept each batch's request hash get the column. (A failed
    // statement would end a PostgreSQL transaction; there, the tables are always new.)
    if (store.target().isPostgres())
        return store.exec(u"ALTER TABLE batches ADD COLUMN request_sha256 BYTEA"_s, error);
    QString ignored;
    if (!store.query(u"SELECT request_sha256 FROM batches LIMIT 0"_s, {}, &ignored))
        return store.exec(u"ALTER TABLE batches ADD COLUMN request_sha256 BLOB"_s, error);
    return true;
}

/// Each user's document becomes rows at its revision, which becomes the oldest one kept.
bool toVersion2(ServerStore& store, QString* error)
{
    if (!execAll(store, kVersion2, error))
        return false;
    struct Stored {
        qint64 userId;
        qint64 revision;
        QByteArray document;
    };
    std::vector<Stored> stored;
    {
        const auto q = store.query(u"SELECT user_id, revision, document FROM datasets ORDER BY user_id"_s, {}, error);
        if (!q)
            return false;
        while (q->next())
            stored.push_back({q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toByteArray()});
    }
    const Timestamp now = systemNow();
    for (const Stored& s : stored) {
        Dataset dataset;
        if (!s.document.isEmpty()) {
            Decoded<Dataset> decoded = codec::decodeDataset(bytesView(s.document));
            if (!decoded)
                return setError(error, u"the stored dataset of user %1 cannot be read: %2"_s.arg(s.userId).arg(
                                           QString::fromStdString(decoded.error().toString())));
            dataset = std::move(decoded.value());
        }
        std::vector<ItemChange> changes;
        for (const DataType type : AllDataTypes) {
            for (StoredItem& row : DatasetRows::rowsOf(dataset, type))
                changes.push_back({type, row.id, std::nullopt, 0, std::move(row.body), row.pos});
        }
        // Written as revision R on a head at R - 1; the history of that step is then dropped,
        // since what came before R is not known.
        RevisionRecord record;
        record.revision = s.revision;
        record.at = now;
        record.kind = RevisionKind::Upgrade;
        record.added = static_cast<qint64>(changes.size());
        record.frame = DatasetRows::frameOf(dataset);
        ItemRows rows(store, s.userId);
        const StoredHead head{s.revision - 1, s.revision, {}};
        if (!rows.write(head, record, changes, HistoryRetention{0, 0}, error)
            || !store.query(u"DELETE FROM item_history WHERE user_id = ?"_s, {s.userId}, error))
            return false;
    }
    return store.exec(u"DROP TABLE datasets"_s, error);
}

/// The syncs from now on keep their uploads; the ones before have none to replay.
bool toVersion3(ServerStore& store, QString* error) { return execAll(store, kVersion3, error); }

} // namespace

bool run(ServerStore& store, QString* error)
{
    QString why;
    // Servers that start together on one PostgreSQL database upgrade it one at a time.
    if (store.target().isPostgres() && !store.exec(u"SELECT pg_advisory_xact_lock(0, 0)"_s, &why))
        return setError(error, u"Could not wait for another server's upgrade: %1."_s.arg(why));
    if (!store.exec(u"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"_s, &why))
        return setError(error, u"Could not read the schema's version: %1."_s.arg(why));
    int version = 0;
    {
        const auto q = store.query(u"SELECT version FROM schema_version"_s, {}, &why);
        if (!q)
            return setError(error, u"Could not read the schema's version: %1."_s.arg(why));
        if (q->next())
            version = q->value(0).toInt();
    }
    if (version > Current)
        return setError(error, u"The database has schema version %1; this server knows versions up to %2. Use a "
                               "newer decksync-server."_s.arg(version).arg(Current));
    bool (*const steps[])(ServerStore&, QString*) = {toVersion1, toVersion2, toVersion3};
    for (int v = version; v < Current; ++v) {
        if (!steps[v](store, &why))
            return setError(error, u"Could not upgrade the schema to version %1: %2."_s.arg(v + 1).arg(why));
    }
    if (version == Current)
        return true;
    const bool wrote = version == 0 ? bool(store.query(u"INSERT INTO schema_version (version) VALUES (?)"_s, {Current}, &why))
                                    : bool(store.query(u"UPDATE schema_version SET version = ?"_s, {Current}, &why));
    return wrote || setError(error, u"Could not record the schema's version: %1."_s.arg(why));
}

} // namespace Migrations
