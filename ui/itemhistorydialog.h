// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class InspectorSession;
class ItemEventModel;
class ItemHistory;
class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeView;

/// The history of one item: every run on this computer and, when connected, every server
/// revision that changed it, with its fields before and after; and the choice of one of those
/// versions as the item's result (one undo step, written by Apply as any resolution). It shows
/// and asks; ItemHistory reads, the session resolves.
class ItemHistoryDialog : public QDialog {
    Q_OBJECT
public:
    /// `label`: the item's name ("deck \"Biology: cells\"").
    ItemHistoryDialog(ItemHistory* history, InspectorSession* session, const QString& label,
                      QWidget* parent = nullptr);

    [[nodiscard]] QTreeView* list() const { return m_list; }
    [[nodiscard]] QTextBrowser* details() const { return m_details; }
    [[nodiscard]] QLabel* status() const { return m_status; }
    /// Makes the selected change's version before (`after` false) or after it the item's result.
    void useSelected(bool after);

private:
    void eventsChanged();
    void selectionChanged();

    ItemHistory* m_history;
    InspectorSession* m_session;
    QString m_label;
    ItemEventModel* m_model;
    QTreeView* m_list;
    QTextBrowser* m_details;
    QLabel* m_status;
    QPushButton* m_useBefore;
    QPushButton* m_useAfter;
    QString m_problem; ///< what could not be read, shown with the status
};
