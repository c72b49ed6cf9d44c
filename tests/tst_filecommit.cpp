// SPDX-License-Identifier: MIT
// decksync::FileCommit and the CLI's commit journal, on real files in a scratch folder.
#include "engine/commitjournal.h"
#include "engine/filecommit.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h> // link

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<absent>");
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QStringList entries(const QTemporaryDir& dir) { return QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden); }

} // namespace

class TestFileCommit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void commit_data();
    void commit();
    void refusedByJournal();
    void recoverJournal_data();
    void recoverJournal();
    void unreadableJournalIsKept();
    void laterChangeIsLeftAlone();
    void oldBytesLinkAgesFromItsLink();
    void stampTellsEveryChangeApart_data();
    void stampTellsEveryChangeApart();
};

void TestFileCommit::commit_data()
{
    QTest::addColumn<QByteArray>("aBefore"); // "<absent>": no such file
    QTest::addColumn<QByteArray>("bBefore");
    QTest::addColumn<bool>("bIsFolder");     // b's rename fails after a's
    QTest::addColumn<int>("expectA");        // -1 not checked, 0 expect absent, 1 expect aBefore
    QTest::addColumn<QByteArray>("aChangedTo"); // written to a after the commit opened; empty: not
    QTest::addColumn<int>("status");         // CommitResult::Status
    QTest::addColumn<QByteArray>("aAfter");
    QTest::addColumn<QByteArray>("bAfter");
    QTest::addColumn<QString>("error");

    using S = CommitResult::Status;
    const QByteArray absent("<absent>");
    QTest::newRow("both new") << absent << absent << false << -1 << QByteArray() << int(S::Committed)
                              << QByteArray("new a") << QByteArray("new b") << QString();
    QTest::newRow("both replaced") << QByteArray("old a") << QByteArray("old b") << false << -1 << QByteArray()
                                   << int(S::Committed) << QByteArray("new a") << QByteArray("new b") << QString();
    QTest::newRow("expected bytes hold") << QByteArray("old a") << absent << false << 1 << QByteArray()
                                         << int(S::Committed) << QByteArray("new a") << QByteArray("new b") << QString();
    QTest::newRow("expected absence holds") << absent << absent << false << 0 << QByteArray() << int(S::Committed)
                                            << QByteArray("new a") << QByteArray("new b") << QString();
    QTest::newRow("changed by another program") << QByteArray("old a") << QByteArray("old b") << false << 1
                                                << QByteArray("edited a") << int(S::TargetChanged)
                                                << QByteArray("edited a") << QByteArray("old b")
                                                << u"a.json changed since it was read; nothing was written"_s;
    QTest::newRow("created by another program") << absent << absent << false << 0 << QByteArray("made a")
                                                << int(S::TargetChanged) << QByteArray("made a") << absent
                                                << u"changed since it was read"_s;
    QTest::newRow("second rename fails, first put back") << QByteArray("old a") << absent << true << -1 << QByteArray()
                                                         << int(S::Failed) << QByteArray("old a") << absent
                                                         << u"b.json: Is a directory; nothing was changed"_s;
    QTest::newRow("second rename fails, new first removed") << absent << absent << true << -1 << QByteArray()
                                                            << int(S::Failed) << absent << absent
                                                            << u"nothing was changed"_s;
}

void TestFileCommit::commit()
{
    QFETCH(QByteArray, aBefore);
    QFETCH(QByteArray, bBefore);
    QFETCH(bool, bIsFolder);
    QFETCH(int, expectA);
    QFETCH(QByteArray, aChangedTo);
    QFETCH(int, status);
    QFETCH(QByteArray, aAfter);
    QFETCH(QByteArray, bAfter);
    QFETCH(QString, error);

    QTemporaryDir dir;
    const QString a = dir.filePath(u"a.json"_s), b = dir.filePath(u"b.json"_s);
    if (aBefore != "<absent>")
        writeBytes(a, aBefore);
    if (bBefore != "<absent>")
        writeBytes(b, bBefore);
    if (bIsFolder)
        QVERIFY(QDir(dir.path()).mkdir(u"b.json"_s));
    const QStringList before = entries(dir);

    FileCommit commit({a.toStdString(), b.toStdString()});
    std::string why;
    QVERIFY2(commit.open(&why), why.c_str());
    commit.sink(0).write("new a");
    commit.sink(1).write("new b");
    if (expectA >= 0)
        commit.expect(0, expectA ? std::optional(ContentStamp::of(aBefore.toStdString())) : std::nullopt);
    if (!aChangedTo.isEmpty())
        writeBytes(a, aChangedTo);

    int recorded = 0, replaced = 0, restored = 0;
    std::vector<CommitEntry> seen;
    CommitHooks hooks;
    hooks.beforeReplace = [&](const std::vector<CommitEntry>& e, std::string*) {
        ++recorded;
        seen = e;
        return true;
    };
    hooks.afterReplace = [&] { ++replaced; };
    hooks.afterRestore = [&] { ++restored; };
    const CommitResult result = commit.commit(hooks);
    QCOMPARE(int(result.status), status);
    QVERIFY2(QString::fromStdString(result.error).contains(error), result.error.c_str());
    QCOMPARE(readBytes(a), aAfter);
    if (!bIsFolder)
        QCOMPARE(readBytes(b), bAfter);
    const bool reachedRenames = status != int(CommitResult::Status::TargetChanged);
    QCOMPARE(recorded, reachedRenames ? 1 : 0);
    QCOMPARE(replaced, status == int(CommitResult::Status::Committed) ? 1 : 0);
    QCOMPARE(restored, status == int(CommitResult::Status::Failed) ? 1 : 0);
    if (reachedRenames) {
        // The journal is told where each new file and each old one's link are.
        QCOMPARE(seen.size(), std::size_t(2));
        QCOMPARE(seen[0].existed, aBefore != "<absent>");
        QCOMPARE(seen[0].backup.empty(), aBefore == "<absent>");
        QVERIFY(!seen[1].temporary.empty());
    }
    // No temporary or link is left behind, whatever happened.
    QStringList expected = before;
    for (const QString& name : {u"a.json"_s, u"b.json"_s}) {
        if (QFile::exists(dir.filePath(name)) && !expected.contains(name))
            expected.append(name);
    }
    expected.sort();
    QStringList now = entries(dir);
    now.sort();
    QCOMPARE(now, expected);
}

