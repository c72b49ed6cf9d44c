// SPDX-License-Identifier: MIT
#include "ui/itemeventmodel.h"

#include "ui/serverrevisionmodel.h"

using namespace decksync;
using namespace Qt::StringLiterals;

void ItemEventModel::setEvents(const QList<ItemEvent>& events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

int ItemEventModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int ItemEventModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ItemEventModel::whereText(const ItemEvent& e)
{
    if (e.source == ItemEventSource::ServerRevision)
        return tr("Server revision %1: %2").arg(e.number).arg(ServerRevisionModel::whatText(e.revision));
    return e.runKind == RunKind::Rollback ? tr("Rollback #%1 on this computer").arg(e.number)
                                          : tr("Sync #%1 on this computer").arg(e.number);
}

QString ItemEventModel::copyText(const ItemEvent& e)
{
    if (e.source == ItemEventSource::ServerRevision)
        return tr("the server");
    return e.side == Side::Local ? tr("the device's copy") : tr("the server's copy");
}

QVariant ItemEventModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const ItemEvent& e = m_events.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == By && e.source == ItemEventSource::ServerRevision
        && !e.revision.device.isEmpty())
        return tr("Written from the device %1").arg(e.revision.device);
    if (role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(index.column())) {
    case Time: return e.at.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case Where: return whereText(e);
    case Copy: return copyText(e);
    case By:
        if (e.source == ItemEventSource::Run)
            return e.by;
        return e.revision.device.isEmpty() ? e.revision.by : tr("%1 from %2").arg(e.revision.by, e.revision.device);
    case Change: return e.what;
    case ColumnCount: break;
    }
    return {};
}

QVariant ItemEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (static_cast<Column>(section)) {
        case Time: return tr("When it was applied or written (UTC)");
        case Where: return tr("A run applied from this computer, or a write on the live server");
        case Copy: return tr("Whose copy of the item changed");
        case By: return tr("Who applied or wrote it");
        case Change: return tr("What changed in the item");
        case ColumnCount: break;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Time: return tr("When (UTC)");
    case Where: return tr("Where");
    case Copy: return tr("Copy");
    case By: return tr("By");
    case Change: return tr("Change");
    case ColumnCount: break;
    }
    return {};
}
