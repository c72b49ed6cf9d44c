// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/databasetarget.h"
#include "app/services/sqlite.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

struct ServerUser {
    qint64 id = 0;
    QString email;
    QString role; ///< "user" or "support"

    [[nodiscard]] bool isSupport() const { return role == QLatin1String("support"); }
};

/// How long the history of what writes replaced is kept. A revision is let go when it is older
/// than `days` or more than `revisions` behind the newest (0: no limit of that kind).
struct HistoryRetention {
    int days = 90;
    qint64 revisions = 0;
};

struct AuditEntry {
    qint64 actorUserId = 0;
    qint64 targetUserId = 0;
    QString method;
    QString path;
    qint64 revisionBefore = 0;
    qint64 revisionAfter = 0;
};

/// The server's database, SQLite (WAL mode) or PostgreSQL (see DatabaseTarget): users, audit
/// and the responses of applied batches here; the users' items and their history in ItemRows;
/// the schema's versions in Migrations. Every method that can fail returns false or an empty
/// optional and puts a sentence in `error`; a lookup that finds nothing leaves `error` empty.
///
/// Several stores (one per server thread) may share one database: on SQLite they share
/// `writeLock`, which every Transaction holds from BEGIN to its end, so that writers queue in
/// the process rather than in SQLite's busy handler, which sleeps. PostgreSQL needs no such
/// lock: lockUser() serializes what must be. Between processes, on PostgreSQL, lockUser()
/// serializes the writes of one user.
class ServerStore {
public:
    using Durability = DatabaseTarget::Durability;

    explicit ServerStore(std::shared_ptr<std::mutex> writeLock = std::make_shared<std::mutex>(),
                         Durability durability = Durability::Full, HistoryRetention retention = {});
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    /// Opens (creating the tables if needed, upgrading an older schema) the database that
    /// `spec` names: an SQLite file, or a postgresql:// URL.
    bool open(const QString& spec, QString* error);
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] const DatabaseTarget& target() const { return m_target; }
    /// How long the history of the users' data is kept (see ItemRows).
    [[nodiscard]] const HistoryRetention& retention() const { return m_retention; }

    /// Adds a user with the SHA-256 of its token; refuses a second user with the same email.
    bool addUser(const QString& email, const QString& role, const QByteArray& tokenSha256, QString* error);
    /// The user whose token has this SHA-256 (compared in constant time), if any. A token found
    /// is remembered for TokenCacheTime, so that a request costs no lookup: users and tokens are
    /// only ever added, and a change to them must reach every store within that time. A token
    /// not found is looked up each time, so a new user is known at once.
    std::optional<ServerUser> userByTokenHash(const QByteArray& tokenSha256, QString* error);
    std::optional<ServerUser> userByEmail(const QString& email, QString* error);

    /// The write lock, then BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless
    /// committed, and lets the lock go after the COMMIT or ROLLBACK. Inside a group (see
    /// beginGroup()) it is a savepoint instead: its commit is a RELEASE, and only the group's
    /// commit puts it on disk.
    class Transaction {
    public:
        explicit Transaction(ServerStore& store);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        bool begin(QString* error);
        bool commit(QString* error);

    private:
        ServerStore& m_store;
        std::unique_lock<std::mutex> m_lock;
        bool m_nested = false;
        bool m_active = false;
    };

    /// A read that sees one committed state from its first query to its end (BEGIN ...
    /// COMMIT in WAL mode): a document built from several queries is never half of a write.
    /// Takes no lock; a write must not start inside it.
    class ReadSnapshot {
    public:
        explicit ReadSnapshot(ServerStore& store);
        ~ReadSnapshot();
        ReadSnapshot(const ReadSnapshot&) = delete;
        ReadSnapshot& operator=(const ReadSnapshot&) = delete;
        bool begin(QString* error);
        /// Ends it (before an audit row is written, say); the destructor does it otherwise.
        void end();

    private:
        ServerStore& m_store;
        bool m_active = false;
    };

    /// Group commit: takes the write lock and begins one transaction, inside which every
    /// Transaction is a savepoint, until commitGroup() commits them all at once (one fsync).
    bool beginGroup(QString* error);
    /// Commits the group, or rolls it all back when the COMMIT fails; lets the lock go.
    bool commitGroup(QString* error);

    /// Inside a write transaction: waits until no other process writes for `userId`, and holds
    /// that until the transaction ends (a PostgreSQL advisory lock; in SQLite, BEGIN IMMEDIATE
    /// already holds the whole file).
    bool lockUser(qint64 userId, QString* error);
    /// Inside a write transaction: tells the other processes on the same database, once it
    /// commits (PostgreSQL NOTIFY on FeedChannel); a no-op on SQLite, which has one process.
    bool notifyOthers(const QByteArray& payload, QString* error);
    static constexpr const char* FeedChannel = "decksync_feed";

    bool addAudit(const AuditEntry& entry, QString* error);
    /// An applied batch: its response, and the SHA-256 of its request body (empty for a batch
    /// stored before the server kept it).
    struct AppliedBatch {
        QByteArray response;
        QByteArray requestSha256;
    };
    /// The batch `transactionId` of the user, if it was applied.
    std::optional<AppliedBatch> appliedBatch(qint64 userId, const QString& transactionId, QString* error);
    bool saveBatch(qint64 userId, const QString& transactionId, const AppliedBatch& batch, QString* error);

    /// A run of a statement prepared once per store; finished when it goes (that ends its read).
    class Statement {
    public:
        explicit Statement(QSqlQuery* query) : m_query(query) {}
        ~Statement()
        {
            if (m_query)
                m_query->finish();
        }
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;
        explicit operator bool() const { return m_query != nullptr; }
        QSqlQuery* operator->() const { return m_query; }
        QSqlQuery& operator*() const { return *m_query; }

    private:
        QSqlQuery* m_query;
    };
    /// `sql`, prepared once per store, bound to `values` and run; empty, with the database's
    /// message in `why`, on failure.
    Statement query(const QString& sql, const QVariantList& values, QString* why);
    /// Runs `sql` once (not kept prepared): for the schema.
    bool exec(const QString& sql, QString* error);
private:
    /// A transaction control statement (BEGIN, COMMIT, a savepoint), prepared once.
    bool control(const QString& sql, QString* error);
    /// PostgreSQL, outside any transaction or read: after a statement failed, asks whether the
    /// connection is still there, and if it is not (the database server restarted), opens it
    /// again, with its statements to prepare anew. True when it was opened again, so that the
    /// statement may run once more; inside a transaction the failure stands (the transaction
    /// is gone with the connection), and the next request reconnects.
    bool reconnectIfLost();
    [[nodiscard]] QSqlDatabase db() const;

    QString m_connection;
    DatabaseTarget m_target;
    std::shared_ptr<std::mutex> m_writeLock;
    Durability m_durability;
    HistoryRetention m_retention;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    struct KnownToken {
        ServerUser user;
        std::chrono::steady_clock::time_point since;
    };
    static constexpr std::chrono::seconds TokenCacheTime{60};
    static constexpr std::size_t TokenCacheSize = 100'000; ///< past it, the store forgets them all
    std::unordered_map<QByteArray, KnownToken> m_tokens; ///< by the token's SHA-256
    std::unique_lock<std::mutex> m_groupLock; ///< held from beginGroup() to commitGroup()
    bool m_inGroup = false;
    int m_scopes = 0; ///< open transactions and reads (not nested ones): no reconnecting in them
};
