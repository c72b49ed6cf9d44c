// SPDX-License-Identifier: MIT
// The safe profile: a three-way merge against a base. One row per branch and type (base,
// device, server, the expected result and its explanation), then properties over random
// triples: a field changed on one side only is taken with no conflict, and no edit made since
// the base is lost without a conflict that names it.
#include "builders.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/profilecompare.h"
#include "engine/reportcodec.h"
#include "engine/syncengine.h"
#include "engine/syncsnapshot.h"

#include <QObject>
#include <QTest>

#include <cstdint>
#include <random>

using namespace decksync;
using namespace builders;

Q_DECLARE_METATYPE(decksync::Dataset)
Q_DECLARE_METATYPE(decksync::DataType)
Q_DECLARE_METATYPE(decksync::Profile)

namespace {

const Timestamp Now = testutil::ts("2024-06-01T12:00:00Z");
const Timestamp LastSync = testutil::ts("2024-06-01T08:00:00Z");
constexpr const char* BaseTime = "2024-06-01T08:00:00Z";

Dataset decks(std::vector<Deck> items)
{
    Dataset d;
    d.decks = std::move(items);
    return d;
}

Deck baseDeck(std::uint64_t n = 1) { return deck(n, BaseTime, 2, "T", "C"); }

Deck edited(Deck d, const char* at, std::int64_t version, const char* title = nullptr, const char* content = nullptr)
{
    d.updated_at = testutil::ts(at);
    d.version = version;
    if (title)
        d.title = title;
    if (content)
        d.content = content;
    return d;
}

Progress baseProgress() { return progress(1, BaseTime, 2, 100, 10); }

Progress studied(Progress p, const char* at, std::int64_t version, std::int64_t time, std::int64_t cards)
{
    p.last_studied = testutil::ts(at);
    p.version = version;
    p.total_time_spent = time;
    p.cards_studied = cards;
    return p;
}

/// The result of one type, in short: what each row checks.
std::string summary(const Dataset& d, DataType type)
{
    std::string out;
    const auto add = [&](std::string s) { out += (out.empty() ? "" : " ") + s; };
    switch (type) {
    case DataType::Decks:
        for (const Deck& x : d.decks)
            add(std::to_string(num(x.id)) + ':' + x.title + '/' + x.content + "/v" + std::to_string(x.version)
                + (x.updated_at == Now ? "/now" : ""));
        break;
    case DataType::Achievements:
        for (const Achievement& x : d.achievements)
            add(std::to_string(num(x.id)) + ':' + x.achievement_type + '/' + x.earned_at.toString());
        break;
    case DataType::Progress:
        for (const Progress& x : d.progress)
            add(std::to_string(num(x.id)) + ":studied " + std::to_string(x.cards_studied) + "/time "
                + std::to_string(x.total_time_spent) + "/v" + std::to_string(x.version));
        break;
    case DataType::Starred:
        for (const StarredDeck& x : d.starred)
            add(std::to_string(num(x.id)) + ':' + x.starred_at.toString());
        break;
    case DataType::Preferences:
        if (d.preferences)
            add(d.preferences->theme + '/' + d.preferences->language + "/v" + std::to_string(d.preferences->version));
        break;
    }
    return out;
}

DatasetSyncResult safeRun(const Dataset& local, const Dataset& server, const Dataset* base,
                          std::optional<Timestamp> lastSync = LastSync)
{
    SyncEngine engine(SyncOptions{lastSync, Now, Profile::Safe});
    engine.setBase(base);
    return engine.syncDataset(local, server);
}

std::string explanations(const std::vector<Decision>& decisions)
{
    std::string out;
    for (const Decision& d : decisions)
        out += d.explanation + '\n';
    return out;
}

} // namespace

class TestSafeMerge : public QObject {
    Q_OBJECT

private slots:
    void branches_data();
    void branches();
    void profileNames();
    void seedIgnoresTheBase();
    void oneSidedChangesNeverConflict();
    void noEditLostWithoutConflict();
    void deterministic();
    void snapshotAlignsTheBase();
    void takingTheOtherProfilesResult_data();
    void takingTheOtherProfilesResult();
    void rowsStayAlignedWithRepeatedIds_data();
    void rowsStayAlignedWithRepeatedIds();
};

