// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/historystore.h"
#include "app/services/jobtracker.h"
#include "app/services/serverclient.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include "engine/itemversions.h"
#include "engine/models.h"
#include "engine/side.h"

#include <optional>
#include <vector>

/// Where a change of an item was seen.
enum class ItemEventSource {
    Run,            ///< a sync or rollback applied from this computer (the history file)
    ServerRevision, ///< a write on the live server
};

/// One change of one item, with its version before and after.
struct ItemEvent {
    ItemEventSource source = ItemEventSource::Run;
    qint64 number = 0;  ///< the run's number in the history, or the server's revision
    QDateTime at;       ///< UTC
    /// Run: whose copy changed, the device's or the server's; a server revision: the server's.
    decksync::Side side = decksync::Side::Server;
    RunKind runKind = RunKind::Sync; ///< of a run
    QString by;                      ///< of a run: who applied it
    ServerRevision revision;         ///< of a server revision: who wrote it, from where, how
    decksync::ItemText before;
    decksync::ItemText after;
    QString what;       ///< "title, content changed (version 2 → 3)", "deleted", ...
};

/// Every run on this computer and, when connected, every server revision that changed one
/// item (as far back as the server keeps them, page after page), newest first, for the
/// per-item history. It reads; nothing here writes: choosing a
/// version becomes a resolution (engine/itemversions.h), which Apply writes as any other.
/// The runs are read off the GUI thread, with progress and cancel; the server's answer comes
/// through the client. A newer load() supersedes an older one.
class ItemHistory : public QObject {
    Q_OBJECT
public:
    /// `client`: the live server's, or nullptr when not connected.
    ItemHistory(QString historyPath, ServerClient* client, QObject* parent = nullptr);

    void load(decksync::DataType type, const decksync::Uuid& id);
    [[nodiscard]] decksync::DataType type() const { return m_type; }
    [[nodiscard]] const decksync::Uuid& id() const { return m_id; }
    /// Both sources, newest first (by time, then runs after revisions).
    [[nodiscard]] const QList<ItemEvent>& events() const { return m_events; }
    /// Whether a source is still being read.
    [[nodiscard]] bool isLoading() const { return m_runsLoading || m_serverCall != 0; }
    /// A live server is asked too.
    [[nodiscard]] bool hasServer() const { return m_client && m_client->isConfigured(); }
    [[nodiscard]] JobTracker* runsJob() { return &m_runs; }
    void cancel() { m_runs.cancel(); }

    /// The runs of `historyPath` that changed the item (the work the background job does).
    static std::vector<ItemEvent> runsThatChanged(const QString& historyPath, decksync::DataType type,
                                                  const decksync::Uuid& id, JobProgress& progress,
                                                  QString* problem);

Q_SIGNALS:
    void eventsChanged();
    /// A source could not be read: `message` says which and why; the other's events stay.
    void failed(const QString& message);

private:
    void merge(const std::vector<ItemEvent>& events);

    QString m_historyPath;
    QPointer<ServerClient> m_client;
    JobTracker m_runs;
    decksync::DataType m_type = decksync::DataType::Decks;
    decksync::Uuid m_id;
    QList<ItemEvent> m_events;
    bool m_runsLoading = false;
    quint64 m_serverCall = 0;
};
