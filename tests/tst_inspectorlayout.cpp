// SPDX-License-Identifier: MIT
// The inspector's window at small sizes, its keys and its words, in a real window
// (offscreen): what support reported after trying it at 1024x700.
#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "ui/applydialog.h"
#include "ui/conflictview.h"
#include "ui/fieldrowmodel.h"
#include "ui/itempanel.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QAbstractButton>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QProcess>
#include <QClipboard>
#include <QGuiApplication>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

const Uuid German = testutil::uuid("c0ffee00-1234-4abc-9def-0123456789ab");
const Uuid JapaneseKana = testutil::uuid("9e8d7c6b-5a49-4382-9716-0f1e2d3c4b5a");
const Uuid Biology = testutil::uuid("7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e");

/// The letter after a single '&' in `text`, lower case, or a null char.
QChar mnemonic(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&')
            continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

} // namespace

class TestInspectorLayout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fitsSmallWindows_data();
    void fitsSmallWindows();
    void nextConflictCrossesTypes();
    void nextWarningVisitsDeletions();
    void undoButtonKeepsItsSize();
    void redoWithCtrlY();
    void undoFromRunOptionsField();
    void bulkResolveAsksFirst_data();
    void bulkResolveAsksFirst();
    void mnemonicsAreUnique();
    void titleNamesTheFilesOnce();
    void navigatorCountsAsTheSync();
    void applyPreviewNamesTheItems();
    void invalidEditKeepsTheText();
    void headersForgetTheLastItem();
    void exportsTheCaseReport();
    void copiesTheSummaryForTheTicket();
    void keepBothIsOneUndoStep();
    void helpListsTheKeys();
    void historyDetailsInWords();

private:
    bool loadSamples();
    QString path(const char* name) const { return m_dir->filePath(QString::fromUtf8(name)); }
    QString currentTitle() const { return m_window->findChild<QLabel*>(u"itemTitle"_s)->text(); }
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromUtf8(name)); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestInspectorLayout::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestInspectorLayout::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(QFile::copy(QString::fromStdString(testutil::samplePath("local.json")), path("local.json")));
    QVERIFY(QFile::copy(QString::fromStdString(testutil::samplePath("server.json")), path("server.json")));
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setHistoryPath(path("history.sqlite"));
    m_window->runOptions()->setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    m_window->resize(1024, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestInspectorLayout::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

bool TestInspectorLayout::loadSamples()
{
    QSignalSpy loaded(m_window->session(), &InspectorSession::snapshotChanged);
    return m_window->openPair(path("local.json"), path("server.json")) && loaded.wait(10000);
}

void TestInspectorLayout::fitsSmallWindows_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1066x666 (the default of a small laptop)") << QSize(1066, 666);
    QTest::newRow("1280x800") << QSize(1280, 800);
}

// Issue: at 1024x700 the toolbar shrank to one button and an overflow, the Result column was
// off screen and about three item rows were visible.
void TestInspectorLayout::fitsSmallWindows()
{
    QFETCH(QSize, size);
    m_window->resize(size);
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    QTRY_COMPARE(m_window->size(), size);

    auto* bar = m_window->findChild<QToolBar*>(u"mainToolBar"_s);
    QVERIFY(bar);
    for (const char* name : {"actionOpenLocal", "actionConnect", "actionRerun", "actionApply", "actionUndo",
                             "actionRedo", "actionPrevConflict", "actionNextConflict", "actionKeepLocal",
                             "actionKeepServer", "actionUseEngine"}) {
        QAction* a = action(name);
        QVERIFY2(a, name);
        QWidget* button = bar->widgetForAction(a);
        QVERIFY2(button && button->isVisible(), name); // not moved into the overflow menu
        const QRect inWindow(button->mapTo(m_window.get(), QPoint(0, 0)), button->size());
        QVERIFY2(m_window->rect().contains(inWindow), name);
    }

    // The four value columns of the field table are on screen, Result whole.
    QTableView* fields = m_window->conflictView()->fieldTable();
    const QHeaderView* header = fields->horizontalHeader();
    const int resultEnd = header->sectionViewportPosition(FieldRowModel::ResultColumn)
                          + header->sectionSize(FieldRowModel::ResultColumn);
    QVERIFY2(header->sectionSize(FieldRowModel::ResultColumn) >= 100, "the Result column is too narrow to read");
    QVERIFY2(resultEnd <= fields->viewport()->width() + 1,
             qPrintable(u"Result ends at %1 of %2"_s.arg(resultEnd).arg(fields->viewport()->width())));

    // Enough item rows to work with.
    QTableView* items = m_window->itemPanel()->table();
    const int rows = items->viewport()->height() / items->verticalHeader()->defaultSectionSize();
    QVERIFY2(rows >= 5, qPrintable(u"%1 item rows visible"_s.arg(rows)));
}

