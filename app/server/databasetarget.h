// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QUrl>

/// Where the server's data lives, as `--db` names it: an SQLite file (the default, embedded)
/// or a PostgreSQL database (`postgresql://USER:PASSWORD@HOST:PORT/NAME?OPTION=VALUE`),
/// through Qt's QSQLITE or QPSQL driver. It also knows the two dialects: the schema's types
/// and the statements that begin a write or a consistent read.
class DatabaseTarget {
public:
    enum class Backend { SQLite, PostgreSQL };
    /// When an answered write is on disk.
    enum class Durability {
        Full,   ///< at each commit: nothing answered is lost (the default)
        Normal, ///< SQLite: at checkpoints; PostgreSQL: synchronous_commit off. A power loss or
                ///< OS crash may lose the last answered writes, never the database
    };

    DatabaseTarget() = default;
    /// `spec` is a file path or a postgresql:// (or postgres://) URL.
    static DatabaseTarget parse(const QString& spec);
    [[nodiscard]] static bool isUrl(const QString& spec);

    [[nodiscard]] Backend backend() const { return m_backend; }
    [[nodiscard]] bool isPostgres() const { return m_backend == Backend::PostgreSQL; }
    /// The spec as given (for another connection to the same database).
    [[nodiscard]] const QString& spec() const { return m_spec; }
    /// For messages and logs: the file, or the URL without its password.
    [[nodiscard]] QString display() const;

    /// Opens a connection named `name` (creating an SQLite file and its directory if needed)
    /// and sets it up for `durability`; false and a sentence naming the database on failure.
    bool open(const QString& name, Durability durability, QString* error) const;
    /// Closes connection `name` (made by open()) and opens it again, set up as open() does:
    /// after the database server restarted, say.
    bool reopen(const QString& name, Durability durability, QString* error) const;

    /// `sql` written for SQLite, in this backend's dialect: BLOB becomes BYTEA, INTEGER BIGINT
    /// and an AUTOINCREMENT key an identity column for PostgreSQL.
    [[nodiscard]] QString schema(QString sql) const;
    /// Begins a write: BEGIN IMMEDIATE (SQLite takes its write lock at once), or BEGIN.
    [[nodiscard]] QString beginWrite() const;
    /// Begins a read that sees one committed state throughout: BEGIN in SQLite's WAL mode, a
    /// read-only REPEATABLE READ transaction in PostgreSQL (whose default sees each statement's).
    [[nodiscard]] QString beginRead() const;

private:
    bool openSqlite(QSqlDatabase& d, Durability durability, QString* error) const;
    bool openPostgres(QSqlDatabase& d, Durability durability, QString* error) const;

    Backend m_backend = Backend::SQLite;
    QString m_spec;
    QUrl m_url;
};
