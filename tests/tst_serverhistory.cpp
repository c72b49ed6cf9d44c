// SPDX-License-Identifier: MIT
// decksync-server's history: items as rows, each write a revision that keeps what it replaced,
// read back as it was (?revision), listed, diffed, restored, read as a delta (?since), let go
// of by the retention options, and today's SQLite files upgraded in place. The real binary on
// loopback, a real SQLite file.
#include "apiclient.h"
#include "serverdatabase.h"
#include "serverprocess.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kUser = u"11111111-1111-4111-8111-111111111111"_s;

QString deckId(int n) { return u"aaaaaaaa-0000-4000-8000-%1"_s.arg(n, 12, 10, QChar(u'0')); }

QJsonObject deck(int n, const QString& title, int version = 1)
{
    return {{u"id"_s, deckId(n)}, {u"user_id"_s, kUser}, {u"title"_s, title}, {u"description"_s, QJsonValue()},
            {u"content"_s, QString(title + u" content"_s)}, {u"created_at"_s, u"2024-01-01T08:00:00Z"_s},
            {u"updated_at"_s, QString(u"2024-01-0%1T10:00:00Z"_s.arg(version))}, {u"version"_s, version}};
}

QByteArray document(const QJsonArray& decks)
{
    return QJsonDocument(QJsonObject{{u"last_sync"_s, QJsonValue()}, {u"decks"_s, decks}})
        .toJson(QJsonDocument::Compact);
}

QStringList ids(const QJsonValue& list)
{
    QStringList out;
    for (const QJsonValue& v : list.toArray())
        out << (v.isString() ? v.toString() : v[u"id"_s].toString());
    return out;
}

QStringList titles(const QByteArray& body)
{
    QStringList out;
    for (const QJsonValue& d : QJsonDocument::fromJson(body)[u"decks"_s].toArray())
        out << d[u"title"_s].toString();
    return out;
}

} // namespace

class TestServerHistory : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void readsEachRevision();
    void listsRevisions();
    void listsOneItemsRevisions();
    void diffsTwoRevisions();
    void changesSince();
    void restoresARevision();
    void restoresOneItem();
    void refusals_data();
    void refusals();
    void keepsRevisions();
    void revisionTimesRise();
    void keepsDays();
    void upgradesAnOldFile();
    void refusesANewerSchema();

private:
    /// Starts the server (again) on the test's file.
    void start(const QStringList& extra = {});
    /// PUT of `decks` as the whole dataset over the current revision; returns the new one.
    qint64 put(const QJsonArray& decks, const QByteArray& device = "tablet");
    ApiReply get(const QString& path) { return m_api.send("GET", path, {}, m_alice); }
    qint64 revision() { return get(u"/data"_s).header("X-Revision").toLongLong(); }
    /// Writes the four revisions the tests read: 1 decks 1, 2; 2 deck 2 changed; 3 deck 1
    /// deleted and 3 added; 4 preferences only (through sync).
    void writeFour();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_db;
    ApiClient m_api;
    QByteArray m_alice;
    QByteArray m_support;
    QList<QByteArray> m_documents; ///< GET /data after each write of writeFour(), by revision - 1
};

void TestServerHistory::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    m_db = serverdb::create(m_dir->filePath(u"server.sqlite"_s), &why);
    QVERIFY2(!m_db.isEmpty(), qPrintable(why));
    m_server = std::make_unique<ServerProcess>(m_db);
    m_alice = m_server->addUser(u"alice@example.com"_s);
    m_support = m_server->addUser(u"support@example.com"_s, u"support"_s);
    QVERIFY(!m_alice.isEmpty() && !m_support.isEmpty());
    m_documents.clear();
    start();
}

void TestServerHistory::start(const QStringList& extra)
{
    if (m_server)
        m_server->stop();
    const QString base = m_server->start(extra);
    QVERIFY2(base.startsWith(u"http://127.0.0.1:"_s), qPrintable(base));
    m_api.setBase(base);
}

