// SPDX-License-Identifier: MIT
// The inspector's writes in a real window (offscreen): whatever the window is asked to do while
// an Apply or a rollback runs, every write finishes, is recorded, and its result is shown; and
// a file that another program changed since it was loaded is not overwritten unless asked.
#include "outcomecheck.h"
#include "samplewindow.h"
#include "testutil.h"

#include "app/services/applywriter.h"
#include "app/services/bytes.h"
#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/rollback.h"
#include "app/services/sideloader.h"
#include "engine/reprobundle.h"
#include "ui/historymodel.h"
#include "ui/applydialog.h"
#include "ui/historyview.h"
#include "ui/conflictview.h"
#include "ui/itemhistorydialog.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QTreeView>
#include <QUndoStack>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace decksync;
using namespace Qt::StringLiterals;

using testutil::decodeFile;
using testutil::fileBytes;

class TestInspectorWrites : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void actionsFollowTheWriteLane();
    void applyIsNeverDropped();
    void rollbackResultIsShown();
    void largeFilesAreReadAgainWhenNeeded();
    void applyQueuedBehindRollbackDoesNotOverwriteIt();
    void atomicWriteFailsWithWhatChanged();
    void outsideEditIsNotOverwritten_data();
    void outsideEditIsNotOverwritten();
    void applyPreviewCountsWhatIsWritten();
    void applyRefusesUnclearTargets_data();
    void applyRefusesUnclearTargets();
    void itemHistoryWithoutAServer();

private:
    bool loadSamples();
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromUtf8(name)); }
    InspectorSession* session() const { return m_window->session(); }
    /// Holds the write lane until the returned ticket is let go, as a long write would.
    WriteTicket holdWriteLane();
    int historyRows() const;
    /// Applies the engine's result to both files; the history id of the run, or 0.
    qint64 applyOnce();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestInspectorWrites::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestInspectorWrites::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = openSampleWindow(*m_dir, QSize(1280, 800));
    QVERIFY(m_window);
}

void TestInspectorWrites::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

bool TestInspectorWrites::loadSamples()
{
    QSignalSpy loaded(session(), &InspectorSession::snapshotChanged);
    return m_window->openPair(path("local.json"), path("server.json")) && loaded.wait(10000);
}

WriteTicket TestInspectorWrites::holdWriteLane()
{
    WriteTicket held;
    session()->operations()->write(u"a long write"_s, [&held](WriteTicket t) { held = t; });
    return held;
}

int TestInspectorWrites::historyRows() const
{
    HistoryStore store;
    if (!store.open(path("history.sqlite")))
        return -1;
    const Outcome<QList<HistorySummary>> runs = store.list();
    return runs ? static_cast<int>(runs->size()) : -1;
}

qint64 TestInspectorWrites::applyOnce()
{
    QSignalSpy applied(session(), &InspectorSession::applied);
    session()->apply(path("server.json"), path("local.json"));
    if (!applied.wait(10000))
        return 0;
    if (!QTest::qWaitFor([this] { return session()->operations()->isIdle(); }, 10000))
        return 0;
    return applied.at(0).at(0).toLongLong();
}

void TestInspectorWrites::actionsFollowTheWriteLane()
{
    QVERIFY(loadSamples());
    const char* names[] = {"actionOpenLocal", "actionOpenServer", "actionConnect", "actionExportBundle",
                           "actionApply", "actionRerun"};
    for (const char* name : names)
        QVERIFY2(action(name)->isEnabled(), name);
    WriteTicket held = holdWriteLane();
    QCOMPARE(session()->operations()->state(), OperationState::Writing);
    for (const char* name : names)
        QVERIFY2(!action(name)->isEnabled(), name);
    QVERIFY(!m_window->findChild<QPushButton*>(u"rollbackButton"_s)->isEnabled());
    held.setPhase(OperationState::Pushing); // a push to the live server is a write too
    for (const char* name : names)
        QVERIFY2(!action(name)->isEnabled(), name);
    held = WriteTicket();
    QTRY_COMPARE(session()->operations()->state(), OperationState::Idle);
    for (const char* name : names)
        QVERIFY2(action(name)->isEnabled(), name);
}

