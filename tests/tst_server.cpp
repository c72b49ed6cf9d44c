// SPDX-License-Identifier: MIT
// decksync-server end to end: the real binary on loopback, driven over HTTP and WebSocket.
#include "apiclient.h"
#include "serverdatabase.h"
#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMs = 10000;
constexpr qint64 kMaxBody = 64 * 1024;
const QString kUser = u"11111111-1111-4111-8111-111111111111"_s;
const QString kDeck = u"22222222-2222-4222-8222-222222222222"_s;
const QString kItem = u"33333333-3333-4333-8333-333333333333"_s;

using Headers = ApiClient::Headers;
using Reply = ApiReply;

QJsonObject deck(const QString& title, int version, const QString& updatedAt)
{
    return {{u"id"_s, kItem}, {u"user_id"_s, kUser}, {u"title"_s, title}, {u"description"_s, QJsonValue()},
            {u"content"_s, QString(title + u" content"_s)}, {u"created_at"_s, u"2024-01-01T08:00:00Z"_s},
            {u"updated_at"_s, updatedAt}, {u"version"_s, version}};
}

QJsonObject deckWithId(const QString& id, const QString& title)
{
    QJsonObject d = deck(title, 1, u"2024-01-01T10:00:00Z"_s);
    d[u"id"_s] = id;
    return d;
}

QJsonObject progress(int studied, int mastered, int timeSpent)
{
    return {{u"id"_s, kItem}, {u"user_id"_s, kUser}, {u"deck_id"_s, kDeck}, {u"cards_studied"_s, studied},
            {u"cards_mastered"_s, mastered}, {u"total_cards"_s, 20}, {u"last_studied"_s, u"2024-01-01T10:00:00Z"_s},
            {u"streak_days"_s, 3}, {u"total_time_spent"_s, timeSpent}, {u"version"_s, 1}};
}

QJsonObject achievement(const QString& type, const QString& earnedAt)
{
    return {{u"id"_s, kItem}, {u"user_id"_s, kUser}, {u"achievement_type"_s, type}, {u"earned_at"_s, earnedAt},
            {u"title"_s, QJsonValue()}, {u"deck_id"_s, kDeck}};
}

QJsonObject starred(const QString& at)
{
    return {{u"id"_s, kItem}, {u"user_id"_s, kUser}, {u"deck_id"_s, kDeck}, {u"starred_at"_s, at}};
}

QJsonObject preferences(const QString& theme, int version)
{
    return {{u"user_id"_s, kUser}, {u"theme"_s, theme}, {u"language"_s, u"en"_s}, {u"sound_enabled"_s, true},
            {u"daily_goal"_s, 20}, {u"updated_at"_s, u"2024-01-01T10:00:00Z"_s}, {u"version"_s, version}};
}

QByteArray syncBody(const QJsonValue& data, const QJsonValue& lastSync = QJsonValue())
{
    return QJsonDocument(QJsonObject{{u"data"_s, data}, {u"last_sync"_s, lastSync}}).toJson(QJsonDocument::Compact);
}

QByteArray batchBody(const QString& transactionId, const QJsonArray& operations)
{
    return QJsonDocument(QJsonObject{{u"operations"_s, operations},
                                     {u"transaction_id"_s, transactionId},
                                     {u"client_timestamp"_s, u"2024-01-01T12:00:00Z"_s}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject operation(const QString& type, const QJsonObject& d, const QString& itemId)
{
    return {{u"operation_type"_s, type}, {u"data_type"_s, u"decks"_s}, {u"item_id"_s, itemId}, {u"data"_s, d},
            {u"version"_s, QJsonValue()}};
}

/// gzip through the system's gzip, so that the test does not share the server's code.
QByteArray gzip(const QByteArray& data)
{
    QProcess p;
    p.start(u"gzip"_s, {u"-c"_s});
    if (!p.waitForStarted(kTimeoutMs))
        return {};
    p.write(data);
    p.closeWriteChannel();
    p.waitForFinished(kTimeoutMs);
    return p.readAllStandardOutput();
}

} // namespace

class TestServer : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void syncEndpoints_data();
    void syncEndpoints();
    void errors_data();
    void errors();
    void gzipRequest_data();
    void gzipRequest();
    void gzipResponse();
    void batch_data();
    void batch();
    void batchReplay();
    void isolation();
    void feed();
    void revisionIncreases();
    void supportDirectory();
    void healthAndMetrics();
    void tokensNeverLogged();
    void userAddedWhileServing();
    void survivesADatabaseRestart();

private:
    QByteArray addUser(const QString& email, const QString& role = u"user"_s);
    Reply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QByteArray& token = {}, const Headers& headers = {});
    std::unique_ptr<QWebSocket> openFeed(const QByteArray& token, const QByteArray& device, bool inQuery = false);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_db;
    QString m_base; // http://127.0.0.1:PORT
    QByteArray m_log;
    QByteArray m_alice, m_bob, m_support;
    std::unique_ptr<ApiClient> m_api;
};

