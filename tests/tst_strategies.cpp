// SPDX-License-Identifier: MIT
// The seed's ConflictAnalyzer and the five merge strategies, one rule at a time, plus the
// seed's own two tests ported with the same values.
#include "builders.h"

#include "engine/conflictanalyzer.h"
#include "engine/strategies.h"
#include "engine/syncengine.h"

#include <QObject>
#include <QTest>

#include <limits>
#include <string>

using namespace decksync;
using namespace builders;

namespace {

constexpr std::int64_t Int64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t Int64Min = std::numeric_limits<std::int64_t>::min();

const Timestamp Now = testutil::ts("2024-06-01T12:00:00Z");

MergeContext context(std::vector<Diagnostic>* diagnostics, std::optional<Timestamp> lastSync = std::nullopt)
{
    return MergeContext{Now, lastSync, diagnostics};
}

} // namespace

class TestStrategies : public QObject {
    Q_OBJECT

private slots:
    // The seed's tests (backend/src/sync/tests.rs), same values.
    void testDeckConflictResolution();
    void testProgressMerging();

    void versionAnalyzer_data();
    void versionAnalyzer();
    void timestampAnalyzer_data();
    void timestampAnalyzer();
    void analyzerOnPreferences();

    void deckStrategy_data();
    void deckStrategy();
    void deckMergeItems_data();
    void deckMergeItems();
    void achievementStrategy_data();
    void achievementStrategy();
    void progressStrategy();
    void progressMergeItems();
    void progressMergeOverflow_data();
    void progressMergeOverflow();
    void progressDoubleCount_data();
    void progressDoubleCount();
    void starredStrategy_data();
    void starredStrategy();
    void preferencesStrategy_data();
    void preferencesStrategy();
    void preferencesMergeLanguage_data();
    void preferencesMergeLanguage();
    void preferencesMergeVersionOverflow();
    void reportWithoutSink();
    void checkedAdd_data();
    void checkedAdd();
};

// ---- the seed's tests ------------------------------------------------------------------------

void TestStrategies::testDeckConflictResolution()
{
    // Rust: `let now = Utc::now();` — here a fixed instant, also used as the engine's clock.
    const Timestamp now = testutil::ts("2024-06-01T12:00:00Z");
    const SyncEngine syncEngine(SyncOptions{now.addSeconds(-3600), now});

    Deck localDeck;
    localDeck.id = testutil::uuid("5a0b6c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d");
    localDeck.user_id = testutil::uuid("0f1e2d3c-4b5a-4968-8776-655443322110");
    localDeck.title = "Local Title";
    localDeck.description = std::nullopt;
    localDeck.content = "Local content";
    localDeck.created_at = now;
    localDeck.updated_at = now;
    localDeck.version = 1;

    Deck serverDeck = localDeck;
    serverDeck.title = "Server Title";
    serverDeck.updated_at = now.addSeconds(60);
    serverDeck.version = 2;

    const std::vector<Deck> local{localDeck};
    const SyncResult<Deck> result = syncEngine.syncDecks(local, {serverDeck});

    QCOMPARE(result.merged_items.size(), std::size_t(1));
    QCOMPARE(result.merged_items[0].title, std::string("Server Title"));

    // Beyond the seed: the server's higher version won, and the differing title was recorded.
    QCOMPARE(statsString(result.stats), std::string("1/0/0/0/1/0/1/0"));
    QCOMPARE(result.conflicts.size(), std::size_t(1));
    QCOMPARE(result.conflicts[0].resolution, ConflictResolution::UseServer);
    QCOMPARE(result.decisions.at(0).explanation, std::string("server kept: version 2 > 1"));
    // The server copy is a minute in the future of the injected clock.
    QCOMPARE(diagnosticsString(result.diagnostics), std::string(std::to_string(num(serverDeck.id)) + ":clock-skew"));
}

