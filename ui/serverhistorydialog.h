// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
class RevisionItemModel;
class ServerHistory;
class ServerRevisionModel;

/// The user's history on the server: every revision with who wrote it, when and from which
/// device; what changed in one (against the one before it) or between two chosen ones, by
/// item name; and the restore of a revision, or of one item as it was before those changes,
/// which becomes the newest revision (nothing is lost: what it replaces stays in the history).
/// It shows and asks; ServerHistory fetches and writes.
class ServerHistoryDialog : public QDialog {
    Q_OBJECT
public:
    ServerHistoryDialog(ServerHistory* history, const QString& who, QWidget* parent = nullptr);

Q_SIGNALS:
    /// A restore was written: the window fetches the server's data again.
    void restored(qint64 newRevision);

private:
    void selectionChanged();
    void compareSelected();
    void restoreSelected();
    void restoreItem();
    /// Asks `question`; runs `yes` on Restore.
    void confirm(const QString& title, const QString& question, std::function<void()> yes);
    [[nodiscard]] QList<int> selectedRows() const;

    ServerHistory* m_history;
    ServerRevisionModel* m_model;
    QTreeView* m_list;
    QPlainTextEdit* m_changes;
    QLabel* m_status;
    QPushButton* m_compare;
    QPushButton* m_restore;
    RevisionItemModel* m_items;
    QTreeView* m_itemList;
    QPushButton* m_restoreItem;
    qint64 m_comparedFrom = -1; ///< the older revision of the comparison shown (-1: none)
};
