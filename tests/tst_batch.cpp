// SPDX-License-Identifier: MIT
// Batch sync: decoding a BatchSyncRequest (errors with JSON Pointers into `data`) and
// applying it all-or-nothing, per data type and operation.
#include "builders.h"

#include "engine/batch.h"
#include "engine/datasetcodec.h"

#include <QObject>
#include <QTest>

#include <string>

using namespace decksync;
using namespace builders;

namespace {

const char* const T0 = "2024-06-01T09:00:00Z";

std::string idText(std::uint64_t n) { return testutil::id(n).toString(); }

/// The base every apply case starts from.
Dataset base(bool withPreferences = true)
{
    Dataset d;
    d.decks = {deck(1, T0, 2, "one"), deck(2, T0, 1, "two")};
    d.achievements = {achievement(1, T0)};
    d.progress = {progress(1, T0, 3)};
    d.starred = {starred(1, T0)};
    if (withPreferences)
        d.preferences = preferences(1, T0, 5, "dark");
    return d;
}

/// "decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5".
std::string summary(const Dataset& d)
{
    std::string out = "decks";
    for (const Deck& x : d.decks)
        out += ' ' + std::to_string(num(x.id)) + '=' + x.title + '@' + std::to_string(x.version);
    out += " | achievements";
    for (const Achievement& x : d.achievements)
        out += ' ' + std::to_string(num(x.id));
    out += " | progress";
    for (const Progress& x : d.progress)
        out += ' ' + std::to_string(num(x.id)) + '@' + std::to_string(x.version);
    out += " | starred";
    for (const StarredDeck& x : d.starred)
        out += ' ' + std::to_string(num(x.id));
    out += " | preferences";
    if (d.preferences)
        out += ' ' + std::to_string(num(d.preferences->user_id)) + ':' + d.preferences->theme + '@'
            + std::to_string(d.preferences->version);
    return out;
}

SyncOperation op(SyncOperationType type, DataType dataType, std::uint64_t id, AnyItem data = {},
                 std::optional<std::int64_t> version = std::nullopt)
{
    SyncOperation o;
    o.operation_type = type;
    o.data_type = dataType;
    o.item_id = testutil::id(id);
    o.data = std::move(data);
    o.version = version;
    return o;
}

constexpr auto Create = SyncOperationType::Create;
constexpr auto Update = SyncOperationType::Update;
constexpr auto Delete = SyncOperationType::Delete;

/// A compact deck object for request JSON.
std::string deckJson(std::uint64_t n, const std::string& title, std::int64_t version)
{
    return codec::encodeItem(deck(n, T0, version, title));
}

std::string request(const std::string& operations)
{
    return R"({"transaction_id":"tx-1","client_timestamp":"2024-06-01T12:00:00Z","operations":[)" + operations + "]}";
}

} // namespace

class TestBatch : public QObject {
    Q_OBJECT

private slots:
    void decodeGood();
    void decodeBad_data();
    void decodeBad();
    void decodeNestedErrorPosition();
    void apply_data();
    void apply();
    void allOrNothing();
    void allOrNothingFromJson();
    void names();
};