void TestStrategies::testProgressMerging()
{
    const Timestamp now = testutil::ts("2024-06-01T12:00:00Z");
    const SyncEngine syncEngine(SyncOptions{now.addSeconds(-3600), now});

    Progress localProgress;
    localProgress.id = testutil::uuid("6b1c7d2e-3f4a-4b5c-9d6e-8f9a0b1c2d3e");
    localProgress.user_id = testutil::uuid("0f1e2d3c-4b5a-4968-8776-655443322110");
    localProgress.deck_id = testutil::uuid("5a0b6c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d");
    localProgress.cards_studied = 10;
    localProgress.cards_mastered = 5;
    localProgress.total_cards = 20;
    localProgress.last_studied = now;
    localProgress.streak_days = 3;
    localProgress.total_time_spent = 300;
    localProgress.version = 1;

    Progress serverProgress = localProgress;
    serverProgress.cards_studied = 8;
    serverProgress.cards_mastered = 7;
    serverProgress.total_time_spent = 250;
    serverProgress.streak_days = 5;

    const std::vector<Progress> local{localProgress};
    const SyncResult<Progress> result = syncEngine.syncProgress(local, {serverProgress});

    QCOMPARE(result.merged_items.size(), std::size_t(1));
    const Progress& merged = result.merged_items[0];

    // Should take maximum values
    QCOMPARE(merged.cards_studied, std::int64_t(10));
    QCOMPARE(merged.cards_mastered, std::int64_t(7));
    QCOMPARE(merged.streak_days, std::int64_t(5));
    QCOMPARE(merged.total_time_spent, std::int64_t(550)); // Added together

    // Beyond the seed: version max+1, one merge, nothing recorded.
    QCOMPARE(merged.version, std::int64_t(2));
    QCOMPARE(merged.total_cards, std::int64_t(20));
    QCOMPARE(statsString(result.stats), std::string("1/0/1/0/0/0/0/1"));
    QVERIFY(result.conflicts.empty());
    QVERIFY(result.diagnostics.empty());
}

// ---- ConflictAnalyzer ------------------------------------------------------------------------

void TestStrategies::versionAnalyzer_data()
{
    QTest::addColumn<qint64>("localVersion");
    QTest::addColumn<qint64>("serverVersion");
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<ConflictResolution>("resolution");
    QTest::addColumn<std::string>("reason");

    QTest::newRow("local version higher") << qint64(3) << qint64(2) << std::string("2024-06-01T09:00:00Z")
                                          << std::string("2024-06-01T10:00:00Z") << ConflictResolution::UseLocal
                                          << std::string("local kept: version 3 > 2");
    QTest::newRow("server version higher") << qint64(1) << qint64(2) << std::string("2024-06-01T10:00:00Z")
                                           << std::string("2024-06-01T09:00:00Z") << ConflictResolution::UseServer
                                           << std::string("server kept: version 2 > 1");
    QTest::newRow("version beats a later timestamp")
        << qint64(7) << qint64(12) << std::string("2024-06-01T11:00:00Z") << std::string("2024-05-01T00:00:00Z")
        << ConflictResolution::UseServer << std::string("server kept: version 12 > 7");
    QTest::newRow("negative versions") << qint64(-1) << qint64(-2) << std::string("2024-06-01T09:00:00Z")
                                       << std::string("2024-06-01T09:00:00Z") << ConflictResolution::UseLocal
                                       << std::string("local kept: version -1 > -2");
    QTest::newRow("equal version, local later")
        << qint64(4) << qint64(4) << std::string("2024-06-01T11:00:00Z") << std::string("2024-06-01T10:00:00Z")
        << ConflictResolution::UseLocal
        << std::string("local kept: same version 4, local updated_at is later (2024-06-01T11:00:00Z > 2024-06-01T10:00:00Z)");
    QTest::newRow("equal version, server later")
        << qint64(4) << qint64(4) << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:15:00.123456Z")
        << ConflictResolution::UseServer
        << std::string("server kept: same version 4, server updated_at is later (2024-06-01T10:15:00.123456Z > "
                       "2024-06-01T10:00:00Z)");
    QTest::newRow("equal version, a nanosecond later on the server")
        << qint64(1) << qint64(1) << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:00.000000001Z")
        << ConflictResolution::UseServer
        << std::string("server kept: same version 1, server updated_at is later (2024-06-01T10:00:00.000000001Z > "
                       "2024-06-01T10:00:00Z)");
    QTest::newRow("full tie goes to the device")
        << qint64(4) << qint64(4) << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:00Z")
        << ConflictResolution::UseLocal
        << std::string("local kept: same version 4, same updated_at 2024-06-01T10:00:00Z (a tie goes to the device)");
}

