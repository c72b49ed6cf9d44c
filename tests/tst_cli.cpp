// SPDX-License-Identifier: MIT
// The decksync command line, run as a real process.
#include "clirun.h"

#include "engine/commitjournal.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h> // link

using namespace Qt::StringLiterals;

using namespace clirun;

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void syncWritesBothFilesAndSummary();
    void syncIsDeterministic();
    void lastSyncOverride();
    void badInputLeavesOutputsUntouched_data();
    void badInputLeavesOutputsUntouched();
    void usageErrors_data();
    void usageErrors();
    void unwritableOutputFailsCleanly();
    void failedSecondRenameLeavesFirstOutput_data();
    void failedSecondRenameLeavesFirstOutput();
    void interruptedRunIsPutBack();
    void helpAndVersion();
    void replayBundle_data();
    void replayBundle();
};

void TestCli::syncWritesBothFilesAndSummary()
{
    QTemporaryDir dir;
    const QString merged = dir.filePath(u"merged.json"_s);
    const QString report = dir.filePath(u"report.json"_s);
    const Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
                          u"--now"_s, u"2024-06-01T12:00:00Z"_s, u"--out"_s, merged, u"--report"_s, report});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    QVERIFY(r.out.contains(u"last_sync 2024-06-01T08:00:00Z, now 2024-06-01T12:00:00Z, profile seed"_s));
    QVERIFY(r.out.contains(u"decks               7       2       3       2         4       3       1       0"_s));
    QVERIFY(r.out.contains(u"does not hold it, although the server changed it"_s));

    const auto decoded = decksync::loadDatasetFile(merged.toStdString());
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(decoded.value().last_sync, testutil::ts("2024-06-01T12:00:00Z"));
    QCOMPARE(decoded.value().decks.size(), std::size_t(7));
    const QByteArray reportBytes = readBytes(report);
    QVERIFY(reportBytes.contains("\"resolution\": \"UseServer\""));
    QVERIFY(reportBytes.contains("\"explanation\": \"server kept: version 3 > 2\""));
    QVERIFY(reportBytes.contains("\"resolved_at\": \"2024-06-01T12:00:00Z\""));
    // The server file's top-level unknown member travels into the new server state.
    QVERIFY(readBytes(merged).contains("\"revision\": 41"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2); // no temporary files left behind
}

void TestCli::syncIsDeterministic()
{
    QTemporaryDir dir;
    QByteArray outputs[2][2];
    for (int i = 0; i < 2; ++i) {
        const QString merged = dir.filePath(u"m%1.json"_s.arg(i));
        const QString report = dir.filePath(u"r%1.json"_s.arg(i));
        const Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
                              u"--now"_s, u"2024-06-01T12:00:00Z"_s, u"--out"_s, merged, u"--report"_s, report,
                              u"--quiet"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.isEmpty());
        outputs[i][0] = readBytes(merged);
        outputs[i][1] = readBytes(report);
    }
    QVERIFY(!outputs[0][0].isEmpty());
    QCOMPARE(outputs[0][0], outputs[1][0]);
    QCOMPARE(outputs[0][1], outputs[1][1]);
}

void TestCli::lastSyncOverride()
{
    // With last_sync null every local item counts as changed and every server item the device
    // lacks is deleted, each with a deletion-unseen warning.
    QTemporaryDir dir;
    const QString report = dir.filePath(u"r.json"_s);
    const Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
                          u"--now"_s, u"2024-06-01T12:00:00Z"_s, u"--last-sync"_s, u"null"_s, u"--report"_s, report});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"last_sync null"_s));
    QVERIFY(readBytes(report).contains("this device has never synced: it never saw this item"));
}

void TestCli::badInputLeavesOutputsUntouched_data()
{
    QTest::addColumn<QByteArray>("localText");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("not json") << QByteArray("hello") << u"local.json:1:1: unexpected character 'h', expected a value"_s;
    QTest::newRow("truncated") << QByteArray("{\"decks\": [") << u"local.json:1:12: /decks/0: unexpected end of input, expected a value"_s;
    QTest::newRow("seed curl id") << QByteArray(R"({"decks": [{"id": "test", "title": "Local Title"}]})")
                                  << u"local.json:1:19: /decks/0/id: \"test\" is not a UUID"_s;
    QTest::newRow("wrong type") << QByteArray(R"({"last_sync": 5})")
                                << u"local.json:1:15: /last_sync: expected a string, found a number"_s;
    QTest::newRow("impossible date") << QByteArray(R"({"last_sync": "2024-02-30T00:00:00Z"})")
                                     << u"/last_sync: \"2024-02-30T00:00:00Z\" is not a valid date"_s;
}