void TestInspectorWrites::applyIsNeverDropped()
{
    QVERIFY(loadSamples());
    QSignalSpy applied(session(), &InspectorSession::applied);
    QSignalSpy exported(session(), &InspectorSession::bundleExported);
    WriteTicket held = holdWriteLane(); // Apply waits behind it, as behind a long write
    session()->apply(path("server.json"), path("local.json"));
    // What the window could be asked meanwhile: the actions are off, and what still comes in
    // (a dropped pair, an export, a history row) neither drops nor interleaves with the Apply.
    for (const char* name : {"actionOpenLocal", "actionConnect", "actionExportBundle", "actionApply"})
        action(name)->trigger();
    session()->exportBundle(path("repro.json"));
    m_window->openPair(path("local.json"), path("server.json"));
    m_window->historyView()->refresh();
    m_window->historyView()->table()->setCurrentIndex(m_window->historyView()->model()->index(0, 0));
    QTest::qWait(30);
    QCOMPARE(applied.count(), 0);
    held = WriteTicket();

    QVERIFY(applied.wait(10000));
    QTRY_COMPARE(exported.count(), 1);
    QTRY_VERIFY(session()->operations()->isIdle());
    QCOMPARE(applied.count(), 1);
    QCOMPARE(historyRows(), 1);
    QCOMPARE(m_window->historyView()->model()->rowCount(), 1); // the window shows the record
    QVERIFY(QFile::exists(path("repro.json")));
    // The window shows what was written: the pair loaded again from the written files.
    QCOMPARE(session()->localSide()->exactBytes().value(), fileBytes(path("local.json")));
    QCOMPARE(session()->serverSide()->exactBytes().value(), fileBytes(path("server.json")));
}

void TestInspectorWrites::rollbackResultIsShown()
{
    QVERIFY(loadSamples());
    const QByteArray localBefore = fileBytes(path("local.json"));
    const qint64 run = applyOnce();
    QVERIFY(run > 0);

    // The question is answered later, as a dialog would be; meanwhile history rows are
    // clicked and another pair is asked for.
    std::function<void(RollbackAnswer)> answer;
    QSignalSpy rolledBack(session(), &InspectorSession::rolledBack);
    session()->rollback(run, [&answer](const RollbackPlan&, std::function<void(RollbackAnswer)> a) { answer = std::move(a); });
    QTRY_VERIFY(answer != nullptr);
    HistoryView* history = m_window->historyView();
    history->refresh();
    for (int i = 0; i < 3; ++i)
        history->table()->setCurrentIndex(history->model()->index(0, 0));
    session()->load(path("local.json"), path("server.json"));
    answer(RollbackAnswer::Proceed);

    QVERIFY(rolledBack.wait(10000));
    QTRY_VERIFY(session()->operations()->isIdle());
    QCOMPARE(fileBytes(path("local.json")), localBefore);
    QCOMPARE(historyRows(), 2);
    QTRY_COMPARE(history->model()->rowCount(), 2);
    QVERIFY(history->model()->index(1, 0).data(HistoryModel::RolledBackRole).toBool());
    // The window holds the restored state, not the one from before the rollback.
    QCOMPARE(session()->localSide()->exactBytes().value(), localBefore);
}

