// SPDX-License-Identifier: MIT
// The inspector killed in the middle of Apply (SIGKILL, in a bounded loop). A child process runs
// the inspector's own services (InspectorSession, SessionStore, the history) and applies one
// sync after another; the test kills it at random moments, then runs what the inspector runs
// at start (finishInterruptedWrites) and checks:
// - the history file passes integrity_check, every record loads and none stays pending;
// - both output files hold exactly what the newest record wrote (never one file of one run and
//   one of another, never half a file), and no temporary file is left beside them;
// - the saved session holds the resolutions of an Apply that was interrupted.
#include "sqliteprobe.h"
#include "outcomecheck.h"
#include "testutil.h"

#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/sessionstore.h"
#include "app/services/writerecovery.h"
#include "engine/syncsnapshot.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

constexpr char kChildVariable[] = "DECKSYNC_APPLY_CRASH_DIR";

void say(const char* what, int n)
{
    std::printf("%s %d\n", what, n);
    std::fflush(stdout);
}

/// The child: loads in-local.json and in-server.json from `dir`, takes every conflict as the
/// device's and applies to local.json and server.json, with a clock one second later each
/// time (so every run writes different bytes), until it is killed.
int runApplyLoop(const QString& dir)
{
#ifdef Q_OS_LINUX
    prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive the test
#endif
    InspectorSession session;
    session.setHistoryPath(dir + u"/history.sqlite"_s);
    SessionStore store(&session, dir + u"/session.json"_s);
    QSignalSpy loaded(&session, &InspectorSession::snapshotChanged);
    QSignalSpy applied(&session, &InspectorSession::applied);
    QSignalSpy failed(&session, &InspectorSession::applyFailed);
    QSignalSpy loadFailed(&session, &InspectorSession::loadFailed);
    for (int n = 1; n < 100000; ++n) {
        session.setFixedNow(Timestamp::fromCivil(2024, 6, 10, 0, 0, 0).addSeconds(n));
        session.load(dir + u"/in-local.json"_s, dir + u"/in-server.json"_s);
        if (!loaded.wait(60000) || !loadFailed.isEmpty())
            return 1;
        for (DataType type : AllDataTypes) {
            std::vector<Uuid> conflicts;
            for (const ItemRow& row : session.snapshot()->view(type).rows()) {
                if (row.status == ItemStatus::Conflict)
                    conflicts.push_back(row.id);
            }
            session.resolveMany(type, conflicts, Side::Local, u"keep the device's"_s);
        }
        say("applying", n); // the session is saved from here on (applyStarted)
        session.apply(dir + u"/server.json"_s, dir + u"/local.json"_s);
        if (!applied.wait(60000) || !failed.isEmpty()) {
            std::fprintf(stderr, "apply %d failed: %s\n", n,
                         failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
            return 1;
        }
        say("applied", n);
        loaded.clear();
        if (!loaded.wait(60000)) // the written files are loaded again
            return 1;
        loaded.clear();
    }
    return 2; // the test should have killed us long ago
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray sha256(const QByteArray& bytes) { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256); }

/// The record a kill leaves: a run, pending, that writes "after" over "before" in the
/// local.json and server.json of `dir` (both of which existed); with `remoteKind` 1 the server
/// side is a live server with its revision, with 2 a live server's URL without one.
HistoryRecord pendingRecord(const QTemporaryDir& dir, int remoteKind = 0)
{
    HistoryRecord r;
    r.recordedAt = QDateTime::currentDateTimeUtc();
    r.kind = RunKind::Sync;
    r.localSource = dir.filePath(u"local.json"_s);
    r.serverSource = remoteKind != 0 ? u"https://sync.example.org/data"_s : dir.filePath(u"server.json"_s);
    r.serverRevisionAfter = remoteKind == 1 ? 7 : -1;
    r.localBefore = "{\"local\": \"before\"}\n";
    r.serverBefore = "{\"server\": \"before\"}\n";
    r.localAfter = "{\"local\": \"after\"}\n";
    r.serverAfter = "{\"server\": \"after\"}\n";
    r.localAfterSha256 = sha256(r.localAfter);
    r.serverAfterSha256 = sha256(r.serverAfter);
    r.localPriorSha256 = sha256(r.localBefore);
    r.serverPriorSha256 = sha256(r.serverBefore);
    r.pending = true;
    return r;
}

} // namespace

class TestApplyCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedMidApplyLosesNothing();
    void recovery_data();
    void recovery();
    void supersededRecordIsRetired();
};

void TestApplyCrash::killedMidApplyLosesNothing()
{
    QTemporaryDir dir;
    QProcess gen;
    gen.start(QStringLiteral(DECKSYNC_GEN_PATH), {u"--out-local"_s, dir.filePath(u"in-local.json"_s), u"--out-server"_s,
                                                  dir.filePath(u"in-server.json"_s), u"--items"_s, u"2000"_s});
    QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
    const QString history = dir.filePath(u"history.sqlite"_s);

    QRandomGenerator random(11); // fixed: the same kill times on every run
    int killedWhileApplying = 0;
    int lastApplied = 0;
    int finished = 0; ///< interrupted writes that the recovery finished
    constexpr int Rounds = 16;
    for (int round = 0; round < Rounds; ++round) {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kChildVariable), dir.path());
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        // Kill it at a random moment once it is applying.
        QString lastLine;
        QTRY_VERIFY_WITH_TIMEOUT((lastLine = QString::fromUtf8(child.peek(1 << 20)).trimmed().section(u'\n', -1))
                                     .startsWith(u"applying"_s),
                                 60000);
        QTest::qWait(static_cast<int>(random.bounded(20, 900)));
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QStringList lines = QString::fromUtf8(child.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        const QByteArray err = child.readAllStandardError();
        QVERIFY2(!err.contains("failed"), err.constData());
        QVERIFY(!lines.isEmpty());
        const bool applying = lines.last().startsWith(u"applying"_s);
        killedWhileApplying += applying ? 1 : 0;
        for (const QString& l : lines) {
            if (l.startsWith(u"applied"_s))
                ++lastApplied;
        }

        // What the inspector does at start.
        const Outcome<RecoveryReport> recovered = finishInterruptedWrites(history, std::chrono::seconds(0));
        QVERIFY2(recovered, qPrintable(u"error [%1]"_s.arg(recovered.error())));
        const RecoveryReport& report = *recovered;
        QVERIFY2(report.leftAlone.isEmpty(), qPrintable(u"left alone [%1]"_s.arg(report.leftAlone.join(u" | "_s))));
        finished += int(report.finished.size());

        QCOMPARE(sqliteIntegrity(history), u"ok"_s);
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(history), &error), qPrintable(error));
        QVERIFY(store.pendingIds().value().isEmpty());
        const QList<HistorySummary> runs = store.list().value();
        QVERIFY2(runs.size() >= lastApplied, qPrintable(u"%1 records, %2 applied"_s.arg(runs.size()).arg(lastApplied)));
        for (const HistorySummary& s : runs) {
            const auto loaded = store.load(s.id);
            QVERIFY2(loaded, qPrintable(u"record %1 does not load: %2"_s.arg(s.id).arg(loaded.error())));
        }
        if (runs.isEmpty()) { // killed before the first record: nothing was written
            QVERIFY(!QFile::exists(dir.filePath(u"server.json"_s)));
            QVERIFY(!QFile::exists(dir.filePath(u"local.json"_s)));
            continue;
        }
        const Outcome<HistoryRecord> newest = store.load(runs.first().id);
        QVERIFY2(newest, qPrintable(newest.error()));
        QCOMPARE(sha256(readAll(dir.filePath(u"server.json"_s))), newest->serverAfterSha256);
        QCOMPARE(sha256(readAll(dir.filePath(u"local.json"_s))), newest->localAfterSha256);
        const QStringList temporaries =
            QDir(dir.path()).entryList({u"local.json.decksync-tmp-*"_s, u"server.json.decksync-tmp-*"_s}, QDir::Files | QDir::Hidden);
        QVERIFY2(temporaries.isEmpty(), qPrintable(temporaries.join(u", "_s)));

        // The session: readable, and it holds the resolutions of the Apply that was cut short.
        InspectorSession probe;
        SessionStore saved(&probe, dir.filePath(u"session.json"_s));
        const Outcome<std::optional<SessionState>> state = saved.load();
        QVERIFY2(state, qPrintable(state.error()));
        QVERIFY(state->has_value());
        if (applying)
            QVERIFY(!(*state)->resolutions.empty());
    }
    qInfo("%d kills, %d while applying, %d between the history record and the last rename (finished at the next "
          "start); %d applies completed before the kills",
          Rounds, killedWhileApplying, finished, lastApplied);
    QVERIFY(killedWhileApplying > 0);
}

