// SPDX-License-Identifier: MIT
// The inspector's lanes of work: JobTracker (reads supersede reads), WriteLane (writes run one
// at a time, in order, and are never dropped) and Operations (the state actions bind to).
#include "app/services/operations.h"

#include "engine/progress.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

/// Work that runs until released (or cancelled), so a test decides when a job ends.
struct Gate {
    std::atomic<bool> open{false};
    int wait(JobProgress& progress) const
    {
        while (!open.load()) {
            if (progress.isCancelled())
                throw decksync::OperationCancelled{};
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return 1;
    }
};

} // namespace

class TestOperations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void trackerDeliversResult();
    void newerReadSupersedesOlder();
    void cancelDropsResult_data();
    void cancelDropsResult();
    void deadReceiverGetsNothing();
    void writesRunInOrderAndAreNeverDropped();
    void ticketReleasedByItsLastCopy();
    void finishEndsEarlyOnce();
    void readDuringWriteWaitsForIt();
    void nextWriteStartsFromTheEventLoop();
    void whenNoWriteWaitsAndNewestWins();
    void stateFollowsBothLanes();
};

void TestOperations::trackerDeliversResult()
{
    JobTracker tracker;
    QSignalSpy running(&tracker, &JobTracker::runningChanged);
    int got = 0;
    tracker.start(u"answer"_s, this, [](JobProgress& p) { p.setProgress(0.5); return 42; }, [&](int v) { got = v; });
    QVERIFY(tracker.isRunning());
    QCOMPARE(tracker.title(), u"answer"_s);
    QTRY_COMPARE(got, 42);
    QVERIFY(!tracker.isRunning());
    QCOMPARE(running.count(), 2);
    QCOMPARE(running.at(1).at(0).toBool(), false);
}

void TestOperations::newerReadSupersedesOlder()
{
    JobTracker tracker;
    Gate first;
    QStringList delivered;
    tracker.start(u"first"_s, this, [&](JobProgress& p) { return first.wait(p); }, [&](int) { delivered << u"first"_s; });
    tracker.start(u"second"_s, this, [](JobProgress&) { return 2; }, [&](int) { delivered << u"second"_s; });
    QTRY_COMPARE(delivered, QStringList{u"second"_s});
    first.open = true; // the older job was told to stop; whatever it returns is dropped
    tracker.waitForDone();
    QTest::qWait(20);
    QCOMPARE(delivered, QStringList{u"second"_s});
    QVERIFY(!tracker.isRunning());
}

void TestOperations::cancelDropsResult_data()
{
    QTest::addColumn<bool>("throws"); // the work throws OperationCancelled, or returns anyway
    QTest::newRow("throws OperationCancelled") << true;
    QTest::newRow("returns after cancel") << false;
}

void TestOperations::cancelDropsResult()
{
    QFETCH(bool, throws);
    JobTracker tracker;
    QSignalSpy cancelled(&tracker, &JobTracker::cancelled);
    std::atomic<bool> started{false};
    bool delivered = false;
    tracker.start(
        u"cancel me"_s, this,
        [&, throws](JobProgress& p) {
            started = true;
            while (!p.isCancelled())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (throws)
                throw decksync::OperationCancelled{};
            return 7;
        },
        [&](int) { delivered = true; });
    QTRY_VERIFY(started.load());
    tracker.cancel();
    QVERIFY(cancelled.wait(5000));
    QVERIFY(!delivered);
    QVERIFY(!tracker.isRunning());
}

void TestOperations::deadReceiverGetsNothing()
{
    JobTracker tracker;
    bool delivered = false;
    auto* receiver = new QObject;
    tracker.start(u"orphan"_s, receiver, [](JobProgress&) { return 1; }, [&](int) { delivered = true; });
    delete receiver;
    tracker.waitForDone();
    QTRY_VERIFY(!tracker.isRunning());
    QVERIFY(!delivered);
}

void TestOperations::writesRunInOrderAndAreNeverDropped()
{
    WriteLane lane;
    QSignalSpy finished(&lane, &WriteLane::finished);
    QStringList log;
    Gate gate;
    // The first write holds the lane on the pool; the others queue behind it.
    lane.enqueue(u"one"_s, [&](WriteTicket t) {
        log << u"one starts"_s;
        t.run([&](JobProgress& p) { return gate.wait(p); }, [&](int) { log << u"one done"_s; });
    });
    for (const QString& name : {u"two"_s, u"three"_s})
        lane.enqueue(name, [&log, name](WriteTicket t) {
            log << name + u" starts"_s;
            t.run([](JobProgress&) { return 0; }, [&log, name](int) { log << name + u" done"_s; });
        });
    QVERIFY(lane.isBusy());
    QCOMPARE(lane.queued(), 2);
    QCOMPARE(log, QStringList{u"one starts"_s});
    gate.open = true;
    QTRY_COMPARE(finished.count(), 3);
    QCOMPARE(log, (QStringList{u"one starts"_s, u"one done"_s, u"two starts"_s, u"two done"_s, u"three starts"_s,
                               u"three done"_s}));
    QCOMPARE(finished.at(0).at(0).toString(), u"one"_s);
    QCOMPARE(finished.at(2).at(0).toString(), u"three"_s);
    QVERIFY(!lane.isBusy());
}

