// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

#include "engine/models.h"
#include "engine/side.h"
#include "ui/itempanel.h"

#include <optional>

class ConflictView;
class HistoryView;
class InspectorSession;
class ProfileCompareView;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class RecentPairsMenu;
class RunOptionsBar;
class ServerClient;
class ServerLink;
class TypeNavigatorModel;

/// The inspector's window: composes the navigator, the item table, the side-by-side
/// conflict view and the history, and wires them to one InspectorSession.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] InspectorSession* session() const { return m_session; }
    [[nodiscard]] ItemPanel* itemPanel() const { return m_items; }
    [[nodiscard]] ConflictView* conflictView() const { return m_conflict; }
    [[nodiscard]] RunOptionsBar* runOptions() const { return m_runOptions; }
    [[nodiscard]] HistoryView* historyView() const { return m_history; }
    [[nodiscard]] ProfileCompareView* compareView() const { return m_compare; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }

    /// Loads a pair of files with the options shown; false (and a message) when an option
    /// does not parse.
    bool openPair(const QString& localPath, const QString& serverPath);
    /// Remembers one file (the server side when its name says "server", else the local side)
    /// and opens the pair once both are known.
    void openLater(const QString& path);
    /// Opens `path` as the local (or server) side with the other side as loaded; while
    /// connected to a live server, a local file is synced against that server.
    void openSide(bool local, const QString& path);
    /// Shows `type` and selects `id` in it (after a load).
    bool select(decksync::DataType type, const decksync::Uuid& id);
    void showType(decksync::DataType type);
    [[nodiscard]] ServerClient* serverClient() const;
    /// Connects to a live server and syncs `localPath` against the user's data there.
    void connectToServer(const QString& localPath);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void openFile(bool local);
    /// The connected user's revisions on the server, their changes, and restore.
    void showServerHistory();
    /// Every run and server revision that changed item `id` of `type`, in a dialog.
    void showItemHistory(decksync::DataType type, const decksync::Uuid& id);
    void rerun();
    void applySync();
    /// Resolves every shown item as `base`'s version (empty: the engine's result).
    /// Asks, then resolves every shown item of the type the same way (one undo step).
    void bulkResolve(std::optional<decksync::Side> base);
    /// The next (+1) or previous (-1) `stop`, going on into the next data types when this one
    /// has none left.
    void step(int direction, ItemPanel::Stop stop);
    /// Help > Keyboard shortcuts: every action with a key, as the menus name it.
    void showShortcuts();
    void onSnapshotChanged();
    void updateActions();
    /// Apply found targets that another program changed: asks whether to overwrite them.
    void offerOverwrite(const QStringList& paths, const QString& serverOut, const QString& localOut);
    void showError(const QString& title, const QString& text);
    /// A side names one item twice: says where, and offers to load it anyway.
    void offerDuplicateIds(const QString& message);
    /// Validates the run options and hands them to the session; false (and a message) when
    /// one does not parse.
    bool applyRunOptions();

    InspectorSession* m_session;
    TypeNavigatorModel* m_navigatorModel;
    QTableView* m_navigator;
    ItemPanel* m_items;
    ConflictView* m_conflict;
    HistoryView* m_history;
    RunOptionsBar* m_runOptions;
    QTabWidget* m_tabs;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QLabel* m_sources;
    ServerLink* m_server = nullptr;
    RecentPairsMenu* m_recentMenu = nullptr;
    QString m_pendingLocal;
    QString m_pendingServer;

    QAction* m_openLocal = nullptr;
    QAction* m_openServer = nullptr;
    QAction* m_connect = nullptr;
    QAction* m_serverHistory = nullptr;
    QAction* m_rerun = nullptr;
    QAction* m_apply = nullptr;
    QAction* m_nextConflict = nullptr;
    QAction* m_prevConflict = nullptr;
    QAction* m_nextUnresolved = nullptr;
    QAction* m_nextWarning = nullptr;
    QAction* m_prevWarning = nullptr;
    QAction* m_keepLocal = nullptr;
    QAction* m_keepServer = nullptr;
    QAction* m_useEngine = nullptr;
    QAction* m_keepBoth = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_export = nullptr;
    QAction* m_exportReport = nullptr;
    QAction* m_copySummary = nullptr;
    ProfileCompareView* m_compare = nullptr;
    QAction* m_openBase = nullptr;
    QAction* m_clearBase = nullptr;
};