void TestSafeMerge::branches_data()
{
    QTest::addColumn<DataType>("type");
    QTest::addColumn<bool>("hasBase");
    QTest::addColumn<Dataset>("base");
    QTest::addColumn<Dataset>("local");
    QTest::addColumn<Dataset>("server");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("stats"); // total/added/updated/deleted/conflicts/local_wins/server_wins/merged
    QTest::addColumn<QString>("decisions");
    QTest::addColumn<QString>("because");

    const Deck b = baseDeck();
    const Dataset base = decks({b});
    const auto row = [](const char* name) { return &QTest::newRow(name); };
    *row("decks: the device changed the title") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, "T2")}) << base << "1:T2/C/v3" << "1/0/1/0/0/1/0/0"
        << "1:local-kept" << "title from the device: the server did not change it since the base";
    *row("decks: the server changed the content") << DataType::Decks << true << base << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, nullptr, "C2")}) << "1:T/C2/v3" << "1/0/0/0/0/0/1/0"
        << "1:server-kept" << "content from the server: the device did not change it since the base";
    *row("decks: each side changed another field") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, "T2")})
        << decks({edited(b, "2024-06-01T10:00:00Z", 3, nullptr, "C2")}) << "1:T2/C2/v4/now" << "1/0/1/0/0/0/0/1"
        << "1:merged" << "merged: title from the device: the server did not change it since the base; content from "
                         "the server: the device did not change it since the base";
    *row("decks: both made the same change") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, "T2")}) << decks({edited(b, "2024-06-01T10:00:00Z", 3, "T2")})
        << "1:T2/C/v3" << "1/0/0/0/0/0/1/0" << "1:server-kept"
        << "server's kept: the same content on both sides, and the server's updated_at is later";
    *row("decks: both changed the title, the higher version wins") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T11:00:00Z", 3, "TL")}) << decks({edited(b, "2024-06-01T10:00:00Z", 4, "TS")})
        << "1:TS/C/v4" << "1/0/0/0/1/0/1/0" << "1:server-kept"
        << "conflict: both changed title; the server's is kept: the server's version is higher (4 > 3)";
    *row("decks: a clock after now is not trusted") << DataType::Decks << true << base
        << decks({edited(b, "2030-01-01T00:00:00Z", 3, "TL")}) << decks({edited(b, "2024-06-01T10:00:00Z", 3, "TS")})
        << "1:TS/C/v3" << "1/0/0/0/1/0/1/0" << "1:server-kept"
        << "the device's updated_at 2030-01-01T00:00:00Z is after now (2024-06-01T12:00:00Z), so it is not trusted";
    *row("decks: deleted on the device, unchanged on the server") << DataType::Decks << true << base << Dataset{}
        << base << "" << "0/0/0/1/0/0/0/0" << "1:deleted"
        << "deleted: the device deleted it, and the server did not change it since the base";
    *row("decks: deleted on the device, changed on the server") << DataType::Decks << true << base << Dataset{}
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, nullptr, "C2")}) << "1:T/C2/v3" << "1/0/0/0/1/0/0/0"
        << "1:server-kept"
        << "conflict: deleted on the device, changed on the server since the base; kept until someone resolves it";
    *row("decks: deleted on the server, unchanged on the device") << DataType::Decks << true << base << base
        << Dataset{} << "" << "0/0/0/0/0/0/0/0" << "1:deleted"
        << "stays deleted: the server deleted it, and the device did not change it since the base";
    *row("decks: deleted on the server, changed on the device") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, "T2")}) << Dataset{} << "1:T2/C/v3" << "1/1/0/0/1/0/0/0"
        << "1:local-kept"
        << "conflict: deleted on the server, changed on the device since the base; kept until someone resolves it";
    *row("decks: new on the server is kept (the seed deletes it)") << DataType::Decks << true << base << base
        << decks({b, deck(2, "2024-06-01T09:00:00Z", 1, "N", "NC")}) << "1:T/C/v2 2:N/NC/v1" << "2/0/0/0/0/0/0/0"
        << "2:server-kept" << "kept: new on the server since the base (the seed would delete it)";
    *row("decks: new on the device") << DataType::Decks << true << base
        << decks({b, deck(3, "2024-06-01T09:00:00Z", 1, "D", "DC")}) << base << "1:T/C/v2 3:D/DC/v1"
        << "2/1/0/0/0/0/0/0" << "3:added" << "added: new on the device";

    // Without a base: "changed since last_sync" is the only signal, and every decision says so.
    const Deck old = deck(1, "2024-06-01T07:00:00Z", 2, "T", "C");
    *row("no base: only the device changed it since the last sync") << DataType::Decks << false << Dataset{}
        << decks({edited(old, "2024-06-01T09:00:00Z", 3, "T2")}) << decks({old}) << "1:T2/C/v3" << "1/0/1/0/0/1/0/0"
        << "1:local-kept" << "device's kept: only the device changed it since the last sync (no base)";
    *row("no base: missing on the device, unchanged on the server") << DataType::Decks << false << Dataset{}
        << Dataset{} << decks({old}) << "" << "0/0/0/1/0/0/0/0" << "1:deleted"
        << "deleted: the device deleted it, and the server did not change it since the last sync (no base)";
    *row("no base: missing on the device, changed on the server") << DataType::Decks << false << Dataset{}
        << Dataset{} << decks({edited(old, "2024-06-01T09:00:00Z", 3)}) << "1:T/C/v3" << "1/0/0/0/0/0/0/0"
        << "1:server-kept" << "kept: new on the server since the last sync (the seed would delete it) (no base)";
    *row("no base: both changed it") << DataType::Decks << false << Dataset{}
        << decks({edited(old, "2024-06-01T09:00:00Z", 3, "TL")}) << decks({edited(old, "2024-06-01T10:00:00Z", 3, "TS")})
        << "1:TS/C/v3" << "1/0/0/0/1/0/1/0" << "1:server-kept"
        << "conflict: both changed title; the server's is kept: the server's updated_at is later";

    Dataset pBase;
    pBase.progress = {baseProgress()};
    Dataset pLocal;
    pLocal.progress = {studied(baseProgress(), "2024-06-01T09:00:00Z", 3, 130, 12)};
    Dataset pServer;
    pServer.progress = {studied(baseProgress(), "2024-06-01T10:00:00Z", 3, 150, 11)};
    *row("progress: study time of both sides, counted once") << DataType::Progress << true << pBase << pLocal
        << pServer << "1:studied 12/time 180/v4" << "1/0/1/0/0/0/0/1" << "1:merged"
        << "total_time_spent: the base's 100 plus what each side added (30 on the device, 50 on the server)";
    *row("progress: no base, the larger time") << DataType::Progress << false << Dataset{} << pLocal << pServer
        << "1:studied 12/time 150/v4" << "1/0/1/0/0/0/0/1" << "1:merged"
        << "total_time_spent: the larger of the two, as there is no base to tell what each side added";

    Dataset aBase;
    aBase.achievements = {achievement(1, "2024-05-01T00:00:00Z")};
    Dataset aLater;
    aLater.achievements = {achievement(1, "2024-05-03T00:00:00Z")};
    Dataset aEarlier;
    aEarlier.achievements = {achievement(1, "2024-05-02T00:00:00Z")};
    *row("achievements: never deleted") << DataType::Achievements << true << aBase << Dataset{} << aBase
        << "1:streak_7/2024-05-01T00:00:00Z" << "1/0/0/0/0/0/0/0" << "1:server-kept"
        << "kept: not on the device, but achievements are never deleted";
    *row("achievements: both changed, the earlier stays") << DataType::Achievements << true << aBase << aEarlier
        << aLater << "1:streak_7/2024-05-02T00:00:00Z" << "1/0/1/0/1/1/0/0" << "1:local-kept"
        << "the device's earned_at is earlier (2024-05-02T00:00:00Z)";

    Dataset sBase;
    sBase.starred = {starred(1, "2024-05-01T00:00:00Z")};
    Dataset sRestarred;
    sRestarred.starred = {starred(1, "2024-06-01T09:00:00Z")};
    *row("starred: an unstar is a deletion") << DataType::Starred << true << sBase << Dataset{} << sBase << ""
        << "0/0/0/1/0/0/0/0" << "1:deleted" << "deleted: the device deleted it";
    *row("starred: unstarred on the device, starred again on the server") << DataType::Starred << true << sBase
        << Dataset{} << sRestarred << "1:2024-06-01T09:00:00Z" << "1/0/0/0/1/0/0/0" << "1:server-kept"
        << "conflict: deleted on the device, changed on the server";

    Dataset rBase;
    rBase.preferences = preferences(1000, BaseTime, 2, "dark", "en");
    Dataset rLocal;
    rLocal.preferences = preferences(1000, "2024-06-01T09:00:00Z", 3, "light", "en");
    Dataset rServer;
    rServer.preferences = preferences(1000, "2024-06-01T10:00:00Z", 3, "dark", "fr");
    *row("preferences: field by field") << DataType::Preferences << true << rBase << rLocal << rServer
        << "light/fr/v4" << "1/0/1/0/0/0/0/1" << "1000:merged"
        << "merged: theme from the device: the server did not change it since the base; language from the server";
    *row("preferences: none on the device") << DataType::Preferences << true << rBase << Dataset{} << rServer
        << "dark/fr/v3" << "1/0/0/0/0/0/0/0" << "" << "";
    *row("preferences: none on the server, still kept") << DataType::Preferences << true << rBase << rBase
        << Dataset{} << "dark/en/v2" << "1/1/0/0/0/0/0/0" << "1000:added"
        << "added: not on the server, but preferences are never deleted";
    *row("achievements: not on the server, still kept") << DataType::Achievements << true << aBase << aBase
        << Dataset{} << "1:streak_7/2024-05-01T00:00:00Z" << "1/1/0/0/0/0/0/0" << "1:added"
        << "added: not on the server, but achievements are never deleted";
    *row("decks: the kept content gets a version above both") << DataType::Decks << true << base
        << decks({edited(b, "2024-06-01T09:00:00Z", 3, "B", "D")}) << decks({edited(b, "2024-06-01T10:00:00Z", 4, "B")})
        << "1:B/D/v5/now" << "1/0/1/0/0/0/0/1" << "1:merged" << "; version 5, above the server's";
    Dataset pHuge;
    pHuge.progress = {studied(baseProgress(), "2024-06-01T09:00:00Z", 3, INT64_MAX, 12)};
    Dataset pSmall;
    pSmall.progress = {studied(baseProgress(), "2024-06-01T10:00:00Z", 3, 10, 11)};
    *row("progress: a large study time is summed without overflow") << DataType::Progress << true << pBase << pHuge
        << pSmall << "1:studied 12/time 9223372036854775717/v4" << "1/0/1/0/0/0/0/1" << "1:merged"
        << "total_time_spent: the base's 100 plus what each side added";
}

