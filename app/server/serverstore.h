// SPDX-License-Identifier: MIT
#pragma once

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

/// A user's dataset as stored: the revision and the dataset document (empty = no data yet).
struct StoredDataset {
    qint64 revision = 0;
    QByteArray document;
};

struct AuditEntry {
    qint64 actorUserId = 0;
    qint64 targetUserId = 0;
    QString method;
    QString path;
    qint64 revisionBefore = 0;
    qint64 revisionAfter = 0;
};

/// The server's SQLite database (WAL mode, Qt's QSQLITE driver): users, datasets, audit and
/// the responses of applied batches. Every method that can fail returns false or an empty
/// optional and puts a sentence in `error`; a lookup that finds nothing leaves `error` empty.
///
/// Several stores (one per server thread) may share one database: they share `writeLock`, which
/// every Transaction holds from BEGIN to its end, so that writers queue in the process rather
/// than in SQLite's busy handler, which sleeps.
class ServerStore {
public:
    /// When an answered write is on disk (SQLite's `synchronous` in WAL mode).
    enum class Durability {
        Full,   ///< at each commit: nothing answered is lost (the default)
        Normal, ///< at each checkpoint: a power loss or OS crash may lose the last answered writes,
                ///< never corrupt the file; an application crash loses nothing
    };

    explicit ServerStore(std::shared_ptr<std::mutex> writeLock = std::make_shared<std::mutex>(),
                         Durability durability = Durability::Full);
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    /// Opens (creating if needed) the database at `path`, with its directory.
    bool open(const QString& path, QString* error);
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] const QString& path() const { return m_path; }

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

    /// Group commit: takes the write lock and begins one transaction, inside which every
    /// Transaction is a savepoint, until commitGroup() commits them all at once (one fsync).
    bool beginGroup(QString* error);
    /// Commits the group, or rolls it all back when the COMMIT fails; lets the lock go.
    bool commitGroup(QString* error);

    /// The user's dataset; revision 0 and an empty document for a user who never wrote.
    std::optional<StoredDataset> loadDataset(qint64 userId, QString* error);
    bool saveDataset(qint64 userId, const StoredDataset& dataset, QString* error);
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

private:
    bool exec(const QString& sql, QString* error);
    /// A transaction control statement (BEGIN, COMMIT, a savepoint), prepared once.
    bool control(const QString& sql, QString* error);
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
    /// `sql`, prepared once per store, bound to `values` and run; empty, with SQLite's message
    /// in `why`, on failure.
    Statement cached(const QString& sql, const QVariantList& values, QString* why);
    [[nodiscard]] QSqlDatabase db() const;

    QString m_connection;
    QString m_path;
    std::shared_ptr<std::mutex> m_writeLock;
    Durability m_durability;
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
};
