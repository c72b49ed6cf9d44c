// SPDX-License-Identifier: MIT
// The seed's SyncMetrics and SyncHealth: counters, the running average, the health verdict
// and the count of pending local changes.
#include "builders.h"

#include "engine/fileio.h"
#include "engine/jsonwriter.h"
#include "engine/metrics.h"

#include <QObject>
#include <QTest>

#include <limits>
#include <string>

using namespace decksync;

namespace {

const Timestamp Now = testutil::ts("2024-06-08T12:00:00Z");

std::string metricsJson(const SyncMetrics& m)
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    writeMetrics(w, m);
    return out;
}

std::string healthJson(const SyncHealth& h)
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    writeHealth(w, h);
    return out;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    void counters();
    void runningAverage_data();
    void runningAverage();
    void metricsJsonForm();
    void assessHealth_data();
    void assessHealth();
    void healthCountsAreClamped();
    void healthJsonForm();
    void countPendingChanges_data();
    void countPendingChanges();
};

void TestMetrics::counters()
{
    SyncMetrics m;
    QCOMPARE(metricsJson(m),
             std::string(R"({"total_syncs":0,"successful_syncs":0,"failed_syncs":0,"conflicts_resolved":0,)"
                         R"("last_sync_duration_ms":0,"avg_sync_duration_ms":0.0,"data_transferred_bytes":0})"));
    m.recordSuccess(100, 1000, 2);
    m.recordFailure(300, 50);
    m.recordSuccess(200, 0, 1);
    QCOMPARE(m.total_syncs, std::int64_t(3));
    QCOMPARE(m.successful_syncs, std::int64_t(2));
    QCOMPARE(m.failed_syncs, std::int64_t(1));
    QCOMPARE(m.conflicts_resolved, std::int64_t(3)); // failures resolve nothing
    QCOMPARE(m.last_sync_duration_ms, std::int64_t(200));
    QCOMPARE(m.avg_sync_duration_ms, 200.0);
    QCOMPARE(m.data_transferred_bytes, std::int64_t(1050)); // failures still moved bytes
}

void TestMetrics::runningAverage_data()
{
    QTest::addColumn<std::vector<qint64>>("durations");
    QTest::addColumn<double>("average");

    QTest::newRow("one") << std::vector<qint64>{120} << 120.0;
    QTest::newRow("two") << std::vector<qint64>{1, 2} << 1.5;
    QTest::newRow("four") << std::vector<qint64>{10, 20, 30, 40} << 25.0;
    QTest::newRow("thirds") << std::vector<qint64>{1, 1, 2} << 4.0 / 3.0;
    QTest::newRow("zeros") << std::vector<qint64>{0, 0, 0} << 0.0;
    // A sum of these would overflow an int64; the running mean does not.
    QTest::newRow("huge durations") << std::vector<qint64>{std::numeric_limits<qint64>::max(),
                                                           std::numeric_limits<qint64>::max()}
                                    << double(std::numeric_limits<qint64>::max());
}

void TestMetrics::runningAverage()
{
    QFETCH(std::vector<qint64>, durations);
    QFETCH(double, average);

    SyncMetrics m;
    for (std::size_t i = 0; i < durations.size(); ++i) {
        if (i % 2 == 0)
            m.recordSuccess(durations[i], 0, 0);
        else
            m.recordFailure(durations[i], 0);
    }
    QCOMPARE(m.avg_sync_duration_ms, average);
    QCOMPARE(m.total_syncs, std::int64_t(durations.size()));
    QCOMPARE(m.last_sync_duration_ms, std::int64_t(durations.back()));
}

void TestMetrics::metricsJsonForm()
{
    SyncMetrics m;
    m.recordSuccess(1, 10, 0);
    m.recordSuccess(2, 20, 4);
    QCOMPARE(metricsJson(m),
             std::string(R"({"total_syncs":2,"successful_syncs":2,"failed_syncs":0,"conflicts_resolved":4,)"
                         R"("last_sync_duration_ms":2,"avg_sync_duration_ms":1.5,"data_transferred_bytes":30})"));
}

void TestMetrics::assessHealth_data()
{
    QTest::addColumn<std::optional<Timestamp>>("lastSuccess");
    QTest::addColumn<std::optional<Timestamp>>("lastFailure");
    QTest::addColumn<std::optional<std::string>>("lastError");
    QTest::addColumn<qint64>("pending");
    QTest::addColumn<qint64>("conflicts");
    QTest::addColumn<SyncHealthStatus>("status");
    QTest::addColumn<std::optional<std::string>>("message");

    using OT = std::optional<Timestamp>;
    using OS = std::optional<std::string>;
    const OT recent = testutil::ts("2024-06-08T11:00:00Z");
    const OT earlier = testutil::ts("2024-06-08T10:00:00Z");

    QTest::newRow("healthy") << recent << OT() << OS() << qint64(0) << qint64(0) << SyncHealthStatus::Healthy << OS();
    QTest::newRow("failure before the last success") << recent << earlier << OS("timeout") << qint64(0) << qint64(0)
                                                     << SyncHealthStatus::Healthy << OS();
    QTest::newRow("pending changes") << recent << OT() << OS() << qint64(3) << qint64(0) << SyncHealthStatus::Warning
                                     << OS();
    QTest::newRow("unresolved conflicts") << recent << OT() << OS() << qint64(0) << qint64(2)
                                          << SyncHealthStatus::Warning << OS();
    QTest::newRow("last attempt failed") << earlier << recent << OS("HTTP 500 from /sync/decks") << qint64(0) << qint64(0)
                                         << SyncHealthStatus::Error << OS("HTTP 500 from /sync/decks");
    QTest::newRow("last attempt failed without a message") << earlier << recent << OS() << qint64(5) << qint64(0)
                                                           << SyncHealthStatus::Error << OS("the last sync failed");
    QTest::newRow("failed and never succeeded") << OT() << recent << OS("no network") << qint64(0) << qint64(0)
                                                << SyncHealthStatus::Error << OS("no network");
    QTest::newRow("never synced") << OT() << OT() << OS() << qint64(4) << qint64(0) << SyncHealthStatus::Offline
                                  << OS("never synced");
    QTest::newRow("no success for more than a week")
        << OT(Now.addSeconds(-7 * 24 * 3600 - 1)) << OT() << OS() << qint64(0) << qint64(0) << SyncHealthStatus::Offline
        << OS("no successful sync since 2024-06-01T11:59:59Z");
    QTest::newRow("exactly a week ago is still online")
        << OT(Now.addSeconds(-7 * 24 * 3600)) << OT() << OS() << qint64(0) << qint64(0) << SyncHealthStatus::Healthy << OS();
}