void TestSafeMerge::branches()
{
    QFETCH(DataType, type);
    QFETCH(bool, hasBase);
    QFETCH(Dataset, base);
    QFETCH(Dataset, local);
    QFETCH(Dataset, server);
    QFETCH(QString, expected);
    QFETCH(QString, stats);
    QFETCH(QString, decisions);
    QFETCH(QString, because);

    const DatasetSyncResult r = safeRun(local, server, hasBase ? &base : nullptr);
    QCOMPARE(QString::fromStdString(summary(r.merged, type)), expected);
    QCOMPARE(QString::fromStdString(statsString(r.stats(type))), stats);
    QCOMPARE(QString::fromStdString(decisionsString(r.decisions(type))), decisions);
    const QString why = QString::fromStdString(explanations(r.decisions(type)));
    QVERIFY2(why.contains(because), qPrintable(why));
    QCOMPARE(r.conflictCount(type), std::size_t(r.stats(type).conflicts));
}

void TestSafeMerge::profileNames()
{
    QCOMPARE(profileFromName("safe"), std::optional<Profile>(Profile::Safe));
    QCOMPARE(profileFromName("seed"), std::optional<Profile>(Profile::Seed));
    QCOMPARE(std::string(profileName(Profile::Safe)), std::string("safe"));
    QVERIFY(!profileFromName("Safe"));
}

