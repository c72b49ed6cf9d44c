// SPDX-License-Identifier: MIT
// MainWindow's actions, menus and toolbar, and the steps from one conflict or warning to the
// next across data types.
#include "ui/mainwindow.h"

#include "app/services/inspectorsession.h"
#include "app/services/itemhistory.h"
#include "app/services/serverhistory.h"
#include "app/version.h"
#include "ui/conflictview.h"
#include "ui/itemhistorydialog.h"
#include "ui/itempanel.h"
#include "ui/recentpairsmenu.h"
#include "ui/runoptionsbar.h"
#include "ui/serverhistorydialog.h"
#include "ui/serverlink.h"
#include "ui/typenavigatormodel.h"

#include <QApplication>
#include <QClipboard>
#include <QGuiApplication>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

/// The standard keys of `key` and then `extra`, each once (Ctrl+Y beside Ctrl+Shift+Z, say).
QList<QKeySequence> keysWith(QKeySequence::StandardKey key, const QKeySequence& extra)
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(key);
    if (!keys.contains(extra))
        keys.append(extra);
    return keys;
}

QString stopNames(ItemPanel::Stop stop)
{
    switch (stop) {
    case ItemPanel::Stop::Conflict: return MainWindow::tr("conflicts");
    case ItemPanel::Stop::UnresolvedConflict: return MainWindow::tr("unresolved conflicts");
    case ItemPanel::Stop::Warning: return MainWindow::tr("warnings");
    }
    return {};
}

} // namespace

