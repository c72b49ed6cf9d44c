// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/itemhistory.h"

#include <QAbstractTableModel>
#include <QList>

/// The changes of one item, newest first, in support's words: when, where (a run on this
/// computer or a server revision), whose copy, who, and what changed.
class ItemEventModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Where, Copy, By, Change, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(const QList<ItemEvent>& events);
    [[nodiscard]] const ItemEvent& event(int row) const { return m_events.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// "Sync #12 on this computer", "Server revision 7: synced decks", ...
    static QString whereText(const ItemEvent& e);
    /// "the device's copy", "the server's copy" (of a run), "the server".
    static QString copyText(const ItemEvent& e);

private:
    QList<ItemEvent> m_events;
};
