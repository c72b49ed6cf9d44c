// SPDX-License-Identifier: MIT
// Killed in the middle of writing (SIGKILL, in a bounded loop): the CLI's outputs are either
// the previous bytes or complete, never half written; the server's SQLite file opens cleanly
// with no write half there.
#include "serverdatabase.h"
#include "serverprocess.h"
#include "testutil.h"

#include "engine/datasetcodec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cliOutputsNeverHalfWritten();
    void serverSurvivesKill();
};

void TestCrash::cliOutputsNeverHalfWritten()
{
    QTemporaryDir dir;
    const QString local = dir.filePath(u"l.json"_s), server = dir.filePath(u"s.json"_s), out = dir.filePath(u"m.json"_s);
    QProcess gen;
    gen.start(QStringLiteral(DECKSYNC_GEN_PATH), {u"--out-local"_s, local, u"--out-server"_s, server, u"--items"_s, u"20000"_s});
    QVERIFY(gen.waitForFinished(60000) && gen.exitCode() == 0);
    const QByteArray previous = "previous output\n";
    const QStringList args{u"sync"_s, u"--local"_s, local, u"--server"_s, server, u"--now"_s,
                           u"2024-06-10T00:00:00Z"_s, u"--out"_s, out, u"--quiet"_s};
    // How long a whole run takes here (debug, sanitizers, a loaded machine): kills are spread
    // around it, so that some land mid-write and some runs finish.
    QElapsedTimer timer;
    timer.start();
    QProcess whole;
    whole.start(QStringLiteral(DECKSYNC_CLI_PATH), args);
    QVERIFY(whole.waitForFinished(120000) && whole.exitCode() == 0);
    const int duration = static_cast<int>(timer.elapsed());
    QRandomGenerator random(7); // fixed: the same kill times on every run
    int killedMidway = 0;
    for (int round = 0; round < 12; ++round) {
        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(previous);
        f.close();
        QProcess cli;
        cli.start(QStringLiteral(DECKSYNC_CLI_PATH), args);
        QVERIFY(cli.waitForStarted());
        QTest::qWait(static_cast<int>(random.bounded(duration / 10, duration * 13 / 10 + 1)));
        if (cli.state() == QProcess::Running) {
            ++killedMidway;
            cli.kill(); // SIGKILL
        }
        cli.waitForFinished(60000);
        QFile result(out);
        QVERIFY(result.open(QIODevice::ReadOnly));
        const QByteArray bytes = result.readAll();
        if (bytes == previous)
            continue;
        // Otherwise it must be the whole new state.
        QVERIFY2(decksync::codec::decodeDataset(bytes.toStdString()).ok(), "a half-written output survived a kill");
    }
    qInfo("a whole run takes %d ms; killed %d of 12 runs while they worked", duration, killedMidway);
    QVERIFY(killedMidway > 0);
}

void TestCrash::serverSurvivesKill()
{
    QTemporaryDir dir;
    QString why;
    const QString db = serverdb::create(dir.filePath(u"server.sqlite"_s), &why);
    QVERIFY2(!db.isEmpty(), qPrintable(why));
    ServerProcess server(db);
    const QByteArray token = server.addUser(u"maya@example.com"_s);
    QRandomGenerator random(11);
    qint64 acknowledged = 0;
    for (int round = 0; round < 6; ++round) {
        const QString base = server.start();
        QVERIFY(!base.isEmpty());
        QNetworkAccessManager nam;
        QList<QNetworkReply*> replies;
        for (int w = 0; w < 30; ++w) {
            const QString id = decksync::Uuid::fromHalves(0xabcdull + static_cast<quint64>(round),
                                                          0x8000000000000000ull | static_cast<quint64>(w))
                                   .toString()
                                   .c_str();
            const QJsonObject item{{u"id"_s, id}, {u"user_id"_s, u"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"_s},
                                   {u"achievement_type"_s, u"streak"_s}, {u"earned_at"_s, u"2024-06-01T10:00:00Z"_s},
                                   {u"title"_s, QJsonValue::Null}, {u"deck_id"_s, QJsonValue::Null}};
            QNetworkRequest r(QUrl(base + u"/sync/achievements"_s));
            r.setRawHeader("Authorization", "Bearer " + token);
            r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            replies << nam.post(r, QJsonDocument(QJsonObject{{u"data"_s, QJsonArray{item}}, {u"last_sync"_s, QJsonValue::Null}})
                                       .toJson(QJsonDocument::Compact));
        }
        // Once the first write is acknowledged, kill a moment later while the rest are in flight.
        int finished = 0;
        for (QNetworkReply* reply : std::as_const(replies))
            connect(reply, &QNetworkReply::finished, this, [&finished] { ++finished; });
        QTRY_VERIFY_WITH_TIMEOUT(finished > 0, 30000);
        QTest::qWait(static_cast<int>(random.bounded(0, 40)));
        server.stop(); // SIGKILL while requests are in flight
        for (QNetworkReply* reply : std::as_const(replies)) {
            if (!reply->isFinished()) {
                QSignalSpy done(reply, &QNetworkReply::finished);
                done.wait(10000);
            }
            acknowledged += reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
            reply->deleteLater();
        }
    }
    // The file opens cleanly, is consistent, and holds at least every acknowledged write.
    {
        QSqlDatabase check = serverdb::open(db, u"crash-check"_s);
        QVERIFY(check.isOpen());
        QSqlQuery q(check);
        if (!serverdb::onPostgres()) {
            QVERIFY(q.exec(u"PRAGMA integrity_check"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"ok"_s);
        }
        QVERIFY(q.exec(u"SELECT revision FROM heads"_s) && q.next());
        const qint64 revision = q.value(0).toLongLong();
        QVERIFY2(revision >= acknowledged, qPrintable(u"revision %1, acknowledged %2"_s.arg(revision).arg(acknowledged)));
        // One achievement per committed write, and one revision row each, with no gap.
        QVERIFY(q.exec(u"SELECT count(*) FROM items WHERE type = 1 AND deleted = 0"_s) && q.next());
        QCOMPARE(q.value(0).toLongLong(), revision);
        QVERIFY(q.exec(u"SELECT count(*), min(revision), max(revision) FROM revisions"_s) && q.next());
        QCOMPARE(q.value(0).toLongLong(), revision);
        QCOMPARE(q.value(1).toLongLong(), revision > 0 ? 1 : 0);
        QCOMPARE(q.value(2).toLongLong(), revision);
        check.close();
    }
    QSqlDatabase::removeDatabase(u"crash-check"_s);
    // And the server starts again on it.
    QVERIFY(!server.start().isEmpty());
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