// The seed profile is the specification's: a base changes nothing.
void TestSafeMerge::seedIgnoresTheBase()
{
    const Dataset base = decks({baseDeck(1), baseDeck(2)});
    const Dataset local = decks({edited(baseDeck(1), "2024-06-01T09:00:00Z", 3, "T2")});
    const Dataset server = base;
    SyncEngine plain(SyncOptions{LastSync, Now});
    SyncEngine withBase(SyncOptions{LastSync, Now});
    withBase.setBase(&base);
    const DatasetSyncResult a = plain.syncDataset(local, server);
    const DatasetSyncResult b = withBase.syncDataset(local, server);
    QCOMPARE(summary(b.merged, DataType::Decks), summary(a.merged, DataType::Decks));
    QCOMPARE(summary(a.merged, DataType::Decks), std::string("1:T2/C/v3")); // the seed deletes 2
    QCOMPARE(decisionsString(b.decks.decisions), decisionsString(a.decks.decisions));
    QCOMPARE(codec::encodeReport(b), codec::encodeReport(a)); // the seed's report keeps its bytes
}

namespace {

/// A random deck change: each of title, description and content is kept, or changed on the
/// device, on the server, or (when `both` is allowed) on both.
struct Triple {
    Deck base, local, server;
    bool localChanged = false, serverChanged = false;
    std::vector<std::string> localFields, serverFields; // changed since the base
};

Triple randomTriple(std::mt19937& rng, std::uint64_t n, bool allowBoth)
{
    Triple t;
    t.base = deck(n, BaseTime, 2, "title", "content");
    t.base.description = "description";
    t.local = t.base;
    t.server = t.base;
    std::uniform_int_distribution<int> pick(0, allowBoth ? 3 : 2);
    const auto change = [&](const char* name, auto member) {
        const int who = pick(rng);
        if (who == 1 || who == 3) {
            t.local.*member = std::string(name) + "-device";
            t.localFields.push_back(name);
        }
        if (who == 2 || who == 3) {
            t.server.*member = std::string(name) + (who == 3 && rng() % 2 ? "-device" : "-server");
            t.serverFields.push_back(name);
        }
    };
    change("title", &Deck::title);
    change("content", &Deck::content);
    const int d = pick(rng);
    if (d == 1 || d == 3) {
        t.local.description = std::nullopt;
        t.localFields.push_back("description");
    }
    if (d == 2 || d == 3) {
        t.server.description = "description-server";
        t.serverFields.push_back("description");
    }
    t.localChanged = !t.localFields.empty();
    t.serverChanged = !t.serverFields.empty();
    if (t.localChanged) {
        t.local.version = 3;
        t.local.updated_at = testutil::ts("2024-06-01T09:00:00Z");
    }
    if (t.serverChanged) {
        t.server.version = 3 + static_cast<std::int64_t>(rng() % 2);
        t.server.updated_at = testutil::ts("2024-06-01T10:00:00Z");
    }
    return t;
}

} // namespace

