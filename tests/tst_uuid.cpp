// SPDX-License-Identifier: MIT
// Uuid: the forms uuid::Uuid::parse_str accepts and the one form it writes.
#include "builders.h"

#include "engine/uuid.h"

#include <QObject>
#include <QTest>

#include <string>
#include <unordered_set>

using decksync::Uuid;

class TestUuid : public QObject {
    Q_OBJECT

private slots:
    void parseAccepted_data();
    void parseAccepted();
    void parseRejected_data();
    void parseRejected();
    void bytesAndHalves();
    void nil();
    void ordering();
    void hashSpreadsSequentialIds();
};

void TestUuid::parseAccepted_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected");

    const std::string canonical = "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081";
    QTest::newRow("hyphenated") << canonical << canonical;
    QTest::newRow("upper case") << std::string("3F2A9C1E-5B7D-4E8F-A012-3C4D5E6F7081") << canonical;
    QTest::newRow("mixed case") << std::string("3f2A9c1E-5b7D-4e8F-a012-3C4d5E6f7081") << canonical;
    QTest::newRow("simple") << std::string("3f2a9c1e5b7d4e8fa0123c4d5e6f7081") << canonical;
    QTest::newRow("simple upper case") << std::string("3F2A9C1E5B7D4E8FA0123C4D5E6F7081") << canonical;
    QTest::newRow("braced") << std::string("{3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081}") << canonical;
    QTest::newRow("urn") << std::string("urn:uuid:3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081") << canonical;
    QTest::newRow("urn upper-case digits") << std::string("urn:uuid:3F2A9C1E-5B7D-4E8F-A012-3C4D5E6F7081") << canonical;
    QTest::newRow("nil") << std::string("00000000-0000-0000-0000-000000000000")
                         << std::string("00000000-0000-0000-0000-000000000000");
    QTest::newRow("max") << std::string("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
                         << std::string("ffffffff-ffff-ffff-ffff-ffffffffffff");
}

void TestUuid::parseAccepted()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);

    const auto u = Uuid::parse(input);
    QVERIFY(u.has_value());
    QCOMPARE(u->toString(), expected);
    std::string appended = "id=";
    u->appendTo(appended);
    QCOMPARE(appended, "id=" + expected);
    QCOMPARE(Uuid::parse(expected), u);
}

void TestUuid::parseRejected_data()
{
    QTest::addColumn<std::string>("input");

    QTest::newRow("test") << std::string("test");
    QTest::newRow("empty") << std::string();
    QTest::newRow("35 chars") << std::string("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f708");
    QTest::newRow("37 chars") << std::string("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f70812");
    QTest::newRow("31 hex digits") << std::string("3f2a9c1e5b7d4e8fa0123c4d5e6f708");
    QTest::newRow("33 hex digits") << std::string("3f2a9c1e5b7d4e8fa0123c4d5e6f70812");
    QTest::newRow("non-hex g") << std::string("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f708g");
    QTest::newRow("non-hex in simple form") << std::string("3f2a9c1e5b7d4e8fa0123c4d5e6f708z");
    QTest::newRow("hyphen misplaced") << std::string("3f2a9c1e5-b7d-4e8f-a012-3c4d5e6f7081");
    QTest::newRow("hyphens replaced by spaces") << std::string("3f2a9c1e 5b7d 4e8f a012 3c4d5e6f7081");
    QTest::newRow("hyphen inside simple form") << std::string("3f2a9c1e-5b7d4e8fa0123c4d5e6f708");
    QTest::newRow("braced without closing brace") << std::string("{3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081");
    QTest::newRow("braced simple form") << std::string("{3f2a9c1e5b7d4e8fa0123c4d5e6f7081}");
    QTest::newRow("wrong urn prefix") << std::string("urn:uid::3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081");
    QTest::newRow("surrounding space") << std::string(" 3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f708");
}

void TestUuid::parseRejected()
{
    QFETCH(std::string, input);
    QVERIFY(!Uuid::parse(input).has_value());
}

void TestUuid::bytesAndHalves()
{
    const Uuid u = Uuid::fromHalves(0x0123456789abcdefull, 0xfedcba9876543210ull);
    QCOMPARE(u.toString(), std::string("01234567-89ab-cdef-fedc-ba9876543210"));
    QCOMPARE(int(u.bytes[0]), 0x01);
    QCOMPARE(int(u.bytes[7]), 0xef);
    QCOMPARE(int(u.bytes[8]), 0xfe);
    QCOMPARE(int(u.bytes[15]), 0x10);
    QCOMPARE(testutil::id(7).toString(), std::string("01234567-89ab-4cde-8000-000000000007"));
    QCOMPARE(builders::num(testutil::id(123456)), std::uint64_t(123456));
}

void TestUuid::nil()
{
    QVERIFY(Uuid{}.isNil());
    QCOMPARE(Uuid{}.toString(), std::string("00000000-0000-0000-0000-000000000000"));
    QVERIFY(!testutil::id(0).isNil());
}

void TestUuid::ordering()
{
    // Byte order, as uuid::Uuid's Ord: the first byte decides first.
    QVERIFY(testutil::uuid("00000000-0000-0000-0000-000000000001") < testutil::uuid("00000000-0000-0000-0000-000000000002"));
    QVERIFY(testutil::uuid("0fffffff-ffff-ffff-ffff-ffffffffffff") < testutil::uuid("10000000-0000-0000-0000-000000000000"));
    QVERIFY(testutil::id(1) < testutil::id(2));
    QCOMPARE(testutil::uuid("3F2A9C1E-5B7D-4E8F-A012-3C4D5E6F7081"), testutil::uuid("3f2a9c1e5b7d4e8fa0123c4d5e6f7081"));
}

void TestUuid::hashSpreadsSequentialIds()
{
    // Sequential ids (as generators make) must not collide in the hash the engine indexes by.
    std::unordered_set<std::size_t> hashes;
    const decksync::UuidHash hash;
    for (std::uint64_t n = 0; n < 10000; ++n)
        hashes.insert(hash(testutil::id(n)));
    QCOMPARE(hashes.size(), std::size_t(10000));
    QCOMPARE(hash(testutil::id(42)), hash(testutil::uuid("01234567-89ab-4cde-8000-00000000002a")));
}

QTEST_GUILESS_MAIN(TestUuid)
#include "tst_uuid.moc"
