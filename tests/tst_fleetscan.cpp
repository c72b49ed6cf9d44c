// SPDX-License-Identifier: MIT
// decksync-server scan: the syncs a server kept, run again through the engine, and the users
// whose syncs hit a pattern that loses data. Real syncs through the real server on loopback,
// then the real binary's scan on the same database (SQLite, or PostgreSQL in the _postgresql
// variant), while the server still runs.
#include "apiclient.h"
#include "serverdatabase.h"
#include "serverprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

const QString kUser = u"11111111-1111-4111-8111-111111111111"_s;

QString itemId(int n) { return u"aaaaaaaa-0000-4000-8000-%1"_s.arg(n, 12, 10, QChar(u'0')); }

QJsonObject deck(int n, const QString& updatedAt, int version = 1)
{
    return {{u"id"_s, itemId(n)}, {u"user_id"_s, kUser}, {u"title"_s, u"Deck %1"_s.arg(n)},
            {u"description"_s, QJsonValue()}, {u"content"_s, u"cards"_s}, {u"created_at"_s, u"2024-01-01T08:00:00Z"_s},
            {u"updated_at"_s, updatedAt}, {u"version"_s, version}};
}

QJsonObject progress(int n, const QString& lastStudied, int version)
{
    return {{u"id"_s, itemId(n)}, {u"user_id"_s, kUser}, {u"deck_id"_s, itemId(1)}, {u"cards_studied"_s, 8},
            {u"cards_mastered"_s, 5}, {u"total_cards"_s, 20}, {u"last_studied"_s, lastStudied},
            {u"streak_days"_s, 3}, {u"total_time_spent"_s, 100}, {u"version"_s, version}};
}

struct ScanRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

/// The findings of the user `email` in a scan's JSON, as "pattern type revision item" lines.
QStringList findingsOf(const QJsonObject& scan, const QString& email)
{
    QStringList out;
    for (const QJsonValue& user : scan[u"users"_s].toArray()) {
        if (user[u"email"_s].toString() != email)
            continue;
        for (const QJsonValue& f : user[u"findings"_s].toArray())
            out << u"%1 %2 %3 %4"_s.arg(f[u"pattern"_s].toString(), f[u"type"_s].toString())
                       .arg(f[u"revision"_s].toInteger())
                       .arg(f[u"item_id"_s].toString());
    }
    return out;
}

} // namespace

class TestFleetScan : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void findsEachPattern();
    void sameBytesForAnyJobs_data();
    void sameBytesForAnyJobs();
    void sinceLeavesOlderSyncsOut();
    void textNamesUsersAndPatterns();
    void uploadsGoWithTheirRevisions();
    void unreadableUploadIsNamed();
    void refusals_data();
    void refusals();

private:
    ScanRun scan(const QStringList& args);
    ApiReply sync(const QByteArray& token, const QString& type, const QJsonValue& data, const QJsonValue& lastSync,
                  const QByteArray& device = "phone");
    /// alice: an unseen deletion at revision 3; bob: study time summed twice at revision 2;
    /// carol: a deck from 2099 (clock skew); dave: syncs that lose nothing.
    void writeFleet();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_db;
    ApiClient m_api;
    QMap<QString, QByteArray> m_tokens;
};

void TestFleetScan::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    m_db = serverdb::create(m_dir->filePath(u"server.sqlite"_s), &why);
    QVERIFY2(!m_db.isEmpty(), qPrintable(why));
    m_server = std::make_unique<ServerProcess>(m_db);
    for (const QString& name : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s}) {
        m_tokens[name] = m_server->addUser(name + u"@example.com"_s);
        QVERIFY(!m_tokens[name].isEmpty());
    }
}

void TestFleetScan::cleanup()
{
    if (m_server) {
        const QByteArray log = m_server->stop();
        if (QTest::currentTestFailed())
            qWarning("server output:\n%s", log.constData());
        m_server.reset();
    }
    QSqlDatabase::removeDatabase(u"probe"_s);
}

