// SPDX-License-Identifier: MIT
#include "ui/userdirectorymodel.h"

#include <QLocale>

void UserDirectoryModel::setUsers(const QList<DirectoryUser>& users)
{
    beginResetModel();
    m_users = users;
    endResetModel();
}

int UserDirectoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_users.size());
}

int UserDirectoryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString UserDirectoryModel::healthText(DirectoryUser::Health health)
{
    switch (health) {
    case DirectoryUser::Health::NoData: return tr("No data yet");
    case DirectoryUser::Health::Conflicts: return tr("Conflicts this week");
    case DirectoryUser::Health::Ok: return tr("OK");
    }
    return {};
}

QVariant UserDirectoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DirectoryUser& u = m_users.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Email: return u.support ? tr("%1 (support)").arg(u.email) : u.email;
        case LastWrite:
            return u.lastWrite.isValid() ? QLocale().toString(u.lastWrite.toLocalTime(), QLocale::ShortFormat)
                                         : tr("never");
        case Revisions: return u.revision;
        case Conflicts: return u.conflicts;
        case Health: return healthText(u.health);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Conflicts)
        return tr("%n conflict(s) resolved by this user's syncs in the last 7 days", nullptr,
                  static_cast<int>(u.recentConflicts));
    if (role == Qt::TextAlignmentRole && (index.column() == Revisions || index.column() == Conflicts))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant UserDirectoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Email: return tr("User");
    case LastWrite: return tr("Last write");
    case Revisions: return tr("Revisions");
    case Conflicts: return tr("Conflicts");
    case Health: return tr("Health");
    default: return {};
    }
}
