// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
class ServerHistory;
class ServerRevisionModel;

/// The user's history on the server: every revision with who wrote it, when and from which
/// device; what changed in one (against the one before it) or between two chosen ones, by
/// item name; and the restore of a revision, which becomes the newest one (nothing is lost:
/// what it replaces stays in the history). It shows and asks; ServerHistory fetches and writes.
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
    [[nodiscard]] QList<int> selectedRows() const;

    ServerHistory* m_history;
    ServerRevisionModel* m_model;
    QTreeView* m_list;
    QPlainTextEdit* m_changes;
    QLabel* m_status;
    QPushButton* m_compare;
    QPushButton* m_restore;
};