void TestBatch::decodeGood()
{
    const std::string json = R"({
  "transaction_id": "tx-42",
  "client_timestamp": "2024-06-01T12:00:00+02:00",
  "operations": [
    {"operation_type": "Create", "data_type": "decks", "item_id": ")" + idText(3) + R"(", "data": )" + deckJson(3, "three", 1)
        + R"(, "version": null},
    {"operation_type": "Update", "data_type": "progress", "item_id": ")" + idText(1) + R"(", "data": )"
        + codec::encodeItem(progress(1, T0, 4)) + R"(, "version": 3, "note": "ignored"},
    {"operation_type": "Delete", "data_type": "starred", "item_id": ")" + idText(1) + R"(", "data": null},
    {"data_type": "decks", "item_id": ")" + idText(2) + R"(", "operation_type": "Delete"}
  ],
  "device": "ignored"
})";
    const Decoded<BatchSyncRequest> decoded = decodeBatchRequest(json);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    const BatchSyncRequest& r = decoded.value();
    QCOMPARE(r.transaction_id, std::string("tx-42"));
    QCOMPARE(r.client_timestamp, testutil::ts("2024-06-01T10:00:00Z"));
    QCOMPARE(r.operations.size(), std::size_t(4));

    const SyncOperation& create = r.operations[0];
    QCOMPARE(create.operation_type, Create);
    QCOMPARE(create.data_type, DataType::Decks);
    QCOMPARE(create.item_id, testutil::id(3));
    QVERIFY(!create.version.has_value());
    QVERIFY(std::holds_alternative<Deck>(create.data));
    QCOMPARE(std::get<Deck>(create.data).title, std::string("three"));

    const SyncOperation& update = r.operations[1];
    QCOMPARE(update.operation_type, Update);
    QCOMPARE(update.data_type, DataType::Progress);
    QCOMPARE(update.version, std::optional<std::int64_t>(3));
    QVERIFY(std::holds_alternative<Progress>(update.data));
    QCOMPARE(std::get<Progress>(update.data).version, std::int64_t(4));

    QCOMPARE(r.operations[2].operation_type, Delete);
    QCOMPARE(r.operations[2].data_type, DataType::Starred);
    QVERIFY(std::holds_alternative<std::monostate>(r.operations[2].data));
    QCOMPARE(r.operations[3].operation_type, Delete);
    QVERIFY(std::holds_alternative<std::monostate>(r.operations[3].data));
    QCOMPARE(r.operations[3].item_id, testutil::id(2));
}

