// SPDX-License-Identifier: MIT
// The README's pictures that need more than the samples: a recorded history, one item's
// history, a live server and its history. Each scene is played in the real window (offscreen, 1280x800) against
// real files and a real decksync-server on loopback, and checks that the window shows what the
// picture's caption says. With DECKSYNC_SCREENSHOTS_DIR set (scripts/screenshots.sh sets it),
// each scene is also saved there as a PNG.
#include "clirun.h"
#include "serverdatabase.h"
#include "serverprocess.h"
#include "samplewindow.h"
#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "app/services/rollback.h"
#include "app/services/serverclient.h"
#include "ui/conflictview.h"
#include "ui/contentdiffview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/itemhistorydialog.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"
#include "ui/serverhistorydialog.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

const Uuid Biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
const Uuid Spanish = testutil::uuid("3f2a9c1e-5b7d-4e8f-a012-3c4d5e6f7081");

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void history();
    void serverConnection();

private:
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }
    InspectorSession* session() const { return m_window->session(); }
    /// Saves `widget` as NAME.png in DECKSYNC_SCREENSHOTS_DIR, when it is set.
    static void save(QWidget* widget, const char* name);
    /// Applies what is resolved to both sides (or to the server); true once it is loaded again.
    bool apply();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestScreenshots::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = openSampleWindow(*m_dir, QSize(1280, 800));
    QVERIFY(m_window);
}

void TestScreenshots::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestScreenshots::save(QWidget* widget, const char* name)
{
    const QString dir = qEnvironmentVariable("DECKSYNC_SCREENSHOTS_DIR");
    if (dir.isEmpty())
        return;
    const QString file = QDir(dir).filePath(QString::fromUtf8(name) + u".png"_s);
    QVERIFY2(widget->grab().save(file), qPrintable(file));
    qInfo("wrote %s", qPrintable(file));
}

bool TestScreenshots::apply()
{
    QSignalSpy applied(session(), &InspectorSession::applied);
    QSignalSpy loaded(session(), &InspectorSession::snapshotChanged);
    session()->apply(path("server.json"), path("local.json"));
    return applied.wait(10000) && (loaded.count() > 0 || loaded.wait(10000))
           && QTest::qWaitFor([this] { return session()->operations()->isIdle(); }, 10000);
}

// "The history: applied syncs and a rollback, conflicts per sync, and what a run changed";
// then the Biology deck's own history.
void TestScreenshots::history()
{
    QSignalSpy loaded(session(), &InspectorSession::snapshotChanged);
    QVERIFY(m_window->openPair(path("local.json"), path("server.json")));
    QVERIFY(loaded.wait(10000));
    // Run 1: the device's Biology deck kept, with a note for the ticket.
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    session()->setNote(DataType::Decks, Biology, u"user confirmed the tablet copy is right"_s, u"Note"_s);
    QVERIFY(apply());
    // Run 2 is rolled back by run 3; run 4 applies again with another clock.
    QVERIFY(apply());
    HistoryView* history = m_window->historyView();
    history->refresh();
    QTRY_COMPARE(history->model()->rowCount(), 2);
    history->table()->setCurrentIndex(history->model()->index(0, 0));
    history->setConfirmer([](const RollbackPlan&) { return HistoryView::Confirm::Proceed; });
    QSignalSpy rolledBack(session(), &InspectorSession::rolledBack);
    history->rollbackSelected();
    QVERIFY(rolledBack.wait(10000));
    QTRY_VERIFY(session()->operations()->isIdle());
    QTRY_VERIFY(session()->hasData());
    m_window->runOptions()->setFixedNow(testutil::ts("2024-06-02T09:00:00Z"));
    session()->setFixedNow(testutil::ts("2024-06-02T09:00:00Z"));
    QVERIFY(apply());

    m_window->tabs()->setCurrentWidget(history);
    history->refresh();
    QTRY_COMPARE(history->model()->rowCount(), 4);
    // The first run, with its resolution and its note in words.
    history->table()->setCurrentIndex(history->model()->index(3, 0));
    QTRY_VERIFY(history->details()->toPlainText().contains(u"user confirmed the tablet copy is right"_s));
    QVERIFY(history->model()->index(2, 0).data(HistoryModel::RolledBackRole).toBool());
    save(m_window.get(), "history");

    // One item's history: the runs that changed the Biology deck, field by field.
    m_window->tabs()->setCurrentIndex(0);
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->findChild<QPushButton*>(u"itemHistory"_s)->click();
    ItemHistoryDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ItemHistoryDialog*>()) && dialog->isVisible());
    QTRY_VERIFY2(dialog->status()->text().startsWith(u"1 change."_s), qPrintable(dialog->status()->text()));
    dialog->list()->setCurrentIndex(dialog->list()->model()->index(0, 0)); // run #1, the only one that changed it
    QVERIFY(dialog->details()->toPlainText().contains(u"Biology: cells"_s));
    save(dialog, "item-history");
    dialog->close();
}

