// SPDX-License-Identifier: MIT
#include "ui/profilecomparemodel.h"

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

/// What one profile's result holds for the item, in a few words.
QString resultText(const ProfileDifference& d, bool seed)
{
    switch (d.kind) {
    case ProfileDifference::Kind::SeedDeletes: return seed ? QObject::tr("deleted") : QObject::tr("kept");
    case ProfileDifference::Kind::SafeDeletes: return seed ? QObject::tr("kept") : QObject::tr("deleted");
    case ProfileDifference::Kind::Differs: break;
    }
    QStringList parts;
    for (const FieldDifference& f : d.fields)
        parts << u"%1: %2"_s.arg(QString::fromStdString(f.name),
                                 QString::fromStdString((seed ? f.seed : f.safe).display()).simplified());
    return parts.join(u"; "_s);
}

} // namespace

ProfileCompareModel::ProfileCompareModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ProfileCompareModel::setComparison(std::shared_ptr<const ProfileComparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    endResetModel();
}

const ProfileDifference* ProfileCompareModel::difference(int row) const
{
    if (!m_comparison || row < 0 || static_cast<std::size_t>(row) >= m_comparison->differences.size())
        return nullptr;
    return &m_comparison->differences[static_cast<std::size_t>(row)];
}

int ProfileCompareModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_comparison ? 0 : static_cast<int>(m_comparison->differences.size());
}

int ProfileCompareModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

QVariant ProfileCompareModel::data(const QModelIndex& index, int role) const
{
    const ProfileDifference* d = index.isValid() && index.model() == this ? difference(index.row()) : nullptr;
    if (!d || index.column() >= NUM_COLUMNS || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    switch (index.column()) {
    case TypeColumn: return QString::fromLatin1(dataTypeName(d->type));
    case ItemColumn:
        return role == Qt::ToolTipRole ? QString::fromStdString(d->id.toString()) : QString::fromStdString(d->label);
    case SeedColumn:
        return role == Qt::ToolTipRole && !d->seedReason.empty() ? QString::fromStdString(d->seedReason)
                                                                  : resultText(*d, true);
    case SafeColumn: {
        QString text = resultText(*d, false);
        if (role == Qt::ToolTipRole) {
            for (const FieldDifference& f : d->fields)
                text += u"\n"_s + tr("%1 from %2").arg(QString::fromStdString(f.name), QString::fromStdString(f.safeFrom));
        }
        return text;
    }
    case WhyColumn: return QString::fromStdString(d->safeReason);
    default: return {};
    }
}

QVariant ProfileCompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TypeColumn: return tr("Type");
    case ItemColumn: return tr("Item");
    case SeedColumn: return tr("Seed's result");
    case SafeColumn: return tr("Safe's result");
    case WhyColumn: return tr("Why safe differs");
    default: return {};
    }
}