ScanRun TestFleetScan::scan(const QStringList& args)
{
    QProcess p;
    p.start(ServerProcess::binary(), QStringList{u"scan"_s, u"--db"_s, m_db} + args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

ApiReply TestFleetScan::sync(const QByteArray& token, const QString& type, const QJsonValue& data,
                             const QJsonValue& lastSync, const QByteArray& device)
{
    const QByteArray body =
        QJsonDocument(QJsonObject{{u"data"_s, data}, {u"last_sync"_s, lastSync}}).toJson(QJsonDocument::Compact);
    const ApiReply r = m_api.send("POST", u"/sync/"_s + type, body, token, {{"X-Device-Id", device}});
    if (r.status != 200)
        qWarning("POST /sync/%s: %d %s", qPrintable(type), r.status, r.body.constData());
    return r;
}

void TestFleetScan::writeFleet()
{
    const QString base = m_server->start();
    QVERIFY2(base.startsWith(u"http://"_s), qPrintable(base));
    m_api.setBase(base);
    // alice: the phone syncs two decks; the tablet edits deck 2; the phone, which never saw
    // that edit, syncs without deck 2 and the seed's rule deletes it.
    QCOMPARE(sync(m_tokens[u"alice"_s], u"decks"_s,
                  QJsonArray{deck(1, u"2024-01-01T10:00:00Z"_s), deck(2, u"2024-01-01T10:00:00Z"_s)}, QJsonValue())
                 .status,
             200);
    QCOMPARE(sync(m_tokens[u"alice"_s], u"decks"_s,
                  QJsonArray{deck(1, u"2024-01-01T10:00:00Z"_s), deck(2, u"2024-01-05T10:00:00Z"_s, 2)},
                  u"2024-01-02T00:00:00Z"_s, "tablet")
                 .status,
             200);
    QCOMPARE(sync(m_tokens[u"alice"_s], u"decks"_s, QJsonArray{deck(1, u"2024-01-01T10:00:00Z"_s)},
                  u"2024-01-03T00:00:00Z"_s)
                 .status,
             200);
    // bob: the same 100 s of study reach the server twice, and are added up.
    QCOMPARE(sync(m_tokens[u"bob"_s], u"progress"_s, QJsonArray{progress(7, u"2024-01-02T10:00:00Z"_s, 1)},
                  QJsonValue())
                 .status,
             200);
    QCOMPARE(sync(m_tokens[u"bob"_s], u"progress"_s, QJsonArray{progress(7, u"2024-01-04T10:00:00Z"_s, 2)},
                  u"2024-01-03T00:00:00Z"_s)
                 .status,
             200);
    // carol: a device whose clock says 2099.
    QCOMPARE(sync(m_tokens[u"carol"_s], u"decks"_s, QJsonArray{deck(5, u"2099-01-01T00:00:00Z"_s)}, QJsonValue())
                 .status,
             200);
    // dave: two plain syncs.
    QCOMPARE(sync(m_tokens[u"dave"_s], u"decks"_s, QJsonArray{deck(6, u"2024-01-01T10:00:00Z"_s)}, QJsonValue())
                 .status,
             200);
    QCOMPARE(sync(m_tokens[u"dave"_s], u"decks"_s,
                  QJsonArray{deck(6, u"2024-01-01T10:00:00Z"_s), deck(7, u"2024-01-06T10:00:00Z"_s)},
                  u"2024-01-05T00:00:00Z"_s)
                 .status,
             200);
}

void TestFleetScan::findsEachPattern()
{
    writeFleet();
    const ScanRun run = scan({u"--json"_s, u"--since"_s, u"2020-01-01T00:00:00Z"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject json = run.json();
    QCOMPARE(json[u"users_scanned"_s].toInteger(), 4);
    QCOMPARE(json[u"syncs_scanned"_s].toInteger(), 8);
    QCOMPARE(json[u"users_hit"_s].toInteger(), 3);
    QCOMPARE(findingsOf(json, u"alice@example.com"_s), QStringList{u"deletion-unseen decks 3 "_s + itemId(2)});
    QCOMPARE(findingsOf(json, u"bob@example.com"_s), QStringList{u"progress-double-count progress 2 "_s + itemId(7)});
    QCOMPARE(findingsOf(json, u"carol@example.com"_s), QStringList{u"clock-skew decks 1 "_s + itemId(5)});
    QVERIFY(findingsOf(json, u"dave@example.com"_s).isEmpty());
    const QJsonObject alice = json[u"users"_s][0].toObject();
    QCOMPARE(alice[u"email"_s].toString(), u"alice@example.com"_s); // ordered by email
    const QJsonObject finding = alice[u"findings"_s][0].toObject();
    QCOMPARE(finding[u"device"_s].toString(), u"phone"_s);
    QVERIFY(finding[u"message"_s].toString().contains(u"never saw"_s));
    QVERIFY(!finding[u"at"_s].toString().isEmpty());
    // The counts per pattern.
    for (const QJsonValue& p : json[u"patterns"_s].toArray()) {
        QCOMPARE(p[u"users"_s].toInteger(), 1);
        QCOMPARE(p[u"items"_s].toInteger(), 1);
    }
    QVERIFY(json[u"problems"_s].toArray().isEmpty());
}

void TestFleetScan::sameBytesForAnyJobs_data()
{
    QTest::addColumn<QString>("jobs");
    QTest::newRow("2 jobs") << u"2"_s;
    QTest::newRow("3 jobs") << u"3"_s;
    QTest::newRow("8 jobs, more than users") << u"8"_s;
}

void TestFleetScan::sameBytesForAnyJobs()
{
    QFETCH(QString, jobs);
    writeFleet();
    const QStringList args{u"--json"_s, u"--since"_s, u"2020-01-01T00:00:00Z"_s};
    const ScanRun one = scan(args + QStringList{u"--jobs"_s, u"1"_s});
    const ScanRun many = scan(args + QStringList{u"--jobs"_s, jobs});
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(many.exitCode, 0);
    QCOMPARE(one.json()[u"users_hit"_s].toInteger(), 3);
    QCOMPARE(many.out, one.out);
}

void TestFleetScan::sinceLeavesOlderSyncsOut()
{
    writeFleet();
    QThread::msleep(20);
    const QString between = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    QThread::msleep(20);
    // A sync after `between` for dave only; it loses nothing.
    QCOMPARE(sync(m_tokens[u"dave"_s], u"decks"_s,
                  QJsonArray{deck(6, u"2024-01-01T10:00:00Z"_s), deck(7, u"2024-01-06T10:00:00Z"_s)},
                  u"2024-01-07T00:00:00Z"_s)
                 .status,
             200);
    const ScanRun run = scan({u"--json"_s, u"--since"_s, between});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.json()[u"users_scanned"_s].toInteger(), 1);
    QCOMPARE(run.json()[u"syncs_scanned"_s].toInteger(), 1);
    QCOMPARE(run.json()[u"users_hit"_s].toInteger(), 0);
    // The default window is the last 7 days: today's syncs are in it.
    QCOMPARE(scan({u"--json"_s}).json()[u"syncs_scanned"_s].toInteger(), 9);
    const ScanRun later = scan({u"--since"_s, u"2999-01-01T00:00:00Z"_s});
    QCOMPARE(later.exitCode, 0);
    QVERIFY2(later.out.contains("Scanned 0 users with 0 syncs") && later.out.contains("No user was hit"),
             later.out.constData());
}

void TestFleetScan::textNamesUsersAndPatterns()
{
    writeFleet();
    const ScanRun run = scan({u"--since"_s, u"2020-01-01T00:00:00Z"_s, u"--jobs"_s, u"2"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString text = QString::fromUtf8(run.out);
    QVERIFY2(text.startsWith(u"Scanned 4 users with 8 syncs since 2020-01-01T00:00:00"_s), qPrintable(text));
    QVERIFY2(text.contains(u"3 users were hit by a pattern that loses data"_s), qPrintable(text));
    const QStringList lines = text.split(u'\n');
    const auto lineOf = [&](const QString& email) {
        for (const QString& l : lines) {
            if (l.startsWith(email))
                return l.simplified();
        }
        return QString();
    };
    QCOMPARE(lineOf(u"alice@"_s), u"alice@example.com deletion-unseen 1 item (decks), revision 3"_s);
    QCOMPARE(lineOf(u"bob@"_s), u"bob@example.com progress-double-count 1 item (progress), revision 2"_s);
    QCOMPARE(lineOf(u"carol@"_s), u"carol@example.com clock-skew 1 item (decks), revision 1"_s);
    QVERIFY(lineOf(u"dave@"_s).isEmpty());
    QVERIFY2(run.err.contains("scanned 4 users and 8 syncs"), run.err.constData());
}

void TestFleetScan::uploadsGoWithTheirRevisions()
{
    // With one revision kept, a sync's state before it is let go once the next write comes,
    // and so is its upload: only the newest sync of each user can be run again.
    const QString base = m_server->start({u"--keep-revisions"_s, u"1"_s});
    QVERIFY2(base.startsWith(u"http://"_s), qPrintable(base));
    m_api.setBase(base);
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(sync(m_tokens[u"alice"_s], u"decks"_s, QJsonArray{deck(1, u"2024-01-0%1T10:00:00Z"_s.arg(i), i)},
                      u"2024-01-0%1T00:00:00Z"_s.arg(i))
                     .status,
                 200);
    {
        QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT revision FROM sync_uploads ORDER BY revision"_s));
        QList<qint64> kept;
        while (q.next())
            kept << q.value(0).toLongLong();
        QCOMPARE(kept, QList<qint64>{3});
        db.close();
    }
    const ScanRun run = scan({u"--json"_s, u"--since"_s, u"2020-01-01T00:00:00Z"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.json()[u"syncs_scanned"_s].toInteger(), 1);
}

void TestFleetScan::unreadableUploadIsNamed()
{
    writeFleet();
    {
        QSqlDatabase db = serverdb::open(m_db, u"probe"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"UPDATE sync_uploads SET body = 'not gzip' WHERE revision = 3 AND user_id ="
                        " (SELECT id FROM users WHERE email = 'alice@example.com')"_s),
                 qPrintable(q.lastError().text()));
        QCOMPARE(q.numRowsAffected(), 1);
        db.close();
    }
    const ScanRun run = scan({u"--json"_s, u"--since"_s, u"2020-01-01T00:00:00Z"_s});
    QCOMPARE(run.exitCode, 2);
    const QJsonObject json = run.json();
    QCOMPARE(json[u"problems"_s].toArray().size(), 1);
    QCOMPARE(json[u"problems"_s][0].toString(),
             u"alice@example.com, revision 3: its stored upload is not a gzip stream"_s);
    QCOMPARE(json[u"syncs_scanned"_s].toInteger(), 7); // the others still ran
    QCOMPARE(json[u"users_hit"_s].toInteger(), 2);
    const ScanRun text = scan({u"--since"_s, u"2020-01-01T00:00:00Z"_s});
    QVERIFY2(text.out.contains("1 sync could not be run again:\n  alice@example.com, revision 3"), text.out.constData());
}

void TestFleetScan::refusals_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("a date that is not one") << QStringList{u"--since"_s, u"yesterday"_s}
                                           << u"--since yesterday is not a time like 2024-06-01T09:30:00Z"_s;
    QTest::newRow("no jobs") << QStringList{u"--jobs"_s, u"0"_s} << u"--jobs 0 is not a number from 1 to 256"_s;
    QTest::newRow("something after scan") << QStringList{u"everyone"_s} << u"usage: decksync-server scan"_s;
}

void TestFleetScan::refusals()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const ScanRun run = scan(args);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestFleetScan)
#include "tst_fleetscan.moc"
