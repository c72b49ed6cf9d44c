// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/serverhistory.h"

#include <QAbstractTableModel>
#include <QList>

/// The items that differ between two revisions, one row each: type, name, what happened.
class RevisionItemModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Type, Item, What, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setChanges(const QList<RevisionItemChange>& changes);
    [[nodiscard]] const RevisionItemChange& change(int row) const { return m_changes.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<RevisionItemChange> m_changes;
};