QByteArray TestServer::addUser(const QString& email, const QString& role)
{
    return m_server->addUser(email, role);
}

void TestServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    m_db = serverdb::create(m_dir->filePath(u"server.sqlite"_s), &why);
    QVERIFY2(!m_db.isEmpty(), qPrintable(why));
    m_server = std::make_unique<ServerProcess>(m_db);
    m_alice = addUser(u"alice@example.com"_s);
    m_bob = addUser(u"bob@example.com"_s);
    m_support = addUser(u"support@example.com"_s, u"support"_s);
    QVERIFY(m_alice.size() >= 43 && m_bob.size() >= 43 && m_support.size() >= 43);
    QVERIFY(m_alice != m_bob);

    m_log.clear();
    m_base = m_server->start({u"--max-body"_s, QString::number(kMaxBody)});
    QVERIFY2(m_base.startsWith(u"http://127.0.0.1:"_s), qPrintable(m_base));
    m_api = std::make_unique<ApiClient>();
    m_api->setBase(m_base);
}

void TestServer::cleanup()
{
    m_api.reset();
    if (m_server) {
        m_log = m_server->stop();
        m_server.reset();
        if (QTest::currentTestFailed())
            qWarning("server output:\n%s", m_log.constData());
        for (const QByteArray& token : {m_alice, m_bob, m_support})
            QVERIFY2(token.isEmpty() || !m_log.contains(token), "a token appeared in the server's output");
    }
}

Reply TestServer::send(const QByteArray& method, const QString& path, const QByteArray& body, const QByteArray& token,
                       const Headers& headers)
{
    return m_api->send(method, path, body, token, headers);
}

std::unique_ptr<QWebSocket> TestServer::openFeed(const QByteArray& token, const QByteArray& device, bool inQuery)
{
    auto socket = std::make_unique<QWebSocket>();
    QString url = m_base;
    url.replace(u"http://"_s, u"ws://"_s);
    url += u"/feed"_s;
    if (inQuery)
        url += u"?token="_s + QString::fromLatin1(token);
    QNetworkRequest request{QUrl(url)};
    if (!inQuery)
        request.setRawHeader("Authorization", "Bearer " + token);
    if (!device.isEmpty())
        request.setRawHeader("X-Device-Id", device);
    QSignalSpy connected(socket.get(), &QWebSocket::connected);
    socket->open(request);
    if (!connected.wait(kTimeoutMs))
        return nullptr;
    return socket;
}

void TestServer::syncEndpoints_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonValue>("server");
    QTest::addColumn<QJsonValue>("local");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("conflicts");

    QTest::newRow("decks: the higher version wins")
        << u"decks"_s << QJsonValue(QJsonArray{deck(u"Server Title"_s, 2, u"2024-01-01T10:01:00Z"_s)})
        << QJsonValue(QJsonArray{deck(u"Local Title"_s, 1, u"2024-01-01T10:00:00Z"_s)}) << u"title"_s
        << u"Server Title"_s << 1;
    QTest::newRow("progress: time spent is summed")
        << u"progress"_s << QJsonValue(QJsonArray{progress(8, 7, 250)}) << QJsonValue(QJsonArray{progress(10, 5, 300)})
        << u"total_time_spent"_s << u"550"_s << 0;
    QTest::newRow("progress: the best mastery is kept")
        << u"progress"_s << QJsonValue(QJsonArray{progress(8, 7, 250)}) << QJsonValue(QJsonArray{progress(10, 5, 300)})
        << u"cards_mastered"_s << u"7"_s << 0;
    QTest::newRow("achievements: the earlier one is kept")
        << u"achievements"_s << QJsonValue(QJsonArray{achievement(u"server_type"_s, u"2024-01-01T10:05:00Z"_s)})
        << QJsonValue(QJsonArray{achievement(u"local_type"_s, u"2024-01-01T10:00:00Z"_s)}) << u"achievement_type"_s
        << u"local_type"_s << 0;
    QTest::newRow("starred: the later one wins")
        << u"starred"_s << QJsonValue(QJsonArray{starred(u"2024-01-01T10:00:00Z"_s)})
        << QJsonValue(QJsonArray{starred(u"2024-01-01T10:10:00Z"_s)}) << u"starred_at"_s << u"2024-01-01T10:10:00Z"_s
        << 0;
    QTest::newRow("preferences: one object, the higher version wins")
        << u"preferences"_s << QJsonValue(preferences(u"dark"_s, 1)) << QJsonValue(preferences(u"light"_s, 2))
        << u"theme"_s << u"light"_s << 1;
}

