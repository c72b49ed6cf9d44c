// SPDX-License-Identifier: MIT
#include "ui/historymodel.h"

#include <QFileInfo>
#include <QFont>

using namespace Qt::StringLiterals;

HistoryModel::HistoryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void HistoryModel::setRuns(QList<HistorySummary> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

int HistoryModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id == id)
            return i;
    }
    return -1;
}

int HistoryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_runs.size()); }

int HistoryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : NUM_COLUMNS; }

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistorySummary& r = m_runs[index.row()];
    switch (role) {
    case RecordIdRole:
        return r.id;
    case RolledBackRole:
        return r.rolledBackBy != 0;
    case ConflictsRole:
        return r.conflicts;
    case Qt::FontRole:
        if (r.rolledBackBy != 0) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        return QString(tr("Local: %1\nServer: %2").arg(r.localSource, r.serverSource)
                       + (r.pending ? tr("\nA crash cut this run short, and a file changed since: the inspector left "
                                         "it as it is. Roll it back or apply again.")
                                    : QString()));
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case IdColumn: return u"#%1"_s.arg(r.id);
    case WhenColumn: return r.recordedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case KindColumn: return r.kind == RunKind::Rollback ? tr("rollback of #%1").arg(r.rollbackOf) : tr("sync");
    case ServerColumn: return QFileInfo(r.serverSource).fileName();
    case LocalColumn: return QFileInfo(r.localSource).fileName();
    case UserColumn: return r.user;
    case ConflictsColumn: return r.conflicts;
    case ManualColumn: return r.manualResolutions;
    case StateColumn:
        if (r.pending)
            return tr("interrupted: its files were not all written");
        return r.rolledBackBy != 0 ? tr("rolled back by #%1").arg(r.rolledBackBy) : tr("in force");
    default: return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Run");
    case WhenColumn: return tr("When");
    case KindColumn: return tr("Kind");
    case ServerColumn: return tr("Server");
    case LocalColumn: return tr("Local");
    case UserColumn: return tr("By");
    case ConflictsColumn: return tr("Conflicts");
    case ManualColumn: return tr("By hand");
    case StateColumn: return tr("State");
    default: return {};
    }
}
