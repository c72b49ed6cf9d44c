// SPDX-License-Identifier: MIT
// The worst files support staff and QA feed the tool, tried against every entry point: the
// CLI (exit 2, nothing written), the inspector's loader (an error naming file, pointer and
// problem; the previous data stays) and the server (400/413, nothing stored).
#include "serverdatabase.h"
#include "serverprocess.h"
#include "testutil.h"

#include "app/services/inspectorsession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

QByteArray deck(const QByteArray& id, const QByteArray& extra = {})
{
    return R"({"id": ")" + id + R"(", "user_id": "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f", "title": "t", )"
           R"("description": null, "content": "c", "created_at": "2024-01-01T00:00:00Z", )"
           R"("updated_at": "2024-01-01T00:00:00Z", "version": 1)" + extra + "}";
}

QByteArray decks(const QByteArray& items) { return R"({"decks": [)" + items + "]}"; }

/// How a run of the CLI ended: its exit code (-1 if it did not finish in time) and stderr.
struct CliRun {
    int exitCode = -1;
    QString err;
};

CliRun runCli(const QStringList& args, int timeoutMs = 60000)
{
    QProcess cli;
    cli.start(QStringLiteral(DECKSYNC_CLI_PATH), args);
    if (!cli.waitForFinished(timeoutMs))
        return {-1, u"decksync did not finish within %1 ms"_s.arg(timeoutMs)};
    return {cli.exitCode(), QString::fromUtf8(cli.readAllStandardError())};
}

/// `decksync sync --local L --server S` writing m.json and r.json into `dir`.
QStringList syncArgs(const QString& local, const QString& server, const QTemporaryDir& dir)
{
    return {u"sync"_s, u"--local"_s, local, u"--server"_s, server,
            u"--out"_s, dir.filePath(u"m.json"_s), u"--report"_s, dir.filePath(u"r.json"_s)};
}

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestMalformed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rejected_data();
    void rejected();
    void duplicateIds_data();
    void duplicateIds();
    void oneGibibyteFile();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_base;
    QByteArray m_token;
};

void TestMalformed::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerProcess>(serverdb::createIn(m_dir->path()));
    m_token = m_server->addUser(u"qa@example.com"_s);
    QVERIFY(!m_token.isEmpty());
    m_base = m_server->start({u"--max-body"_s, QString::number(8 << 20)});
    QVERIFY(!m_base.isEmpty());
}

void TestMalformed::cleanupTestCase()
{
    const QByteArray log = m_server->stop();
    QVERIFY(!log.contains(m_token));
}

void TestMalformed::rejected_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); ///< in the CLI's and the inspector's message
    QTest::addColumn<int>("status");       ///< the server's answer to PUT /data

    const QByteArray good = deck("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081");
    QTest::newRow("not json") << QByteArray("PK\x03\x04 this is a zip") << u"1:1: unexpected character 'P'"_s << 400;
    QTest::newRow("empty file") << QByteArray() << u"unexpected end of input, expected a value"_s << 400;
    QTest::newRow("truncated") << decks(good).left(120) << u"/decks/0"_s << 400;
    QTest::newRow("wrong type") << decks(deck("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081").replace("\"version\": 1", "\"version\": \"1\""))
                                << u"/decks/0/version: expected an integer, found a string"_s << 400;
    QTest::newRow("missing field") << QByteArray(R"({"decks": [{"id": "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081"}]})")
                                   << u"/decks/0: missing field \"user_id\""_s << 400;
    QTest::newRow("seed's id") << decks(deck("test")) << u"/decks/0/id: \"test\" is not a UUID"_s << 400;
    QTest::newRow("impossible timestamp")
        << decks(good).replace("\"created_at\": \"2024-01-01T00:00:00Z\"", "\"created_at\": \"2023-02-29T25:61:00Z\"")
        << u"/decks/0/created_at: \"2023-02-29T25:61:00Z\" is not a valid date"_s << 400;
    QTest::newRow("int64 overflow") << decks(good).replace("\"version\": 1", "\"version\": 9223372036854775808")
                                    << u"/decks/0/version: 9223372036854775808 is out of range"_s << 400;
    QTest::newRow("deep nesting") << decks(deck("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081", ", \"x\": " + QByteArray(5000, '[')))
                                  << u"nesting deeper than 128 levels"_s << 400;
    QTest::newRow("invalid utf-8") << decks(good).replace("\"title\": \"t\"", "\"title\": \"\xC3\x28\"")
                                   << u"/decks/0/title: invalid UTF-8"_s << 400;
    QTest::newRow("lone surrogate") << decks(good).replace("\"title\": \"t\"", "\"title\": \"\\ud800\"")
                                    << u"lone leading surrogate"_s << 400;
    QTest::newRow("duplicate key") << decks(deck("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081", ", \"version\": 2"))
                                   << u"/decks/0/version: duplicate field \"version\""_s << 400;
    QTest::newRow("over the server's limit (12 MB string)")
        << decks(deck("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081", ", \"blob\": \"" + QByteArray(12 << 20, 'a')))
        << u"unexpected end of input inside a string"_s << 413;
}

