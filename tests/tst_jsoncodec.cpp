// SPDX-License-Identifier: MIT
// The dataset codec: byte-exact round trips, unknown members kept in place, and decoding
// errors that name the JSON Pointer, line and column of the offending value. The resolutions
// codec: today's files read and write back byte for byte.
#include "builders.h"

#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/jsonreader.h"
#include "engine/resolutioncodec.h"

#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

using namespace decksync;

namespace {

const char* const IdText = "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081";

/// A complete compact deck object; `extra` is spliced in before the closing brace.
std::string deckJson(const std::string& extra = {})
{
    return std::string(R"({"id":"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)")
        + R"("title":"t","description":null,"content":"c","created_at":"2024-01-01T10:00:00Z",)"
        + R"("updated_at":"2024-01-01T10:00:00Z","version":1)" + extra + "}";
}

std::string repeat(const std::string& s, int n)
{
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

std::string orderString(const LayoutPtr& layout)
{
    std::string out;
    if (!layout)
        return "(canonical)";
    for (const std::int16_t i : layout->order)
        out.append(out.empty() ? "" : " ").append(std::to_string(i));
    return out;
}

std::string unknownKeys(const LayoutPtr& layout)
{
    std::string out;
    if (!layout)
        return out;
    for (const UnknownField& u : layout->unknown)
        out += (out.empty() ? "" : " ") + u.key;
    return out;
}

/// Resolutions as session files, history records and repro bundles hold them: every base,
/// every field source and a manual value that is text, null or absent (the member removed).
const char* const ResolutionsJson = R"([
  {
    "type": "decks",
    "id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f",
    "base": "engine",
    "fields": [
      {
        "field": "title",
        "source": "manual",
        "value": "Verbos irregulares"
      },
      {
        "field": "description",
        "source": "manual",
        "value": null
      },
      {
        "field": "tags",
        "source": "manual"
      },
      {
        "field": "content",
        "source": "server"
      },
      {
        "field": "version",
        "source": "local"
      }
    ]
  },
  {
    "type": "achievements",
    "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "base": "local",
    "fields": []
  },
  {
    "type": "preferences",
    "id": "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",
    "base": "server",
    "fields": [
      {
        "field": "theme",
        "source": "local"
      }
    ]
  }
]
)";

/// The set ResolutionsJson holds.
ResolutionSet expectedResolutions()
{
    ResolutionSet set;
    ItemResolution deck;
    deck.setField({"title", FieldCell::value("Verbos irregulares")});
    deck.setField({"description", FieldCell::null()});
    deck.setField({"tags", FieldCell::absent()});
    deck.setField({"content", Side::Server});
    deck.setField({"version", Side::Local});
    set.set(DataType::Decks, testutil::uuid("5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"), deck);
    set.set(DataType::Achievements, testutil::uuid("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
            ItemResolution{Side::Local, {}});
    ItemResolution prefs{Side::Server, {}};
    prefs.setField({"theme", Side::Local});
    set.set(DataType::Preferences, testutil::uuid("6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"), prefs);
    return set;
}

} // namespace

class TestJsonCodec : public QObject {
    Q_OBJECT

private slots:
    void roundTripSamples_data();
    void roundTripSamples();
    void unknownMembersSurviveInPlace();
    void canonicalItemsHaveNoLayout();
    void compactRoundTrip_data();
    void compactRoundTrip();
    void missingTopLevelKeysMeanEmpty();
    void absentMemberWrittenOnceItHasAValue();
    void canonicalEncoding();
    void stringEscapes_data();
    void stringEscapes();
    void stringScansAtEveryPosition_data();
    void stringScansAtEveryPosition();
    void stringScanRefusesAtEveryPosition_data();
    void stringScanRefusesAtEveryPosition();
    void int64Limits();
    void nestingAtTheLimitIsAccepted();
    void byteOrderMarkTolerated();
    void decodeErrors_data();
    void decodeErrors();
    void decodeItemErrorsAreRelativeToTheItem();
    void loadDatasetFileSample();
    void loadDatasetFileMissing();
    void loadDatasetFileBad();
    void removesStaleTemporaries();
    void errorToString_data();
    void errorToString();
    void resolutionsRoundTripByteForByte();
    void resolutionsFromOtherWriters();
    void resolutionDecodeErrors_data();
    void resolutionDecodeErrors();
};

void TestJsonCodec::roundTripSamples_data()
{
    QTest::addColumn<std::string>("path");
    QTest::newRow("local.json") << testutil::samplePath("local.json");
    QTest::newRow("server.json") << testutil::samplePath("server.json");
}

void TestJsonCodec::roundTripSamples()
{
    QFETCH(std::string, path);
    const std::string text = testutil::readAll(path);
    const Decoded<Dataset> decoded = codec::decodeDataset(text);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());

    // Byte for byte: same member order, unknown members, whitespace and fractions.
    const std::string encoded = codec::encodeDataset(decoded.value());
    QCOMPARE(encoded.size(), text.size());
    QCOMPARE(encoded, text);

    // And stable: decoding the output gives the same output again.
    const Decoded<Dataset> again = codec::decodeDataset(encoded);
    QVERIFY(again.ok());
    QCOMPARE(codec::encodeDataset(again.value()), text);
}

