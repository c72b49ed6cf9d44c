// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare> unless a Qt header came before.
#include <QWidget>

#include "engine/models.h"
#include "engine/resolution.h"
#include "engine/syncsnapshot.h"

#include <vector>

class InspectorSession;
class ItemFilterProxy;
class ItemTableModel;
class QCheckBox;
class QLineEdit;
class QTableView;

/// The items of one data type: a filter box, "only conflicts / changed / with diagnostics"
/// toggles, and a sortable table with a status column. Knows how to step through conflicts.
class ItemPanel : public QWidget {
    Q_OBJECT
public:
    explicit ItemPanel(InspectorSession* session, QWidget* parent = nullptr);

    void setType(decksync::DataType type);
    [[nodiscard]] decksync::DataType type() const { return m_type; }
    /// Re-reads the session's snapshot, keeping the selected item where it still exists.
    void reload();

    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] ItemTableModel* model() const { return m_model; }
    [[nodiscard]] ItemFilterProxy* proxy() const { return m_proxy; }
    [[nodiscard]] QLineEdit* filterEdit() const { return m_filter; }

    /// The selected item's row in the type's view, or -1.
    [[nodiscard]] int currentTypeRow() const;
    /// Selects the (first) row of `id`, clearing filters that hide it; false when absent.
    bool selectId(const decksync::Uuid& id);
    /// What Next and Previous stop at.
    enum class Stop {
        Conflict,           ///< a conflict, resolved or not
        UnresolvedConflict, ///< a conflict nobody resolved by hand
        Warning,            ///< an item with a warning or an error (an unseen deletion, say), or one
                            ///< that takes a side back to an older version
    };
    /// Whether a row of `view` is such a stop (with `resolutions` for UnresolvedConflict).
    [[nodiscard]] static bool isStop(const decksync::TypeView& view, std::size_t row, Stop stop,
                                     const decksync::ResolutionSet& resolutions);
    /// Moves to the next (+1) or previous (-1) shown row that is `stop`: after the selected
    /// row, or from the first (last) shown row with `fromEdge`. False when there is none.
    bool step(int direction, Stop stop, bool fromEdge = false);
    /// The ids of every shown row, in shown order (for bulk resolution).
    [[nodiscard]] std::vector<decksync::Uuid> shownIds() const;

Q_SIGNALS:
    void currentItemChanged(decksync::DataType type, int typeRow);

private:
    InspectorSession* m_session;
    decksync::DataType m_type = decksync::DataType::Decks;
    QLineEdit* m_filter;
    QCheckBox* m_onlyConflicts;
    QCheckBox* m_onlyChanged;
    QCheckBox* m_onlyDiagnostics;
    QTableView* m_table;
    ItemTableModel* m_model;
    ItemFilterProxy* m_proxy;
};
