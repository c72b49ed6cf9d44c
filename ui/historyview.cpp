// SPDX-License-Identifier: MIT
#include "ui/historyview.h"

#include "app/services/historystore.h"
#include "app/services/inspectorsession.h"
#include "app/services/jobtracker.h"
#include "app/services/rollback.h"
#include "app/services/rundetails.h"
#include "ui/historymodel.h"

#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineSeries>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QValueAxis>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

HistoryView::HistoryView(InspectorSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new HistoryModel(this))
    , m_table(new QTableView(this))
    , m_details(new QTextBrowser(this))
    , m_chart(new QChartView(new QChart, this)) // given at construction: setChart() would orphan a default chart
    , m_series(new QLineSeries)
    , m_rollback(new QPushButton(tr("Roll &back this run…"), this))
    , m_jobs(new JobTracker(this))
{
    setObjectName(u"historyView"_s);
    m_table->setObjectName(u"historyTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_details->setObjectName(u"historyDetails"_s);
    m_rollback->setObjectName(u"rollbackButton"_s);
    m_rollback->setEnabled(false);

    QChart* chart = m_chart->chart();
    chart->addSeries(m_series);
    chart->setTitle(tr("Conflicts per sync"));
    chart->legend()->hide();
    auto* x = new QValueAxis;
    x->setLabelFormat(u"#%d"_s);
    x->setTitleText(tr("run"));
    auto* y = new QValueAxis;
    y->setLabelFormat(u"%d"_s);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    m_series->attachAxis(x);
    m_series->attachAxis(y);
    m_series->setPointsVisible(true);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(180);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryView::showDetails);
    connect(m_rollback, &QPushButton::clicked, this, &HistoryView::rollbackSelected);
    connect(m_session, &InspectorSession::historyChanged, this, &HistoryView::refresh);
    connect(m_session->operations(), &Operations::stateChanged, this, &HistoryView::updateRollbackButton);

    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_table);
    left->addWidget(m_chart);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details, 1);
    rightLayout->addWidget(m_rollback, 0, Qt::AlignRight);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

HistoryView::~HistoryView() = default;

void HistoryView::refresh()
{
    const qint64 selected = m_table->currentIndex().data(HistoryModel::RecordIdRole).toLongLong();
    QList<HistorySummary> runs;
    m_listError.clear();
    if (!m_session->historyPath().isEmpty()) {
        HistoryStore store;
        const Outcome<> opened = store.open(m_session->historyPath());
        Outcome<QList<HistorySummary>> listed = opened ? store.list() : Outcome<QList<HistorySummary>>(opened.failure());
        if (listed)
            runs = std::move(listed).value();
        else
            m_listError = listed.error(); // shown instead of "no sync was applied yet"
    }
    m_model->setRuns(std::move(runs));
    m_table->resizeColumnsToContents();
    updateChart();
    const int row = m_model->rowOf(selected);
    if (row >= 0 || m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(std::max(row, 0), 0)); // else the newest run
    else
        showDetails();
}

void HistoryView::updateChart()
{
    QList<QPointF> points;
    int maxConflicts = 1;
    const auto& runs = m_model->runs();
    for (auto it = runs.crbegin(); it != runs.crend(); ++it) {
        if (it->kind != RunKind::Sync)
            continue;
        points.append(QPointF(static_cast<qreal>(it->id), it->conflicts));
        maxConflicts = std::max(maxConflicts, it->conflicts);
    }
    m_series->replace(points);
    const auto axes = m_chart->chart()->axes();
    const qreal lo = points.isEmpty() ? 0 : points.front().x();
    const qreal hi = points.isEmpty() ? 1 : std::max(points.back().x(), lo + 1);
    axes.at(0)->setRange(lo, hi);
    // One tick per run while they fit, so that no run number is printed twice.
    if (auto* x = qobject_cast<QValueAxis*>(axes.at(0)))
        x->setTickCount(static_cast<int>(std::clamp<qreal>(hi - lo + 1, 2, 10)));
    axes.at(1)->setRange(0, maxConflicts);
}