void TestJsonCodec::unknownMembersSurviveInPlace()
{
    const Decoded<Dataset> localDoc = codec::decodeDataset(testutil::readAll(testutil::samplePath("local.json")));
    QVERIFY(localDoc.ok());
    const Dataset& local = localDoc.value();

    // Top level: "device" sits between last_sync and decks.
    QVERIFY(local.layout);
    QCOMPARE(orderString(local.layout), std::string("0 -1 1 2 3 4 5"));
    QCOMPARE(unknownKeys(local.layout), std::string("device"));
    QCOMPARE(local.layout->unknown[0].raw,
             std::string("{\n    \"name\": \"Maya's phone\",\n    \"platform\": \"android\",\n    \"app_version\": \"2.3.1\"\n  }"));

    // Decks: "tags" after the title, "card_count" last.
    const Deck& spanish = local.decks.at(0);
    QCOMPARE(spanish.title, std::string("Spanish verbs"));
    QVERIFY(spanish.layout);
    QCOMPARE(orderString(spanish.layout), std::string("0 1 2 -1 3 4 5 6 7 -2"));
    QCOMPARE(unknownKeys(spanish.layout), std::string("tags card_count"));
    QCOMPARE(spanish.layout->unknown[0].raw, std::string("[\n        \"language\",\n        \"spanish\"\n      ]"));
    QCOMPARE(spanish.layout->unknown[1].raw, std::string("6"));

    // Achievements: "icon" last.
    const Achievement& streak = local.achievements.at(2);
    QCOMPARE(orderString(streak.layout), std::string("0 1 2 3 4 5 -1"));
    QCOMPARE(unknownKeys(streak.layout), std::string("icon"));
    QCOMPARE(streak.layout->unknown[0].raw, std::string("\"flame\""));

    // Preferences: "font_scale" (a float no model has) and a nested "notifications" object.
    QVERIFY(local.preferences);
    const UserPreferences& prefs = *local.preferences;
    QCOMPARE(orderString(prefs.layout), std::string("0 1 2 3 4 5 6 -1 -2"));
    QCOMPARE(unknownKeys(prefs.layout), std::string("font_scale notifications"));
    QCOMPARE(prefs.layout->unknown[0].raw, std::string("1.25"));
    QCOMPARE(prefs.layout->unknown[1].raw,
             std::string("{\n      \"push\": true,\n      \"email\": false,\n      \"quiet_hours\": [\n        \"22:00\",\n"
                         "        \"07:00\"\n      ]\n    }"));

    // In the output they are written where they were read.
    const std::string out = codec::encodeDataset(local);
    QVERIFY(out.find("\"last_sync\": \"2024-06-01T08:00:00Z\",\n  \"device\": {") != std::string::npos);
    QVERIFY(out.find("\"title\": \"Spanish verbs\",\n      \"tags\": [") != std::string::npos);
    QVERIFY(out.find("\"version\": 3,\n      \"card_count\": 6\n    }") != std::string::npos);
    QVERIFY(out.find("\"deck_id\": null,\n      \"icon\": \"flame\"\n    }") != std::string::npos);
    QVERIFY(out.find("\"version\": 5,\n    \"font_scale\": 1.25,\n    \"notifications\": {") != std::string::npos);

    // The server sample: a top-level "revision" and "tags" at the end of a deck.
    const Decoded<Dataset> serverDoc = codec::decodeDataset(testutil::readAll(testutil::samplePath("server.json")));
    QVERIFY(serverDoc.ok());
    const Dataset& server = serverDoc.value();
    QVERIFY(!server.last_sync.has_value());
    QCOMPARE(orderString(server.layout), std::string("0 -1 1 2 3 4 5"));
    QCOMPARE(unknownKeys(server.layout), std::string("revision"));
    QCOMPARE(server.layout->unknown[0].raw, std::string("41"));
    QCOMPARE(orderString(server.decks.at(1).layout), std::string("0 1 2 3 4 5 6 7 -1"));
    QCOMPARE(unknownKeys(server.decks.at(1).layout), std::string("tags"));
}

void TestJsonCodec::canonicalItemsHaveNoLayout()
{
    const Decoded<Dataset> doc = codec::decodeDataset(testutil::readAll(testutil::samplePath("local.json")));
    QVERIFY(doc.ok());
    // All members, model order, nothing unknown: no layout is kept.
    QVERIFY(!doc.value().decks.at(1).layout);
    QVERIFY(!doc.value().achievements.at(0).layout);
    QVERIFY(!doc.value().progress.at(0).layout);
    QVERIFY(!doc.value().starred.at(0).layout);
    // And the values themselves.
    const Deck& biology = doc.value().decks.at(1);
    QCOMPARE(biology.id.toString(), std::string("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"));
    QCOMPARE(biology.description, std::optional<std::string>("Organelles and what they do"));
    QCOMPARE(biology.updated_at, testutil::ts("2024-06-01T09:30:00Z"));
    QCOMPARE(biology.version, std::int64_t(2));
    QVERIFY(!doc.value().decks.at(2).description.has_value());
    QCOMPARE(doc.value().decks.at(0).updated_at.nanos, std::uint32_t(120000000));
}

void TestJsonCodec::compactRoundTrip_data()
{
    QTest::addColumn<std::string>("json");

    QTest::newRow("empty object") << std::string("{}");
    QTest::newRow("only decks") << std::string("{\"decks\":[]}");
    QTest::newRow("deck without description key")
        << (std::string("{\"decks\":[") + R"({"id":"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)"
            + R"("title":"t","content":"c","created_at":"2024-01-01T10:00:00Z","updated_at":"2024-01-01T10:00:00Z","version":1}]})");
    QTest::newRow("deck with description null") << "{\"decks\":[" + deckJson() + "]}";
    QTest::newRow("unknown keys in a deck") << "{\"decks\":[" + deckJson(R"(,"zzz":{"a":[1,2,{"b":null}]},"n":-0.5e+3)") + "]}";
    QTest::newRow("unknown top-level keys before and after")
        << "{\"x\":true,\"decks\":[" + deckJson() + "],\"y\":[\"\\u00e9\\n\"]}";
    QTest::newRow("members in another order")
        << std::string(R"({"preferences":{"version":2,"updated_at":"2024-01-01T10:00:00Z","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)")
            + R"("theme":"dark","language":"en","sound_enabled":false},"last_sync":"2024-01-01T00:00:00.500Z"})";
    QTest::newRow("achievement without title and deck_id")
        << std::string(R"({"achievements":[{"id":"11111111-2222-4333-8444-555555555501","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)")
            + R"("achievement_type":"streak_7","earned_at":"2024-06-01T09:00:00Z"}]})";
    QTest::newRow("preferences without daily_goal")
        << std::string(R"({"preferences":{"user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f","theme":"dark","language":"en",)")
            + R"("sound_enabled":true,"updated_at":"2024-01-01T10:00:00Z","version":1}})";
    QTest::newRow("preferences null") << std::string("{\"last_sync\":null,\"preferences\":null}");
}