void TestCli::badInputLeavesOutputsUntouched()
{
    QFETCH(QByteArray, localText);
    QFETCH(QString, expectedError);
    QTemporaryDir dir;
    const QString local = dir.filePath(u"local.json"_s);
    writeBytes(local, localText);
    const QString merged = dir.filePath(u"merged.json"_s);
    const QString report = dir.filePath(u"report.json"_s);
    writeBytes(merged, "previous merged\n"); // an existing output must survive a failed run

    const Run r = runCli({u"sync"_s, u"--local"_s, local, u"--server"_s, sample("server.json"), u"--out"_s, merged,
                          u"--report"_s, report});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(expectedError), qPrintable(r.err));
    QVERIFY(r.err.contains(local));
    QCOMPARE(readBytes(merged), QByteArray("previous merged\n"));
    QVERIFY(!QFile::exists(report));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("no command") << QStringList{} << u"Usage: decksync COMMAND"_s;
    QTest::newRow("unknown command") << QStringList{u"merge"_s} << u"unknown command 'merge'"_s;
    QTest::newRow("missing local") << QStringList{u"sync"_s, u"--server"_s, sample("server.json")}
                                   << u"--local FILE is required"_s;
    QTest::newRow("bad now") << QStringList{u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s,
                                            sample("server.json"), u"--now"_s, u"yesterday"_s}
                             << u"--now: \"yesterday\" is not an RFC 3339 timestamp"_s;
    QTest::newRow("unknown profile") << QStringList{u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s,
                                                    sample("server.json"), u"--profile"_s, u"fast"_s}
                                     << u"unknown profile \"fast\" (available: seed, safe)"_s;
    QTest::newRow("missing file") << QStringList{u"sync"_s, u"--local"_s, u"/nonexistent/l.json"_s, u"--server"_s,
                                                 sample("server.json")}
                                  << u"/nonexistent/l.json: cannot open the file: No such file or directory"_s;
    QTest::newRow("unknown option") << QStringList{u"sync"_s, u"--lokal"_s, u"x"_s} << u"Unknown option 'lokal'"_s;
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expectedError);
    const Run r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(expectedError), qPrintable(r.err));
}

void TestCli::unwritableOutputFailsCleanly()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(u"report.json"_s);
    const Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
                          u"--report"_s, report, u"--out"_s, u"/nonexistent-dir/merged.json"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"/nonexistent-dir/merged.json"_s), qPrintable(r.err));
    // Both outputs or neither: the report is not written when the merged file cannot be.
    QVERIFY(!QFile::exists(report));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

void TestCli::failedSecondRenameLeavesFirstOutput_data()
{
    QTest::addColumn<bool>("mergedExisted");
    QTest::newRow("MERGED existed") << true;
    QTest::newRow("MERGED is new") << false;
}

void TestCli::failedSecondRenameLeavesFirstOutput()
{
    QFETCH(bool, mergedExisted);
    // REPORT is a folder: its new file is written beside it, and only its rename fails, after
    // MERGED's. "A failed run creates, truncates or changes nothing" still holds.
    QTemporaryDir dir;
    const QString merged = dir.filePath(u"merged.json"_s);
    const QString report = dir.filePath(u"report.json"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"report.json"_s));
    if (mergedExisted)
        writeBytes(merged, "previous merged\n");
    const Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"),
                          u"--out"_s, merged, u"--report"_s, report});
    QCOMPARE(r.exitCode, 1);
    if (mergedExisted)
        QCOMPARE(readBytes(merged), QByteArray("previous merged\n"));
    else
        QVERIFY(!QFile::exists(merged));
    QVERIFY2(r.err.contains(report) && r.err.contains(u"nothing was changed"_s), qPrintable(r.err));
    // No temporary, link or journal is left.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), mergedExisted ? 1 : 0);
}