// Issue: Ctrl+Down stayed inside one type: from the last deck conflict it did nothing, and
// the Preferences conflict was never reached.
void TestInspectorLayout::nextConflictCrossesTypes()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, German)); // the last deck conflict
    ItemPanel* items = m_window->itemPanel();
    QTest::keyClick(items->table(), Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(items->type(), DataType::Preferences);
    QVERIFY(items->currentTypeRow() >= 0);
    QCOMPARE(m_window->session()->snapshot()->view(DataType::Preferences).rows()[std::size_t(items->currentTypeRow())].status,
             ItemStatus::Conflict);

    // Nothing after it: it stays, and says so.
    const int row = items->currentTypeRow();
    QTest::keyClick(items->table(), Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(items->type(), DataType::Preferences);
    QCOMPARE(items->currentTypeRow(), row);
    QVERIFY2(m_window->statusBar()->currentMessage().contains(u"no more conflicts"_s),
             qPrintable(m_window->statusBar()->currentMessage()));

    // And back: Ctrl+Up from Preferences reaches the last deck conflict.
    QTest::keyClick(items->table(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(items->type(), DataType::Decks);
    QVERIFY2(currentTitle().startsWith(u"German numbers"_s), qPrintable(currentTitle()));
}

// Issue: deletions that carry warnings were never visited. F8 walks every item with a
// warning, across the types.
void TestInspectorLayout::nextWarningVisitsDeletions()
{
    QVERIFY(loadSamples());
    ItemPanel* items = m_window->itemPanel();
    QAction* next = action("actionNextWarning");
    QVERIFY(next);
    QSet<DataType> types;
    bool kana = false;
    int steps = 0;
    for (; steps < 50; ++steps) {
        const auto before = std::pair(items->type(), items->currentTypeRow());
        next->trigger();
        if (std::pair(items->type(), items->currentTypeRow()) == before)
            break;
        const TypeView& view = m_window->session()->snapshot()->view(items->type());
        const ItemRow& row = view.rows()[std::size_t(items->currentTypeRow())];
        QVERIFY(row.diagnostics > 0 && row.worst >= Severity::Warning);
        kana = kana || row.id == JapaneseKana;
        types.insert(items->type());
    }
    QVERIFY2(kana, "the deletion the device never saw was not visited");
    QVERIFY2(types.size() >= 2, "F8 stayed in one type");
    QVERIFY(steps < 50);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"no more warnings"_s));
}

// Issue: the Undo button carried the action's text, grew, and pushed itself off the toolbar.
void TestInspectorLayout::undoButtonKeepsItsSize()
{
    QVERIFY(loadSamples());
    auto* bar = m_window->findChild<QToolBar*>(u"mainToolBar"_s);
    auto* undo = qobject_cast<QToolButton*>(bar->widgetForAction(action("actionUndo")));
    QVERIFY(undo);
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    QVERIFY(undo->isEnabled());
    QCOMPARE(undo->text(), u"Undo"_s);
    QVERIFY2(undo->toolTip().contains(u"Keep local"_s), qPrintable(undo->toolTip())); // what it undoes
    QVERIFY(undo->isVisible());
}

void TestInspectorLayout::redoWithCtrlY()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    QUndoStack* stack = m_window->session()->undoStack();
    QTest::keyClick(m_window->itemPanel()->table(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(!m_window->session()->resolutions().find(DataType::Decks, Biology));
    QTest::keyClick(m_window->itemPanel()->table(), Qt::Key_Y, Qt::ControlModifier);
    QVERIFY(m_window->session()->resolutions().find(DataType::Decks, Biology));
    QCOMPARE(stack->index(), 1);
}

// Issue: with the focus in the last-sync box, Ctrl+Z did nothing, silently. A field with
// nothing of its own to undo hands the key to the window.
void TestInspectorLayout::undoFromRunOptionsField()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    auto* edit = m_window->findChild<QLineEdit*>(u"lastSyncEdit"_s);
    QVERIFY(edit);
    edit->setFocus();
    QVERIFY(!edit->isUndoAvailable());
    QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(!m_window->session()->resolutions().find(DataType::Decks, Biology));

    // Text typed in the field is its own to undo first.
    QTest::keyClicks(edit, u"null"_s);
    QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(edit->text(), QString());
    QCOMPARE(m_window->session()->undoStack()->index(), 0);
}

void TestInspectorLayout::bulkResolveAsksFirst_data()
{
    QTest::addColumn<bool>("confirm");
    QTest::newRow("confirmed") << true;
    QTest::newRow("cancelled") << false;
}

// Issue: "Keep server for all shown items" resolved nine decks without a question.
void TestInspectorLayout::bulkResolveAsksFirst()
{
    QFETCH(bool, confirm);
    QVERIFY(loadSamples());
    QSignalSpy changed(m_window->session(), &InspectorSession::resolutionChanged);
    action("actionBulkServer")->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(u"bulkResolvePrompt"_s)) != nullptr);
    QVERIFY(box->text().contains(u"9 shown decks"_s));
    QVERIFY(changed.isEmpty());
    QCOMPARE(m_window->session()->undoStack()->count(), 0);
    if (confirm)
        box->findChild<QAbstractButton*>(u"bulkResolveConfirm"_s)->click();
    else
        box->button(QMessageBox::Cancel)->click();
    QCOMPARE(m_window->session()->undoStack()->count(), confirm ? 1 : 0);
    QCOMPARE(m_window->session()->resolutions().find(DataType::Decks, Biology) != nullptr, confirm);
}

