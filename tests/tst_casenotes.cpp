// SPDX-License-Identifier: MIT
// Notes on items, in a real window (offscreen): typed beside the item, one undo step, and
// kept wherever the case goes: the saved session, the history of an applied run (and its
// details), the repro bundle (which the CLI replays and lists) and the report.
#include "clirun.h"
#include "outcomecheck.h"
#include "samplewindow.h"
#include "testutil.h"

#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/rundetails.h"
#include "app/services/sessionstore.h"
#include "engine/resolutioncodec.h"
#include "ui/conflictview.h"
#include "ui/itempanel.h"
#include "ui/itemtablemodel.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QFile>
#include <QLineEdit>
#include <QTableView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

const Uuid Biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");
const Uuid Kana = testutil::uuid("9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a");
const char* Note = "user confirmed the tablet copy is right";

} // namespace

class TestCaseNotes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void typedNoteIsOneUndoStepAndStaysWithItsItem();
    void noteIsNotAResolution();
    void notesGoWhereTheCaseGoes();
    void notesRoundTripInTheirJson();

private:
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }
    InspectorSession* session() const { return m_window->session(); }
    QLineEdit* noteEdit() const { return m_window->conflictView()->noteEdit(); }
    /// Types `text` into the note box of `id`'s deck.
    void typeNote(const Uuid& id, const QString& text);
    [[nodiscard]] QString noteOf(const Uuid& id) const
    {
        const std::string* note = session()->resolutions().note(DataType::Decks, id);
        return note ? QString::fromStdString(*note) : QString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestCaseNotes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_window = openSampleWindow(*m_dir, QSize(1024, 700));
    QVERIFY(m_window);
    QSignalSpy loaded(session(), &InspectorSession::snapshotChanged);
    QVERIFY(m_window->openPair(path("local.json"), path("server.json")));
    QVERIFY(loaded.wait(10000));
}

void TestCaseNotes::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestCaseNotes::typeNote(const Uuid& id, const QString& text)
{
    QVERIFY(m_window->select(DataType::Decks, id));
    QVERIFY(noteEdit()->isVisible());
    QVERIFY(noteEdit()->isEnabled());
    noteEdit()->setFocus();
    QTest::keyClicks(noteEdit(), text);
}

void TestCaseNotes::typedNoteIsOneUndoStepAndStaysWithItsItem()
{
    const int steps = session()->undoStack()->count();
    typeNote(Biology, QString::fromUtf8(Note));
    QCOMPARE(noteOf(Biology), QString::fromUtf8(Note));
    // A step per key would make Undo take a letter at a time.
    QCOMPARE(session()->undoStack()->count(), steps + 1);
    QCOMPARE(session()->undoStack()->undoText(), u"Note on Biology: cells"_s);

    // Typing the note left the field table as it was: its chosen field, with the buttons for it.
    QTableView* fields = m_window->conflictView()->fieldTable();
    fields->setCurrentIndex(fields->model()->index(2, 0));
    noteEdit()->setFocus();
    QTest::keyClicks(noteEdit(), u" (by phone)"_s);
    QCOMPARE(fields->currentIndex().row(), 2);
    QCOMPARE(noteOf(Biology), QString::fromUtf8(Note) + u" (by phone)"_s);
    session()->undoStack()->undo(); // the whole note, typed in two goes without another step between
    QCOMPARE(noteOf(Biology), QString());
    session()->undoStack()->redo();
    noteEdit()->setText(QString::fromUtf8(Note));
    session()->setNote(DataType::Decks, Biology, QString::fromUtf8(Note), u"Note"_s);

    // Another item shows its own (empty) note; coming back shows this one.
    QVERIFY(m_window->select(DataType::Decks, Kana));
    QCOMPARE(noteEdit()->text(), QString());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    QCOMPARE(noteEdit()->text(), QString::fromUtf8(Note));

    // Resolving the item another way keeps its note.
    m_window->conflictView()->keepServer();
    QCOMPARE(noteOf(Biology), QString::fromUtf8(Note));

    session()->undoStack()->undo(); // the Keep server
    session()->undoStack()->undo(); // the note, whole
    QCOMPARE(noteOf(Biology), QString());
    QCOMPARE(noteEdit()->text(), QString());
    session()->undoStack()->redo();
    QCOMPARE(noteOf(Biology), QString::fromUtf8(Note));
    QCOMPARE(noteEdit()->text(), QString::fromUtf8(Note));
}

void TestCaseNotes::noteIsNotAResolution()
{
    typeNote(Kana, u"asked whether the deletion was meant"_s);
    QCOMPARE(session()->resolutions().size(), std::size_t(0));
    QVERIFY(session()->resolutions().find(DataType::Decks, Kana) == nullptr);
    // The item list says there is a note, and shows it on hover.
    ItemTableModel* items = m_window->itemPanel()->model();
    const QModelIndex cell = items->index(items->rowOf(Kana), ItemTableModel::ResolutionColumn);
    QCOMPARE(cell.data().toString(), u"note"_s);
    QCOMPARE(cell.data(Qt::ToolTipRole).toString(), u"Note: asked whether the deletion was meant"_s);
    // Blanks alone are no note.
    QVERIFY(m_window->select(DataType::Decks, Biology));
    noteEdit()->setFocus();
    QTest::keyClicks(noteEdit(), u"   "_s);
    QCOMPARE(noteOf(Biology), QString());
    QVERIFY(session()->resolutions().notes().size() == 1);
}