// A file over sideloader::heldBytesLimit() keeps only its stamp once decoded. What needs its
// bytes reads them again: the same bytes while the file is unchanged, a refusal naming the
// file once another program changed it, and what it holds now when the person writes over it.
void TestInspectorWrites::largeFilesAreReadAgainWhenNeeded()
{
    const qint64 limit = sideloader::heldBytesLimit();
    sideloader::setHeldBytesLimit(0); // every file counts as large
    const auto restore = qScopeGuard([limit] { sideloader::setHeldBytesLimit(limit); });
    QVERIFY(loadSamples());
    const QByteArray localBefore = fileBytes(path("local.json")), serverBefore = fileBytes(path("server.json"));
    QVERIFY(session()->localSide()->onDisk);
    QVERIFY(session()->localSide()->bytes.isEmpty());
    QVERIFY(session()->serverSide()->onDisk);

    QSignalSpy exported(session(), &InspectorSession::bundleExported);
    QSignalSpy bundleFailed(session(), &InspectorSession::bundleFailed);
    session()->exportBundle(path("repro.json"));
    QVERIFY(exported.wait(10000));
    const Decoded<ReproBundle> bundle = codec::decodeReproBundle(bytesView(fileBytes(path("repro.json"))));
    QVERIFY(bundle.ok());
    // The bundle embeds each document as JSON, without the whitespace around it.
    QCOMPARE(QByteArray::fromStdString(bundle.value().localText), localBefore.trimmed());
    QCOMPARE(QByteArray::fromStdString(bundle.value().serverText), serverBefore.trimmed());

    const qint64 first = applyOnce();
    QVERIFY(first > 0);
    HistoryStore store;
    QVERIFY(store.open(path("history.sqlite")));
    QCOMPARE(store.load(first).value().localBefore, localBefore);
    QCOMPARE(store.load(first).value().serverBefore, serverBefore);

    // The window reloaded the written pair; another program edits the local file.
    QVERIFY(session()->localSide()->onDisk);
    const QByteArray outside = fileBytes(path("local.json")).replace("\"last_sync\"", "\"edited_elsewhere\": true, \"last_sync\"");
    QVERIFY(testutil::putFileBytes(path("local.json"), outside));
    session()->exportBundle(path("repro2.json"));
    QVERIFY(bundleFailed.wait(10000));
    const QString why = bundleFailed.at(0).at(0).toString();
    QVERIFY2(why.contains(path("local.json")) && why.contains(u"changed on disk since it was loaded"_s), qPrintable(why));
    QVERIFY(!QFile::exists(path("repro2.json")));

    QSignalSpy applied(session(), &InspectorSession::applied);
    session()->apply(path("server.json"), path("local.json"), true); // written over the outside edit
    QVERIFY(applied.wait(10000));
    QCOMPARE(store.load(applied.at(0).at(0).toLongLong()).value().localBefore, outside);
}

void TestInspectorWrites::applyQueuedBehindRollbackDoesNotOverwriteIt()
{
    QVERIFY(loadSamples());
    const QByteArray localBefore = fileBytes(path("local.json"));
    const qint64 run = applyOnce();
    QVERIFY(run > 0);

    // A rollback, and behind it an Apply of what the window showed before the rollback.
    QSignalSpy changed(session(), &InspectorSession::targetsChanged);
    QSignalSpy rolledBack(session(), &InspectorSession::rolledBack);
    QSignalSpy applied(session(), &InspectorSession::applied);
    session()->rollback(run, [](const RollbackPlan&, std::function<void(RollbackAnswer)> a) { a(RollbackAnswer::Proceed); });
    session()->apply(path("server.json"), path("local.json"));
    QVERIFY(rolledBack.wait(10000));
    QTRY_COMPARE(changed.count(), 1);
    QTRY_VERIFY(session()->operations()->isIdle());
    QCOMPARE(fileBytes(path("local.json")), localBefore);
    QCOMPARE(applied.count(), 0);
    QCOMPARE(historyRows(), 2);
}

// The write under Apply and rollback: a checked target that changed fails with
// Failure::Kind::TargetsChanged and its path, before the journal is asked; the journal's own
// failure is passed on; either way nothing is written.
void TestInspectorWrites::atomicWriteFailsWithWhatChanged()
{
    const QString a = path("a.json"), b = path("b.json");
    const QByteArray aBefore = "{\"a\": 1}\n", bBefore = "{\"b\": 1}\n";
    QVERIFY(testutil::putFileBytes(a, aBefore));
    QVERIFY(testutil::putFileBytes(b, bBefore));
    FileContent newA{a, "{\"a\": 2}\n"}, newB{b, "{\"b\": 2}\n"};
    newA.checkPrior = newB.checkPrior = true;
    newA.prior = ContentStamp::of("{\"a\": 0}\n"); // not what a.json holds: another program changed it
    newB.prior = ContentStamp::of(bytesView(bBefore));
    int journalCalls = 0;
    const auto journal = [&journalCalls]() -> Outcome<> {
        ++journalCalls;
        return {};
    };
    const Outcome<> changed = writeFilesAtomically({newA, newB}, journal);
    QVERIFY(!changed);
    QCOMPARE(changed.kind(), Failure::Kind::TargetsChanged);
    QCOMPARE(changed.failure().paths, QStringList{a});
    QVERIFY2(changed.error().contains(u"changed since it was read; nothing was written"_s), qPrintable(changed.error()));
    QCOMPARE(journalCalls, 0);

    newA.prior = ContentStamp::of(bytesView(aBefore));
    const Outcome<> refused = writeFilesAtomically({newA, newB}, [] { return Outcome<>(fail(u"the journal is full"_s)); });
    QVERIFY(!refused);
    QCOMPARE(refused.kind(), Failure::Kind::Error);
    QVERIFY2(refused.error().contains(u"the journal is full"_s), qPrintable(refused.error()));
    QCOMPARE(fileBytes(a), aBefore);
    QCOMPARE(fileBytes(b), bBefore);

    QString error;
    QVERIFY2(testutil::check(writeFilesAtomically({newA, newB}, journal), &error), qPrintable(error));
    QCOMPARE(journalCalls, 1);
    QCOMPARE(fileBytes(a), newA.bytes);
    QCOMPARE(fileBytes(b), newB.bytes);
}

