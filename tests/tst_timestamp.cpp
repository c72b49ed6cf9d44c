// SPDX-License-Identifier: MIT
// Timestamp: what chrono's DateTime<Utc> accepts from RFC 3339 and how it writes it back.
#include "builders.h"

#include "engine/timestamp.h"

#include <QObject>
#include <QTest>

#include <string>

using decksync::Timestamp;

class TestTimestamp : public QObject {
    Q_OBJECT

private slots:
    void parseAccepted_data();
    void parseAccepted();
    void parseRejected_data();
    void parseRejected();
    void rejectedWithoutErrorSink();
    void output_data();
    void output();
    void roundTrip_data();
    void roundTrip();
    void ordering_data();
    void ordering();
    void addSeconds();
};

void TestTimestamp::parseAccepted_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("expected"); // the UTC form written back
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<uint>("nanos");

    // 2024-06-01T10:42:00Z is 1717238520 seconds after the epoch.
    const qint64 base = 1717238520;
    QTest::newRow("Z") << std::string("2024-06-01T10:42:00Z") << std::string("2024-06-01T10:42:00Z") << base << 0u;
    QTest::newRow("lower-case z") << std::string("2024-06-01T10:42:00z") << std::string("2024-06-01T10:42:00Z") << base
                                  << 0u;
    QTest::newRow("lower-case t") << std::string("2024-06-01t10:42:00Z") << std::string("2024-06-01T10:42:00Z") << base
                                  << 0u;
    QTest::newRow("space separator") << std::string("2024-06-01 10:42:00Z") << std::string("2024-06-01T10:42:00Z")
                                     << base << 0u;
    QTest::newRow("+00:00") << std::string("2024-06-01T10:42:00+00:00") << std::string("2024-06-01T10:42:00Z") << base
                            << 0u;
    QTest::newRow("-00:00") << std::string("2024-06-01T10:42:00-00:00") << std::string("2024-06-01T10:42:00Z") << base
                            << 0u;
    QTest::newRow("+02:00 to UTC") << std::string("2024-06-01T12:42:00+02:00") << std::string("2024-06-01T10:42:00Z")
                                   << base << 0u;
    QTest::newRow("-05:30 to UTC") << std::string("2024-06-01T05:12:00-05:30") << std::string("2024-06-01T10:42:00Z")
                                   << base << 0u;
    QTest::newRow("offset crosses the year") << std::string("2024-01-01T00:30:00+01:00")
                                             << std::string("2023-12-31T23:30:00Z") << qint64(1704065400) << 0u;
    QTest::newRow("offset crosses the day backwards") << std::string("2024-02-28T23:00:00-02:00")
                                                      << std::string("2024-02-29T01:00:00Z") << qint64(1709168400) << 0u;
    QTest::newRow("epoch") << std::string("1970-01-01T00:00:00Z") << std::string("1970-01-01T00:00:00Z") << qint64(0)
                           << 0u;
    QTest::newRow("before the epoch") << std::string("1969-12-31T23:59:59Z") << std::string("1969-12-31T23:59:59Z")
                                      << qint64(-1) << 0u;
    QTest::newRow("leap day 2024") << std::string("2024-02-29T00:00:00Z") << std::string("2024-02-29T00:00:00Z")
                                   << qint64(1709164800) << 0u;
    QTest::newRow("leap day 2000 (divisible by 400)")
        << std::string("2000-02-29T12:00:00Z") << std::string("2000-02-29T12:00:00Z") << qint64(951825600) << 0u;
    QTest::newRow("last second of a year") << std::string("2023-12-31T23:59:59Z")
                                           << std::string("2023-12-31T23:59:59Z") << qint64(1704067199) << 0u;

    // Fractions of 1 to 9 digits are kept exactly; AutoSi writes 3, 6 or 9 digits.
    QTest::newRow("1 fraction digit") << std::string("2024-06-01T10:42:00.1Z") << std::string("2024-06-01T10:42:00.100Z")
                                      << base << 100000000u;
    QTest::newRow("2 fraction digits") << std::string("2024-06-01T10:42:00.12Z")
                                       << std::string("2024-06-01T10:42:00.120Z") << base << 120000000u;
    QTest::newRow("3 fraction digits") << std::string("2024-06-01T10:42:00.123Z")
                                       << std::string("2024-06-01T10:42:00.123Z") << base << 123000000u;
    QTest::newRow("4 fraction digits") << std::string("2024-06-01T10:42:00.1234Z")
                                       << std::string("2024-06-01T10:42:00.123400Z") << base << 123400000u;
    QTest::newRow("5 fraction digits") << std::string("2024-06-01T10:42:00.12345Z")
                                       << std::string("2024-06-01T10:42:00.123450Z") << base << 123450000u;
    QTest::newRow("6 fraction digits") << std::string("2024-06-01T10:42:00.123456Z")
                                       << std::string("2024-06-01T10:42:00.123456Z") << base << 123456000u;
    QTest::newRow("7 fraction digits") << std::string("2024-06-01T10:42:00.1234567Z")
                                       << std::string("2024-06-01T10:42:00.123456700Z") << base << 123456700u;
    QTest::newRow("8 fraction digits") << std::string("2024-06-01T10:42:00.12345678Z")
                                       << std::string("2024-06-01T10:42:00.123456780Z") << base << 123456780u;
    QTest::newRow("9 fraction digits") << std::string("2024-06-01T10:42:00.123456789Z")
                                       << std::string("2024-06-01T10:42:00.123456789Z") << base << 123456789u;
    QTest::newRow("one nanosecond") << std::string("2024-06-01T10:42:00.000000001Z")
                                    << std::string("2024-06-01T10:42:00.000000001Z") << base << 1u;
    QTest::newRow("one microsecond") << std::string("2024-06-01T10:42:00.000001Z")
                                     << std::string("2024-06-01T10:42:00.000001Z") << base << 1000u;
    QTest::newRow("one millisecond") << std::string("2024-06-01T10:42:00.001Z")
                                     << std::string("2024-06-01T10:42:00.001Z") << base << 1000000u;
    QTest::newRow("zero fraction is dropped") << std::string("2024-06-01T10:42:00.000Z")
                                              << std::string("2024-06-01T10:42:00Z") << base << 0u;
    QTest::newRow("10th digit zero is accepted") << std::string("2024-06-01T10:42:00.1234567890Z")
                                                 << std::string("2024-06-01T10:42:00.123456789Z") << base << 123456789u;
    QTest::newRow("fraction with an offset") << std::string("2024-06-01T12:42:00.5+02:00")
                                             << std::string("2024-06-01T10:42:00.500Z") << base << 500000000u;
}