void TestJsonCodec::compactRoundTrip()
{
    QFETCH(std::string, json);
    const Decoded<Dataset> decoded = codec::decodeDataset(json);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(codec::encodeDataset(decoded.value(), JsonWriter::Style::Compact), json + '\n');
}

void TestJsonCodec::missingTopLevelKeysMeanEmpty()
{
    const Decoded<Dataset> decoded = codec::decodeDataset("{}");
    QVERIFY(decoded.ok());
    const Dataset& d = decoded.value();
    QVERIFY(!d.last_sync.has_value());
    QVERIFY(d.decks.empty());
    QVERIFY(d.achievements.empty());
    QVERIFY(d.progress.empty());
    QVERIFY(d.starred.empty());
    QVERIFY(!d.preferences.has_value());
    // Absent stays absent in the output: the document is still empty.
    QCOMPARE(codec::encodeDataset(d), std::string("{}\n"));

    const Decoded<Dataset> onlyStarred = codec::decodeDataset(
        R"({"starred":[{"id":"33333333-4444-4555-8666-777777777701","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)"
        R"("deck_id":"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081","starred_at":"2024-06-01T09:15:00Z"}]})");
    QVERIFY(onlyStarred.ok());
    QCOMPARE(onlyStarred.value().starred.size(), std::size_t(1));
    QVERIFY(onlyStarred.value().decks.empty());
    QVERIFY(!onlyStarred.value().preferences.has_value());
}

void TestJsonCodec::absentMemberWrittenOnceItHasAValue()
{
    Decoded<Dataset> decoded = codec::decodeDataset(R"({"decks":[]})");
    QVERIFY(decoded.ok());
    Dataset d = decoded.value();
    // A list that gains items and a timestamp that gains a value are written after the
    // members that were there, in model order.
    d.last_sync = testutil::ts("2024-06-01T12:00:00Z");
    d.starred.push_back(builders::starred(1, "2024-06-01T09:00:00Z"));
    QCOMPARE(codec::encodeDataset(d, JsonWriter::Style::Compact),
             std::string(R"({"decks":[],"last_sync":"2024-06-01T12:00:00Z","starred":[{"id":"01234567-89ab-4cde-8000-000000000001",)"
                         R"("user_id":"01234567-89ab-4cde-8000-0000000003e8","deck_id":"01234567-89ab-4cde-8000-0000000001f5",)"
                         R"("starred_at":"2024-06-01T09:00:00Z"}]})"
                         "\n"));
}

void TestJsonCodec::canonicalEncoding()
{
    QCOMPARE(codec::encodeDataset(Dataset{}),
             std::string("{\n  \"last_sync\": null,\n  \"decks\": [],\n  \"achievements\": [],\n  \"progress\": [],\n"
                         "  \"starred\": [],\n  \"preferences\": null\n}\n"));

    Deck d = builders::deck(1, "2024-06-01T10:15:00.123456Z", 3, "Bio", "a :: b");
    QCOMPARE(codec::encodeItem(d),
             std::string(R"({"id":"01234567-89ab-4cde-8000-000000000001","user_id":"01234567-89ab-4cde-8000-0000000003e8",)"
                         R"("title":"Bio","description":null,"content":"a :: b","created_at":"2024-01-01T00:00:00Z",)"
                         R"("updated_at":"2024-06-01T10:15:00.123456Z","version":3})"));
    d.description = "about cells";
    QCOMPARE(codec::encodeItem(d, JsonWriter::Style::Pretty),
             std::string("{\n  \"id\": \"01234567-89ab-4cde-8000-000000000001\",\n"
                         "  \"user_id\": \"01234567-89ab-4cde-8000-0000000003e8\",\n  \"title\": \"Bio\",\n"
                         "  \"description\": \"about cells\",\n  \"content\": \"a :: b\",\n"
                         "  \"created_at\": \"2024-01-01T00:00:00Z\",\n  \"updated_at\": \"2024-06-01T10:15:00.123456Z\",\n"
                         "  \"version\": 3\n}"));

    const UserPreferences p = builders::preferences(7, "2024-06-01T10:00:00Z", 2);
    QCOMPARE(codec::encodeItem(p),
             std::string(R"({"user_id":"01234567-89ab-4cde-8000-000000000007","theme":"dark","language":"en",)"
                         R"("sound_enabled":true,"daily_goal":20,"updated_at":"2024-06-01T10:00:00Z","version":2})"));
}