// When every field changed on at most one side, the result is the base with both sides'
// changes, and there is no conflict.
void TestSafeMerge::oneSidedChangesNeverConflict()
{
    std::mt19937 rng(20261202);
    for (int round = 0; round < 300; ++round) {
        std::vector<Triple> triples;
        Dataset base, local, server;
        for (std::uint64_t n = 1; n <= 8; ++n) {
            triples.push_back(randomTriple(rng, n, false));
            base.decks.push_back(triples.back().base);
            local.decks.push_back(triples.back().local);
            server.decks.push_back(triples.back().server);
        }
        const DatasetSyncResult r = safeRun(local, server, &base);
        QCOMPARE(r.decks.stats.conflicts, 0);
        QCOMPARE(r.merged.decks.size(), triples.size());
        for (std::size_t i = 0; i < triples.size(); ++i) {
            const Triple& t = triples[i];
            const Deck& out = r.merged.decks[i];
            const auto expected = [&](const std::string& field, const auto& localValue, const auto& serverValue,
                                      const auto& baseValue, const auto& got) {
                const bool l = std::find(t.localFields.begin(), t.localFields.end(), field) != t.localFields.end();
                const bool s = std::find(t.serverFields.begin(), t.serverFields.end(), field) != t.serverFields.end();
                return got == (l ? localValue : s ? serverValue : baseValue);
            };
            QVERIFY(expected("title", t.local.title, t.server.title, t.base.title, out.title));
            QVERIFY(expected("content", t.local.content, t.server.content, t.base.content, out.content));
            QVERIFY(expected("description", t.local.description, t.server.description, t.base.description,
                             out.description));
        }
    }
}

