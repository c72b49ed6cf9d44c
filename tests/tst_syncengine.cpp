// SPDX-License-Identifier: MIT
// SyncEngine: the seed's perform_sync with its intended fixes — every strategy branch, the
// deletion rule, exact stats, conflict records, merged order, first-match lookups, the
// diagnostics, determinism, and a check against a naive O(n^2) port of the seed.
#include "builders.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/reportcodec.h"
#include "engine/syncengine.h"

#include <QObject>
#include <QTest>

#include <limits>
#include <random>
#include <string>

using namespace decksync;
using namespace builders;

namespace {

const Timestamp Now = testutil::ts("2024-06-01T12:00:00Z");
const Timestamp LastSync = testutil::ts("2024-06-01T08:00:00Z");

SyncEngine engine(std::optional<Timestamp> lastSync = LastSync) { return SyncEngine(SyncOptions{lastSync, Now}); }

std::string mergedNumbers(const Dataset& d, DataType type)
{
    switch (type) {
    case DataType::Decks: return numbers(d.decks, [](const Deck& x) { return x.id; });
    case DataType::Achievements: return numbers(d.achievements, [](const Achievement& x) { return x.id; });
    case DataType::Progress: return numbers(d.progress, [](const Progress& x) { return x.id; });
    case DataType::Starred: return numbers(d.starred, [](const StarredDeck& x) { return x.id; });
    case DataType::Preferences: break;
    }
    return d.preferences ? std::to_string(num(d.preferences->user_id)) : std::string();
}

/// The diagnostic codes, sorted, without item ids (for the samples, whose ids are not small numbers).
std::string codesString(const std::vector<Diagnostic>& diagnostics)
{
    std::vector<std::string> codes;
    for (const Diagnostic& d : diagnostics)
        codes.push_back(d.code);
    std::sort(codes.begin(), codes.end());
    std::string out;
    for (const std::string& c : codes)
        out += (out.empty() ? "" : " ") + c;
    return out;
}

template <class T>
std::string encodeAll(const std::vector<T>& items)
{
    std::string out;
    for (const T& item : items)
        out += codec::encodeItem(item) + '\n';
    return out;
}

// ---- the reference: the seed's perform_sync, literally (linear searches) ------------------------

template <class T>
struct Reference {
    std::vector<T> merged;
    SyncStats stats;
    std::vector<SyncConflict<T>> conflicts;
};

template <class T>
Reference<T> naiveSync(const std::vector<T>& local, const std::vector<T>& server, std::optional<Timestamp> lastSync,
                       const MergeStrategy<T>& strategy)
{
    using Traits = SyncTraits<T>;
    const MergeContext ctx{Now, lastSync, nullptr};
    Reference<T> r;
    r.merged = server;
    for (const T& localItem : local) {
        if (lastSync && !(Traits::updatedAt(localItem) > *lastSync))
            continue;
        std::size_t pos = r.merged.size();
        for (std::size_t i = 0; i < r.merged.size(); ++i) {
            if (Traits::id(r.merged[i]) == Traits::id(localItem)) {
                pos = i;
                break;
            }
        }
        if (pos == r.merged.size()) {
            r.merged.push_back(localItem);
            ++r.stats.added;
            continue;
        }
        const T before = r.merged[pos];
        const Verdict verdict = strategy.resolveConflict(localItem, before, ctx);
        switch (verdict.resolution) {
        case ConflictResolution::UseLocal:
            r.merged[pos] = localItem;
            ++r.stats.local_wins;
            ++r.stats.updated;
            break;
        case ConflictResolution::UseServer:
            ++r.stats.server_wins;
            break;
        case ConflictResolution::Merge:
            if (auto m = strategy.mergeItems(localItem, before, ctx)) {
                r.merged[pos] = *m;
                ++r.stats.merged;
            } else {
                r.merged[pos] = localItem;
                ++r.stats.local_wins;
            }
            ++r.stats.updated;
            break;
        }
        if (strategy.shouldRecordConflict(localItem, before)) {
            r.conflicts.push_back({Traits::id(localItem), localItem, before, verdict.resolution, Now});
            ++r.stats.conflicts;
        }
    }
    if (strategy.supportsDeletions()) {
        std::vector<T> kept;
        for (const T& item : r.merged) {
            bool inLocal = false;
            for (const T& l : local)
                inLocal = inLocal || Traits::id(l) == Traits::id(item);
            if (inLocal)
                kept.push_back(item);
            else
                ++r.stats.deleted;
        }
        r.merged = std::move(kept);
    }
    r.stats.total_items = static_cast<std::int64_t>(r.merged.size());
    return r;
}

// Random items over a small id pool, so that both sides share ids and hold duplicates.
struct RandomItems {
    explicit RandomItems(std::uint64_t seed)
        : rng(seed)
    {
    }
    std::mt19937_64 rng;

    std::uint64_t pick(std::uint64_t n) { return rng() % n; }
    std::string time()
    {
        // Within ten hours either side of LastSync, on whole minutes (so ties happen).
        return LastSync.addSeconds(static_cast<std::int64_t>(pick(1201)) * 60 - 36000).toString();
    }
    Deck deck()
    {
        return builders::deck(1 + pick(1500), time().c_str(), 1 + static_cast<std::int64_t>(pick(4)),
                              "title " + std::to_string(pick(3)), "content " + std::to_string(pick(3)));
    }
    Progress progress()
    {
        return builders::progress(1 + pick(1500), time().c_str(), 1 + static_cast<std::int64_t>(pick(4)),
                                  static_cast<std::int64_t>(pick(10000)), static_cast<std::int64_t>(pick(50)));
    }
    StarredDeck starred() { return builders::starred(1 + pick(1500), time().c_str()); }
};

template <class T, class Make>
std::vector<T> makeItems(std::size_t n, Make make)
{
    std::vector<T> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(make());
    return out;
}

} // namespace

class TestSyncEngine : public QObject {
    Q_OBJECT

private slots:
    void strategyBranches_data();
    void strategyBranches();
    void decisionExplanations();
    void mergeFailedFallsBackToLocal();
    void deletionRule_data();
    void deletionRule();
    void deletionUnseenNamesTheTimestamp();
    void conflictRecordsPreMergeServerItem();
    void mergedOrder_data();
    void mergedOrder();
    void firstMatchWithServerDuplicates();
    void firstMatchWithLocalDuplicates();
    void duplicateNewLocalItems();
    void unchangedLocalItemsSkipped_data();
    void unchangedLocalItemsSkipped();
    void clockSkew();
    void sameVersionDifferentContent_data();
    void sameVersionDifferentContent();
    void progressDoubleCount();
    void localDropped_data();
    void localDropped();
    void preferencesLocalAbsentKeepsServer();
    void preferencesServerAbsentAddsLocal();
    void preferencesBothAbsent();
    void preferencesUserMismatch();
    void samplesStats_data();
    void samplesStats();
    void samplesMergedState();
    void determinism();
    void largeSyncCompletes();
    void matchesNaiveReference_data();
    void matchesNaiveReference();
};