void TestJsonCodec::stringEscapes_data()
{
    QTest::addColumn<std::string>("literal"); // as written in the input
    QTest::addColumn<std::string>("value");   // decoded
    QTest::addColumn<std::string>("written"); // as written back

    QTest::newRow("plain") << std::string(R"("abc")") << std::string("abc") << std::string(R"("abc")");
    QTest::newRow("quote and backslash") << std::string(R"("a\"b\\c")") << std::string("a\"b\\c")
                                         << std::string(R"("a\"b\\c")");
    QTest::newRow("solidus escape is dropped") << std::string(R"("a\/b")") << std::string("a/b") << std::string(R"("a/b")");
    QTest::newRow("short escapes") << std::string(R"("\b\f\n\r\t")") << std::string("\b\f\n\r\t")
                                   << std::string(R"("\b\f\n\r\t")");
    QTest::newRow("control escape") << std::string(R"("\u0001\u001f")") << std::string("\x01\x1f")
                                    << std::string(R"("\u0001\u001f")");
    QTest::newRow("BMP escape written as UTF-8") << std::string(R"("caf\u00e9")") << std::string("caf\xc3\xa9")
                                                 << std::string("\"caf\xc3\xa9\"");
    QTest::newRow("surrogate pair") << std::string(R"("\ud83d\ude00")") << std::string("\xf0\x9f\x98\x80")
                                    << std::string("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("raw UTF-8 kept") << std::string("\"\xe3\x81\x82 :: a\"") << std::string("\xe3\x81\x82 :: a")
                                    << std::string("\"\xe3\x81\x82 :: a\"");
    QTest::newRow("upper-case hex escape") << std::string(R"("\u00C9")") << std::string("\xc3\x89")
                                           << std::string("\"\xc3\x89\"");
}

void TestJsonCodec::stringEscapes()
{
    QFETCH(std::string, literal);
    QFETCH(std::string, value);
    QFETCH(std::string, written);

    const std::string json = R"({"id":"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)"
                             R"("title":)" + literal + R"(,"description":null,"content":"c","created_at":"2024-01-01T10:00:00Z",)"
                             R"("updated_at":"2024-01-01T10:00:00Z","version":1})";
    const Decoded<Deck> deck = codec::decodeItem<Deck>(json);
    QVERIFY2(deck.ok(), deck.ok() ? "" : deck.error().toString().c_str());
    QCOMPARE(deck.value().title, value);
    const std::string out = codec::encodeItem(deck.value());
    QVERIFY2(out.find(R"("title":)" + written + ",") != std::string::npos, out.c_str());
}

void TestJsonCodec::stringScansAtEveryPosition_data()
{
    QTest::addColumn<std::string>("special");
    QTest::newRow("quote") << std::string("\"");
    QTest::newRow("backslash") << std::string("\\");
    QTest::newRow("newline") << std::string("\n");
    QTest::newRow("control 0x01") << std::string("\x01");
    QTest::newRow("control 0x1f") << std::string("\x1f");
    QTest::newRow("space (plain)") << std::string(" ");
    QTest::newRow("DEL (plain)") << std::string("\x7f");
    QTest::newRow("two-byte UTF-8") << std::string("\xc3\xa9");
    QTest::newRow("three-byte UTF-8") << std::string("\xe3\x81\x82");
}

// The scans go sixteen bytes at a time and finish byte by byte: a special byte at every
// offset of strings up to three blocks long is found by the writer and by the reader.
void TestJsonCodec::stringScansAtEveryPosition()
{
    QFETCH(std::string, special);
    const auto reference = [](std::string_view text) {
        std::string out = "\"";
        for (const char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default:
                if (c < 0x20) {
                    static constexpr char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += ch;
                }
            }
        }
        return out + '"';
    };
    for (std::size_t length = 0; length <= 48; ++length) {
        for (std::size_t at = 0; at <= length; ++at) {
            const std::string text = std::string(at, 'a') + special + std::string(length - at, 'b');
            std::string written;
            JsonWriter::appendEscaped(written, text);
            QCOMPARE(written, reference(text));
            JsonReader reader(written);
            QCOMPARE(std::string(reader.readString()), text);
            reader.expectEnd(); // throws when the string ended early
        }
    }
}

void TestJsonCodec::stringScanRefusesAtEveryPosition_data()
{
    QTest::addColumn<std::string>("bad");
    QTest::addColumn<std::string>("message");
    QTest::newRow("raw control 0x01") << std::string("\x01") << std::string("control character in a string");
    QTest::newRow("raw control 0x1f") << std::string("\x1f") << std::string("control character in a string");
    QTest::newRow("raw newline") << std::string("\n") << std::string("control character in a string");
    QTest::newRow("lone continuation byte") << std::string("\x80") << std::string("invalid UTF-8");
    QTest::newRow("truncated sequence") << std::string("\xe3\x81") << std::string("invalid UTF-8");
    QTest::newRow("byte 0xff") << std::string("\xff") << std::string("invalid UTF-8");
}

// What the writer never writes, the reader must still stop at: raw control bytes and bad
// UTF-8, at every offset (in the sixteen-byte blocks and in the tail), at that byte.
void TestJsonCodec::stringScanRefusesAtEveryPosition()
{
    QFETCH(std::string, bad);
    QFETCH(std::string, message);
    for (std::size_t length = 0; length <= 48; ++length) {
        for (std::size_t at = 0; at <= length; ++at) {
            const std::string literal = '"' + std::string(at, 'a') + bad + std::string(length - at, 'b') + '"';
            JsonReader reader(literal);
            try {
                (void)reader.readString();
                QFAIL(qPrintable(QStringLiteral("accepted at offset %1 of %2").arg(at).arg(length)));
            } catch (const JsonReader::Failure& f) {
                QVERIFY2(f.error.message.find(message) != std::string::npos, f.error.message.c_str());
                QCOMPARE(f.error.offset, at + 1);
            }
        }
    }
}