void TestStrategies::versionAnalyzer()
{
    QFETCH(qint64, localVersion);
    QFETCH(qint64, serverVersion);
    QFETCH(std::string, localTime);
    QFETCH(std::string, serverTime);
    QFETCH(ConflictResolution, resolution);
    QFETCH(std::string, reason);

    const Deck local = deck(1, localTime.c_str(), localVersion);
    const Deck server = deck(1, serverTime.c_str(), serverVersion);
    const Verdict v = ConflictAnalyzer::analyzeVersionConflict(local, server);
    QCOMPARE(v.resolution, resolution);
    QCOMPARE(v.reason, reason);

    // The deck strategy resolves exactly so.
    const Verdict viaStrategy = DeckMergeStrategy{}.resolveConflict(local, server, context(nullptr));
    QCOMPARE(viaStrategy.resolution, resolution);
    QCOMPARE(viaStrategy.reason, reason);
}

void TestStrategies::timestampAnalyzer_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<ConflictResolution>("resolution");
    QTest::addColumn<std::string>("reason");

    QTest::newRow("local later") << std::string("2024-06-01T09:15:00Z") << std::string("2024-06-01T08:30:00Z")
                                 << ConflictResolution::UseLocal
                                 << std::string("local kept: local starred_at is later (2024-06-01T09:15:00Z > 2024-06-01T08:30:00Z)");
    QTest::newRow("server later") << std::string("2024-06-01T09:00:00Z") << std::string("2024-06-01T10:00:00Z")
                                  << ConflictResolution::UseServer
                                  << std::string("server kept: server starred_at is later (2024-06-01T10:00:00Z > 2024-06-01T09:00:00Z)");
    QTest::newRow("tie goes to the device") << std::string("2024-06-01T08:30:00Z") << std::string("2024-06-01T08:30:00Z")
                                            << ConflictResolution::UseLocal
                                            << std::string("local kept: same starred_at 2024-06-01T08:30:00Z (a tie goes to the device)");
}

void TestStrategies::timestampAnalyzer()
{
    QFETCH(std::string, localTime);
    QFETCH(std::string, serverTime);
    QFETCH(ConflictResolution, resolution);
    QFETCH(std::string, reason);

    const StarredDeck local = starred(1, localTime.c_str());
    const StarredDeck server = starred(1, serverTime.c_str());
    const Verdict v = ConflictAnalyzer::analyzeTimestampConflict(local, server);
    QCOMPARE(v.resolution, resolution);
    QCOMPARE(v.reason, reason);

    // Items without a version fall back to the timestamp in the version analyzer too.
    const Verdict byVersion = ConflictAnalyzer::analyzeVersionConflict(local, server);
    QCOMPARE(byVersion.resolution, resolution);
    QCOMPARE(byVersion.reason, reason);

    const Verdict viaStrategy = StarredMergeStrategy{}.resolveConflict(local, server, context(nullptr));
    QCOMPARE(viaStrategy.resolution, resolution);
    QCOMPARE(viaStrategy.reason, reason);
}

void TestStrategies::analyzerOnPreferences()
{
    const UserPreferences local = preferences(1, "2024-06-01T10:00:00Z", 5);
    const UserPreferences server = preferences(1, "2024-06-01T09:00:00Z", 5);
    const Verdict v = PreferencesMergeStrategy{}.resolveConflict(local, server, context(nullptr));
    QCOMPARE(v.resolution, ConflictResolution::UseLocal);
    QCOMPARE(v.reason,
             std::string("local kept: same version 5, local updated_at is later (2024-06-01T10:00:00Z > 2024-06-01T09:00:00Z)"));
    const Verdict older = PreferencesMergeStrategy{}.resolveConflict(preferences(1, "2024-06-01T10:00:00Z", 4), server,
                                                                     context(nullptr));
    QCOMPARE(older.resolution, ConflictResolution::UseServer);
    QCOMPARE(older.reason, std::string("server kept: version 5 > 4"));
}

// ---- decks -----------------------------------------------------------------------------------