// ---- every branch of every strategy, through syncDataset -------------------------------------

void TestSyncEngine::strategyBranches_data()
{
    QTest::addColumn<Dataset>("local");
    QTest::addColumn<Dataset>("server");
    QTest::addColumn<DataType>("type");
    QTest::addColumn<std::string>("stats"); // total/added/updated/deleted/conflicts/local/server/merged
    QTest::addColumn<std::string>("decisions");
    QTest::addColumn<std::string>("diagnostics");
    QTest::addColumn<std::string>("merged"); // item numbers in merged order

    const auto decks = [](std::vector<Deck> items) { Dataset d; d.decks = std::move(items); return d; };
    const auto achievements = [](std::vector<Achievement> items) { Dataset d; d.achievements = std::move(items); return d; };
    const auto progresses = [](std::vector<Progress> items) { Dataset d; d.progress = std::move(items); return d; };
    const auto stars = [](std::vector<StarredDeck> items) { Dataset d; d.starred = std::move(items); return d; };
    const auto prefs = [](UserPreferences p) { Dataset d; d.preferences = std::move(p); return d; };

    // Decks: version wins, then updated_at; title/content differences are recorded.
    QTest::newRow("deck added") << decks({deck(1, "2024-06-01T10:00:00Z", 1)}) << decks({}) << DataType::Decks
                                << std::string("1/1/0/0/0/0/0/0") << std::string("1:added") << std::string() << std::string("1");
    QTest::newRow("deck: local version wins") << decks({deck(1, "2024-06-01T10:00:00Z", 3, "L")})
                                              << decks({deck(1, "2024-06-01T09:00:00Z", 2, "S")}) << DataType::Decks
                                              << std::string("1/0/1/0/1/1/0/0") << std::string("1:local-kept")
                                              << std::string() << std::string("1");
    QTest::newRow("deck: server version wins") << decks({deck(1, "2024-06-01T11:00:00Z", 2, "L")})
                                               << decks({deck(1, "2024-06-01T09:00:00Z", 3, "S")}) << DataType::Decks
                                               << std::string("1/0/0/0/1/0/1/0") << std::string("1:server-kept")
                                               << std::string() << std::string("1");
    QTest::newRow("deck: same version, local later")
        << decks({deck(1, "2024-06-01T11:00:00Z", 2, "L")}) << decks({deck(1, "2024-06-01T10:00:00Z", 2, "S")})
        << DataType::Decks << std::string("1/0/1/0/1/1/0/0") << std::string("1:local-kept")
        << std::string("1:same-version-different-content") << std::string("1");
    QTest::newRow("deck: same version, server later")
        << decks({deck(1, "2024-06-01T10:00:00Z", 2, "L")}) << decks({deck(1, "2024-06-01T11:00:00Z", 2, "S")})
        << DataType::Decks << std::string("1/0/0/0/1/0/1/0") << std::string("1:server-kept")
        << std::string("1:same-version-different-content") << std::string("1");
    QTest::newRow("deck: identical on both sides (tie, nothing recorded)")
        << decks({deck(1, "2024-06-01T10:00:00Z", 2)}) << decks({deck(1, "2024-06-01T10:00:00Z", 2)}) << DataType::Decks
        << std::string("1/0/1/0/0/1/0/0") << std::string("1:local-kept") << std::string() << std::string("1");
    QTest::newRow("deck: description-only difference not recorded")
        << decks({[] { Deck d = deck(1, "2024-06-01T10:00:00Z", 3); d.description = "new"; return d; }()})
        << decks({deck(1, "2024-06-01T09:00:00Z", 2)}) << DataType::Decks << std::string("1/0/1/0/0/1/0/0")
        << std::string("1:local-kept") << std::string() << std::string("1");
    QTest::newRow("deck deleted") << decks({deck(1, "2024-06-01T07:00:00Z", 1)})
                                  << decks({deck(1, "2024-06-01T07:00:00Z", 1), deck(2, "2024-06-01T07:00:00Z", 1)})
                                  << DataType::Decks << std::string("1/0/0/1/0/0/0/0") << std::string("2:deleted")
                                  << std::string() << std::string("1");

    // Achievements: the earlier one stays; append-only, never deleted, never recorded.
    QTest::newRow("achievement earned earlier locally")
        << achievements({achievement(1, "2024-06-01T09:00:00Z")}) << achievements({achievement(1, "2024-06-01T09:05:00Z")})
        << DataType::Achievements << std::string("1/0/1/0/0/1/0/0") << std::string("1:local-kept") << std::string()
        << std::string("1");
    QTest::newRow("achievement earned earlier on the server")
        << achievements({achievement(1, "2024-06-01T10:00:00Z")}) << achievements({achievement(1, "2024-06-01T09:50:00Z")})
        << DataType::Achievements << std::string("1/0/0/0/0/0/1/0") << std::string("1:server-kept") << std::string()
        << std::string("1");
    QTest::newRow("achievement added") << achievements({achievement(3, "2024-06-01T11:20:00Z")}) << achievements({})
                                       << DataType::Achievements << std::string("1/1/0/0/0/0/0/0") << std::string("3:added")
                                       << std::string() << std::string("3");
    QTest::newRow("achievement never deleted")
        << achievements({achievement(1, "2024-06-01T09:00:00Z")})
        << achievements({achievement(4, "2024-05-25T17:00:00Z"), achievement(1, "2024-06-01T09:00:00Z")})
        << DataType::Achievements << std::string("2/0/0/0/0/0/1/0") << std::string("1:server-kept") << std::string()
        << std::string("4 1");

    // Progress: always merged; a refused merge falls back to local.
    QTest::newRow("progress merged") << progresses({progress(1, "2024-06-01T10:40:00Z", 8, 5400)})
                                     << progresses({progress(1, "2024-06-01T10:20:00Z", 9, 5100)}) << DataType::Progress
                                     << std::string("1/0/1/0/0/0/0/1") << std::string("1:merged") << std::string()
                                     << std::string("1");
    QTest::newRow("progress merge refused")
        << progresses({progress(1, "2024-06-01T10:40:00Z", 1, std::numeric_limits<std::int64_t>::max())})
        << progresses({progress(1, "2024-06-01T10:20:00Z", 1, 1)}) << DataType::Progress
        << std::string("1/0/1/0/0/1/0/0") << std::string("1:merge-failed") << std::string("1:int64-overflow")
        << std::string("1");
    QTest::newRow("progress added and deleted")
        << progresses({progress(4, "2024-06-01T09:10:00Z", 1)}) << progresses({progress(3, "2024-05-20T08:05:00Z", 2)})
        << DataType::Progress << std::string("1/1/0/1/0/0/0/0") << std::string("4:added 3:deleted") << std::string()
        << std::string("4");

    // Starred: later starred_at wins, a tie goes to the device, unstarring deletes.
    QTest::newRow("starred: local later") << stars({starred(1, "2024-06-01T09:15:00Z")})
                                          << stars({starred(1, "2024-06-01T08:30:00Z")}) << DataType::Starred
                                          << std::string("1/0/1/0/0/1/0/0") << std::string("1:local-kept")
                                          << std::string() << std::string("1");
    QTest::newRow("starred: server later") << stars({starred(2, "2024-06-01T09:00:00Z")})
                                           << stars({starred(2, "2024-06-01T10:00:00Z")}) << DataType::Starred
                                           << std::string("1/0/0/0/0/0/1/0") << std::string("2:server-kept")
                                           << std::string() << std::string("2");
    QTest::newRow("starred: tie") << stars({starred(3, "2024-06-01T08:30:00Z")})
                                  << stars({starred(3, "2024-06-01T08:30:00Z")}) << DataType::Starred
                                  << std::string("1/0/1/0/0/1/0/0") << std::string("3:local-kept") << std::string()
                                  << std::string("3");
    QTest::newRow("starred: unstarred") << stars({}) << stars({starred(4, "2024-05-10T14:00:00Z")}) << DataType::Starred
                                        << std::string("0/0/0/1/0/0/0/0") << std::string("4:deleted") << std::string()
                                        << std::string();

    // Preferences: version wins, then updated_at; never deleted.
    QTest::newRow("preferences: local version wins")
        << prefs(preferences(1, "2024-06-01T10:00:00Z", 6, "dark")) << prefs(preferences(1, "2024-06-01T09:00:00Z", 5, "light"))
        << DataType::Preferences << std::string("1/0/1/0/1/1/0/0") << std::string("1:local-kept") << std::string()
        << std::string("1");
    QTest::newRow("preferences: server version wins")
        << prefs(preferences(1, "2024-06-01T10:00:00Z", 4, "dark")) << prefs(preferences(1, "2024-06-01T09:00:00Z", 5, "light"))
        << DataType::Preferences << std::string("1/0/0/0/1/0/1/0") << std::string("1:server-kept") << std::string()
        << std::string("1");
    QTest::newRow("preferences: same version, local later")
        << prefs(preferences(1, "2024-06-01T10:00:00Z", 5, "dark")) << prefs(preferences(1, "2024-06-01T09:00:00Z", 5, "light"))
        << DataType::Preferences << std::string("1/0/1/0/1/1/0/0") << std::string("1:local-kept")
        << std::string("1:same-version-different-content") << std::string("1");
    QTest::newRow("preferences: unchanged locally")
        << prefs(preferences(1, "2024-06-01T07:00:00Z", 9, "dark")) << prefs(preferences(1, "2024-06-01T09:00:00Z", 5, "light"))
        << DataType::Preferences << std::string("1/0/0/0/0/0/0/0") << std::string() << std::string() << std::string("1");
}

