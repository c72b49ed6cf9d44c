// SPDX-License-Identifier: MIT
// SessionStore: the autosaved session comes back as it was saved, and a damaged session file is
// refused with its file, line and column, the JSON Pointer of the bad value and the problem.
#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "app/services/sessionstore.h"
#include "outcomecheck.h"
#include "engine/resolutioncodec.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace

class TestSessionStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void savedSessionComesBack();
    void damagedFileIsRefused_data();
    void damagedFileIsRefused();
    void incompleteSessionIsNotOffered();
    void unreadableFileIsAFailure();

private:
    QTemporaryDir m_dir;
};

void TestSessionStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestSessionStore::savedSessionComesBack()
{
    InspectorSession session;
    session.setHistoryPath(m_dir.filePath(u"history.sqlite"_s));
    const QString file = m_dir.filePath(u"saved/session.json"_s);
    SessionStore store(&session, file);
    session.setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    session.setLastSyncOverride(std::optional<Timestamp>()); // "never synced"
    QSignalSpy loaded(&session, &InspectorSession::snapshotChanged);
    session.load(QString::fromStdString(testutil::samplePath("local.json")),
                 QString::fromStdString(testutil::samplePath("server.json")));
    QVERIFY(loaded.wait(10000));

    // A manual value with quotes, escapes and non-ASCII text, a null one, a removed member.
    const auto resolutions = codec::decodeResolutions(R"([
        {"type": "decks", "id": "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", "base": "local", "fields": [
            {"field": "title", "source": "manual", "value": "Biologie: \"Zellen\" \u00e9\n\t\\"},
            {"field": "description", "source": "manual", "value": null},
            {"field": "tags", "source": "manual"}]},
        {"type": "decks", "id": "3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081", "base": "server", "fields": [
            {"field": "title", "source": "local"}]}
    ])");
    QVERIFY2(resolutions.ok(), resolutions.ok() ? "" : resolutions.error().toString().c_str());
    session.restoreResolutions(resolutions.value());
    QString error;
    QVERIFY2(testutil::check(store.saveNow(), &error), qPrintable(error));
    QVERIFY(QFile::exists(file));

    const auto fromFile = store.load();
    QVERIFY2(fromFile, qPrintable(fromFile.error()));
    const std::optional<SessionState>& saved = *fromFile;
    QVERIFY(saved);
    QCOMPARE(saved->localPath, QString::fromStdString(testutil::samplePath("local.json")));
    QCOMPARE(saved->serverPath, QString::fromStdString(testutil::samplePath("server.json")));
    QCOMPARE(saved->fixedNow, std::optional<Timestamp>(testutil::ts("2024-06-01T12:00:00Z")));
    QVERIFY(saved->lastSyncOverride.has_value());
    QVERIFY(!saved->lastSyncOverride->has_value());
    QVERIFY(saved->resolutions == session.resolutions());
    QCOMPARE(saved->resolutions.size(), std::size_t(2));

    // No override and the system clock: "now" is null and "last_sync" absent.
    session.setFixedNow(std::nullopt);
    session.setLastSyncOverride(std::nullopt);
    QVERIFY2(testutil::check(store.saveNow(), &error), qPrintable(error));
    const auto plain = store.load();
    QVERIFY2(plain, qPrintable(plain.error()));
    QVERIFY(plain->has_value());
    QVERIFY(!(*plain)->fixedNow);
    QVERIFY(!(*plain)->lastSyncOverride);
}

void TestSessionStore::damagedFileIsRefused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); ///< the error after "<file>:"

    QTest::newRow("not an object") << QByteArray("[\"local.json\"]") << u"1:1: expected an object, found an array"_s;
    QTest::newRow("path not a string") << QByteArray("{\"local\": 3}")
                                       << u"1:11: /local: expected a string, found a number"_s;
    QTest::newRow("later line") << QByteArray("{\n  \"local\": \"l.json\",\n  \"server\": [\"s.json\"]\n}")
                                << u"3:13: /server: expected a string, found an array"_s;
    QTest::newRow("bad clock") << QByteArray("{\"local\": \"l.json\", \"server\": \"s.json\", \"now\": \"noon\"}")
                               << u"1:48: /now: \"noon\" is not an RFC 3339 timestamp"_s;
    QTest::newRow("last_sync not a time") << QByteArray("{\"local\": \"l.json\", \"server\": \"s.json\", \"last_sync\": true}")
                                          << u"1:54: /last_sync: expected a string, found a boolean"_s;
    QTest::newRow("bad resolution") << QByteArray("{\n  \"local\": \"l.json\",\n  \"server\": \"s.json\",\n"
                                                  "  \"resolutions\": [\n    {\"type\": \"cards\", \"id\": "
                                                  "\"7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e\"}\n  ]\n}")
                                    << u"5:14: /resolutions/0/type: \"cards\" is not a data type"_s;
    QTest::newRow("resolution without id") << QByteArray("{\"resolutions\": [{\"type\": \"decks\"}]}")
                                           << u"1:18: /resolutions/0: missing field \"id\""_s;
    QTest::newRow("repeated key, the last one counts")
        << QByteArray("{\"local\": \"l.json\", \"local\": null}") << u"1:30: /local: expected a string, found null"_s;
    QTest::newRow("syntax") << QByteArray("{\"local\": \"l.json\",\n \"server\": }")
                            << u"2:12: /server: unexpected character '}', expected a value"_s;
    QTest::newRow("cut short") << QByteArray("{\"local\": \"l.json\"")
                               << u"1:19: unexpected end of input inside an object"_s;
}

void TestSessionStore::damagedFileIsRefused()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    InspectorSession session;
    const QString file = m_dir.filePath(u"session.json"_s);
    writeBytes(file, text);
    SessionStore store(&session, file);
    QString error;
    QVERIFY(testutil::fails(store.load(), &error));
    QVERIFY2(error.startsWith(file + u':'), qPrintable(error));
    QVERIFY2(error.mid(file.size() + 1).startsWith(expected), qPrintable(error));
}

void TestSessionStore::incompleteSessionIsNotOffered()
{
    InspectorSession session;
    const QString file = m_dir.filePath(u"session.json"_s);
    writeBytes(file, "{\"local\": \"l.json\", \"now\": null, \"unknown\": {\"kept\": [1, 2]}}");
    SessionStore store(&session, file);
    QString error;
    const auto incomplete = store.load();
    QVERIFY2(testutil::check(incomplete, &error), qPrintable(error)); // nothing wrong with the file
    QVERIFY(!incomplete->has_value());                                 // but it names no server
    QFile::remove(file);
    const auto none = store.load(); // no file yet: nothing to offer, and nothing wrong
    QVERIFY2(testutil::check(none, &error), qPrintable(error));
    QVERIFY(!none->has_value());
}

// A session file that is there but cannot be read is a failure that says why, not "no session".
void TestSessionStore::unreadableFileIsAFailure()
{
    InspectorSession session;
    const QString file = m_dir.filePath(u"folder-session.json"_s);
    QVERIFY(QDir().mkpath(file)); // a folder where the file should be
    SessionStore store(&session, file);
    QString error;
    QVERIFY(testutil::fails(store.load(), &error));
    QVERIFY2(error.startsWith(file + u": cannot read the file"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSessionStore)
#include "tst_sessionstore.moc"