void TestStrategies::deckStrategy_data()
{
    QTest::addColumn<Deck>("local");
    QTest::addColumn<Deck>("server");
    QTest::addColumn<bool>("record");

    const char* t = "2024-06-01T10:00:00Z";
    QTest::newRow("identical") << deck(1, t, 1, "A", "x") << deck(1, t, 1, "A", "x") << false;
    QTest::newRow("title differs") << deck(1, t, 1, "A", "x") << deck(1, t, 1, "B", "x") << true;
    QTest::newRow("content differs") << deck(1, t, 1, "A", "x") << deck(1, t, 1, "A", "y") << true;
    Deck described = deck(1, t, 1, "A", "x");
    described.description = "only the description differs";
    QTest::newRow("description differs (not recorded)") << described << deck(1, t, 1, "A", "x") << false;
    QTest::newRow("only version and time differ") << deck(1, t, 1, "A", "x") << deck(1, "2024-06-02T00:00:00Z", 9, "A", "x")
                                                  << false;
}

void TestStrategies::deckStrategy()
{
    QFETCH(Deck, local);
    QFETCH(Deck, server);
    QFETCH(bool, record);

    const DeckMergeStrategy strategy;
    QCOMPARE(strategy.shouldRecordConflict(local, server), record);
    QCOMPARE(strategy.shouldRecordConflict(server, local), record);
    QVERIFY(strategy.supportsDeletions());
    QCOMPARE(strategy.mergeExplanation(),
             std::string("merged: title, description and content from the later side, version max+1, updated_at now"));
}

void TestStrategies::deckMergeItems_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<qint64>("localVersion");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<qint64>("serverVersion");
    QTest::addColumn<std::string>("title");
    QTest::addColumn<std::string>("content");
    QTest::addColumn<std::string>("description");
    QTest::addColumn<qint64>("version");

    QTest::newRow("server newer: server content") << std::string("2024-06-01T09:00:00Z") << qint64(3)
                                                  << std::string("2024-06-01T10:00:00Z") << qint64(2)
                                                  << std::string("Server") << std::string("server content")
                                                  << std::string("server description") << qint64(4);
    QTest::newRow("local newer: local content") << std::string("2024-06-01T11:00:00Z") << qint64(2)
                                                << std::string("2024-06-01T10:00:00Z") << qint64(5)
                                                << std::string("Local") << std::string("local content")
                                                << std::string("(none)") << qint64(6);
    QTest::newRow("same time: local content") << std::string("2024-06-01T10:00:00Z") << qint64(1)
                                              << std::string("2024-06-01T10:00:00Z") << qint64(1) << std::string("Local")
                                              << std::string("local content") << std::string("(none)") << qint64(2);
}

void TestStrategies::deckMergeItems()
{
    QFETCH(std::string, localTime);
    QFETCH(qint64, localVersion);
    QFETCH(std::string, serverTime);
    QFETCH(qint64, serverVersion);
    QFETCH(std::string, title);
    QFETCH(std::string, content);
    QFETCH(std::string, description);
    QFETCH(qint64, version);

    Deck local = deck(1, localTime.c_str(), localVersion, "Local", "local content");
    local.created_at = testutil::ts("2024-03-01T00:00:00Z");
    Deck server = deck(1, serverTime.c_str(), serverVersion, "Server", "server content");
    server.description = "server description";
    server.user_id = testutil::id(2000); // identity fields always come from local

    std::vector<Diagnostic> diagnostics;
    const std::optional<Deck> merged = DeckMergeStrategy{}.mergeItems(local, server, context(&diagnostics));
    QVERIFY(merged.has_value());
    QCOMPARE(merged->title, title);
    QCOMPARE(merged->content, content);
    QCOMPARE(merged->description.value_or("(none)"), description);
    QCOMPARE(merged->version, std::int64_t(version));
    QCOMPARE(merged->updated_at, Now); // the injected clock
    QCOMPARE(merged->id, local.id);
    QCOMPARE(merged->user_id, local.user_id);
    QCOMPARE(merged->created_at, local.created_at);
    QVERIFY(diagnostics.empty());
}

// ---- achievements ----------------------------------------------------------------------------

