// SPDX-License-Identifier: MIT
#include "app/services/historystore.h"

#include "app/services/sqlite.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

constexpr int kSchemaVersion = 2;
std::atomic<quint64> g_nextConnection{0};

const QString kCreateSchema[] = {
    u"CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " recorded_at TEXT NOT NULL," // ISO 8601 UTC with milliseconds, sorts as text
    " kind TEXT NOT NULL,"
    " local_source TEXT, server_source TEXT, profile TEXT, last_sync TEXT, engine_now TEXT, user_name TEXT,"
    " stats_json TEXT, conflicts INTEGER NOT NULL DEFAULT 0, manual_resolutions INTEGER NOT NULL DEFAULT 0,"
    " resolutions_json TEXT,"
    " local_before BLOB, server_before BLOB, local_after BLOB, server_after BLOB," // qCompress
    " local_after_sha256 BLOB, server_after_sha256 BLOB,"
    " server_revision_after INTEGER," // a live server's revision after the run; NULL for a file
    " rollback_of INTEGER REFERENCES runs(id), rolled_back_by INTEGER REFERENCES runs(id),"
    " pending INTEGER NOT NULL DEFAULT 0," // 1 while its files are being put in place
    " local_prior_sha256 BLOB, server_prior_sha256 BLOB)"_s, // the targets before the write
    u"CREATE INDEX runs_recorded_at ON runs(recorded_at)"_s,
    u"PRAGMA user_version = 2"_s, // == kSchemaVersion
};

/// From each schema version to the next (index 0: from 1 to 2).
const QString kUpgradeSchema[][4] = {
    {u"ALTER TABLE runs ADD COLUMN pending INTEGER NOT NULL DEFAULT 0"_s,
     u"ALTER TABLE runs ADD COLUMN local_prior_sha256 BLOB"_s, u"ALTER TABLE runs ADD COLUMN server_prior_sha256 BLOB"_s,
     u"PRAGMA user_version = 2"_s},
};

const QString kSummaryColumns = u"id, recorded_at, kind, local_source, server_source, profile, user_name,"
                                " conflicts, manual_resolutions, rollback_of, rolled_back_by, pending"_s;

using sqlite::run;
using sqlite::Transaction;
QString sqlText(const QSqlError& e) { return sqlite::errorText(e); }
QString where(const QString& path) { return path.isEmpty() ? u"the history"_s : u"the history file "_s + path; }


QVariant idOrNull(qint64 id) { return id > 0 ? QVariant(id) : QVariant(); }
QVariant blobOrNull(const QByteArray& b) { return b.isEmpty() ? QVariant() : QVariant(b); }
QVariant compressed(const QByteArray& b) { return b.isEmpty() ? QVariant() : QVariant(qCompress(b)); }

bool decompress(const QVariant& v, QByteArray* out)
{
    const QByteArray z = v.toByteArray();
    *out = z.isEmpty() ? QByteArray() : qUncompress(z);
    return z.isEmpty() || !out->isEmpty(); // empty datasets are stored as NULL, never compressed
}

/// Reads the kSummaryColumns of the current row into a HistorySummary or a HistoryRecord.
/// Fails when its kind is not one this version knows: `s` is then incomplete.
template <typename T>
Outcome<> readSummary(const QSqlQuery& q, T& s, const QString& path)
{
    s.id = q.value(0).toLongLong();
    const QString kind = q.value(2).toString();
    const std::optional<RunKind> known = runKindFromName(kind);
    if (!known)
        return fail(u"Record %1 of the history file %2 has the unknown kind \"%3\""_s.arg(s.id).arg(path, kind));
    s.kind = *known;
    s.recordedAt = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
    s.localSource = q.value(3).toString();
    s.serverSource = q.value(4).toString();
    s.profile = q.value(5).toString();
    s.user = q.value(6).toString();
    s.conflicts = q.value(7).toInt();
    s.manualResolutions = q.value(8).toInt();
    s.rollbackOf = q.value(9).toLongLong();
    s.rolledBackBy = q.value(10).toLongLong();
    s.pending = q.value(11).toInt() != 0;
    return {};
}