void TestBatch::decodeBad_data()
{
    QTest::addColumn<std::string>("json");
    QTest::addColumn<std::string>("pointer");
    QTest::addColumn<std::string>("message");

    const std::string id = '"' + idText(3) + '"';
    const std::string goodOp = R"({"operation_type":"Create","data_type":"decks","item_id":)" + id + R"(,"data":)"
        + deckJson(3, "three", 1) + "}";
    std::string badTitle = deckJson(3, "three", 1);
    badTitle.replace(badTitle.find("\"three\""), 7, "5");

    QTest::newRow("wrong type inside data")
        << request(goodOp + R"(,{"operation_type":"Create","data_type":"decks","item_id":)" + id + R"(,"data":)" + badTitle
                   + "}")
        << std::string("/operations/1/data/title") << std::string("expected a string, found a number");
    QTest::newRow("missing field inside data")
        << request(R"({"operation_type":"Create","data_type":"starred","item_id":)" + id + R"(,"data":{"id":)" + id + "}}")
        << std::string("/operations/0/data") << std::string("missing field \"user_id\"");
    QTest::newRow("data of another type")
        << request(R"({"operation_type":"Create","data_type":"achievements","item_id":)" + id + R"(,"data":)"
                   + deckJson(3, "three", 1) + "}")
        << std::string("/operations/0/data") << std::string("missing field \"achievement_type\"");
    QTest::newRow("null data for an update")
        << request(R"({"operation_type":"Update","data_type":"decks","item_id":)" + id + R"(,"data":null})")
        << std::string("/operations/0/data") << std::string("expected an object, found null");
    QTest::newRow("unknown operation type")
        << request(R"({"operation_type":"Upsert","data_type":"decks","item_id":)" + id + R"(,"data":null})")
        << std::string("/operations/0/operation_type")
        << std::string("\"Upsert\" is not an operation type (Create, Update, Delete)");
    QTest::newRow("operation type in lower case")
        << request(R"({"operation_type":"create","data_type":"decks","item_id":)" + id + R"(,"data":null})")
        << std::string("/operations/0/operation_type")
        << std::string("\"create\" is not an operation type (Create, Update, Delete)");
    QTest::newRow("unknown data_type")
        << request(R"({"operation_type":"Delete","data_type":"cards","item_id":)" + id + "}")
        << std::string("/operations/0/data_type")
        << std::string("\"cards\" is not a data type (decks, achievements, progress, starred, preferences)");
    QTest::newRow("item_id is not a UUID")
        << request(R"({"operation_type":"Delete","data_type":"decks","item_id":"test"})")
        << std::string("/operations/0/item_id") << std::string("\"test\" is not a UUID");
    QTest::newRow("missing operation_type") << request(R"({"data_type":"decks","item_id":)" + id + "}")
                                            << std::string("/operations/0") << std::string("missing field \"operation_type\"");
    QTest::newRow("missing data_type") << request(R"({"operation_type":"Delete","item_id":)" + id + "}")
                                       << std::string("/operations/0") << std::string("missing field \"data_type\"");
    QTest::newRow("missing item_id") << request(goodOp + R"(,{"operation_type":"Delete","data_type":"decks"})")
                                     << std::string("/operations/1") << std::string("missing field \"item_id\"");
    QTest::newRow("missing data for a create")
        << request(R"({"operation_type":"Create","data_type":"decks","item_id":)" + id + "}")
        << std::string("/operations/0") << std::string("missing field \"data\"");
    QTest::newRow("float version")
        << request(R"({"operation_type":"Delete","data_type":"decks","item_id":)" + id + R"(,"version":1.5})")
        << std::string("/operations/0/version") << std::string("expected an integer, found the number 1.5");
    QTest::newRow("operation is not an object") << request("[]") << std::string("/operations/0")
                                                << std::string("expected an object, found an array");
    QTest::newRow("operations is not an array")
        << std::string(R"({"transaction_id":"tx","client_timestamp":"2024-06-01T12:00:00Z","operations":{}})")
        << std::string("/operations") << std::string("expected an array, found an object");
    QTest::newRow("missing operations") << std::string(R"({"transaction_id":"tx","client_timestamp":"2024-06-01T12:00:00Z"})")
                                        << std::string() << std::string("missing field \"operations\"");
    QTest::newRow("missing transaction_id") << std::string(R"({"operations":[],"client_timestamp":"2024-06-01T12:00:00Z"})")
                                            << std::string() << std::string("missing field \"transaction_id\"");
    QTest::newRow("missing client_timestamp") << std::string(R"({"operations":[],"transaction_id":"tx"})")
                                              << std::string() << std::string("missing field \"client_timestamp\"");
    QTest::newRow("empty transaction_id")
        << std::string(R"({"operations":[],"transaction_id":"","client_timestamp":"2024-06-01T12:00:00Z"})")
        << std::string("/transaction_id") << std::string("transaction_id must not be empty");
    QTest::newRow("bad client_timestamp")
        << std::string(R"({"operations":[],"transaction_id":"tx","client_timestamp":"yesterday"})")
        << std::string("/client_timestamp")
        << std::string("\"yesterday\" is not an RFC 3339 timestamp (expected YYYY-MM-DDTHH:MM:SSZ)");
    QTest::newRow("trailing garbage") << request("") + "]" << std::string()
                                      << std::string("unexpected content after the end of the document");
}

void TestBatch::decodeBad()
{
    QFETCH(std::string, json);
    QFETCH(std::string, pointer);
    QFETCH(std::string, message);

    const Decoded<BatchSyncRequest> decoded = decodeBatchRequest(json);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().message, message);
    QCOMPARE(decoded.error().pointer, pointer);
}

void TestBatch::decodeNestedErrorPosition()
{
    // An error inside `data` is reported at its line and column in the whole request.
    const std::string json = "{\n  \"transaction_id\": \"tx\",\n  \"client_timestamp\": \"2024-06-01T12:00:00Z\",\n"
                             "  \"operations\": [\n    {\"operation_type\": \"Create\", \"data_type\": \"starred\", \"item_id\": \""
        + idText(1) + "\",\n     \"data\": {\"id\": \"" + idText(1) + "\", \"user_id\": \"nope\"}}\n  ]\n}";
    const Decoded<BatchSyncRequest> decoded = decodeBatchRequest(json);
    QVERIFY(!decoded.ok());
    const DecodeError& e = decoded.error();
    QCOMPARE(e.pointer, std::string("/operations/0/data/user_id"));
    QCOMPARE(e.message, std::string("\"nope\" is not a UUID"));
    QCOMPARE(e.line, std::size_t(6));
    QCOMPARE(e.column, std::size_t(72));
    QCOMPARE(e.toString(), std::string("6:72: /operations/0/data/user_id: \"nope\" is not a UUID"));
}

