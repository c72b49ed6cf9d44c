// SPDX-License-Identifier: MIT
#include "ui/mainwindow.h"

#include "app/services/inspectorsession.h"
#include "app/version.h"
#include "ui/applydialog.h"
#include "ui/conflictview.h"
#include "ui/historyview.h"
#include "ui/itempanel.h"
#include "ui/profilecompareview.h"
#include "ui/recentpairsmenu.h"
#include "ui/runoptionsbar.h"
#include "ui/serverlink.h"
#include "ui/typenavigatormodel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>

using namespace decksync;
using namespace Qt::StringLiterals;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new InspectorSession(this))
    , m_navigatorModel(new TypeNavigatorModel(this))
    , m_navigator(new QTableView(this))
    , m_items(new ItemPanel(m_session, this))
    , m_conflict(new ConflictView(m_session, this))
    , m_history(new HistoryView(m_session, this))
    , m_runOptions(new RunOptionsBar(this))
    , m_tabs(new QTabWidget(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_sources(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("DeckSync Inspector"));
    setAcceptDrops(true);

    m_navigator->setObjectName(u"typeNavigator"_s);
    m_navigator->setModel(m_navigatorModel);
    m_navigator->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_navigator->setSelectionMode(QAbstractItemView::SingleSelection);
    m_navigator->verticalHeader()->hide();
    m_navigator->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_navigator->setCurrentIndex(m_navigatorModel->index(0, 0));
    connect(m_navigator->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        if (i.isValid())
            m_items->setType(static_cast<DataType>(i.data(TypeNavigatorModel::DataTypeRole).toInt()));
    });
    connect(m_items, &ItemPanel::currentItemChanged, m_conflict, &ConflictView::showItem);
    connect(m_conflict, &ConflictView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_conflict, &ConflictView::itemHistoryRequested, this, &MainWindow::showItemHistory);
    connect(m_history, &HistoryView::serverHistoryRequested, this, &MainWindow::showServerHistory);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(u"itemSplitter"_s);
    right->addWidget(m_items);
    right->addWidget(m_conflict);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    auto* main = new QSplitter(Qt::Horizontal, this);
    main->setObjectName(u"mainSplitter"_s);
    main->addWidget(m_navigator);
    main->addWidget(right);
    // The navigator keeps its width (type, items, conflicts, diagnostics); the rest goes to
    // the items and the conflict view.
    main->setStretchFactor(0, 0);
    main->setStretchFactor(1, 1);
    main->setSizes({300, 1000});
    m_tabs->setObjectName(u"tabs"_s);
    m_tabs->addTab(main, tr("Conflic&ts"));
    m_tabs->addTab(m_history, tr("Histor&y"));
    m_compare = new ProfileCompareView(m_session, this);
    m_tabs->addTab(m_compare, tr("Com&pare profiles"));
    setCentralWidget(m_tabs);

    m_progress->setObjectName(u"progress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->hide();
    m_sources->setObjectName(u"sources"_s);
    statusBar()->addWidget(m_sources, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    Operations* ops = m_session->operations();
    connect(ops, &Operations::progressChanged, m_progress, &QProgressBar::setValue);
    connect(ops, &Operations::stateChanged, this, [this, ops](OperationState state) {
        const bool busy = state != OperationState::Idle;
        m_progress->setVisible(busy);
        m_progress->setFormat(ops->title() + u" %p%"_s);
        m_cancel->setVisible(state == OperationState::Loading); // a write is one commit: not cancelled
        updateActions();
    });
    connect(ops, &Operations::cancelled, this, [this] { statusBar()->showMessage(tr("Cancelled."), 5000); });
    connect(m_cancel, &QPushButton::clicked, m_session, &InspectorSession::cancel);
    connect(m_runOptions, &RunOptionsBar::profileChanged, this, [this] {
        if (m_session->hasData())
            rerun();
    });

    connect(m_session, &InspectorSession::snapshotChanged, this, &MainWindow::onSnapshotChanged);
    connect(m_session, &InspectorSession::loadFailed, this,
            [this](const QString& message) { showError(tr("Cannot load"), message); });
    connect(m_session, &InspectorSession::duplicateIdsFound, this, &MainWindow::offerDuplicateIds);
    connect(m_session, &InspectorSession::bundleExported, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Wrote %1: replay it with 'decksync replay %1'.").arg(path), 15000);
    });
    connect(m_session, &InspectorSession::reportExported, this,
            [this](const QString& path) { statusBar()->showMessage(tr("Wrote the case report %1.").arg(path), 15000); });
    connect(m_session, &InspectorSession::reportFailed, this,
            [this](const QString& message) { showError(tr("Cannot write the report"), message); });
    connect(m_session, &InspectorSession::bundleFailed, this,
            [this](const QString& message) { showError(tr("Cannot export"), message); });
    connect(m_session, &InspectorSession::applyFailed, this,
            [this](const QString& message) { showError(tr("Cannot apply"), message); });
    connect(m_session, &InspectorSession::applied, this, [this](qint64 id, const QString& server, const QString& local) {
        statusBar()->showMessage(tr("Applied: wrote %1 and %2 (history #%3).").arg(server, local).arg(id), 10000);
    });
    connect(m_session, &InspectorSession::rolledBack, this,
            [this](qint64 id, const QString& local, const QString& server, bool) {
                statusBar()->showMessage(
                    tr("Rolled back (history #%1): %2 and %3 hold their earlier state.").arg(id).arg(local, server), 10000);
            });
    connect(m_session, &InspectorSession::rollbackFailed, this,
            [this](const QString& message) { showError(tr("Cannot roll back"), message); });
    connect(m_session, &InspectorSession::targetsChanged, this, &MainWindow::offerOverwrite);

    m_server = new ServerLink(m_session, statusBar(), this);
    m_server->setBeforeLoad([this] { return applyRunOptions(); });
    createActions();
    createMenus();
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_items->setType(DataType::Decks);
}

MainWindow::~MainWindow() = default;

ServerClient* MainWindow::serverClient() const { return m_server->client(); }

bool MainWindow::openPair(const QString& localPath, const QString& serverPath)
{
    if (!applyRunOptions())
        return false;
    m_pendingLocal = localPath;
    m_pendingServer = serverPath;
    m_session->load(localPath, serverPath);
    return true;
}

bool MainWindow::applyRunOptions()
{
    QString error;
    if (!m_runOptions->validate(&error)) {
        showError(tr("Cannot run"), error);
        return false;
    }
    m_session->setFixedNow(m_runOptions->fixedNow());
    m_session->setLastSyncOverride(m_runOptions->lastSyncOverride());
    m_session->setProfile(m_runOptions->profile());
    return true;
}

void MainWindow::connectToServer(const QString& localPath)
{
    m_pendingLocal = localPath;
    m_server->connectTo(localPath);
}

void MainWindow::openFile(bool local)
{
    const QString path = QFileDialog::getOpenFileName(this, local ? tr("Open the local dataset") : tr("Open the server dataset"),
                                                      {}, tr("JSON datasets (*.json);;All files (*)"));
    if (!path.isEmpty())
        openSide(local, path);
}

void MainWindow::openSide(bool local, const QString& path)
{
    if (local && m_session->serverIsRemote()) {
        // Connected: the new device file is synced against the same server, fetched again
        // (the server side is an address, not a file to open).
        connectToServer(path);
        return;
    }
    const auto localSide = m_session->localSide();
    const auto serverSide = m_session->serverSide();
    const QString l = local ? path : (localSide ? localSide->path : m_pendingLocal);
    const QString s = local ? (serverSide ? serverSide->path : m_pendingServer) : path;
    if (l.isEmpty() || s.isEmpty()) {
        (local ? m_pendingLocal : m_pendingServer) = path;
        statusBar()->showMessage(local ? tr("Now open the server dataset.") : tr("Now open the local dataset."));
        return;
    }
    openPair(l, s);
}

void MainWindow::rerun()
{
    if (m_session->serverIsRemote()) {
        m_server->refetch(); // the server's data may have moved on: a re-run fetches it again
        return;
    }
    if (applyRunOptions())
        m_session->rerun();
}

void MainWindow::applySync()
{
    if (!m_session->hasData())
        return;
    // Window-modal and asynchronous: its counts arrive from a worker while it is open.
    auto* dialog = new ApplyDialog(m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { m_session->apply(dialog->serverOut(), dialog->localOut()); });
    dialog->open();
}

void MainWindow::onSnapshotChanged()
{
    const auto snapshot = m_session->snapshot();
    m_navigatorModel->setSnapshot(snapshot);
    m_items->reload();
    // Something to look at from the start: the first conflict, else the first item.
    if (snapshot && m_items->currentTypeRow() < 0 && !m_items->step(+1, ItemPanel::Stop::Conflict, true))
        m_items->table()->setCurrentIndex(m_items->table()->model()->index(0, 0));
    const auto local = m_session->localSide();
    const auto server = m_session->serverSide();
    if (local && server) {
        const auto base = m_session->baseSide();
        const QString serverText = m_session->serverIsRemote() && server->revision >= 0
                                       ? tr("%1, revision %2").arg(server->path).arg(server->revision)
                                       : server->path;
        m_sources->setText(tr("Local: %1   Server: %2   %3   now %4")
                               .arg(local->path, serverText, base ? tr("Base: %1").arg(base->path) : tr("No base"),
                                    QString::fromStdString(snapshot->options().now.toString())));
        m_runOptions->setFileLastSync(local->dataset->last_sync);
        m_recentMenu->add(local->path, server->path);
        // The window system adds the application's name after this (its display name).
        const auto shortName = [](const QString& source) {
            return source.contains(u"://"_s) ? source : QFileInfo(source).fileName();
        };
        setWindowTitle(tr("%1 and %2").arg(shortName(local->path), shortName(server->path)));
    }
    updateActions();
}

void MainWindow::updateActions()
{
    // Bound to the operations' state: a write is never superseded, so nothing that would
    // start another read or write is offered while one runs.
    const OperationState state = m_session->operations()->state();
    const bool writing = state == OperationState::Writing || state == OperationState::Pushing;
    const bool data = m_session->hasData();
    for (QAction* a : {m_openLocal, m_openServer, m_connect, m_openBase})
        a->setEnabled(!writing);
    m_clearBase->setEnabled(!writing && data && !m_session->baseFile().isEmpty());
    m_serverHistory->setEnabled(!writing && m_session->serverIsRemote());
    if (m_recentMenu)
        m_recentMenu->setEnabled(!writing);
    m_rerun->setEnabled(data && !writing);
    m_rerun->setText(m_session->serverIsRemote() ? tr("&Fetch again and run sync") : tr("&Run sync again"));
    m_apply->setEnabled(data && state == OperationState::Idle);
    for (QAction* a : {m_export, m_exportReport, m_copySummary}) {
        if (a)
            a->setEnabled(data && !writing);
    }
}

void MainWindow::offerOverwrite(const QStringList& paths, const QString& serverOut, const QString& localOut)
{
    const QString list = paths.join(u"\n"_s);
    statusBar()->showMessage(tr("Nothing was written: %1 changed since it was loaded.").arg(paths.join(u", "_s)), 15000);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Changed by another program"),
                                tr("Another program changed this since it was loaded:\n\n%1\n\nNothing was written. "
                                   "Overwrite that change with the result shown here?")
                                    .arg(list),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"targetsChangedPrompt"_s);
    QPushButton* overwrite = box->addButton(tr("Overwrite"), QMessageBox::DestructiveRole);
    overwrite->setObjectName(u"overwriteChanged"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, overwrite, serverOut, localOut](QAbstractButton* button) {
        if (button == overwrite)
            m_session->apply(serverOut, localOut, true);
    });
    box->open();
}