void TestInspectorWrites::outsideEditIsNotOverwritten_data()
{
    QTest::addColumn<QString>("edited"); // which file another program changes after the load
    QTest::addColumn<bool>("deleteIt");
    QTest::newRow("local edited") << u"local.json"_s << false;
    QTest::newRow("server edited") << u"server.json"_s << false;
    QTest::newRow("local deleted") << u"local.json"_s << true;
}

void TestInspectorWrites::outsideEditIsNotOverwritten()
{
    QFETCH(QString, edited);
    QFETCH(bool, deleteIt);
    QVERIFY(loadSamples());
    const QString target = m_dir->filePath(edited);
    const QByteArray outside = fileBytes(target).replace("\"last_sync\"", "\"edited_elsewhere\": true, \"last_sync\"");
    if (deleteIt)
        QVERIFY(QFile::remove(target));
    else
        QVERIFY(testutil::putFileBytes(target, outside));
    const QByteArray otherBefore = fileBytes(path(edited == u"local.json" ? "server.json" : "local.json"));

    QSignalSpy changed(session(), &InspectorSession::targetsChanged);
    QSignalSpy applied(session(), &InspectorSession::applied);
    session()->apply(path("server.json"), path("local.json"));
    QVERIFY(changed.wait(10000));
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList{target});
    QCOMPARE(QFile::exists(target), !deleteIt);
    if (!deleteIt)
        QCOMPARE(fileBytes(target), outside);
    QCOMPARE(fileBytes(path(edited == u"local.json" ? "server.json" : "local.json")), otherBefore);
    QCOMPARE(historyRows(), 0);

    // The window asks; Overwrite writes the result over the change.
    QMessageBox* prompt = nullptr;
    QTRY_VERIFY((prompt = m_window->findChild<QMessageBox*>(u"targetsChangedPrompt"_s)) != nullptr);
    QVERIFY(prompt->text().contains(target));
    prompt->findChild<QAbstractButton*>(u"overwriteChanged"_s)->click();
    QVERIFY(applied.wait(10000));
    QVERIFY(fileBytes(target) != outside);
    QCOMPARE(historyRows(), 1);
}

void TestInspectorWrites::applyPreviewCountsWhatIsWritten()
{
    QVERIFY(loadSamples());
    const auto snapshot = session()->snapshot();
    // Keep the device's copy of every deck, so that the counts differ from the engine's.
    std::vector<Uuid> decks;
    for (const ItemRow& row : snapshot->view(DataType::Decks).rows())
        decks.push_back(row.id);
    session()->resolveMany(DataType::Decks, decks, Side::Local, u"keep local"_s);
    const Dataset expected = snapshot->resolvedServerState(session()->resolutions());

    action("actionApply")->trigger();
    ApplyDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ApplyDialog*>(u"applyDialog"_s)) != nullptr);
    QVERIFY(dialog->isVisible()); // open before the counts are made
    QTRY_VERIFY(dialog->isReady());
    auto* summary = dialog->findChild<QTableWidget*>(u"applySummary"_s);
    for (std::size_t t = 0; t < std::size(AllDataTypes); ++t) {
        const DataType type = AllDataTypes[t];
        const int row = static_cast<int>(t);
        QCOMPARE(summary->item(row, 1)->text(), u"%1 → %2"_s.arg(itemCount(snapshot->server(), type))
                                                    .arg(itemCount(expected, type)));
        QCOMPARE(summary->item(row, 2)->text(), u"%1 → %2"_s.arg(itemCount(snapshot->local(), type))
                                                    .arg(itemCount(expected, type)));
        QCOMPARE(summary->item(row, 3)->text(), QString::number(type == DataType::Decks ? decks.size() : 0));
    }
    QSignalSpy applied(session(), &InspectorSession::applied);
    dialog->findChild<QPushButton*>(u"applyButton"_s)->click();
    QVERIFY(applied.wait(10000));
    QCOMPARE(itemCount(decodeFile(path("server.json")), DataType::Decks), itemCount(expected, DataType::Decks));
}