void TestTimestamp::parseAccepted()
{
    QFETCH(std::string, input);
    QFETCH(std::string, expected);
    QFETCH(qint64, seconds);
    QFETCH(uint, nanos);

    std::string error = "untouched";
    const auto t = Timestamp::parse(input, &error);
    QVERIFY(t.has_value());
    QCOMPARE(error, std::string("untouched"));
    QCOMPARE(qint64(t->seconds), seconds);
    QCOMPARE(uint(t->nanos), nanos);
    QCOMPARE(t->toString(), expected);
}

void TestTimestamp::parseRejected_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("message");

    const std::string notRfc = "is not an RFC 3339 timestamp (expected YYYY-MM-DDTHH:MM:SSZ)";
    const std::string badDay = "is not a valid date (day out of range for its month)";
    QTest::newRow("not a timestamp") << std::string("test") << notRfc;
    QTest::newRow("empty") << std::string() << notRfc;
    QTest::newRow("one-digit month") << std::string("2024-6-01T10:00:00Z") << notRfc;
    QTest::newRow("date only") << std::string("2024-06-01")
                               << std::string("is not an RFC 3339 timestamp (missing the time after the date)");
    QTest::newRow("bad separator") << std::string("2024-06-01X10:00:00Z")
                                   << std::string("is not an RFC 3339 timestamp (missing the time after the date)");
    QTest::newRow("no seconds") << std::string("2024-06-01T10:00Z")
                                << std::string("is not an RFC 3339 timestamp (expected HH:MM:SS after the date)");
    QTest::newRow("month 13") << std::string("2024-13-01T00:00:00Z")
                              << std::string("is not a valid date (month out of range)");
    QTest::newRow("month 0") << std::string("2024-00-10T00:00:00Z")
                             << std::string("is not a valid date (month out of range)");
    QTest::newRow("day 0") << std::string("2024-06-00T00:00:00Z") << badDay;
    QTest::newRow("Feb 30") << std::string("2024-02-30T00:00:00Z") << badDay;
    QTest::newRow("Feb 29 on a non-leap year") << std::string("2023-02-29T00:00:00Z") << badDay;
    const std::string outside("is outside years 0000 to 9999 once converted to UTC");
    QTest::newRow("offset past year 9999") << std::string("9999-12-31T23:59:59-01:00") << outside;
    QTest::newRow("offset before year 0000") << std::string("0000-01-01T00:00:00+00:01") << outside;
    QTest::newRow("Feb 29 in 1900 (century, not leap)") << std::string("1900-02-29T00:00:00Z") << badDay;
    QTest::newRow("April 31") << std::string("2024-04-31T00:00:00Z") << badDay;
    QTest::newRow("hour 24") << std::string("2024-06-01T24:00:00Z") << std::string("is not a valid time of day");
    QTest::newRow("minute 60") << std::string("2024-06-01T10:60:00Z") << std::string("is not a valid time of day");
    QTest::newRow("second 60") << std::string("2024-06-01T23:59:60Z")
                               << std::string("is not a valid time of day (leap seconds are not supported)");
    QTest::newRow("missing offset") << std::string("2024-06-01T10:00:00")
                                    << std::string("has no UTC offset (expected Z or +HH:MM)");
    QTest::newRow("missing offset after a fraction") << std::string("2024-06-01T10:00:00.5")
                                                     << std::string("has no UTC offset (expected Z or +HH:MM)");
    QTest::newRow("space before Z") << std::string("2024-06-01T10:00:00 Z")
                                    << std::string("has no UTC offset (expected Z or +HH:MM)");
    QTest::newRow("offset without colon") << std::string("2024-06-01T10:00:00+0200")
                                          << std::string("has a malformed UTC offset (expected Z or +HH:MM)");
    QTest::newRow("offset hours only") << std::string("2024-06-01T10:00:00+02")
                                       << std::string("has a malformed UTC offset (expected Z or +HH:MM)");
    QTest::newRow("offset hour 24") << std::string("2024-06-01T10:00:00+24:00")
                                    << std::string("has a UTC offset out of range");
    QTest::newRow("offset minute 60") << std::string("2024-06-01T10:00:00+01:60")
                                      << std::string("has a UTC offset out of range");
    QTest::newRow("10 fraction digits, last non-zero") << std::string("2024-06-01T10:00:00.1234567891Z")
                                                       << std::string("has a fraction finer than nanoseconds");
    QTest::newRow("no fraction digits") << std::string("2024-06-01T10:00:00.Z")
                                        << std::string("is not an RFC 3339 timestamp (no digits after the decimal point)");
    QTest::newRow("trailing junk after Z") << std::string("2024-06-01T10:00:00Zjunk")
                                           << std::string("has trailing characters after the UTC offset");
    QTest::newRow("trailing junk after an offset") << std::string("2024-06-01T10:00:00+02:00x")
                                                   << std::string("has trailing characters after the UTC offset");
    QTest::newRow("trailing newline") << std::string("2024-06-01T10:00:00Z\n")
                                      << std::string("has trailing characters after the UTC offset");
}