void TestCaseNotes::notesGoWhereTheCaseGoes()
{
    SessionStore store(session(), path("session.json"));
    typeNote(Biology, QString::fromUtf8(Note));
    m_window->conflictView()->keepLocal();
    typeNote(Kana, u"asked whether the deletion was meant"_s);

    // The session, saved a moment later, comes back with both notes.
    QTRY_VERIFY(QFile::exists(path("session.json")) && testutil::fileBytes(path("session.json")).contains(Note));
    QVERIFY(store.saveNow());
    const Outcome<std::optional<SessionState>> saved = store.load();
    QVERIFY(saved && saved->has_value());
    QCOMPARE((*saved)->resolutions, session()->resolutions());

    // The report.
    QSignalSpy reported(session(), &InspectorSession::reportExported);
    session()->exportReport(path("case.md"));
    QVERIFY(reported.wait(10000));
    const QByteArray report = testutil::fileBytes(path("case.md"));
    QVERIFY2(report.contains(QByteArray(QByteArray("- decks \"Biology: cells\": ") + Note)), report.constData());
    QVERIFY(report.contains("- decks \"Japanese kana\": asked whether the deletion was meant"));

    // The bundle: the CLI still replays it exactly, and lists what support decided and wrote.
    QSignalSpy exported(session(), &InspectorSession::bundleExported);
    session()->exportBundle(path("repro.json"));
    QVERIFY(exported.wait(10000));
    const clirun::Run replayed = clirun::runCli({u"replay"_s, path("repro.json")});
    const QString& out = replayed.out;
    QCOMPARE(replayed.exitCode, 0);
    QVERIFY2(out.contains(u"identical"_s), qPrintable(out));
    QVERIFY(out.contains(u"the case: 1 item(s) resolved by hand (not part of the replay), 2 note(s)"_s));
    QVERIFY(out.contains(u"  note on decks 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e: %1"_s.arg(QString::fromUtf8(Note))));

    // The history of the applied run, and its details in words.
    QSignalSpy applied(session(), &InspectorSession::applied);
    session()->apply(path("server.json"), path("local.json"));
    QVERIFY(applied.wait(10000));
    const qint64 id = applied.at(0).at(0).toLongLong();
    HistoryStore history;
    QVERIFY(history.open(path("history.sqlite")));
    const Outcome<HistoryRecord> record = history.load(id);
    QVERIFY(record);
    QCOMPARE(record->manualResolutions, 1); // a note is not a resolution
    const Decoded<ResolutionSet> recorded = codec::decodeResolutions(record->resolutionsJson.toStdString());
    QVERIFY(recorded.ok());
    QCOMPARE(recorded.value().notes().size(), std::size_t(2));
    const QString details = runDetailsHtml(path("history.sqlite"), id);
    QVERIFY2(details.contains(u"<h4>Notes</h4>"_s), qPrintable(details));
    QVERIFY(details.contains(u"decks \"Biology: cells\": %1"_s.arg(QString::fromUtf8(Note))));
}

void TestCaseNotes::notesRoundTripInTheirJson()
{
    ResolutionSet set;
    set.set(DataType::Decks, Biology, ItemResolution{Side::Local, {}, false});
    set.setNote(DataType::Decks, Biology, "line one\nline \"two\"");
    set.setNote(DataType::Starred, Kana, "a note alone");
    const std::string json = codec::encodeResolutions(set);
    // A note alone is written as an item the engine decides, with no fields, and its note.
    QVERIFY2(json.find("\"id\": \"9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a\",\n    \"base\": \"engine\",\n    "
                       "\"fields\": [],\n    \"note\": \"a note alone\"")
                 != std::string::npos,
             json.c_str());
    const Decoded<ResolutionSet> back = codec::decodeResolutions(json);
    QVERIFY(back.ok());
    QCOMPARE(back.value(), set);
    QCOMPARE(codec::encodeResolutions(back.value()), json);
    // Without notes, no "note" member (tst_jsoncodec pins those bytes exactly).
    ResolutionSet plain = set;
    plain.setNote(DataType::Decks, Biology, "");
    plain.setNote(DataType::Starred, Kana, "");
    QVERIFY(codec::encodeResolutions(plain).find("note") == std::string::npos);

    const Decoded<ResolutionSet> bad = codec::decodeResolutions(
        R"([{"type": "decks", "id": "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", "note": 3}])");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().pointer, std::string("/0/note"));
}

QTEST_MAIN(TestCaseNotes)
#include "tst_casenotes.moc"