void TestSyncEngine::strategyBranches()
{
    QFETCH(Dataset, local);
    QFETCH(Dataset, server);
    QFETCH(DataType, type);
    QFETCH(std::string, stats);
    QFETCH(std::string, decisions);
    QFETCH(std::string, diagnostics);
    QFETCH(std::string, merged);

    const DatasetSyncResult result = engine().syncDataset(local, server);
    QCOMPARE(statsString(result.stats(type)), stats);
    QCOMPARE(decisionsString(result.decisions(type)), decisions);
    QCOMPARE(diagnosticsString(result.diagnostics(type)), diagnostics);
    QCOMPARE(mergedNumbers(result.merged, type), merged);
    QCOMPARE(std::int64_t(result.conflictCount(type)), result.stats(type).conflicts);
    QCOMPARE(result.merged.last_sync, std::optional<Timestamp>(Now));

    // The other data types were empty on both sides and stay so.
    for (DataType other : AllDataTypes) {
        if (other != type)
            QCOMPARE(statsString(result.stats(other)), std::string("0/0/0/0/0/0/0/0"));
    }
}

void TestSyncEngine::decisionExplanations()
{
    const std::vector<Deck> local{deck(1, "2024-06-01T10:00:00Z", 3), deck(5, "2024-06-01T10:00:00Z", 1)};
    const SyncResult<Deck> decks = engine().syncDecks(
        local, {deck(1, "2024-06-01T09:00:00Z", 2), deck(2, "2024-06-01T07:00:00Z", 1), deck(3, "2024-06-01T07:00:00Z", 1)});
    QCOMPARE(decks.decisions.size(), std::size_t(4));
    QCOMPARE(decks.decisions[0].explanation, std::string("local kept: version 3 > 2"));
    QCOMPARE(decks.decisions[1].explanation, std::string("added: new on this device"));
    QCOMPARE(decks.decisions[2].explanation, std::string("deleted: this device no longer holds it"));
    QCOMPARE(decks.decisions[3].item_id, testutil::id(3));

    const std::vector<Progress> localProgress{progress(1, "2024-06-01T10:40:00Z", 8)};
    const SyncResult<Progress> merged = engine().syncProgress(localProgress, {progress(1, "2024-06-01T10:20:00Z", 9)});
    QCOMPARE(merged.decisions.at(0).explanation,
             std::string("merged: max cards_studied, cards_mastered, total_cards, streak_days and last_studied; sum "
                         "total_time_spent; version max+1"));
}