void TestServerHistory::cleanup()
{
    if (m_server) {
        const QByteArray log = m_server->stop();
        if (QTest::currentTestFailed())
            qWarning("server output:\n%s", log.constData());
        m_server.reset();
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
}

qint64 TestServerHistory::put(const QJsonArray& decks, const QByteArray& device)
{
    const qint64 current = revision();
    const ApiReply r = m_api.send("PUT", u"/data"_s, document(decks), m_alice,
                                  {{"If-Match", '"' + QByteArray::number(current) + '"'}, {"X-Device-Id", device}});
    if (r.status != 200)
        qWarning("PUT /data: %d %s", r.status, r.body.constData());
    return r.status == 200 ? r.header("X-Revision").toLongLong() : -1;
}

void TestServerHistory::writeFour()
{
    QCOMPARE(put({deck(1, u"One"_s), deck(2, u"Two"_s)}), 1);
    m_documents << get(u"/data"_s).body;
    QCOMPARE(put({deck(1, u"One"_s), deck(2, u"Two, edited"_s, 2)}), 2);
    m_documents << get(u"/data"_s).body;
    QCOMPARE(put({deck(2, u"Two, edited"_s, 2), deck(3, u"Three"_s)}, "phone"), 3);
    m_documents << get(u"/data"_s).body;
    const QJsonObject prefs{{u"user_id"_s, kUser}, {u"theme"_s, u"dark"_s}, {u"language"_s, u"en"_s},
                            {u"sound_enabled"_s, true}, {u"daily_goal"_s, 20},
                            {u"updated_at"_s, u"2024-01-01T10:00:00Z"_s}, {u"version"_s, 1}};
    const ApiReply sync = m_api.send(
        "POST", u"/sync/preferences"_s,
        QJsonDocument(QJsonObject{{u"data"_s, prefs}, {u"last_sync"_s, QJsonValue()}}).toJson(QJsonDocument::Compact),
        m_alice);
    QCOMPARE(sync.status, 200);
    QCOMPARE(revision(), 4);
    m_documents << get(u"/data"_s).body;
}

void TestServerHistory::readsEachRevision()
{
    writeFour();
    for (int r = 1; r <= 4; ++r) {
        const ApiReply past = get(u"/data?revision=%1"_s.arg(r));
        QCOMPARE(past.status, 200);
        QCOMPARE(past.header("X-Revision").toLongLong(), r);
        QCOMPARE(past.body, m_documents.at(r - 1)); // byte for byte what GET /data said then
    }
    QCOMPARE(titles(m_documents.at(0)), (QStringList{u"One"_s, u"Two"_s}));
    QCOMPARE(titles(m_documents.at(2)), (QStringList{u"Two, edited"_s, u"Three"_s}));
    // Revision 0 is the empty dataset from before the first write.
    const ApiReply zero = get(u"/data?revision=0"_s);
    QCOMPARE(zero.status, 200);
    QVERIFY(zero.json()[u"decks"_s].toArray().isEmpty());
    // One type at a time still reads the newest.
    QCOMPARE(ids(get(u"/data/decks"_s).json()[u"data"_s]), (QStringList{deckId(2), deckId(3)}));
}

void TestServerHistory::listsRevisions()
{
    writeFour();
    const QJsonObject list = get(u"/revisions"_s).json();
    QCOMPARE(list[u"revision"_s].toInteger(), 4);
    const QJsonArray revisions = list[u"revisions"_s].toArray();
    QCOMPARE(revisions.size(), 4);
    const QJsonObject newest = revisions.at(0).toObject();
    QCOMPARE(newest[u"revision"_s].toInteger(), 4);
    QCOMPARE(newest[u"kind"_s].toString(), u"sync"_s);
    QCOMPARE(newest[u"data_type"_s].toString(), u"preferences"_s);
    QCOMPARE(newest[u"by"_s].toString(), u"alice@example.com"_s);
    QVERIFY(newest[u"device"_s].isNull());
    const QJsonObject third = revisions.at(1).toObject();
    QCOMPARE(third[u"kind"_s].toString(), u"put"_s);
    QCOMPARE(third[u"device"_s].toString(), u"phone"_s);
    QCOMPARE(third[u"added"_s].toInt(), 1);
    QCOMPARE(third[u"removed"_s].toInt(), 1);
    QCOMPARE(third[u"changed"_s].toInt(), 0);
    QCOMPARE(revisions.at(2)[u"changed"_s].toInt(), 1);
    QCOMPARE(revisions.at(3)[u"added"_s].toInt(), 2);
    QVERIFY(!revisions.at(0)[u"at"_s].toString().isEmpty());
    QVERIFY(list[u"next_before"_s].isNull());

    // Pages: two at a time, then the rest.
    const QJsonObject page = get(u"/revisions?limit=2"_s).json();
    QCOMPARE(page[u"revisions"_s].toArray().size(), 2);
    QCOMPARE(page[u"next_before"_s].toInteger(), 3);
    const QJsonArray rest = get(u"/revisions?before=3&limit=2"_s).json()[u"revisions"_s].toArray();
    QCOMPARE(rest.size(), 2);
    QCOMPARE(rest.at(0)[u"revision"_s].toInteger(), 2);
    QCOMPARE(rest.at(1)[u"revision"_s].toInteger(), 1);

    // Support reads another user's list, and that read is audited.
    const ApiReply asSupport = m_api.send("GET", u"/revisions"_s, {}, m_support, {{"X-Act-As", "alice@example.com"}});
    QCOMPARE(asSupport.status, 200);
    QCOMPARE(asSupport.json()[u"revisions"_s].toArray().size(), 4);
}

void TestServerHistory::listsOneItemsRevisions()
{
    writeFour();
    // Deck 2: written at 1, edited at 2; untouched by 3 and 4.
    QJsonObject list = get(u"/data/decks/%1/revisions"_s.arg(deckId(2))).json();
    QCOMPARE(list[u"revision"_s].toInteger(), 4);
    QCOMPARE(list[u"id"_s].toString(), deckId(2));
    QJsonArray revisions = list[u"revisions"_s].toArray();
    QCOMPARE(revisions.size(), 2);
    const QJsonObject edit = revisions.at(0).toObject();
    QCOMPARE(edit[u"revision"_s].toInteger(), 2);
    QCOMPARE(edit[u"kind"_s].toString(), u"put"_s);
    QCOMPARE(edit[u"by"_s].toString(), u"alice@example.com"_s);
    QCOMPARE(edit[u"device"_s].toString(), u"tablet"_s);
    QCOMPARE(edit[u"before"_s][u"title"_s].toString(), u"Two"_s);
    QCOMPARE(edit[u"after"_s][u"title"_s].toString(), u"Two, edited"_s);
    const QJsonObject created = revisions.at(1).toObject();
    QCOMPARE(created[u"revision"_s].toInteger(), 1);
    QVERIFY(created[u"before"_s].isNull());
    QCOMPARE(created[u"after"_s][u"title"_s].toString(), u"Two"_s);
    QVERIFY(list[u"next_before"_s].isNull());

    // Deck 1: deleted at 3, so its newest write leaves nothing.
    revisions = get(u"/data/decks/%1/revisions"_s.arg(deckId(1))).json()[u"revisions"_s].toArray();
    QCOMPARE(revisions.size(), 2);
    QCOMPARE(revisions.at(0)[u"revision"_s].toInteger(), 3);
    QCOMPARE(revisions.at(0)[u"before"_s][u"title"_s].toString(), u"One"_s);
    QVERIFY(revisions.at(0)[u"after"_s].isNull());

    // Paged as /revisions is: the newest first, then on from next_before.
    list = get(u"/data/decks/%1/revisions?limit=1"_s.arg(deckId(2))).json();
    QCOMPARE(list[u"revisions"_s].toArray().size(), 1);
    QCOMPARE(list[u"next_before"_s].toInteger(), 2);
    revisions = get(u"/data/decks/%1/revisions?limit=1&before=2"_s.arg(deckId(2))).json()[u"revisions"_s].toArray();
    QCOMPARE(revisions.size(), 1);
    QCOMPARE(revisions.at(0)[u"after"_s][u"title"_s].toString(), u"Two"_s); // what revision 1 left

    // The preferences item is the user's.
    revisions = get(u"/data/preferences/%1/revisions"_s.arg(kUser)).json()[u"revisions"_s].toArray();
    QCOMPARE(revisions.size(), 1);
    QCOMPARE(revisions.at(0)[u"kind"_s].toString(), u"sync"_s);

    // An item that never was has no history; a bad id is refused; support reads it acting as the user.
    QCOMPARE(get(u"/data/decks/%1/revisions"_s.arg(deckId(9))).json()[u"revisions"_s].toArray().size(), 0);
    QCOMPARE(get(u"/data/decks/nope/revisions"_s).status, 400);
    const ApiReply asSupport = m_api.send("GET", u"/data/decks/%1/revisions"_s.arg(deckId(2)), {}, m_support,
                                          {{"X-Act-As", "alice@example.com"}});
    QCOMPARE(asSupport.status, 200);
    QCOMPARE(asSupport.json()[u"revisions"_s].toArray().size(), 2);
}

void TestServerHistory::diffsTwoRevisions()
{
    writeFour();
    const ApiReply r = get(u"/revisions/1..3/diff"_s);
    QCOMPARE(r.status, 200);
    const QJsonObject decks = r.json()[u"decks"_s].toObject();
    QCOMPARE(ids(decks[u"added"_s]), QStringList{deckId(3)});
    QCOMPARE(ids(decks[u"removed"_s]), QStringList{deckId(1)});
    QCOMPARE(ids(decks[u"changed"_s]), QStringList{deckId(2)});
    QVERIFY(r.json()[u"preferences"_s][u"added"_s].toArray().isEmpty());
    // Backwards, the other way round; a revision with itself, nothing.
    const QJsonObject back = get(u"/revisions/3..1/diff"_s).json()[u"decks"_s].toObject();
    QCOMPARE(ids(back[u"added"_s]), QStringList{deckId(1)});
    QCOMPARE(ids(back[u"removed"_s]), QStringList{deckId(3)});
    const QJsonObject none = get(u"/revisions/2..2/diff"_s).json()[u"decks"_s].toObject();
    QVERIFY(none[u"added"_s].toArray().isEmpty() && none[u"changed"_s].toArray().isEmpty());
    QCOMPARE(ids(get(u"/revisions/3..4/diff"_s).json()[u"preferences"_s][u"added"_s]), QStringList{kUser});
}

void TestServerHistory::changesSince()
{
    writeFour();
    const QJsonArray revisions = get(u"/revisions"_s).json()[u"revisions"_s].toArray();
    const QString afterFirst = revisions.at(3)[u"at"_s].toString(); // revision 1's time
    QUrlQuery query;
    query.addQueryItem(u"since"_s, afterFirst);
    const ApiReply r = get(u"/data?"_s + query.toString(QUrl::FullyEncoded));
    QCOMPARE(r.status, 200);
    const QJsonObject delta = r.json();
    QCOMPARE(delta[u"revision"_s].toInteger(), 4);
    QCOMPARE(delta[u"since_revision"_s].toInteger(), 1);
    const QJsonObject changes = delta[u"changes"_s].toObject();
    QCOMPARE(ids(changes[u"decks"_s]), (QStringList{deckId(2), deckId(3)}));
    QCOMPARE(changes[u"decks"_s][0][u"title"_s].toString(), u"Two, edited"_s);
    QCOMPARE(changes[u"preferences"_s][u"theme"_s].toString(), u"dark"_s);
    QVERIFY(changes[u"achievements"_s].toArray().isEmpty());
    QCOMPARE(ids(delta[u"deleted"_s][u"decks"_s]), QStringList{deckId(1)}); // the tombstone

    // ?at= reads the data as it was then: what a device that synced at that time had.
    QUrlQuery at;
    at.addQueryItem(u"at"_s, afterFirst);
    const ApiReply then = get(u"/data?"_s + at.toString(QUrl::FullyEncoded));
    QCOMPARE(then.header("X-Revision"), "1");
    QCOMPARE(then.body, m_documents.at(0));
    QCOMPARE(get(u"/data?at=2000-01-01T00:00:00Z"_s).header("X-Revision"), "0");
    QCOMPARE(get(u"/data?at=2100-01-01T00:00:00Z"_s).body, m_documents.at(3));
    QCOMPARE(get(u"/data?at=soon"_s).status, 400);

    // Since a time before any write: everything, no tombstone of what was made and deleted since
    // is hidden; since now: nothing.
    const QJsonObject all = get(u"/data?since=2000-01-01T00:00:00Z"_s).json();
    QCOMPARE(all[u"since_revision"_s].toInteger(), 0);
    QCOMPARE(ids(all[u"changes"_s][u"decks"_s]), (QStringList{deckId(2), deckId(3)}));
    QCOMPARE(ids(all[u"deleted"_s][u"decks"_s]), QStringList{deckId(1)});
    const QJsonObject nothing = get(u"/data?since=2100-01-01T00:00:00Z"_s).json();
    QVERIFY(nothing[u"changes"_s][u"decks"_s].toArray().isEmpty());
    QVERIFY(!nothing[u"changes"_s].toObject().contains(u"preferences"_s));
    QVERIFY(nothing[u"deleted"_s][u"decks"_s].toArray().isEmpty());
}

void TestServerHistory::restoresARevision()
{
    writeFour();
    const ApiReply r = m_api.send("POST", u"/data/restore"_s, R"({"revision": 1})", m_alice, {{"If-Match", "\"4\""}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()[u"revision"_s].toInteger(), 5);
    QCOMPARE(r.json()[u"restored"_s].toInteger(), 1);
    QCOMPARE(get(u"/data"_s).body, m_documents.at(0)); // as it was, as a new revision
    QCOMPARE(get(u"/data?revision=4"_s).body, m_documents.at(3)); // and what it replaced is kept
    const QJsonObject listed = get(u"/revisions?limit=1"_s).json()[u"revisions"_s][0].toObject();
    QCOMPARE(listed[u"kind"_s].toString(), u"restore"_s);
    QCOMPARE(listed[u"restored"_s].toInteger(), 1);

    // Support restoring for the user: audited with the revisions before and after.
    const ApiReply bySupport = m_api.send("POST", u"/data/restore"_s, R"({"revision": 3})", m_support,
                                          {{"If-Match", "\"5\""}, {"X-Act-As", "alice@example.com"}});
    QCOMPARE(bySupport.status, 200);
    QCOMPARE(titles(get(u"/data"_s).body), (QStringList{u"Two, edited"_s, u"Three"_s}));
    m_server->stop();
    QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
    QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
    QSqlQuery q(db);
    QVERIFY(q.exec(u"SELECT a.path, a.revision_before, a.revision_after FROM audit a JOIN users u ON"
                   " u.id = a.actor_user_id WHERE u.email = 'support@example.com' AND a.method = 'POST'"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"/data/restore"_s);
    QCOMPARE(q.value(1).toLongLong(), 5);
    QCOMPARE(q.value(2).toLongLong(), 6);
    db.close();
}

void TestServerHistory::restoresOneItem()
{
    writeFour();
    // Deck 1 was deleted in revision 3: it comes back from revision 2, the rest stays as it is.
    const QByteArray body = QJsonDocument(QJsonObject{{u"revision"_s, 2},
                                                      {u"items"_s, QJsonArray{QJsonObject{{u"type"_s, u"decks"_s},
                                                                                          {u"id"_s, deckId(1)}}}}})
                                .toJson(QJsonDocument::Compact);
    QCOMPARE(m_api.send("POST", u"/data/restore"_s, body, m_alice, {{"If-Match", "\"4\""}}).status, 200);
    const QByteArray now = get(u"/data"_s).body;
    QCOMPARE(titles(now), (QStringList{u"Two, edited"_s, u"Three"_s, u"One"_s}));
    QCOMPARE(QJsonDocument::fromJson(now)[u"preferences"_s][u"theme"_s].toString(), u"dark"_s);
    const QJsonObject listed = get(u"/revisions?limit=1"_s).json()[u"revisions"_s][0].toObject();
    QCOMPARE(listed[u"added"_s].toInt(), 1);
    QCOMPARE(listed[u"changed"_s].toInt(), 0);

    // Deck 2 goes back to its first text; deck 3, which revision 1 did not have, goes.
    const QByteArray two = QJsonDocument(
        QJsonObject{{u"revision"_s, 1},
                    {u"items"_s, QJsonArray{QJsonObject{{u"type"_s, u"decks"_s}, {u"id"_s, deckId(2)}},
                                            QJsonObject{{u"type"_s, u"decks"_s}, {u"id"_s, deckId(3)}}}}})
                               .toJson(QJsonDocument::Compact);
    QCOMPARE(m_api.send("POST", u"/data/restore"_s, two, m_alice, {{"If-Match", "\"5\""}}).status, 200);
    QCOMPARE(titles(get(u"/data"_s).body), (QStringList{u"Two"_s, u"One"_s}));
}

void TestServerHistory::refusals_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("ifMatch");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::newRow("a revision after the newest") << QByteArray("GET") << u"/data?revision=5"_s << QByteArray()
                                                 << QByteArray() << 404 << u"the newest is 4"_s;
    QTest::newRow("not a revision") << QByteArray("GET") << u"/data?revision=two"_s << QByteArray() << QByteArray()
                                    << 400 << u"not a revision number"_s;
    QTest::newRow("both parameters") << QByteArray("GET") << u"/data?revision=1&since=2024-01-01T00:00:00Z"_s
                                     << QByteArray() << QByteArray() << 400 << u"not both"_s;
    QTest::newRow("at and revision") << QByteArray("GET") << u"/data?revision=1&at=2024-01-01T00:00:00Z"_s
                                     << QByteArray() << QByteArray() << 400 << u"not both"_s;
    QTest::newRow("an unknown parameter") << QByteArray("GET") << u"/data?rev=1"_s << QByteArray() << QByteArray()
                                          << 400 << u"not ?rev"_s;
    QTest::newRow("since, not a time") << QByteArray("GET") << u"/data?since=yesterday"_s << QByteArray()
                                       << QByteArray() << 400 << u"not an RFC 3339 time"_s;
    QTest::newRow("a diff without a range") << QByteArray("GET") << u"/revisions/3/diff"_s << QByteArray()
                                            << QByteArray() << 400 << u"/revisions/3..5/diff"_s;
    QTest::newRow("a diff past the newest") << QByteArray("GET") << u"/revisions/1..9/diff"_s << QByteArray()
                                            << QByteArray() << 404 << u"no revision 9"_s;
    QTest::newRow("a limit too large") << QByteArray("GET") << u"/revisions?limit=5000"_s << QByteArray()
                                       << QByteArray() << 400 << u"from 1 to 1000"_s;
    QTest::newRow("restore without If-Match") << QByteArray("POST") << u"/data/restore"_s
                                              << QByteArray(R"({"revision": 1})") << QByteArray() << 428
                                              << u"If-Match"_s;
    QTest::newRow("restore over a stale revision") << QByteArray("POST") << u"/data/restore"_s
                                                   << QByteArray(R"({"revision": 1})") << QByteArray("\"3\"") << 409
                                                   << u"revision is 4"_s;
    QTest::newRow("restore without a revision") << QByteArray("POST") << u"/data/restore"_s
                                                << QByteArray(R"({"items": []})") << QByteArray("\"4\"") << 400
                                                << u"\"revision\""_s;
    QTest::newRow("restore of an unknown type") << QByteArray("POST") << u"/data/restore"_s
                                                << QByteArray(R"({"revision": 1, "items": [{"type": "cards", "id": "x"}]})")
                                                << QByteArray("\"4\"") << 400 << u"/items/0/type"_s;
    QTest::newRow("restore of an item never there") << QByteArray("POST") << u"/data/restore"_s
                                                    << QByteArray(R"({"revision": 1, "items": [{"type": "decks", "id": "x"}]})")
                                                    << QByteArray("\"4\"") << 404 << u"neither in revision 1"_s;
}

void TestServerHistory::refusals()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, ifMatch);
    QFETCH(int, status);
    QFETCH(QString, message);

    writeFour();
    ApiClient::Headers headers;
    if (!ifMatch.isEmpty())
        headers.append({"If-Match", ifMatch});
    const ApiReply r = m_api.send(method, path, body, m_alice, headers);
    QCOMPARE(r.status, status);
    const QString text = r.json()[u"message"_s].toString() + u" "_s + r.json()[u"pointer"_s].toString();
    QVERIFY2(text.contains(message), qPrintable(text));
    QCOMPARE(revision(), 4); // nothing was written
}

