// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/inspectorsession.h"

#include <QWidget>

#include <functional>

class HistoryModel;
class JobTracker;
class QChartView;
class QLineSeries;
class QPushButton;
class QTableView;
class QTextBrowser;
struct RollbackPlan;

/// The sync history: a timeline (a list and a plot of conflicts per sync), the details of
/// one run with a per-type diff of before and after, and the question a rollback asks. The
/// rollback itself is the session's: this view only asks and shows.
class HistoryView : public QWidget {
    Q_OBJECT
public:
    using Confirm = RollbackAnswer;
    using Confirmer = std::function<Confirm(const RollbackPlan&)>;

    explicit HistoryView(InspectorSession* session, QWidget* parent = nullptr);
    ~HistoryView() override;

    /// Re-reads the list from the session's history file.
    void refresh();
    /// Asks the session to roll back the selected run; the session asks back through this view.
    void rollbackSelected();
    /// Replaces the confirmation dialog with an immediate answer (tests, automation).
    void setConfirmer(Confirmer confirmer) { m_confirm = std::move(confirmer); }

    [[nodiscard]] HistoryModel* model() const { return m_model; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QTextBrowser* details() const { return m_details; }
    /// Reads the details of a run: a read of its own, which nothing else waits for.
    [[nodiscard]] JobTracker* jobs() const { return m_jobs; }

Q_SIGNALS:
    /// The person chose to open the server's history (restore items one by one) instead of
    /// rolling back over what another device wrote.
    void serverHistoryRequested();

private:
    void showDetails();
    void updateChart();
    void updateRollbackButton();
    /// Shows the rollback's question, window-modal and asynchronous, and answers through `answer`.
    void askConfirmation(const RollbackPlan& plan, std::function<void(RollbackAnswer)> answer);

    InspectorSession* m_session;
    HistoryModel* m_model;
    QTableView* m_table;
    QTextBrowser* m_details;
    QChartView* m_chart;
    QLineSeries* m_series;
    QPushButton* m_rollback;
    JobTracker* m_jobs;
    Confirmer m_confirm;
    QString m_listError; ///< why the last refresh() could not list the history; empty when it could
};
