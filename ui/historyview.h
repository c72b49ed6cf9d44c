// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

#include <functional>

class HistoryModel;
class InspectorSession;
class JobTracker;
class QChartView;
class QLineSeries;
class QPushButton;
class QTableView;
class QTextBrowser;
struct RollbackPlan;

/// The sync history: a timeline (a list and a plot of conflicts per sync), the details of
/// one run with a per-type diff of before and after, and rollback of a chosen run.
class HistoryView : public QWidget {
    Q_OBJECT
public:
    /// The answer to a rollback confirmation.
    enum class Confirm { Cancel, Proceed, OverwriteChanged };
    using Confirmer = std::function<Confirm(const RollbackPlan&)>;

    explicit HistoryView(InspectorSession* session, QWidget* parent = nullptr);
    ~HistoryView() override;

    /// Re-reads the list from the session's history file.
    void refresh();
    /// Plans a rollback of the selected run, asks for confirmation, then performs it.
    void rollbackSelected();
    /// Replaces the confirmation dialog (tests, automation).
    void setConfirmer(Confirmer confirmer) { m_confirm = std::move(confirmer); }

    [[nodiscard]] HistoryModel* model() const { return m_model; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    [[nodiscard]] QTextBrowser* details() const { return m_details; }
    [[nodiscard]] JobTracker* jobs() const { return m_jobs; }

Q_SIGNALS:
    /// A rollback restored these sides; `remote`: the server side is a live server.
    void restored(const QString& localPath, const QString& serverSource, bool remote);
    void rollbackFailed(const QString& message);

private:
    void showDetails();
    void updateChart();
    Confirm askConfirmation(const RollbackPlan& plan);
    void rollbackRemote(RollbackPlan plan);

    InspectorSession* m_session;
    HistoryModel* m_model;
    QTableView* m_table;
    QTextBrowser* m_details;
    QChartView* m_chart;
    QLineSeries* m_series;
    QPushButton* m_rollback;
    JobTracker* m_jobs;
    Confirmer m_confirm;
};