// Issue: Alt+H was used twice. Every Alt+letter of the window's menus, tabs and the controls
// of the Conflicts tab is used once.
void TestInspectorLayout::mnemonicsAreUnique()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    QStringList texts;
    for (QAction* a : m_window->menuBar()->actions())
        texts << a->text();
    QTabBar* tabs = m_window->tabs()->tabBar();
    for (int i = 0; i < tabs->count(); ++i)
        texts << tabs->tabText(i);
    for (QAbstractButton* b : m_window->tabs()->widget(0)->findChildren<QAbstractButton*>()) {
        if (b->isVisibleTo(m_window.get()))
            texts << b->text();
    }
    QHash<QChar, QString> seen;
    for (const QString& text : std::as_const(texts)) {
        const QChar key = mnemonic(text);
        if (key.isNull())
            continue;
        QVERIFY2(!seen.contains(key), qPrintable(u"Alt+%1: \"%2\" and \"%3\""_s.arg(key, seen.value(key), text)));
        seen.insert(key, text);
    }
    QVERIFY(seen.size() >= 10);
}

// Issue: the title repeated the application's name (the window system adds it).
void TestInspectorLayout::titleNamesTheFilesOnce()
{
    QVERIFY(loadSamples());
    QCOMPARE(m_window->windowTitle(), u"local.json and server.json"_s);
}

// Issue: the navigator said Items 9 / Updated 0 for decks where the command line and the
// History say 7 and 3.
void TestInspectorLayout::navigatorCountsAsTheSync()
{
    QVERIFY(loadSamples());
    auto* navigator = m_window->findChild<QTableView*>(u"typeNavigator"_s);
    QAbstractItemModel* model = navigator->model();
    const SyncStats& stats = m_window->session()->snapshot()->view(DataType::Decks).stats();
    QCOMPARE(model->index(0, 1).data().toLongLong(), stats.total_items);
    QCOMPARE(stats.total_items, 7);
    QCOMPARE(stats.updated, 3);
    for (int c = 0; c < model->columnCount(); ++c) {
        if (model->headerData(c, Qt::Horizontal).toString() == u"Updated")
            QCOMPARE(model->index(0, c).data().toLongLong(), 3);
    }
}

