// SPDX-License-Identifier: MIT
// The sync history on real SQLite files, including a writer killed in the middle of a transaction.
#include "app/services/historystore.h"

#include "outcomecheck.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr auto kCrashWriterVariable = "HISTORY_CRASH_WRITER";

/// A dataset-like JSON text of about `bytes` bytes: repetitive enough to compress well, but
/// different for every seed and line.
QByteArray dataset(int seed, qsizetype bytes)
{
    QByteArray out;
    out.reserve(bytes + 200);
    out += "{\"decks\":[";
    for (int i = 0; out.size() < bytes; ++i) {
        out += "{\"id\":\"" + QByteArray::number(seed) + '-' + QByteArray::number(i) + "\",\"front\":\"word " +
               QByteArray::number((qint64(i) * 7919 + seed) % 10007) + "\",\"back\":\"meaning " +
               QByteArray::number((qint64(i) * 104729) ^ seed) + "\",\"modified\":\"2024-05-0" +
               QByteArray::number(1 + i % 9) + "T12:00:00Z\"},";
    }
    out += "{}]}";
    return out;
}

QByteArray sha256(const QByteArray& data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256); }

/// A record with every field set; `n` makes it distinct, `bytes` sizes each dataset.
HistoryRecord fullRecord(int n, qsizetype bytes)
{
    HistoryRecord r;
    r.recordedAt = QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC).addMSecs(n * 1001LL + 7);
    r.kind = RunKind::Sync;
    r.localSource = u"/home/ana/decks/local-%1.json"_s.arg(n);
    r.serverSource = u"https://sync.example.org/api/decks?user=ana&n=%1"_s.arg(n);
    r.profile = u"crash-%1"_s.arg(n);
    r.lastSync = u"2024-04-30T09:00:00.000Z"_s;
    r.now = u"2024-05-01T10:00:00.123Z"_s;
    r.user = u"Ana Lúcia 🦊"_s;
    r.statsJson = u"{\"decks\":{\"added\":%1,\"updated\":2}}"_s.arg(n);
    r.conflicts = 3 + n;
    r.manualResolutions = 2;
    r.resolutionsJson = u"[{\"who\":\"ana\",\"what\":\"keep local\"}]"_s;
    r.localBefore = dataset(4 * n, bytes);
    r.serverBefore = dataset(4 * n + 1, bytes);
    r.localAfter = dataset(4 * n + 2, bytes);
    r.serverAfter = dataset(4 * n + 3, bytes);
    r.localAfterSha256 = sha256(r.localAfter);
    r.serverAfterSha256 = sha256(r.serverAfter);
    return r;
}

HistoryRecord smallRecord(const QDateTime& at, RunKind kind = RunKind::Sync)
{
    HistoryRecord r;
    r.recordedAt = at;
    r.kind = kind;
    r.localSource = u"local.json"_s;
    r.localAfter = "{\"decks\":[]}";
    return r;
}