void MainWindow::createActions()
{
    // `toolbarText`: the short label on the toolbar, so that the toolbar fits a small window.
    auto make = [this](const QString& text, const QString& toolbarText, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        a->setIconText(toolbarText);
        a->setShortcut(key);
        if (!key.isEmpty())
            a->setToolTip(u"%1 (%2)"_s.arg(QString(text).remove(u'&').remove(u'…'), key.toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_openLocal = make(tr("Open &local dataset…"), tr("Open local"), QKeySequence::Open, [this] { openFile(true); });
    m_openServer = make(tr("Open &server dataset…"), tr("Open server"), QKeySequence(u"Ctrl+Shift+O"_s),
                        [this] { openFile(false); });
    m_connect = make(tr("&Connect to server…"), tr("Connect"), QKeySequence(u"Ctrl+Shift+C"_s), [this] {
        const auto local = m_session->localSide();
        m_server->askAndConnect(local ? local->path : m_pendingLocal);
    });
    m_connect->setObjectName(u"actionConnect"_s);
    m_serverHistory = make(tr("Server &history…"), tr("Server history"), QKeySequence(u"Ctrl+Shift+H"_s),
                           [this] { showServerHistory(); });
    m_serverHistory->setObjectName(u"actionServerHistory"_s);
    m_serverHistory->setEnabled(false);
    m_rerun = make(tr("&Run sync again"), tr("Run sync"), QKeySequence::Refresh, [this] { rerun(); });
    m_apply = make(tr("&Apply…"), tr("Apply"), QKeySequence(u"Ctrl+Return"_s), [this] { applySync(); });
    m_nextConflict = make(tr("&Next conflict"), tr("Next"), QKeySequence(u"Ctrl+Down"_s),
                          [this] { step(+1, ItemPanel::Stop::Conflict); });
    m_prevConflict = make(tr("&Previous conflict"), tr("Previous"), QKeySequence(u"Ctrl+Up"_s),
                          [this] { step(-1, ItemPanel::Stop::Conflict); });
    m_nextUnresolved = make(tr("Next &unresolved conflict"), tr("Next unresolved"), QKeySequence(u"Ctrl+Shift+Down"_s),
                            [this] { step(+1, ItemPanel::Stop::UnresolvedConflict); });
    m_nextWarning = make(tr("Next &warning"), tr("Next warning"), QKeySequence(u"F8"_s),
                         [this] { step(+1, ItemPanel::Stop::Warning); });
    m_prevWarning = make(tr("Previous w&arning"), tr("Previous warning"), QKeySequence(u"Shift+F8"_s),
                         [this] { step(-1, ItemPanel::Stop::Warning); });
    m_keepLocal = make(tr("Keep &local"), tr("Keep local"), QKeySequence(u"Ctrl+1"_s),
                       [this] { m_conflict->keepLocal(); });
    m_keepServer = make(tr("Keep &server"), tr("Keep server"), QKeySequence(u"Ctrl+2"_s),
                        [this] { m_conflict->keepServer(); });
    m_useEngine = make(tr("Use &engine result"), tr("Engine result"), QKeySequence(u"Ctrl+3"_s),
                       [this] { m_conflict->useEngine(); });
    m_keepBoth = make(tr("Keep &both (the device's version as a new deck)"), tr("Keep both"), QKeySequence(u"Ctrl+4"_s),
                      [this] { m_conflict->keepBoth(); });
    m_keepBoth->setObjectName(u"actionKeepBoth"_s);
    m_quit = make(tr("&Quit"), tr("Quit"), QKeySequence::Quit, [this] { close(); });
    m_openLocal->setObjectName(u"actionOpenLocal"_s);
    m_openServer->setObjectName(u"actionOpenServer"_s);
    m_rerun->setObjectName(u"actionRerun"_s);
    m_apply->setObjectName(u"actionApply"_s);
    m_nextConflict->setObjectName(u"actionNextConflict"_s);
    m_prevConflict->setObjectName(u"actionPrevConflict"_s);
    m_nextUnresolved->setObjectName(u"actionNextUnresolved"_s);
    m_nextWarning->setObjectName(u"actionNextWarning"_s);
    m_prevWarning->setObjectName(u"actionPrevWarning"_s);
    m_keepLocal->setObjectName(u"actionKeepLocal"_s);
    m_keepServer->setObjectName(u"actionKeepServer"_s);
    m_useEngine->setObjectName(u"actionUseEngine"_s);
    m_rerun->setEnabled(false);
    m_apply->setEnabled(false);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openLocal);
    file->addAction(m_openServer);
    file->addAction(m_connect);
    file->addAction(m_serverHistory);
    m_recentMenu = new RecentPairsMenu(tr("Open &recent"), file);
    file->addMenu(m_recentMenu);
    connect(m_recentMenu, &RecentPairsMenu::pairChosen, this, &MainWindow::openPair);
    file->addSeparator();
    m_openBase = file->addAction(tr("Open &base…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open the state both sides agreed on at their last sync"),
                                                          {}, tr("JSON datasets (*.json);;All files (*)"));
        if (!path.isEmpty() && applyRunOptions())
            m_session->setBaseFile(path, m_session->localSide() ? QString() : m_pendingLocal);
    });
    m_openBase->setObjectName(u"actionOpenBase"_s);
    m_clearBase = file->addAction(tr("Forget the chosen base"), this, [this] {
        if (applyRunOptions())
            m_session->clearBaseFile();
    });
    m_clearBase->setObjectName(u"actionClearBase"_s);
    file->addSeparator();
    file->addAction(m_apply);
    m_export = file->addAction(tr("E&xport repro bundle…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export a repro bundle"), u"repro.json"_s,
                                                          tr("Repro bundles (*.json)"));
        if (!path.isEmpty())
            m_session->exportBundle(path);
    });
    m_export->setObjectName(u"actionExportBundle"_s);
    m_export->setEnabled(false);
    m_exportReport = file->addAction(tr("Export the case re&port…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the case report"), u"case-report.pdf"_s,
                                                          tr("PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"));
        if (!path.isEmpty())
            m_session->exportReport(path);
    });
    m_exportReport->setObjectName(u"actionExportReport"_s);
    m_exportReport->setEnabled(false);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_session->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    // The stack renames the action after each step ("Undo Keep server for …"); the toolbar
    // keeps a short label, and the full text is in the menu and the tooltip.
    undo->setIconText(tr("Undo"));
    undo->setObjectName(u"actionUndo"_s);
    QAction* redo = m_session->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(keysWith(QKeySequence::Redo, QKeySequence(u"Ctrl+Y"_s)));
    redo->setIconText(tr("Redo"));
    redo->setObjectName(u"actionRedo"_s);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* find = edit->addAction(tr("&Find item"), this, [this] { m_items->filterEdit()->setFocus(); });
    find->setShortcut(QKeySequence::Find);
    edit->addSeparator();
    m_copySummary = edit->addAction(tr("&Copy summary for the ticket"), this, [this] {
        m_session->caseSummary(this, [this](const QString& text) {
            QGuiApplication::clipboard()->setText(text);
            statusBar()->showMessage(tr("The case's summary is on the clipboard."), 5000);
        });
    });
    m_copySummary->setObjectName(u"actionCopySummary"_s);
    m_copySummary->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));
    m_copySummary->setEnabled(false);

    QMenu* resolve = menuBar()->addMenu(tr("&Resolve"));
    resolve->addActions({m_keepLocal, m_keepServer, m_useEngine, m_keepBoth});
    resolve->addSeparator();
    resolve->addAction(tr("Keep local for all shown items…"), this, [this] { bulkResolve(Side::Local); })
        ->setObjectName(u"actionBulkLocal"_s);
    resolve->addAction(tr("Keep server for all shown items…"), this, [this] { bulkResolve(Side::Server); })
        ->setObjectName(u"actionBulkServer"_s);
    resolve->addAction(tr("Use engine result for all shown items…"), this, [this] { bulkResolve(std::nullopt); })
        ->setObjectName(u"actionBulkEngine"_s);

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    go->addActions({m_nextConflict, m_prevConflict, m_nextUnresolved});
    go->addSeparator();
    go->addActions({m_nextWarning, m_prevWarning});

    QMenu* sync = menuBar()->addMenu(tr("&Sync"));
    sync->addAction(m_rerun);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(u"actionShortcuts"_s);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About DeckSync Inspector"), this, [this] {
        QMessageBox::about(this, tr("About DeckSync Inspector"),
                           tr("<b>DeckSync Inspector %1</b><p>Sees, replays and repairs the sync of a flashcard "
                              "app.</p><p>Build: %2.<br>Built with Qt %3, running on Qt %4.</p>")
                               .arg(QApplication::applicationVersion(), QStringLiteral(DECKSYNC_BUILD),
                                    QStringLiteral(QT_VERSION_STR), qVersion()));
    });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->addActions({m_openLocal, m_openServer, m_connect, m_rerun, m_apply});
    bar->addSeparator();
    bar->addActions({undo, redo});
    bar->addSeparator();
    bar->addActions({m_prevConflict, m_nextConflict, m_keepLocal, m_keepServer, m_useEngine});
    // The run options get a row of their own, so the actions above keep the window's width.
    addToolBarBreak();
    QToolBar* options = addToolBar(tr("Run options"));
    options->setObjectName(u"runOptionsToolBar"_s);
    options->addWidget(m_runOptions);
}

