// SPDX-License-Identifier: MIT
// InspectorSession with a live server as the server side: fetching, Apply by push, and what a
// refused push (the revision moved on) says about the server's changes.
#include "app/services/inspectorsession.h"

#include "app/services/applywriter.h"
#include "app/services/bytes.h"
#include "app/services/serverclient.h"
#include "engine/datasetcodec.h"
#include "engine/datasetdiff.h"

using namespace decksync;
using namespace Qt::StringLiterals;

void InspectorSession::useClient(ServerClient* client)
{
    if (m_client == client)
        return;
    // Only the session's own connections: a push still under way on the old client keeps
    // its answer (pushThen() connects for itself).
    for (const QMetaObject::Connection& c : std::as_const(m_clientConnections))
        disconnect(c);
    m_clientConnections.clear();
    m_client = client;
    m_clientConnections << connect(client, &ServerClient::remoteChanged, this, [this](const QString& type, qint64 revision) {
        Q_EMIT remoteChanged(type, revision);
    });
    m_clientConnections << connect(client, &ServerClient::failed, this,
                                   [this](quint64 call, const QString& message, int status) {
        if (call == m_baseCall) {
            m_baseCall = 0;
            // Past the history the server keeps (410): the history's base, if any, serves.
            // Anything else is a failure to fetch, and said so.
            if (status == 410) {
                syncAwaitingSides(std::nullopt, -1);
                return;
            }
            m_awaitingBase.reset();
            Q_EMIT loadFailed(tr("Cannot fetch the base from %1: %2").arg(m_client->describe(), message));
            return;
        }
        if (call != m_pendingCall)
            return;
        // No live updates for a connection that cannot even fetch (a refused token, say): the
        // feed would retry in the background with the same credentials, unseen.
        m_client->closeFeed();
        Q_EMIT loadFailed(tr("Cannot fetch from %1: %2").arg(m_client->describe(), message));
    });
    m_clientConnections << connect(client, &ServerClient::fetched, this, [this](quint64 call, const QByteArray& body,
                                                                               qint64 revision) {
        if (call == m_baseCall) {
            m_baseCall = 0;
            syncAwaitingSides(body, revision);
            return;
        }
        if (call != m_pendingCall)
            return; // an older fetch: a newer one is under way
        m_client->openFeed(); // the credentials work: live updates from now on
        auto side = std::make_shared<LoadedSide>();
        side->path = m_client->describe();
        side->revision = revision;
        side->bytes = body;
        const QString source = side->path;
        startLoad({m_pendingLocalPath, std::move(side), source, m_pendingKeep, m_duplicateIdsAccepted});
    });
}

bool InspectorSession::askServerBase(AwaitingBase sides)
{
    if (!m_client || !sides.server->isRemote() || !baseFileFor(sides.local->path).isEmpty())
        return false;
    const std::optional<Timestamp> lastSync = m_workspace->options.syncOptionsFor(*sides.local->dataset).lastSync;
    if (!lastSync)
        return false; // never synced: there is nothing both sides agreed on
    m_awaitingBase = std::move(sides);
    m_baseCall = m_client->fetchAt(QString::fromStdString(lastSync->toString()));
    return true;
}

void InspectorSession::loadFromServer(const QString& localPath, ServerClient* client, bool keepResolutions)
{
    if (!keepResolutions)
        m_duplicateIdsAccepted = false; // a new connection: asked again
    fetchServerSide(localPath, client ? client : m_client, keepResolutions);
}

void InspectorSession::fetchServerSide(const QString& localPath, ServerClient* client, bool keepResolutions)
{
    // A fetch is a read: during a write it waits, so that it cannot show the server as it was
    // before that write.
    m_ops.whenNoWrite([this, localPath, client = QPointer<ServerClient>(client), keepResolutions] {
        if (!client)
            return;
        useClient(client);
        m_baseCall = 0; // a base asked for an earlier fetch: dropped
        m_awaitingBase.reset();
        m_pendingLocalPath = localPath;
        m_pendingKeep = keepResolutions;
        m_pendingCall = client->fetch();
    });
}