void TestApplyCrash::recovery_data()
{
    // What each file holds when the next start finds the record pending: "before" (what it held
    // just before the write), "after", "missing" (then and now), "deleted" (since) or "edited"
    // (changed by someone since).
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("local");
    /// 0: files; 1: a live server with its revision; 2: a live server's URL without a revision.
    /// With a live server only the local file is ours.
    QTest::addColumn<int>("remoteKind");
    QTest::addColumn<bool>("finished");
    QTest::newRow("killed before the first rename") << u"before"_s << u"before"_s << 0 << true;
    QTest::newRow("killed between the renames") << u"after"_s << u"before"_s << 0 << true;
    QTest::newRow("killed before the mark") << u"after"_s << u"after"_s << 0 << true;
    QTest::newRow("new output files") << u"missing"_s << u"missing"_s << 0 << true;
    QTest::newRow("local edited since") << u"after"_s << u"edited"_s << 0 << false;
    QTest::newRow("server edited since") << u"edited"_s << u"before"_s << 0 << false;
    QTest::newRow("local deleted since") << u"after"_s << u"deleted"_s << 0 << false;
    QTest::newRow("remote, killed before the rename") << u"missing"_s << u"before"_s << 1 << true;
    QTest::newRow("remote, local edited since") << u"missing"_s << u"edited"_s << 1 << false;
    QTest::newRow("remote without a revision") << u"missing"_s << u"before"_s << 2 << true;
}