void TestSyncEngine::mergeFailedFallsBackToLocal()
{
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const std::vector<Progress> local{progress(1, "2024-06-01T10:40:00Z", 3, max, 42)};
    const SyncResult<Progress> r = engine().syncProgress(local, {progress(1, "2024-06-01T10:20:00Z", 4, 10, 50)});
    QCOMPARE(r.merged_items.size(), std::size_t(1));
    // The local copy as it was: no max of the counters, no version bump.
    QCOMPARE(r.merged_items[0].total_time_spent, max);
    QCOMPARE(r.merged_items[0].cards_studied, std::int64_t(42));
    QCOMPARE(r.merged_items[0].version, std::int64_t(3));
    QCOMPARE(r.decisions.at(0).kind, DecisionKind::MergeFailed);
    QCOMPARE(r.decisions.at(0).explanation, std::string("local kept: the merge was refused, the seed falls back to local"));
    QCOMPARE(r.diagnostics.size(), std::size_t(1));
    QCOMPARE(r.diagnostics[0].severity, Severity::Error);
    QCOMPARE(r.diagnostics[0].message,
             std::string("total_time_spent 9223372036854775807 + 10 overflows a 64-bit integer; merge refused"));
}

// ---- the deletion rule -----------------------------------------------------------------------

void TestSyncEngine::deletionRule_data()
{
    QTest::addColumn<std::optional<Timestamp>>("lastSync");
    QTest::addColumn<std::string>("serverTime");
    QTest::addColumn<std::string>("warning"); // empty: a legitimate deletion

    QTest::newRow("never synced") << std::optional<Timestamp>() << std::string("2024-05-20T08:00:00Z")
                                  << std::string("deleted because this device does not hold it, although this device has never "
                                                 "synced: it never saw this item");
    QTest::newRow("server changed after last_sync")
        << std::optional<Timestamp>(LastSync) << std::string("2024-06-01T10:30:00Z")
        << std::string("deleted because this device does not hold it, although the server changed it after this device last synced (updated_at "
                       "2024-06-01T10:30:00Z, last synced 2024-06-01T08:00:00Z): this device never saw that version");
    QTest::newRow("server changed a nanosecond after last_sync")
        << std::optional<Timestamp>(LastSync) << std::string("2024-06-01T08:00:00.000000001Z")
        << std::string("deleted because this device does not hold it, although the server changed it after this device last synced (updated_at "
                       "2024-06-01T08:00:00.000000001Z, last synced 2024-06-01T08:00:00Z): this device never saw that version");
    QTest::newRow("server unchanged, exactly at last_sync") << std::optional<Timestamp>(LastSync)
                                                            << std::string("2024-06-01T08:00:00Z") << std::string();
    QTest::newRow("legitimate deletion") << std::optional<Timestamp>(LastSync) << std::string("2024-05-20T08:00:00Z")
                                         << std::string();
}

void TestSyncEngine::deletionRule()
{
    QFETCH(std::optional<Timestamp>, lastSync);
    QFETCH(std::string, serverTime);
    QFETCH(std::string, warning);

    const std::vector<Deck> local{deck(1, "2024-06-01T07:00:00Z", 1)};
    const SyncResult<Deck> r =
        engine(lastSync).syncDecks(local, {deck(1, "2024-06-01T07:00:00Z", 1), deck(2, serverTime.c_str(), 1)});
    QCOMPARE(r.stats.deleted, std::int64_t(1));
    QCOMPARE(numbers(r.merged_items, [](const Deck& d) { return d.id; }), std::string("1"));
    const std::vector<std::string> warnings = messagesFor(r.diagnostics, "deletion-unseen");
    if (warning.empty()) {
        QVERIFY(warnings.empty());
        return;
    }
    QCOMPARE(warnings.size(), std::size_t(1));
    QCOMPARE(warnings[0], warning);
    QCOMPARE(r.diagnostics.back().item_id, testutil::id(2));
    QCOMPARE(r.diagnostics.back().severity, Severity::Warning);
}

void TestSyncEngine::deletionUnseenNamesTheTimestamp()
{
    const SyncResult<StarredDeck> starredResult = engine().syncStarred({}, {starred(4, "2024-06-01T10:00:00Z")});
    QCOMPARE(messagesFor(starredResult.diagnostics, "deletion-unseen"),
             std::vector<std::string>{"deleted because this device does not hold it, although the server changed it after this device last synced "
                                      "(starred_at 2024-06-01T10:00:00Z, last synced 2024-06-01T08:00:00Z): this device never saw "
                                      "that version"});
    const SyncResult<Progress> progressResult = engine().syncProgress({}, {progress(3, "2024-06-01T10:00:00Z", 1)});
    QCOMPARE(messagesFor(progressResult.diagnostics, "deletion-unseen"),
             std::vector<std::string>{"deleted because this device does not hold it, although the server changed it after this device last synced "
                                      "(last_studied 2024-06-01T10:00:00Z, last synced 2024-06-01T08:00:00Z): this device never saw "
                                      "that version"});
    // Achievements and preferences are never deleted, so never warned about.
    const SyncResult<Achievement> achievementResult =
        engine(std::nullopt).syncAchievements({}, {achievement(5, "2024-06-01T10:00:00Z")});
    QCOMPARE(achievementResult.stats.deleted, std::int64_t(0));
    QVERIFY(achievementResult.diagnostics.empty());
}

// ---- conflict records ------------------------------------------------------------------------

void TestSyncEngine::conflictRecordsPreMergeServerItem()
{
    const Deck local = deck(1, "2024-06-01T10:00:00Z", 3, "Local", "local content");
    const Deck server = deck(1, "2024-06-01T09:00:00Z", 2, "Server", "server content");
    const std::vector<Deck> locals{local};
    const SyncResult<Deck> r = engine().syncDecks(locals, {server});

    QCOMPARE(r.merged_items.at(0).title, std::string("Local"));
    QCOMPARE(r.conflicts.size(), std::size_t(1));
    const SyncConflict<Deck>& c = r.conflicts[0];
    QCOMPARE(c.item_id, testutil::id(1));
    QCOMPARE(c.resolution, ConflictResolution::UseLocal);
    QCOMPARE(c.resolved_at, Now);
    // The server's copy as it was before the local one replaced it (the seed recorded the replacement).
    QCOMPARE(codec::encodeItem(c.server_item), codec::encodeItem(server));
    QCOMPARE(codec::encodeItem(c.local_item), codec::encodeItem(local));

    // Preferences, where the local side wins on version.
    const SyncResult<UserPreferences> p = engine().syncPreferences(preferences(1, "2024-06-01T10:00:00Z", 6, "dark"),
                                                                   preferences(1, "2024-06-01T09:00:00Z", 5, "light"));
    QCOMPARE(p.conflicts.size(), std::size_t(1));
    QCOMPARE(p.conflicts[0].server_item.theme, std::string("light"));
    QCOMPARE(p.conflicts[0].server_item.version, std::int64_t(5));
    QCOMPARE(p.conflicts[0].local_item.theme, std::string("dark"));
    QCOMPARE(p.merged_items.at(0).theme, std::string("dark"));
    QCOMPARE(p.conflicts[0].resolved_at, Now);
}