void TestJsonCodec::int64Limits()
{
    const std::string json = "{\"decks\":[" + deckJson() + "],\"progress\":[{"
        R"("id":"22222222-3333-4444-8555-666666666601","user_id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f",)"
        R"("deck_id":"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081","cards_studied":0,"cards_mastered":-1,)"
        R"("total_cards":-9223372036854775808,"last_studied":"2024-06-01T10:40:00Z","streak_days":7,)"
        R"("total_time_spent":9223372036854775807,"version":-0}]})";
    const Decoded<Dataset> decoded = codec::decodeDataset(json);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    const Progress& p = decoded.value().progress.at(0);
    QCOMPARE(p.total_cards, std::numeric_limits<std::int64_t>::min());
    QCOMPARE(p.total_time_spent, std::numeric_limits<std::int64_t>::max());
    QCOMPARE(p.cards_mastered, std::int64_t(-1));
    QCOMPARE(p.version, std::int64_t(0));
    const std::string out = codec::encodeDataset(decoded.value(), JsonWriter::Style::Compact);
    QVERIFY(out.find("\"total_cards\":-9223372036854775808,") != std::string::npos);
    QVERIFY(out.find("\"total_time_spent\":9223372036854775807,") != std::string::npos);
    QVERIFY(out.find("\"version\":0}") != std::string::npos); // -0 is the integer 0
}

void TestJsonCodec::nestingAtTheLimitIsAccepted()
{
    // The document object is level 1; 127 arrays inside an unknown member make 128 levels.
    const std::string json = "{\"x\": " + repeat("[", 127) + repeat("]", 127) + "}";
    const Decoded<Dataset> decoded = codec::decodeDataset(json);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(decoded.value().layout->unknown.at(0).raw, repeat("[", 127) + repeat("]", 127));
}

void TestJsonCodec::byteOrderMarkTolerated()
{
    const Decoded<Dataset> decoded = codec::decodeDataset("\xEF\xBB\xBF{\"decks\": []}");
    QVERIFY(decoded.ok());
    QVERIFY(decoded.value().decks.empty());
}