void TestServer::syncEndpoints()
{
    QFETCH(QString, type);
    QFETCH(QJsonValue, server);
    QFETCH(QJsonValue, local);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    QFETCH(int, conflicts);

    const QString path = u"/sync/"_s + type;
    const Reply seeded = send("POST", path, syncBody(server), m_alice);
    QCOMPARE(seeded.status, 200);
    const Reply r = send("POST", path, syncBody(local, u"2024-01-01T09:00:00Z"_s), m_alice);
    QCOMPARE(r.status, 200);
    const QJsonObject json = r.json();
    const QJsonValue data = json[u"data"_s];
    QCOMPARE(data.isArray(), type != u"preferences"_s);
    const QJsonObject item = data.isArray() ? data.toArray().at(0).toObject() : data.toObject();
    QCOMPARE(data.isArray() ? data.toArray().size() : 1, 1);
    QCOMPARE(item[field].toVariant().toString(), expected);
    QCOMPARE(json[u"conflicts"_s].toArray().size(), conflicts);
    if (conflicts > 0) {
        const QJsonObject c = json[u"conflicts"_s].toArray().at(0).toObject();
        QVERIFY(c.contains(u"local"_s) && c.contains(u"remote"_s));
        QCOMPARE(c[u"resolution"_s].toString(), type == u"decks"_s ? u"UseServer"_s : u"UseLocal"_s);
    }
    QVERIFY(QDateTime::fromString(json[u"last_sync"_s].toString(), Qt::ISODateWithMs).isValid());
    QCOMPARE(r.header("X-Revision"), "2");

    // What the server stored is what it answered.
    const Reply stored = send("GET", u"/data/"_s + type, {}, m_alice);
    QCOMPARE(stored.status, 200);
    QCOMPARE(stored.json()[u"revision"_s].toInt(), 2);
    QCOMPARE(stored.json()[u"data"_s], data);
}

void TestServer::errors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("token"); // "alice", "none" or "bad"
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("ifMatch");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("message"); // a prefix; empty = not checked
    QTest::addColumn<int>("line");        // 0 = not checked

    const QByteArray decks = syncBody(QJsonArray());
    QTest::newRow("no token") << QByteArray("POST") << u"/sync/decks"_s << u"none"_s << decks << QByteArray() << 401
                              << u"unauthorized"_s << QString() << 0;
    QTest::newRow("bad token") << QByteArray("POST") << u"/sync/decks"_s << u"bad"_s << decks << QByteArray() << 401
                               << u"unauthorized"_s << QString() << 0;
    QTest::newRow("the seed's curl example")
        << QByteArray("POST") << u"/sync/decks"_s << u"alice"_s
        << QByteArray(R"({"data": [{"id": "test", "title": "Local Title", "content": "Local content", )"
                      R"("updated_at": "2024-01-01T10:00:00Z", "version": 1}], "last_sync": "2024-01-01T09:00:00Z"})")
        << QByteArray() << 400 << u"invalid_request"_s << u"/data/0/id: \"test\" is not a UUID"_s << 1;
    QTest::newRow("bad JSON") << QByteArray("POST") << u"/sync/decks"_s << u"alice"_s
                              << QByteArray("{\n  \"data\": [\n    }\n") << QByteArray() << 400 << u"invalid_request"_s
                              << QString() << 3;
    QTest::newRow("bad last_sync") << QByteArray("POST") << u"/sync/starred"_s << u"alice"_s
                                   << syncBody(QJsonArray(), u"yesterday"_s) << QByteArray() << 400
                                   << u"invalid_request"_s << u"/last_sync: \"yesterday\""_s << 1;
    QTest::newRow("no data") << QByteArray("POST") << u"/sync/progress"_s << u"alice"_s
                             << QByteArray(R"({"last_sync": null})") << QByteArray() << 400 << u"invalid_request"_s
                             << u"missing field \"data\""_s << 1;
    QTest::newRow("wrong method") << QByteArray("GET") << u"/sync/decks"_s << u"alice"_s << QByteArray()
                                  << QByteArray() << 405 << u"method_not_allowed"_s << QString() << 0;
    QTest::newRow("DELETE /data") << QByteArray("DELETE") << u"/data"_s << u"none"_s << QByteArray() << QByteArray()
                                  << 405 << u"method_not_allowed"_s << QString() << 0;
    QTest::newRow("unknown path") << QByteArray("GET") << u"/nowhere"_s << u"alice"_s << QByteArray() << QByteArray()
                                  << 404 << u"not_found"_s << QString() << 0;
    QTest::newRow("unknown data type") << QByteArray("POST") << u"/sync/cards"_s << u"alice"_s << decks
                                       << QByteArray() << 404 << u"not_found"_s << QString() << 0;
    QTest::newRow("body over the limit")
        << QByteArray("POST") << u"/sync/decks"_s << u"alice"_s << QByteArray(kMaxBody + 1, ' ') << QByteArray() << 413
        << u"payload_too_large"_s << QString() << 0;
    QTest::newRow("PUT without If-Match") << QByteArray("PUT") << u"/data"_s << u"alice"_s << QByteArray("{}")
                                          << QByteArray() << 428 << u"precondition_required"_s << QString() << 0;
    QTest::newRow("PUT with a stale If-Match")
        << QByteArray("PUT") << u"/data"_s << u"alice"_s << QByteArray("{}") << QByteArray("\"5\"") << 409
        << u"conflict"_s << u"the server's revision is 0, not 5"_s << 0;
    QTest::newRow("PUT of a bad dataset")
        << QByteArray("PUT") << u"/data"_s << u"alice"_s << QByteArray(R"({"decks": [{"id": 7}]})")
        << QByteArray("0") << 400 << u"invalid_request"_s << u"/decks/0/id: "_s << 1;
}