// With edits on both sides and deletions, every edit made since the base is in the result or
// named by a conflict on its item.
void TestSafeMerge::noEditLostWithoutConflict()
{
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::vector<Triple> triples;
        Dataset base, local, server;
        for (std::uint64_t n = 1; n <= 8; ++n) {
            Triple t = randomTriple(rng, n, true);
            base.decks.push_back(t.base);
            const int deleted = static_cast<int>(rng() % 6); // 1: on the device, 2: on the server
            if (deleted != 1)
                local.decks.push_back(t.local);
            if (deleted != 2)
                server.decks.push_back(t.server);
            if (deleted == 1)
                t.localFields.clear();
            if (deleted == 2)
                t.serverFields.clear();
            triples.push_back(t);
        }
        const DatasetSyncResult r = safeRun(local, server, &base);
        for (const Triple& t : triples) {
            const auto it = std::find_if(r.merged.decks.begin(), r.merged.decks.end(),
                                         [&](const Deck& d) { return d.id == t.base.id; });
            const bool conflict = std::any_of(r.decks.conflicts.begin(), r.decks.conflicts.end(),
                                              [&](const SyncConflict<Deck>& c) { return c.item_id == t.base.id; });
            const auto kept = [&](const std::vector<std::string>& fields, const Deck& side) {
                if (it == r.merged.decks.end())
                    return fields.empty();
                for (const std::string& f : fields) {
                    if ((f == "title" && it->title != side.title) || (f == "content" && it->content != side.content)
                        || (f == "description" && it->description != side.description))
                        return false;
                }
                return true;
            };
            QVERIFY2(conflict || (kept(t.localFields, t.local) && kept(t.serverFields, t.server)),
                     qPrintable(QStringLiteral("round %1, deck %2").arg(round).arg(num(t.base.id))));
        }
    }
}

void TestSafeMerge::deterministic()
{
    const Dataset base = decks({baseDeck(1), baseDeck(2), baseDeck(3)});
    const Dataset local = decks({edited(baseDeck(1), "2024-06-01T09:00:00Z", 3, "L"), baseDeck(3)});
    const Dataset server = decks({edited(baseDeck(1), "2024-06-01T10:00:00Z", 3, nullptr, "S"), baseDeck(2),
                                  deck(4, "2024-06-01T09:30:00Z", 1)});
    const DatasetSyncResult a = safeRun(local, server, &base);
    const DatasetSyncResult b = safeRun(local, server, &base);
    QCOMPARE(summary(a.merged, DataType::Decks), summary(b.merged, DataType::Decks));
    QCOMPARE(summary(a.merged, DataType::Decks), std::string("1:L/S/v4/now 4:title/content/v1"));
    QCOMPARE(explanations(a.decks.decisions), explanations(b.decks.decisions));
}

