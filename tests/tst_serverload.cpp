// SPDX-License-Identifier: MIT
// Many devices of one user writing to decksync-server at once (bounded, loopback only): no
// update is lost and every write gets its own revision.
#include "serverdatabase.h"
#include "serverprocess.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestServerLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void concurrentWritesLoseNothing_data();
    void concurrentWritesLoseNothing();
};

void TestServerLoad::concurrentWritesLoseNothing_data()
{
    QTest::addColumn<int>("devices");
    QTest::addColumn<int>("writesPerDevice");
    QTest::addColumn<int>("brokenEvery"); // every Nth write of a device is refused (0: none)
    QTest::newRow("4 devices x 25") << 4 << 25 << 0;
    QTest::newRow("16 devices x 8") << 16 << 8 << 0;
    // The server commits the writes that wait together in one transaction: a refused one in
    // the middle of them must leave no trace and take none of the others with it.
    QTest::newRow("16 devices x 8, every third refused") << 16 << 8 << 3;
}

void TestServerLoad::concurrentWritesLoseNothing()
{
    QFETCH(int, devices);
    QFETCH(int, writesPerDevice);
    QFETCH(int, brokenEvery);
    QTemporaryDir dir;
    QString why;
    const QString db = serverdb::create(dir.filePath(u"server.sqlite"_s), &why);
    QVERIFY2(!db.isEmpty(), qPrintable(why));
    ServerProcess server(db);
    const QByteArray token = server.addUser(u"maya@example.com"_s);
    const QString base = server.start();
    QVERIFY(!base.isEmpty());

    // Each device adds its own achievements (append-only: nothing of another device is
    // deleted), all requests in flight at once.
    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    QList<QNetworkReply*> replies;
    QList<bool> broken;
    QSet<QString> sent;
    for (int d = 0; d < devices; ++d) {
        nams.push_back(std::make_unique<QNetworkAccessManager>());
        for (int w = 0; w < writesPerDevice; ++w) {
            const QString id = decksync::Uuid::fromHalves(0x1111222233334444ull + static_cast<quint64>(d),
                                                          0x8000000000000000ull | static_cast<quint64>(w))
                                   .toString()
                                   .c_str();
            const bool refused = brokenEvery > 0 && w % brokenEvery == brokenEvery - 1;
            if (!refused)
                sent.insert(id);
            const QJsonObject item{{u"id"_s, id}, {u"user_id"_s, u"6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f"_s},
                                   {u"achievement_type"_s, u"streak"_s}, {u"earned_at"_s, u"2024-06-01T10:00:00Z"_s},
                                   {u"title"_s, QJsonValue::Null}, {u"deck_id"_s, QJsonValue::Null}};
            const QJsonObject body{{u"data"_s, QJsonArray{item}}, {u"last_sync"_s, QJsonValue::Null}};
            QNetworkRequest r(QUrl(base + u"/sync/achievements"_s));
            r.setRawHeader("Authorization", "Bearer " + token);
            r.setRawHeader("X-Device-Id", "device-" + QByteArray::number(d));
            r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            // A refused write: a second item with the same id, which the server refuses (400).
            const QJsonObject twice{{u"data"_s, QJsonArray{item, item}}, {u"last_sync"_s, QJsonValue::Null}};
            replies << nams.back()->post(r, QJsonDocument(refused ? twice : body).toJson(QJsonDocument::Compact));
            broken << refused;
        }
    }
    QSet<qint64> revisions;
    for (qsizetype i = 0; i < replies.size(); ++i) {
        QNetworkReply* reply = replies[i];
        if (!reply->isFinished()) {
            QSignalSpy done(reply, &QNetworkReply::finished);
            QVERIFY(done.wait(60000));
        }
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), broken[i] ? 400 : 200);
        if (broken[i]) {
            reply->deleteLater();
            continue;
        }
        QByteArray etag = reply->rawHeader("ETag");
        revisions.insert(etag.replace('"', "").toLongLong());
        reply->deleteLater();
    }
    const int total = int(sent.size());
    // Every write got its own revision, 1..total: the writes were serialized.
    QCOMPARE(revisions.size(), total);
    QCOMPARE(*std::min_element(revisions.cbegin(), revisions.cend()), 1);
    QCOMPARE(*std::max_element(revisions.cbegin(), revisions.cend()), total);

    // And the final state holds every achievement: no lost update.
    QNetworkAccessManager nam;
    QNetworkRequest get(QUrl(base + u"/data/achievements"_s));
    get.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply* reply = nam.get(get);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(30000));
    const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(o.value(u"revision"_s).toInteger(), total);
    QSet<QString> stored;
    for (const QJsonValue& v : o.value(u"data"_s).toArray())
        stored.insert(v.toObject().value(u"id"_s).toString());
    QCOMPARE(stored, sent);
    reply->deleteLater();
    QVERIFY(!server.stop().contains(token));
}

QTEST_GUILESS_MAIN(TestServerLoad)
#include "tst_serverload.moc"