// ---- order -----------------------------------------------------------------------------------

void TestSyncEngine::mergedOrder_data()
{
    QTest::addColumn<std::optional<Timestamp>>("lastSync");
    QTest::addColumn<std::string>("order");

    // Server 4 2 3 1; local 5 3 6 1 4 with 3, 5 and 6 changed: 2 is deleted, 3 replaced in
    // place, 5 and 6 appended in local order.
    QTest::newRow("after a sync") << std::optional<Timestamp>(LastSync) << std::string("4 3 1 5 6");
    QTest::newRow("never synced") << std::optional<Timestamp>() << std::string("4 3 1 5 6");
}

void TestSyncEngine::mergedOrder()
{
    QFETCH(std::optional<Timestamp>, lastSync);
    QFETCH(std::string, order);

    const std::vector<Deck> server{deck(4, "2024-06-01T07:00:00Z", 1, "server 4"), deck(2, "2024-06-01T07:00:00Z", 1),
                                   deck(3, "2024-06-01T07:00:00Z", 1, "server 3"), deck(1, "2024-06-01T07:00:00Z", 1)};
    const std::vector<Deck> local{deck(5, "2024-06-01T10:00:00Z", 1), deck(3, "2024-06-01T10:00:00Z", 2, "local 3"),
                                  deck(6, "2024-06-01T11:00:00Z", 1), deck(1, "2024-06-01T07:00:00Z", 1),
                                  deck(4, "2024-06-01T07:00:00Z", 1, "server 4")};
    const SyncResult<Deck> r = engine(lastSync).syncDecks(local, server);
    QCOMPARE(numbers(r.merged_items, [](const Deck& d) { return d.id; }), order);
    QCOMPARE(r.merged_items[1].title, std::string("local 3"));
    QCOMPARE(r.merged_items[0].title, std::string("server 4"));
    QCOMPARE(r.stats.deleted, std::int64_t(1));
    QCOMPARE(r.stats.added, std::int64_t(2));
}

// ---- first-match semantics -------------------------------------------------------------------

void TestSyncEngine::firstMatchWithServerDuplicates()
{
    // The seed's linear search finds the first server copy of id 1; the second stays as it is.
    const std::vector<Deck> server{deck(1, "2024-06-01T07:00:00Z", 1, "first"), deck(2, "2024-06-01T07:00:00Z", 1),
                                   deck(1, "2024-06-01T07:00:00Z", 5, "second")};
    const std::vector<Deck> local{deck(1, "2024-06-01T10:00:00Z", 3, "local"), deck(2, "2024-06-01T07:00:00Z", 1)};
    const SyncResult<Deck> r = engine().syncDecks(local, server);

    QCOMPARE(numbers(r.merged_items, [](const Deck& d) { return d.id; }), std::string("1 2 1"));
    QCOMPARE(r.merged_items[0].title, std::string("local")); // v3 beat the first copy's v1, not the second's v5
    QCOMPARE(r.merged_items[2].title, std::string("second"));
    QCOMPARE(statsString(r.stats), std::string("3/0/1/0/1/1/0/0"));
    QCOMPARE(r.conflicts.at(0).server_item.title, std::string("first"));
    QCOMPARE(diagnosticsString(r.diagnostics), std::string("1:duplicate-id"));
    QCOMPARE(r.diagnostics[0].message,
             std::string("id appears more than once in the server decks (items 0 and 2); the seed matches only the first"));
}

void TestSyncEngine::firstMatchWithLocalDuplicates()
{
    // Both local copies are processed in order; the second meets the first one's result.
    const std::vector<Deck> local{deck(1, "2024-06-01T10:00:00Z", 3, "a"), deck(1, "2024-06-01T11:00:00Z", 4, "b")};
    const SyncResult<Deck> r = engine().syncDecks(local, {deck(1, "2024-06-01T09:00:00Z", 2, "s")});

    QCOMPARE(numbers(r.merged_items, [](const Deck& d) { return d.id; }), std::string("1"));
    QCOMPARE(r.merged_items[0].title, std::string("b"));
    QCOMPARE(statsString(r.stats), std::string("1/0/2/0/2/2/0/0"));
    QCOMPARE(r.conflicts.size(), std::size_t(2));
    QCOMPARE(r.conflicts[0].server_item.title, std::string("s"));
    QCOMPARE(r.conflicts[1].server_item.title, std::string("a"));
    QCOMPARE(decisionsString(r.decisions), std::string("1:local-kept 1:local-kept"));
    QCOMPARE(messagesFor(r.diagnostics, "duplicate-id"),
             std::vector<std::string>{"id appears more than once in the local decks (items 0 and 1); each copy is "
                                      "synced in turn, the later against what the earlier left"});
}

void TestSyncEngine::duplicateNewLocalItems()
{
    // A new id twice on the device: the first is added, the second resolved against it.
    const std::vector<Deck> local{deck(7, "2024-06-01T10:00:00Z", 1, "x"), deck(7, "2024-06-01T11:00:00Z", 2, "y"),
                                  deck(8, "2024-06-01T11:00:00Z", 1)};
    const SyncResult<Deck> r = engine().syncDecks(local, {});
    QCOMPARE(numbers(r.merged_items, [](const Deck& d) { return d.id; }), std::string("7 8"));
    QCOMPARE(r.merged_items[0].title, std::string("y"));
    QCOMPARE(statsString(r.stats), std::string("2/2/1/0/1/1/0/0"));
    QCOMPARE(decisionsString(r.decisions), std::string("7:added 7:local-kept 8:added"));
}

// ---- what is looked at -----------------------------------------------------------------------

void TestSyncEngine::unchangedLocalItemsSkipped_data()
{
    QTest::addColumn<std::string>("localTime");
    QTest::addColumn<std::string>("title");
    QTest::addColumn<std::string>("stats");

    QTest::newRow("before last_sync: skipped") << std::string("2024-06-01T07:59:59Z") << std::string("server")
                                               << std::string("1/0/0/0/0/0/0/0");
    QTest::newRow("exactly at last_sync: skipped") << std::string("2024-06-01T08:00:00Z") << std::string("server")
                                                   << std::string("1/0/0/0/0/0/0/0");
    QTest::newRow("a nanosecond after: processed") << std::string("2024-06-01T08:00:00.000000001Z")
                                                   << std::string("local") << std::string("1/0/1/0/1/1/0/0");
}

