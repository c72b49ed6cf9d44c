// SPDX-License-Identifier: MIT
// The inspector connected to a real decksync-server on loopback, in a real window.
#include "clirun.h"
#include "serverdatabase.h"
#include "serverprocess.h"
#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "app/services/serverclient.h"
#include "app/services/tokenstore.h"
#include "ui/conflictview.h"
#include "ui/connectdialog.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/itemeventmodel.h"
#include "ui/itemhistorydialog.h"
#include "ui/mainwindow.h"
#include "ui/serverhistorydialog.h"
#include "ui/runoptionsbar.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTextBrowser>
#include <QUndoStack>
#include <QTreeView>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestInspectorConnected : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openLocalWhileConnected();
    void runSyncAgainFetchesAgain();
    void refusedTokenOpensNoFeed();
    void statusNamesTheRevision();
    void remoteChangeInPlainWords_data();
    void remoteChangeInPlainWords();
    void connectDialogFindsUsers();
    void serverHistoryComparesAndRestores();
    void itemHistoryShowsRunsAndRevisions();
    void rollbackAfterTheServerMoved_data();
    void rollbackAfterTheServerMoved();

private:
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }
    bool waitForSync();
    /// What the user's phone writes to the server over revision `ifMatch`: the new revision, or
    /// -1 when it was not taken.
    qint64 writeFromPhone(const QByteArray& document, qint64 ifMatch);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<MainWindow> m_window;
    QByteArray m_token;
    QString m_base;
};

void TestInspectorConnected::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestInspectorConnected::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerProcess>(serverdb::createIn(m_dir->path()));
    m_token = m_server->addUser(u"maya@example.com"_s);
    const QString base = m_server->start();
    QVERIFY(base.startsWith(u"http://127.0.0.1:"_s));
    m_base = base;
    for (const char* name : {"local.json", "other.json"}) {
        QVERIFY(QFile::copy(QString::fromStdString(testutil::samplePath("local.json")), path(name)));
        QFile::setPermissions(path(name), QFile::ReadOwner | QFile::WriteOwner);
    }
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setHistoryPath(path("history.sqlite"));
    m_window->runOptions()->setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    m_window->resize(1024, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->serverClient()->setConnection({QUrl(base), QString::fromLatin1(m_token), {}, u"inspector-test"_s});
}

void TestInspectorConnected::cleanup()
{
    m_window.reset();
    const QByteArray log = m_server->stop();
    if (QTest::currentTestFailed())
        qWarning("server output:\n%s", log.constData());
    m_server.reset();
    m_dir.reset();
}

qint64 TestInspectorConnected::writeFromPhone(const QByteArray& document, qint64 ifMatch)
{
    ServerClient phone;
    phone.setConnection({m_window->serverClient()->connection().baseUrl, QString::fromLatin1(m_token), {}, u"phone"_s});
    QSignalSpy pushed(&phone, &ServerClient::pushed);
    phone.push(document, ifMatch);
    return pushed.wait(ServerProcess::TimeoutMs) ? pushed.at(0).at(1).toLongLong() : -1;
}

bool TestInspectorConnected::waitForSync()
{
    QSignalSpy loaded(m_window->session(), &InspectorSession::snapshotChanged);
    return loaded.wait(ServerProcess::TimeoutMs);
}

// Issue: after connecting, File > Open local dataset opened the server's address as a file.
// A local file opened while connected is synced against the same server instead.
void TestInspectorConnected::openLocalWhileConnected()
{
    QSignalSpy failed(m_window->session(), &InspectorSession::loadFailed);
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    QVERIFY(m_window->session()->serverIsRemote());

    m_window->openSide(true, path("other.json"));
    QVERIFY(waitForSync());
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(m_window->session()->localSide()->path, path("other.json"));
    QVERIFY(m_window->session()->serverIsRemote());
    QVERIFY(m_window->session()->serverSide()->path.startsWith(u"http://127.0.0.1:"_s));
}

// Issue: in server mode, F5 ("Run sync again") re-ran on the old fetch; only the small
// button in the status bar fetched again.
void TestInspectorConnected::runSyncAgainFetchesAgain()
{
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    const auto firstFetch = m_window->session()->serverSide();
    QVERIFY(firstFetch);
    auto* rerun = m_window->findChild<QAction*>(u"actionRerun"_s);
    QVERIFY(rerun && rerun->isEnabled());
    QVERIFY2(rerun->text().contains(u"Fetch"_s), qPrintable(rerun->text()));

    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QVERIFY(waitForSync());
    QVERIFY(m_window->session()->serverIsRemote());
    QVERIFY2(m_window->session()->serverSide() != firstFetch, "the sync ran again on the old fetch");
}