void TestMalformed::rejected()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QFETCH(int, status);
    QTemporaryDir dir;
    const QString bad = dir.filePath(u"bad.json"_s);
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    const QString server = QString::fromStdString(testutil::samplePath("server.json"));

    // CLI: exit 2, the file and the problem named, nothing created.
    const CliRun cli = runCli(syncArgs(bad, server, dir));
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains(bad) && cli.err.contains(expected), qPrintable(cli.err.left(500)));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"bad.json"_s});
    QCOMPARE(readBytes(bad), text);

    // The inspector's loader: the same sentence; what was loaded before stays.
    InspectorSession session;
    QSignalSpy loaded(&session, &InspectorSession::snapshotChanged);
    session.load(QString::fromStdString(testutil::samplePath("local.json")), server);
    QVERIFY(loaded.wait(20000));
    const auto before = session.snapshot();
    QSignalSpy failed(&session, &InspectorSession::loadFailed);
    session.load(bad, server);
    QVERIFY(failed.wait(20000));
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(bad) && message.contains(expected), qPrintable(message.left(500)));
    QCOMPARE(session.snapshot(), before);

    // The server: 400 (or 413 past its limit), and nothing stored (the revision stays 0).
    QNetworkAccessManager nam;
    QNetworkRequest put(QUrl(m_base + u"/data"_s));
    put.setRawHeader("Authorization", "Bearer " + m_token);
    put.setRawHeader("If-Match", "\"0\"");
    put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply* reply = nam.put(put, text);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(30000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    reply->deleteLater();
    QNetworkRequest get(QUrl(m_base + u"/data"_s));
    get.setRawHeader("Authorization", "Bearer " + m_token);
    QNetworkReply* current = nam.get(get);
    QSignalSpy fetched(current, &QNetworkReply::finished);
    QVERIFY(fetched.wait(30000));
    QCOMPARE(current->rawHeader("ETag"), QByteArray("\"0\""));
    current->deleteLater();
}

void TestMalformed::duplicateIds_data()
{
    QTest::addColumn<QString>("list"); ///< which list of local.json gets its first item again
    QTest::addColumn<QString>("side"); ///< which side of the sync holds the repeat
    for (const char* list : {"decks", "achievements", "progress", "starred"}) {
        for (const char* side : {"local", "server"})
            QTest::addRow("%s twice, %s", list, side) << QString::fromLatin1(list) << QString::fromLatin1(side);
    }
}

