// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QMap>
#include <QString>

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"

#include "engine/metrics.h"

#include <optional>

class Feed;
class ServerStore;

/// The HTTP side of decksync-server: routing, limits, gzip, authentication, logging and
/// metrics around the handlers of SyncApi and DataApi, plus the WebSocket Feed.
///
/// Routes: POST /sync/{decks,achievements,progress,starred,preferences}, POST /sync/batch,
/// GET|PUT /data, GET /data/{type}, GET /health and GET /metrics (both without a token),
/// WebSocket /feed.
class SyncServer : public QAbstractHttpServer {
public:
    static constexpr qint64 DefaultMaxBody = 64 * 1024 * 1024;

    SyncServer(ServerStore* store, qint64 maxBody, QObject* parent = nullptr);
    ~SyncServer() override;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    struct Route;

    ApiResponse process(const QHttpServerRequest& request, ApiRequest& api, const Route& route);
    ApiResponse health() const;
    ApiResponse metrics() const;
    void send(const QHttpServerRequest& request, QTcpSocket* socket, const ApiResponse& response);

    ServerStore* m_store;
    Feed* m_feed;
    qint64 m_maxBody;
    decksync::SyncMetrics m_metrics;
    std::optional<decksync::Timestamp> m_lastSuccessfulSync;
    std::int64_t m_lastConflicts = 0;
    QMap<int, qint64> m_statusCounts;
};
