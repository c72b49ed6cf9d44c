// SPDX-License-Identifier: MIT
#include "ui/serverrevisionmodel.h"

#include <QLocale>
#include <QStringList>

void ServerRevisionModel::setRevisions(const QList<ServerRevision>& revisions)
{
    beginResetModel();
    m_revisions = revisions;
    endResetModel();
}

int ServerRevisionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_revisions.size());
}

int ServerRevisionModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ServerRevisionModel::whatText(const ServerRevision& r)
{
    switch (r.kind) {
    case ServerRevision::Kind::Sync: return tr("Synced %1").arg(r.dataType);
    case ServerRevision::Kind::Batch: return tr("Sent changes one by one");
    case ServerRevision::Kind::Put: return tr("Replaced all data");
    case ServerRevision::Kind::Restore: return tr("Restored revision %1").arg(r.restored);
    case ServerRevision::Kind::Upgrade: return tr("Data kept from before the server's upgrade");
    }
    return {};
}

QString ServerRevisionModel::changesText(const ServerRevision& r)
{
    QStringList parts;
    if (r.added)
        parts << tr("%1 added").arg(r.added);
    if (r.removed)
        parts << tr("%1 removed").arg(r.removed);
    if (r.changed)
        parts << tr("%1 changed").arg(r.changed);
    return parts.isEmpty() ? tr("no change") : parts.join(tr(", "));
}

QVariant ServerRevisionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ServerRevision& r = m_revisions.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Revision: return r.revision;
        case Time: return QLocale().toString(r.at.toLocalTime(), QLocale::ShortFormat);
        case WrittenBy: return r.by.isEmpty() ? tr("the server") : r.by;
        case Device: return r.device.isEmpty() ? tr("not named") : r.device;
        case What: return whatText(r);
        case Changes: return changesText(r);
        case Conflicts: return r.conflicts;
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Revision || index.column() == Conflicts))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Conflicts)
        return tr("Conflicts the sync resolved between the device's and the server's data");
    return {};
}

QVariant ServerRevisionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Revision: return tr("Revision");
    case Time: return tr("Time");
    case WrittenBy: return tr("Written by");
    case Device: return tr("Device");
    case What: return tr("What");
    case Changes: return tr("Changes");
    case Conflicts: return tr("Conflicts");
    default: return {};
    }
}
