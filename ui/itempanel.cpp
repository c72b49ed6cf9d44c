// SPDX-License-Identifier: MIT
#include "ui/itempanel.h"

#include "app/services/inspectorsession.h"
#include "ui/itemfilterproxy.h"
#include "ui/itemtablemodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace decksync;
using namespace Qt::StringLiterals;

ItemPanel::ItemPanel(InspectorSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_filter(new QLineEdit(this))
    , m_onlyConflicts(new QCheckBox(tr("Only &conflicts"), this))
    , m_onlyChanged(new QCheckBox(tr("Only cha&nged"), this))
    , m_onlyDiagnostics(new QCheckBox(tr("Only with &diagnostics"), this))
    , m_table(new QTableView(this))
    , m_model(new ItemTableModel(this))
    , m_proxy(new ItemFilterProxy(this))
{
    m_filter->setObjectName(u"itemFilter"_s);
    m_filter->setPlaceholderText(tr("Filter by title or id"));
    m_filter->setClearButtonEnabled(true);
    m_onlyConflicts->setObjectName(u"onlyConflicts"_s);
    m_onlyChanged->setObjectName(u"onlyChanged"_s);
    m_onlyDiagnostics->setObjectName(u"onlyDiagnostics"_s);
    m_proxy->setSourceModel(m_model);
    m_model->setResolutions(&m_session->resolutions());

    m_table->setObjectName(u"itemTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // merged order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ItemTableModel::StatusColumn, 90);
    m_table->setColumnWidth(ItemTableModel::LabelColumn, 220);
    m_table->setColumnWidth(ItemTableModel::IdColumn, 110);
    m_table->setColumnWidth(ItemTableModel::LocalTimeColumn, 165);
    m_table->setColumnWidth(ItemTableModel::ServerTimeColumn, 165);
    m_table->setColumnWidth(ItemTableModel::LocalVersionColumn, 70);
    m_table->setColumnWidth(ItemTableModel::ServerVersionColumn, 70);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &ItemFilterProxy::setFilterText);
    connect(m_onlyConflicts, &QCheckBox::toggled, m_proxy, &ItemFilterProxy::setOnlyConflicts);
    connect(m_onlyChanged, &QCheckBox::toggled, m_proxy, &ItemFilterProxy::setOnlyChanged);
    connect(m_onlyDiagnostics, &QCheckBox::toggled, m_proxy, &ItemFilterProxy::setOnlyDiagnostics);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT currentItemChanged(m_type, currentTypeRow()); });
    connect(m_session, &InspectorSession::resolutionChanged, this, [this](DataType type, const Uuid& id) {
        if (type == m_type)
            m_model->resolutionChanged(id);
    });
    connect(m_session, &InspectorSession::resolutionsReset, this, [this] {
        if (m_model->rowCount() > 0)
            Q_EMIT m_model->dataChanged(m_model->index(0, 0),
                                        m_model->index(m_model->rowCount() - 1, ItemTableModel::NUM_COLUMNS - 1));
    });

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_onlyConflicts);
    filters->addWidget(m_onlyChanged);
    filters->addWidget(m_onlyDiagnostics);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
}

void ItemPanel::setType(DataType type)
{
    if (type == m_type && m_model->snapshot() == m_session->snapshot())
        return;
    m_type = type;
    m_model->setSnapshot(m_session->snapshot(), type);
    Q_EMIT currentItemChanged(m_type, currentTypeRow());
}

void ItemPanel::reload()
{
    const int row = currentTypeRow();
    Uuid id;
    const bool had = row >= 0 && m_model->typeView();
    if (had)
        id = m_model->typeView()->rows()[static_cast<std::size_t>(row)].id;
    m_model->setSnapshot(m_session->snapshot(), m_type);
    if (!had || !selectId(id))
        Q_EMIT currentItemChanged(m_type, -1);
}

int ItemPanel::currentTypeRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(ItemTableModel::RowRole).toInt() : -1;
}

bool ItemPanel::selectId(const Uuid& id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {
        m_filter->clear();
        for (QCheckBox* b : {m_onlyConflicts, m_onlyChanged, m_onlyDiagnostics})
            b->setChecked(false);
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return index.isValid();
}

bool ItemPanel::isStop(const TypeView& view, std::size_t row, Stop stop, const ResolutionSet& resolutions)
{
    const ItemRow& r = view.rows()[row];
    switch (stop) {
    case Stop::Conflict: return r.status == ItemStatus::Conflict;
    case Stop::UnresolvedConflict:
        return r.status == ItemStatus::Conflict && resolutions.find(view.type(), r.id) == nullptr;
    case Stop::Warning: return (r.diagnostics > 0 && r.worst >= Severity::Warning) || r.anySideGoesBack();
    }
    return false;
}

bool ItemPanel::step(int direction, Stop stop, bool fromEdge)
{
    const TypeView* view = m_model->typeView();
    if (!view)
        return false;
    const int count = m_proxy->rowCount();
    const QModelIndex current = m_table->currentIndex();
    const int start = !fromEdge && current.isValid() ? current.row() : (direction > 0 ? -1 : count);
    for (int r = start + direction; r >= 0 && r < count; r += direction) {
        const QModelIndex index = m_proxy->index(r, 0);
        const auto typeRow = static_cast<std::size_t>(index.data(ItemTableModel::RowRole).toInt());
        if (!isStop(*view, typeRow, stop, m_session->resolutions()))
            continue;
        m_table->setCurrentIndex(index);
        m_table->scrollTo(index);
        return true;
    }
    return false;
}

std::vector<Uuid> ItemPanel::shownIds() const
{
    std::vector<Uuid> ids;
    const TypeView* view = m_model->typeView();
    if (!view)
        return ids;
    ids.reserve(static_cast<std::size_t>(m_proxy->rowCount()));
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const int typeRow = m_proxy->index(r, 0).data(ItemTableModel::RowRole).toInt();
        ids.push_back(view->rows()[static_cast<std::size_t>(typeRow)].id);
    }
    return ids;
}