// Issue: after a refused connect (401) the feed retried 207 times in the background with the
// bad token, and nothing said so. A fetch that fails leaves no feed behind.
void TestInspectorConnected::refusedTokenOpensNoFeed()
{
    ServerClient* client = m_window->serverClient();
    ServerConnection bad = client->connection();
    bad.token = u"not-a-token"_s;
    client->setConnection(bad);
    QSignalSpy failed(m_window->session(), &InspectorSession::loadFailed);
    m_window->connectToServer(path("local.json"));
    QVERIFY(failed.wait(ServerProcess::TimeoutMs));
    QVERIFY(!client->feedWanted());
    QTest::qWait(300);
    QVERIFY(!client->feedWanted());

    // With the right token the feed opens once the fetch has worked.
    bad.token = QString::fromLatin1(m_token);
    client->setConnection(bad);
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    QVERIFY(client->feedWanted());
}

// Issue: the status bar showed the URL but not the revision.
void TestInspectorConnected::statusNamesTheRevision()
{
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    auto* sources = m_window->findChild<QLabel*>(u"sources"_s);
    QVERIFY(sources);
    const qint64 revision = m_window->session()->serverSide()->revision;
    QVERIFY(revision >= 0);
    QVERIFY2(sources->text().contains(u"revision %1"_s.arg(revision)), qPrintable(sources->text()));
}

void TestInspectorConnected::remoteChangeInPlainWords_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("expected");
    QTest::newRow("a whole state") << u"all"_s << u"Another device synced with the server (revision 3): fetch again"_s;
    QTest::newRow("one type") << u"decks"_s << u"Another device changed the decks on the server (revision 3): fetch again"_s;
}

// Issue: "Another device wrote all (revision 3)" was worded oddly.
void TestInspectorConnected::remoteChangeInPlainWords()
{
    QFETCH(QString, type);
    QFETCH(QString, expected);
    Q_EMIT m_window->session()->remoteChanged(type, 3);
    auto* button = m_window->findChild<QPushButton*>(u"remoteChanged"_s);
    QVERIFY(button);
    QCOMPARE(button->text(), expected);
}

void TestInspectorConnected::connectDialogFindsUsers()
{
    const QByteArray support = m_server->addUser(u"lee@example.com"_s, u"support"_s);
    m_server->addUser(u"mark@example.com"_s);
    QVERIFY(!support.isEmpty());
    TokenStore tokens;
    ConnectDialog dialog(ServerConnection{QUrl(m_base), QString::fromLatin1(support), {}, {}}, path("local.json"),
                         &tokens);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* actAs = dialog.findChild<QLineEdit*>(u"actAs"_s);
    auto* find = dialog.findChild<QPushButton*>(u"findUsers"_s);
    auto* list = dialog.findChild<QTreeView*>(u"userList"_s);
    auto* status = dialog.findChild<QLabel*>(u"userStatus"_s);
    QVERIFY(actAs && find && list && status);
    QAbstractItemModelTester tester(list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!list->isVisible());

    // "ma" finds Mark and Maya, by email, with what support needs to pick one.
    actAs->setText(u"ma"_s);
    find->click();
    QTRY_VERIFY(list->isVisible());
    QTRY_COMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->index(0, 0).data().toString(), u"mark@example.com"_s);
    QCOMPARE(list->model()->index(1, 0).data().toString(), u"maya@example.com"_s);
    QCOMPARE(list->model()->index(0, 1).data().toString(), u"never"_s);
    QCOMPARE(list->model()->index(0, 4).data().toString(), u"No data yet"_s);
    QVERIFY(!status->isVisible());

    // Typing on follows the list; choosing a row fills in the user.
    QTest::keyClicks(actAs, u"y"_s);
    QTRY_COMPARE(list->model()->rowCount(), 1);
    list->setCurrentIndex(list->model()->index(0, 0));
    QCOMPARE(actAs->text(), u"maya@example.com"_s);
    QCOMPARE(dialog.connection().actAs, u"maya@example.com"_s);

    QTest::keyClicks(actAs, u"zz"_s);
    QTRY_COMPARE(list->model()->rowCount(), 0);
    QTRY_VERIFY(status->isVisible());
    QVERIFY2(status->text().contains(u"maya@example.comzz"_s), qPrintable(status->text()));

    // A user's own token cannot list the others: said in words, and the email can be typed.
    auto* token = dialog.findChild<QLineEdit*>(u"serverToken"_s);
    token->setText(QString::fromLatin1(m_token));
    find->click();
    QTRY_VERIFY(status->text().contains(u"Only a support token"_s));
}