void TestServerHistory::keepsRevisions()
{
    start({u"--keep-revisions"_s, u"2"_s});
    writeFour();
    const QJsonObject list = get(u"/revisions"_s).json();
    QCOMPARE(list[u"oldest"_s].toInteger(), 2);
    QCOMPARE(list[u"revisions"_s].toArray().size(), 3); // 4, 3 and 2: 2 is the oldest state kept
    QCOMPARE(get(u"/data?revision=2"_s).body, m_documents.at(1));
    // Pages reach the oldest revision kept.
    const QJsonObject page = get(u"/revisions?limit=2"_s).json();
    QCOMPARE(page[u"next_before"_s].toInteger(), 3);
    const QJsonArray last = get(u"/revisions?before=3"_s).json()[u"revisions"_s].toArray();
    QCOMPARE(last.size(), 1);
    QCOMPARE(last.at(0)[u"revision"_s].toInteger(), 2);
    const ApiReply gone = get(u"/data?revision=1"_s);
    QCOMPARE(gone.status, 410);
    QCOMPARE(gone.json()[u"oldest"_s].toInteger(), 2);
    QCOMPARE(get(u"/data?since=2000-01-01T00:00:00Z"_s).status, 410);
    QCOMPARE(get(u"/revisions/1..4/diff"_s).status, 410);
    QCOMPARE(m_api.send("POST", u"/data/restore"_s, R"({"revision": 1})", m_alice, {{"If-Match", "\"4\""}}).status,
             410);
    // The tombstone of deck 1 (deleted in 3) is still known: revision 2 can be read.
    QCOMPARE(ids(get(u"/revisions/2..4/diff"_s).json()[u"decks"_s][u"removed"_s]), QStringList{deckId(1)});
}