void TestServer::errors()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, token);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, ifMatch);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(QString, message);
    QFETCH(int, line);

    const QByteArray bearer = token == u"alice"_s ? m_alice : token == u"bad"_s ? QByteArray("not-a-token") : QByteArray();
    Headers headers;
    if (!ifMatch.isEmpty())
        headers.append({"If-Match", ifMatch});
    const Reply r = send(method, path, body, bearer, headers);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), "application/json");
    const QJsonObject json = r.json();
    QCOMPARE(json[u"error"_s].toString(), error);
    QVERIFY(!json[u"message"_s].toString().isEmpty());
    if (!message.isEmpty())
        QVERIFY2(json[u"message"_s].toString().startsWith(message), qPrintable(json[u"message"_s].toString()));
    if (message.endsWith(u"is not a UUID"_s))
        QCOMPARE(json[u"message"_s].toString(), message);
    if (line > 0) {
        QCOMPARE(json[u"line"_s].toInt(), line);
        QVERIFY(json[u"column"_s].toInt() > 0);
    }
    if (status == 409)
        QCOMPARE(json[u"revision"_s].toInt(), 0);
}

void TestServer::gzipRequest_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    const QByteArray ok = syncBody(QJsonArray{deck(u"Zipped"_s, 1, u"2024-01-01T10:00:00Z"_s)});
    QTest::newRow("inflated and synced") << gzip(ok) << 200;
    // Small when compressed, over the limit once inflated.
    QByteArray bomb = syncBody(QJsonArray());
    bomb.insert(1, QByteArray(2 * kMaxBody, ' '));
    QTest::newRow("inflates over the limit") << gzip(bomb) << 413;
    QTest::newRow("not gzip") << QByteArray("definitely not gzip") << 400;
    QTest::newRow("truncated") << gzip(ok).left(20) << 400;
}

void TestServer::gzipRequest()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QVERIFY(body.size() < kMaxBody);
    const Reply r = send("POST", u"/sync/decks"_s, body, m_alice, {{"Content-Encoding", "gzip"}});
    QCOMPARE(r.status, status);
    if (status == 200)
        QCOMPARE(r.json()[u"data"_s].toArray().at(0).toObject()[u"title"_s].toString(), u"Zipped"_s);
}

void TestServer::gzipResponse()
{
    QJsonArray decks;
    for (int i = 0; i < 20; ++i)
        decks.append(deckWithId(u"44444444-4444-4444-8444-%1"_s.arg(i, 12, 10, QLatin1Char('0')), u"Deck %1"_s.arg(i)));
    QCOMPARE(send("POST", u"/sync/decks"_s, syncBody(decks), m_alice).status, 200);

    // Asked for explicitly, QNetworkAccessManager hands over the compressed bytes.
    const Reply raw = send("GET", u"/data"_s, {}, m_alice, {{"Accept-Encoding", "gzip"}});
    QCOMPARE(raw.status, 200);
    QCOMPARE(raw.header("Content-Encoding"), "gzip");
    QVERIFY(raw.body.startsWith("\x1f\x8b"));
    // Left to QNetworkAccessManager, it is inflated again: the same document, uncompressed.
    const Reply plain = send("GET", u"/data"_s, {}, m_alice);
    QCOMPARE(plain.status, 200);
    QVERIFY(raw.body.size() < plain.body.size());
    QCOMPARE(QJsonDocument::fromJson(plain.body).object()[u"decks"_s].toArray().size(), 20);
    // Small bodies are not worth it.
    const Reply small = send("GET", u"/health"_s, {}, {}, {{"Accept-Encoding", "gzip"}});
    QCOMPARE(small.status, 200);
    QVERIFY(small.header("Content-Encoding").isEmpty());
}