void TestInspectorConnected::serverHistoryComparesAndRestores()
{
    auto* action = m_window->findChild<QAction*>(u"actionServerHistory"_s);
    QVERIFY(action);
    QVERIFY(!action->isEnabled()); // not connected yet
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    // Revision 1: the device's data; revision 2: another device's.
    QCOMPARE(writeFromPhone(clirun::readBytes(path("local.json")), 0), 1);
    QCOMPARE(writeFromPhone(clirun::readBytes(clirun::sample("server.json")), 1), 2);
    QTRY_VERIFY(action->isEnabled());
    action->trigger();
    ServerHistoryDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ServerHistoryDialog*>()) && dialog->isVisible());
    auto* list = dialog->findChild<QTreeView*>(u"revisionList"_s);
    auto* changes = dialog->findChild<QPlainTextEdit*>(u"revisionChanges"_s);
    auto* compare = dialog->findChild<QPushButton*>(u"compareRevisions"_s);
    auto* restore = dialog->findChild<QPushButton*>(u"restoreRevision"_s);
    QVERIFY(list && changes && compare && restore);
    QAbstractItemModelTester tester(list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->index(0, 0).data().toInt(), 2); // newest first
    QCOMPARE(list->model()->index(0, 3).data().toString(), u"phone"_s);
    QCOMPARE(list->model()->index(0, 4).data().toString(), u"Replaced all data"_s);
    QVERIFY(!restore->isEnabled()); // nothing chosen

    // One revision: what it changed, with the items by name.
    list->setCurrentIndex(list->model()->index(0, 0));
    QVERIFY(compare->isEnabled());
    QVERIFY(!restore->isEnabled()); // the newest is what the user has
    compare->click();
    QTRY_VERIFY(changes->toPlainText().startsWith(u"From revision 1 to revision 2"_s));
    QVERIFY2(changes->toPlainText().contains(u"decks:"_s) && !changes->toPlainText().contains(u"no change"_s),
             qPrintable(changes->toPlainText()));

    // The same changes item by item; one deleted deck comes back as it was at revision 1.
    auto* items = dialog->findChild<QTreeView*>(u"revisionItems"_s);
    auto* restoreItem = dialog->findChild<QPushButton*>(u"restoreItem"_s);
    QVERIFY(items && restoreItem);
    QAbstractItemModelTester itemTester(items->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(items->model()->rowCount() > 0);
    QCOMPARE(items->model()->index(0, 2).data().toString(), u"deleted"_s); // the most harmful first
    const QString deckName = items->model()->index(0, 1).data().toString();
    const QString deckId = items->model()->index(0, 1).data(Qt::ToolTipRole).toString();
    QVERIFY(!restoreItem->isEnabled());
    items->setCurrentIndex(items->model()->index(0, 0));
    QVERIFY(restoreItem->isEnabled());
    QVERIFY(restoreItem->text().contains(u"revision 1"_s));
    QSignalSpy restored(dialog, &ServerHistoryDialog::restored);
    const auto confirm = [&](const QString& mentions) {
        QMessageBox* prompt = nullptr;
        QTRY_VERIFY((prompt = dialog->findChild<QMessageBox*>(u"restorePrompt"_s)) && prompt->isVisible());
        QVERIFY2(prompt->text().contains(mentions), qPrintable(prompt->text()));
        prompt->button(QMessageBox::Yes)->click();
    };
    restoreItem->click();
    confirm(deckName);
    QVERIFY(restored.wait(ServerProcess::TimeoutMs));
    QCOMPARE(restored.at(0).at(0).toLongLong(), 3);
    QTRY_COMPARE(m_window->session()->serverSide()->revision, 3);
    const auto& decks = m_window->session()->serverSide()->dataset->decks;
    QVERIFY(std::any_of(decks.begin(), decks.end(), [&](const decksync::Deck& d) {
        return QString::fromStdString(d.id.toString()) == deckId;
    }));

    // Restore revision 1 whole: asked first, written as revision 4, and the window fetches it.
    QTRY_COMPARE(list->model()->rowCount(), 3);
    QCOMPARE(list->model()->index(0, 4).data().toString(), u"Restored revision 1"_s);
    list->setCurrentIndex(list->model()->index(2, 0));
    QVERIFY(restore->isEnabled());
    restore->click();
    confirm(u"revision 1"_s);
    QVERIFY(restored.wait(ServerProcess::TimeoutMs));
    QCOMPARE(restored.at(1).at(0).toLongLong(), 4);
    QTRY_COMPARE(list->model()->rowCount(), 4);
    QTRY_COMPARE(m_window->session()->serverSide()->revision, 4);
}