void TestServerHistory::revisionTimesRise()
{
    // Writes in quick succession: each revision's time is later than the one before, so that
    // "the revision current at a time" (?at=, ?since=) names one revision.
    for (int i = 1; i <= 30; ++i)
        QCOMPARE(put({deck(i, u"Deck"_s)}), i);
    const QJsonArray list = get(u"/revisions"_s).json()[u"revisions"_s].toArray();
    QCOMPARE(list.size(), 30);
    for (qsizetype i = 1; i < list.size(); ++i) {
        const QDateTime newer = QDateTime::fromString(list.at(i - 1)[u"at"_s].toString(), Qt::ISODateWithMs);
        const QDateTime older = QDateTime::fromString(list.at(i)[u"at"_s].toString(), Qt::ISODateWithMs);
        QVERIFY2(older < newer, qPrintable(list.at(i)[u"at"_s].toString()));
    }
    // Each at= a revision's time reads that revision.
    QUrlQuery at;
    at.addQueryItem(u"at"_s, list.at(10)[u"at"_s].toString());
    QCOMPARE(get(u"/data?"_s + at.toString(QUrl::FullyEncoded)).header("X-Revision").toLongLong(),
             list.at(10)[u"revision"_s].toInteger());
    // A device id is at most 200 bytes: it travels with each write's feed event.
    QCOMPARE(m_api.send("GET", u"/data"_s, {}, m_alice, {{"X-Device-Id", QByteArray(201, 'd')}}).status, 400);
}