void TestSyncEngine::unchangedLocalItemsSkipped()
{
    QFETCH(std::string, localTime);
    QFETCH(std::string, title);
    QFETCH(std::string, stats);

    // The local copy has the higher version: only the last_sync filter keeps the server's.
    const std::vector<Deck> local{deck(1, localTime.c_str(), 9, "local")};
    const SyncResult<Deck> r = engine().syncDecks(local, {deck(1, "2024-06-01T07:00:00Z", 1, "server")});
    QCOMPARE(r.merged_items.at(0).title, title);
    QCOMPARE(statsString(r.stats), stats);
    QVERIFY(r.diagnostics.empty());
}

void TestSyncEngine::clockSkew()
{
    const std::vector<Deck> local{deck(1, "2024-06-02T00:00:00Z", 1), deck(2, "2024-06-01T12:00:00Z", 1),
                                  deck(3, "2024-06-01T07:00:00Z", 1)};
    const SyncResult<Deck> r = engine().syncDecks(
        local, {deck(3, "2024-06-01T12:00:00.000000001Z", 1), deck(2, "2024-06-01T12:00:00Z", 1)});
    // Exactly now is fine; anything after it is skew, on either side.
    QCOMPARE(diagnosticsString(r.diagnostics), std::string("1:clock-skew 3:clock-skew"));
    QCOMPARE(messagesFor(r.diagnostics, "clock-skew"),
             (std::vector<std::string>{
                 "local updated_at 2024-06-02T00:00:00Z is after now (2024-06-01T12:00:00Z): clock skew on that device?",
                 "server updated_at 2024-06-01T12:00:00.000000001Z is after now (2024-06-01T12:00:00Z): clock skew on "
                 "that device?"}));
    // A warning only: the sync itself goes on.
    QCOMPARE(statsString(r.stats), std::string("3/1/1/0/0/1/0/0"));
}

void TestSyncEngine::sameVersionDifferentContent_data()
{
    QTest::addColumn<Deck>("local");
    QTest::addColumn<Deck>("server");
    QTest::addColumn<bool>("warned");

    QTest::newRow("title differs") << deck(1, "2024-06-01T10:00:00Z", 4, "L") << deck(1, "2024-06-01T10:00:00Z", 4, "S")
                                   << true;
    QTest::newRow("content differs") << deck(1, "2024-06-01T10:00:00Z", 4, "T", "a")
                                     << deck(1, "2024-06-01T11:00:00Z", 4, "T", "b") << true;
    QTest::newRow("identical") << deck(1, "2024-06-01T10:00:00Z", 4) << deck(1, "2024-06-01T10:00:00Z", 4) << false;
    QTest::newRow("only the timestamp differs") << deck(1, "2024-06-01T10:00:00Z", 4)
                                                << deck(1, "2024-06-01T11:00:00Z", 4) << false;
    QTest::newRow("different versions") << deck(1, "2024-06-01T10:00:00Z", 5, "L")
                                        << deck(1, "2024-06-01T10:00:00Z", 4, "S") << false;
}

void TestSyncEngine::sameVersionDifferentContent()
{
    QFETCH(Deck, local);
    QFETCH(Deck, server);
    QFETCH(bool, warned);

    const std::vector<Deck> locals{local};
    const SyncResult<Deck> r = engine().syncDecks(locals, {server});
    const std::vector<std::string> messages = messagesFor(r.diagnostics, "same-version-different-content");
    if (!warned) {
        QVERIFY(messages.empty());
        return;
    }
    QCOMPARE(messages, std::vector<std::string>{"same version 4 on both sides but the content differs: a device changed "
                                                "it without bumping the version; decided by updated_at"});

    // Progress is merged, not decided by a timestamp: no such warning there.
    const std::vector<Progress> localProgress{progress(2, "2024-06-01T10:00:00Z", 4, 100, 10)};
    const SyncResult<Progress> merged =
        engine().syncProgress(localProgress, {progress(2, "2024-06-01T10:00:00Z", 4, 200, 20)});
    QVERIFY(messagesFor(merged.diagnostics, "same-version-different-content").empty());
}

void TestSyncEngine::progressDoubleCount()
{
    // The server copy has not changed since last_sync: its time is already in the local total.
    const std::vector<Progress> local{progress(2, "2024-06-01T09:30:00Z", 4, 3000)};
    const SyncResult<Progress> r = engine().syncProgress(local, {progress(2, "2024-05-31T20:00:00Z", 4, 2700)});
    QCOMPARE(r.merged_items.at(0).total_time_spent, std::int64_t(5700)); // the seed's sum, kept
    QCOMPARE(diagnosticsString(r.diagnostics), std::string("2:progress-double-count"));
    QCOMPARE(r.diagnostics[0].message,
             std::string("total_time_spent summed to 5700 s although both sides carry the same history: the server copy "
                         "is unchanged since this device last synced, so its 2700 s are already in the local 3000 s"));
}

void TestSyncEngine::localDropped_data()
{
    QTest::addColumn<std::optional<Timestamp>>("lastSync");
    QTest::addColumn<std::string>("merged");
    QTest::addColumn<std::string>("diagnostics");

    QTest::newRow("unchanged since last_sync: dropped") << std::optional<Timestamp>(LastSync) << std::string("1")
                                                        << std::string("9:local-dropped");
    QTest::newRow("never synced: added") << std::optional<Timestamp>() << std::string("1 9") << std::string();
}

void TestSyncEngine::localDropped()
{
    QFETCH(std::optional<Timestamp>, lastSync);
    QFETCH(std::string, merged);
    QFETCH(std::string, diagnostics);

    const std::vector<StarredDeck> local{starred(1, "2024-06-01T07:00:00Z"), starred(9, "2024-05-29T12:00:00Z")};
    const SyncResult<StarredDeck> r = engine(lastSync).syncStarred(local, {starred(1, "2024-06-01T07:00:00Z")});
    QCOMPARE(numbers(r.merged_items, [](const StarredDeck& s) { return s.id; }), merged);
    QCOMPARE(diagnosticsString(r.diagnostics), diagnostics);
    if (!diagnostics.empty()) {
        QCOMPARE(r.diagnostics[0].severity, Severity::Info);
        QCOMPARE(r.diagnostics[0].message,
                 std::string("not on the server and unchanged on this device since it last synced: the new state drops it (deleted on "
                             "another device?)"));
    }
}