void InspectorSession::applyToServer(const ApplyRequest& request, WriteTicket ticket)
{
    const qint64 fetched = request.serverBefore->revision;
    ticket.run(
        [request](JobProgress& progress) -> Outcome<PreparedApply> {
            Outcome<PreparedApply> prepared = prepareApply(request, progress);
            if (!prepared)
                return prepared;
            // The device's file is checked before the server is asked: once the server took
            // the new state, the file follows it.
            const QStringList changed =
                targetsChangedSinceLoad({applyTarget(request, request.localOut, prepared->localBytes)});
            if (!changed.isEmpty())
                return fail(Failure::Kind::TargetsChanged,
                            tr("%1 changed since it was loaded; nothing was written.").arg(changed.join(u", "_s)),
                            changed);
            return prepared;
        },
        [this, request, fetched, ticket](const Outcome<PreparedApply>& checked) {
            if (!checked && checked.kind() == Failure::Kind::TargetsChanged) {
                Q_EMIT targetsChanged(checked.failure().paths, request.serverOut, request.localOut);
                return;
            }
            if (!checked) {
                Q_EMIT applyFailed(checked.error());
                return;
            }
            const PreparedApply prepared = *checked;
            ticket.setPhase(OperationState::Pushing);
            m_client->pushThen(
                prepared.serverBytes, fetched, this,
                [this, request, prepared, ticket](qint64 revision) {
                    // The server took it: now the device's file and the history.
                    ticket.setPhase(OperationState::Writing);
                    ticket.run(
                        [request, prepared, revision](JobProgress&) {
                            return writeLocalAfterPush(request, prepared, revision);
                        },
                        [this, request](const Outcome<AppliedRun>& outcome) {
                            if (!outcome) {
                                Q_EMIT applyFailed(tr("The server took the new state, but %1 was not written: %2")
                                                       .arg(request.localOut, outcome.error()));
                                return;
                            }
                            Q_EMIT applied(outcome->historyId, outcome->serverOut, outcome->localOut);
                            Q_EMIT historyChanged();
                            fetchServerSide(outcome->localOut, m_client, false); // Load Anyway still holds
                        });
                },
                [this, fetched, ticket](qint64 serverRevision, const QString&) {
                    explainConflict(fetched, serverRevision, ticket);
                },
                [this, ticket](const QString& message) {
                    Q_EMIT applyFailed(tr("The server did not take the new state; nothing was written and your "
                                          "resolutions are kept. %1")
                                           .arg(message));
                });
        });
}

void InspectorSession::explainConflict(qint64 fetchedRevision, qint64 serverRevision, WriteTicket ticket)
{
    // Fetch what the server holds now and say what changed there since our fetch. The write
    // holds the lane until it has said so.
    const quint64 call = m_client->fetch();
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    auto done = [connections] {
        for (const auto& c : *connections)
            QObject::disconnect(c);
    };
    *connections << connect(m_client, &ServerClient::fetched, this,
                            [=, this, before = serverSide()](quint64 id, const QByteArray& body, qint64 revision) {
                                if (id != call)
                                    return;
                                done();
                                ticket.run(
                                    [before, body](JobProgress&) {
                                        // The fetched side is decoded already: only the new state is read.
                                        const auto now = codec::decodeDataset(bytesView(body));
                                        if (!now.ok())
                                            return QString();
                                        return QString::fromStdString(describeChanges(*before->dataset, now.value()));
                                    },
                                    [=, this](const QString& changes) {
                                        Q_EMIT serverConflict(fetchedRevision, revision, changes);
                                    });
                            });
    *connections << connect(m_client, &ServerClient::failed, this, [=, this](quint64 id, const QString&) {
        if (id != call)
            return;
        done();
        Q_EMIT serverConflict(fetchedRevision, serverRevision, QString());
        ticket.finish();
    });
}