void TestStrategies::achievementStrategy_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<ConflictResolution>("resolution");
    QTest::addColumn<std::string>("reason");

    QTest::newRow("local earned earlier")
        << std::string("2024-06-01T09:00:00Z") << std::string("2024-06-01T09:05:00Z") << ConflictResolution::UseLocal
        << std::string("local kept: earned earlier (2024-06-01T09:00:00Z < 2024-06-01T09:05:00Z)");
    QTest::newRow("server earned earlier")
        << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T09:50:00Z") << ConflictResolution::UseServer
        << std::string("server kept: achievements are append-only and the server's is not later (2024-06-01T09:50:00Z <= "
                       "2024-06-01T10:00:00Z)");
    QTest::newRow("same time keeps the server's")
        << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:00Z") << ConflictResolution::UseServer
        << std::string("server kept: achievements are append-only and the server's is not later (2024-06-01T10:00:00Z <= "
                       "2024-06-01T10:00:00Z)");
}

void TestStrategies::achievementStrategy()
{
    QFETCH(std::string, localTime);
    QFETCH(std::string, serverTime);
    QFETCH(ConflictResolution, resolution);
    QFETCH(std::string, reason);

    const AchievementMergeStrategy strategy;
    const Achievement local = achievement(1, localTime.c_str(), "local type");
    const Achievement server = achievement(1, serverTime.c_str(), "server type");
    const Verdict v = strategy.resolveConflict(local, server, context(nullptr));
    QCOMPARE(v.resolution, resolution);
    QCOMPARE(v.reason, reason);

    // Immutable: a "merge" is the local copy; never recorded, never deleted.
    const std::optional<Achievement> merged = strategy.mergeItems(local, server, context(nullptr));
    QVERIFY(merged.has_value());
    QCOMPARE(merged->achievement_type, std::string("local type"));
    QCOMPARE(merged->earned_at, local.earned_at);
    QVERIFY(!strategy.shouldRecordConflict(local, server));
    QVERIFY(!strategy.supportsDeletions());
    QCOMPARE(strategy.mergeExplanation(), std::string("merged"));
}

// ---- progress --------------------------------------------------------------------------------

void TestStrategies::progressStrategy()
{
    const ProgressMergeStrategy strategy;
    const Progress local = progress(1, "2024-06-01T10:40:00Z", 8, 5400, 42);
    const Progress server = progress(1, "2024-06-01T10:20:00Z", 9, 5100, 38);
    const Verdict v = strategy.resolveConflict(local, server, context(nullptr));
    QCOMPARE(v.resolution, ConflictResolution::Merge);
    const std::string explanation = "merged: max cards_studied, cards_mastered, total_cards, streak_days and last_studied; "
                                    "sum total_time_spent; version max+1";
    QCOMPARE(v.reason, explanation);
    QCOMPARE(strategy.mergeExplanation(), explanation);
    QVERIFY(!strategy.shouldRecordConflict(local, server));
    QVERIFY(strategy.supportsDeletions());
}

void TestStrategies::progressMergeItems()
{
    Progress local = progress(1, "2024-06-01T10:40:00Z", 8, 5400, 42);
    local.cards_mastered = 30;
    local.total_cards = 60;
    local.streak_days = 7;
    Progress server = progress(1, "2024-06-01T10:20:00Z", 9, 5100, 38);
    server.cards_mastered = 33;
    server.total_cards = 61;
    server.streak_days = 6;
    server.deck_id = testutil::id(9999); // identity fields come from local

    std::vector<Diagnostic> diagnostics;
    const std::optional<Progress> merged =
        ProgressMergeStrategy{}.mergeItems(local, server, context(&diagnostics, testutil::ts("2024-06-01T08:00:00Z")));
    QVERIFY(merged.has_value());
    QCOMPARE(merged->cards_studied, std::int64_t(42));
    QCOMPARE(merged->cards_mastered, std::int64_t(33));
    QCOMPARE(merged->total_cards, std::int64_t(61));
    QCOMPARE(merged->streak_days, std::int64_t(7));
    QCOMPARE(merged->total_time_spent, std::int64_t(10500));
    QCOMPARE(merged->last_studied, testutil::ts("2024-06-01T10:40:00Z"));
    QCOMPARE(merged->version, std::int64_t(10));
    QCOMPARE(merged->deck_id, local.deck_id);
    QVERIFY(diagnostics.empty());

    // last_studied is the later of the two, whichever side it is on.
    const std::optional<Progress> other = ProgressMergeStrategy{}.mergeItems(server, local, context(&diagnostics));
    QCOMPARE(other->last_studied, testutil::ts("2024-06-01T10:40:00Z"));
    QCOMPARE(other->deck_id, server.deck_id);
}