// Support asked for every run and server revision that touched one deck, with its values
// before and after, and to take that one item back instead of a whole run.
void TestInspectorConnected::itemHistoryShowsRunsAndRevisions()
{
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    // Revision 1: the device's data, from the phone; revision 2: the sample server's.
    QCOMPARE(writeFromPhone(clirun::readBytes(path("local.json")), 0), 1);
    QCOMPARE(writeFromPhone(clirun::readBytes(clirun::sample("server.json")), 1), 2);
    InspectorSession* session = m_window->session();
    session->loadFromServer(path("local.json"));
    QVERIFY(waitForSync());
    // Run #1 from this computer: the device's Biology deck goes to the server (revision 3).
    const decksync::Uuid biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
    QVERIFY(m_window->select(decksync::DataType::Decks, biology));
    m_window->conflictView()->keepLocal();
    QSignalSpy applied(session, &InspectorSession::applied);
    session->apply(QString(), path("local.json"));
    QVERIFY(applied.wait(ServerProcess::TimeoutMs));
    QTRY_VERIFY(session->operations()->isIdle());
    QVERIFY(m_window->select(decksync::DataType::Decks, biology));

    auto* button = m_window->conflictView()->findChild<QPushButton*>(u"itemHistory"_s);
    QVERIFY(button && button->isVisible() && button->isEnabled());
    button->click();
    ItemHistoryDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ItemHistoryDialog*>()) && dialog->isVisible());
    QAbstractItemModel* model = dialog->list()->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY2(dialog->status()->text().startsWith(u"4 changes"_s), qPrintable(dialog->status()->text()));
    QStringList where;
    for (int r = 0; r < model->rowCount(); ++r)
        where << model->index(r, 1).data().toString() + u" | "_s + model->index(r, 2).data().toString() + u" | "_s
                     + model->index(r, 4).data().toString();
    const QString all = where.join(u'\n');
    QVERIFY2(all.contains(u"Sync #1 on this computer | the server's copy | title, content, updated_at changed (version 3 → 2)"_s),
             qPrintable(all));
    QVERIFY2(all.contains(u"Server revision 2: Replaced all data | the server | title, content, updated_at changed (version 2 → 3)"_s),
             qPrintable(all));
    QVERIFY(all.contains(u"Server revision 1: Replaced all data | the server | added"_s));
    QVERIFY(all.contains(u"Server revision 3: "_s));
    int second = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 1).data().toString().startsWith(u"Server revision 2"_s))
            second = r;
    }
    QCOMPARE(model->index(second, 3).data().toString(), u"maya@example.com from phone"_s);
    // The versions are the server's own text, as its codec wrote them (members in their order).
    const ItemEvent& event = static_cast<ItemEventModel*>(model)->event(second);
    QVERIFY(event.before && event.after);
    QVERIFY2(event.after->rfind("{\"id\":\"7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e\",\"user_id\":", 0) == 0,
             event.after->c_str());

    // Its fields before and after, and that version as the result: one undo step.
    dialog->list()->setCurrentIndex(model->index(second, 0));
    const QString details = dialog->details()->toPlainText();
    QVERIFY2(details.contains(u"Biology: the cell"_s) && details.contains(u"Biology: cells"_s), qPrintable(details));
    const int steps = session->undoStack()->count();
    dialog->findChild<QPushButton*>(u"useVersionAfter"_s)->click();
    QCOMPARE(session->undoStack()->count(), steps + 1);
    QVERIFY2(dialog->status()->text().contains(u"Apply writes it"_s), qPrintable(dialog->status()->text()));
    const decksync::ItemResolution* resolution = session->resolutions().find(decksync::DataType::Decks, biology);
    QVERIFY(resolution);
    const decksync::TypeView& view = session->snapshot()->view(decksync::DataType::Decks);
    std::size_t row = 0;
    while (!(view.rows()[row].id == biology))
        ++row;
    QStringList result;
    for (const decksync::FieldRow& f : view.fieldRows(row, resolution)) {
        if (f.spec.name == "title" || f.spec.name == "version")
            result << QString::fromStdString(f.spec.name + '=' + f.result.text);
    }
    QCOMPARE(result, (QStringList{u"title=Biology: cells"_s, u"version=3"_s}));
    dialog->close();
}