// ---- preferences -----------------------------------------------------------------------------

void TestSyncEngine::preferencesLocalAbsentKeepsServer()
{
    // The server's copy carries an unknown member; it must come back untouched.
    const Decoded<UserPreferences> server = codec::decodeItem<UserPreferences>(
        R"({"user_id":"01234567-89ab-4cde-8000-000000000001","theme":"light","language":"en","sound_enabled":false,)"
        R"("daily_goal":20,"updated_at":"2024-06-01T09:00:00Z","version":5,"font_scale":1.25})");
    QVERIFY(server.ok());

    const SyncResult<UserPreferences> r = engine().syncPreferences(std::nullopt, server.value());
    QCOMPARE(r.merged_items.size(), std::size_t(1));
    QCOMPARE(codec::encodeItem(r.merged_items[0]), codec::encodeItem(server.value()));
    QCOMPARE(statsString(r.stats), std::string("1/0/0/0/0/0/0/0"));
    QVERIFY(r.decisions.empty());
    QVERIFY(r.diagnostics.empty());
    QVERIFY(r.conflicts.empty());

    Dataset serverSet;
    serverSet.preferences = server.value();
    const DatasetSyncResult d = engine().syncDataset(Dataset{}, serverSet);
    QVERIFY(d.merged.preferences.has_value());
    QCOMPARE(codec::encodeItem(*d.merged.preferences), codec::encodeItem(server.value()));
    QCOMPARE(statsString(d.stats(DataType::Preferences)), std::string("1/0/0/0/0/0/0/0"));
}

void TestSyncEngine::preferencesServerAbsentAddsLocal()
{
    const SyncResult<UserPreferences> r =
        engine().syncPreferences(preferences(1, "2024-06-01T10:00:00Z", 5), std::nullopt);
    QCOMPARE(r.merged_items.size(), std::size_t(1));
    QCOMPARE(r.merged_items[0].theme, std::string("dark"));
    QCOMPARE(statsString(r.stats), std::string("1/1/0/0/0/0/0/0"));
    QCOMPARE(decisionsString(r.decisions), std::string("1:added"));
}

void TestSyncEngine::preferencesBothAbsent()
{
    const SyncResult<UserPreferences> r = engine().syncPreferences(std::nullopt, std::nullopt);
    QVERIFY(r.merged_items.empty());
    QCOMPARE(statsString(r.stats), std::string("0/0/0/0/0/0/0/0"));
    const DatasetSyncResult d = engine().syncDataset(Dataset{}, Dataset{});
    QVERIFY(!d.merged.preferences.has_value());
}

void TestSyncEngine::preferencesUserMismatch()
{
    const UserPreferences local = preferences(1, "2024-06-01T10:00:00Z", 5, "dark");
    const UserPreferences server = preferences(2, "2024-06-01T09:00:00Z", 5, "light");

    // The seed's perform_sync: a different user_id is a new item, and preferences are never deleted.
    const SyncResult<UserPreferences> r = engine().syncPreferences(local, server);
    // Only the server's object stays; the stats and decisions say what was written.
    QCOMPARE(numbers(r.merged_items, [](const UserPreferences& p) { return p.user_id; }), std::string("2"));
    QCOMPARE(statsString(r.stats), std::string("1/0/0/0/0/0/0/0"));
    QVERIFY(r.decisions.empty());
    QCOMPARE(diagnosticsString(r.diagnostics), std::string("1:preferences-user-mismatch"));
    QCOMPARE(r.diagnostics[0].severity, Severity::Error);
    QCOMPARE(r.diagnostics[0].message,
             std::string("local and server preferences belong to different users (01234567-89ab-4cde-8000-000000000001 "
                         "and 01234567-89ab-4cde-8000-000000000002); the server's are written, the local ones are in this "
                         "report only"));

    // The dataset holds one preferences object: the server's is written.
    Dataset localSet, serverSet;
    localSet.preferences = local;
    serverSet.preferences = server;
    const DatasetSyncResult d = engine().syncDataset(localSet, serverSet);
    QVERIFY(d.merged.preferences.has_value());
    QCOMPARE(d.merged.preferences->user_id, testutil::id(2));
    QCOMPARE(d.merged.preferences->theme, std::string("light"));
    QCOMPARE(diagnosticsString(d.diagnostics(DataType::Preferences)), std::string("1:preferences-user-mismatch"));
}

// ---- the bundled samples ---------------------------------------------------------------------

void TestSyncEngine::samplesStats_data()
{
    QTest::addColumn<DataType>("type");
    QTest::addColumn<std::string>("stats");
    QTest::addColumn<std::string>("codes");

    QTest::newRow("decks") << DataType::Decks << std::string("7/2/3/2/4/3/1/0")
                           << std::string("clock-skew deletion-unseen same-version-different-content "
                                          "same-version-different-content");
    QTest::newRow("achievements") << DataType::Achievements << std::string("4/1/1/0/0/1/1/0") << std::string();
    QTest::newRow("progress") << DataType::Progress << std::string("3/1/2/1/0/0/0/2") << std::string("progress-double-count");
    QTest::newRow("starred") << DataType::Starred << std::string("3/0/2/1/0/2/1/0") << std::string("local-dropped");
    QTest::newRow("preferences") << DataType::Preferences << std::string("1/0/1/0/1/1/0/0")
                                 << std::string("same-version-different-content");
}

void TestSyncEngine::samplesStats()
{
    QFETCH(DataType, type);
    QFETCH(std::string, stats);
    QFETCH(std::string, codes);

    const Decoded<Dataset> local = loadDatasetFile(testutil::samplePath("local.json"));
    const Decoded<Dataset> server = loadDatasetFile(testutil::samplePath("server.json"));
    QVERIFY(local.ok() && server.ok());
    const DatasetSyncResult r = SyncEngine(SyncOptions{local.value().last_sync, Now}).syncDataset(local.value(), server.value());
    QCOMPARE(statsString(r.stats(type)), stats);
    QCOMPARE(codesString(r.diagnostics(type)), codes);
    QCOMPARE(std::int64_t(r.conflictCount(type)), r.stats(type).conflicts);
}