void TestJsonCodec::decodeErrors_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("pointer");
    QTest::addColumn<std::string>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    const std::string id = std::string("\"") + IdText + '"';
    const std::string t = "\"2024-06-01T10:00:00Z\"";
    auto deckWithVersion = [&](const std::string& version) {
        return "{\"decks\": [{\"id\": " + id + ", \"user_id\": " + id + ", \"title\": \"t\", \"content\": \"c\", "
            + "\"created_at\": " + t + ", \"updated_at\": " + t + ", \"version\": " + version + "}]}";
    };
    // Column of the version value in deckWithVersion().
    const int versionColumn = int(deckWithVersion("").size()) - 2;

    // Not JSON at all, or not a whole document.
    QTest::newRow("not JSON") << std::string("hello") << std::string() << std::string("unexpected character 'h', expected a value") << 1 << 1;
    QTest::newRow("empty input") << std::string() << std::string() << std::string("unexpected end of input, expected a value") << 1 << 1;
    QTest::newRow("truncated in an array") << std::string("{\"decks\": [") << std::string("/decks/0")
                                           << std::string("unexpected end of input, expected a value") << 1 << 12;
    QTest::newRow("truncated after a member") << std::string("{\"last_sync\": null") << std::string()
                                              << std::string("unexpected end of input inside an object") << 1 << 19;
    QTest::newRow("truncated inside a deck")
        << "{\n  \"decks\": [\n    {\n      \"id\": " + id + ",\n" << std::string("/decks/0")
        << std::string("unexpected end of input inside an object") << 5 << 1;
    QTest::newRow("truncated inside a string") << std::string("{\"x\": \"abc") << std::string("/x")
                                               << std::string("unexpected end of input inside a string") << 1 << 7;
    QTest::newRow("trailing garbage") << std::string("{} x") << std::string()
                                      << std::string("unexpected content after the end of the document") << 1 << 4;
    QTest::newRow("two documents") << std::string("{}\n{}") << std::string()
                                   << std::string("unexpected content after the end of the document") << 2 << 1;
    QTest::newRow("missing comma") << std::string("{\"decks\": [] \"x\": 1}") << std::string()
                                   << std::string("expected ',' or '}' after an object member") << 1 << 14;
    QTest::newRow("missing comma between elements")
        << std::string("{\"x\": [1 2]}") << std::string("/x") << std::string("expected ',' or ']' after an array element") << 1 << 10;
    QTest::newRow("unquoted key") << std::string("{decks: []}") << std::string()
                                  << std::string("expected a string key in an object") << 1 << 2;
    QTest::newRow("unquoted second key") << std::string("{\"decks\": [], x: 1, \"y\": 2}") << std::string()
                                         << std::string("expected a string key in an object") << 1 << 15;
    QTest::newRow("missing colon") << std::string("{\"decks\" []}") << std::string("/decks")
                                   << std::string("expected ':' after an object key") << 1 << 10;
    QTest::newRow("bad literal") << std::string("{\"x\": tru}") << std::string("/x")
                                 << std::string("invalid literal (expected true)") << 1 << 7;
    QTest::newRow("invalid escape") << std::string("{\"x\": \"\\q\"}") << std::string("/x")
                                    << std::string("invalid escape '\\q' in a string") << 1 << 8;

    // Wrong types.
    QTest::newRow("top level is an array") << std::string("[]") << std::string()
                                           << std::string("expected an object, found an array") << 1 << 1;
    QTest::newRow("decks is an object") << std::string("{\"decks\": {}}") << std::string("/decks")
                                        << std::string("expected an array, found an object") << 1 << 11;
    QTest::newRow("decks is null") << std::string("{\"decks\": null}") << std::string("/decks")
                                   << std::string("expected an array, found null") << 1 << 11;
    QTest::newRow("number where a string is expected") << std::string("{\"decks\": [{\"id\": 5}]}") << std::string("/decks/0/id")
                                                       << std::string("expected a string, found a number") << 1 << 19;
    QTest::newRow("number as last_sync") << std::string("{\"last_sync\": 5}") << std::string("/last_sync")
                                         << std::string("expected a string, found a number") << 1 << 15;
    QTest::newRow("string where an integer is expected")
        << deckWithVersion("\"1\"") << std::string("/decks/0/version") << std::string("expected an integer, found a string") << 1
        << versionColumn;
    QTest::newRow("number where a boolean is expected")
        << std::string("{\"preferences\": {\"sound_enabled\": 1}}") << std::string("/preferences/sound_enabled")
        << std::string("expected a boolean, found a number") << 1 << 35;

    // Missing members and bad values.
    QTest::newRow("missing title")
        << "{\"decks\": [{\"id\": " + id + ", \"user_id\": " + id + ", \"content\": \"c\", \"created_at\": " + t
            + ", \"updated_at\": " + t + ", \"version\": 1}]}"
        << std::string("/decks/0") << std::string("missing field \"title\"") << 1 << 12;
    QTest::newRow("id is \"test\"") << std::string("{\"decks\": [{\"id\": \"test\"}]}") << std::string("/decks/0/id")
                                     << std::string("\"test\" is not a UUID") << 1 << 19;
    QTest::newRow("id is \"test\", pretty")
        << std::string("{\n  \"decks\": [\n    {\"id\": \"test\"}\n  ]\n}") << std::string("/decks/0/id")
        << std::string("\"test\" is not a UUID") << 3 << 12;
    QTest::newRow("bad timestamp") << std::string("{\"last_sync\": \"2024-02-30T00:00:00Z\"}") << std::string("/last_sync")
                                   << std::string("\"2024-02-30T00:00:00Z\" is not a valid date (day out of range for its month)")
                                   << 1 << 15;
    const std::string noOffset = "{\"starred\": [{\"id\": " + id + ", \"user_id\": " + id + ", \"deck_id\": " + id
        + ", \"starred_at\": \"2024-06-01T10:00:00\"}]}";
    QTest::newRow("timestamp without offset")
        << noOffset << std::string("/starred/0/starred_at")
        << std::string("\"2024-06-01T10:00:00\" has no UTC offset (expected Z or +HH:MM)") << 1
        << int(noOffset.find("\"2024-06-01T10:00:00\"")) + 1;

    // Numbers.
    QTest::newRow("int64 overflow") << deckWithVersion("9223372036854775808") << std::string("/decks/0/version")
                                    << std::string("9223372036854775808 is out of range for a 64-bit integer") << 1
                                    << versionColumn;
    QTest::newRow("int64 underflow") << deckWithVersion("-9223372036854775809") << std::string("/decks/0/version")
                                     << std::string("-9223372036854775809 is out of range for a 64-bit integer") << 1
                                     << versionColumn;
    QTest::newRow("float where an integer is expected")
        << deckWithVersion("1.5") << std::string("/decks/0/version") << std::string("expected an integer, found the number 1.5")
        << 1 << versionColumn;
    QTest::newRow("exponent where an integer is expected")
        << deckWithVersion("1e3") << std::string("/decks/0/version") << std::string("expected an integer, found the number 1e3")
        << 1 << versionColumn;
    QTest::newRow("leading zero") << deckWithVersion("01") << std::string("/decks/0/version")
                                  << std::string("invalid number (leading zero)") << 1 << versionColumn;
    QTest::newRow("leading zero in an unknown member") << std::string("{\"x\": 012}") << std::string("/x")
                                                       << std::string("invalid number (leading zero)") << 1 << 7;
    QTest::newRow("minus without digits") << deckWithVersion("-") << std::string("/decks/0/version")
                                          << std::string("invalid number (no digits after '-')") << 1 << versionColumn;
    QTest::newRow("no digits after the decimal point") << std::string("{\"x\": 1.}") << std::string("/x")
                                                       << std::string("invalid number (no digits after the decimal point)")
                                                       << 1 << 7;

    // Duplicates.
    QTest::newRow("duplicate field")
        << "{\"decks\": [{\"id\": " + id + ", \"id\": " + id + "}]}" << std::string("/decks/0/id")
        << std::string("duplicate field \"id\"") << 1 << 64;
    QTest::newRow("duplicate top-level field") << std::string("{\"decks\": [], \"decks\": []}") << std::string("/decks")
                                               << std::string("duplicate field \"decks\"") << 1 << 23;
    QTest::newRow("duplicate unknown field") << std::string("{\"x\": 1, \"x\": 2}") << std::string("/x")
                                             << std::string("duplicate field \"x\"") << 1 << 14;

    // Strings.
    QTest::newRow("invalid UTF-8") << std::string("{\"x\": \"a\xff" "b\"}") << std::string("/x")
                                   << std::string("invalid UTF-8 in a string") << 1 << 9;
    QTest::newRow("invalid UTF-8 in a title") << std::string("{\"decks\": [{\"title\": \"\xff\"}]}")
                                              << std::string("/decks/0/title") << std::string("invalid UTF-8 in a string")
                                              << 1 << 23;
    QTest::newRow("invalid UTF-8 in a key") << std::string("{\"\xff\": 1}") << std::string()
                                            << std::string("invalid UTF-8 in a string") << 1 << 3;
    QTest::newRow("overlong two-byte sequence") << std::string("{\"x\": \"\xc0\xaf\"}") << std::string("/x")
                                                << std::string("invalid UTF-8 in a string") << 1 << 8;
    QTest::newRow("overlong three-byte sequence") << std::string("{\"x\": \"\xe0\x80\xaf\"}") << std::string("/x")
                                                  << std::string("invalid UTF-8 in a string (overlong or surrogate sequence)")
                                                  << 1 << 8;
    QTest::newRow("UTF-8 encoded surrogate") << std::string("{\"x\": \"\xed\xa0\x80\"}") << std::string("/x")
                                             << std::string("invalid UTF-8 in a string (overlong or surrogate sequence)")
                                             << 1 << 8;
    QTest::newRow("lone leading surrogate escape") << std::string("{\"x\": \"\\ud800\"}") << std::string("/x")
                                                   << std::string("lone leading surrogate in a \\u escape") << 1 << 8;
    QTest::newRow("lone trailing surrogate escape") << std::string("{\"x\": \"\\udc00\"}") << std::string("/x")
                                                    << std::string("lone trailing surrogate in a \\u escape") << 1 << 8;
    QTest::newRow("surrogate followed by a non-surrogate")
        << std::string("{\"x\": \"\\ud800\\u0041\"}") << std::string("/x")
        << std::string("invalid surrogate pair in a \\u escape") << 1 << 8;
    QTest::newRow("control character in a string") << std::string("{\"x\": \"a\tb\"}") << std::string("/x")
                                                   << std::string("control character in a string (it must be escaped)")
                                                   << 1 << 9;
    QTest::newRow("control character after an escape")
        << std::string("{\"x\": \"\\n\nb\"}") << std::string("/x")
        << std::string("control character in a string (it must be escaped)") << 1 << 10;
    QTest::newRow("control character in a key") << std::string("{\"a\x01\": 1}") << std::string()
                                                << std::string("control character in a string (it must be escaped)") << 1 << 4;

    // Keys in the pointer are escaped as RFC 6901 says ("~" as "~0", "/" as "~1"), after JSON unescaping.
    QTest::newRow("pointer escaping") << std::string("{\"a/b~c\": {\"x\\u002fy\": [0, \"\\ud800\"]}}")
                                      << std::string("/a~1b~0c/x~1y/1")
                                      << std::string("lone leading surrogate in a \\u escape") << 1 << 29;

    // Depth: 128 levels as serde_json; counted inside members no model knows too.
    QTest::newRow("nesting deeper than 128 in an unknown member")
        << "{\"x\": " + repeat("[", 128) + repeat("]", 128) + "}" << "/x" + repeat("/0", 127)
        << std::string("nesting deeper than 128 levels") << 1 << 134;
}