// The inspector's rows under safe: each row knows its base item, the merged positions stay
// aligned when safe keeps a device's edit of an item the server deleted, and each field
// says which side changed it since the base.
void TestSafeMerge::snapshotAlignsTheBase()
{
    const Dataset base = decks({baseDeck(1), baseDeck(2), baseDeck(3)});
    const Dataset local = decks({edited(baseDeck(1), "2024-06-01T09:00:00Z", 3, "L"),
                                 edited(baseDeck(2), "2024-06-01T09:00:00Z", 3, nullptr, "edited here"),
                                 deck(5, "2024-06-01T09:00:00Z", 1, "new here")});
    const Dataset server = decks({edited(baseDeck(1), "2024-06-01T10:00:00Z", 3, nullptr, "S"), baseDeck(3),
                                  deck(4, "2024-06-01T09:30:00Z", 1, "new there")});
    SyncOptions options{LastSync, Now, Profile::Safe};
    const auto snapshot = SyncSnapshot::create(std::make_shared<const Dataset>(local),
                                               std::make_shared<const Dataset>(server), options, nullptr,
                                               std::make_shared<const Dataset>(base));
    QVERIFY(snapshot->base());
    const TypeView& view = snapshot->view(DataType::Decks);
    QVERIFY(view.hasBase());
    const auto& merged = snapshot->result().merged.decks;
    std::string rows;
    for (const ItemRow& r : view.rows()) {
        rows += std::to_string(num(r.id)) + ":b" + std::to_string(r.base) + 'm' + std::to_string(r.merged) + ' ';
        if (r.merged >= 0) // the row's merged position holds the row's item
            QCOMPARE(merged[static_cast<std::size_t>(r.merged)].id, r.id);
    }
    // 3 is deleted on the device and unchanged on the server; 2, deleted on the server, is kept
    // because the device edited it; 4 and 5 are new, so not in the base.
    QCOMPARE(rows, std::string("1:b0m0 3:b2m-1 4:b-1m1 2:b1m2 5:b-1m3 "));

    const std::vector<FieldRow> fields = view.fieldRows(0, nullptr);
    const auto field = [&](const char* name) {
        return *std::find_if(fields.begin(), fields.end(), [&](const FieldRow& f) { return f.spec.name == name; });
    };
    QVERIFY(field("title").changedSinceBase(Side::Local));
    QVERIFY(!field("title").changedSinceBase(Side::Server));
    QVERIFY(field("content").changedSinceBase(Side::Server));
    QVERIFY(!field("content").changedSinceBase(Side::Local));
    QCOMPARE(field("title").base.text, std::string("T"));
    QCOMPARE(field("title").result.text, std::string("L"));
    QCOMPARE(field("content").result.text, std::string("S"));

    // Without a base nothing is marked, and the base cells are absent.
    const auto plain = SyncSnapshot::create(local, server, options);
    QVERIFY(!plain->base() && !plain->view(DataType::Decks).hasBase());
    for (const FieldRow& f : plain->view(DataType::Decks).fieldRows(0, nullptr))
        QVERIFY(f.base.isAbsent() && !f.changedSinceBase(Side::Local) && !f.changedSinceBase(Side::Server));
}

void TestSafeMerge::takingTheOtherProfilesResult_data()
{
    QTest::addColumn<Profile>("from");
    QTest::addColumn<Profile>("take");
    QTest::newRow("safe's result in a seed run") << Profile::Seed << Profile::Safe;
    QTest::newRow("the seed's result in a safe run") << Profile::Safe << Profile::Seed;
}

// Taking the other profile's result for every item where the two differ gives exactly that
// profile's new state, through resolutions the window can undo.
void TestSafeMerge::takingTheOtherProfilesResult()
{
    QFETCH(Profile, from);
    QFETCH(Profile, take);
    const auto load = [](const char* name) {
        auto d = loadDatasetFile(testutil::samplePath(name));
        if (!d)
            qFatal("cannot load %s", name);
        return std::make_shared<const Dataset>(std::move(d.value()));
    };
    const auto local = load("local.json"), server = load("server.json"), base = load("base.json");
    SyncOptions options{local->last_sync, Now, from};
    const ProfileComparison c = compareProfiles(*local, *server, base.get(), options);
    QVERIFY(c.differences.size() >= 5);
    const auto snapshot = SyncSnapshot::create(local, server, options, nullptr, base);
    ResolutionSet set;
    for (const ProfileDifference& d : c.differences) {
        const std::optional<ItemResolution> r = takeProfileResult(c, d, take, *local, *server);
        QVERIFY2(r, d.label.c_str());
        set.set(d.type, d.id, *r);
    }
    std::vector<std::string> problems;
    const Dataset resolved = snapshot->resolvedServerState(set, &problems);
    QVERIFY(problems.empty());
    const Dataset& target = take == Profile::Seed ? c.seed.merged : c.safe.merged;
    const auto sorted = [](auto items) {
        std::vector<std::string> out;
        for (const auto& item : items)
            out.push_back(codec::encodeItem(item));
        std::sort(out.begin(), out.end());
        return out;
    };
    QCOMPARE(sorted(resolved.decks), sorted(target.decks));
    QCOMPARE(sorted(resolved.achievements), sorted(target.achievements));
    QCOMPARE(sorted(resolved.progress), sorted(target.progress));
    QCOMPARE(sorted(resolved.starred), sorted(target.starred));
    QCOMPARE(codec::encodeItem(*resolved.preferences), codec::encodeItem(*target.preferences));
}