// A list naming one item twice is refused by every entry point, naming both positions; the
// CLI and the inspector can be told to go on, and then flag each repeat.
void TestMalformed::duplicateIds()
{
    QFETCH(QString, list);
    QFETCH(QString, side);
    QTemporaryDir dir;
    const std::string key = list.toStdString();
    auto doc = nlohmann::ordered_json::parse(readBytes(QString::fromStdString(testutil::samplePath("local.json"))).toStdString());
    QVERIFY(doc[key].size() >= 2);
    doc[key].push_back(doc[key][0]);
    const QByteArray text = QByteArray::fromStdString(doc.dump(2));
    const QString id = QString::fromStdString(doc[key][0]["id"].get<std::string>());
    const QString expected = u"/%1/%2/id: duplicate id \"%3\", first at /%1/0/id"_s.arg(list).arg(doc[key].size() - 1).arg(id);

    const QString bad = dir.filePath(u"bad.json"_s);
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    const QString other = QString::fromStdString(testutil::samplePath(side == u"local"_s ? "server.json" : "local.json"));
    const QString local = side == u"local"_s ? bad : other;
    const QString server = side == u"local"_s ? other : bad;

    // CLI: refused (exit 2, nothing written), then synced on request with a warning.
    const QStringList args = syncArgs(local, server, dir) + QStringList{u"--now"_s, u"2024-06-02T12:00:00Z"_s};
    const CliRun cli = runCli(args);
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains(bad + u": "_s + expected) && cli.err.contains(u"--allow-duplicate-ids"_s),
             qPrintable(cli.err));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"bad.json"_s});
    QCOMPARE(runCli(args + QStringList{u"--allow-duplicate-ids"_s}).exitCode, 0);
    QVERIFY(readBytes(dir.filePath(u"r.json"_s)).contains("\"duplicate-id\""));

    // The inspector's session: refused without touching what is loaded; loaded when asked.
    InspectorSession session;
    QSignalSpy loaded(&session, &InspectorSession::snapshotChanged);
    session.load(QString::fromStdString(testutil::samplePath("local.json")),
                 QString::fromStdString(testutil::samplePath("server.json")));
    QVERIFY(loaded.wait(20000));
    const auto before = session.snapshot();
    QSignalSpy refused(&session, &InspectorSession::duplicateIdsFound);
    QSignalSpy failed(&session, &InspectorSession::loadFailed);
    session.load(local, server);
    QVERIFY(refused.wait(20000));
    QVERIFY2(refused.at(0).at(0).toString().contains(bad + u": "_s + expected), qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(session.snapshot(), before);
    QCOMPARE(failed.count(), 0);
    session.loadAllowingDuplicateIds();
    QVERIFY(loaded.wait(20000));
    QVERIFY(session.snapshot() != before);
    const auto type = decksync::dataTypeFromName(key);
    QVERIFY(type);
    bool flagged = false;
    for (const decksync::Diagnostic& d : session.snapshot()->result().diagnostics(*type))
        flagged = flagged || d.code == "duplicate-id";
    QVERIFY(flagged);

    // The server stores one item per id: PUT /data and the sync endpoint answer 400.
    QNetworkAccessManager nam;
    QNetworkRequest put(QUrl(m_base + u"/data"_s));
    put.setRawHeader("Authorization", "Bearer " + m_token);
    put.setRawHeader("If-Match", "\"0\"");
    put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply* reply = nam.put(put, text);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(30000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
    QVERIFY(QString::fromUtf8(reply->readAll()).contains(expected.left(expected.indexOf(u'"'))));
    reply->deleteLater();

    nlohmann::ordered_json body{{"data", doc[key]}, {"last_sync", nullptr}};
    QNetworkRequest post(QUrl(m_base + u"/sync/"_s + list));
    post.setRawHeader("Authorization", "Bearer " + m_token);
    post.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    reply = nam.post(post, QByteArray::fromStdString(body.dump()));
    QSignalSpy synced(reply, &QNetworkReply::finished);
    QVERIFY(synced.wait(30000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
    QVERIFY(reply->readAll().contains(QByteArray("/data/" + QByteArray::number(qsizetype(doc[key].size() - 1)) + "/id: duplicate id")));
    reply->deleteLater();
}

// A 1 GiB file (sparse: a dataset's first bytes, then zeros) gets the same clear error from the
// CLI and the inspector's loader, and stays as it was. (The server refuses a 1 GiB body from
// its Content-Length alone: tst_serversecurity.)
void TestMalformed::oneGibibyteFile()
{
    QTemporaryDir dir;
    const QString big = dir.filePath(u"big.json"_s);
    constexpr qint64 Size = qint64(1) << 30;
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"decks": [)");
        QVERIFY(f.resize(Size));
    }
    const QString expected = big + u":1:12: /decks/0: unexpected character '\\x00', expected a value"_s;
    const QString server = QString::fromStdString(testutil::samplePath("server.json"));

    const CliRun cli = runCli(syncArgs(big, server, dir), 120000);
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains(expected), qPrintable(cli.err));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"big.json"_s});
    QCOMPARE(QFileInfo(big).size(), Size);

    InspectorSession session;
    QSignalSpy failed(&session, &InspectorSession::loadFailed);
    session.load(big, server);
    QVERIFY(failed.wait(120000));
    QVERIFY2(failed.at(0).at(0).toString().contains(expected), qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(!session.hasData());
    QCOMPARE(QFileInfo(big).size(), Size);
}

QTEST_GUILESS_MAIN(TestMalformed)
#include "tst_malformed.moc"