void TestServer::batch_data()
{
    QTest::addColumn<QJsonArray>("operations");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("decksAfter");

    const QString a = u"55555555-5555-4555-8555-000000000001"_s;
    const QString b = u"55555555-5555-4555-8555-000000000002"_s;
    QTest::newRow("two creates") << QJsonArray{operation(u"Create"_s, deckWithId(a, u"A"_s), a),
                                               operation(u"Create"_s, deckWithId(b, u"B"_s), b)}
                                 << 200 << 2;
    QTest::newRow("the second refers to nothing: none applied")
        << QJsonArray{operation(u"Create"_s, deckWithId(a, u"A"_s), a),
                      operation(u"Update"_s, deckWithId(b, u"B"_s), b)}
        << 409 << 0;
    QTest::newRow("the second creates the same id: none applied")
        << QJsonArray{operation(u"Create"_s, deckWithId(a, u"A"_s), a),
                      operation(u"Create"_s, deckWithId(a, u"A again"_s), a)}
        << 409 << 0;
    QTest::newRow("item_id does not match: none applied")
        << QJsonArray{operation(u"Create"_s, deckWithId(a, u"A"_s), a),
                      operation(u"Create"_s, deckWithId(a, u"B"_s), b)}
        << 400 << 0;
}

void TestServer::batch()
{
    QFETCH(QJsonArray, operations);
    QFETCH(int, status);
    QFETCH(int, decksAfter);

    const Reply r = send("POST", u"/sync/batch"_s, batchBody(u"tx-1"_s, operations), m_alice);
    QCOMPARE(r.status, status);
    const QJsonObject json = r.json();
    if (status == 200) {
        QCOMPARE(json[u"transaction_id"_s].toString(), u"tx-1"_s);
        QCOMPARE(json[u"applied"_s].toInt(), operations.size());
        QCOMPARE(json[u"revision"_s].toInt(), 1);
    } else {
        QVERIFY2(json[u"message"_s].toString().startsWith(u"operation 1 ("_s), qPrintable(json[u"message"_s].toString()));
    }
    const Reply stored = send("GET", u"/data/decks"_s, {}, m_alice);
    QCOMPARE(stored.json()[u"data"_s].toArray().size(), decksAfter);
    QCOMPARE(stored.json()[u"revision"_s].toInt(), status == 200 ? 1 : 0);
}

void TestServer::batchReplay()
{
    const QString a = u"55555555-5555-4555-8555-000000000001"_s;
    const QByteArray body = batchBody(u"tx-replay"_s, {operation(u"Create"_s, deckWithId(a, u"A"_s), a)});
    const Reply first = send("POST", u"/sync/batch"_s, body, m_alice);
    QCOMPARE(first.status, 200);
    const Reply again = send("POST", u"/sync/batch"_s, body, m_alice);
    QCOMPARE(again.status, 200); // not 409: the create is not applied a second time
    QCOMPARE(again.body, first.body);
    const Reply data = send("GET", u"/data"_s, {}, m_alice);
    QCOMPARE(data.header("X-Revision"), "1");
    QCOMPARE(QJsonDocument::fromJson(data.body).object()[u"decks"_s].toArray().size(), 1);
    // The same transaction id is another user's own.
    QCOMPARE(send("POST", u"/sync/batch"_s, body, m_bob).json()[u"revision"_s].toInt(), 1);

    // F10: the same id with other operations is not a retry. It is refused, never answered as
    // if it had been applied, and nothing of it is written.
    const QString b = u"55555555-5555-4555-8555-000000000002"_s;
    const Reply reused = send("POST", u"/sync/batch"_s,
                              batchBody(u"tx-replay"_s, {operation(u"Create"_s, deckWithId(b, u"B"_s), b)}), m_alice);
    QCOMPARE(reused.status, 422);
    QCOMPARE(reused.json()[u"error"_s].toString(), u"transaction_reused"_s);
    QVERIFY(reused.json()[u"message"_s].toString().contains(u"tx-replay"_s));
    const Reply after = send("GET", u"/data"_s, {}, m_alice);
    QCOMPARE(after.header("X-Revision"), "1");
    QCOMPARE(QJsonDocument::fromJson(after.body).object()[u"decks"_s].toArray().size(), 1);
}