void TestStrategies::progressMergeOverflow_data()
{
    QTest::addColumn<qint64>("localTime");
    QTest::addColumn<qint64>("serverTime");
    QTest::addColumn<qint64>("localVersion");
    QTest::addColumn<qint64>("serverVersion");
    QTest::addColumn<std::string>("message");

    QTest::newRow("time spent overflows") << qint64(Int64Max) << qint64(1) << qint64(1) << qint64(1)
                                          << std::string("total_time_spent 9223372036854775807 + 1 overflows a 64-bit "
                                                         "integer; merge refused");
    QTest::newRow("time spent underflows") << qint64(Int64Min) << qint64(-1) << qint64(1) << qint64(1)
                                           << std::string("total_time_spent -9223372036854775808 + -1 overflows a 64-bit "
                                                          "integer; merge refused");
    QTest::newRow("version overflows") << qint64(10) << qint64(20) << qint64(3) << qint64(Int64Max)
                                       << std::string("version 9223372036854775807 + 1 overflows a 64-bit integer; merge "
                                                      "refused");
}

void TestStrategies::progressMergeOverflow()
{
    QFETCH(qint64, localTime);
    QFETCH(qint64, serverTime);
    QFETCH(qint64, localVersion);
    QFETCH(qint64, serverVersion);
    QFETCH(std::string, message);

    const Progress local = progress(4, "2024-06-01T10:40:00Z", localVersion, localTime);
    const Progress server = progress(4, "2024-06-01T10:20:00Z", serverVersion, serverTime);
    std::vector<Diagnostic> diagnostics;
    const std::optional<Progress> merged = ProgressMergeStrategy{}.mergeItems(local, server, context(&diagnostics));
    QVERIFY(!merged.has_value());
    QCOMPARE(diagnostics.size(), std::size_t(1));
    QCOMPARE(diagnostics[0].code, std::string("int64-overflow"));
    QCOMPARE(diagnostics[0].severity, Severity::Error);
    QCOMPARE(diagnostics[0].item_id, testutil::id(4));
    QCOMPARE(diagnostics[0].message, message);
}

void TestStrategies::progressDoubleCount_data()
{
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<qint64>("serverSpent");
    QTest::addColumn<std::string>("message"); // empty: no diagnostic

    QTest::newRow("server unchanged since last_sync")
        << std::string("2024-05-31T20:00:00Z") << qint64(2700)
        << std::string("total_time_spent summed to 5700 s although both sides carry the same history: the server copy is "
                       "unchanged since this device last synced, so its 2700 s are already in the local 3000 s");
    QTest::newRow("server exactly at last_sync")
        << std::string("2024-06-01T08:00:00Z") << qint64(100)
        << std::string("total_time_spent summed to 3100 s although both sides carry the same history: the server copy is "
                       "unchanged since this device last synced, so its 100 s are already in the local 3000 s");
    QTest::newRow("both report the same time")
        << std::string("2024-06-01T09:00:00Z") << qint64(3000)
        << std::string("total_time_spent summed to 6000 s although both sides carry the same history: both sides report "
                       "3000 s");
    QTest::newRow("both changed, different times") << std::string("2024-06-01T09:00:00Z") << qint64(2700) << std::string();
}

void TestStrategies::progressDoubleCount()
{
    QFETCH(std::string, serverTime);
    QFETCH(qint64, serverSpent);
    QFETCH(std::string, message);

    const Progress local = progress(2, "2024-06-01T09:30:00Z", 4, 3000);
    const Progress server = progress(2, serverTime.c_str(), 4, serverSpent);
    std::vector<Diagnostic> diagnostics;
    const std::optional<Progress> merged = ProgressMergeStrategy{}.mergeItems(
        local, server, context(&diagnostics, testutil::ts("2024-06-01T08:00:00Z")));
    QVERIFY(merged.has_value()); // a warning, not a refusal: the seed's sum is kept
    QCOMPARE(merged->total_time_spent, std::int64_t(3000 + serverSpent));
    if (message.empty()) {
        QVERIFY(diagnostics.empty());
        return;
    }
    QCOMPARE(diagnostics.size(), std::size_t(1));
    QCOMPARE(diagnostics[0].code, std::string("progress-double-count"));
    QCOMPARE(diagnostics[0].severity, Severity::Warning);
    QCOMPARE(diagnostics[0].message, message);
}