// "Connected to a live decksync-server: the user and the revision in the status bar."
void TestScreenshots::serverConnection()
{
    ServerProcess server(serverdb::createIn(m_dir->path()));
    const QByteArray token = server.addUser(u"maya@example.com"_s);
    const QString base = server.start();
    QVERIFY(base.startsWith(u"http://127.0.0.1:"_s));
    {
        ServerClient phone; // the user's phone wrote the sample server's data
        phone.setConnection({QUrl(base), QString::fromLatin1(token), {}, u"phone"_s});
        QSignalSpy pushed(&phone, &ServerClient::pushed);
        phone.push(clirun::readBytes(path("server.json")), 0);
        QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    }
    m_window->serverClient()->setConnection({QUrl(base), QString::fromLatin1(token), {}, u"inspector"_s});
    QSignalSpy loaded(session(), &InspectorSession::snapshotChanged);
    m_window->connectToServer(path("local.json"));
    QVERIFY(loaded.wait(ServerProcess::TimeoutMs));
    QVERIFY(session()->serverIsRemote());
    auto* diff = m_window->findChild<ContentDiffView*>();
    QVERIFY(diff);
    QSignalSpy diffShown(diff, &ContentDiffView::diffShown);
    QVERIFY(m_window->select(DataType::Decks, Spanish));
    QVERIFY(diffShown.count() > 0 || diffShown.wait(10000)); // the line diff of its content, worked out
    const auto* sources = m_window->findChild<QLabel*>(u"sources"_s);
    QVERIFY(sources);
    QVERIFY2(sources->text().contains(u"revision 1"_s), qPrintable(sources->text()));
    save(m_window.get(), "server-connection");

    // "Server history: the user's revisions with who wrote them and from which device; below,
    // what revision 2 changed, and the same items one by one."
    {
        ServerClient phone;
        phone.setConnection({QUrl(base), QString::fromLatin1(token), {}, u"phone"_s});
        QSignalSpy pushed(&phone, &ServerClient::pushed);
        phone.push(clirun::readBytes(path("local.json")), 1);
        QVERIFY(pushed.wait(ServerProcess::TimeoutMs));
    }
    auto* action = m_window->findChild<QAction*>(u"actionServerHistory"_s);
    QTRY_VERIFY(action && action->isEnabled());
    action->trigger();
    ServerHistoryDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ServerHistoryDialog*>()) && dialog->isVisible());
    auto* list = dialog->findChild<QTreeView*>(u"revisionList"_s);
    auto* changes = dialog->findChild<QPlainTextEdit*>(u"revisionChanges"_s);
    auto* items = dialog->findChild<QTreeView*>(u"revisionItems"_s);
    QVERIFY(list && changes && items);
    QTRY_COMPARE(list->model()->rowCount(), 2);
    list->setCurrentIndex(list->model()->index(0, 0));
    dialog->findChild<QPushButton*>(u"compareRevisions"_s)->click();
    QTRY_VERIFY(changes->toPlainText().startsWith(u"From revision 1 to revision 2"_s));
    QVERIFY(items->model()->rowCount() > 0);
    items->setCurrentIndex(items->model()->index(0, 0));
    QVERIFY(dialog->findChild<QPushButton*>(u"restoreItem"_s)->isEnabled());
    save(dialog, "server-history");
    dialog->close();
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