// Every moment a kill can leave a pending record in: the files that hold the before-state (or
// are missing) get the after-state; a file someone changed since stops the whole record,
// which stays pending and untouched. Stale temporaries beside the targets go.
void TestApplyCrash::recovery()
{
    QFETCH(QString, server);
    QFETCH(QString, local);
    QFETCH(int, remoteKind);
    QFETCH(bool, finished);
    const bool remote = remoteKind != 0;
    QTemporaryDir dir;
    const QString history = dir.filePath(u"history.sqlite"_s);
    HistoryRecord r = pendingRecord(dir, remoteKind);
    if (local == u"missing"_s) // then as now
        r.localPriorSha256.clear();
    if (server == u"missing"_s)
        r.serverPriorSha256.clear();
    qint64 id = 0;
    {
        HistoryStore store;
        QString error;
        QVERIFY2(testutil::check(store.open(history), &error), qPrintable(error));
        const auto added = store.append(r);
        QVERIFY2(added, qPrintable(added.error()));
        id = *added;
    }
    const QByteArray edited = "{\"edited\": true}\n";
    auto put = [&](const QString& path, const QString& state, const QByteArray& before, const QByteArray& after) {
        if (state == u"missing"_s || state == u"deleted"_s)
            return true;
        QFile f(path);
        const QByteArray bytes = state == u"before"_s ? before : state == u"after"_s ? after : edited;
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    if (!remote)
        QVERIFY(put(r.serverSource, server, r.serverBefore, r.serverAfter));
    QVERIFY(put(r.localSource, local, r.localBefore, r.localAfter));
    QVERIFY(put(r.localSource + u".decksync-tmp-Ab12Cd"_s, u"edited"_s, {}, {})); // left by the killed writer
    const QByteArray localBytes = readAll(r.localSource);
    const QByteArray serverBytes = remote ? QByteArray() : readAll(r.serverSource);

    const Outcome<RecoveryReport> recovered = finishInterruptedWrites(history, std::chrono::seconds(0));
    QVERIFY2(recovered, qPrintable(recovered.error()));
    const RecoveryReport& report = *recovered;
    QCOMPARE(report.finished.size(), finished ? 1 : 0);
    QCOMPARE(report.leftAlone.size(), finished ? 0 : 1);
    if (finished) {
        QCOMPARE(readAll(r.localSource), r.localAfter);
        if (!remote)
            QCOMPARE(readAll(r.serverSource), r.serverAfter);
    } else {
        QVERIFY2(report.leftAlone.first().contains(local == u"edited"_s || local == u"deleted"_s ? r.localSource
                                                                                                 : r.serverSource),
                 qPrintable(report.leftAlone.first()));
        QCOMPARE(readAll(r.localSource), localBytes);
        if (!remote)
            QCOMPARE(readAll(r.serverSource), serverBytes);
    }
    QCOMPARE(QDir(dir.path()).entryList({u"*.decksync-tmp-*"_s}, QDir::Files | QDir::Hidden), QStringList());
    const int present = (remote || server == u"deleted"_s ? 0 : 1) + (local == u"deleted"_s && !finished ? 0 : 1);
    QCOMPARE(QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files).size(), present); // no file named after a URL
    HistoryStore store;
    QString error;
    QVERIFY2(testutil::check(store.open(history), &error), qPrintable(error));
    QCOMPARE(store.pendingIds().value(), finished ? QList<qint64>() : QList<qint64>{id});
    // A second start finds nothing more to do (or the same edited file to report).
    const Outcome<RecoveryReport> again = finishInterruptedWrites(history, std::chrono::seconds(0));
    QVERIFY2(again, qPrintable(again.error()));
    QCOMPARE(again->finished.size(), 0);
    QCOMPARE(again->leftAlone.size(), finished ? 0 : 1);
}

// A pending record whose files a later run wrote since is retired without touching them:
// bringing a file back to its before-state must not make an old record overwrite it later.
void TestApplyCrash::supersededRecordIsRetired()
{
    QTemporaryDir dir;
    const QString history = dir.filePath(u"history.sqlite"_s);
    const HistoryRecord r = pendingRecord(dir);
    HistoryStore store;
    QString error;
    QVERIFY2(testutil::check(store.open(history), &error), qPrintable(error));
    const auto stale = store.append(r);
    QVERIFY2(stale, qPrintable(stale.error()));
    HistoryRecord later = r;
    later.pending = false;
    later.recordedAt = r.recordedAt.addSecs(60);
    QVERIFY2(testutil::check(store.append(later), &error), qPrintable(error));
    // Both files back in the stale record's prior state: it would roll them forward.
    for (const auto& [path, bytes] : {std::pair{r.localSource, r.localBefore}, std::pair{r.serverSource, r.serverBefore}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    const Outcome<RecoveryReport> report = finishInterruptedWrites(history, std::chrono::seconds(0));
    QVERIFY2(report, qPrintable(report.error()));
    QCOMPARE(report->finished.size(), 1);
    QVERIFY2(report->finished.first().contains(u"nothing written"_s), qPrintable(report->finished.first()));
    QCOMPARE(readAll(r.localSource), r.localBefore);
    QCOMPARE(readAll(r.serverSource), r.serverBefore);
    QVERIFY(store.pendingIds().value().isEmpty());
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable))
        return runApplyLoop(qEnvironmentVariable(kChildVariable));
    TestApplyCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_applycrash.moc"
