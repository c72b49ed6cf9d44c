// SPDX-License-Identifier: MIT
// InspectorSession's rollback: planned, asked, written and pushed on the write lane, so that
// nothing a window does meanwhile can supersede it or write the same files at the same time.
#include "app/services/inspectorsession.h"

#include "app/services/rollback.h"
#include "app/services/serverclient.h"

#include <utility>

using namespace Qt::StringLiterals;

void InspectorSession::rollback(qint64 id, RollbackQuestion question)
{
    const QString path = m_historyPath;
    if (path.isEmpty()) {
        Q_EMIT rollbackFailed(tr("No history is kept, so there is nothing to roll back."));
        return;
    }
    m_ops.write(tr("Rolling back run #%1").arg(id), [this, id, path, question](WriteTicket ticket) {
        ticket.run(
            [path, id](JobProgress&) { return planRollback(path, id); },
            [this, path, question, ticket](Outcome<RollbackPlan> planned) {
                if (!planned) {
                    Q_EMIT rollbackFailed(planned.error());
                    return;
                }
                auto plan = std::make_shared<RollbackPlan>(std::move(planned).value());
                // A run on the live server it went to: ask the server what it holds now first,
                // so that the question says what a rollback would overwrite there.
                if (plan->isRemote() && m_client && m_client->isConfigured()
                    && m_client->describe() == plan->record.serverSource) {
                    ticket.setPhase(OperationState::Pushing);
                    m_client->fetchThen(
                        this,
                        [this, path, question, plan, ticket](const QByteArray& document, qint64 revision) {
                            ticket.setPhase(OperationState::Writing);
                            plan->setServerNow(document, revision);
                            askRollback(path, plan, question, ticket);
                        },
                        [this, ticket](const QString& message) {
                            Q_EMIT rollbackFailed(
                                tr("The server could not be asked what it holds now; nothing was rolled back. %1")
                                    .arg(message));
                        });
                    return;
                }
                askRollback(path, plan, question, ticket);
            });
    });
}

void InspectorSession::askRollback(const QString& path, std::shared_ptr<RollbackPlan> plan, RollbackQuestion question,
                                   WriteTicket ticket)
{
    // The question may be answered later; the ticket holds the lane until then, and the
    // first answer takes it (a second one does nothing).
    auto held = std::make_shared<WriteTicket>(ticket);
    question(*plan, [this, path, plan, held](RollbackAnswer answer) {
        const WriteTicket ticket = std::exchange(*held, WriteTicket());
        if (!ticket.isValid())
            return;
        if (answer == RollbackAnswer::Cancel
            || (plan->filesChanged() && answer != RollbackAnswer::OverwriteChanged)) {
            ticket.finish();
            return;
        }
        if (plan->isRemote()) {
            rollbackRemote(std::move(*plan), ticket);
            return;
        }
        ticket.run(
            [path, plan, overwrite = answer == RollbackAnswer::OverwriteChanged](JobProgress&) {
                return executeRollback(path, *plan, overwrite);
            },
            [this](const Outcome<RolledBack>& outcome) { finishRollback(outcome, false); });
    });
}

void InspectorSession::rollbackRemote(RollbackPlan plan, WriteTicket ticket)
{
    const HistoryRecord& r = plan.record;
    if (!m_client || !m_client->isConfigured() || m_client->describe() != r.serverSource) {
        Q_EMIT rollbackFailed(tr("Run #%1 went to %2: connect to that server first (File > Connect to server).")
                                  .arg(r.id)
                                  .arg(r.serverSource));
        return;
    }
    const QString path = m_historyPath;
    const qint64 runRevision = r.serverRevisionAfter;
    // Over the revision the person saw when the server had moved on; else over the run's own.
    const qint64 ifMatch = plan.serverMoved ? plan.serverRevisionNow : runRevision;
    auto shared = std::make_shared<RollbackPlan>(std::move(plan));
    ticket.setPhase(OperationState::Pushing);
    m_client->pushThen(
        shared->record.serverBefore, ifMatch, this,
        [this, path, shared, ticket](qint64 revision) {
            ticket.setPhase(OperationState::Writing);
            ticket.run([path, shared, revision](JobProgress&) { return finishRemoteRollback(path, *shared, revision); },
                       [this](const Outcome<RolledBack>& outcome) { finishRollback(outcome, true); });
        },
        [this, shared, ifMatch, ticket](qint64 serverRevision, const QString&) {
            Q_EMIT rollbackFailed(tr("Another device wrote to the server while you were asked (it was at revision %1, "
                                     "now %2). Nothing was overwritten: roll back again to see what changed, or "
                                     "use File > Server history to restore items one by one.")
                                      .arg(ifMatch)
                                      .arg(serverRevision));
        },
        [this, ticket](const QString& message) {
            Q_EMIT rollbackFailed(tr("The server did not take the rollback; nothing was written. %1").arg(message));
        });
}

void InspectorSession::finishRollback(const Outcome<RolledBack>& outcome, bool remote)
{
    Q_EMIT historyChanged();
    if (!outcome) {
        Q_EMIT rollbackFailed(outcome.error());
        return;
    }
    Q_EMIT rolledBack(outcome->historyId, outcome->localPath, outcome->serverPath, remote);
    // Reads: they start once the rollback has let go of the lane.
    if (remote)
        fetchServerSide(outcome->localPath, m_client, false);
    else
        startLoad({outcome->localPath, nullptr, outcome->serverPath, false, m_duplicateIdsAccepted});
}
