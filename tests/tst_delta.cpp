// SPDX-License-Identifier: MIT
// Delta sync: what changed since a time, the patch of both sides, and applying it.
#include "builders.h"

#include "engine/delta.h"

#include <QObject>
#include <QTest>

#include <string>

using namespace decksync;
using namespace builders;

namespace {

const Timestamp LastSync = testutil::ts("2024-06-01T08:00:00Z");
const Timestamp Now = testutil::ts("2024-06-01T12:00:00Z");

std::string titles(const std::vector<Deck>& decks)
{
    std::string out;
    for (const Deck& d : decks)
        out.append(out.empty() ? "" : " ").append(std::to_string(num(d.id))).append("=").append(d.title);
    return out;
}

} // namespace

class TestDelta : public QObject {
    Q_OBJECT

private slots:
    void changesSince_data();
    void changesSince();
    void changesSinceUsesEachTypesTimestamp();
    void createPatch();
    void applyPatch_data();
    void applyPatch();
    void applyEmptyPatch();
};

void TestDelta::changesSince_data()
{
    QTest::addColumn<std::vector<std::string>>("times");
    QTest::addColumn<std::string>("since");
    QTest::addColumn<std::string>("expected"); // indices of the changed items, in input order

    const std::vector<std::string> times{"2024-06-01T09:00:00Z", "2024-06-01T07:00:00Z", "2024-06-01T08:00:00Z",
                                         "2024-06-01T08:00:00.000000001Z", "2024-06-02T00:00:00Z"};
    QTest::newRow("strictly after last_sync") << times << std::string("2024-06-01T08:00:00Z") << std::string("0 3 4");
    QTest::newRow("nothing since the future") << times << std::string("2024-06-03T00:00:00Z") << std::string();
    QTest::newRow("everything since long ago") << times << std::string("1970-01-01T00:00:00Z") << std::string("0 1 2 3 4");
    QTest::newRow("empty input") << std::vector<std::string>{} << std::string("2024-06-01T08:00:00Z") << std::string();
}

void TestDelta::changesSince()
{
    QFETCH(std::vector<std::string>, times);
    QFETCH(std::string, since);
    QFETCH(std::string, expected);

    std::vector<Deck> decks;
    for (std::size_t i = 0; i < times.size(); ++i)
        decks.push_back(deck(i, times[i].c_str(), 1));
    const std::vector<const Deck*> changed = delta::changesSince<Deck>(decks, testutil::ts(since.c_str()));
    std::string got;
    for (const Deck* d : changed) {
        // Pointers into the input, not copies.
        QVERIFY(d >= decks.data() && d < decks.data() + decks.size());
        got.append(got.empty() ? "" : " ").append(std::to_string(d - decks.data()));
    }
    QCOMPARE(got, expected);
}

void TestDelta::changesSinceUsesEachTypesTimestamp()
{
    const std::vector<Achievement> achievements{achievement(1, "2024-06-01T07:00:00Z"), achievement(2, "2024-06-01T09:00:00Z")};
    QCOMPARE(delta::changesSince<Achievement>(achievements, LastSync).size(), std::size_t(1));
    const std::vector<Progress> progress{builders::progress(1, "2024-06-01T09:00:00Z", 1),
                                         builders::progress(2, "2024-06-01T10:00:00Z", 1)};
    QCOMPARE(delta::changesSince<Progress>(progress, LastSync).size(), std::size_t(2));
    const std::vector<StarredDeck> stars{starred(1, "2024-05-01T00:00:00Z")};
    QVERIFY(delta::changesSince<StarredDeck>(stars, LastSync).empty());
}

void TestDelta::createPatch()
{
    const std::vector<Deck> local{deck(1, "2024-06-01T09:00:00Z", 2, "local 1"), deck(2, "2024-06-01T07:00:00Z", 1),
                                  deck(3, "2024-06-01T10:00:00Z", 1, "local 3")};
    const std::vector<Deck> server{deck(4, "2024-06-01T11:00:00Z", 1, "server 4"), deck(1, "2024-06-01T08:00:00Z", 1),
                                   deck(5, "2024-06-01T08:30:00Z", 1, "server 5")};
    const DeltaPatch<Deck> patch = delta::createPatch<Deck>(local, server, LastSync, Now);

    QCOMPARE(titles(patch.local_changes), std::string("1=local 1 3=local 3"));
    QCOMPARE(titles(patch.server_changes), std::string("4=server 4 5=server 5"));
    QCOMPARE(patch.last_sync, LastSync);
    QCOMPARE(patch.patch_created_at, Now); // the injected clock, not wall time
}

void TestDelta::applyPatch_data()
{
    QTest::addColumn<std::vector<Deck>>("base");
    QTest::addColumn<std::vector<Deck>>("changes");
    QTest::addColumn<std::string>("expected");

    const char* t = "2024-06-01T09:00:00Z";
    QTest::newRow("replace in place") << std::vector<Deck>{deck(1, t, 1, "a"), deck(2, t, 1, "b"), deck(3, t, 1, "c")}
                                      << std::vector<Deck>{deck(2, t, 2, "B")} << std::string("1=a 2=B 3=c");
    QTest::newRow("append new in patch order")
        << std::vector<Deck>{deck(1, t, 1, "a")} << std::vector<Deck>{deck(5, t, 1, "e"), deck(4, t, 1, "d")}
        << std::string("1=a 5=e 4=d");
    QTest::newRow("replace only the first match")
        << std::vector<Deck>{deck(1, t, 1, "first"), deck(2, t, 1, "b"), deck(1, t, 1, "second")}
        << std::vector<Deck>{deck(1, t, 2, "new")} << std::string("1=new 2=b 1=second");
    QTest::newRow("a new id twice: appended, then replaced")
        << std::vector<Deck>{deck(1, t, 1, "a")} << std::vector<Deck>{deck(6, t, 1, "x"), deck(6, t, 2, "y")}
        << std::string("1=a 6=y");
    QTest::newRow("an existing id twice: the last change wins")
        << std::vector<Deck>{deck(1, t, 1, "a")} << std::vector<Deck>{deck(1, t, 2, "x"), deck(1, t, 3, "y")}
        << std::string("1=y");
    QTest::newRow("into an empty base") << std::vector<Deck>{} << std::vector<Deck>{deck(2, t, 1, "b"), deck(1, t, 1, "a")}
                                        << std::string("2=b 1=a");
}

void TestDelta::applyPatch()
{
    QFETCH(std::vector<Deck>, base);
    QFETCH(std::vector<Deck>, changes);
    QFETCH(std::string, expected);

    DeltaPatch<Deck> patch;
    patch.local_changes = changes;
    // Server changes are informational, as in the seed: they are not applied.
    patch.server_changes = {deck(99, "2024-06-01T09:00:00Z", 1, "server only")};
    patch.last_sync = LastSync;
    patch.patch_created_at = Now;
    delta::applyPatch(base, patch);
    QCOMPARE(titles(base), expected);
}

void TestDelta::applyEmptyPatch()
{
    std::vector<StarredDeck> base{starred(1, "2024-06-01T09:00:00Z")};
    delta::applyPatch(base, DeltaPatch<StarredDeck>{});
    QCOMPARE(base.size(), std::size_t(1));
    QCOMPARE(base[0].id, testutil::id(1));
}

QTEST_GUILESS_MAIN(TestDelta)
#include "tst_delta.moc"
