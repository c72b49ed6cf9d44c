// SPDX-License-Identifier: MIT
#include "app/services/itemhistory.h"

#include "app/services/bytes.h"
#include "engine/datasetcodec.h"

#include <algorithm>

using namespace decksync;
using namespace Qt::StringLiterals;

ItemHistory::ItemHistory(QString historyPath, ServerClient* client, QObject* parent)
    : QObject(parent)
    , m_historyPath(std::move(historyPath))
    , m_client(client)
{
    if (m_client) {
        connect(m_client, &ServerClient::itemRevisionsListed, this,
                [this](quint64 call, const QList<ServerItemRevision>& revisions, qint64 nextBefore) {
                    if (call != m_serverCall)
                        return;
                    // Every page, oldest last: the server lists them newest first.
                    m_serverCall = nextBefore > 0 && m_client
                        ? m_client->listItemRevisions(QString::fromUtf8(dataTypeName(m_type)),
                                                      QString::fromStdString(m_id.toString()), nextBefore)
                        : 0;
                    std::vector<ItemEvent> events;
                    for (const ServerItemRevision& r : revisions) {
                        ItemEvent e;
                        e.source = ItemEventSource::ServerRevision;
                        e.number = r.revision.revision;
                        e.at = r.revision.at;
                        e.side = Side::Server;
                        e.revision = r.revision;
                        if (r.before)
                            e.before = r.before->toStdString();
                        if (r.after)
                            e.after = r.after->toStdString();
                        if (e.before == e.after)
                            continue; // a write that only moved it in its list
                        e.what = QString::fromStdString(describeItemEdit(m_type, e.before, e.after));
                        events.push_back(std::move(e));
                    }
                    merge(events);
                });
        connect(m_client, &ServerClient::failed, this, [this](quint64 call, const QString& message, int) {
            if (call != m_serverCall)
                return;
            m_serverCall = 0;
            Q_EMIT failed(tr("The server's history of this item could not be read: %1").arg(message));
            Q_EMIT eventsChanged();
        });
    }
}

void ItemHistory::load(DataType type, const Uuid& id)
{
    m_type = type;
    m_id = id;
    m_events.clear();
    m_serverCall = 0;
    m_runsLoading = !m_historyPath.isEmpty();
    if (m_runsLoading) {
        m_runs.start(
            tr("Reading the history of this computer"), this,
            [path = m_historyPath, type, id](JobProgress& progress) {
                QString problem;
                std::vector<ItemEvent> events = runsThatChanged(path, type, id, progress, &problem);
                return std::make_pair(std::move(events), problem);
            },
            [this](const std::pair<std::vector<ItemEvent>, QString>& result) {
                m_runsLoading = false;
                if (!result.second.isEmpty())
                    Q_EMIT failed(result.second);
                merge(result.first);
            });
    }
    if (hasServer())
        m_serverCall = m_client->listItemRevisions(QString::fromUtf8(dataTypeName(type)),
                                                   QString::fromStdString(id.toString()));
    Q_EMIT eventsChanged();
}

void ItemHistory::merge(const std::vector<ItemEvent>& events)
{
    for (const ItemEvent& e : events)
        m_events << e;
    std::stable_sort(m_events.begin(), m_events.end(), [](const ItemEvent& a, const ItemEvent& b) {
        if (a.at != b.at)
            return a.at > b.at;
        if (a.source != b.source)
            return a.source == ItemEventSource::ServerRevision;
        return a.number > b.number;
    });
    Q_EMIT eventsChanged();
}

std::vector<ItemEvent> ItemHistory::runsThatChanged(const QString& historyPath, DataType type, const Uuid& id,
                                                    JobProgress& progress, QString* problem)
{
    std::vector<ItemEvent> out;
    HistoryStore store;
    if (const Outcome<> opened = store.open(historyPath); !opened) {
        *problem = tr("The history of this computer could not be read: %1").arg(opened.error());
        return out;
    }
    const Outcome<QList<HistorySummary>> runs = store.list();
    if (!runs) {
        *problem = tr("The history of this computer could not be read: %1").arg(runs.error());
        return out;
    }
    QStringList unreadable;
    for (qsizetype i = 0; i < runs->size(); ++i) {
        if (progress.isCancelled())
            throw OperationCancelled();
        progress.setProgress(static_cast<double>(i) / static_cast<double>(runs->size()));
        const HistorySummary& summary = runs->at(i);
        const Outcome<HistoryRecord> record = store.load(summary.id);
        if (!record) {
            unreadable << u"#%1"_s.arg(summary.id);
            continue;
        }
        for (const Side side : {Side::Server, Side::Local}) {
            const QByteArray& before = side == Side::Server ? record->serverBefore : record->localBefore;
            const QByteArray& after = side == Side::Server ? record->serverAfter : record->localAfter;
            if (before == after)
                continue; // the run left this side as it was: nothing to decode
            const Decoded<Dataset> a = codec::decodeDataset(bytesView(before));
            const Decoded<Dataset> b = codec::decodeDataset(bytesView(after));
            if (!a.ok() || !b.ok()) {
                unreadable << u"#%1"_s.arg(summary.id);
                continue;
            }
            ItemEvent e;
            e.before = itemTextIn(a.value(), type, id);
            e.after = itemTextIn(b.value(), type, id);
            if (e.before == e.after)
                continue;
            e.source = ItemEventSource::Run;
            e.number = record->id;
            e.at = record->recordedAt;
            e.side = side;
            e.runKind = record->kind;
            e.by = record->user;
            e.what = QString::fromStdString(describeItemEdit(type, e.before, e.after));
            out.push_back(std::move(e));
        }
    }
    unreadable.removeDuplicates();
    if (!unreadable.isEmpty())
        *problem = tr("Some runs of this computer's history could not be read, and are not listed: %1")
                       .arg(unreadable.join(u", "_s));
    return out;
}
