// SPDX-License-Identifier: MIT
// The inspector's side of a live server: ServerClient and InspectorSession against the real
// decksync-server on loopback, faults included.
#include "apiclient.h"
#include "serverdatabase.h"
#include "serverprocess.h"
#include "outcomecheck.h"
#include "testutil.h"

#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/rollback.h"
#include "app/services/serverclient.h"
#include "engine/datasetcodec.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const Uuid Biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");

} // namespace

class TestRemote : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void fetchAndPushWithRevisions();
    void faults_data();
    void faults();
    void applyThroughSession();
    void twoInspectorsRace();
    void feedTellsOtherDevices();
    void rollbackThroughServer();
    void baseFromTheServerAtLastSync();

private:
    ServerConnection connection(const QString& device = u"inspector-a"_s) const { return {QUrl(m_base), QString::fromLatin1(m_token), {}, device}; }
    /// Puts the sample server dataset on the server (revision 1).
    void seed();
    bool loadRemote(InspectorSession& session, ServerClient& client, const QString& local);
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_base;
    QByteArray m_token;
};

void TestRemote::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QString why;
    const QString db = serverdb::create(path("server.sqlite"), &why);
    QVERIFY2(!db.isEmpty(), qPrintable(why));
    m_server = std::make_unique<ServerProcess>(db);
    m_token = m_server->addUser(u"maya@example.com"_s);
    QVERIFY(!m_token.isEmpty());
    m_base = m_server->start();
    QVERIFY(m_base.startsWith(u"http://127.0.0.1:"_s));
    QVERIFY(QFile::copy(QString::fromStdString(testutil::samplePath("local.json")), path("local.json")));
    QFile::setPermissions(path("local.json"), QFile::ReadOwner | QFile::WriteOwner);
}

void TestRemote::cleanup()
{
    const QByteArray log = m_server->stop();
    if (QTest::currentTestFailed())
        qWarning("server output:\n%s", log.constData());
    QVERIFY2(!log.contains(m_token), "the token appeared in the server's output");
    m_server.reset();
    m_dir.reset();
}

void TestRemote::seed()
{
    ServerClient client;
    client.setConnection(connection());
    QSignalSpy pushed(&client, &ServerClient::pushed);
    client.push(readBytes(QString::fromStdString(testutil::samplePath("server.json"))), 0);
    QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    QCOMPARE(pushed.at(0).at(1).toLongLong(), 1);
}

bool TestRemote::loadRemote(InspectorSession& session, ServerClient& client, const QString& local)
{
    QSignalSpy loaded(&session, &InspectorSession::snapshotChanged);
    session.loadFromServer(local, &client);
    return loaded.wait(ServerProcess::TimeoutMs);
}

void TestRemote::fetchAndPushWithRevisions()
{
    ServerClient client;
    client.setConnection(connection());
    QSignalSpy fetched(&client, &ServerClient::fetched);
    client.fetch();
    QVERIFY(fetched.wait(ServerProcess::TimeoutMs));
    QCOMPARE(fetched.at(0).at(2).toLongLong(), 0); // a new user: an empty dataset at revision 0

    seed();
    client.fetch();
    QVERIFY(fetched.wait(ServerProcess::TimeoutMs));
    QCOMPARE(fetched.at(1).at(2).toLongLong(), 1);
    const auto decoded = codec::decodeDataset(fetched.at(1).at(1).toByteArray().toStdString());
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value().decks.size(), std::size_t(7));

    // A write based on an old revision is refused and says where the server is.
    QSignalSpy conflict(&client, &ServerClient::pushConflict);
    QSignalSpy pushed(&client, &ServerClient::pushed);
    client.push(fetched.at(1).at(1).toByteArray(), 0);
    QVERIFY(conflict.wait(ServerProcess::TimeoutMs));
    QCOMPARE(conflict.at(0).at(1).toLongLong(), 1);
    QCOMPARE(pushed.count(), 0);
}

void TestRemote::faults_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("server down") << u"down"_s << u"Connection refused"_s;
    QTest::newRow("silent server (timeout)") << u"silent"_s << u"no answer within 0.3 s (after 3 attempts)"_s;
    QTest::newRow("bad token") << u"token"_s << u"401"_s;
    QTest::newRow("dropped mid-body") << u"dropped"_s << u"(after 3 attempts)"_s;
    QTest::newRow("5xx") << u"503"_s << u"the server answered 503: down for maintenance (after 3 attempts)"_s;
}

