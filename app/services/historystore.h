// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/outcome.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

/// What a history record did. Stored as its runKindName() text.
enum class RunKind { Sync, Rollback };

/// "sync" or "rollback": the text stored in the history file and printed in messages.
[[nodiscard]] QString runKindName(RunKind kind);
/// The kind named `name` by runKindName(), or nullopt for any other text.
[[nodiscard]] std::optional<RunKind> runKindFromName(QStringView name);

/// One applied sync or rollback, as the history keeps it.
struct HistoryRecord {
    qint64 id = 0;             ///< assigned by the store
    QDateTime recordedAt;      ///< wall clock (UTC) when it was applied
    RunKind kind = RunKind::Sync; ///< stored as "sync" or "rollback"
    QString localSource;       ///< file path, or empty
    QString serverSource;      ///< file path or server URL
    QString profile;           ///< engine profile, e.g. "seed"
    QString lastSync;          ///< RFC 3339, or empty for null
    QString now;               ///< the engine clock used, RFC 3339
    QString user;              ///< who applied it
    QString statsJson;         ///< {"decks": {stats}, ...} as the engine writes it
    int conflicts = 0;         ///< conflicts recorded by the engine, all types
    int manualResolutions = 0; ///< how many items were resolved by hand
    QString resolutionsJson;   ///< the manual resolutions, with who/what
    QByteArray localBefore;    ///< dataset documents (JSON text), uncompressed in memory
    QByteArray serverBefore;
    QByteArray localAfter;
    QByteArray serverAfter;
    QByteArray localAfterSha256;  ///< of the local file as written (to detect later changes)
    QByteArray serverAfterSha256; ///< of the server file as written
    /// What each target file held just before this run wrote it: SHA-256 of its bytes, empty
    /// when it did not exist (the before-state is the source that was loaded, which may be
    /// another file). Recovery of an interrupted write rolls forward only from this state.
    QByteArray localPriorSha256;
    QByteArray serverPriorSha256;
    qint64 serverRevisionAfter = -1; ///< a live server's revision after the run; -1 for a file
    qint64 rollbackOf = 0;        ///< for a rollback: the record it undid
    qint64 rolledBackBy = 0;      ///< set when a later rollback undid this record
    /// Its files were not all in place yet when it was recorded: the record is the journal of
    /// that write, cleared by markWritten() once both files hold the after-state. A record left
    /// pending by a crash is finished at the next start (finishInterruptedWrites()).
    bool pending = false;
};

/// A record without its datasets, for timelines.
struct HistorySummary {
    qint64 id = 0;
    QDateTime recordedAt;
    RunKind kind = RunKind::Sync;
    QString localSource;
    QString serverSource;
    QString profile;
    QString user;
    int conflicts = 0;
    int manualResolutions = 0;
    qint64 rollbackOf = 0;
    qint64 rolledBackBy = 0;
    bool pending = false; ///< interrupted, and not finished at a later start (see HistoryRecord)
};

/// The sync history: one SQLite file (Qt SQL, WAL journal), one transaction per record, so
/// a crash never leaves half a record. Datasets are stored zlib-compressed.
/// Each store has its own Qt SQL connection, which belongs to the thread that opened it: use a
/// store from that thread only (open another store on the same file for another thread).
class HistoryStore {
public:
    HistoryStore();
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /// The default file: <AppDataLocation>/history.sqlite.
    static QString defaultPath();

    /// Opens or creates the file (and its folders) and its schema; closes any file opened before.
    /// Fails with a sentence: a file that is not SQLite, belongs to another program or was
    /// written by a newer schema is refused and left untouched.
    Outcome<> open(const QString& path);
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] QString path() const;

    /// Appends a record in one transaction; returns its id. Needs recordedAt and a kind that is
    /// one of RunKind's; `id` and `rolledBackBy` are ignored; `rollbackOf` must be 0 (see
    /// appendRollback).
    Outcome<qint64> append(const HistoryRecord& record);
    /// Appends `rollback` and marks `rollback.rollbackOf` as rolled back, in one transaction.
    /// When that record is itself a rollback, the run it undid is back in force: its mark is
    /// cleared in the same transaction. Writes nothing if that record does not exist or is
    /// already rolled back.
    Outcome<qint64> appendRollback(const HistoryRecord& rollback);
    /// Clears the pending mark of `id`: its files hold what it wrote.
    Outcome<> markWritten(qint64 id);
    /// Removes pending record `id`, whose write failed with every file put back, and undoes
    /// what appending it marked (for a rollback: the run it undid is in force again), in one
    /// transaction. Refuses a record that is not pending.
    Outcome<> discardPending(qint64 id);
    /// The records still pending, oldest first. Fails when the store is not open or cannot be read.
    [[nodiscard]] Outcome<QList<qint64>> pendingIds() const;

    /// Newest first: by recordedAt, then by id. Fails when the store is not open or cannot be
    /// read. A row whose kind is neither "sync" nor "rollback" is left out (with a warning):
    /// the other rows are still listed.
    [[nodiscard]] Outcome<QList<HistorySummary>> list() const;
    /// The full record with its datasets. Fails with a sentence when there is no record `id`,
    /// or it cannot be read, which includes a kind that is neither "sync" nor "rollback".
    [[nodiscard]] Outcome<HistoryRecord> load(qint64 id) const;

private:
    QString m_connection;
    QString m_path;
};