void TestFileCommit::refusedByJournal()
{
    QTemporaryDir dir;
    const QString a = dir.filePath(u"a.json"_s);
    writeBytes(a, "old a");
    FileCommit commit({a.toStdString()});
    std::string why;
    QVERIFY(commit.open(&why));
    commit.sink(0).write("new a");
    CommitHooks hooks;
    hooks.beforeReplace = [](const std::vector<CommitEntry>&, std::string* error) {
        *error = "the history is full";
        return false;
    };
    const CommitResult result = commit.commit(hooks);
    QCOMPARE(int(result.status), int(CommitResult::Status::Failed));
    QCOMPARE(result.error, std::string("the history is full"));
    QCOMPARE(readBytes(a), QByteArray("old a"));
    QCOMPARE(entries(dir), QStringList{u"a.json"_s});
}

void TestFileCommit::recoverJournal_data()
{
    // Where a run was killed: after which of its two renames.
    QTest::addColumn<int>("renamed");
    QTest::addColumn<bool>("bExisted");
    QTest::newRow("before any rename") << 0 << true;
    QTest::newRow("between the renames") << 1 << true;
    QTest::newRow("after both renames") << 2 << true;
    QTest::newRow("between, second target new") << 1 << false;
    QTest::newRow("after both, second target new") << 2 << false;
}

void TestFileCommit::recoverJournal()
{
    QFETCH(int, renamed);
    QFETCH(bool, bExisted);
    QTemporaryDir dir;
    const QString a = dir.filePath(u"a.json"_s), b = dir.filePath(u"b.json"_s);
    writeBytes(a, "old a");
    if (bExisted)
        writeBytes(b, "old b");
    // Play the commit up to its journal, then the renames by hand, as a killed run leaves them.
    std::vector<CommitEntry> journal;
    {
        FileCommit commit({a.toStdString(), b.toStdString()});
        std::string why;
        QVERIFY(commit.open(&why));
        commit.sink(0).write("new a");
        commit.sink(1).write("new b");
        CommitHooks hooks;
        hooks.beforeReplace = [&](const std::vector<CommitEntry>& e, std::string*) {
            journal = e;
            // Keep the files the killed run would have left: second links (the same files), since
            // the commit cleans up.
            for (const CommitEntry& entry : e) {
                ::link(entry.temporary.c_str(), (entry.temporary + ".keep").c_str());
                if (!entry.backup.empty())
                    ::link(entry.backup.c_str(), (entry.backup + ".keep").c_str());
            }
            return false;
        };
        commit.commit(hooks);
    }
    for (const CommitEntry& e : journal) {
        QVERIFY(QFile::rename(QString::fromStdString(e.temporary) + u".keep"_s, QString::fromStdString(e.temporary)));
        if (!e.backup.empty())
            QVERIFY(QFile::rename(QString::fromStdString(e.backup) + u".keep"_s, QString::fromStdString(e.backup)));
    }
    for (int i = 0; i < renamed; ++i) {
        QFile::remove(QString::fromStdString(journal[std::size_t(i)].target));
        QVERIFY(QFile::rename(QString::fromStdString(journal[std::size_t(i)].temporary),
                              QString::fromStdString(journal[std::size_t(i)].target)));
    }
    const std::string path = commitJournalPath(a.toStdString());
    std::string why;
    QVERIFY2(writeCommitJournal(path, journal, &why), why.c_str());

    const auto putBack = recoverCommitJournal(path, &why);
    QVERIFY2(putBack.has_value(), why.c_str());
    QCOMPARE(*putBack, std::size_t(renamed));
    QCOMPARE(readBytes(a), QByteArray("old a"));
    QCOMPARE(readBytes(b), bExisted ? QByteArray("old b") : QByteArray("<absent>"));
    QStringList expected{u"a.json"_s};
    if (bExisted)
        expected << u"b.json"_s;
    QCOMPARE(entries(dir), expected);
    // Nothing to do the second time.
    QCOMPARE(recoverCommitJournal(path, &why), std::optional<std::size_t>(0));
}

