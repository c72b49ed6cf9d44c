// SPDX-License-Identifier: MIT
// The inspector against a base, in a real window: the profile box switches the run, a base
// file gives the field table its Base column with each side's changes since the base marked,
// the window says which base it used (or none), and the newest applied sync in the history
// is the base when no file was chosen.
#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "ui/conflictview.h"
#include "ui/fieldrowmodel.h"
#include "ui/mainwindow.h"
#include "ui/profilecomparemodel.h"
#include "ui/profilecompareview.h"
#include "ui/runoptionsbar.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

const char* const Biology = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
const char* const Kana = "9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a";

QString sample(const char* name) { return QString::fromStdString(testutil::samplePath(name)); }

} // namespace

class TestThreeWay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void baseColumnAndMarks();
    void profileBoxSwitchesTheRun();
    void historyGivesTheBase();
    void badBaseIsNamedAndForgotten();
    void seedVersusSafe();

private:
    bool loadSamples();
    bool select(const char* id);
    [[nodiscard]] QString sources() const { return m_window->findChild<QLabel*>(u"sources"_s)->text(); }
    int fieldRow(const char* name) const { return m_fields->rowOf(QString::fromLatin1(name)); }
    QVariant at(const char* field, int column, int role = Qt::DisplayRole) const
    {
        return m_fields->index(fieldRow(field), column).data(role);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    FieldRowModel* m_fields = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestThreeWay::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestThreeWay::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setHistoryPath(m_dir->filePath(u"history.sqlite"_s));
    m_window->runOptions()->setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    m_window->resize(1024, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_fields = m_window->conflictView()->fieldModel();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_fields, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestThreeWay::cleanup()
{
    m_tester.reset();
    m_window.reset();
    m_dir.reset();
}

bool TestThreeWay::loadSamples()
{
    QSignalSpy loaded(m_window->session(), &InspectorSession::snapshotChanged);
    return m_window->openPair(sample("local.json"), sample("server.json")) && loaded.wait(10000);
}

bool TestThreeWay::select(const char* id) { return m_window->select(DataType::Decks, testutil::uuid(id)); }

void TestThreeWay::baseColumnAndMarks()
{
    QVERIFY(loadSamples());
    QVERIFY2(sources().contains(u"No base"_s), qPrintable(sources()));
    QVERIFY(select(Biology));
    QTableView* table = m_window->conflictView()->fieldTable();
    QVERIFY(table->isColumnHidden(FieldRowModel::BaseColumn)); // no base: no Base column
    QCOMPARE(at("title", FieldRowModel::LocalColumn, FieldRowModel::ChangedSinceBaseRole).toBool(), false);

    m_window->runOptions()->setProfile(Profile::Safe); // the profile box runs the sync again
    QSignalSpy synced(m_window->session(), &InspectorSession::snapshotChanged);
    m_window->session()->setBaseFile(sample("base.json"));
    QVERIFY(synced.wait(10000) || synced.count() > 0);
    QTRY_VERIFY(m_window->session()->operations()->isIdle());
    QTRY_VERIFY(m_window->session()->baseSide() != nullptr);
    QVERIFY2(sources().contains(u"Base: "_s + sample("base.json")), qPrintable(sources()));
    QCOMPARE(m_window->session()->snapshot()->options().profile, Profile::Safe);

    QVERIFY(select(Biology));
    QVERIFY(!table->isColumnHidden(FieldRowModel::BaseColumn));
    QVERIFY(m_fields->headerData(FieldRowModel::BaseColumn, Qt::Horizontal).toString().startsWith(u"Base, agreed"_s));
    QCOMPARE(at("title", FieldRowModel::BaseColumn).toString(), u"Biology: cells"_s);
    // The device renamed it, the server changed its content: each side is marked where it changed.
    QCOMPARE(at("title", FieldRowModel::LocalColumn, FieldRowModel::ChangedSinceBaseRole).toBool(), true);
    QCOMPARE(at("title", FieldRowModel::ServerColumn, FieldRowModel::ChangedSinceBaseRole).toBool(), false);
    QCOMPARE(at("content", FieldRowModel::ServerColumn, FieldRowModel::ChangedSinceBaseRole).toBool(), true);
    QCOMPARE(at("content", FieldRowModel::LocalColumn, FieldRowModel::ChangedSinceBaseRole).toBool(), false);
    QVERIFY(at("title", FieldRowModel::LocalColumn, Qt::FontRole).value<QFont>().bold());
    QVERIFY(at("title", FieldRowModel::LocalColumn, Qt::ToolTipRole).toString().contains(u"since the base"_s));
    // Safe merged the two: the device's title with the server's content.
    QCOMPARE(at("title", FieldRowModel::ResultColumn).toString(), u"Biology: the cell"_s);
    QCOMPARE(at("content", FieldRowModel::ResultColumn).toString(),
             at("content", FieldRowModel::ServerColumn).toString());

    // A deck new on the server since the base: kept, and the base column says why it is empty.
    QVERIFY(select(Kana));
    QCOMPARE(m_fields->headerData(FieldRowModel::BaseColumn, Qt::Horizontal).toString(), u"Base (absent: new since)"_s);

    // Forgetting the base: the Base column goes.
    QAction* forget = m_window->findChild<QAction*>(u"actionClearBase"_s);
    QVERIFY(forget && forget->isEnabled());
    forget->trigger();
    QTRY_VERIFY(m_window->session()->baseSide() == nullptr);
    QTRY_VERIFY(sources().contains(u"No base"_s));
    QVERIFY(select(Biology));
    QVERIFY(table->isColumnHidden(FieldRowModel::BaseColumn));
}

void TestThreeWay::profileBoxSwitchesTheRun()
{
    QVERIFY(loadSamples());
    QCOMPARE(m_window->session()->snapshot()->options().profile, Profile::Seed);
    const auto kanaKept = [&] {
        for (const Deck& d : m_window->session()->snapshot()->result().merged.decks) {
            if (d.id == testutil::uuid(Kana))
                return true;
        }
        return false;
    };
    QVERIFY(!kanaKept()); // the seed's deletion rule drops a deck the device never saw
    QSignalSpy synced(m_window->session(), &InspectorSession::snapshotChanged);
    m_window->runOptions()->setProfile(Profile::Safe);
    QVERIFY(synced.wait(10000));
    QCOMPARE(m_window->session()->snapshot()->options().profile, Profile::Safe);
    QVERIFY(kanaKept());
    m_window->runOptions()->setProfile(Profile::Seed);
    QVERIFY(synced.wait(10000));
    QVERIFY(!kanaKept());
}

// With no base file, the newest applied sync of the same local file is the base.
void TestThreeWay::historyGivesTheBase()
{
    const QString local = m_dir->filePath(u"local.json"_s);
    const QString server = m_dir->filePath(u"server.json"_s);
    QVERIFY(QFile::copy(sample("local.json"), local));
    QVERIFY(QFile::copy(sample("server.json"), server));
    QFile::setPermissions(local, QFile::ReadOwner | QFile::WriteOwner);
    QFile::setPermissions(server, QFile::ReadOwner | QFile::WriteOwner);
    QSignalSpy loaded(m_window->session(), &InspectorSession::snapshotChanged);
    QVERIFY(m_window->openPair(local, server));
    QVERIFY(loaded.wait(10000));
    QVERIFY(!m_window->session()->baseSide());
    QSignalSpy applied(m_window->session(), &InspectorSession::applied);
    m_window->session()->apply(server, local);
    QVERIFY(applied.wait(10000));
    // Apply loads the written files again: now against the run it just recorded.
    QTRY_VERIFY(m_window->session()->operations()->isIdle());
    QTRY_VERIFY(m_window->session()->baseSide() != nullptr);
    QVERIFY2(m_window->session()->baseSide()->path.contains(u"history #"_s), qPrintable(m_window->session()->baseSide()->path));
    QVERIFY2(sources().contains(u"Base: the sync applied"_s), qPrintable(sources()));
}

void TestThreeWay::badBaseIsNamedAndForgotten()
{
    QVERIFY(loadSamples());
    const QString bad = m_dir->filePath(u"base.json"_s);
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"decks": [{"id": "x"}]})");
    f.close();
    QSignalSpy failed(m_window->session(), &InspectorSession::loadFailed);
    m_window->session()->setBaseFile(bad);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().first().toString().contains(bad + u":"_s), qPrintable(failed.first().first().toString()));
    QVERIFY2(failed.first().first().toString().contains(u"/decks/0/id"_s), qPrintable(failed.first().first().toString()));
    QVERIFY(m_window->session()->baseFile().isEmpty()); // forgotten: the next run is not refused again
    QVERIFY(m_window->session()->hasData());            // what was loaded stays
}