void TestServer::isolation()
{
    QCOMPARE(send("POST", u"/sync/decks"_s, syncBody(QJsonArray{deck(u"Alice's"_s, 1, u"2024-01-01T10:00:00Z"_s)}),
                  m_alice)
                 .status,
             200);
    const Reply bobs = send("GET", u"/data/decks"_s, {}, m_bob);
    QCOMPARE(bobs.status, 200);
    QCOMPARE(bobs.json()[u"revision"_s].toInt(), 0);
    QVERIFY(bobs.json()[u"data"_s].toArray().isEmpty());
    // Bob cannot act as Alice; support can, for reads and writes.
    QCOMPARE(send("GET", u"/data"_s, {}, m_bob, {{"X-Act-As", "alice@example.com"}}).status, 403);
    QCOMPARE(send("GET", u"/data"_s, {}, m_support, {{"X-Act-As", "nobody@example.com"}}).status, 404);
    const Reply seen = send("GET", u"/data/decks"_s, {}, m_support, {{"X-Act-As", "alice@example.com"}});
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.json()[u"data"_s].toArray().at(0).toObject()[u"title"_s].toString(), u"Alice's"_s);
    const Reply put = send("PUT", u"/data"_s, "{}", m_support, {{"X-Act-As", "alice@example.com"}, {"If-Match", "\"1\""}});
    QCOMPARE(put.status, 200);
    QCOMPARE(put.json()[u"revision"_s].toInt(), 2);
    QCOMPARE(send("GET", u"/data/decks"_s, {}, m_alice).json()[u"data"_s].toArray().size(), 0);

    {
        QSqlDatabase db = serverdb::open(m_db, u"audit-check"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT a.email, t.email, audit.method, audit.path, revision_before, revision_after"
                       " FROM audit JOIN users a ON a.id = actor_user_id JOIN users t ON t.id = target_user_id"
                       " WHERE audit.method = 'PUT'"_s));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), u"support@example.com"_s);
        QCOMPARE(q.value(1).toString(), u"alice@example.com"_s);
        QCOMPARE(q.value(3).toString(), u"/data"_s);
        QCOMPARE(q.value(4).toInt(), 1);
        QCOMPARE(q.value(5).toInt(), 2);
        QVERIFY(!q.next());
        QSqlQuery tokens(db);
        QVERIFY(tokens.exec(u"SELECT token_sha256 FROM users"_s));
        while (tokens.next())
            QVERIFY(!tokens.value(0).toByteArray().contains(m_alice)); // only hashes
    }
    QSqlDatabase::removeDatabase(u"audit-check"_s);
}

