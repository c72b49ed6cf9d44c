// SPDX-License-Identifier: MIT
// What changes, item by item, in plain words: the lists behind the Apply preview, the
// server-changed dialog, the rollback prompt and the history details.
#include "builders.h"
#include "samplesnapshot.h"

#include "engine/datasetcodec.h"
#include "engine/datasetdiff.h"
#include "engine/itemchanges.h"
#include "engine/itemversions.h"
#include "engine/resolutioncodec.h"
#include "engine/syncsnapshot.h"

#include <QObject>
#include <QTest>

#include <algorithm>
#include <string>

using namespace decksync;
using namespace builders;

Q_DECLARE_METATYPE(decksync::ChangeKind)

namespace {

Deck withUnknown(Deck d, std::string key, std::string raw)
{
    auto layout = std::make_shared<ItemLayout>();
    layout->unknown.push_back({std::move(key), std::move(raw)});
    d.layout = std::move(layout);
    return d;
}

} // namespace

class TestItemChanges : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneItem_data();
    void oneItem();
    void sortedMostHarmfulFirst();
    void describesByName_data();
    void describesByName();
    void resolvedChangesMatchTheDatasets();
    void keepBothAddsTheDeviceCopy();
    void describesOneItemsEdit_data();
    void describesOneItemsEdit();
    void resolvesToAPastVersion();
};

void TestItemChanges::oneItem_data()
{
    QTest::addColumn<bool>("hasBefore");
    QTest::addColumn<bool>("hasAfter");
    QTest::addColumn<int>("beforeVersion");
    QTest::addColumn<int>("afterVersion");
    QTest::addColumn<QString>("afterTitle");
    QTest::addColumn<QString>("unknownRaw"); // an unknown member of the copy after; empty: none
    QTest::addColumn<int>("expected");       // a ChangeKind, or -1 for no change
    QTest::newRow("the same copy") << true << true << 2 << 2 << "t" << "" << -1;
    QTest::newRow("deleted") << true << false << 2 << 0 << "t" << "" << int(ChangeKind::Removed);
    QTest::newRow("added") << false << true << 0 << 1 << "t" << "" << int(ChangeKind::Added);
    QTest::newRow("edited, version up") << true << true << 2 << 3 << "new title" << "" << int(ChangeKind::Changed);
    QTest::newRow("version down") << true << true << 4 << 2 << "t" << "" << int(ChangeKind::WentBack);
    QTest::newRow("an unknown member differs") << true << true << 2 << 2 << "t" << "42" << int(ChangeKind::Changed);
}

void TestItemChanges::oneItem()
{
    QFETCH(bool, hasBefore);
    QFETCH(bool, hasAfter);
    QFETCH(int, beforeVersion);
    QFETCH(int, afterVersion);
    QFETCH(QString, afterTitle);
    QFETCH(QString, unknownRaw);
    QFETCH(int, expected);

    const Deck before = deck(1, "2024-06-01T08:00:00Z", beforeVersion, "t");
    Deck after = deck(1, "2024-06-01T08:00:00Z", afterVersion, afterTitle.toStdString());
    if (!unknownRaw.isEmpty())
        after = withUnknown(after, "x_extra", unknownRaw.toStdString());
    const std::optional<ItemChange> c = changeOf<Deck>(hasBefore ? &before : nullptr, hasAfter ? &after : nullptr);
    QCOMPARE(c.has_value(), expected >= 0);
    if (!c)
        return;
    QCOMPARE(int(c->kind), expected);
    QCOMPARE(c->id, testutil::id(1));
    QCOMPARE(c->type, DataType::Decks);
    QCOMPARE(c->fromVersion.has_value(), hasBefore);
    QCOMPARE(c->toVersion.has_value(), hasAfter);
}

void TestItemChanges::sortedMostHarmfulFirst()
{
    Dataset from;
    Dataset to;
    from.decks = {deck(1, "2024-06-01T08:00:00Z", 1, "Kept"), deck(2, "2024-06-01T08:00:00Z", 4, "Older"),
                  deck(3, "2024-06-01T08:00:00Z", 1, "Gone")};
    to.decks = {deck(4, "2024-06-01T08:00:00Z", 1, "New"), deck(1, "2024-06-01T08:00:00Z", 1, "Kept"),
                deck(2, "2024-06-01T08:00:00Z", 2, "Older")};
    from.achievements = {achievement(10, "2024-05-01T00:00:00Z")};
    const std::vector<ItemChange> changes = itemChanges(from, to);
    QCOMPARE(changes.size(), std::size_t(4));
    QCOMPARE(changes[0].kind, ChangeKind::Removed); // decks first, most harmful first
    QCOMPARE(changes[0].label, std::string("Gone"));
    QCOMPARE(changes[1].kind, ChangeKind::WentBack);
    QCOMPARE(changes[2].kind, ChangeKind::Added);
    QCOMPARE(changes[3].type, DataType::Achievements);
    QCOMPARE(changes[3].kind, ChangeKind::Removed);
}