void TestSafeMerge::rowsStayAlignedWithRepeatedIds_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<bool>("hasBase");
    QTest::addColumn<Dataset>("base");
    QTest::addColumn<Dataset>("local");
    QTest::addColumn<Dataset>("server");
    const Deck x = baseDeck(1);
    // Both copies and the other deck changed since the last sync: the seed adds the first copy,
    // keeps the second over it, and adds deck 2.
    const Dataset repeatedLocal = decks({edited(x, "2024-06-01T09:00:00Z", 3, "first"),
                                         edited(x, "2024-06-01T09:30:00Z", 4, "again"),
                                         edited(baseDeck(2), "2024-06-01T09:00:00Z", 3)});
    QTest::newRow("seed: one id twice on the device") << Profile::Seed << false << Dataset{} << repeatedLocal << Dataset{};
    QTest::newRow("safe: one id twice on the device") << Profile::Safe << true << decks({x}) << repeatedLocal << Dataset{};
    QTest::newRow("safe: the server's repeat of a deleted deck")
        << Profile::Safe << true << decks({x}) << Dataset{} << decks({x, edited(x, "2024-06-01T09:00:00Z", 3, "again")});
    QTest::newRow("safe: the server's repeat of a kept deck")
        << Profile::Safe << true << decks({}) << Dataset{} << decks({x, edited(x, "2024-06-01T09:00:00Z", 3, "again")});
    Dataset mine, theirs, agreed;
    agreed.preferences = preferences(1000, BaseTime, 2);
    mine.preferences = preferences(1000, "2024-06-01T09:00:00Z", 3, "light");
    theirs.preferences = preferences(2000, BaseTime, 2);
    QTest::newRow("safe: preferences of two users") << Profile::Safe << true << agreed << mine << theirs;
}

// Every row's merged position holds the row's item, whatever the repeats, and the resolved
// state without resolutions is the engine's: no read past the merged list.
void TestSafeMerge::rowsStayAlignedWithRepeatedIds()
{
    QFETCH(Profile, profile);
    QFETCH(bool, hasBase);
    QFETCH(Dataset, base);
    QFETCH(Dataset, local);
    QFETCH(Dataset, server);
    SyncOptions options{LastSync, Now, profile};
    const auto snapshot = SyncSnapshot::create(std::make_shared<const Dataset>(local),
                                               std::make_shared<const Dataset>(server), options, nullptr,
                                               hasBase ? std::make_shared<const Dataset>(base) : nullptr);
    const Dataset& merged = snapshot->result().merged;
    for (DataType type : AllDataTypes) {
        std::size_t rowsInResult = 0;
        for (const ItemRow& r : snapshot->view(type).rows()) {
            if (r.merged < 0)
                continue;
            ++rowsInResult;
            QVERIFY(static_cast<std::size_t>(r.merged) < itemCount(merged, type));
        }
        QCOMPARE(rowsInResult, itemCount(merged, type));
    }
    QCOMPARE(codec::encodeDataset(snapshot->resolvedServerState({})), codec::encodeDataset(merged));
    QCOMPARE(snapshot->result().preferences.conflicts.size(), std::size_t(snapshot->result().preferences.stats.conflicts));
}

QTEST_APPLESS_MAIN(TestSafeMerge)
#include "tst_safemerge.moc"