void TestTimestamp::parseRejected()
{
    QFETCH(std::string, input);
    QFETCH(std::string, message);

    std::string error;
    const auto t = Timestamp::parse(input, &error);
    QVERIFY(!t.has_value());
    QCOMPARE(error, message);
}

void TestTimestamp::rejectedWithoutErrorSink()
{
    QVERIFY(!Timestamp::parse("2024-02-30T00:00:00Z").has_value());
    QVERIFY(Timestamp::parse("2024-02-29T00:00:00Z").has_value());
}

void TestTimestamp::output_data()
{
    QTest::addColumn<Timestamp>("value");
    QTest::addColumn<std::string>("expected");

    QTest::newRow("whole second") << Timestamp::fromCivil(2024, 6, 1, 10, 42, 0) << std::string("2024-06-01T10:42:00Z");
    QTest::newRow("milliseconds") << Timestamp::fromCivil(2024, 6, 1, 10, 42, 0, 120000000)
                                  << std::string("2024-06-01T10:42:00.120Z");
    QTest::newRow("half a second") << Timestamp::fromCivil(2024, 6, 1, 10, 42, 0, 500000000)
                                   << std::string("2024-06-01T10:42:00.500Z");
    QTest::newRow("microseconds") << Timestamp::fromCivil(2024, 6, 1, 10, 15, 0, 123456000)
                                  << std::string("2024-06-01T10:15:00.123456Z");
    QTest::newRow("one microsecond") << Timestamp::fromCivil(2024, 6, 1, 0, 0, 0, 1000)
                                     << std::string("2024-06-01T00:00:00.000001Z");
    QTest::newRow("nanoseconds") << Timestamp::fromCivil(2024, 6, 1, 0, 0, 0, 123456789)
                                 << std::string("2024-06-01T00:00:00.123456789Z");
    QTest::newRow("one nanosecond") << Timestamp::fromCivil(2024, 6, 1, 0, 0, 0, 1)
                                    << std::string("2024-06-01T00:00:00.000000001Z");
    QTest::newRow("epoch") << Timestamp{0, 0} << std::string("1970-01-01T00:00:00Z");
    QTest::newRow("one second before the epoch") << Timestamp{-1, 0} << std::string("1969-12-31T23:59:59Z");
    QTest::newRow("one day before the epoch") << Timestamp{-86400, 0} << std::string("1969-12-31T00:00:00Z");
    QTest::newRow("year 1") << Timestamp::fromCivil(1, 1, 1, 0, 0, 0) << std::string("0001-01-01T00:00:00Z");
    QTest::newRow("year 9999") << Timestamp::fromCivil(9999, 12, 31, 23, 59, 59, 999999999)
                               << std::string("9999-12-31T23:59:59.999999999Z");
    QTest::newRow("leap day") << Timestamp::fromCivil(2024, 2, 29, 23, 59, 59) << std::string("2024-02-29T23:59:59Z");
}