void TestJsonCodec::decodeErrors()
{
    QFETCH(std::string, json);
    QFETCH(std::string, pointer);
    QFETCH(std::string, message);
    QFETCH(int, line);
    QFETCH(int, column);

    const Decoded<Dataset> decoded = codec::decodeDataset(json);
    QVERIFY(!decoded.ok());
    const DecodeError& e = decoded.error();
    QCOMPARE(e.message, message);
    QCOMPARE(e.pointer, pointer);
    QCOMPARE(int(e.line), line);
    QCOMPARE(int(e.column), column);
    QVERIFY(e.file.empty());
}

void TestJsonCodec::decodeItemErrorsAreRelativeToTheItem()
{
    const Decoded<Deck> deck = codec::decodeItem<Deck>(R"({"id": "test"})");
    QVERIFY(!deck.ok());
    QCOMPARE(deck.error().pointer, std::string("/id"));
    QCOMPARE(deck.error().message, std::string("\"test\" is not a UUID"));
    QCOMPARE(deck.error().column, std::size_t(8));

    const Decoded<UserPreferences> prefs = codec::decodeItem<UserPreferences>("null");
    QVERIFY(!prefs.ok());
    QCOMPARE(prefs.error().pointer, std::string());
    QCOMPARE(prefs.error().message, std::string("expected an object, found null"));
}

void TestJsonCodec::loadDatasetFileSample()
{
    const Decoded<Dataset> d = loadDatasetFile(testutil::samplePath("server.json"));
    QVERIFY(d.ok());
    QCOMPARE(d.value().decks.size(), std::size_t(7));
    QCOMPARE(d.value().achievements.size(), std::size_t(3));
    QCOMPARE(d.value().progress.size(), std::size_t(3));
    QCOMPARE(d.value().starred.size(), std::size_t(4));
    QVERIFY(d.value().preferences.has_value());
    QCOMPARE(d.value().preferences->theme, std::string("light"));
}

void TestJsonCodec::loadDatasetFileMissing()
{
    const std::string path = testutil::fixturePath("no_such_file.json");
    const Decoded<Dataset> d = loadDatasetFile(path);
    QVERIFY(!d.ok());
    QCOMPARE(d.error().file, path);
    QCOMPARE(d.error().message, std::string("cannot open the file: No such file or directory"));
    QCOMPARE(d.error().pointer, std::string());
    QCOMPARE(d.error().line, std::size_t(0));
    QCOMPARE(d.error().toString(), path + ": cannot open the file: No such file or directory");
}

void TestJsonCodec::loadDatasetFileBad()
{
    const std::string path = testutil::fixturePath("bad_uuid.json");
    const Decoded<Dataset> d = loadDatasetFile(path);
    QVERIFY(!d.ok());
    const DecodeError& e = d.error();
    QCOMPARE(e.file, path);
    QCOMPARE(e.pointer, std::string("/decks/0/id"));
    QCOMPARE(e.message, std::string("\"test\" is not a UUID"));
    QCOMPARE(e.line, std::size_t(5));
    QCOMPARE(e.column, std::size_t(13));
    QCOMPARE(e.toString(), path + ":5:13: /decks/0/id: \"test\" is not a UUID");
}