QDateTime at(int minutes) { return QDateTime(QDate(2024, 6, 1), QTime(8, 0), Qt::UTC).addSecs(minutes * 60); }

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// An independent connection to a file, as another program would open it.
class Probe {
public:
    explicit Probe(const QString& path) : m_name(u"probe-"_s + QString::number(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        if (!db.open())
            qWarning("probe cannot open %ls", qUtf16Printable(path));
    }
    ~Probe()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    /// The first column of the first row, or an invalid QVariant.
    QVariant value(const QString& sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (q.exec(sql) && q.next())
            return q.value(0);
        if (q.lastError().isValid())
            qWarning("probe: %ls: %ls", qUtf16Printable(sql), qUtf16Printable(q.lastError().text()));
        return {};
    }
    bool exec(const QString& sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        return q.exec(sql);
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

qint64 rowCount(const QString& path) { return Probe(path).value(u"SELECT count(*) FROM runs"_s).toLongLong(); }

/// The child of survivesKilledWriter: appends records to `path` until it is killed.
int runCrashWriter(const QString& path)
{
#ifdef Q_OS_LINUX
    prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive the test
#endif
    HistoryStore store;
    if (const Outcome<> opened = store.open(path); !opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    for (int n = 1; timer.elapsed() < 20000; ++n) {
        if (const Outcome<qint64> added = store.append(fullRecord(n, 96 * 1024 + n * 512)); !added) {
            std::fprintf(stderr, "%s\n", qPrintable(added.error()));
            return 1;
        }
        std::printf("%d\n", n); // committed
        std::fflush(stdout);
    }
    return 2; // the test should have killed us long ago
}

template <typename T>
concept HasDatasets = requires(T t) { t.localBefore; };

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT

private:
    QString newPath() { return m_dir.filePath(u"h%1/history.sqlite"_s.arg(++m_files)); }

    QTemporaryDir m_dir;
    int m_files = 0;

private slots:
    void initTestCase()
    {
        QVERIFY2(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s), "install libqt6sql6-sqlite");
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
    }

    void defaultPathIsInAppData()
    {
        const QString path = HistoryStore::defaultPath();
        QCOMPARE(path, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s);
        QVERIFY(QFileInfo(path).isAbsolute());
    }

    void createsFileFoldersAndSchema()
    {
        const QString path = m_dir.filePath(u"new/deeper/history.sqlite"_s);
        HistoryStore store;
        QVERIFY(!store.isOpen());
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        QVERIFY(store.isOpen());
        QCOMPARE(store.path(), path);
        QVERIFY(QFile::exists(path));
        QVERIFY(store.list().value().isEmpty());

        Probe probe(path);
        QCOMPARE(probe.value(u"PRAGMA user_version"_s).toInt(), 2);
        QCOMPARE(probe.value(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'"_s).toInt(), 1);
        QCOMPARE(probe.value(u"SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%recorded_at%'"_s)
                     .toString(),
                 u"runs"_s);
    }

    // A file from the first schema (before the pending column) is upgraded in place: its
    // records stay, none of them pending.
    void upgradesSchemaOne()
    {
        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema-one"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const QString& sql : {
                     u"CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,"
                     " kind TEXT NOT NULL, local_source TEXT, server_source TEXT, profile TEXT, last_sync TEXT,"
                     " engine_now TEXT, user_name TEXT, stats_json TEXT, conflicts INTEGER NOT NULL DEFAULT 0,"
                     " manual_resolutions INTEGER NOT NULL DEFAULT 0, resolutions_json TEXT, local_before BLOB,"
                     " server_before BLOB, local_after BLOB, server_after BLOB, local_after_sha256 BLOB,"
                     " server_after_sha256 BLOB, server_revision_after INTEGER,"
                     " rollback_of INTEGER REFERENCES runs(id), rolled_back_by INTEGER REFERENCES runs(id))"_s,
                     u"CREATE INDEX runs_recorded_at ON runs(recorded_at)"_s,
                     u"INSERT INTO runs (recorded_at, kind, profile) VALUES ('2024-06-01T12:00:00.000Z', 'sync', 'seed')"_s,
                     u"PRAGMA user_version = 1"_s}) {
                QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
            }
        }
        QSqlDatabase::removeDatabase(u"schema-one"_s);

        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        QCOMPARE(Probe(path).value(u"PRAGMA user_version"_s).toInt(), 2);
        QCOMPARE(store.list().value().size(), 1);
        const auto r = store.load(store.list().value().first().id);
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->profile, u"seed"_s);
        QCOMPARE(r->kind, RunKind::Sync);
        QVERIFY(!r->pending);
        QVERIFY(store.pendingIds().value().isEmpty());
    }

