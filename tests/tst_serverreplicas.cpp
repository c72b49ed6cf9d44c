// SPDX-License-Identifier: MIT
// Two decksync-server processes on one PostgreSQL database (a real cluster the test starts):
// the writes of one user through both lose nothing and get gapless revisions, a batch is
// applied once whichever replica it reaches, the feed reaches a device on the other replica,
// and a replica killed in the middle of writes loses nothing it acknowledged.
#include "apiclient.h"
#include "serverdatabase.h"
#include "serverprocess.h"
#include "testutil.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {

const QString kUser = u"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"_s;

QString itemId(quint64 a, quint64 b)
{
    return QString::fromStdString(decksync::Uuid::fromHalves(0x1111222233334444ull + a, 0x8000000000000000ull | b)
                                      .toString());
}

/// A sync that adds one achievement (append-only: no write takes another's item away).
QByteArray addAchievement(const QString& id)
{
    const QJsonObject item{{u"id"_s, id}, {u"user_id"_s, kUser}, {u"achievement_type"_s, u"streak"_s},
                           {u"earned_at"_s, u"2024-06-01T10:00:00Z"_s}, {u"title"_s, QJsonValue::Null},
                           {u"deck_id"_s, QJsonValue::Null}};
    return QJsonDocument(QJsonObject{{u"data"_s, QJsonArray{item}}, {u"last_sync"_s, QJsonValue::Null}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestServerReplicas : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void writesThroughBothLoseNothing();
    void batchAppliedOnce();
    void feedReachesTheOtherReplica();
    void killedReplicaLosesNothingAcknowledged();

private:
    /// Sends every body at once, alternating between the replicas; the ids of the writes that
    /// were answered 200, and their revisions.
    void writeAtOnce(const QList<QByteArray>& bodies, const QList<QString>& ids, QSet<QString>* acknowledged,
                     QList<qint64>* revisions, int killAfter = -1);
    /// What the database holds: the achievements' ids, and the user's revisions in order.
    void stored(QSet<QString>* ids, QList<qint64>* revisions);

    QString m_db;
    std::unique_ptr<ServerProcess> m_replicas[2];
    QString m_base[2];
    QByteArray m_token;
};

void TestServerReplicas::initTestCase()
{
    // PostgreSQL whatever DECKSYNC_TEST_BACKEND says: replicas need a shared database.
    qputenv("DECKSYNC_TEST_BACKEND", "postgresql");
}

void TestServerReplicas::init()
{
    QString why;
    m_db = serverdb::create({}, &why);
    QVERIFY2(!m_db.isEmpty(), qPrintable(why));
    for (int i = 0; i < 2; ++i)
        m_replicas[i] = std::make_unique<ServerProcess>(m_db);
    m_token = m_replicas[0]->addUser(u"maya@example.com"_s);
    QVERIFY(!m_token.isEmpty());
    for (int i = 0; i < 2; ++i) {
        m_base[i] = m_replicas[i]->start();
        QVERIFY(!m_base[i].isEmpty()); // cleanup() shows what it printed
    }
}

void TestServerReplicas::cleanup()
{
    for (auto& replica : m_replicas) {
        if (!replica)
            continue;
        const QByteArray log = replica->stop();
        if (QTest::currentTestFailed())
            qWarning("replica output:\n%s", log.constData());
        replica.reset();
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
}

void TestServerReplicas::writeAtOnce(const QList<QByteArray>& bodies, const QList<QString>& ids,
                                     QSet<QString>* acknowledged, QList<qint64>* revisions, int killAfter)
{
    QNetworkAccessManager nam[2];
    QList<QNetworkReply*> replies;
    for (qsizetype i = 0; i < bodies.size(); ++i) {
        const int replica = static_cast<int>(i % 2);
        QNetworkRequest r(QUrl(m_base[replica] + u"/sync/achievements"_s));
        r.setRawHeader("Authorization", "Bearer " + m_token);
        r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        replies << nam[replica].post(r, bodies[i]);
    }
    int finished = 0;
    for (QNetworkReply* reply : std::as_const(replies))
        connect(reply, &QNetworkReply::finished, this, [&finished] { ++finished; });
    if (killAfter >= 0) {
        QTRY_VERIFY_WITH_TIMEOUT(finished > killAfter, 30000);
        m_replicas[0]->stop(); // SIGKILL while its requests are in flight
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, static_cast<int>(replies.size()), 60000);
    for (qsizetype i = 0; i < replies.size(); ++i) {
        QNetworkReply* reply = replies[i];
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
            acknowledged->insert(ids[i]);
            revisions->append(reply->rawHeader("X-Revision").toLongLong());
        }
        reply->deleteLater();
    }
}

void TestServerReplicas::stored(QSet<QString>* ids, QList<qint64>* revisions)
{
    QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
    QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
    QSqlQuery q(db);
    QVERIFY(q.exec(u"SELECT id FROM items WHERE type = 1 AND deleted = 0"_s));
    while (q.next())
        ids->insert(q.value(0).toString());
    QVERIFY(q.exec(u"SELECT revision FROM revisions ORDER BY revision"_s));
    while (q.next())
        revisions->append(q.value(0).toLongLong());
    db.close();
}

void TestServerReplicas::writesThroughBothLoseNothing()
{
    QList<QByteArray> bodies;
    QList<QString> ids;
    for (int i = 0; i < 120; ++i) {
        ids << itemId(1, static_cast<quint64>(i));
        bodies << addAchievement(ids.back());
    }
    QSet<QString> acknowledged;
    QList<qint64> answered;
    writeAtOnce(bodies, ids, &acknowledged, &answered);
    QCOMPARE(acknowledged.size(), 120);
    // Each write got its own revision, 1 to 120, whichever replica took it.
    std::sort(answered.begin(), answered.end());
    for (int i = 0; i < 120; ++i)
        QCOMPARE(answered[i], i + 1);
    QSet<QString> items;
    QList<qint64> revisions;
    stored(&items, &revisions);
    QCOMPARE(items, acknowledged);
    QCOMPARE(revisions.size(), 120);
    QCOMPARE(revisions.back(), 120);
    // And both replicas read the same data.
    ApiClient a;
    ApiClient b;
    a.setBase(m_base[0]);
    b.setBase(m_base[1]);
    const ApiReply fromA = a.send("GET", u"/data"_s, {}, m_token);
    QCOMPARE(fromA.header("X-Revision"), "120");
    QCOMPARE(fromA.body, b.send("GET", u"/data"_s, {}, m_token).body);
}

void TestServerReplicas::batchAppliedOnce()
{
    const QJsonObject deck{{u"id"_s, itemId(2, 1)}, {u"user_id"_s, kUser}, {u"title"_s, u"Verbs"_s},
                           {u"description"_s, QJsonValue::Null}, {u"content"_s, u"hablar"_s},
                           {u"created_at"_s, u"2024-01-01T08:00:00Z"_s},
                           {u"updated_at"_s, u"2024-01-01T10:00:00Z"_s}, {u"version"_s, 1}};
    const QByteArray batch =
        QJsonDocument(QJsonObject{{u"transaction_id"_s, u"tx-replicas"_s},
                                  {u"client_timestamp"_s, u"2024-01-01T12:00:00Z"_s},
                                  {u"operations"_s, QJsonArray{QJsonObject{{u"operation_type"_s, u"Create"_s},
                                                                           {u"data_type"_s, u"decks"_s},
                                                                           {u"item_id"_s, itemId(2, 1)},
                                                                           {u"data"_s, deck},
                                                                           {u"version"_s, QJsonValue::Null}}}}})
            .toJson(QJsonDocument::Compact);
    // The same batch through both replicas at once, ten times over: one applies it.
    QNetworkAccessManager nam[2];
    QList<QNetworkReply*> replies;
    for (int i = 0; i < 10; ++i) {
        QNetworkRequest r(QUrl(m_base[i % 2] + u"/sync/batch"_s));
        r.setRawHeader("Authorization", "Bearer " + m_token);
        r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        replies << nam[i % 2].post(r, batch);
    }
    int finished = 0;
    for (QNetworkReply* reply : std::as_const(replies))
        connect(reply, &QNetworkReply::finished, this, [&finished] { ++finished; });
    QTRY_COMPARE_WITH_TIMEOUT(finished, 10, 30000);
    int applied = 0;
    QSet<QByteArray> bodies;
    for (QNetworkReply* reply : std::as_const(replies)) {
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        applied += reply->rawHeader("X-Replayed") != "true";
        bodies.insert(reply->readAll());
        reply->deleteLater();
    }
    QCOMPARE(applied, 1);
    QCOMPARE(bodies.size(), 1); // every replay answers what the first answered
    ApiClient api;
    api.setBase(m_base[1]);
    QCOMPARE(api.send("GET", u"/data"_s, {}, m_token).header("X-Revision"), "1");
}

void TestServerReplicas::feedReachesTheOtherReplica()
{
    QWebSocket feeds[2];
    for (int i = 0; i < 2; ++i) {
        QString url = m_base[i] + u"/feed"_s;
        QNetworkRequest request{QUrl(url.replace(u"http://"_s, u"ws://"_s))};
        request.setRawHeader("Authorization", "Bearer " + m_token);
        request.setRawHeader("X-Device-Id", i == 0 ? "tablet" : "phone");
        QSignalSpy connected(&feeds[i], &QWebSocket::connected);
        feeds[i].open(request);
        QVERIFY(connected.wait(ServerProcess::TimeoutMs));
    }
    QSignalSpy onA(&feeds[0], &QWebSocket::textMessageReceived);
    QSignalSpy onB(&feeds[1], &QWebSocket::textMessageReceived);

    // The phone writes through replica B; the tablet, on replica A, hears it.
    ApiClient b;
    b.setBase(m_base[1]);
    const ApiReply r = b.send("POST", u"/sync/achievements"_s, addAchievement(itemId(3, 1)), m_token,
                              {{"X-Device-Id", "phone"}});
    QCOMPARE(r.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(onA.size(), 1, ServerProcess::TimeoutMs);
    const QJsonObject event = QJsonDocument::fromJson(onA.at(0).at(0).toString().toUtf8()).object();
    QCOMPARE(event[u"event"_s].toString(), u"synced"_s);
    QCOMPARE(event[u"data_type"_s].toString(), u"achievements"_s);
    QCOMPARE(event[u"revision"_s].toInt(), 1);
    QCOMPARE(event[u"at"_s].toString(), r.json()[u"last_sync"_s].toString());

    // The tablet writes through B too: its own feed, on A, is not told; the phone's is, once.
    const ApiReply second = b.send("POST", u"/sync/achievements"_s, addAchievement(itemId(3, 2)), m_token,
                                   {{"X-Device-Id", "tablet"}});
    QCOMPARE(second.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(onB.size(), 1, ServerProcess::TimeoutMs);
    QCOMPARE(QJsonDocument::fromJson(onB.at(0).at(0).toString().toUtf8())[u"revision"_s].toInt(), 2);
    QTest::qWait(500);
    QCOMPARE(onA.size(), 1);
    QCOMPARE(onB.size(), 1);
}

void TestServerReplicas::killedReplicaLosesNothingAcknowledged()
{
    QRandomGenerator random(7);
    QSet<QString> acknowledged;
    QList<qint64> answered;
    for (int round = 0; round < 3; ++round) {
        QList<QByteArray> bodies;
        QList<QString> ids;
        for (int i = 0; i < 60; ++i) {
            ids << itemId(10 + static_cast<quint64>(round), static_cast<quint64>(i));
            bodies << addAchievement(ids.back());
        }
        writeAtOnce(bodies, ids, &acknowledged, &answered, static_cast<int>(random.bounded(1, 20)));
        m_base[0] = m_replicas[0]->start(); // and it comes back
        QVERIFY(!m_base[0].isEmpty());
    }
    QSet<QString> items;
    QList<qint64> revisions;
    stored(&items, &revisions);
    // Everything acknowledged is there; what was not acknowledged may be (committed, then
    // killed before it answered), but then with its revision: gapless from 1.
    QVERIFY(items.contains(acknowledged));
    QVERIFY2(acknowledged.size() < 180, "the kill came after every write: nothing was tested");
    QCOMPARE(static_cast<qint64>(items.size()), revisions.size());
    for (qsizetype i = 0; i < revisions.size(); ++i)
        QCOMPARE(revisions[i], i + 1);
    qInfo("%lld of 180 writes acknowledged, %lld stored", static_cast<long long>(acknowledged.size()),
          static_cast<long long>(items.size()));
}

QTEST_GUILESS_MAIN(TestServerReplicas)
#include "tst_serverreplicas.moc"
