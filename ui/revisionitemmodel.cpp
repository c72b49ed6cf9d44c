// SPDX-License-Identifier: MIT
#include "ui/revisionitemmodel.h"

void RevisionItemModel::setChanges(const QList<RevisionItemChange>& changes)
{
    beginResetModel();
    m_changes = changes;
    endResetModel();
}

int RevisionItemModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_changes.size());
}

int RevisionItemModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RevisionItemModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RevisionItemChange& c = m_changes.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Type: return QString::fromLatin1(decksync::dataTypeName(c.type));
        case Item: return c.label.isEmpty() ? c.id : c.label;
        case What: return c.what;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Item)
        return c.id;
    if (role == Qt::ToolTipRole && index.column() == What)
        return c.what;
    return {};
}

QVariant RevisionItemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Type: return tr("Type");
    case Item: return tr("Item");
    case What: return tr("What happened");
    default: return {};
    }
}