// ---- starred ---------------------------------------------------------------------------------

void TestStrategies::starredStrategy_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("serverTime");
    QTest::newRow("local later") << std::string("2024-06-01T09:15:00Z") << std::string("2024-06-01T08:30:00Z");
    QTest::newRow("server later") << std::string("2024-06-01T09:00:00Z") << std::string("2024-06-01T10:00:00Z");
}

void TestStrategies::starredStrategy()
{
    QFETCH(std::string, localTime);
    QFETCH(std::string, serverTime);

    const StarredMergeStrategy strategy;
    StarredDeck local = starred(1, localTime.c_str());
    const StarredDeck server = starred(1, serverTime.c_str());
    local.deck_id = testutil::id(77);
    const std::optional<StarredDeck> merged = strategy.mergeItems(local, server, context(nullptr));
    QVERIFY(merged.has_value());
    QCOMPARE(merged->deck_id, testutil::id(77)); // always the local copy
    QCOMPARE(merged->starred_at, local.starred_at);
    QVERIFY(!strategy.shouldRecordConflict(local, server));
    QVERIFY(strategy.supportsDeletions()); // unstarring deletes
}

// ---- preferences -----------------------------------------------------------------------------

void TestStrategies::preferencesStrategy_data()
{
    QTest::addColumn<UserPreferences>("local");
    QTest::addColumn<UserPreferences>("server");
    QTest::addColumn<bool>("record");

    const char* t = "2024-06-01T10:00:00Z";
    QTest::newRow("identical") << preferences(1, t, 1) << preferences(1, t, 1) << false;
    QTest::newRow("theme differs") << preferences(1, t, 1, "dark") << preferences(1, t, 1, "light") << true;
    QTest::newRow("language differs") << preferences(1, t, 1, "dark", "es") << preferences(1, t, 1, "dark", "en") << true;
    UserPreferences quiet = preferences(1, t, 1);
    quiet.sound_enabled = false;
    QTest::newRow("sound differs") << quiet << preferences(1, t, 1) << true;
    UserPreferences goal = preferences(1, t, 1);
    goal.daily_goal = 45;
    QTest::newRow("daily goal differs (not recorded)") << goal << preferences(1, t, 1) << false;
    goal.daily_goal.reset();
    QTest::newRow("daily goal unset (not recorded)") << goal << preferences(1, t, 1) << false;
}

void TestStrategies::preferencesStrategy()
{
    QFETCH(UserPreferences, local);
    QFETCH(UserPreferences, server);
    QFETCH(bool, record);

    const PreferencesMergeStrategy strategy;
    QCOMPARE(strategy.shouldRecordConflict(local, server), record);
    QVERIFY(!strategy.supportsDeletions());
    QCOMPARE(strategy.mergeExplanation(),
             std::string("merged: the later side's preferences (local language kept within an hour), version max+1, "
                         "updated_at now"));
}

void TestStrategies::preferencesMergeLanguage_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<std::string>("theme");
    QTest::addColumn<std::string>("language");

    // Server newer: the server's preferences, but the device's language if it was set less
    // than an hour before the server's change.
    QTest::newRow("server newer, local 59 min older: local language")
        << std::string("2024-06-01T09:01:00Z") << std::string("2024-06-01T10:00:00Z") << std::string("light")
        << std::string("es");
    QTest::newRow("server newer, local exactly an hour older: server language")
        << std::string("2024-06-01T09:00:00Z") << std::string("2024-06-01T10:00:00Z") << std::string("light")
        << std::string("en");
    QTest::newRow("server newer, local a day older: server language")
        << std::string("2024-05-31T10:00:00Z") << std::string("2024-06-01T10:00:00Z") << std::string("light")
        << std::string("en");
    QTest::newRow("server newer by a nanosecond: local language")
        << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:00.000000001Z") << std::string("light")
        << std::string("es");
    QTest::newRow("local newer: local preferences") << std::string("2024-06-01T11:00:00Z")
                                                    << std::string("2024-06-01T10:00:00Z") << std::string("dark")
                                                    << std::string("es");
    QTest::newRow("same time: local preferences") << std::string("2024-06-01T10:00:00Z")
                                                  << std::string("2024-06-01T10:00:00Z") << std::string("dark")
                                                  << std::string("es");
}

