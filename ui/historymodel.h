// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>

#include "app/services/historystore.h"

/// The sync history, newest first: one row per applied sync or rollback.
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { IdColumn, WhenColumn, KindColumn, ServerColumn, LocalColumn, UserColumn, ConflictsColumn,
                   ManualColumn, StateColumn, NUM_COLUMNS };
    enum Roles { RecordIdRole = Qt::UserRole, ///< qint64
                 RolledBackRole,              ///< bool
                 ConflictsRole };             ///< int

    explicit HistoryModel(QObject* parent = nullptr);

    void setRuns(QList<HistorySummary> runs);
    [[nodiscard]] const QList<HistorySummary>& runs() const { return m_runs; }
    /// The row of record `id`, or -1.
    [[nodiscard]] int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistorySummary> m_runs;
};
