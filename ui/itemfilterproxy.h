// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

/// Filters and sorts an ItemTableModel: a case-insensitive text filter on label and id, and
/// toggles for conflicts, changed items and items with diagnostics (all combined with AND).
/// Sorts by ItemTableModel::SortRole.
class ItemFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit ItemFilterProxy(QObject* parent = nullptr);
    ~ItemFilterProxy() override;

    void setFilterText(const QString& text);
    void setOnlyConflicts(bool on);
    void setOnlyChanged(bool on); ///< status != unchanged
    void setOnlyDiagnostics(bool on);

    [[nodiscard]] const QString& filterText() const { return m_text; }
    [[nodiscard]] bool onlyConflicts() const { return m_onlyConflicts; }
    [[nodiscard]] bool onlyChanged() const { return m_onlyChanged; }
    [[nodiscard]] bool onlyDiagnostics() const { return m_onlyDiagnostics; }

    /// The proxy index of a type row (== source row), invalid when it is filtered out.
    [[nodiscard]] QModelIndex indexForTypeRow(int typeRow, int column = 0) const;
    /// The type row a proxy index shows, or -1.
    [[nodiscard]] int typeRowAt(const QModelIndex& proxyIndex) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();

    QString m_text;
    bool m_onlyConflicts = false;
    bool m_onlyChanged = false;
    bool m_onlyDiagnostics = false;
};
