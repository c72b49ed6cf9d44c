// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare>/<concepts> unless a Qt header came before.
#include <QAbstractTableModel>

#include "engine/models.h"

#include <memory>
#include <vector>

namespace decksync {
class SyncSnapshot;
class TypeView;
class ResolutionSet;
} // namespace decksync

/// The aligned item rows of one data type of a snapshot (TypeView::rows(), in order: model
/// row == type row). Built for 200k rows: nothing is precomputed per row; every cell reads
/// the engine's row directly (the label is built on demand). The id -> rows lookup that
/// resolutionChanged() needs is built on first use.
class ItemTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Columns { StatusColumn, LabelColumn, IdColumn, LocalTimeColumn, ServerTimeColumn, LocalVersionColumn,
                   ServerVersionColumn, DiagnosticsColumn, ResolutionColumn, NUM_COLUMNS };
    enum Roles {
        StatusRole = Qt::UserRole, ///< int of decksync::ItemStatus
        RowRole,                   ///< int: index into TypeView::rows()
        IdRole,                    ///< QString
        DiagnosticsRole,           ///< uint: how many diagnostics concern the item
        SeverityRole,              ///< int of decksync::Severity, the worst; -1 without diagnostics
        ResolvedRole,              ///< bool: a manual resolution exists
        GoesBackRole,              ///< bool: after the sync a side holds a lower version than now
        SortRole,                  ///< qint64 (numbers; times as seconds * 1e9 + nanos) or QString
    };

    explicit ItemTableModel(QObject* parent = nullptr);
    ~ItemTableModel() override;

    /// Shows the rows of `type` in `snapshot` (null: no rows).
    void setSnapshot(std::shared_ptr<const decksync::SyncSnapshot> snapshot, decksync::DataType type);
    /// The session's resolutions (owned elsewhere, may be null); the resolution column reads them.
    void setResolutions(const decksync::ResolutionSet* resolutions);
    /// The resolution of `id` changed: emits dataChanged for its row(s).
    void resolutionChanged(const decksync::Uuid& id);

    [[nodiscard]] const std::shared_ptr<const decksync::SyncSnapshot>& snapshot() const { return m_snapshot; }
    [[nodiscard]] decksync::DataType dataType() const { return m_type; }
    /// The shown type's view, or null without a snapshot.
    [[nodiscard]] const decksync::TypeView* typeView() const { return m_view; }
    /// The first row of `id`, or -1.
    [[nodiscard]] int rowOf(const decksync::Uuid& id) const;
    /// Every row of `id`, in order (empty when none).
    [[nodiscard]] std::vector<int> rowsOf(const decksync::Uuid& id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// What a side that goes back loses, a sentence per side (see decksync::ItemRow); empty
    /// when neither does.
    [[nodiscard]] static QString goesBackText(const decksync::TypeView& view, std::size_t row);

private:
    [[nodiscard]] QVariant display(int row, int column) const;
    [[nodiscard]] QVariant sortKey(int row, int column) const;
    [[nodiscard]] QString resolutionText(int row) const;
    [[nodiscard]] QString diagnosticsToolTip(int row) const;

    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    const decksync::TypeView* m_view = nullptr;
    decksync::DataType m_type = decksync::DataType::Decks;
    const decksync::ResolutionSet* m_resolutions = nullptr;
    QString m_timestampName;
};