void TestTimestamp::output()
{
    QFETCH(Timestamp, value);
    QFETCH(std::string, expected);

    QCOMPARE(value.toString(), expected);
    std::string appended = "at ";
    value.appendTo(appended);
    QCOMPARE(appended, "at " + expected);
}

void TestTimestamp::roundTrip_data()
{
    QTest::addColumn<std::string>("text");
    QTest::newRow("seconds") << std::string("2024-06-01T10:42:00Z");
    QTest::newRow("millis") << std::string("2024-06-01T10:42:00.120Z");
    QTest::newRow("micros") << std::string("2024-06-01T10:15:00.123456Z");
    QTest::newRow("nanos") << std::string("2024-06-01T10:15:00.123456789Z");
    QTest::newRow("before the epoch") << std::string("1950-07-04T03:02:01.007Z");
    QTest::newRow("far future") << std::string("9999-12-31T23:59:59Z");
}

void TestTimestamp::roundTrip()
{
    QFETCH(std::string, text);
    const Timestamp t = testutil::ts(text.c_str());
    QCOMPARE(t.toString(), text);
    QCOMPARE(testutil::ts(t.toString().c_str()), t);
}

void TestTimestamp::ordering_data()
{
    QTest::addColumn<std::string>("a");
    QTest::addColumn<std::string>("b");
    QTest::addColumn<int>("order"); // -1: a < b, 0: equal, 1: a > b

    QTest::newRow("earlier second") << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:01Z") << -1;
    QTest::newRow("later day") << std::string("2024-06-02T00:00:00Z") << std::string("2024-06-01T23:59:59Z") << 1;
    QTest::newRow("equal") << std::string("2024-06-01T10:00:00Z") << std::string("2024-06-01T10:00:00Z") << 0;
    QTest::newRow("nanosecond apart") << std::string("2024-06-01T10:00:00.000000001Z")
                                      << std::string("2024-06-01T10:00:00Z") << 1;
    QTest::newRow("fraction below the next second") << std::string("2024-06-01T10:00:00.999999999Z")
                                                    << std::string("2024-06-01T10:00:01Z") << -1;
    QTest::newRow("same instant, different offsets") << std::string("2024-06-01T12:00:00+02:00")
                                                     << std::string("2024-06-01T10:00:00Z") << 0;
    QTest::newRow("offset makes the later wall clock earlier")
        << std::string("2024-06-01T11:00:00+02:00") << std::string("2024-06-01T10:00:00Z") << -1;
    QTest::newRow("before the epoch") << std::string("1969-12-31T23:59:59.5Z") << std::string("1970-01-01T00:00:00Z")
                                      << -1;
}

void TestTimestamp::ordering()
{
    QFETCH(std::string, a);
    QFETCH(std::string, b);
    QFETCH(int, order);

    const Timestamp ta = testutil::ts(a.c_str());
    const Timestamp tb = testutil::ts(b.c_str());
    QCOMPARE(ta < tb, order < 0);
    QCOMPARE(ta == tb, order == 0);
    QCOMPARE(ta > tb, order > 0);
    QCOMPARE(tb < ta, order > 0);
}

void TestTimestamp::addSeconds()
{
    const Timestamp t = testutil::ts("2024-06-01T10:00:00.250Z");
    QCOMPARE(t.addSeconds(-3600).toString(), std::string("2024-06-01T09:00:00.250Z"));
    QCOMPARE(t.addSeconds(86400).toString(), std::string("2024-06-02T10:00:00.250Z"));
    QCOMPARE(t.addSeconds(0), t);
}

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