void TestBatch::apply_data()
{
    QTest::addColumn<std::vector<SyncOperation>>("operations");
    QTest::addColumn<bool>("withPreferences");
    QTest::addColumn<std::string>("result"); // summary() of the result, or the error

    const std::string unchanged = "decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5";
    const std::string id1 = idText(1);
    const std::string id2 = idText(2);
    const std::string id3 = idText(3);
    // A conflict does not fit the server's state (re-read and retry); an invalid operation never applies.
    auto conflict = [](const std::string& what) { return "conflict: operation 0 (" + what + "; the batch was not applied"; };
    auto invalid = [](const std::string& what) { return "invalid: operation 0 (" + what + "; the batch was not applied"; };

    // Decks: create, update, delete with optimistic locking on `version`.
    QTest::newRow("create deck") << std::vector<SyncOperation>{op(Create, DataType::Decks, 3, deck(3, T0, 1, "three"))} << true
                                 << std::string("decks 1=one@2 2=two@1 3=three@1 | achievements 1 | progress 1@3 | starred 1 | "
                                                "preferences 1:dark@5");
    QTest::newRow("create existing deck") << std::vector<SyncOperation>{op(Create, DataType::Decks, 1, deck(1, T0, 1, "x"))}
                                          << true
                                          << conflict("Create decks " + id1 + "): an item with this id already exists");
    QTest::newRow("update deck, version matches")
        << std::vector<SyncOperation>{op(Update, DataType::Decks, 1, deck(1, T0, 3, "ONE"), 2)} << true
        << std::string("decks 1=ONE@3 2=two@1 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5");
    QTest::newRow("update deck without a version") << std::vector<SyncOperation>{op(Update, DataType::Decks, 2, deck(2, T0, 7, "TWO"))}
                                                   << true
                                                   << std::string("decks 1=one@2 2=TWO@7 | achievements 1 | progress 1@3 | "
                                                                  "starred 1 | preferences 1:dark@5");
    QTest::newRow("update deck, version conflict")
        << std::vector<SyncOperation>{op(Update, DataType::Decks, 1, deck(1, T0, 2, "ONE"), 1)} << true
        << conflict("Update decks " + id1 + "): version conflict: expected 1, the server has 2");
    QTest::newRow("update missing deck") << std::vector<SyncOperation>{op(Update, DataType::Decks, 3, deck(3, T0, 1))} << true
                                         << conflict("Update decks " + id3 + "): no item with this id");
    QTest::newRow("update deck, item_id differs from data")
        << std::vector<SyncOperation>{op(Update, DataType::Decks, 1, deck(3, T0, 1))} << true
        << invalid("Update decks " + id1 + "): item_id does not match the id in data (" + id3 + ")");
    // A request built in code (not decoded) may lack data or carry another type's.
    QTest::newRow("create deck without data") << std::vector<SyncOperation>{op(Create, DataType::Decks, 3)} << true
                                              << invalid("Create decks " + id3 + "): data is missing or is not a decks item");
    QTest::newRow("update deck with progress data")
        << std::vector<SyncOperation>{op(Update, DataType::Decks, 1, progress(1, T0, 3))} << true
        << invalid("Update decks " + id1 + "): data is missing or is not a decks item");
    QTest::newRow("create preferences without data") << std::vector<SyncOperation>{op(Create, DataType::Preferences, 1)}
                                                     << false
                                                     << invalid("Create preferences " + id1
                                                                + "): data is missing or is not a preferences item");
    QTest::newRow("delete deck") << std::vector<SyncOperation>{op(Delete, DataType::Decks, 1, {}, 2)} << true
                                 << std::string("decks 2=two@1 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5");
    QTest::newRow("delete deck, version conflict") << std::vector<SyncOperation>{op(Delete, DataType::Decks, 2, {}, 5)} << true
                                                   << conflict("Delete decks " + id2 + "): version conflict: expected 5, the "
                                                                                      "server has 1");
    QTest::newRow("delete missing deck") << std::vector<SyncOperation>{op(Delete, DataType::Decks, 3)} << true
                                         << conflict("Delete decks " + id3 + "): no item with this id");

    // Achievements: append-only.
    QTest::newRow("create achievement") << std::vector<SyncOperation>{op(Create, DataType::Achievements, 2, achievement(2, T0))}
                                        << true
                                        << std::string("decks 1=one@2 2=two@1 | achievements 1 2 | progress 1@3 | starred 1 | "
                                                       "preferences 1:dark@5");
    QTest::newRow("create existing achievement")
        << std::vector<SyncOperation>{op(Create, DataType::Achievements, 1, achievement(1, T0))} << true
        << conflict("Create achievements " + id1 + "): an item with this id already exists");
    QTest::newRow("update achievement refused")
        << std::vector<SyncOperation>{op(Update, DataType::Achievements, 1, achievement(1, T0))} << true
        << invalid("Update achievements " + id1 + "): achievements are append-only: update refused");
    QTest::newRow("delete achievement refused") << std::vector<SyncOperation>{op(Delete, DataType::Achievements, 1)} << true
                                                << invalid("Delete achievements " + id1
                                                           + "): achievements are append-only: delete refused");

    // Progress.
    QTest::newRow("update progress") << std::vector<SyncOperation>{op(Update, DataType::Progress, 1, progress(1, T0, 4), 3)}
                                     << true
                                     << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress 1@4 | starred 1 | "
                                                    "preferences 1:dark@5");
    QTest::newRow("update progress, version conflict")
        << std::vector<SyncOperation>{op(Update, DataType::Progress, 1, progress(1, T0, 4), 2)} << true
        << conflict("Update progress " + id1 + "): version conflict: expected 2, the server has 3");
    QTest::newRow("delete progress") << std::vector<SyncOperation>{op(Delete, DataType::Progress, 1)} << true
                                     << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress | starred 1 | "
                                                    "preferences 1:dark@5");

    // Starred: no version, so an expected version is not checked.
    QTest::newRow("create starred") << std::vector<SyncOperation>{op(Create, DataType::Starred, 2, starred(2, T0))} << true
                                    << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | starred 1 2 | "
                                                   "preferences 1:dark@5");
    QTest::newRow("delete starred with a version") << std::vector<SyncOperation>{op(Delete, DataType::Starred, 1, {}, 9)} << true
                                                   << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | "
                                                                  "starred | preferences 1:dark@5");

    // Preferences: one object, never deleted.
    QTest::newRow("create preferences") << std::vector<SyncOperation>{op(Create, DataType::Preferences, 1,
                                                                         preferences(1, T0, 1, "light"))}
                                        << false
                                        << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | starred 1 | "
                                                       "preferences 1:light@1");
    QTest::newRow("create preferences that exist")
        << std::vector<SyncOperation>{op(Create, DataType::Preferences, 1, preferences(1, T0, 1, "light"))} << true
        << conflict("Create preferences " + id1 + "): preferences already exist");
    QTest::newRow("update preferences") << std::vector<SyncOperation>{op(Update, DataType::Preferences, 1,
                                                                         preferences(1, T0, 6, "light"), 5)}
                                        << true
                                        << std::string("decks 1=one@2 2=two@1 | achievements 1 | progress 1@3 | starred 1 | "
                                                       "preferences 1:light@6");
    QTest::newRow("update preferences, version conflict")
        << std::vector<SyncOperation>{op(Update, DataType::Preferences, 1, preferences(1, T0, 6, "light"), 4)} << true
        << conflict("Update preferences " + id1 + "): version conflict: expected 4, the server has 5");
    QTest::newRow("update another user's preferences")
        << std::vector<SyncOperation>{op(Update, DataType::Preferences, 2, preferences(2, T0, 6, "light"))} << true
        << conflict("Update preferences " + id2 + "): no preferences with this user_id");
    QTest::newRow("update absent preferences")
        << std::vector<SyncOperation>{op(Update, DataType::Preferences, 1, preferences(1, T0, 6, "light"))} << false
        << conflict("Update preferences " + id1 + "): no preferences with this user_id");
    QTest::newRow("delete preferences refused") << std::vector<SyncOperation>{op(Delete, DataType::Preferences, 1)} << true
                                                << invalid("Delete preferences " + id1
                                                           + "): preferences are never deleted, only updated");

    // Several operations see each other's results.
    QTest::newRow("create then update then delete")
        << std::vector<SyncOperation>{op(Create, DataType::Decks, 3, deck(3, T0, 1, "three")),
                                      op(Update, DataType::Decks, 3, deck(3, T0, 2, "THREE"), 1),
                                      op(Delete, DataType::Decks, 1, {}, 2)}
        << true
        << std::string("decks 2=two@1 3=THREE@2 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5");
    QTest::newRow("empty batch") << std::vector<SyncOperation>{} << true << unchanged;
}