// The "Seed vs safe" tab lists where the profiles differ; support takes either result for one
// item or for all, and undoes it.
void TestThreeWay::seedVersusSafe()
{
    ProfileCompareView* view = m_window->compareView();
    ProfileCompareModel* model = view->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_window->session()->setBaseFile(sample("base.json"), sample("local.json"));
    QVERIFY(loadSamples());
    QTRY_VERIFY(m_window->session()->baseSide() != nullptr);
    m_window->tabs()->setCurrentWidget(view);
    QTRY_VERIFY(model->rowCount() >= 5);
    auto* summary = view->findChild<QLabel*>(u"compareSummary"_s);
    QVERIFY2(summary->text().contains(u"Study time: the seed counts 16440 s, safe 8940 s"_s), qPrintable(summary->text()));
    int kana = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, ProfileCompareModel::ItemColumn).data().toString() == u"Japanese kana"_s)
            kana = row;
    }
    QVERIFY(kana >= 0);
    QCOMPARE(model->index(kana, ProfileCompareModel::SeedColumn).data().toString(), u"deleted"_s);
    QCOMPARE(model->index(kana, ProfileCompareModel::SafeColumn).data().toString(), u"kept"_s);

    // The run is the seed's: taking safe's result for the kana deck keeps it.
    const auto inResolved = [&] {
        const Dataset resolved = m_window->session()->snapshot()->resolvedServerState(m_window->session()->resolutions());
        return std::any_of(resolved.decks.begin(), resolved.decks.end(),
                           [](const Deck& d) { return d.id == testutil::uuid(Kana); });
    };
    QVERIFY(!inResolved());
    view->table()->selectRow(kana);
    auto* takeSafe = view->findChild<QPushButton*>(u"takeSafe"_s);
    QVERIFY(takeSafe->isEnabled());
    takeSafe->click();
    QVERIFY(inResolved());
    QUndoStack* undo = m_window->session()->undoStack();
    undo->undo();
    QVERIFY(!inResolved());
    QVERIFY(m_window->session()->resolutions().empty());

    // Safe's result for all: one undo step that gives the run safe's whole result.
    view->findChild<QPushButton*>(u"takeSafeAll"_s)->click();
    QCOMPARE(undo->count(), 1); // the undone single item made way for this one step
    const auto time = [&] {
        std::int64_t t = 0;
        for (const Progress& p : m_window->session()->snapshot()->resolvedServerState(m_window->session()->resolutions()).progress)
            t += p.total_time_spent;
        return t;
    };
    QCOMPARE(time(), 8940);
    undo->undo();
    QCOMPARE(time(), 16440);
    QVERIFY(m_window->session()->resolutions().empty());
}

QTEST_MAIN(TestThreeWay)
#include "tst_threeway.moc"