void TestRemote::faults()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QTcpServer silent; // accepts connections and never answers
    QTcpServer faulty; // answers every request the same broken way
    ServerConnection c = connection();
    if (kind == u"dropped" || kind == u"503") {
        QVERIFY(faulty.listen(QHostAddress::LocalHost));
        c.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(faulty.serverPort()));
        const QByteArray answer = kind == u"dropped"
            ? QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nETag: \"7\"\r\n\r\n{\"decks\": [")
            : QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 59\r\n"
                         "Connection: close\r\n\r\n{\"error\": \"sync_failed\", \"message\": \"down for maintenance\"}");
        connect(&faulty, &QTcpServer::newConnection, &faulty, [&faulty, answer] {
            while (QTcpSocket* socket = faulty.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket, answer] {
                    socket->readAll();
                    socket->write(answer);
                    socket->disconnectFromHost(); // mid-body for the first kind
                });
            }
        });
    }
    if (kind == u"down") {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        c.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(probe.serverPort()));
        probe.close(); // nothing listens there now
    } else if (kind == u"silent") {
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        c.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(silent.serverPort()));
    } else {
        c.token = u"not-a-token"_s;
    }
    ServerClient client;
    client.setConnection(c);
    client.setTimeout(300);
    client.setRetries(2);
    client.setBackoffBase(20);
    QSignalSpy failed(&client, &ServerClient::failed);
    QSignalSpy fetched(&client, &ServerClient::fetched);
    client.fetch();
    QVERIFY(failed.wait(ServerProcess::TimeoutMs));
    QCOMPARE(fetched.count(), 0);
    const QString message = failed.at(0).at(1).toString();
    QVERIFY2(message.contains(expected), qPrintable(message));

    // A session keeps what it had when the server fails it.
    InspectorSession session;
    QSignalSpy loadFailed(&session, &InspectorSession::loadFailed);
    session.loadFromServer(path("local.json"), &client);
    QVERIFY(loadFailed.wait(ServerProcess::TimeoutMs));
    QVERIFY(!session.hasData());
}

void TestRemote::applyThroughSession()
{
    seed();
    ServerClient client;
    client.setConnection(connection());
    InspectorSession session;
    session.setHistoryPath(path("history.sqlite"));
    session.setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    QVERIFY(loadRemote(session, client, path("local.json")));
    QVERIFY(session.serverIsRemote());
    QCOMPARE(session.serverSide()->revision, 1);
    QCOMPARE(session.snapshot()->result().stats(DataType::Decks).conflicts, 4);

    ItemResolution keepLocal;
    keepLocal.base = Side::Local;
    session.resolve(DataType::Decks, Biology, keepLocal, u"keep local"_s);
    QSignalSpy applied(&session, &InspectorSession::applied);
    QSignalSpy reloaded(&session, &InspectorSession::snapshotChanged);
    session.apply({}, path("local.json"));
    QVERIFY(applied.wait(ServerProcess::TimeoutMs));
    QVERIFY(reloaded.wait(ServerProcess::TimeoutMs)); // fetched again after the write
    QCOMPARE(session.serverSide()->revision, 2);

    // The server holds the resolved state; the device's file too, with last_sync = now.
    const auto server = codec::decodeDataset(session.serverSide()->bytes.toStdString());
    QVERIFY(server.ok());
    const auto biology = std::find_if(server.value().decks.begin(), server.value().decks.end(),
                                      [](const Deck& d) { return d.id == Biology; });
    QCOMPARE(biology->title, std::string("Biology: the cell"));
    const auto local = loadDatasetFile(path("local.json").toStdString());
    QVERIFY(local.ok());
    QCOMPARE(local.value().last_sync, testutil::ts("2024-06-01T12:00:00Z"));
    QCOMPARE(local.value().decks.size(), server.value().decks.size());

    HistoryStore history;
    QString error;
    QVERIFY2(testutil::check(history.open(path("history.sqlite")), &error), qPrintable(error));
    const QList<HistorySummary> runs = history.list().value();
    QCOMPARE(runs.size(), 1);
    QVERIFY2(runs[0].serverSource.startsWith(m_base), qPrintable(runs[0].serverSource));
}