void TestServer::feed()
{
    const auto deviceA = openFeed(m_alice, "device-a");
    const auto deviceB = openFeed(m_alice, "device-b");
    const auto anonymous = openFeed(m_alice, {}, true); // token in the query, no device id
    const auto bob = openFeed(m_bob, "device-a");
    QVERIFY(deviceA && deviceB && anonymous && bob);
    QSignalSpy spyA(deviceA.get(), &QWebSocket::textMessageReceived);
    QSignalSpy spyB(deviceB.get(), &QWebSocket::textMessageReceived);
    QSignalSpy spyAnonymous(anonymous.get(), &QWebSocket::textMessageReceived);
    QSignalSpy spyBob(bob.get(), &QWebSocket::textMessageReceived);

    const Reply r = send("POST", u"/sync/decks"_s, syncBody(QJsonArray{deck(u"T"_s, 1, u"2024-01-01T10:00:00Z"_s)}),
                         m_alice, {{"X-Device-Id", "device-a"}});
    QCOMPARE(r.status, 200);
    // The message may arrive while send() waits for the reply: count, do not wait for a new one.
    QTRY_COMPARE_WITH_TIMEOUT(spyB.size(), 1, kTimeoutMs);
    const QJsonObject event = QJsonDocument::fromJson(spyB.at(0).at(0).toString().toUtf8()).object();
    QCOMPARE(event[u"event"_s].toString(), u"synced"_s);
    QCOMPARE(event[u"data_type"_s].toString(), u"decks"_s);
    QCOMPARE(event[u"revision"_s].toInt(), 1);
    QCOMPARE(event[u"at"_s].toString(), r.json()[u"last_sync"_s].toString());
    QTRY_COMPARE_WITH_TIMEOUT(spyAnonymous.size(), 1, kTimeoutMs);
    QTest::qWait(300);
    QCOMPARE(spyA.size(), 0);   // not echoed to the writer
    QCOMPARE(spyBob.size(), 0); // nor to another user

    // A write without a device id reaches every feed of the user, "all" for a whole dataset.
    QCOMPARE(send("PUT", u"/data"_s, "{}", m_alice, {{"If-Match", "1"}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(spyA.size(), 1, kTimeoutMs);
    QCOMPARE(QJsonDocument::fromJson(spyA.at(0).at(0).toString().toUtf8()).object()[u"data_type"_s].toString(), u"all"_s);
    QTRY_COMPARE_WITH_TIMEOUT(spyB.size(), 2, kTimeoutMs);
    QCOMPARE(spyBob.size(), 0);

    // A bad token is refused: the socket is closed with 1008.
    QWebSocket intruder;
    QSignalSpy closed(&intruder, &QWebSocket::disconnected);
    QString url = m_base + u"/feed?token=nope"_s;
    intruder.open(QUrl(url.replace(u"http://"_s, u"ws://"_s)));
    QVERIFY(closed.wait(kTimeoutMs));
    QCOMPARE(intruder.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestServer::supportDirectory()
{
    // Alice syncs twice; the second sync resolves a conflict on her preferences.
    QCOMPARE(send("POST", u"/sync/preferences"_s, syncBody(preferences(u"dark"_s, 1)), m_alice).status, 200);
    const Reply second = send("POST", u"/sync/preferences"_s, syncBody(preferences(u"light"_s, 2), u"2024-01-01T09:00:00Z"_s),
                              m_alice);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json()[u"conflicts"_s].toArray().size(), 1);
    QCOMPARE(send("GET", u"/revisions?limit=1"_s, {}, m_alice).json()[u"revisions"_s][0][u"conflicts"_s].toInt(), 1);

    const QJsonObject all = send("GET", u"/users"_s, {}, m_support).json();
    const QJsonArray users = all[u"users"_s].toArray();
    QCOMPARE(users.size(), 3);
    QCOMPARE(users[0][u"email"_s].toString(), u"alice@example.com"_s);
    QCOMPARE(users[0][u"revision"_s].toInt(), 2);
    QCOMPARE(users[0][u"conflicts"_s].toInt(), 1);
    QCOMPARE(users[0][u"recent_conflicts"_s].toInt(), 1);
    QCOMPARE(users[0][u"health"_s].toString(), u"conflicts"_s);
    QCOMPARE(users[0][u"last_write"_s].toString(), second.json()[u"last_sync"_s].toString());
    QCOMPARE(users[1][u"email"_s].toString(), u"bob@example.com"_s);
    QCOMPARE(users[1][u"health"_s].toString(), u"no_data"_s);
    QVERIFY(users[1][u"last_write"_s].isNull());
    QCOMPARE(users[2][u"role"_s].toString(), u"support"_s);
    QVERIFY(all[u"next_after"_s].isNull());

    // Search is a part of the email, case aside, its % and _ taken literally; pages by email.
    const auto emails = [&](const QString& query) {
        QStringList out;
        for (const QJsonValue& u : send("GET", u"/users"_s + query, {}, m_support).json()[u"users"_s].toArray())
            out << u[u"email"_s].toString();
        return out;
    };
    QCOMPARE(emails(u"?q=ALI"_s), QStringList{u"alice@example.com"_s});
    QCOMPARE(emails(u"?q=%25"_s), QStringList());
    QCOMPARE(emails(u"?q=example.com&limit=2"_s), (QStringList{u"alice@example.com"_s, u"bob@example.com"_s}));
    QCOMPARE(send("GET", u"/users?limit=2"_s, {}, m_support).json()[u"next_after"_s].toString(), u"bob@example.com"_s);
    QCOMPARE(emails(u"?after=bob@example.com"_s), QStringList{u"support@example.com"_s});

    // Only support lists users.
    QCOMPARE(send("GET", u"/users"_s, {}, m_alice).status, 403);
    QCOMPARE(send("GET", u"/users?limit=0"_s, {}, m_support).status, 400);
    QCOMPARE(send("GET", u"/users?email=x"_s, {}, m_support).status, 400);
}

void TestServer::revisionIncreases()
{
    QList<int> revisions;
    const auto revisionOf = [](const Reply& r) { return r.header("X-Revision").toInt(); };
    revisions << revisionOf(send("POST", u"/sync/decks"_s, syncBody(QJsonArray()), m_alice));
    revisions << revisionOf(send("POST", u"/sync/progress"_s, syncBody(QJsonArray{progress(1, 1, 1)}), m_alice));
    revisions << revisionOf(send("POST", u"/sync/preferences"_s, syncBody(QJsonValue()), m_alice));
    const Reply data = send("GET", u"/data"_s, {}, m_alice);
    revisions << revisionOf(send("PUT", u"/data"_s, data.body, m_alice, {{"If-Match", data.header("ETag")}}));
    revisions << revisionOf(send("POST", u"/sync/batch"_s, batchBody(u"t"_s, {}), m_alice));
    QCOMPARE(revisions, (QList<int>{1, 2, 3, 4, 5}));

    const Reply last = send("GET", u"/data"_s, {}, m_alice);
    QCOMPARE(last.header("ETag"), "\"5\"");
    QCOMPARE(last.header("X-Revision"), "5");
    QCOMPARE(QJsonDocument::fromJson(last.body).object()[u"progress"_s].toArray().size(), 1);
    // A PUT of what was read keeps the data.
    QCOMPARE(QJsonDocument::fromJson(last.body).object()[u"progress"_s],
             QJsonDocument::fromJson(data.body).object()[u"progress"_s]);
}

// Noticed before: after PostgreSQL restarted, every request got a 500 until decksync-server was
// restarted too: its connections were gone and never opened again. A connection found lost
// outside a transaction is opened again, and the request goes on.
void TestServer::survivesADatabaseRestart()
{
    if (!serverdb::onPostgres())
        QSKIP("PostgreSQL only: an SQLite file does not go away");
    QCOMPARE(send("POST", u"/sync/progress"_s, syncBody(QJsonArray{progress(1, 1, 1)}), m_alice).status, 200);
    QCOMPARE(send("GET", u"/data"_s, {}, m_alice).status, 200);
    QString why;
    PgCluster* pg = serverdb::cluster(&why);
    QVERIFY2(pg, qPrintable(why));
    const QString restarted = pg->restart();
    QVERIFY2(restarted.isEmpty(), qPrintable(restarted));
    // Reads on every worker, a write, and the data from before the restart.
    for (int i = 0; i < 6; ++i) {
        const Reply r = send("GET", u"/data"_s, {}, i % 2 ? m_alice : m_bob);
        QVERIFY2(r.status == 200, r.body.constData());
    }
    const Reply write = send("POST", u"/sync/decks"_s, syncBody(QJsonArray()), m_alice);
    QVERIFY2(write.status == 200, write.body.constData());
    QCOMPARE(write.header("X-Revision"), "2");
    QCOMPARE(send("GET", u"/data"_s, {}, m_alice).json()[u"progress"_s].toArray().size(), 1);
}

void TestServer::healthAndMetrics()
{
    const Reply health = send("GET", u"/health"_s);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json()[u"status"_s].toString(), u"Healthy"_s);
    QVERIFY(health.json()[u"last_successful_sync"_s].isNull());

    QCOMPARE(send("POST", u"/sync/decks"_s, syncBody(QJsonArray()), m_alice).status, 200);
    QCOMPARE(send("POST", u"/sync/decks"_s, "{", m_alice).status, 400);
    const Reply metrics = send("GET", u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    const QJsonObject sync = metrics.json()[u"sync"_s].toObject();
    QCOMPARE(sync[u"total_syncs"_s].toInt(), 2);
    QCOMPARE(sync[u"successful_syncs"_s].toInt(), 1);
    QCOMPARE(sync[u"failed_syncs"_s].toInt(), 1);
    const QJsonObject requests = metrics.json()[u"requests"_s].toObject();
    QCOMPARE(requests[u"200"_s].toInt(), 2); // health and the sync; this request is not counted yet
    QCOMPARE(requests[u"400"_s].toInt(), 1);
    QVERIFY(!send("GET", u"/health"_s).json()[u"last_successful_sync"_s].isNull());
}

void TestServer::tokensNeverLogged()
{
    // Every way a token reaches the server: header, bad header, feed header and feed query.
    QCOMPARE(send("GET", u"/data"_s, {}, m_alice).status, 200);
    QCOMPARE(send("GET", u"/data"_s, {}, m_bob + "x").status, 401);
    QVERIFY(openFeed(m_support, "d"));
    QVERIFY(openFeed(m_bob, {}, true));
    m_log = m_server->stop();
    QVERIFY2(m_log.contains("GET /data 200 alice@example.com"), m_log.constData());
    QVERIFY(m_log.contains("GET /data 401"));
    QVERIFY(m_log.contains("WS /feed 101 bob@example.com"));
    for (const QByteArray& token : {m_alice, m_bob, m_support})
        QVERIFY(!m_log.contains(token));
}

QTEST_GUILESS_MAIN(TestServer)
// The server remembers the tokens it has seen; a user added while it serves is still known at
// once, by every thread.
void TestServer::userAddedWhileServing()
{
    for (int i = 0; i < 8; ++i)
        QCOMPARE(send("GET", u"/data/decks"_s, {}, m_alice).status, 200);
    const QByteArray carol = addUser(u"carol@example.com"_s);
    QVERIFY(carol.size() >= 43);
    for (int i = 0; i < 8; ++i) {
        const Reply r = send("GET", u"/data/decks"_s, {}, carol);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"revision"_s].toInt(), 0);
    }
    QCOMPARE(send("GET", u"/data/decks"_s, {}, carol + "x").status, 401);
}

#include "tst_server.moc"