void TestInspectorWrites::applyRefusesUnclearTargets_data()
{
    QTest::addColumn<QString>("serverOut");
    QTest::addColumn<QString>("localOut");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one file for both") << u"local.json"_s << u"local.json"_s << u"cannot both go to"_s;
    QTest::newRow("no server file") << QString() << u"local.json"_s << u"Say where the new states go"_s;
    QTest::newRow("no local file") << u"server.json"_s << QString() << u"Say where the new states go"_s;
}

void TestInspectorWrites::applyRefusesUnclearTargets()
{
    QFETCH(QString, serverOut);
    QFETCH(QString, localOut);
    QFETCH(QString, expected);
    QVERIFY(loadSamples());
    const QByteArray before = fileBytes(path("local.json"));
    QSignalSpy failed(session(), &InspectorSession::applyFailed);
    session()->apply(serverOut.isEmpty() ? QString() : m_dir->filePath(serverOut),
                     localOut.isEmpty() ? QString() : m_dir->filePath(localOut));
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(expected), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(fileBytes(path("local.json")), before);
    QCOMPARE(historyRows(), 0);
}

// Without a live server the item's history is this computer's runs, and says how to see more;
// a version from it becomes the item's result.
void TestInspectorWrites::itemHistoryWithoutAServer()
{
    QVERIFY(loadSamples());
    const Uuid biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
    QVERIFY(m_window->select(DataType::Decks, biology));
    m_window->conflictView()->keepLocal();
    QVERIFY(applyOnce() > 0);
    QVERIFY(m_window->select(DataType::Decks, biology));
    m_window->conflictView()->findChild<QPushButton*>(u"itemHistory"_s)->click();
    ItemHistoryDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ItemHistoryDialog*>()) && dialog->isVisible());
    QVERIFY2(dialog->windowTitle() == u"History of decks \"Biology: cells\""_s
                 || dialog->windowTitle() == u"History of decks \"Biology: the cell\""_s,
             qPrintable(dialog->windowTitle()));
    QAbstractItemModelTester tester(dialog->list()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(dialog->status()->text(), u"1 change. Connect to the server to see its revisions too."_s);
    const QAbstractItemModel* model = dialog->list()->model();
    QCOMPARE(model->index(0, 1).data().toString(), u"Sync #1 on this computer"_s);
    QCOMPARE(model->index(0, 2).data().toString(), u"the server's copy"_s);

    // The server's copy before that run: the server's Biology deck, now the item's result.
    const int steps = session()->undoStack()->count();
    dialog->useSelected(false);
    QCOMPARE(session()->undoStack()->count(), steps + 1);
    const ItemResolution* resolution = session()->resolutions().find(DataType::Decks, biology);
    QVERIFY(resolution);
    const Dataset server = decodeFile(path("server.json")); // as the run wrote it: the device's deck
    ResolutionSet only;
    only.set(DataType::Decks, biology, *resolution);
    const Dataset resolved = session()->snapshot()->resolvedServerState(only);
    const auto biologyIn = [&](const Dataset& d) -> const Deck* {
        const auto it = std::find_if(d.decks.begin(), d.decks.end(), [&](const Deck& x) { return x.id == biology; });
        return it == d.decks.end() ? nullptr : &*it;
    };
    QVERIFY(biologyIn(resolved) && biologyIn(server));
    QCOMPARE(QString::fromStdString(biologyIn(resolved)->title), u"Biology: cells"_s);
    QCOMPARE(biologyIn(resolved)->version, std::int64_t(3));
    QCOMPARE(QString::fromStdString(biologyIn(server)->title), u"Biology: the cell"_s);
    session()->undoStack()->undo();
    QVERIFY(!session()->resolutions().find(DataType::Decks, biology));
}

QTEST_MAIN(TestInspectorWrites)
#include "tst_inspectorwrites.moc"
