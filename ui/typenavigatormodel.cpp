// SPDX-License-Identifier: MIT
#include "ui/typenavigatormodel.h"

#include "engine/syncsnapshot.h"
#include "ui/palettetint.h"

#include <QBrush>

#include <algorithm>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace {
constexpr int TypeCount = static_cast<int>(std::size(decksync::AllDataTypes));

/// The colour of a conflicts count, from the application palette: its Text moved toward red as
/// far as it stays readable on its Base, so the red itself on a light palette, a lighter one on
/// a dark palette.
QColor conflictsText()
{
    const QPalette palette = QGuiApplication::palette();
    return palettetint::readableMix(palette.color(QPalette::Text), QColor(0xc0, 0x39, 0x2b), 1.0,
                                    palette.color(QPalette::Base));
}
} // namespace

TypeNavigatorModel::TypeNavigatorModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

TypeNavigatorModel::~TypeNavigatorModel() = default;

void TypeNavigatorModel::setSnapshot(std::shared_ptr<const decksync::SyncSnapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    m_counts = {};
    if (m_snapshot) {
        for (int row = 0; row < TypeCount; ++row) {
            Counts& c = m_counts[static_cast<std::size_t>(row)];
            const decksync::TypeView& view = m_snapshot->view(typeAt(row));
            c.items = view.rows().size();
            for (const decksync::ItemRow& r : view.rows()) {
                switch (r.status) {
                case decksync::ItemStatus::Unchanged: break;
                case decksync::ItemStatus::Added: ++c.added; break;
                case decksync::ItemStatus::Updated: ++c.updated; break;
                case decksync::ItemStatus::Merged: ++c.updated; ++c.merged; break;
                case decksync::ItemStatus::Deleted: ++c.deleted; break;
                case decksync::ItemStatus::Conflict: ++c.conflicts; break;
                }
                c.diagnostics += r.diagnostics > 0;
            }
        }
    }
    endResetModel();
}

decksync::DataType TypeNavigatorModel::typeAt(int row)
{
    return row >= 0 && row < TypeCount ? decksync::AllDataTypes[row] : decksync::DataType::Decks;
}

int TypeNavigatorModel::rowOf(decksync::DataType type) { return static_cast<int>(type); }

QString TypeNavigatorModel::displayName(decksync::DataType type)
{
    switch (type) {
    case decksync::DataType::Decks: return u"Decks"_s;
    case decksync::DataType::Achievements: return u"Achievements"_s;
    case decksync::DataType::Progress: return u"Progress"_s;
    case decksync::DataType::Starred: return u"Starred"_s;
    case decksync::DataType::Preferences: break;
    }
    return u"Preferences"_s;
}

int TypeNavigatorModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : TypeCount; }

int TypeNavigatorModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

std::size_t TypeNavigatorModel::countOf(int row, int column) const
{
    if (!m_snapshot)
        return 0;
    const Counts& c = m_counts[static_cast<std::size_t>(row)];
    const decksync::SyncStats& s = m_snapshot->view(typeAt(row)).stats();
    const auto n = [](std::int64_t v) { return static_cast<std::size_t>(std::max<std::int64_t>(v, 0)); };
    switch (column) {
    case ItemsColumn: return n(s.total_items);
    case AddedColumn: return n(s.added);
    case UpdatedColumn: return n(s.updated);
    case DeletedColumn: return n(s.deleted);
    case ConflictsColumn: return n(s.conflicts);
    case DiagnosticsColumn: return c.diagnostics;
    default: return 0;
    }
}

QString TypeNavigatorModel::toolTip(int row) const
{
    const Counts& c = m_counts[static_cast<std::size_t>(row)];
    const decksync::DataType type = typeAt(row);
    if (!m_snapshot)
        return displayName(type);
    const decksync::SyncStats& s = m_snapshot->view(type).stats();
    return u"%1: %2 rows in the table (%3 added, %4 updated, %5 merged, %6 deleted, %7 conflicts)\n"
           u"The sync: %8 items in the result, %9 kept from the device, %10 from the server"_s.arg(displayName(type))
        .arg(c.items)
        .arg(c.added)
        .arg(c.updated - c.merged)
        .arg(c.merged)
        .arg(c.deleted)
        .arg(c.conflicts)
        .arg(s.total_items)
        .arg(s.local_wins)
        .arg(s.server_wins);
}

QVariant TypeNavigatorModel::data(const QModelIndex& index, int role) const
{
    if (!isOwnIndex(index))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (column == TypeColumn)
            return displayName(typeAt(row));
        return static_cast<qulonglong>(countOf(row, column));
    case Qt::ToolTipRole:
        return toolTip(row);
    case Qt::TextAlignmentRole:
        if (column == TypeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::FontRole:
        if (countOf(row, ConflictsColumn) > 0 && (column == TypeColumn || column == ConflictsColumn)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (column == ConflictsColumn && countOf(row, ConflictsColumn) > 0)
            return QBrush(conflictsText());
        return {};
    case DataTypeRole:
        return static_cast<int>(typeAt(row));
    case CountRole:
        return static_cast<qint64>(countOf(row, column));
    default:
        return {};
    }
}

QVariant TypeNavigatorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= NUM_COLUMNS)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TypeColumn: return u"Type"_s;
        case ItemsColumn: return u"Items"_s;
        case AddedColumn: return u"Added"_s;
        case UpdatedColumn: return u"Updated"_s;
        case DeletedColumn: return u"Deleted"_s;
        case ConflictsColumn: return u"Conflicts"_s;
        case DiagnosticsColumn: return u"Diagnostics"_s;
        default: break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case ItemsColumn: return u"Items in the result of the sync (the table also lists the items it deletes)"_s;
        case UpdatedColumn: return u"Items the sync replaced with the device's or a merged version, conflicts included"_s;
        case ConflictsColumn: return u"Items changed on both sides: the sync chose one, or merged them"_s;
        case DiagnosticsColumn: return u"Items with at least one diagnostic"_s;
        default: break;
        }
    }
    return {};
}

QHash<int, QByteArray> TypeNavigatorModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(DataTypeRole, QByteArrayLiteral("dataType"));
    names.insert(CountRole, QByteArrayLiteral("count"));
    return names;
}
