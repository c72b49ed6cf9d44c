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

void InspectorSession::loadFromServer(const QString& localPath, ServerClient* client, bool keepResolutions)
{
    if (!keepResolutions)
        m_duplicateIdsAccepted = false; // a new connection: asked again
    fetchServerSide(localPath, client, keepResolutions);
}

void InspectorSession::fetchServerSide(const QString& localPath, ServerClient* client, bool keepResolutions)
{
    if (m_client != client) {
        if (m_client)
            m_client->disconnect(this);
        m_client = client;
        connect(client, &ServerClient::remoteChanged, this,
                [this](const QString& type, qint64 revision) { Q_EMIT remoteChanged(type, revision); });
        connect(client, &ServerClient::failed, this, [this](quint64 call, const QString& message) {
            if (call == m_pendingCall)
                Q_EMIT loadFailed(tr("Cannot fetch from %1: %2").arg(m_client->describe(), message));
        });
        connect(client, &ServerClient::fetched, this, [this](quint64 call, const QByteArray& body, qint64 revision) {
            if (call != m_pendingCall)
                return; // an older fetch: a newer one is under way
            auto side = std::make_shared<LoadedSide>();
            side->path = m_client->describe();
            side->revision = revision;
            side->bytes = body;
            const QString source = side->path;
            startLoad({m_pendingLocalPath, std::move(side), source, m_pendingKeep, m_duplicateIdsAccepted});
        });
    }
    m_pendingLocalPath = localPath;
    m_pendingKeep = keepResolutions;
    m_pendingCall = client->fetch();
    client->openFeed();
}

void InspectorSession::applyToServer(const QString& localOut)
{
    ApplyRequest request;
    request.snapshot = m_snapshot;
    request.resolutions = m_resolutions;
    request.localBefore = m_local;
    request.serverBefore = m_server;
    request.serverOut = m_server->path;
    request.localOut = localOut;
    request.historyPath = m_historyPath;
    const qint64 fetched = m_server->revision;
    m_jobs.start(
        tr("Preparing"), this, [request](JobProgress& progress) { return prepareApply(request, progress); },
        [this, request, fetched](PreparedApply prepared) {
            if (!prepared.ok) {
                Q_EMIT applyFailed(prepared.error);
                return;
            }
            m_client->pushThen(
                prepared.serverBytes, fetched, this,
                [=, this](qint64 revision) {
                    // The server took it: now the device's file and the history.
                    m_jobs.start(
                        tr("Writing %1").arg(request.localOut), this,
                        [request, prepared, revision](JobProgress&) {
                            return writeLocalAfterPush(request, prepared, revision);
                        },
                        [this, request](const ApplyOutcome& outcome) {
                            if (!outcome.ok) {
                                Q_EMIT applyFailed(tr("The server took the new state, but %1 was not written: %2")
                                                       .arg(request.localOut, outcome.error));
                                return;
                            }
                            Q_EMIT applied(outcome.historyId, outcome.serverOut, outcome.localOut);
                            fetchServerSide(outcome.localOut, m_client, false); // Load Anyway still holds
                        });
                },
                [=, this](qint64 serverRevision, const QString&) { explainConflict(fetched, serverRevision); },
                [this](const QString& message) {
                    Q_EMIT applyFailed(tr("The server did not take the new state; nothing was written and your "
                                          "resolutions are kept. %1")
                                           .arg(message));
                });
        });
}

void InspectorSession::explainConflict(qint64 fetchedRevision, qint64 serverRevision)
{
    // Fetch what the server holds now and say what changed there since our fetch.
    const quint64 call = m_client->fetch();
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    auto done = [connections] {
        for (const auto& c : *connections)
            QObject::disconnect(c);
    };
    *connections << connect(m_client, &ServerClient::fetched, this,
                            [=, this, before = m_server](quint64 id, const QByteArray& body, qint64 revision) {
                                if (id != call)
                                    return;
                                done();
                                m_jobs.start(
                                    tr("Comparing"), this,
                                    [before, body](JobProgress&) {
                                        // The fetched side is decoded already: only the new state is read.
                                        const auto now = codec::decodeDataset(bytesView(body));
                                        if (!now.ok())
                                            return QString();
                                        return QString::fromStdString(
                                            describeDiff(diffDatasets(*before->dataset, now.value())));
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
    });
}