void TestOperations::ticketReleasedByItsLastCopy()
{
    WriteLane lane;
    QSignalSpy busy(&lane, &WriteLane::busyChanged);
    WriteTicket kept;
    bool secondRan = false;
    lane.enqueue(u"held"_s, [&](WriteTicket t) { kept = t; });
    lane.enqueue(u"next"_s, [&](WriteTicket) { secondRan = true; });
    QTest::qWait(20);
    QVERIFY(lane.isBusy());
    QVERIFY(!secondRan); // the first write still holds the lane through its ticket
    kept = WriteTicket();  // its last copy is gone: it is over
    QTRY_VERIFY(secondRan);
    QTRY_VERIFY(!lane.isBusy());
    QCOMPARE(busy.count(), 2); // busy once for both writes, then idle
}

void TestOperations::finishEndsEarlyOnce()
{
    WriteLane lane;
    QSignalSpy finished(&lane, &WriteLane::finished);
    WriteTicket kept;
    QSignalSpy phases(&lane, &WriteLane::phaseChanged);
    lane.enqueue(u"push"_s, [&](WriteTicket t) {
        t.setPhase(OperationState::Pushing);
        kept = t;
    });
    QCOMPARE(lane.phase(), OperationState::Pushing);
    kept.finish();
    QCOMPARE(finished.count(), 1);
    QVERIFY(!lane.isBusy());
    kept.setPhase(OperationState::Writing); // a finished ticket changes nothing
    kept = WriteTicket();
    QTest::qWait(20);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(lane.phase(), OperationState::Idle);
    QCOMPARE(phases.count(), 3); // Writing, Pushing, Idle
}

void TestOperations::readDuringWriteWaitsForIt()
{
    Operations ops;
    QStringList log;
    WriteTicket kept;
    ops.write(u"apply"_s, [&](WriteTicket t) {
        log << u"write"_s;
        kept = t;
    });
    ops.read(u"older read"_s, this, [](JobProgress&) { return 1; }, [&](int) { log << u"older read"_s; });
    ops.read(u"newer read"_s, this, [](JobProgress&) { return 2; }, [&](int) { log << u"newer read"_s; });
    QCOMPARE(ops.state(), OperationState::Writing);
    QTest::qWait(30);
    QCOMPARE(log, QStringList{u"write"_s}); // the reads wait for the write
    kept = WriteTicket();
    QTRY_COMPARE(log, (QStringList{u"write"_s, u"newer read"_s})); // the newest read runs after it
    QTRY_COMPARE(ops.state(), OperationState::Idle);
}

void TestOperations::nextWriteStartsFromTheEventLoop()
{
    // A write that ends inside its own code (finish() in a signal handler, say) does not run
    // the next write inside that code.
    WriteLane lane;
    QStringList log;
    WriteTicket kept;
    lane.enqueue(u"first"_s, [&](WriteTicket t) { kept = t; });
    lane.enqueue(u"second"_s, [&](WriteTicket) { log << u"second starts"_s; });
    kept.finish();
    log << u"first finished"_s;
    QCOMPARE(log, QStringList{u"first finished"_s});
    QTRY_COMPARE(log, (QStringList{u"first finished"_s, u"second starts"_s}));
    QTRY_VERIFY(!lane.isBusy());
}

void TestOperations::whenNoWriteWaitsAndNewestWins()
{
    Operations ops;
    QStringList log;
    ops.whenNoWrite([&] { log << u"at once"_s; });
    QCOMPARE(log, QStringList{u"at once"_s});
    WriteTicket kept;
    ops.write(u"push"_s, [&](WriteTicket t) { kept = t; });
    ops.whenNoWrite([&] { log << u"older fetch"_s; });
    ops.whenNoWrite([&] { log << u"newer fetch"_s; });
    QCOMPARE(ops.state(), OperationState::Writing);
    kept = WriteTicket();
    QTRY_COMPARE(log, (QStringList{u"at once"_s, u"newer fetch"_s}));
    QTRY_COMPARE(ops.state(), OperationState::Idle);
}

void TestOperations::stateFollowsBothLanes()
{
    Operations ops;
    QSignalSpy states(&ops, &Operations::stateChanged);
    Gate read;
    ops.read(u"load"_s, this, [&](JobProgress& p) { return read.wait(p); }, [](int) {});
    QCOMPARE(ops.state(), OperationState::Loading);
    WriteTicket kept;
    ops.write(u"apply"_s, [&](WriteTicket t) {
        t.setPhase(OperationState::Pushing);
        kept = t;
    });
    QCOMPARE(ops.state(), OperationState::Pushing);
    QCOMPARE(ops.title(), u"apply"_s);
    kept.setPhase(OperationState::Writing);
    QCOMPARE(ops.state(), OperationState::Writing);
    kept = WriteTicket();
    QTRY_COMPARE(ops.state(), OperationState::Loading); // the read still runs
    read.open = true;
    QTRY_COMPARE(ops.state(), OperationState::Idle);
    QList<OperationState> seen;
    for (const QList<QVariant>& s : std::as_const(states))
        seen << s.at(0).value<OperationState>();
    QCOMPARE(seen, (QList<OperationState>{OperationState::Loading, OperationState::Writing, OperationState::Pushing,
                                          OperationState::Writing, OperationState::Loading, OperationState::Idle}));
}

QTEST_GUILESS_MAIN(TestOperations)
#include "tst_operations.moc"