void TestItemChanges::describesByName_data()
{
    QTest::addColumn<int>("deleted");
    QTest::addColumn<int>("namesPerLine");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << 1 << 8 << "decks deleted (1): \"Deck 1\"\n";
    QTest::newRow("three") << 3 << 8 << "decks deleted (3): \"Deck 1\", \"Deck 2\", \"Deck 3\"\n";
    QTest::newRow("more than a line holds") << 5 << 2 << "decks deleted (5): \"Deck 1\", \"Deck 2\", and 3 more\n";
}

void TestItemChanges::describesByName()
{
    QFETCH(int, deleted);
    QFETCH(int, namesPerLine);
    QFETCH(QString, expected);
    Dataset from;
    for (int i = 1; i <= deleted; ++i)
        from.decks.push_back(deck(std::uint64_t(i), "2024-06-01T08:00:00Z", 1, "Deck " + std::to_string(i)));
    Dataset to;
    to.decks = {deck(99, "2024-06-01T08:00:00Z", 3, "Same")};
    from.decks.push_back(deck(99, "2024-06-01T08:00:00Z", 3, "Same"));
    QCOMPARE(QString::fromStdString(describeItemChanges(itemChanges(from, to), std::size_t(namesPerLine))), expected);

    // A version that goes down names both.
    Dataset older = to;
    older.decks[0].version = 1;
    QCOMPARE(describeItemChanges(itemChanges(to, older)),
             std::string("decks going back to an older version (1): \"Same\" (version 3 \u2192 1)\n"));
}

