// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/sqlite.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

#include <optional>

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
class ServerStore {
public:
    ServerStore();
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    /// Opens (creating if needed) the database at `path`, with its directory.
    bool open(const QString& path, QString* error);
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] const QString& path() const { return m_path; }

    /// Adds a user with the SHA-256 of its token; refuses a second user with the same email.
    bool addUser(const QString& email, const QString& role, const QByteArray& tokenSha256, QString* error);
    /// The user whose token has this SHA-256 (compared in constant time), if any.
    std::optional<ServerUser> userByTokenHash(const QByteArray& tokenSha256, QString* error);
    std::optional<ServerUser> userByEmail(const QString& email, QString* error);

    /// BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless committed.
    class Transaction {
    public:
        explicit Transaction(ServerStore& store);
        bool begin(QString* error);
        bool commit(QString* error);

    private:
        sqlite::Transaction m_tx;
    };

    /// The user's dataset; revision 0 and an empty document for a user who never wrote.
    std::optional<StoredDataset> loadDataset(qint64 userId, QString* error);
    bool saveDataset(qint64 userId, const StoredDataset& dataset, QString* error);
    bool addAudit(const AuditEntry& entry, QString* error);
    /// The stored response of batch `transactionId` of the user, if it was applied.
    std::optional<QByteArray> batchResponse(qint64 userId, const QString& transactionId, QString* error);
    bool saveBatchResponse(qint64 userId, const QString& transactionId, const QByteArray& response, QString* error);

private:
    bool exec(const QString& sql, QString* error);
    [[nodiscard]] QSqlDatabase db() const;

    QString m_connection;
    QString m_path;
};