    void pendingUntilMarkedWritten()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        HistoryRecord r = smallRecord(at(0));
        r.pending = true;
        const auto pending = store.append(r);
        QVERIFY2(pending, qPrintable(pending.error()));
        const auto done = store.append(smallRecord(at(1)));
        QVERIFY2(done, qPrintable(done.error()));
        QCOMPARE(store.pendingIds().value(), QList<qint64>{*pending});
        QVERIFY(store.load(*pending)->pending);
        const auto runs = store.list();
        QVERIFY2(runs, qPrintable(runs.error()));
        for (const HistorySummary& summary : *runs)
            QCOMPARE(summary.pending, summary.id == *pending); // the timeline shows it too
        QVERIFY2(testutil::check(store.markWritten(*pending), &error), qPrintable(error));
        QVERIFY(store.pendingIds().value().isEmpty());
        QVERIFY(!store.load(*pending)->pending);
        QVERIFY(testutil::fails(store.markWritten(*done + 100), &error));
        QVERIFY2(error.contains(u"no such record"_s), qPrintable(error));
    }

    void roundTripsFullRecord()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));

        const HistoryRecord in = fullRecord(5, 3 * 1024 * 1024);
        const auto id = store.append(in);
        QVERIFY2(id, qPrintable(id.error()));
        const auto out = store.load(*id);
        QVERIFY(out);
        QCOMPARE(out->id, *id);
        QCOMPARE(out->recordedAt, in.recordedAt);
        QCOMPARE(out->recordedAt.timeSpec(), Qt::UTC);
        QCOMPARE(out->kind, in.kind);
        QCOMPARE(out->localSource, in.localSource);
        QCOMPARE(out->serverSource, in.serverSource);
        QCOMPARE(out->profile, in.profile);
        QCOMPARE(out->lastSync, in.lastSync);
        QCOMPARE(out->now, in.now);
        QCOMPARE(out->user, in.user);
        QCOMPARE(out->statsJson, in.statsJson);
        QCOMPARE(out->conflicts, in.conflicts);
        QCOMPARE(out->manualResolutions, in.manualResolutions);
        QCOMPARE(out->resolutionsJson, in.resolutionsJson);
        QVERIFY(out->localBefore == in.localBefore); // QCOMPARE would print megabytes on failure
        QVERIFY(out->serverBefore == in.serverBefore);
        QVERIFY(out->localAfter == in.localAfter);
        QVERIFY(out->serverAfter == in.serverAfter);
        QCOMPARE(out->localAfterSha256, in.localAfterSha256);
        QCOMPARE(out->serverAfterSha256, in.serverAfterSha256);
        QCOMPARE(out->rollbackOf, 0);
        QCOMPARE(out->rolledBackBy, 0);

        // On disk: compressed datasets, binary hashes, ISO 8601 UTC text with milliseconds.
        Probe probe(path);
        const qint64 stored = probe.value(u"SELECT length(local_before) FROM runs"_s).toLongLong();
        QVERIFY2(stored > 0 && stored < in.localBefore.size() / 4, qPrintable(QString::number(stored)));
        QCOMPARE(probe.value(u"SELECT typeof(local_after_sha256) FROM runs"_s).toString(), u"blob"_s);
        QCOMPARE(probe.value(u"SELECT length(server_after_sha256) FROM runs"_s).toInt(), 32);
        QCOMPARE(probe.value(u"SELECT recorded_at FROM runs"_s).toString(), u"2024-05-01T10:00:05.012Z"_s);
    }

    void roundTripsSparseRecord()
    {
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(newPath()), &error), qPrintable(error));
        HistoryRecord in;
        in.recordedAt = at(0).toLocalTime(); // stored as UTC, the same instant
        in.kind = RunKind::Sync;
        const auto id = store.append(in);
        QVERIFY2(id, qPrintable(id.error()));
        const auto out = store.load(*id);
        QVERIFY(out);
        QCOMPARE(out->recordedAt, at(0));
        QVERIFY(out->lastSync.isEmpty());
        QVERIFY(out->localSource.isEmpty());
        QVERIFY(out->localBefore.isEmpty());
        QVERIFY(out->serverAfter.isEmpty());
        QVERIFY(out->localAfterSha256.isEmpty());
        QVERIFY(!store.load(*id + 1));
    }

    void refusesIncompleteRecords()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        HistoryRecord noTime = smallRecord({});
        QVERIFY(testutil::fails(store.append(noTime), &error));
        QVERIFY2(error.contains(path) && error.contains(u"no time"_s), qPrintable(error));
        HistoryRecord noKind = smallRecord(at(0), static_cast<RunKind>(7)); // not one of RunKind's
        QVERIFY(testutil::fails(store.append(noKind), &error));
        QVERIFY2(error.contains(u"unknown kind"_s), qPrintable(error));
        HistoryRecord rollback = smallRecord(at(0), RunKind::Rollback);
        rollback.rollbackOf = 1;
        QVERIFY(testutil::fails(store.append(rollback), &error));
        QVERIFY2(error.contains(u"appendRollback"_s), qPrintable(error));
        QCOMPARE(rowCount(path), 0);
    }

    // The kind is stored as the text "sync" or "rollback". A row with any other text, as a
    // newer or foreign writer might leave, is left out of the list and does not load, with a
    // warning; the other rows read as before.
    void storesKindAsText()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        const auto sync = store.append(smallRecord(at(0)));
        QVERIFY2(sync, qPrintable(sync.error()));
        HistoryRecord rollback = smallRecord(at(1), RunKind::Rollback);
        rollback.rollbackOf = *sync;
        const auto undo = store.appendRollback(rollback);
        QVERIFY2(undo, qPrintable(undo.error()));
        QCOMPARE(runKindName(RunKind::Sync), u"sync"_s);
        QCOMPARE(runKindName(RunKind::Rollback), u"rollback"_s);
        QVERIFY(runKindFromName(u"rollback") == RunKind::Rollback);
        QVERIFY(!runKindFromName(u"Sync"));
        QVERIFY(!runKindFromName(u""));
        {
            Probe probe(path);
            QCOMPARE(probe.value(u"SELECT group_concat(kind, ',') FROM (SELECT kind FROM runs ORDER BY id)"_s)
                         .toString(),
                     u"sync,rollback"_s);
            QVERIFY(probe.exec(u"INSERT INTO runs (recorded_at, kind, local_source) VALUES"
                               " ('2024-06-01T09:00:00.000Z', 'merge', 'local.json')"_s));
        }
        const qint64 odd = *undo + 1;
        QCOMPARE(rowCount(path), 3);

        const QRegularExpression warning(
            u"^Record %1 of the history file .* has the unknown kind \"merge\""_s.arg(odd));
        QTest::ignoreMessage(QtWarningMsg, warning);
        const QList<HistorySummary> list = store.list().value();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].id, *undo);
        QCOMPARE(list[0].kind, RunKind::Rollback);
        QCOMPARE(list[1].id, *sync);
        QCOMPARE(list[1].kind, RunKind::Sync);
        // Asked for by id, it is a failure that says why (no warning: the caller has the sentence).
        QVERIFY(testutil::fails(store.load(odd), &error));
        QVERIFY2(error.contains(u"Record %1 of the history file %2 has the unknown kind \"merge\""_s.arg(odd).arg(path)),
                 qPrintable(error));
        QCOMPARE(store.load(*undo)->kind, RunKind::Rollback);
        QVERIFY2(testutil::check(store.append(smallRecord(at(2))), &error), qPrintable(error)); // the store still works
    }

    void idsIncrease()
    {
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(newPath()), &error), qPrintable(error));
        qint64 previous = 0;
        for (int i = 0; i < 5; ++i) {
            const auto id = store.append(smallRecord(at(10 - i))); // ids follow order of appending
            QVERIFY2(id, qPrintable(id.error()));
            QVERIFY2(*id > previous, qPrintable(u"%1 after %2"_s.arg(*id).arg(previous)));
            previous = *id;
        }
    }

    void listsNewestFirstWithoutDatasets()
    {
        static_assert(!HasDatasets<HistorySummary>, "a summary carries no datasets");
        static_assert(HasDatasets<HistoryRecord>);

        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(newPath()), &error), qPrintable(error));
        QList<qint64> ids;
        for (const int minutes : {60, 0, 120, 60}) { // one out of order, one tie
            HistoryRecord r = fullRecord(minutes, 64 * 1024);
            r.recordedAt = at(minutes);
            const auto id = store.append(r);
            QVERIFY2(id, qPrintable(id.error()));
            ids.append(*id);
        }
        const QList<HistorySummary> list = store.list().value();
        QCOMPARE(list.size(), 4);
        const QList<qint64> expected = {ids[2], ids[3], ids[0], ids[1]}; // by time, then newest id
        for (qsizetype i = 0; i < list.size(); ++i)
            QCOMPARE(list[i].id, expected[i]);

        const HistorySummary& s = list[0];
        const HistoryRecord r = fullRecord(120, 0);
        QCOMPARE(s.recordedAt, at(120));
        QCOMPARE(s.kind, r.kind);
        QCOMPARE(s.localSource, r.localSource);
        QCOMPARE(s.serverSource, r.serverSource);
        QCOMPARE(s.profile, r.profile);
        QCOMPARE(s.user, r.user);
        QCOMPARE(s.conflicts, r.conflicts);
        QCOMPARE(s.manualResolutions, r.manualResolutions);
        QCOMPARE(s.rollbackOf, 0);
        QCOMPARE(s.rolledBackBy, 0);
    }

    void usesWalJournal()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        QVERIFY2(testutil::check(store.append(smallRecord(at(0))), &error), qPrintable(error));
        QCOMPARE(Probe(path).value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    }

    void appendRollbackMarksOriginal()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        const auto sync = store.append(smallRecord(at(0)));
        QVERIFY2(sync, qPrintable(sync.error()));
        const auto other = store.append(smallRecord(at(1)));
        QVERIFY2(other, qPrintable(other.error()));

        HistoryRecord rollback = smallRecord(at(2), RunKind::Rollback);
        rollback.rollbackOf = *sync;
        const auto id = store.appendRollback(rollback);
        QVERIFY2(id, qPrintable(id.error()));
        QCOMPARE(store.load(*sync)->rolledBackBy, *id);
        QCOMPARE(store.load(*id)->rollbackOf, *sync);
        QCOMPARE(store.load(*id)->kind, RunKind::Rollback);
        QCOMPARE(store.load(*other)->rolledBackBy, 0);

        const QList<HistorySummary> list = store.list().value();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].id, *id);
        QCOMPARE(list[0].rollbackOf, *sync);
        QCOMPARE(list[2].id, *sync);
        QCOMPARE(list[2].rolledBackBy, *id);
    }

    void appendRollbackIsAtomic_data()
    {
        QTest::addColumn<int>("target"); // 1: the rolled-back sync, 2: a sync not rolled back, 0: rollbackOf
        QTest::addColumn<qint64>("rollbackOf");
        QTest::addColumn<QString>("trigger"); // installed from another connection first
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing record") << 0 << qint64(999) << QString() << u"no record 999"_s;
        QTest::newRow("already rolled back") << 1 << qint64(0) << QString() << u"already rolled back by record 3"_s;
        QTest::newRow("no target") << 0 << qint64(0) << QString() << u"does not name"_s;
        QTest::newRow("negative target") << 0 << qint64(-3) << QString() << u"does not name"_s;
        // The rollback row is inserted, then marking the original fails: the insert must go too.
        QTest::newRow("marking fails") << 2 << qint64(0)
                                       << u"CREATE TRIGGER fail_mark BEFORE UPDATE OF rolled_back_by ON runs"
                                          " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_s
                                       << u"injected failure"_s;
        QTest::newRow("insert fails") << 2 << qint64(0)
                                      << u"CREATE TRIGGER fail_insert BEFORE INSERT ON runs"
                                         " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"_s
                                      << u"injected failure"_s;
    }

    void appendRollbackIsAtomic()
    {
        QFETCH(int, target);
        QFETCH(qint64, rollbackOf);
        QFETCH(QString, trigger);
        QFETCH(QString, expected);

        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        const auto sync = store.append(smallRecord(at(0)));
        QVERIFY2(sync, qPrintable(sync.error()));
        const auto fresh = store.append(smallRecord(at(1)));
        QVERIFY2(fresh, qPrintable(fresh.error()));
        HistoryRecord first = smallRecord(at(2), RunKind::Rollback);
        first.rollbackOf = *sync;
        const auto firstId = store.appendRollback(first);
        QVERIFY2(firstId, qPrintable(firstId.error()));
        QCOMPARE(*firstId, qint64(3));
        if (!trigger.isEmpty())
            QVERIFY(Probe(path).exec(trigger));

        const qint64 before = rowCount(path);
        HistoryRecord again = smallRecord(at(3), RunKind::Rollback);
        again.rollbackOf = target == 1 ? *sync : target == 2 ? *fresh : rollbackOf;
        error.clear();
        QVERIFY(testutil::fails(store.appendRollback(again), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QCOMPARE(rowCount(path), before);
        QCOMPARE(store.list().value().size(), 3);
        QCOMPARE(store.load(*sync)->rolledBackBy, *firstId);
        QCOMPARE(store.load(*fresh)->rolledBackBy, qint64(0));

        // Nothing is left half-done: the store still works once the fault is gone.
        if (!trigger.isEmpty())
            QVERIFY(Probe(path).exec(u"DROP TRIGGER "_s + trigger.section(u' ', 2, 2)));
        again.rollbackOf = *fresh;
        QVERIFY2(testutil::check(store.appendRollback(again), &error), qPrintable(error));
    }

    // Rolling back a rollback puts the run it undid back in force, in the same transaction as
    // the new record: nothing can leave that run marked as rolled back.
    void undoingRollbackRestoresRun()
    {
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        const auto sync = store.append(smallRecord(at(0)));
        QVERIFY2(sync, qPrintable(sync.error()));
        HistoryRecord rollback = smallRecord(at(1), RunKind::Rollback);
        rollback.rollbackOf = *sync;
        const auto undo = store.appendRollback(rollback);
        QVERIFY2(undo, qPrintable(undo.error()));
        QCOMPARE(store.load(*sync)->rolledBackBy, *undo);

        HistoryRecord redo = smallRecord(at(2), RunKind::Rollback);
        redo.rollbackOf = *undo;
        const auto redone = store.appendRollback(redo);
        QVERIFY2(redone, qPrintable(redone.error()));
        QCOMPARE(store.load(*undo)->rolledBackBy, *redone);
        QCOMPARE(store.load(*sync)->rolledBackBy, 0);      // back in force
        QCOMPARE(store.load(*undo)->rollbackOf, *sync);    // the rollback keeps what it undid

        rollback.recordedAt = at(3); // the run can be rolled back again
        const auto again = store.appendRollback(rollback);
        QVERIFY2(again, qPrintable(again.error()));
        QCOMPARE(store.load(*sync)->rolledBackBy, *again);
        QCOMPARE(rowCount(path), 4);
    }

    void reopensWithSameData()
    {
        const QString path = newPath();
        QList<qint64> ids;
        auto first = std::make_unique<HistoryStore>();
        QString error;
        QVERIFY2(testutil::check(first->open(path), &error), qPrintable(error));
        for (int n = 1; n <= 3; ++n) {
            const auto id = first->append(fullRecord(n, 200 * 1024));
            QVERIFY2(id, qPrintable(id.error()));
            ids.append(*id);
        }

        HistoryStore second; // while the first is still open
        QVERIFY2(testutil::check(second.open(path), &error), qPrintable(error));
        QCOMPARE(second.list().value().size(), 3);
        first.reset();
        QVERIFY(second.isOpen());
        for (int n = 1; n <= 3; ++n) {
            const auto r = second.load(ids[n - 1]);
            QVERIFY(r);
            const HistoryRecord expected = fullRecord(n, 200 * 1024);
            QCOMPARE(r->profile, expected.profile);
            QCOMPARE(r->recordedAt, expected.recordedAt);
            QVERIFY(r->serverAfter == expected.serverAfter);
            QCOMPARE(r->serverAfterSha256, expected.serverAfterSha256);
        }

        // The same store object can be opened again, on the same or another file.
        QVERIFY2(testutil::check(second.open(path), &error), qPrintable(error));
        QCOMPARE(second.list().value().size(), 3);
        QVERIFY2(testutil::check(second.open(newPath()), &error), qPrintable(error));
        QVERIFY(second.list().value().isEmpty());
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("garbage"); // written as the file, or empty for an SQLite file
        QTest::addColumn<QString>("setup");      // SQL run on that SQLite file
        QTest::addColumn<QString>("expected");

        QByteArray binary(8192, '\0');
        QRandomGenerator random(20240501);
        for (char& c : binary)
            c = char(random.bounded(256));
        QTest::newRow("text") << QByteArray("these are my notes, not a database\n").repeated(200) << QString()
                              << u"not an SQLite database"_s;
        QTest::newRow("binary") << binary << QString() << u"not an SQLite database"_s;
        QTest::newRow("newer schema") << QByteArray() << u"PRAGMA user_version = 99"_s
                                      << u"newer version of DeckSync Inspector (schema version 99"_s;
        QTest::newRow("other application") << QByteArray() << u"CREATE TABLE notes (id INTEGER, body TEXT)"_s
                                           << u"not a DeckSync history file"_s;
    }

    void refusesBadFiles()
    {
        QFETCH(QByteArray, garbage);
        QFETCH(QString, setup);
        QFETCH(QString, expected);

        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        if (!garbage.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(garbage), garbage.size());
        } else {
            Probe probe(path);
            QVERIFY(probe.exec(setup));
        }
        const QByteArray bytes = readBytes(path);
        QVERIFY(!bytes.isEmpty());

        HistoryStore store;
        QString error;
        QVERIFY(testutil::fails(store.open(path), &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!store.isOpen());
        QVERIFY(store.path().isEmpty());
        QVERIFY(testutil::fails(store.append(smallRecord(at(0))), &error));
        QVERIFY(testutil::fails(store.list(), &error)); // not open: a failure, not an empty history
        QVERIFY2(error.contains(u"not open"_s), qPrintable(error));
        QVERIFY(readBytes(path) == bytes);
        QVERIFY(!QFile::exists(path + u"-wal"_s));
        QVERIFY(!QFile::exists(path + u"-journal"_s));
    }

    void reportsUnusablePaths()
    {
        HistoryStore store;
        QString error;
        QVERIFY(testutil::fails(store.open(QString()), &error));
        QVERIFY2(!error.isEmpty(), qPrintable(error));

        const QString blocker = m_dir.filePath(u"plain-file"_s);
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString underFile = blocker + u"/history.sqlite"_s;
        QVERIFY(testutil::fails(store.open(underFile), &error));
        QVERIFY2(error.contains(underFile), qPrintable(error));

        QVERIFY(testutil::fails(store.open(m_dir.path()), &error)); // a folder
        QVERIFY2(error.contains(m_dir.path()), qPrintable(error));
        QVERIFY(!store.isOpen());
    }

    // Every call on a store that is not open (never opened, or its open failed) fails and
    // says so: an empty list or a missing record would look like an empty history.
    void failsWhenNotOpen_data()
    {
        QTest::addColumn<QString>("call");
        QTest::addColumn<bool>("openFailed");
        for (const char* call : {"append", "appendRollback", "markWritten", "discardPending", "pendingIds", "list", "load"}) {
            QTest::addRow("%s, never opened", call) << QString::fromLatin1(call) << false;
            QTest::addRow("%s, open failed", call) << QString::fromLatin1(call) << true;
        }
    }

    void failsWhenNotOpen()
    {
        QFETCH(QString, call);
        QFETCH(bool, openFailed);
        HistoryStore store;
        QString error;
        if (openFailed)
            QVERIFY(testutil::fails(store.open(m_dir.path()), &error)); // a folder
        HistoryRecord rollback = smallRecord(at(0), RunKind::Rollback);
        rollback.rollbackOf = 1;
        bool failed = false;
        if (call == u"append")
            failed = testutil::fails(store.append(smallRecord(at(0))), &error);
        else if (call == u"appendRollback")
            failed = testutil::fails(store.appendRollback(rollback), &error);
        else if (call == u"markWritten")
            failed = testutil::fails(store.markWritten(1), &error);
        else if (call == u"discardPending")
            failed = testutil::fails(store.discardPending(1), &error);
        else if (call == u"pendingIds")
            failed = testutil::fails(store.pendingIds(), &error);
        else if (call == u"list")
            failed = testutil::fails(store.list(), &error);
        else if (call == u"load")
            failed = testutil::fails(store.load(1), &error);
        else
            QFAIL(qPrintable(u"no such call: "_s + call));
        QVERIFY(failed);
        QVERIFY2(error.contains(u"not open"_s), qPrintable(error));
        QVERIFY2(error.endsWith(u'.'), qPrintable(error)); // a sentence, ready to show
    }

    // Asking for a record that is not there is a failure that names the record and the file,
    // not an empty answer.
    void loadOfMissingRecordFails_data()
    {
        QTest::addColumn<int>("records"); // appended first
        QTest::addColumn<qint64>("id");
        QTest::newRow("empty history") << 0 << qint64(1);
        QTest::newRow("after the last") << 2 << qint64(3);
        QTest::newRow("zero") << 2 << qint64(0);
        QTest::newRow("negative") << 2 << qint64(-4);
    }

    void loadOfMissingRecordFails()
    {
        QFETCH(int, records);
        QFETCH(qint64, id);
        const QString path = newPath();
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        for (int i = 0; i < records; ++i) {
            const auto added = store.append(smallRecord(at(i)));
            QVERIFY2(added, qPrintable(added.error()));
        }
        const Outcome<HistoryRecord> r = store.load(id);
        QVERIFY(!r);
        QCOMPARE(r.kind(), Failure::Kind::Error);
        QCOMPARE(r.error(), u"There is no record %1 in the history file %2."_s.arg(id).arg(path));
        // The store is fine: the records that are there still load.
        if (records > 0)
            QVERIFY2(store.load(1), qPrintable(store.load(1).error()));
    }

    // Outcome itself: success and failure, with and without a value.
    void outcomeOfVoid()
    {
        const auto succeed = []() -> Outcome<> { return {}; };
        const auto refuse = []() -> Outcome<> { return fail(u"No history file was given."_s); };
        const Outcome<> ok = succeed();
        QVERIFY(ok.ok());
        QVERIFY(static_cast<bool>(ok));
        QVERIFY(ok.error().isEmpty());
        QCOMPARE(ok.kind(), Failure::Kind::Error);
        QVERIFY(ok.failure().paths.isEmpty());
        const Outcome<> no = refuse();
        QVERIFY(!no.ok());
        QVERIFY(!no);
        QCOMPARE(no.error(), u"No history file was given."_s);
        QCOMPARE(no.kind(), Failure::Kind::Error);
        const Outcome<> changed = fail(Failure::Kind::TargetsChanged, u"changed"_s, {u"a.json"_s, u"b.json"_s});
        QCOMPARE(changed.kind(), Failure::Kind::TargetsChanged);
        QCOMPARE(changed.failure().paths, (QStringList{u"a.json"_s, u"b.json"_s}));
        QString error = u"stale"_s;
        QVERIFY(testutil::check(ok, &error));
        QVERIFY(error.isEmpty());
        QVERIFY(testutil::fails(changed, &error));
        QCOMPARE(error, u"changed"_s);
    }

    void outcomeOfValue()
    {
        Outcome<qint64> id = qint64(42);
        QVERIFY(id);
        QCOMPARE(*id, qint64(42));
        QCOMPARE(id.value(), qint64(42));
        QVERIFY(id.error().isEmpty());
        id = fail(Failure::Kind::DuplicateIds, u"twice"_s);
        QVERIFY(!id);
        QCOMPARE(id.kind(), Failure::Kind::DuplicateIds);
        QCOMPARE(id.error(), u"twice"_s);

        // A failure passes on to an Outcome of another type unchanged.
        const auto passOn = [](const Outcome<qint64>& from) -> Outcome<QString> {
            if (!from)
                return from.failure();
            return QString::number(*from);
        };
        QCOMPARE(passOn(qint64(7)).value(), u"7"_s);
        QCOMPARE(passOn(id).kind(), Failure::Kind::DuplicateIds);
        QCOMPARE(passOn(id).error(), u"twice"_s);

        // Success from what the value is made of; the value moves out of an rvalue.
        Outcome<std::optional<int>> none = std::nullopt;
        QVERIFY(none);
        QVERIFY(!none->has_value());
        Outcome<std::unique_ptr<QString>> owned = std::make_unique<QString>(u"moved"_s);
        QCOMPARE(owned->get()->size(), 5);
        const std::unique_ptr<QString> taken = std::move(owned).value();
        QCOMPARE(*taken, u"moved"_s);
        const Outcome<QStringList> list = QStringList{u"x"_s};
        QCOMPARE(list->size(), 1);
        QCOMPARE((*list).first(), u"x"_s);
    }

    void survivesKilledWriter()
    {
        const QString path = newPath();
        {
            HistoryStore create; // so the child does not race us on the schema
            QString error;
            QVERIFY2(testutil::check(create.open(path), &error), qPrintable(error));
        }

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kCrashWriterVariable), path);
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        QVERIFY2(child.waitForReadyRead(30000), qPrintable(QString::fromUtf8(child.readAllStandardError())));
        QTest::qWait(300); // mid-write, most likely
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray err = child.readAllStandardError();
        QVERIFY2(err.isEmpty(), err.constData());
        const qsizetype committed = child.readAllStandardOutput().count('\n');
        QVERIFY(committed >= 1);

        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(path), &error), qPrintable(error));
        QCOMPARE(Probe(path).value(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
        const QList<HistorySummary> list = store.list().value();
        QVERIFY2(list.size() >= committed, qPrintable(u"%1 rows, %2 committed"_s.arg(list.size()).arg(committed)));
        qInfo("%lld records committed before the kill, %lld in the file", qint64(committed), qint64(list.size()));
        for (const HistorySummary& s : list) {
            const auto r = store.load(s.id);
            QVERIFY2(r, qPrintable(u"record %1 does not load: %2"_s.arg(s.id).arg(r.error())));
            const int n = int(s.id); // the writer's n-th record has id n
            QCOMPARE(r->profile, u"crash-%1"_s.arg(n));
            const HistoryRecord expected = fullRecord(n, 96 * 1024 + n * 512);
            QVERIFY(r->localBefore == expected.localBefore);
            QVERIFY(r->serverBefore == expected.serverBefore);
            QVERIFY(r->localAfter == expected.localAfter);
            QVERIFY(r->serverAfter == expected.serverAfter);
            QCOMPARE(r->localAfterSha256, sha256(r->localAfter));
            QCOMPARE(r->serverAfterSha256, sha256(r->serverAfter));
        }

        // And it keeps working after the crash.
        QVERIFY2(testutil::check(store.append(smallRecord(at(0))), &error), qPrintable(error));
    }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kCrashWriterVariable))
        return runCrashWriter(qEnvironmentVariable(kCrashWriterVariable));
    TestHistoryStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_historystore.moc"