// The snapshot's lists, taken from its rows without building the datasets, are the same as
// the lists of the datasets that Apply writes, for both sides of the bundled samples.
void TestItemChanges::resolvedChangesMatchTheDatasets()
{
    const auto snapshot = testutil::sampleSnapshot();
    ResolutionSet resolutions;
    ItemResolution keepLocal;
    keepLocal.base = Side::Local;
    resolutions.set(DataType::Decks, testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"), keepLocal);

    const Dataset resolvedServer = snapshot->resolvedServerState(resolutions);
    const Dataset resolvedLocal = snapshot->resolvedLocalState(resolvedServer);
    for (const auto& [side, before, after] :
         {std::tuple{Side::Server, &snapshot->server(), &resolvedServer},
          std::tuple{Side::Local, &snapshot->local(), &resolvedLocal}}) {
        const std::string fromRows = describeItemChanges(snapshot->resolvedChanges(resolutions, side), 100);
        const std::string fromDatasets = describeItemChanges(itemChanges(*before, *after), 100);
        QCOMPARE(fromRows, fromDatasets);
        QVERIFY(!fromRows.empty());
    }
    const std::string onServer = describeItemChanges(snapshot->resolvedChanges(resolutions, Side::Server));
    QVERIFY2(onServer.find("decks deleted (2): \"Old history deck\", \"Japanese kana\"") != std::string::npos,
             onServer.c_str());
}

// Keep both: the server's deck stays, and the device's version joins as a new deck with an id
// of its own (the same on every run) and a title that names the copy and its time.
void TestItemChanges::keepBothAddsTheDeviceCopy()
{
    const auto snapshot = testutil::sampleSnapshot();
    const Uuid biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
    ResolutionSet resolutions;
    ItemResolution both;
    both.base = Side::Server;
    both.keepDeviceCopy = true;
    QVERIFY(!both.isDefault());
    resolutions.set(DataType::Decks, biology, both);

    const Dataset resolved = snapshot->resolvedServerState(resolutions);
    const Uuid copyId = deviceCopyId(biology);
    QVERIFY(copyId != biology);
    QCOMPARE(deviceCopyId(biology), copyId);
    QCOMPARE(copyId.toString().substr(14, 1), std::string("4")); // a version-4 UUID
    const auto find = [&](const Uuid& id) {
        const auto it = std::find_if(resolved.decks.begin(), resolved.decks.end(), [&](const Deck& d) { return d.id == id; });
        return it == resolved.decks.end() ? nullptr : &*it;
    };
    QVERIFY(find(biology));
    QCOMPARE(find(biology)->title, std::string("Biology: cells")); // the server's
    const Deck* copy = find(copyId);
    QVERIFY(copy);
    QCOMPARE(copy->title, std::string("Biology: the cell (device copy, 2024-06-01 09:30)"));
    QCOMPARE(copy->version, std::int64_t(1));
    QCOMPARE(copy->content, snapshot->local().decks[1].content);

    // The preview counts it and names it on both sides.
    QCOMPARE(snapshot->resolvedCounts(resolutions)[0], resolved.decks.size());
    QCOMPARE(resolved.decks.size(), snapshot->resolvedServerState(ResolutionSet{}).decks.size() + 1);
    for (Side side : {Side::Server, Side::Local}) {
        const std::string words = describeItemChanges(snapshot->resolvedChanges(resolutions, side), 100);
        QVERIFY2(words.find("\"Biology: the cell (device copy, 2024-06-01 09:30)\"") != std::string::npos, words.c_str());
    }

    // Kept in the session, the history and bundles: the resolution's JSON carries it.
    const std::string json = codec::encodeResolutions(resolutions);
    QVERIFY(json.find("\"keep_device_copy\": true") != std::string::npos);
    const Decoded<ResolutionSet> back = codec::decodeResolutions(json);
    QVERIFY(back.ok());
    QCOMPARE(back.value().find(DataType::Decks, biology)->keepDeviceCopy, true);
    QVERIFY(codec::encodeResolutions(ResolutionSet{}).find("keep_device_copy") == std::string::npos);
}

void TestItemChanges::describesOneItemsEdit_data()
{
    QTest::addColumn<std::string>("before");
    QTest::addColumn<std::string>("after");
    QTest::addColumn<std::string>("words");
    QTest::addColumn<int>("fields");
    const Deck base = deck(1, "2024-06-01T09:00:00Z", 2, "Spanish verbs");
    Deck retitled = base;
    retitled.title = "Spanish verbs, irregular";
    retitled.version = 3;
    std::string odd = codec::encodeItem(base); // with a member no model knows
    odd.insert(odd.size() - 1, ",\"colour\":\"red\"");
    QTest::newRow("added") << std::string() << codec::encodeItem(base) << std::string("added") << 8;
    QTest::newRow("deleted") << codec::encodeItem(base) << std::string() << std::string("deleted") << 8;
    QTest::newRow("edited") << codec::encodeItem(base) << codec::encodeItem(retitled)
                            << std::string("title changed (version 2 \u2192 3)") << 2;
    QTest::newRow("unknown member") << codec::encodeItem(base) << odd
                                    << std::string("colour changed") << 1;
    QTest::newRow("same") << codec::encodeItem(base) << codec::encodeItem(base) << std::string("unchanged") << 0;
}

void TestItemChanges::describesOneItemsEdit()
{
    QFETCH(std::string, before);
    QFETCH(std::string, after);
    QFETCH(std::string, words);
    QFETCH(int, fields);
    const ItemText a = before.empty() ? ItemText() : ItemText(before);
    const ItemText b = after.empty() ? ItemText() : ItemText(after);
    QCOMPARE(describeItemEdit(DataType::Decks, a, b), words);
    const Decoded<std::vector<FieldEdit>> edits = fieldEdits(DataType::Decks, a, b);
    QVERIFY(edits.ok());
    QCOMPARE(static_cast<int>(edits.value().size()), fields);
    QVERIFY(!fieldEdits(DataType::Decks, ItemText("{\"id\": 3}"), b).ok());
}

// A version from the item's history becomes the result: every field as it was, unknown
// members included; a version without the item, the side that lacks it.
void TestItemChanges::resolvesToAPastVersion()
{
    const auto snapshot = testutil::sampleSnapshot();
    const Uuid biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
    const ItemText local = itemTextIn(snapshot->local(), DataType::Decks, biology);
    const ItemText server = itemTextIn(snapshot->server(), DataType::Decks, biology);
    QVERIFY(local && server && *local != *server);
    Deck draft = *std::find_if(snapshot->server().decks.begin(), snapshot->server().decks.end(),
                               [&](const Deck& d) { return d.id == biology; });
    draft.title = "Biology (first draft)";
    draft.description.reset();
    draft.version = 1;
    std::string text = codec::encodeItem(draft); // with a member no model knows
    text.insert(text.size() - 1, ",\"source\":\"tablet\"");
    const Deck past = codec::decodeItem<Deck>(text).value();
    const Decoded<ItemResolution> r = resolutionToVersion(DataType::Decks, text, local, server);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    ResolutionSet resolutions;
    resolutions.set(DataType::Decks, biology, r.value());
    const Dataset resolved = snapshot->resolvedServerState(resolutions);
    const auto it = std::find_if(resolved.decks.begin(), resolved.decks.end(), [&](const Deck& d) { return d.id == biology; });
    QVERIFY(it != resolved.decks.end());
    QVERIFY(sameItem(*it, past));

    // The device's version, as it is: the device's copy with nothing typed.
    const Decoded<ItemResolution> same = resolutionToVersion(DataType::Decks, local, local, ItemText());
    QVERIFY(same.ok());
    QCOMPARE(same.value().base, std::optional<Side>(Side::Local));
    QVERIFY(same.value().fields.empty());

    // Not there: the side without it. Both sides hold it: cannot be said as a resolution.
    const Uuid kana = testutil::uuid("9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a");
    const ItemText kanaServer = itemTextIn(snapshot->server(), DataType::Decks, kana);
    QVERIFY(kanaServer && !itemTextIn(snapshot->local(), DataType::Decks, kana));
    const Decoded<ItemResolution> gone = resolutionToVersion(DataType::Decks, ItemText(), ItemText(), kanaServer);
    QVERIFY(gone.ok());
    QCOMPARE(gone.value().base, std::optional<Side>(Side::Local));
    const Decoded<ItemResolution> refused = resolutionToVersion(DataType::Decks, ItemText(), local, server);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.find("both the device and the server hold the item") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestItemChanges)
#include "tst_itemchanges.moc"