void MainWindow::step(int direction, ItemPanel::Stop stop)
{
    if (m_items->step(direction, stop))
        return;
    const auto snapshot = m_session->snapshot();
    if (!snapshot)
        return;
    // None left in this type: the next type (in the navigator's order) that has one.
    const DataType from = m_items->type();
    const int fromRow = m_items->currentTypeRow();
    const int types = static_cast<int>(std::size(AllDataTypes));
    for (int t = TypeNavigatorModel::rowOf(from) + direction; t >= 0 && t < types; t += direction) {
        const DataType type = TypeNavigatorModel::typeAt(t);
        const TypeView& view = snapshot->view(type);
        bool any = false;
        for (std::size_t r = 0; r < view.rows().size() && !any; ++r)
            any = ItemPanel::isStop(view, r, stop, m_session->resolutions());
        if (!any)
            continue;
        showType(type);
        if (m_items->step(direction, stop, true)) {
            statusBar()->showMessage(tr("Moved on to %1.").arg(TypeNavigatorModel::displayName(type)), 5000);
            return;
        }
    }
    if (m_items->type() != from) { // every candidate was hidden by a filter: back to where it was
        showType(from);
        if (fromRow >= 0)
            m_items->selectId(snapshot->view(from).rows()[static_cast<std::size_t>(fromRow)].id);
    }
    statusBar()->showMessage(direction > 0 ? tr("There are no more %1 after this one.").arg(stopNames(stop))
                                           : tr("There are no %1 before this one.").arg(stopNames(stop)),
                             5000);
}

