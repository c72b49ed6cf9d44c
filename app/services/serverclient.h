// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QTimer;
class QWebSocket;

/// Where a live server is and who asks: the token is held in memory only.
struct ServerConnection {
    QUrl baseUrl;     ///< e.g. http://127.0.0.1:8787
    QString token;    ///< bearer token
    QString actAs;    ///< for a support token: the user to inspect (X-Act-As), else empty
    QString deviceId; ///< this inspector's device id (X-Device-Id), so its own writes are not echoed
};

/// One user in the support directory (GET /users).
struct DirectoryUser {
    enum class Health { NoData, Conflicts, Ok };
    QString email;
    bool support = false;
    qint64 revision = 0;
    QDateTime lastWrite; ///< invalid when the user never wrote
    qint64 conflicts = 0;       ///< resolved by its syncs, in the history the server keeps
    qint64 recentConflicts = 0; ///< of them, in the last 7 days
    Health health = Health::NoData;
};

/// One revision of the user's data on the server (GET /revisions).
struct ServerRevision {
    enum class Kind { Sync, Batch, Put, Restore, Upgrade };
    qint64 revision = 0;
    QDateTime at;
    QString by;       ///< whose token wrote it (empty for an upgrade)
    QString device;   ///< the writer's device id, if it sent one
    Kind kind = Kind::Put;
    QString dataType; ///< of a sync: the type it synced
    qint64 restored = 0; ///< of a restore: the revision it brought back
    qint64 added = 0;
    qint64 removed = 0;
    qint64 changed = 0;
    qint64 conflicts = 0;
};

/// One write that changed one item (GET /data/{type}/{id}/revisions): the revision, and the
/// item's text before and after it (none: it was not there).
struct ServerItemRevision {
    ServerRevision revision;
    std::optional<QByteArray> before;
    std::optional<QByteArray> after;
};

/// The inspector's side of decksync-server's API: fetch the user's dataset with its
/// revision, replace it with If-Match, and follow the live feed. Every call is asynchronous
/// and answers with one signal carrying the call's id. Reads are retried with backoff on
/// timeouts, refused connections and 5xx; a write is retried only when the server cannot
/// have seen it, and If-Match keeps any retry from writing twice.
class ServerClient : public QObject {
    Q_OBJECT
public:
    explicit ServerClient(QObject* parent = nullptr);
    ~ServerClient() override;

    void setConnection(ServerConnection connection);
    [[nodiscard]] const ServerConnection& connection() const { return m_connection; }
    [[nodiscard]] bool isConfigured() const { return m_connection.baseUrl.isValid() && !m_connection.token.isEmpty(); }
    /// Per attempt; default 15 s.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    /// Attempts after the first; default 3, waiting 250 ms, 500 ms, 1 s.
    void setRetries(int retries) { m_retries = retries; }
    void setBackoffBase(int milliseconds) { m_backoffMs = milliseconds; }

    /// GET /data: answers fetched() or failed().
    quint64 fetch();
    /// GET /data?at=TIME: the dataset as it was at `at` (RFC 3339), with that revision; answers
    /// fetched() or failed().
    quint64 fetchAt(const QString& at);
    /// PUT /data with If-Match: answers pushed(), pushConflict() or failed().
    quint64 push(const QByteArray& document, qint64 ifMatchRevision);

    /// GET /users?q=TEXT, for a support token (sent without the user to inspect): answers
    /// usersListed() or failed().
    quint64 listUsers(const QString& text);

    /// GET /revisions?before=N&limit=N (before 0: from the newest): answers revisionsListed()
    /// or failed().
    quint64 listRevisions(qint64 before = 0, int limit = 200);
    /// GET /data?revision=N: answers fetched() or failed().
    quint64 fetchRevision(qint64 revision);
    /// The writes that changed item `id` of `type` ("decks", ...), newest first, before
    /// revision `before` (0: from the newest): answers itemRevisionsListed().
    quint64 listItemRevisions(const QString& type, const QString& id, qint64 before = 0, int limit = 200);
    /// POST /data/restore of `revision` with If-Match: a write, answered as push() is. With
    /// `items` (type name, id), only those become as they were then.
    quint64 restore(qint64 revision, qint64 ifMatchRevision, const QList<QPair<QString, QString>>& items = {});

    /// push(), answered through callbacks run in `context`'s thread (dropped if it died).
    void pushThen(const QByteArray& document, qint64 ifMatchRevision, QObject* context,
                  std::function<void(qint64 revision)> onPushed,
                  std::function<void(qint64 serverRevision, const QString& message)> onConflict,
                  std::function<void(const QString& message)> onFailed);

    /// fetch(), answered to `onFetched(document, revision)` or `onFailed(message)` on `context`.
    void fetchThen(QObject* context, std::function<void(const QByteArray&, qint64)> onFetched,
                   std::function<void(const QString&)> onFailed);
    void openFeed();
    void closeFeed();
    [[nodiscard]] bool feedConnected() const;
    /// The feed is open, on its way, or waiting to try again (closeFeed() ends all three).
    [[nodiscard]] bool feedWanted() const { return m_feed != nullptr; }

    /// A display name for the server side, e.g. "http://127.0.0.1:8787 (maya@example.com)".
    [[nodiscard]] QString describe() const;

Q_SIGNALS:
    void fetched(quint64 call, const QByteArray& document, qint64 revision);
    void pushed(quint64 call, qint64 revision);
    void pushConflict(quint64 call, qint64 serverRevision, const QString& message);
    /// `status`: the HTTP status of the last answer, 0 when none came.
    void failed(quint64 call, const QString& message, int status);
    /// Newest first; `nextBefore` is 0 when these reach the oldest revision kept.
    void revisionsListed(quint64 call, const QList<ServerRevision>& revisions, qint64 nextBefore);
    /// `nextBefore`: 0 when there are no older ones.
    void itemRevisionsListed(quint64 call, const QList<ServerItemRevision>& revisions, qint64 nextBefore);
    /// The users found; `more` when the server has more than it sent.
    void usersListed(quint64 call, const QList<DirectoryUser>& users, bool more);
    /// Another device of this user wrote.
    void remoteChanged(const QString& dataType, qint64 revision, const QString& at);
    void feedStateChanged(bool connected);

private:
    struct Call;
    /// Connects `signal` so that `handler` gets its arguments after the call id, for `call`
    /// only and once: the first of `answers` to come disconnects all of them.
    template <class... Args, class Handler>
    void onceFor(quint64 call, QObject* context, const std::shared_ptr<QList<QMetaObject::Connection>>& answers,
                 void (ServerClient::*signal)(quint64, Args...), Handler handler);
    QNetworkRequest request(const QString& path, const QUrlQuery& query = {}, bool actingAs = true) const;
    void send(std::shared_ptr<Call> call);
    void finished(std::shared_ptr<Call> call, QNetworkReply* reply);
    void retryLater(std::shared_ptr<Call> call, const QString& why, int status);

    QNetworkAccessManager* m_network;
    ServerConnection m_connection;
    int m_timeoutMs = 15000;
    int m_retries = 3;
    int m_backoffMs = 250;
    quint64 m_nextCall = 1;
    QWebSocket* m_feed = nullptr;
    static constexpr int FeedRetryMs = 2000;     ///< the feed's first wait before it tries again
    static constexpr int FeedRetryMaxMs = 60000; ///< and its longest
    QTimer* m_reconnect;
};