void TestJsonCodec::errorToString_data()
{
    QTest::addColumn<std::string>("file");
    QTest::addColumn<std::string>("pointer");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<std::string>("expected");

    QTest::newRow("everything") << std::string("local.json") << std::string("/decks/3/id") << 12 << 13
                                << std::string("local.json:12:13: /decks/3/id: MESSAGE");
    QTest::newRow("no file") << std::string() << std::string("/decks/3/id") << 12 << 13
                             << std::string("12:13: /decks/3/id: MESSAGE");
    QTest::newRow("no pointer") << std::string("local.json") << std::string() << 1 << 1
                                << std::string("local.json:1:1: MESSAGE");
    QTest::newRow("no position") << std::string("local.json") << std::string() << 0 << 0
                                 << std::string("local.json: MESSAGE");
    QTest::newRow("message only") << std::string() << std::string() << 0 << 0 << std::string("MESSAGE");
    QTest::newRow("pointer only") << std::string() << std::string("/x") << 0 << 0 << std::string("/x: MESSAGE");
}

void TestJsonCodec::errorToString()
{
    QFETCH(std::string, file);
    QFETCH(std::string, pointer);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(std::string, expected);

    DecodeError e;
    e.file = file;
    e.pointer = pointer;
    e.message = "MESSAGE";
    e.line = std::size_t(line);
    e.column = std::size_t(column);
    QCOMPARE(e.toString(), expected);
}

// Only the writer's own names beside the target (`.decksync-tmp-` and mkstemp's six
// characters), and only old ones: a young temporary may belong to a writer still at work, and
// a user's `out.json.tmp-202401` is not ours.
void TestJsonCodec::removesStaleTemporaries()
{
    namespace fs = std::filesystem;
    QTemporaryDir dir;
    const fs::path root(dir.path().toStdString());
    const auto old = fs::file_time_type::clock::now() - std::chrono::minutes(5);
    for (const char* name : {"out.json.decksync-tmp-Ab12Cd", "out.json.decksync-tmp-Ef34Gh",
                             "out.json.decksync-tmp-toolong", "other.json.decksync-tmp-Ab12Cd", "out.json.tmp-202401",
                             "out.json"}) {
        std::ofstream(root / name) << "x";
        if (std::string_view(name) != "out.json.decksync-tmp-Ef34Gh")
            fs::last_write_time(root / name, old);
    }
    QCOMPARE(removeStaleTemporaries((root / "out.json").string()), std::size_t(1));
    QVERIFY(!fs::exists(root / "out.json.decksync-tmp-Ab12Cd"));
    for (const char* kept : {"out.json.decksync-tmp-Ef34Gh", "out.json.decksync-tmp-toolong",
                             "other.json.decksync-tmp-Ab12Cd", "out.json.tmp-202401", "out.json"})
        QVERIFY2(fs::exists(root / kept), kept);
    QCOMPARE(removeStaleTemporaries((root / "out.json").string(), std::chrono::seconds(0)), std::size_t(1));
    QVERIFY(!fs::exists(root / "out.json.decksync-tmp-Ef34Gh"));
}

void TestJsonCodec::resolutionsRoundTripByteForByte()
{
    const Decoded<ResolutionSet> decoded = codec::decodeResolutions(ResolutionsJson);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QVERIFY(decoded.value() == expectedResolutions());
    QCOMPARE(codec::encodeResolutions(decoded.value()), std::string(ResolutionsJson));
    QCOMPARE(codec::encodeResolutions(expectedResolutions()), std::string(ResolutionsJson));
}

// Compact text, members in another order, unknown members, a value beside a side and an
// "engine" item without fields (the default: no entry) all read; the writer's form comes back.
void TestJsonCodec::resolutionsFromOtherWriters()
{
    const Decoded<ResolutionSet> decoded = codec::decodeResolutions(
        R"([{"fields":[{"source":"manual","field":"title","value":"Verbos irregulares"},)"
        R"({"value":null,"field":"description","source":"manual"},{"field":"tags","source":"manual","note":1},)"
        R"({"value":"ignored","field":"content","source":"server"},{"field":"version","source":"local"}],)"
        R"("base":"engine","id":"5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f","type":"decks"},)"
        R"({"type":"starred","id":"0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9","base":"engine","fields":[]},)"
        R"({"type":"preferences","id":"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f","base":"server",)"
        R"("fields":[{"field":"theme","source":"local"}]},)"
        R"({"type":"achievements","base":"local","id":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}])");
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(decoded.value().size(), std::size_t(3));
    QCOMPARE(codec::encodeResolutions(decoded.value()), std::string(ResolutionsJson));
}

void TestJsonCodec::resolutionDecodeErrors_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("pointer");
    QTest::addColumn<std::string>("message");
    const std::string item = R"({"type": "decks", "id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", )";
    QTest::newRow("base") << "[" + item + R"("base": "result"}])" << std::string("/0/base")
                          << std::string("\"result\" is not a base (engine, local, server)");
    QTest::newRow("source") << "[" + item + R"("fields": [{"field": "title", "source": "engine"}]}])"
                            << std::string("/0/fields/0/source")
                            << std::string("\"engine\" is not a field source (local, server, manual)");
    QTest::newRow("no id") << std::string(R"([{"type": "decks", "base": "local"}])") << std::string("/0")
                           << std::string("missing field \"id\"");
}

void TestJsonCodec::resolutionDecodeErrors()
{
    QFETCH(std::string, json);
    QFETCH(std::string, pointer);
    QFETCH(std::string, message);
    const Decoded<ResolutionSet> decoded = codec::decodeResolutions(json);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().message, message);
    QCOMPARE(decoded.error().pointer, pointer);
}

QTEST_GUILESS_MAIN(TestJsonCodec)
#include "tst_jsoncodec.moc"