void TestStrategies::preferencesMergeLanguage()
{
    QFETCH(std::string, localTime);
    QFETCH(std::string, serverTime);
    QFETCH(std::string, theme);
    QFETCH(std::string, language);

    const UserPreferences local = preferences(1, localTime.c_str(), 3, "dark", "es");
    const UserPreferences server = preferences(1, serverTime.c_str(), 7, "light", "en");
    std::vector<Diagnostic> diagnostics;
    const std::optional<UserPreferences> merged =
        PreferencesMergeStrategy{}.mergeItems(local, server, context(&diagnostics));
    QVERIFY(merged.has_value());
    QCOMPARE(merged->theme, theme);
    QCOMPARE(merged->language, language);
    QCOMPARE(merged->version, std::int64_t(8));
    QCOMPARE(merged->updated_at, Now);
    QVERIFY(diagnostics.empty());
}

void TestStrategies::preferencesMergeVersionOverflow()
{
    const UserPreferences local = preferences(3, "2024-06-01T10:00:00Z", Int64Max);
    const UserPreferences server = preferences(3, "2024-06-01T09:00:00Z", 1);
    std::vector<Diagnostic> diagnostics;
    QVERIFY(!PreferencesMergeStrategy{}.mergeItems(local, server, context(&diagnostics)).has_value());
    QCOMPARE(diagnosticsString(diagnostics), std::string("3:int64-overflow"));
    QCOMPARE(diagnostics[0].message,
             std::string("version 9223372036854775807 + 1 overflows a 64-bit integer; merge refused"));

    // Decks refuse the same way.
    diagnostics.clear();
    QVERIFY(!DeckMergeStrategy{}
                 .mergeItems(deck(5, "2024-06-01T10:00:00Z", 1), deck(5, "2024-06-01T09:00:00Z", Int64Max),
                             context(&diagnostics))
                 .has_value());
    QCOMPARE(diagnosticsString(diagnostics), std::string("5:int64-overflow"));
}

void TestStrategies::reportWithoutSink()
{
    // A context without a diagnostics sink still refuses, silently.
    const Progress local = progress(1, "2024-06-01T10:40:00Z", 1, Int64Max);
    QVERIFY(!ProgressMergeStrategy{}.mergeItems(local, local, context(nullptr)).has_value());
}

void TestStrategies::checkedAdd_data()
{
    QTest::addColumn<qint64>("a");
    QTest::addColumn<qint64>("b");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("sum");

    QTest::newRow("small") << qint64(300) << qint64(250) << true << qint64(550);
    QTest::newRow("negative") << qint64(-5) << qint64(3) << true << qint64(-2);
    QTest::newRow("max + 0") << qint64(Int64Max) << qint64(0) << true << qint64(Int64Max);
    QTest::newRow("max + min") << qint64(Int64Max) << qint64(Int64Min) << true << qint64(-1);
    QTest::newRow("max - 1 + 1") << qint64(Int64Max - 1) << qint64(1) << true << qint64(Int64Max);
    QTest::newRow("max + 1 overflows") << qint64(Int64Max) << qint64(1) << false << qint64(0);
    QTest::newRow("min - 1 overflows") << qint64(Int64Min) << qint64(-1) << false << qint64(0);
    QTest::newRow("max + max overflows") << qint64(Int64Max) << qint64(Int64Max) << false << qint64(0);
}

void TestStrategies::checkedAdd()
{
    QFETCH(qint64, a);
    QFETCH(qint64, b);
    QFETCH(bool, ok);
    QFETCH(qint64, sum);

    const std::optional<std::int64_t> result = decksync::checkedAdd(a, b);
    QCOMPARE(result.has_value(), ok);
    if (ok)
        QCOMPARE(qint64(*result), sum);
}

QTEST_GUILESS_MAIN(TestStrategies)
#include "tst_strategies.moc"