void TestRemote::twoInspectorsRace()
{
    seed();
    QVERIFY(QFile::copy(path("local.json"), path("local-b.json")));
    ServerClient clientA, clientB;
    clientA.setConnection(connection(u"inspector-a"_s));
    clientB.setConnection(connection(u"inspector-b"_s));
    InspectorSession a, b;
    for (InspectorSession* s : {&a, &b})
        s->setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    QVERIFY(loadRemote(a, clientA, path("local.json")));
    QVERIFY(loadRemote(b, clientB, path("local-b.json")));

    QSignalSpy appliedA(&a, &InspectorSession::applied);
    a.apply({}, path("local.json"));
    QVERIFY(appliedA.wait(ServerProcess::TimeoutMs));

    // B read revision 1 too: its write is refused, nothing is written, its resolutions stay.
    ItemResolution keepServer;
    keepServer.base = Side::Server;
    b.resolve(DataType::Decks, Biology, keepServer, u"keep server"_s);
    const QByteArray localB = readBytes(path("local-b.json"));
    QSignalSpy conflict(&b, &InspectorSession::serverConflict);
    QSignalSpy appliedB(&b, &InspectorSession::applied);
    b.apply({}, path("local-b.json"));
    QVERIFY(conflict.wait(ServerProcess::TimeoutMs));
    QCOMPARE(conflict.at(0).at(0).toLongLong(), 1);
    QCOMPARE(conflict.at(0).at(1).toLongLong(), 2);
    // What inspector A wrote, as B sees it on the server.
    QVERIFY2(conflict.at(0).at(2).toString().startsWith(u"decks: 2 added, 2 removed"_s),
             qPrintable(conflict.at(0).at(2).toString()));
    QCOMPARE(appliedB.count(), 0);
    QCOMPARE(readBytes(path("local-b.json")), localB);
    QVERIFY(b.resolutions().find(DataType::Decks, Biology));

    // Fetching again keeps B's resolutions and sees revision 2.
    QVERIFY([&] {
        QSignalSpy loaded(&b, &InspectorSession::snapshotChanged);
        b.loadFromServer(path("local-b.json"), &clientB, true);
        return loaded.wait(ServerProcess::TimeoutMs);
    }());
    QCOMPARE(b.serverSide()->revision, 2);
    QVERIFY(b.resolutions().find(DataType::Decks, Biology));
}