/// Inserts `r` (its id and rolledBackBy are ignored); the new id, or nullopt and the SQL error.
std::optional<qint64> insertRecord(const QSqlDatabase& db, const HistoryRecord& r, QString* why)
{
    QSqlQuery q(db);
    if (!run(q,
             u"INSERT INTO runs (recorded_at, kind, local_source, server_source, profile, last_sync, engine_now,"
             " user_name, stats_json, conflicts, manual_resolutions, resolutions_json, local_before, server_before,"
             " local_after, server_after, local_after_sha256, server_after_sha256, server_revision_after, rollback_of,"
             " pending, local_prior_sha256, server_prior_sha256)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
             {r.recordedAt.toUTC().toString(Qt::ISODateWithMs), runKindName(r.kind), r.localSource, r.serverSource,
              r.profile, r.lastSync.isEmpty() ? QVariant() : QVariant(r.lastSync), r.now, r.user, r.statsJson,
              r.conflicts, r.manualResolutions, r.resolutionsJson, compressed(r.localBefore), compressed(r.serverBefore),
              compressed(r.localAfter), compressed(r.serverAfter), blobOrNull(r.localAfterSha256),
              blobOrNull(r.serverAfterSha256),
              r.serverRevisionAfter >= 0 ? QVariant(r.serverRevisionAfter) : QVariant(), idOrNull(r.rollbackOf),
              r.pending ? 1 : 0, blobOrNull(r.localPriorSha256), blobOrNull(r.serverPriorSha256)},
             why))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

/// append() and appendRollback(): inserts `r` and, for a rollback, marks the record it undid.
Outcome<qint64> appendRecord(const QString& connection, const QString& path, const HistoryRecord& r)
{
    const auto refuse = [&](const QString& why) {
        return fail(u"Could not add the record to %1: %2."_s.arg(where(path), why));
    };
    const QSqlDatabase db = QSqlDatabase::database(connection, false);
    if (!db.isOpen())
        return refuse(u"it is not open"_s);
    if (!r.recordedAt.isValid())
        return refuse(u"the record has no time"_s);
    if (runKindName(r.kind).isEmpty())
        return refuse(u"the record has an unknown kind (%1)"_s.arg(static_cast<int>(r.kind)));

    QString why;
    Transaction tx(db);
    if (!tx.begin(&why))
        return refuse(why);
    const qint64 undone = r.rollbackOf;
    if (undone != 0) {
        QSqlQuery q(db);
        if (!run(q, u"SELECT rolled_back_by FROM runs WHERE id = ?"_s, {undone}, &why))
            return refuse(why);
        if (!q.next())
            return refuse(u"there is no record %1 to roll back"_s.arg(undone));
        if (!q.value(0).isNull())
            return refuse(u"record %1 was already rolled back by record %2"_s.arg(undone).arg(q.value(0).toLongLong()));
    }
    const std::optional<qint64> id = insertRecord(db, r, &why);
    if (!id)
        return refuse(why);
    if (undone != 0) {
        QSqlQuery q(db);
        if (!run(q, u"UPDATE runs SET rolled_back_by = ? WHERE id = ? AND rolled_back_by IS NULL"_s, {*id, undone}, &why))
            return refuse(why);
        if (q.numRowsAffected() != 1)
            return refuse(u"record %1 could not be marked as rolled back"_s.arg(undone));
        // Undoing a rollback puts the run that rollback undid back into force, in the same
        // transaction: a crash never leaves that run marked as rolled back.
        if (!run(q,
                 u"UPDATE runs SET rolled_back_by = NULL WHERE id = (SELECT rollback_of FROM runs WHERE id = ?)"
                 " AND rolled_back_by = ?"_s,
                 {undone, undone}, &why))
            return refuse(why);
    }
    if (!tx.commit(&why))
        return refuse(why);
    return *id;
}

/// Checks that `db` is a history file this code can use, sets it up and creates the schema if
/// needed. Empty on success, else the sentence to report. A file it refuses is left untouched:
/// every check reads before anything is written.
QString prepareFile(const QSqlDatabase& db, const QString& path)
{
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next()) {
        const QSqlError e = q.lastError();
        if (e.nativeErrorCode() == u"26"_s) // SQLITE_NOTADB
            return u"The history file %1 is not an SQLite database (%2)."_s.arg(path, sqlText(e));
        return u"Could not read the history file %1: %2."_s.arg(path, sqlText(e));
    }
    const int version = q.value(0).toInt();
    if (version > kSchemaVersion)
        return u"The history file %1 was written by a newer version of DeckSync Inspector "
               "(schema version %2; this version knows up to %3)."_s.arg(path)
            .arg(version)
            .arg(kSchemaVersion);
    if (version == 0) {
        if (!q.exec(u"SELECT count(*) FROM sqlite_master"_s) || !q.next())
            return u"Could not read the history file %1: %2."_s.arg(path, sqlText(q.lastError()));
        if (q.value(0).toInt() > 0)
            return u"The file %1 is an SQLite database but not a DeckSync history file."_s.arg(path);
    }

    // journal_mode answers with the mode in effect; a file system without WAL support keeps the
    // rollback journal, which is just as crash-safe (only slower), so that is accepted.
    for (const QString& sql :
         {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s, u"PRAGMA foreign_keys=ON"_s}) {
        if (!q.exec(sql))
            return u"Could not set up the history file %1 (%2): %3."_s.arg(path, sql, sqlText(q.lastError()));
    }
    q.finish();
    if (version == kSchemaVersion)
        return {};

    const auto failed = [&](const QString& why) {
        return u"Could not create or upgrade the history tables in %1: %2."_s.arg(path, why);
    };
    QString why;
    Transaction tx(db);
    if (!tx.begin(&why))
        return failed(why);
    // Another process may have created or upgraded the schema since the version was read above.
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return failed(sqlText(q.lastError()));
    const int current = q.value(0).toInt();
    q.finish();
    if (current == 0) {
        for (const QString& sql : kCreateSchema) {
            if (!q.exec(sql))
                return failed(sqlText(q.lastError()));
        }
    } else {
        for (int from = current; from < kSchemaVersion; ++from) {
            for (const QString& sql : kUpgradeSchema[from - 1]) {
                if (!q.exec(sql))
                    return failed(sqlText(q.lastError()));
            }
        }
    }
    q.finish();
    return tx.commit(&why) ? QString() : failed(why);
}

