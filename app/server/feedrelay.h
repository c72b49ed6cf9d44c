// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apiresponse.h"
#include "app/server/databasetarget.h"
#include "app/server/feed.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

class QThread;

/// Carries the feed between servers that share one PostgreSQL database. Each write's event is
/// sent with NOTIFY inside the write's transaction (so only a committed write is told), and a
/// thread of each server LISTENs and hands the events of the other servers to its FeedHub: a
/// device on one server hears what a device wrote through another. The listening connection
/// is checked every few seconds and opened again when it was lost.
class FeedRelay {
public:
    /// What one NOTIFY carries.
    struct Event {
        QByteArray origin; ///< the server that wrote it
        FeedEvent event;
        QString at;        ///< the write's time, RFC 3339
        QByteArray device; ///< X-Device-Id of the writer, if it sent one
    };
    static QByteArray encode(const Event& e);
    static std::optional<Event> decode(const QByteArray& payload);

    /// `origin` names this server among the others (a random id, new at each start).
    FeedRelay(DatabaseTarget target, QByteArray origin, FeedHub& hub);
    ~FeedRelay();
    FeedRelay(const FeedRelay&) = delete;
    FeedRelay& operator=(const FeedRelay&) = delete;

    /// Starts listening; false and a sentence when the first connection fails.
    bool start(QString* error);
    void stop();

private:
    DatabaseTarget m_target;
    QByteArray m_origin;
    FeedHub& m_hub;
    std::unique_ptr<QThread> m_thread;
};
