// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/serverclient.h"

#include <QAbstractTableModel>
#include <QList>

/// The users a support search found, one row each: email, last write, revisions, conflicts
/// and a word on their health.
class UserDirectoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Email, LastWrite, Revisions, Conflicts, Health, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setUsers(const QList<DirectoryUser>& users);
    [[nodiscard]] const DirectoryUser& user(int row) const { return m_users.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The health as support reads it: "No data yet", "Conflicts this week", "OK".
    static QString healthText(DirectoryUser::Health health);

private:
    QList<DirectoryUser> m_users;
};