void TestServerHistory::keepsDays()
{
    writeFour();
    m_server->stop();
    {
        // Revisions 1 to 3 were written ten days ago.
        QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"UPDATE revisions SET at_ms = at_ms - 10 * 86400000 WHERE revision <= 3"_s));
        db.close();
    }
    start({u"--keep-history"_s, u"7"_s});
    QCOMPARE(put({deck(3, u"Three"_s)}), 5);
    const QJsonObject list = get(u"/revisions"_s).json();
    QCOMPARE(list[u"oldest"_s].toInteger(), 3); // the state at 3 was current seven days ago
    QCOMPARE(get(u"/data?revision=3"_s).body, m_documents.at(2));
    QCOMPARE(get(u"/data?revision=2"_s).status, 410);
    m_server->stop();
    QSqlDatabase db = QSqlDatabase::database(u"probe"_s);
    QVERIFY(db.open());
    QSqlQuery q(db);
    QVERIFY(q.exec(u"SELECT count(*) FROM item_history WHERE revision <= 3"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QVERIFY(q.exec(u"SELECT count(*) FROM items WHERE deleted = 1"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 2); // deck 2 and the preferences, deleted in 5; deck 1's (3) went
    db.close();

    // --keep-history 0 keeps everything.
    start({u"--keep-history"_s, u"0"_s});
    QCOMPARE(put({deck(4, u"Four"_s)}), 6);
    QCOMPARE(get(u"/revisions"_s).json()[u"oldest"_s].toInteger(), 3);
}

void TestServerHistory::upgradesAnOldFile()
{
    // A file as the server wrote it before items were rows: one document per user.
    if (serverdb::onPostgres())
        QSKIP("older servers wrote only SQLite files");
    m_server->stop();
    QFile::remove(m_db);
    const QByteArray token = "an-old-token-of-alice-that-is-long-enough-1234";
    const QByteArray stored = document({deck(1, u"One"_s), deck(2, u"Two"_s)});
    {
        QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE"
                       " COLLATE NOCASE, role TEXT NOT NULL CHECK (role IN ('user', 'support')), token_sha256 BLOB"
                       " NOT NULL UNIQUE, created_at TEXT NOT NULL)"_s));
        QVERIFY(q.exec(u"CREATE TABLE datasets (user_id INTEGER PRIMARY KEY REFERENCES users(id), revision INTEGER"
                       " NOT NULL, document BLOB NOT NULL)"_s));
        QVERIFY(q.exec(u"CREATE TABLE batches (user_id INTEGER NOT NULL REFERENCES users(id), transaction_id TEXT"
                       " NOT NULL, response BLOB NOT NULL, PRIMARY KEY (user_id, transaction_id))"_s));
        QVERIFY(q.prepare(u"INSERT INTO users (email, role, token_sha256, created_at) VALUES (?, 'user', ?, ?)"_s));
        q.addBindValue(u"alice@example.com"_s);
        q.addBindValue(QCryptographicHash::hash(token, QCryptographicHash::Sha256));
        q.addBindValue(u"2024-01-01T00:00:00.000Z"_s);
        QVERIFY(q.exec());
        QVERIFY(q.prepare(u"INSERT INTO datasets (user_id, revision, document) VALUES (1, 7, ?)"_s));
        q.addBindValue(stored);
        QVERIFY(q.exec());
        db.close();
    }
    m_alice = token;
    start();
    const ApiReply now = get(u"/data"_s);
    QCOMPARE(now.status, 200);
    QCOMPARE(now.header("X-Revision").toLongLong(), 7);
    QCOMPARE(QJsonDocument::fromJson(now.body), QJsonDocument::fromJson(stored));
    const QJsonObject list = get(u"/revisions"_s).json();
    QCOMPARE(list[u"oldest"_s].toInteger(), 7);
    QCOMPARE(list[u"revisions"_s][0][u"kind"_s].toString(), u"upgrade"_s);
    QCOMPARE(get(u"/data?revision=6"_s).status, 410);
    QCOMPARE(put({deck(2, u"Two"_s)}), 8);
    QCOMPARE(get(u"/data?revision=7"_s).body, now.body);
    QCOMPARE(ids(get(u"/revisions/7..8/diff"_s).json()[u"decks"_s][u"removed"_s]), QStringList{deckId(1)});
    // And it opens again as it is now.
    start();
    QCOMPARE(revision(), 8);
    m_server->stop();
    QSqlDatabase db = QSqlDatabase::database(u"probe"_s);
    QVERIFY(db.open());
    QSqlQuery q(db);
    QVERIFY(q.exec(u"SELECT version FROM schema_version"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 3);
    QVERIFY(!q.exec(u"SELECT 1 FROM datasets"_s)); // moved into rows
    QVERIFY(q.exec(u"SELECT count(*) FROM sync_uploads"_s)); // version 3
    db.close();
}

void TestServerHistory::refusesANewerSchema()
{
    m_server->stop();
    {
        QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"UPDATE schema_version SET version = 99"_s));
        db.close();
    }
    QVERIFY(m_server->start().isEmpty());
    const QByteArray log = m_server->stop();
    QVERIFY2(log.contains("schema version 99") && log.contains("newer decksync-server"), log.constData());
}

QTEST_GUILESS_MAIN(TestServerHistory)
#include "tst_serverhistory.moc"