void TestSyncEngine::samplesMergedState()
{
    const Decoded<Dataset> local = loadDatasetFile(testutil::samplePath("local.json"));
    const Decoded<Dataset> server = loadDatasetFile(testutil::samplePath("server.json"));
    QVERIFY(local.ok() && server.ok());
    const DatasetSyncResult r = SyncEngine(SyncOptions{local.value().last_sync, Now}).syncDataset(local.value(), server.value());

    // Server order with Old history (0a1b…) and Japanese kana (9e8d…) deleted; then the new
    // Chemistry and Italian decks in local order.
    std::vector<std::string> titles;
    for (const Deck& d : r.merged.decks)
        titles.push_back(d.title);
    QCOMPARE(titles, (std::vector<std::string>{"Statistics", "Spanish verbs", "Biology: cells", "French basics",
                                               "German numbers 1–20", "Chemistry: periodic table", "Italian phrases"}));
    // The server's unknown members stay, the device's come along with its items.
    const std::string out = codec::encodeDataset(r.merged);
    QVERIFY(out.find("\"last_sync\": \"2024-06-01T12:00:00Z\",\n  \"revision\": 41,") != std::string::npos);
    QVERIFY(out.find("\"card_count\": 6") != std::string::npos);
    QVERIFY(out.find("\"device\"") == std::string::npos);
    QCOMPARE(r.merged.progress.at(1).total_time_spent, std::int64_t(5700));
    QCOMPARE(r.merged.preferences->theme, std::string("dark"));
}

void TestSyncEngine::determinism()
{
    const Decoded<Dataset> local = loadDatasetFile(testutil::samplePath("local.json"));
    const Decoded<Dataset> server = loadDatasetFile(testutil::samplePath("server.json"));
    QVERIFY(local.ok() && server.ok());
    const SyncEngine syncEngine(SyncOptions{local.value().last_sync, Now});

    const DatasetSyncResult first = syncEngine.syncDataset(local.value(), server.value());
    const DatasetSyncResult second = syncEngine.syncDataset(local.value(), server.value());
    const std::string report = codec::encodeReport(first);
    QCOMPARE(codec::encodeDataset(second.merged), codec::encodeDataset(first.merged));
    QCOMPARE(codec::encodeReport(second), report);

    // The clock is the injected one: resolved_at and merge timestamps are `now`, not wall time.
    QVERIFY(report.find("\"resolved_at\": \"2024-06-01T12:00:00Z\"") != std::string::npos);
    const DatasetSyncResult later =
        SyncEngine(SyncOptions{local.value().last_sync, Now.addSeconds(1)}).syncDataset(local.value(), server.value());
    QVERIFY(codec::encodeReport(later) != report);
}

// ---- linear lookups, same answers as the seed's linear search -------------------------------

void TestSyncEngine::largeSyncCompletes()
{
    // 100k items per side, half shared: a quadratic engine would need 10^10 comparisons.
    constexpr std::uint64_t n = 100000;
    std::vector<Deck> server, local;
    server.reserve(n);
    local.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        server.push_back(deck(i, "2024-06-01T07:00:00Z", 1));
        local.push_back(deck(i + n / 2, "2024-06-01T10:00:00Z", 2));
    }
    const SyncResult<Deck> r = engine().syncDecks(local, std::move(server));
    QCOMPARE(statsString(r.stats), std::string("100000/50000/50000/50000/0/50000/0/0"));
    QVERIFY(r.diagnostics.empty());
    QCOMPARE(r.merged_items.size(), std::size_t(n));
    for (std::uint64_t i = 0; i < n; ++i) {
        if (num(r.merged_items[i].id) != i + n / 2)
            QFAIL(("item " + std::to_string(i) + " is out of order").c_str());
    }
    QCOMPARE(r.merged_items.front().version, std::int64_t(2));
}

void TestSyncEngine::matchesNaiveReference_data()
{
    QTest::addColumn<DataType>("type");
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<bool>("neverSynced");

    QTest::newRow("decks, seed 1") << DataType::Decks << quint64(1) << false;
    QTest::newRow("decks, seed 2, never synced") << DataType::Decks << quint64(2) << true;
    QTest::newRow("progress, seed 3") << DataType::Progress << quint64(3) << false;
    QTest::newRow("progress, seed 4, never synced") << DataType::Progress << quint64(4) << true;
    QTest::newRow("starred, seed 5") << DataType::Starred << quint64(5) << false;
}

void TestSyncEngine::matchesNaiveReference()
{
    QFETCH(DataType, type);
    QFETCH(quint64, seed);
    QFETCH(bool, neverSynced);

    const std::optional<Timestamp> lastSync = neverSynced ? std::nullopt : std::optional<Timestamp>(LastSync);
    RandomItems random(seed);
    constexpr std::size_t n = 2000;

    auto check = [&]<class T>(std::vector<T> local, std::vector<T> server, const MergeStrategy<T>& strategy) {
        const Reference<T> expected = naiveSync(local, server, lastSync, strategy);
        const SyncResult<T> actual = engine(lastSync).performSync(std::span<const T>(local), server, strategy);
        QCOMPARE(statsString(actual.stats), statsString(expected.stats));
        const auto idOf = [](const T& item) { return SyncTraits<T>::id(item); };
        QCOMPARE(numbers(actual.merged_items, idOf), numbers(expected.merged, idOf));
        QCOMPARE(encodeAll(actual.merged_items), encodeAll(expected.merged));
        QCOMPARE(actual.conflicts.size(), expected.conflicts.size());
        for (std::size_t i = 0; i < expected.conflicts.size(); ++i) {
            QCOMPARE(actual.conflicts[i].item_id, expected.conflicts[i].item_id);
            QCOMPARE(codec::encodeItem(actual.conflicts[i].server_item), codec::encodeItem(expected.conflicts[i].server_item));
        }
        // The case is not trivial: it exercises every counter the strategy can move.
        QVERIFY(expected.stats.added > 0);
        QVERIFY(expected.stats.updated > 0);
        QVERIFY(expected.stats.deleted > 0);
    };

    switch (type) {
    case DataType::Decks:
        check(makeItems<Deck>(n, [&] { return random.deck(); }), makeItems<Deck>(n, [&] { return random.deck(); }),
              DeckMergeStrategy{});
        break;
    case DataType::Progress:
        check(makeItems<Progress>(n, [&] { return random.progress(); }),
              makeItems<Progress>(n, [&] { return random.progress(); }), ProgressMergeStrategy{});
        break;
    case DataType::Starred:
        check(makeItems<StarredDeck>(n, [&] { return random.starred(); }),
              makeItems<StarredDeck>(n, [&] { return random.starred(); }), StarredMergeStrategy{});
        break;
    default:
        QFAIL("no generator for this type");
    }
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
