// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apirequest.h"
#include "app/server/apiresponse.h"
#include "app/server/feed.h"
#include "app/server/feedrelay.h"
#include "app/server/requesthead.h"
#include "app/server/serverlimits.h"
#include "app/server/serverstore.h"
#include "app/server/writequeue.h"

#include "engine/metrics.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>


/// The API side of decksync-server: routing, framing and size rules, gzip, authentication,
/// logging and metrics around the handlers of SyncApi and DataApi, plus the feed's hub. The
/// HTTP layer (HttpListener) parses each request once and asks this class two things: admit()
/// from the header section alone, then handle() once the body is in.
///
/// Routes: POST /sync/{decks,achievements,progress,starred,preferences}, POST /sync/batch,
/// GET|HEAD|PUT /data (GET with ?revision=N or ?since=TS), GET|HEAD /data/{type},
/// POST /data/restore, GET|HEAD /revisions and /revisions/A..B/diff, GET|HEAD /health and
/// /metrics (both without a token), WebSocket /feed.
///
/// Thread-safe: every thread that calls it first calls attachThread(), which opens that
/// thread's own connection to the database. Writes are serialized across those connections.
class SyncServer {
public:
    static constexpr qint64 DefaultMaxBody = 64 * 1024 * 1024;

    /// What a path names: the endpoint, its data type and the methods it accepts.
    struct Route {
        enum Kind { None, Health, Metrics, Sync, Batch, Data, DataOfType, Feed, Revisions, RevisionDiff, Restore, Users, ItemRevisions } kind = None;
        decksync::DataType type = decksync::DataType::Decks;
        QStringList methods;

        static Route match(const QString& path);
        /// Whether a request of `method` here writes (and so goes to the writer thread).
        [[nodiscard]] bool writes(const QString& method) const
        {
            return kind == Sync || kind == Batch || kind == Restore || (kind == Data && method == QLatin1String("PUT"));
        }
    };

    /// Bytes of request bodies held at once; a reservation gives its bytes back when it goes.
    class BodyBudget {
    public:
        class Reservation {
        public:
            Reservation() = default;
            Reservation(BodyBudget* budget, std::int64_t bytes) : m_budget(budget), m_bytes(bytes) {}
            Reservation(Reservation&& o) noexcept : m_budget(std::exchange(o.m_budget, nullptr)), m_bytes(o.m_bytes) {}
            Reservation& operator=(Reservation&& o) noexcept
            {
                if (this != &o) {
                    release();
                    m_budget = std::exchange(o.m_budget, nullptr);
                    m_bytes = o.m_bytes;
                }
                return *this;
            }
            ~Reservation() { release(); }

        private:
            void release()
            {
                if (m_budget)
                    m_budget->m_held -= m_bytes;
                m_budget = nullptr;
            }
            BodyBudget* m_budget = nullptr;
            std::int64_t m_bytes = 0;
        };

        explicit BodyBudget(std::int64_t limit) : m_limit(limit) {}
        /// Reserves `bytes`; empty if that would pass the limit.
        std::optional<Reservation> reserve(std::int64_t bytes);
        [[nodiscard]] std::int64_t held() const { return m_held; }

    private:
        std::int64_t m_limit;
        std::atomic<std::int64_t> m_held{0};
    };

    /// One request between admit() and finish().
    struct Exchange {
        ApiRequest api;
        Route route;
        QElapsedTimer timer;
        std::optional<ApiResponse> refusal; ///< set when admit() answered from the header section
        bool acceptsGzip = false;
        bool head = false; ///< a HEAD request: answered as GET, without the body
        BodyBudget::Reservation body; ///< the declared body's bytes, until it was handled
    };

    SyncServer(QString databasePath, ServerLimits limits,
               ServerStore::Durability durability = ServerStore::Durability::Full, HistoryRetention retention = {});
    ~SyncServer();
    SyncServer(const SyncServer&) = delete;
    SyncServer& operator=(const SyncServer&) = delete;

    /// Opens the calling thread's connection to the database; false and a sentence on failure.
    bool attachThread(QString* error);
    /// Closes it; call before the thread ends.
    void detachThread();
    /// Starts the writer thread, which runs every write request (see WriteQueue), and on
    /// PostgreSQL the relay of the other servers' feed events (see FeedRelay).
    bool startWriter(QString* error);
    /// Runs the writes already submitted and ends the writer. Idempotent.
    void stopWriter();

    [[nodiscard]] const ServerLimits& limits() const { return m_limits; }
    [[nodiscard]] FeedHub& feed() { return m_feed; }

    /// Decides what can be decided from the header section: the route, the method, the framing,
    /// the declared size and the token. When `refusal` is set the body must not be read.
    Exchange admit(const RequestHead& head);
    /// Runs an admitted request on its body and calls `done` with the answer (to be given to
    /// finish()): at once for a read, from the writer thread once it is on disk for a write.
    void handle(Exchange& exchange, QByteArray body, std::function<void(ApiResponse)> done);
    /// Counts and logs the answer; publishes its feed event. Returns the body to send, gzipped
    /// when that pays and the client accepts it (then `gzipped` is set).
    QByteArray finish(const Exchange& exchange, const ApiResponse& response, qint64 requestBytes, bool* gzipped);

    /// A feed subscriber's user, from the token in the Authorization header or `?token=`, with
    /// X-Act-As for support (audited). Empty with `refusal` set ("unauthorized: ...") if refused.
    std::optional<ServerUser> admitFeed(const RequestHead& head, QString* refusal);
    /// One line in the log, its control characters escaped.
    static void logLine(const QString& line);

private:
    static constexpr int MaxDeviceIdBytes = 200;
    /// `line` on stderr as it is; its parts from a client must be logSafe() already.
    static void writeLog(const QString& line);
    /// Who a token speaks for, with X-Act-As: the one decision behind authenticate() and
    /// admitFeed(), which word its refusals each in their own way.
    struct Identity {
        enum class Refusal { None, NoToken, BadToken, TokenLookupFailed, NotSupport, NoSuchUser, UserLookupFailed };
        Refusal refusal = Refusal::None;
        ServerUser caller;
        ServerUser target; ///< the caller, or the user support acts as
        QString error;     ///< the store's sentence, for the lookup failures
    };
    Identity identify(const QByteArray& token, const QString& actAs);
    ApiResponse authenticate(const RequestHead& head, ApiRequest& api);
    ApiResponse health() const;
    ApiResponse metrics() const;
    ServerStore& store();
    /// The handler of a route, on `store`.
    static ApiResponse dispatch(ServerStore& store, const ApiRequest& request, const Route& route);

    QString m_databasePath;
    ServerLimits m_limits;
    ServerStore::Durability m_durability;
    HistoryRetention m_retention;
    std::shared_ptr<std::mutex> m_writeLock; ///< shared by every thread's store
    FeedHub m_feed;
    BodyBudget m_bodies;
    std::unique_ptr<WriteQueue> m_writer;
    QByteArray m_origin; ///< this server among others on one database (random)
    std::unique_ptr<FeedRelay> m_relay; ///< PostgreSQL only: the other servers' feed events

    mutable std::mutex m_statsLock;
    decksync::SyncMetrics m_metrics;
    std::optional<decksync::Timestamp> m_lastSuccessfulSync;
    std::int64_t m_lastConflicts = 0;
    QMap<int, qint64> m_statusCounts;
};

/// `text` with every control character (and backslash) written as \xNN, for one log line.
QString logSafe(const QString& text);
