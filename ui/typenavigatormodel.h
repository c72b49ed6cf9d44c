// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare>/<concepts> unless a Qt header came before.
#include <QAbstractTableModel>

#include "engine/models.h"

#include <array>
#include <cstddef>
#include <memory>

namespace decksync {
class SyncSnapshot;
}

/// The five data types of a snapshot with their row counts: the inspector's left-hand list.
/// Counts are taken once per snapshot (a pass over each type's rows), never per paint.
class TypeNavigatorModel : public QAbstractTableModel {
    Q_OBJECT

public:
    /// The counts are the sync's own (as the command line and the history give them), but
    /// for Diagnostics. What a user looks for first comes first: a narrow navigator still
    /// shows the conflicts and the diagnostics.
    enum Columns { TypeColumn, ItemsColumn, ConflictsColumn, DiagnosticsColumn, AddedColumn, UpdatedColumn,
                   DeletedColumn, NUM_COLUMNS };
    enum Roles { DataTypeRole = Qt::UserRole, ///< int of decksync::DataType
                 CountRole ///< the column's count as qint64 (0 for the type column)
    };

    explicit TypeNavigatorModel(QObject* parent = nullptr);
    ~TypeNavigatorModel() override;

    /// Shows `snapshot` (null: every count 0).
    void setSnapshot(std::shared_ptr<const decksync::SyncSnapshot> snapshot);
    [[nodiscard]] const std::shared_ptr<const decksync::SyncSnapshot>& snapshot() const { return m_snapshot; }

    /// The type a row shows, and the row of a type.
    [[nodiscard]] static decksync::DataType typeAt(int row);
    [[nodiscard]] static int rowOf(decksync::DataType type);
    /// "Decks", "Achievements", ...
    [[nodiscard]] static QString displayName(decksync::DataType type);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Counts {
        std::size_t items = 0;
        std::size_t added = 0;
        std::size_t updated = 0; ///< updated and merged
        std::size_t merged = 0;  ///< the merged part of `updated`, for the tooltip
        std::size_t deleted = 0;
        std::size_t conflicts = 0;
        std::size_t diagnostics = 0; ///< rows with diagnostics
    };
    [[nodiscard]] bool isOwnIndex(const QModelIndex& index) const
    {
        return index.isValid() && index.model() == this && index.row() < rowCount() && index.column() < NUM_COLUMNS;
    }
    [[nodiscard]] std::size_t countOf(int row, int column) const;
    [[nodiscard]] QString toolTip(int row) const;

    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    std::array<Counts, 5> m_counts{};
};