void TestBatch::apply()
{
    QFETCH(std::vector<SyncOperation>, operations);
    QFETCH(bool, withPreferences);
    QFETCH(std::string, result);

    BatchSyncRequest request;
    request.transaction_id = "tx";
    request.operations = operations;
    const Dataset before = base(withPreferences);
    const std::string beforeText = codec::encodeDataset(before);
    const BatchOutcome outcome = applyBatch(before, request);
    const char* kind = outcome.refusal == BatchRefusal::Conflict ? "conflict: "
                       : outcome.refusal == BatchRefusal::Invalid  ? "invalid: "
                                                                   : "refused without a reason: ";
    QCOMPARE(outcome.ok ? summary(outcome.result) : kind + outcome.error, result);
    QCOMPARE(codec::encodeDataset(before), beforeText); // the base itself is never touched
}

void TestBatch::allOrNothing()
{
    BatchSyncRequest request;
    request.transaction_id = "tx";
    request.operations = {op(Create, DataType::Decks, 3, deck(3, T0, 1, "three")),
                          op(Update, DataType::Decks, 1, deck(1, T0, 3, "ONE"), 2),
                          op(Update, DataType::Decks, 2, deck(2, T0, 2, "TWO"), 4)};
    const BatchOutcome outcome = applyBatch(base(), request);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.failedIndex, std::size_t(2));
    QCOMPARE(outcome.error, "operation 2 (Update decks " + idText(2)
                                + "): version conflict: expected 4, the server has 1; the batch was not applied");
    // Nothing of the first two operations is visible anywhere.
    QVERIFY(outcome.result.decks.empty());
    QVERIFY(!outcome.result.preferences.has_value());

    // Without the failing operation the first two apply.
    request.operations.pop_back();
    const BatchOutcome applied = applyBatch(base(), request);
    QVERIFY(applied.ok);
    QCOMPARE(summary(applied.result),
             std::string("decks 1=ONE@3 2=two@1 3=three@1 | achievements 1 | progress 1@3 | starred 1 | preferences 1:dark@5"));
    QVERIFY(applied.error.empty());
}

