// SPDX-License-Identifier: MIT
// IdIndex: the engine's id → position table, at small and at huge-page sizes.
// Qt's headers first: moc could not parse <concepts> (through uuid.h) ahead of them.
#include <QObject>
#include <QTest>

#include "engine/idindex.h"

#include <cstdint>
#include <string>
#include <utility>

using decksync::IdIndex;
using decksync::Uuid;

namespace {

/// Distinct ids for 0, 1, 2, ...: the sequential ones the suites' builders make.
Uuid idOf(std::uint64_t i) { return Uuid::fromHalves(0x0123456789ab4cdeull, 0x8000000000000000ull | i); }

/// Where a counter sits in an id: the last bytes (the builders'), the first, or the middle.
enum class Counter { LastBytes, FirstBytes, MiddleBytes };
Uuid idWith(Counter where, std::uint64_t i)
{
    switch (where) {
    case Counter::LastBytes: return idOf(i);
    case Counter::FirstBytes: return Uuid::fromHalves(i << 40 | 0x4cde, 0x8000000000000001ull);
    case Counter::MiddleBytes: return Uuid::fromHalves(0x0123456789ab4cdeull ^ (i >> 16), 0x8000000000000001ull ^ (i << 48));
    }
    return {};
}

} // namespace

class TestIdIndex : public QObject {
    Q_OBJECT

private slots:
    void findsWhatItHolds_data();
    void findsWhatItHolds();
    void sequentialIdsSpread_data();
    void sequentialIdsSpread();
    void firstValueStays();
    void nilIdIsAnId();
    void movedFromIsEmptyAndUsable();
};

void TestIdIndex::findsWhatItHolds_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("reserved");
    QTest::newRow("empty") << 0 << 0;
    QTest::newRow("grows from the smallest table") << 1000 << 0;
    QTest::newRow("reserved, in malloc's memory") << 50000 << 50000;
    // 2^19 slots of 20 bytes: a mapping of its own, in huge pages where the system allows.
    QTest::newRow("reserved, in a mapping of its own") << 200000 << 200000;
    QTest::newRow("grows into a mapping") << 300000 << 0;
}

void TestIdIndex::findsWhatItHolds()
{
    QFETCH(int, count);
    QFETCH(int, reserved);
    IdIndex index(static_cast<std::size_t>(reserved));
    for (int i = 0; i < count; ++i) {
        index.prefetch(idOf(static_cast<std::uint64_t>(i)));
        const auto [value, inserted] = index.emplace(idOf(static_cast<std::uint64_t>(i)), static_cast<std::uint32_t>(i));
        QVERIFY(inserted);
        QCOMPARE(value, static_cast<std::uint32_t>(i));
    }
    QCOMPARE(index.size(), static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const std::uint32_t* found = index.find(idOf(static_cast<std::uint64_t>(i)));
        QVERIFY(found);
        QCOMPARE(*found, static_cast<std::uint32_t>(i));
    }
    for (int i = count; i < count + 1000; ++i)
        QVERIFY(!index.contains(idOf(static_cast<std::uint64_t>(i))));
}

void TestIdIndex::sequentialIdsSpread_data()
{
    QTest::addColumn<int>("where");
    QTest::addColumn<int>("count");
    for (const int count : {100, 1000, 100000}) {
        QTest::addRow("counter in the last bytes, %d", count) << int(Counter::LastBytes) << count;
        QTest::addRow("counter in the first bytes, %d", count) << int(Counter::FirstBytes) << count;
        QTest::addRow("counter in the middle, %d", count) << int(Counter::MiddleBytes) << count;
    }
}

// Ids that differ only in a counter must not pile up in one run of slots: every lookup
// would probe through the pile. Random placement at this load keeps the longest probe
// in the tens; a hash that ignores the counter's bytes makes it the count itself.
void TestIdIndex::sequentialIdsSpread()
{
    QFETCH(int, where);
    QFETCH(int, count);
    IdIndex index;
    for (int i = 0; i < count; ++i)
        QVERIFY(index.emplace(idWith(Counter(where), static_cast<std::uint64_t>(i)), 0).second);
    const std::size_t longest = index.longestProbe();
    QVERIFY2(longest < 64, std::to_string(longest).c_str());
}

void TestIdIndex::firstValueStays()
{
    IdIndex index;
    QVERIFY(index.emplace(idOf(7), 3).second);
    const auto [value, inserted] = index.emplace(idOf(7), 9);
    QVERIFY(!inserted);
    QCOMPARE(value, 3u);
    QCOMPARE(*index.find(idOf(7)), 3u);
    QCOMPARE(index.size(), std::size_t{1});
}

// The table marks a free slot with the all-zero id; an item may still carry that id.
void TestIdIndex::nilIdIsAnId()
{
    IdIndex index;
    QVERIFY(!index.contains(Uuid{}));
    QVERIFY(index.emplace(Uuid{}, 0).second);
    QVERIFY(!index.emplace(Uuid{}, 5).second);
    QCOMPARE(*index.find(Uuid{}), 0u);
    QVERIFY(!index.contains(idOf(0)));
    QVERIFY(index.emplace(idOf(0), 1).second);
    QCOMPARE(index.size(), std::size_t{2});
}

void TestIdIndex::movedFromIsEmptyAndUsable()
{
    IdIndex a;
    a.emplace(idOf(1), 1);
    a.emplace(Uuid{}, 2);
    IdIndex b(std::move(a));
    QCOMPARE(*b.find(idOf(1)), 1u);
    QCOMPARE(*b.find(Uuid{}), 2u);
    QVERIFY(!a.contains(idOf(1))); // NOLINT(bugprone-use-after-move): the moved-from state is the point
    QVERIFY(!a.contains(Uuid{}));
    a.prefetch(idOf(1));
    QVERIFY(a.emplace(idOf(1), 4).second);
    QCOMPARE(*a.find(idOf(1)), 4u);
    IdIndex c;
    c.emplace(idOf(2), 6);
    c = std::move(b);
    QCOMPARE(*c.find(idOf(1)), 1u);
    QCOMPARE(*c.find(Uuid{}), 2u);
    QVERIFY(!c.contains(idOf(2)));
}

QTEST_GUILESS_MAIN(TestIdIndex)
#include "tst_idindex.moc"