void dropConnection(const QString& name)
{
    if (QSqlDatabase::contains(name))
        QSqlDatabase::database(name, false).close(); // that handle is gone before the removal
    QSqlDatabase::removeDatabase(name);
}

} // namespace

QString runKindName(RunKind kind)
{
    switch (kind) {
    case RunKind::Sync: return u"sync"_s;
    case RunKind::Rollback: return u"rollback"_s;
    }
    return {}; // not a RunKind: append() refuses it
}

std::optional<RunKind> runKindFromName(QStringView name)
{
    for (const RunKind kind : {RunKind::Sync, RunKind::Rollback}) {
        if (name == runKindName(kind))
            return kind;
    }
    return std::nullopt;
}

HistoryStore::HistoryStore() : m_connection(u"decksync-history-"_s + QString::number(++g_nextConnection)) {}

HistoryStore::~HistoryStore() { dropConnection(m_connection); }

QString HistoryStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
}

Outcome<> HistoryStore::open(const QString& path)
{
    dropConnection(m_connection);
    m_path.clear();
    if (path.isEmpty())
        return fail(u"No history file was given."_s);
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(u"Could not create the folder %1 for the history file %2."_s.arg(folder, path));

    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            why = u"Could not open the history file %1: %2."_s.arg(path, sqlText(db.lastError()));
        else
            why = prepareFile(db, path);
    } // no handle to the connection may be left when it is removed
    if (!why.isEmpty()) {
        dropConnection(m_connection);
        return fail(why);
    }
    m_path = path;
    return {};
}

bool HistoryStore::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

QString HistoryStore::path() const { return m_path; }

Outcome<qint64> HistoryStore::append(const HistoryRecord& record)
{
    if (record.rollbackOf != 0)
        return fail(u"Could not add the record to %1: a rollback goes through appendRollback."_s.arg(where(m_path)));
    return appendRecord(m_connection, m_path, record);
}

Outcome<qint64> HistoryStore::appendRollback(const HistoryRecord& rollback)
{
    if (rollback.rollbackOf <= 0)
        return fail(u"Could not add the rollback to %1: it does not name the record it undid."_s.arg(where(m_path)));
    return appendRecord(m_connection, m_path, rollback);
}

Outcome<QList<HistorySummary>> HistoryStore::list() const
{
    if (!isOpen())
        return fail(u"Could not list %1: it is not open."_s.arg(where(m_path)));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    QString why;
    if (!run(q, u"SELECT "_s + kSummaryColumns + u" FROM runs ORDER BY recorded_at DESC, id DESC"_s, {}, &why))
        return fail(u"Could not list the history file %1: %2."_s.arg(m_path, why));
    QList<HistorySummary> out;
    while (q.next()) {
        HistorySummary s;
        // One row this version cannot read does not hide the others.
        if (const Outcome<> read = readSummary(q, s, m_path); read)
            out.append(s);
        else
            qWarning("%ls; it is left out", qUtf16Printable(read.error()));
    }
    return out;
}