void TestCli::interruptedRunIsPutBack()
{
    // What a run killed between its two renames leaves: MERGED replaced (its old bytes linked
    // aside), REPORT's new file not yet renamed, and the journal.
    QTemporaryDir dir;
    const QString merged = dir.filePath(u"merged.json"_s);
    const QString report = dir.filePath(u"report.json"_s);
    writeBytes(merged, "half-written run\n");
    writeBytes(dir.filePath(u"merged.json.decksync-old-AbC123"_s), "previous merged\n");
    writeBytes(report, "previous report\n");
    writeBytes(dir.filePath(u"report.json.decksync-tmp-QwE456"_s), "new report\n");
    // REPORT's backup is a second link to REPORT itself, as a commit makes it.
    QCOMPARE(::link(report.toLocal8Bit().constData(), (report + u".decksync-old-XyZ789"_s).toLocal8Bit().constData()), 0);
    const std::string m = merged.toStdString(), rep = report.toStdString();
    std::vector<decksync::CommitEntry> entries{
        {m, m + ".decksync-tmp-RtY000", m + ".decksync-old-AbC123", true, decksync::FileIdentity::of(m)},
        {rep, rep + ".decksync-tmp-QwE456", rep + ".decksync-old-XyZ789", true,
         decksync::FileIdentity::of(rep + ".decksync-tmp-QwE456")}};
    std::string why;
    QVERIFY2(decksync::writeCommitJournal(decksync::commitJournalPath(merged.toStdString()), entries, &why), why.c_str());

    // The next run on the same outputs first puts them back, then writes them anew.
    const Run r = runCli({u"sync"_s, u"--local"_s, u"/nonexistent/l.json"_s, u"--server"_s, sample("server.json"),
                          u"--out"_s, merged, u"--report"_s, report});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"interrupted run's outputs were put back"_s), qPrintable(r.err));
    QCOMPARE(readBytes(merged), QByteArray("previous merged\n"));
    QCOMPARE(readBytes(report), QByteArray("previous report\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestCli::helpAndVersion()
{
    Run r = runCli({u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"decksync sync --local L.json --server S.json"_s));
    r = runCli({u"sync"_s, u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"--last-sync <TS>"_s));
    r = runCli({u"--version"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(u"decksync "_s));
}

void TestCli::replayBundle_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");

    QTest::newRow("unchanged") << QByteArray() << QByteArray() << 0 << u"identical: the merged state and the report are byte for byte"_s;
    QTest::newRow("another clock") << QByteArray("\"now\": \"2024-06-01T12:00:00Z\"")
                                   << QByteArray("\"now\": \"2024-06-01T10:00:00Z\"") << 1
                                   << u"merged last_sync: expected 2024-06-01T12:00:00Z, now 2024-06-01T10:00:00Z"_s;
    QTest::newRow("recorded result tampered") << QByteArray("\"total_items\": 7") << QByteArray("\"total_items\": 8")
                                              << 1 << u"decks stats: expected total 8"_s;
    QTest::newRow("bad side") << QByteArray("\"id\": \"3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081\"")
                              << QByteArray("\"id\": \"test\"") << 2 << u"/local/decks/0/id: \"test\" is not a UUID"_s;
    QTest::newRow("bad resolutions") << QByteArray("  \"expected\": {")
                                     << QByteArray("  \"resolutions\": [{\"type\": \"nope\", \"id\": \"x\"}],\n  \"expected\": {")
                                     << 2 << u"/resolutions/0/type: \"nope\" is not a data type"_s;
    QTest::newRow("not a bundle") << QByteArray("\"format\": \"decksync-repro\"") << QByteArray("\"format\": \"zip\"")
                                  << 2 << u"/format: this is not a DeckSync repro bundle"_s;
}

void TestCli::replayBundle()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString bundle = dir.filePath(u"repro.json"_s);
    Run r = runCli({u"sync"_s, u"--local"_s, sample("local.json"), u"--server"_s, sample("server.json"), u"--now"_s,
                    u"2024-06-01T12:00:00Z"_s, u"--bundle"_s, bundle, u"--quiet"_s});
    QCOMPARE(r.exitCode, 0);
    if (!from.isEmpty()) {
        QByteArray text = readBytes(bundle);
        QVERIFY(text.contains(from));
        writeBytes(bundle, text.replace(from, to));
    }
    r = runCli({u"replay"_s, bundle, u"--out-dir"_s, dir.path()});
    QCOMPARE(r.exitCode, exitCode);
    const QString all = r.out + r.err;
    QVERIFY2(all.contains(expected), qPrintable(all));
    if (exitCode != 2) // the run's own output is there to compare by hand
        QVERIFY(QFile::exists(dir.filePath(u"merged.json"_s)));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
