// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

#include <memory>

namespace decksync {
class SyncSnapshot;
}
class InspectorSession;
class ProfileCompareModel;
class QLabel;
class QPushButton;
class QTableView;

/// "Seed vs safe": every item where the two profiles' results differ, side by side with the
/// reason, computed off the GUI thread whenever the sync changes while it is shown. Support
/// takes either profile's result for the selected items or for all, as one undo step.
class ProfileCompareView : public QWidget {
    Q_OBJECT
public:
    explicit ProfileCompareView(InspectorSession* session, QWidget* parent = nullptr);

    [[nodiscard]] ProfileCompareModel* model() const { return m_model; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    /// Computes the comparison again (when shown; else when it is next shown).
    void refresh();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void take(bool seed, bool all);
    void updateButtons();

    InspectorSession* m_session;
    ProfileCompareModel* m_model;
    QTableView* m_table;
    QLabel* m_summary;
    QPushButton* m_takeSeed;
    QPushButton* m_takeSafe;
    QPushButton* m_takeSeedAll;
    QPushButton* m_takeSafeAll;
    std::shared_ptr<const decksync::SyncSnapshot> m_compared; ///< the sync the list was made from
    bool m_stale = true;
};
