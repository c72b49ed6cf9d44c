// SPDX-License-Identifier: MIT
#include "ui/itemfilterproxy.h"

#include "ui/itemtablemodel.h"

#include "engine/syncsnapshot.h"

ItemFilterProxy::ItemFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ItemTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

ItemFilterProxy::~ItemFilterProxy() = default;

void ItemFilterProxy::setFilterText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    refilter();
}

void ItemFilterProxy::setOnlyConflicts(bool on)
{
    if (on == m_onlyConflicts)
        return;
    m_onlyConflicts = on;
    refilter();
}

void ItemFilterProxy::setOnlyChanged(bool on)
{
    if (on == m_onlyChanged)
        return;
    m_onlyChanged = on;
    refilter();
}

void ItemFilterProxy::setOnlyDiagnostics(bool on)
{
    if (on == m_onlyDiagnostics)
        return;
    m_onlyDiagnostics = on;
    refilter();
}

void ItemFilterProxy::refilter()
{
    // Qt 6.4 has no beginFilterChange(); only rows are filtered here.
    invalidateRowsFilter();
}

QModelIndex ItemFilterProxy::indexForTypeRow(int typeRow, int column) const
{
    const QAbstractItemModel* source = sourceModel();
    if (!source || typeRow < 0 || typeRow >= source->rowCount())
        return {};
    return mapFromSource(source->index(typeRow, column));
}

int ItemFilterProxy::typeRowAt(const QModelIndex& proxyIndex) const
{
    if (!proxyIndex.isValid() || proxyIndex.model() != this)
        return -1;
    const QVariant row = proxyIndex.data(ItemTableModel::RowRole);
    return row.isValid() ? row.toInt() : -1;
}

bool ItemFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* source = sourceModel();
    if (!source)
        return false;
    if (!m_onlyConflicts && !m_onlyChanged && !m_onlyDiagnostics && m_text.isEmpty())
        return true;
    const QModelIndex first = source->index(sourceRow, 0, sourceParent);
    if (m_onlyConflicts || m_onlyChanged) {
        const int status = first.data(ItemTableModel::StatusRole).toInt();
        if (m_onlyConflicts && status != static_cast<int>(decksync::ItemStatus::Conflict))
            return false;
        // An unchanged item that takes a side back to an older version is a change there.
        if (m_onlyChanged && status == static_cast<int>(decksync::ItemStatus::Unchanged)
            && !first.data(ItemTableModel::GoesBackRole).toBool())
            return false;
    }
    if (m_onlyDiagnostics && first.data(ItemTableModel::DiagnosticsRole).toUInt() == 0)
        return false;
    if (m_text.isEmpty())
        return true;
    if (first.data(ItemTableModel::IdRole).toString().contains(m_text, Qt::CaseInsensitive))
        return true;
    const QModelIndex label = source->index(sourceRow, ItemTableModel::LabelColumn, sourceParent);
    return label.data(Qt::DisplayRole).toString().contains(m_text, Qt::CaseInsensitive);
}