// Issue: the Apply preview showed only counts: "decks 7 → 7" hid 2 deletions and 2 additions.
void TestInspectorLayout::applyPreviewNamesTheItems()
{
    QVERIFY(loadSamples());
    action("actionApply")->trigger();
    ApplyDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ApplyDialog*>()) != nullptr);
    QTRY_VERIFY(dialog->isReady());
    const QString text = dialog->findChild<QPlainTextEdit*>(u"applyChanges"_s)->toPlainText();
    QVERIFY2(text.contains(u"On the server:\n  decks deleted (2): \"Old history deck\", \"Japanese kana\""_s),
             qPrintable(text));
    QVERIFY2(text.contains(u"decks added (2)"_s), qPrintable(text));
    QVERIFY2(text.contains(u"On the device:"_s), qPrintable(text));
    dialog->reject();
}

// Issue: an invalid edit closed the editor and lost the typed text; `11:30+02:00` became
// `09:30:00Z` without a word; hand-edited fields were not marked.
void TestInspectorLayout::invalidEditKeepsTheText()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    ConflictView* view = m_window->conflictView();
    FieldRowModel* fields = view->fieldModel();
    const int row = fields->rowOf(u"updated_at"_s);
    QVERIFY(row >= 0);
    const QModelIndex result = fields->index(row, FieldRowModel::ResultColumn);
    QSignalSpy messages(view, &ConflictView::message);

    view->fieldTable()->setCurrentIndex(result);
    view->fieldTable()->edit(result);
    QPointer<QLineEdit> editor = view->fieldTable()->viewport()->findChild<QLineEdit*>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, u"half past eleven"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(!messages.isEmpty());
    QVERIFY2(messages.last().first().toString().startsWith(u"updated_at: "_s), qPrintable(messages.last().first().toString()));
    QTest::qWait(50); // a commit would be queued: give it its chance
    QVERIFY2(editor && editor->isVisible(), "the editor closed");
    QCOMPARE(editor->text(), u"half past eleven"_s);
    QVERIFY(!m_window->session()->resolutions().find(DataType::Decks, Biology));

    editor->selectAll();
    QTest::keyClicks(editor, u"2024-06-01T11:30:00+02:00"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(!editor || !editor->isVisible());
    QTRY_VERIFY(m_window->session()->resolutions().find(DataType::Decks, Biology));
    QVERIFY2(messages.last().first().toString().contains(u"is stored as \"2024-06-01T09:30:00Z\""_s),
             qPrintable(messages.last().first().toString()));
    const QModelIndex edited = fields->index(fields->rowOf(u"updated_at"_s), FieldRowModel::ResultColumn);
    QCOMPARE(edited.data().toString(), u"2024-06-01T09:30:00Z"_s);
    QVERIFY(edited.data(FieldRowModel::HandEditedRole).toBool());
    QVERIFY(edited.data(Qt::FontRole).value<QFont>().underline());
    QVERIFY(edited.data(Qt::ToolTipRole).toString().contains(u"Typed by hand"_s));
    const QModelIndex other = fields->index(fields->rowOf(u"title"_s), FieldRowModel::ResultColumn);
    QVERIFY(!other.data(FieldRowModel::HandEditedRole).toBool());
}

// Issue: with Preferences shown and no item chosen, the headers still said "Local, updated 09:45".
void TestInspectorLayout::headersForgetTheLastItem()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    FieldRowModel* fields = m_window->conflictView()->fieldModel();
    QVERIFY(fields->headerData(FieldRowModel::LocalColumn, Qt::Horizontal).toString().contains(u"updated"_s));
    m_window->showType(DataType::Preferences);
    m_window->itemPanel()->table()->setCurrentIndex({});
    QTRY_COMPARE(fields->headerData(FieldRowModel::LocalColumn, Qt::Horizontal).toString(), u"Local"_s);
    QCOMPARE(fields->headerData(FieldRowModel::ServerColumn, Qt::Horizontal).toString(), u"Server"_s);
}