// Issue: rolling back a run on the live server after another device wrote said "Server: no
// change", and only after Roll back that the server had moved, with no way forward. The
// question now comes after asking the server, names what would be overwritten, and offers
// the server's history or a rollback over the newer revision.
void TestInspectorConnected::rollbackAfterTheServerMoved_data()
{
    QTest::addColumn<QString>("button");
    QTest::newRow("open the server's history") << u"openServerHistory"_s;
    QTest::newRow("roll back over it") << u"Roll back over revision 3"_s;
}

void TestInspectorConnected::rollbackAfterTheServerMoved()
{
    QFETCH(QString, button);
    InspectorSession* session = m_window->session();
    m_window->connectToServer(path("local.json"));
    QVERIFY(waitForSync());
    // Run #1: the device's data to the empty server (revision 1), then revision 2 from the phone.
    QSignalSpy applied(session, &InspectorSession::applied);
    session->apply(QString(), path("local.json"));
    QVERIFY(applied.wait(ServerProcess::TimeoutMs));
    QTRY_VERIFY(session->operations()->isIdle());
    QCOMPARE(writeFromPhone(clirun::readBytes(clirun::sample("server.json")), 1), 2);
    // One more, so that the rollback goes over revision 3.
    QByteArray third = clirun::readBytes(clirun::sample("server.json"));
    third.replace("Biology: cells", "Biology: cells and tissues");
    QCOMPARE(writeFromPhone(third, 2), 3);

    HistoryView* history = m_window->historyView();
    history->refresh();
    QTRY_COMPARE(history->model()->rowCount(), 1);
    history->table()->setCurrentIndex(history->model()->index(0, 0));
    QSignalSpy rolledBack(session, &InspectorSession::rolledBack);
    QSignalSpy failed(session, &InspectorSession::rollbackFailed);
    history->rollbackSelected();
    QMessageBox* prompt = nullptr;
    QTRY_VERIFY((prompt = m_window->findChild<QMessageBox*>(u"rollbackPrompt"_s)) && prompt->isVisible());
    const QString text = prompt->text();
    QVERIFY2(text.contains(u"The server moved on since run #1"_s) && text.contains(u"revision 3 now"_s), qPrintable(text));
    // By item: what the phone wrote, and what rolling back would overwrite.
    QVERIFY2(text.contains(u"\"Biology: cells and tissues\""_s), qPrintable(text));
    QVERIFY(!text.contains(u"no change"_s));

    QAbstractButton* chosen = nullptr;
    for (QAbstractButton* b : prompt->buttons()) {
        if (b->objectName() == button || b->text() == button)
            chosen = b;
    }
    QVERIFY2(chosen, qPrintable(button));
    chosen->click();
    if (button == u"openServerHistory"_s) {
        ServerHistoryDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<ServerHistoryDialog*>()) && dialog->isVisible());
        QTRY_VERIFY(session->operations()->isIdle());
        QVERIFY(rolledBack.isEmpty() && failed.isEmpty());
        QCOMPARE(history->model()->rowCount(), 1); // nothing was rolled back
        dialog->close();
        return;
    }
    QVERIFY(rolledBack.wait(ServerProcess::TimeoutMs));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    // The server holds what it held before run #1: nothing (revision 4 is the rollback).
    ServerClient reader;
    reader.setConnection({m_window->serverClient()->connection().baseUrl, QString::fromLatin1(m_token), {}, u"r"_s});
    QSignalSpy fetched(&reader, &ServerClient::fetched);
    reader.fetch();
    QVERIFY(fetched.wait(ServerProcess::TimeoutMs));
    QCOMPARE(fetched.at(0).at(2).toLongLong(), 4);
    QVERIFY(!fetched.at(0).at(1).toByteArray().contains("Biology"));
}

QTEST_MAIN(TestInspectorConnected)
#include "tst_inspectorconnected.moc"