void MainWindow::bulkResolve(std::optional<Side> base)
{
    const std::vector<Uuid> ids = m_items->shownIds();
    if (ids.empty())
        return;
    const QString what = QString::fromUtf8(baseName(base));
    const QString typeName = TypeNavigatorModel::displayName(m_items->type()).toLower();
    const int n = static_cast<int>(ids.size());
    auto* box = new QMessageBox(QMessageBox::Question, tr("Resolve every shown item?"),
                                tr("%1 for all %n shown %2? This replaces any choice made for them by hand; "
                                   "Undo takes it back in one step.", nullptr, n)
                                    .arg(what, typeName),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"bulkResolvePrompt"_s);
    QPushButton* go = box->addButton(tr("Resolve %n item(s)", nullptr, n), QMessageBox::AcceptRole);
    go->setObjectName(u"bulkResolveConfirm"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const DataType type = m_items->type();
    connect(box, &QMessageBox::buttonClicked, this, [this, go, ids, base, type, what, n](QAbstractButton* button) {
        if (button == go)
            m_session->resolveMany(type, ids, base, tr("%1 for %n item(s)", nullptr, n).arg(what));
    });
    box->open();
}

void MainWindow::showShortcuts()
{
    // Every action with a key, in the order of the menus, as the menus name them.
    QString rows;
    for (QAction* menu : menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction* a : menu->menu()->actions()) {
            if (a->shortcut().isEmpty())
                continue;
            QStringList keys;
            for (const QKeySequence& k : a->shortcuts())
                keys << k.toString(QKeySequence::NativeText);
            rows += u"<tr><td>%1</td><td>&nbsp;&nbsp;%2</td></tr>"_s.arg(QString(a->text()).remove(u'&').toHtmlEscaped(),
                                                                      keys.join(u", "_s).toHtmlEscaped());
        }
    }
    auto* box = new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"),
                                u"<table>%1</table>"_s.arg(rows), QMessageBox::Close, this);
    box->setObjectName(u"shortcutsHelp"_s);
    box->setTextFormat(Qt::RichText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showServerHistory()
{
    ServerClient* client = m_server->client();
    if (!m_session->serverIsRemote() || !client)
        return;
    auto* history = new ServerHistory(client);
    auto* dialog = new ServerHistoryDialog(history, client->describe(), this);
    history->setParent(dialog);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // After a restore the server's side is what it restored: fetched again, resolutions kept.
    connect(dialog, &ServerHistoryDialog::restored, this, [this] { m_server->refetch(); });
    dialog->show();
}

void MainWindow::showItemHistory(DataType type, const Uuid& id)
{
    const auto snapshot = m_session->snapshot();
    if (!snapshot)
        return;
    const TypeView& view = snapshot->view(type);
    QString label = QString::fromStdString(id.toString());
    for (std::size_t row = 0; row < view.rows().size(); ++row) {
        if (view.rows()[row].id == id) {
            label = QString::fromStdString(view.label(row));
            break;
        }
    }
    // The server's revisions only while its side is the live server's.
    ServerClient* client = m_session->serverIsRemote() ? m_server->client() : nullptr;
    auto* history = new ItemHistory(m_session->historyPath(), client);
    auto* dialog = new ItemHistoryDialog(history, m_session, u"%1 \"%2\""_s.arg(QString::fromUtf8(dataTypeName(type)), label),
                                         this);
    history->setParent(dialog);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    history->load(type, id);
    dialog->show();
}