void TestMetrics::assessHealth()
{
    QFETCH(std::optional<Timestamp>, lastSuccess);
    QFETCH(std::optional<Timestamp>, lastFailure);
    QFETCH(std::optional<std::string>, lastError);
    QFETCH(qint64, pending);
    QFETCH(qint64, conflicts);
    QFETCH(SyncHealthStatus, status);
    QFETCH(std::optional<std::string>, message);

    HealthInputs in;
    in.lastSuccessfulSync = lastSuccess;
    in.lastFailure = lastFailure;
    in.lastError = lastError;
    in.pendingChanges = pending;
    in.unresolvedConflicts = conflicts;
    const SyncHealth h = decksync::assessHealth(in, Now);
    QCOMPARE(std::string(healthStatusName(h.status)), std::string(healthStatusName(status)));
    QCOMPARE(h.error_message, message);
    QCOMPARE(h.last_successful_sync, lastSuccess);
    QCOMPARE(qint64(h.pending_changes), pending);
    QCOMPARE(qint64(h.conflict_count), conflicts);
}

void TestMetrics::healthCountsAreClamped()
{
    HealthInputs in;
    in.lastSuccessfulSync = Now;
    in.pendingChanges = std::int64_t(1) << 40;
    in.unresolvedConflicts = 7;
    const SyncHealth h = decksync::assessHealth(in, Now, 60);
    QCOMPARE(h.pending_changes, std::numeric_limits<std::int32_t>::max());
    QCOMPARE(h.conflict_count, std::int32_t(7));
    QCOMPARE(h.status, SyncHealthStatus::Warning);

    // A custom offline threshold.
    in.lastSuccessfulSync = Now.addSeconds(-61);
    QCOMPARE(decksync::assessHealth(in, Now, 60).status, SyncHealthStatus::Offline);
}

void TestMetrics::healthJsonForm()
{
    HealthInputs in;
    in.lastSuccessfulSync = testutil::ts("2024-06-08T11:00:00Z");
    in.pendingChanges = 2;
    QCOMPARE(healthJson(decksync::assessHealth(in, Now)),
             std::string(R"({"status":"Warning","last_successful_sync":"2024-06-08T11:00:00Z","pending_changes":2,)"
                         R"("conflict_count":0,"error_message":null})"));
    QCOMPARE(healthJson(decksync::assessHealth(HealthInputs{}, Now)),
             std::string(R"({"status":"Offline","last_successful_sync":null,"pending_changes":0,"conflict_count":0,)"
                         R"("error_message":"never synced"})"));
    QCOMPARE(std::string(healthStatusName(SyncHealthStatus::Healthy)), std::string("Healthy"));
    QCOMPARE(std::string(healthStatusName(SyncHealthStatus::Error)), std::string("Error"));
}

void TestMetrics::countPendingChanges_data()
{
    QTest::addColumn<std::optional<Timestamp>>("lastSync");
    QTest::addColumn<qint64>("pending");

    // local.json: 6 of 7 decks, 3 achievements, 3 progress, 3 of 4 starred and the
    // preferences changed after its last_sync (2024-06-01T08:00:00Z).
    QTest::newRow("since the sample's last_sync") << std::optional<Timestamp>(testutil::ts("2024-06-01T08:00:00Z"))
                                                  << qint64(16);
    QTest::newRow("never synced: everything") << std::optional<Timestamp>() << qint64(18);
    QTest::newRow("since 10:30: decks, achievement, progress") << std::optional<Timestamp>(testutil::ts("2024-06-01T10:30:00Z"))
                                                               << qint64(5);
    QTest::newRow("since the future: nothing") << std::optional<Timestamp>(testutil::ts("2024-07-01T00:00:00Z"))
                                               << qint64(0);
}

void TestMetrics::countPendingChanges()
{
    QFETCH(std::optional<Timestamp>, lastSync);
    QFETCH(qint64, pending);

    Decoded<Dataset> local = loadDatasetFile(testutil::samplePath("local.json"));
    QVERIFY(local.ok());
    local.value().last_sync = lastSync;
    QCOMPARE(qint64(decksync::countPendingChanges(local.value())), pending);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