void HistoryView::showDetails()
{
    const QModelIndex current = m_table->currentIndex();
    updateRollbackButton();
    if (!current.isValid()) {
        if (!m_listError.isEmpty())
            m_details->setHtml(tr("The history cannot be read: %1").arg(m_listError.toHtmlEscaped()));
        else
            m_details->setHtml(m_model->rowCount() ? tr("Choose a run.") : tr("No sync was applied yet."));
        return;
    }
    const qint64 id = current.data(HistoryModel::RecordIdRole).toLongLong();
    m_details->setHtml(tr("Reading run #%1…").arg(id));
    m_jobs->start(tr("Reading run #%1").arg(id), this,
                  [path = m_session->historyPath(), id](JobProgress&) { return runDetailsHtml(path, id); },
                  [this](const QString& html) { m_details->setHtml(html); });
}

void HistoryView::updateRollbackButton()
{
    const QModelIndex current = m_table->currentIndex();
    m_rollback->setEnabled(current.isValid() && !current.data(HistoryModel::RolledBackRole).toBool()
                           && !m_session->operations()->isWriting());
}

void HistoryView::askConfirmation(const RollbackPlan& plan, std::function<void(RollbackAnswer)> answer)
{
    if (m_confirm) {
        answer(m_confirm(plan));
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("Roll back run #%1").arg(plan.record.id),
                                tr("Restore both sides to their state before run #%1?\n\nServer (%2): %3\nLocal (%4): %5")
                                    .arg(plan.record.id)
                                    .arg(plan.record.serverSource, plan.serverChange, plan.record.localSource,
                                         plan.localChange),
                                QMessageBox::Cancel, this);
    box->setObjectName(u"rollbackPrompt"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* go = nullptr;
    QPushButton* serverHistory = nullptr;
    if (plan.serverMoved) {
        // Another device wrote since the run: say what a rollback would overwrite, by item,
        // and offer the gentler way first.
        box->setIcon(QMessageBox::Warning);
        box->setText(tr("The server moved on since run #%1: another device wrote to it, and it is at revision %2 "
                        "now.\n\nWritten since the run: %3\n\nRolling back now would change, on the server: %4\n"
                        "On the device (%5): %6")
                         .arg(plan.record.id)
                         .arg(plan.serverRevisionNow)
                         .arg(plan.serverMovedBy, plan.serverChange, plan.record.localSource, plan.localChange));
        QString also;
        if (plan.localChanged)
            also = tr("The device's file changed too since that run wrote it: rolling back overwrites that "
                      "change.")
                   + u' ';
        box->setInformativeText(also
                                + tr("What a rollback overwrites stays in the server's history. To take back only "
                                     "some items, open the server's history and restore them one by one."));
        serverHistory = box->addButton(tr("Open server &history"), QMessageBox::ActionRole);
        serverHistory->setObjectName(u"openServerHistory"_s);
        go = box->addButton(tr("Roll back over revision %1").arg(plan.serverRevisionNow), QMessageBox::DestructiveRole);
    } else if (plan.filesChanged()) {
        box->setIcon(QMessageBox::Warning);
        box->setInformativeText(tr("A file changed since that run wrote it (%1). Rolling back overwrites that change.")
                                    .arg(plan.localChanged && plan.serverChanged ? tr("both files")
                                         : plan.localChanged                     ? tr("the local file")
                                                                                 : tr("the server file")));
        go = box->addButton(tr("Overwrite the changed file"), QMessageBox::DestructiveRole);
    } else {
        go = box->addButton(tr("Roll back"), QMessageBox::AcceptRole);
    }
    const RollbackAnswer yes = plan.filesChanged() ? RollbackAnswer::OverwriteChanged : RollbackAnswer::Proceed;
    // Answered once, by a button or by closing the box (then the rollback is cancelled).
    auto once = std::make_shared<std::function<void(RollbackAnswer)>>(std::move(answer));
    connect(box, &QMessageBox::buttonClicked, this, [this, once, go, yes, serverHistory](QAbstractButton* button) {
        if (auto a = std::exchange(*once, {}))
            a(button == go ? yes : RollbackAnswer::Cancel);
        if (serverHistory && button == serverHistory)
            Q_EMIT serverHistoryRequested(); // once the rollback let go of the lane
    });
    connect(box, &QObject::destroyed, this, [once] {
        if (auto a = std::exchange(*once, {}))
            a(RollbackAnswer::Cancel);
    });
    box->open();
}

void HistoryView::rollbackSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    const qint64 id = current.data(HistoryModel::RecordIdRole).toLongLong();
    QPointer<HistoryView> self(this);
    m_session->rollback(id, [self](const RollbackPlan& plan, std::function<void(RollbackAnswer)> answer) {
        if (self)
            self->askConfirmation(plan, std::move(answer));
        else
            answer(RollbackAnswer::Cancel);
    });
}