void TestBatch::allOrNothingFromJson()
{
    const std::string json = request(
        R"({"operation_type":"Create","data_type":"decks","item_id":")" + idText(3) + R"(","data":)" + deckJson(3, "three", 1)
        + R"(},{"operation_type":"Delete","data_type":"starred","item_id":")" + idText(1) + R"("},)"
        + R"({"operation_type":"Delete","data_type":"achievements","item_id":")" + idText(1) + R"("})");
    const Decoded<BatchSyncRequest> decoded = decodeBatchRequest(json);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    const BatchOutcome outcome = applyBatch(base(), decoded.value());
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.failedIndex, std::size_t(2));
    QCOMPARE(outcome.error, "operation 2 (Delete achievements " + idText(1)
                                + "): achievements are append-only: delete refused; the batch was not applied");
    QVERIFY(outcome.result.decks.empty());
    QVERIFY(outcome.result.starred.empty());
}

void TestBatch::names()
{
    QCOMPARE(std::string(operationName(Create)), std::string("Create"));
    QCOMPARE(std::string(operationName(Update)), std::string("Update"));
    QCOMPARE(std::string(operationName(Delete)), std::string("Delete"));
    for (DataType type : AllDataTypes)
        QCOMPARE(dataTypeFromName(dataTypeName(type)), std::optional<DataType>(type));
    QVERIFY(!dataTypeFromName("Decks").has_value());
}

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