void MainWindow::showError(const QString& title, const QString& text)
{
    statusBar()->showMessage(text, 15000);
    // Window-modal and asynchronous: the event loop and any background job go on behind it.
    auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
    box->setObjectName(u"errorDialog"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::offerDuplicateIds(const QString& message)
{
    statusBar()->showMessage(message, 15000);
    // Window-modal and asynchronous: the event loop keeps running (and tests can answer it).
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Duplicate ids"), message, QMessageBox::Cancel, this);
    box->setObjectName(u"duplicateIdsPrompt"_s);
    box->setInformativeText(tr("The engine matches only the first server item with one id and syncs local copies "
                               "one after the other. Load anyway to inspect what it does; every repeat is flagged."));
    QPushButton* loadAnyway = box->addButton(tr("Load Anyway"), QMessageBox::AcceptRole);
    loadAnyway->setObjectName(u"loadAnyway"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, loadAnyway](QAbstractButton* button) {
        if (button == loadAnyway)
            m_session->loadAllowingDuplicateIds();
    });
    box->open();
}

void MainWindow::openLater(const QString& path)
{
    const bool server = path.contains(u"server", Qt::CaseInsensitive);
    (server ? m_pendingServer : m_pendingLocal) = path;
    if (!m_pendingLocal.isEmpty() && !m_pendingServer.isEmpty())
        openPair(m_pendingLocal, m_pendingServer);
    else
        statusBar()->showMessage(server ? tr("Now open the local dataset.") : tr("Now open the server dataset."));
}

bool MainWindow::select(DataType type, const Uuid& id)
{
    showType(type);
    return m_items->selectId(id);
}

void MainWindow::showType(DataType type)
{
    m_navigator->setCurrentIndex(m_navigatorModel->index(static_cast<int>(type), 0));
    m_items->setType(type);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    if (files.size() == 2) {
        // A file whose name says "server" is the server side; otherwise the order dropped.
        if (files[0].contains(u"server", Qt::CaseInsensitive) && !files[1].contains(u"server", Qt::CaseInsensitive))
            files.swapItemsAt(0, 1);
        openPair(files[0], files[1]);
    } else if (files.size() == 1) {
        openLater(files[0]);
    }
    event->acceptProposedAction();
}