// Support asked for a report to attach to the ticket: File > Export the case report writes
// the PDF of what is shown, resolutions by hand included.
void TestInspectorLayout::exportsTheCaseReport()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    QSignalSpy exported(m_window->session(), &InspectorSession::reportExported);
    QSignalSpy failed(m_window->session(), &InspectorSession::reportFailed);
    m_window->session()->exportReport(path("case.pdf"));
    QVERIFY(exported.wait(10000));
    QVERIFY(failed.isEmpty());
    QProcess text;
    text.start(u"pdftotext"_s, {path("case.pdf"), u"-"_s});
    QVERIFY(text.waitForFinished(30000));
    const QString words = QString::fromUtf8(text.readAllStandardOutput());
    QVERIFY2(words.contains(u"keep the device's item"_s), qPrintable(words));
    QVERIFY(words.contains(u"local.json"_s));

    m_window->session()->exportReport(path("case.docx"));
    QCOMPARE(failed.count(), 1); // at once: nothing is started
    QVERIFY(failed.first().first().toString().contains(u".pdf, .html or .md"_s));
}

void TestInspectorLayout::copiesTheSummaryForTheTicket()
{
    QVERIFY(loadSamples());
    QGuiApplication::clipboard()->clear();
    action("actionCopySummary")->trigger();
    QTRY_VERIFY(QGuiApplication::clipboard()->text().contains(u"On the server:"_s));
    const QString text = QGuiApplication::clipboard()->text();
    QVERIFY(text.contains(u"decks deleted (2): \"Old history deck\", \"Japanese kana\""_s));
    QVERIFY(text.contains(u"Device: "_s));
}

// Support asked: keep the server's deck and keep the device's edit as a new deck, undoable
// and explained.
void TestInspectorLayout::keepBothIsOneUndoStep()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    auto* button = m_window->conflictView()->findChild<QPushButton*>(u"keepBoth"_s);
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    const ItemResolution* r = m_window->session()->resolutions().find(DataType::Decks, Biology);
    QVERIFY(r && r->keepDeviceCopy && r->base == Side::Server);
    QVERIFY2(m_window->findChild<QLabel*>(u"decision"_s)->text().contains(
                 u"kept as the new deck \"Biology: the cell (device copy, 2024-06-01 09:30)\""_s),
             qPrintable(m_window->findChild<QLabel*>(u"decision"_s)->text()));
    m_window->session()->undoStack()->undo();
    QVERIFY(!m_window->session()->resolutions().find(DataType::Decks, Biology));

    // Only for a deck both sides hold.
    QVERIFY(m_window->select(DataType::Decks, JapaneseKana)); // the device lacks it
    QVERIFY(!button->isEnabled());
    m_window->showType(DataType::Preferences);
    QVERIFY(m_window->itemPanel()->step(+1, ItemPanel::Stop::Conflict, true));
    QVERIFY(!button->isEnabled());
}

// Issue: Help held only About.
void TestInspectorLayout::helpListsTheKeys()
{
    action("actionShortcuts")->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(u"shortcutsHelp"_s)) != nullptr);
    for (const QString& expected : {u"Next warning"_s, u"F8"_s, u"Keep both"_s, u"Ctrl+4"_s, u"Ctrl+Y"_s,
                                    u"Copy summary for the ticket"_s})
        QVERIFY2(box->text().contains(expected), qPrintable(expected));
    box->close();
}

// Issue: the history details were raw JSON: the stats one line cut at the edge, the manual
// resolutions UUIDs with "source": "manual", before -> after as counts.
void TestInspectorLayout::historyDetailsInWords()
{
    QVERIFY(loadSamples());
    QVERIFY(m_window->select(DataType::Decks, Biology));
    m_window->conflictView()->keepLocal();
    QSignalSpy applied(m_window->session(), &InspectorSession::applied);
    m_window->session()->apply(path("server.json"), path("local.json"));
    QVERIFY(applied.wait(10000));
    m_window->tabs()->setCurrentIndex(1);
    auto* details = m_window->findChild<QTextBrowser*>(u"historyDetails"_s);
    QVERIFY(details);
    QTRY_VERIFY(details->toPlainText().contains(u"Resolved by hand"_s));
    const QString text = details->toPlainText();
    QVERIFY2(text.contains(u"decks \"Biology: cells\": keep the device's item"_s), qPrintable(text));
    QVERIFY(text.contains(u"In the result"_s));
    QVERIFY(text.contains(u"Device last synced"_s));
    QVERIFY(text.contains(u"decks deleted (2): \"Old history deck\", \"Japanese kana\""_s));
    QVERIFY2(!text.contains(u"\"source\""_s) && !text.contains(u"total_items"_s), qPrintable(text));
}

QTEST_MAIN(TestInspectorLayout)
#include "tst_inspectorlayout.moc"