void TestRemote::feedTellsOtherDevices()
{
    ServerClient watcher, writer;
    watcher.setConnection(connection(u"inspector-a"_s));
    writer.setConnection(connection(u"phone"_s));
    QSignalSpy connected(&watcher, &ServerClient::feedStateChanged);
    watcher.openFeed();
    QVERIFY(connected.wait(ServerProcess::TimeoutMs));
    QVERIFY(watcher.feedConnected());
    // The handshake completes before the server has registered the socket: wait until it has.
    QNetworkAccessManager nam;
    auto feedClients = [&] {
        QNetworkReply* reply = nam.get(QNetworkRequest(QUrl(m_base + u"/metrics"_s)));
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(ServerProcess::TimeoutMs);
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object().value(u"feed_clients"_s).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(feedClients(), 1, ServerProcess::TimeoutMs);

    QSignalSpy changed(&watcher, &ServerClient::remoteChanged);
    QSignalSpy pushed(&writer, &ServerClient::pushed);
    writer.push(readBytes(QString::fromStdString(testutil::samplePath("server.json"))), 0);
    QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, ServerProcess::TimeoutMs); // may arrive before pushed()
    QCOMPARE(changed.at(0).at(0).toString(), u"all"_s);
    QCOMPARE(changed.at(0).at(1).toLongLong(), 1);

    // The writer's own feed does not hear its own write.
    QSignalSpy writerConnected(&writer, &ServerClient::feedStateChanged);
    writer.openFeed();
    QVERIFY(writerConnected.wait(ServerProcess::TimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(feedClients(), 2, ServerProcess::TimeoutMs);
    QSignalSpy writerHeard(&writer, &ServerClient::remoteChanged);
    writer.push(readBytes(QString::fromStdString(testutil::samplePath("local.json"))), 1);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, ServerProcess::TimeoutMs);
    QCOMPARE(writerHeard.count(), 0);
}

void TestRemote::rollbackThroughServer()
{
    seed();
    const QByteArray serverBefore = readBytes(QString::fromStdString(testutil::samplePath("server.json")));
    const QByteArray localBefore = readBytes(path("local.json"));
    ServerClient client;
    client.setConnection(connection());
    InspectorSession session;
    session.setHistoryPath(path("history.sqlite"));
    session.setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    QVERIFY(loadRemote(session, client, path("local.json")));
    QSignalSpy applied(&session, &InspectorSession::applied);
    session.apply({}, path("local.json"));
    QVERIFY(applied.wait(ServerProcess::TimeoutMs));
    const qint64 runId = applied.at(0).at(0).toLongLong();

    QString error;
    auto plan = planRollback(path("history.sqlite"), runId);
    QVERIFY2(plan, qPrintable(plan.error()));
    QVERIFY(plan->isRemote());
    QCOMPARE(plan->record.serverRevisionAfter, 2);
    QVERIFY(!plan->filesChanged());

    // The before-state goes back with If-Match of the run's revision, then the local file.
    qint64 revision = -1;
    client.pushThen(plan->record.serverBefore, plan->record.serverRevisionAfter, this,
                    [&](qint64 r) { revision = r; }, [](qint64, const QString&) {}, [](const QString&) {});
    QTRY_COMPARE_WITH_TIMEOUT(revision, 3, ServerProcess::TimeoutMs);
    const Outcome<RolledBack> outcome = finishRemoteRollback(path("history.sqlite"), *plan, revision);
    QVERIFY2(outcome, qPrintable(outcome.error()));
    QCOMPARE(readBytes(path("local.json")), localBefore);
    QSignalSpy fetched(&client, &ServerClient::fetched);
    client.fetch();
    QVERIFY(fetched.wait(ServerProcess::TimeoutMs));
    // The server keeps items, not the file's layout: it answers the same document, compact.
    const auto before = decksync::codec::decodeDataset(serverBefore.toStdString());
    QVERIFY(before.ok());
    QCOMPARE(fetched.at(0).at(1).toByteArray().toStdString(),
             decksync::codec::encodeDataset(before.value(), decksync::JsonWriter::Style::Compact));
    HistoryStore history;
    QVERIFY2(testutil::check(history.open(path("history.sqlite")), &error), qPrintable(error));
    QCOMPARE(history.load(runId)->rolledBackBy, outcome->historyId);
    QCOMPARE(history.load(outcome->historyId)->serverRevisionAfter, 3);

    // Undoing the rollback is blocked once another device wrote: nothing is overwritten.
    auto undo = planRollback(path("history.sqlite"), outcome->historyId);
    QVERIFY2(undo, qPrintable(undo.error()));
    QSignalSpy pushed(&client, &ServerClient::pushed);
    client.push(serverBefore, 3); // another device: revision 4
    QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    qint64 conflictAt = -1;
    client.pushThen(undo->record.serverBefore, undo->record.serverRevisionAfter, this, [](qint64) {},
                    [&](qint64 r, const QString&) { conflictAt = r; }, [](const QString&) {});
    QTRY_COMPARE_WITH_TIMEOUT(conflictAt, 4, ServerProcess::TimeoutMs);
    QCOMPARE(readBytes(path("local.json")), localBefore);
}

void TestRemote::baseFromTheServerAtLastSync()
{
    // Revision 1 is the sample server data; revision 2 replaces it with the device's.
    seed();
    ApiClient api;
    api.setBase(m_base);
    const QString syncedAt =
        api.send("GET", u"/revisions"_s, {}, m_token).json()[u"revisions"_s][0][u"at"_s].toString();
    QVERIFY(!syncedAt.isEmpty());
    QTest::qWait(5); // revision 2 a few milliseconds later
    {
        ServerClient writer;
        writer.setConnection(connection(u"phone"_s));
        QSignalSpy pushed(&writer, &ServerClient::pushed);
        writer.push(readBytes(path("local.json")), 1);
        QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    }
    // The device last synced when revision 1 was current.
    QJsonObject device = QJsonDocument::fromJson(readBytes(path("local.json"))).object();
    device[u"last_sync"_s] = syncedAt;
    QFile out(path("device.json"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(device).toJson());
    out.close();

    ServerClient client;
    client.setConnection(connection());
    InspectorSession session;
    session.setHistoryPath(path("history.sqlite"));
    QVERIFY(loadRemote(session, client, path("device.json")));
    // The first sync shown already ran against it: the sync waited for the base.
    QVERIFY(session.baseSide());
    QCOMPARE(session.baseSide()->revision, 1);
    QVERIFY2(session.baseSide()->path.contains(u"revision 1"_s), qPrintable(session.baseSide()->path));
    const auto sample = codec::decodeDataset(readBytes(QString::fromStdString(testutil::samplePath("server.json"))).toStdString());
    QVERIFY(sample.ok());
    QCOMPARE(session.baseSide()->dataset->decks.size(), sample.value().decks.size());
    QCOMPARE(session.snapshot()->base(), session.baseSide()->dataset.get()); // the sync ran against it

    // A device that never synced has no base to ask for.
    device[u"last_sync"_s] = QJsonValue::Null;
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(QJsonDocument(device).toJson());
    out.close();
    InspectorSession fresh;
    QVERIFY(loadRemote(fresh, client, path("device.json")));
    QTest::qWait(300);
    QVERIFY(!fresh.baseSide());
}

QTEST_GUILESS_MAIN(TestRemote)
#include "tst_remote.moc"