Outcome<HistoryRecord> HistoryStore::load(qint64 id) const
{
    if (!isOpen())
        return fail(u"Could not read record %1 of %2: it is not open."_s.arg(id).arg(where(m_path)));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    QString why;
    if (!run(q,
             u"SELECT "_s + kSummaryColumns +
                 u", last_sync, engine_now, stats_json, resolutions_json, local_before, server_before, local_after,"
                 " server_after, local_after_sha256, server_after_sha256, server_revision_after,"
                 " local_prior_sha256, server_prior_sha256 FROM runs WHERE id = ?"_s,
             {id}, &why))
        return fail(u"Could not read record %1 of the history file %2: %3."_s.arg(id).arg(m_path, why));
    if (!q.next())
        return fail(u"There is no record %1 in the history file %2."_s.arg(id).arg(m_path));
    HistoryRecord r;
    if (const Outcome<> read = readSummary(q, r, m_path); !read)
        return fail(read.error() + u"."_s);
    r.lastSync = q.value(12).toString();
    r.now = q.value(13).toString();
    r.statsJson = q.value(14).toString();
    r.resolutionsJson = q.value(15).toString();
    if (!decompress(q.value(16), &r.localBefore) || !decompress(q.value(17), &r.serverBefore) ||
        !decompress(q.value(18), &r.localAfter) || !decompress(q.value(19), &r.serverAfter))
        return fail(u"Record %1 of the history file %2 has a damaged dataset."_s.arg(id).arg(m_path));
    r.localAfterSha256 = q.value(20).toByteArray();
    r.serverAfterSha256 = q.value(21).toByteArray();
    r.serverRevisionAfter = q.value(22).isNull() ? -1 : q.value(22).toLongLong();
    r.localPriorSha256 = q.value(23).toByteArray();
    r.serverPriorSha256 = q.value(24).toByteArray();
    return r;
}

Outcome<> HistoryStore::discardPending(qint64 id)
{
    const auto refuse = [&](const QString& why) {
        return fail(u"Could not remove record %1 from %2: %3."_s.arg(QString::number(id), where(m_path), why));
    };
    if (!isOpen())
        return refuse(u"it is not open"_s);
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QString why;
    Transaction tx(db);
    if (!tx.begin(&why))
        return refuse(why);
    QSqlQuery q(db);
    if (!run(q, u"SELECT rollback_of FROM runs WHERE id = ? AND pending = 1"_s, {id}, &why))
        return refuse(why);
    if (!q.next())
        return refuse(u"there is no such pending record"_s);
    const qint64 undone = q.value(0).isNull() ? 0 : q.value(0).toLongLong();
    if (undone != 0) {
        // The inverse of appendRecord(): the undone record is in force again, and when it was a
        // rollback, the run it undid is marked as rolled back by it again.
        if (!run(q, u"UPDATE runs SET rolled_back_by = NULL WHERE id = ? AND rolled_back_by = ?"_s, {undone, id}, &why)
            || !run(q,
                    u"UPDATE runs SET rolled_back_by = ? WHERE id = (SELECT rollback_of FROM runs WHERE id = ?)"
                    " AND rolled_back_by IS NULL"_s,
                    {undone, undone}, &why))
            return refuse(why);
    }
    if (!run(q, u"DELETE FROM runs WHERE id = ? AND pending = 1"_s, {id}, &why))
        return refuse(why);
    if (!tx.commit(&why))
        return refuse(why);
    return {};
}

Outcome<> HistoryStore::markWritten(qint64 id)
{
    const auto refuse = [&](const QString& why) {
        return fail(u"Could not mark record %1 in %2 as written: %3."_s.arg(QString::number(id), where(m_path), why));
    };
    if (!isOpen())
        return refuse(u"it is not open"_s);
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    QString why;
    if (!run(q, u"UPDATE runs SET pending = 0 WHERE id = ?"_s, {id}, &why))
        return refuse(why);
    if (q.numRowsAffected() != 1)
        return refuse(u"there is no such record"_s);
    return {};
}

Outcome<QList<qint64>> HistoryStore::pendingIds() const
{
    if (!isOpen())
        return fail(u"Could not list the pending records of %1: it is not open."_s.arg(where(m_path)));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    QString why;
    if (!run(q, u"SELECT id FROM runs WHERE pending != 0 ORDER BY id"_s, {}, &why))
        return fail(u"Could not list the pending records of %1: %2."_s.arg(where(m_path), why));
    QList<qint64> out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}