void TestFileCommit::unreadableJournalIsKept()
{
    QTemporaryDir dir;
    const QString journal = dir.filePath(u"merged.json.decksync-journal"_s);
    writeBytes(journal, "{\"entries\": 3}");
    std::string why;
    QVERIFY(!recoverCommitJournal(journal.toStdString(), &why));
    QVERIFY2(QString::fromStdString(why).contains(journal), why.c_str());
    QVERIFY(QFile::exists(journal));
}

void TestFileCommit::laterChangeIsLeftAlone()
{
    // A run was killed after its renames; before the next CLI run, another writer replaced
    // the target again. The journal must not put the old bytes over that newer file.
    QTemporaryDir dir;
    const QString a = dir.filePath(u"a.json"_s);
    writeBytes(a, "old a");
    std::vector<CommitEntry> journal;
    {
        FileCommit commit({a.toStdString()});
        std::string why;
        QVERIFY(commit.open(&why));
        commit.sink(0).write("new a");
        CommitHooks hooks;
        hooks.beforeReplace = [&](const std::vector<CommitEntry>& e, std::string*) {
            journal = e;
            ::link(e[0].backup.c_str(), (e[0].backup + ".keep").c_str());
            return true;
        };
        QVERIFY(commit.commit(hooks).ok());
    }
    QVERIFY(QFile::rename(QString::fromStdString(journal[0].backup) + u".keep"_s, QString::fromStdString(journal[0].backup)));
    const std::string path = commitJournalPath(a.toStdString());
    std::string why;
    QVERIFY(writeCommitJournal(path, journal, &why));
    QVERIFY(commitFiles({{a.toStdString(), "newer a"}}).ok()); // another writer, later

    QVERIFY(!recoverCommitJournal(path, &why));
    QVERIFY2(QString::fromStdString(why).contains(u"changed since the interrupted run"_s), why.c_str());
    QCOMPARE(readBytes(a), QByteArray("newer a"));
    QVERIFY(QFile::exists(QString::fromStdString(path))); // kept, with the earlier bytes it names
}

void TestFileCommit::oldBytesLinkAgesFromItsLink()
{
    // A link to a target's old bytes carries that file's old mtime; it is stale only a while
    // after it was made (a commit may still need it), whatever the mtime says.
    QTemporaryDir dir;
    const QString a = dir.filePath(u"a.json"_s);
    writeBytes(a, "old a");
    QFile file(a);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addDays(-30), QFileDevice::FileModificationTime));
    file.close();
    const std::string link = a.toStdString() + ".decksync-old-AbC123";
    QCOMPARE(::link(a.toLocal8Bit().constData(), link.c_str()), 0);
    QCOMPARE(removeStaleTemporaries(a.toStdString()), std::size_t(0));
    QVERIFY(QFile::exists(QString::fromStdString(link)));
    QCOMPARE(removeStaleTemporaries(a.toStdString(), std::chrono::seconds(0)), std::size_t(1));
    QCOMPARE(readBytes(a), QByteArray("old a"));
}

QTEST_GUILESS_MAIN(TestFileCommit)
// The commit's check compares stamps (ContentStamp), not bytes: a change of any single bit,
// at any position of every tail length the hash treats apart (the 32-byte rounds, the 8-byte
// words, the last bytes), and a change of length alone, give another stamp.
void TestFileCommit::stampTellsEveryChangeApart_data()
{
    QTest::addColumn<int>("length");
    for (const int n : {0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 100})
        QTest::addRow("%d bytes", n) << n;
}

void TestFileCommit::stampTellsEveryChangeApart()
{
    QFETCH(int, length);
    std::string bytes;
    for (int i = 0; i < length; ++i)
        bytes.push_back(static_cast<char>((i * 37 + 11) & 0xff));
    const ContentStamp stamp = ContentStamp::of(bytes);
    QCOMPARE(stamp.size, static_cast<std::uint64_t>(length));
    QVERIFY(ContentStamp::of(std::string(bytes)) == stamp);
    QVERIFY(ContentStamp::of(bytes + '\0') != stamp);
    if (length > 0)
        QVERIFY(ContentStamp::of(std::string_view(bytes).substr(1)) != stamp);
    for (int i = 0; i < length; ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string changed = bytes;
            changed[static_cast<std::size_t>(i)] = static_cast<char>(changed[static_cast<std::size_t>(i)] ^ (1 << bit));
            if (ContentStamp::of(changed).hash == stamp.hash)
                QFAIL(qPrintable(QStringLiteral("bit %1 of byte %2 gives the same hash").arg(bit).arg(i)));
        }
    }
}

#include "tst_filecommit.moc"
