// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare>/<concepts> unless a Qt header came before.
#include <QAbstractTableModel>

#include "engine/profilecompare.h"

#include <memory>

/// The items on which the seed and safe profiles disagree, one row each: the type, the
/// item, what each profile's result holds, and why safe decided as it did.
class ProfileCompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { TypeColumn, ItemColumn, SeedColumn, SafeColumn, WhyColumn, NUM_COLUMNS };

    explicit ProfileCompareModel(QObject* parent = nullptr);

    /// Shows `comparison` (kept alive); null shows nothing.
    void setComparison(std::shared_ptr<const decksync::ProfileComparison> comparison);
    [[nodiscard]] const std::shared_ptr<const decksync::ProfileComparison>& comparison() const { return m_comparison; }
    /// The difference of `row`, or null.
    [[nodiscard]] const decksync::ProfileDifference* difference(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const decksync::ProfileComparison> m_comparison;
};
