// SPDX-License-Identifier: MIT
#include "app/server/databasetarget.h"

#include "app/services/sqlite.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

bool setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

bool exec(QSqlDatabase& d, const QString& sql, QString* why)
{
    QSqlQuery q(d);
    if (q.exec(sql)) // not prepared: PostgreSQL does not prepare SET
        return true;
    *why = sqlite::errorText(q.lastError());
    return false;
}

} // namespace

bool DatabaseTarget::isUrl(const QString& spec)
{
    return spec.startsWith(u"postgresql://"_s) || spec.startsWith(u"postgres://"_s);
}

DatabaseTarget DatabaseTarget::parse(const QString& spec)
{
    DatabaseTarget t;
    t.m_spec = spec;
    if (isUrl(spec)) {
        t.m_backend = Backend::PostgreSQL;
        t.m_url = QUrl(spec, QUrl::StrictMode);
    }
    return t;
}

QString DatabaseTarget::display() const
{
    if (!isPostgres())
        return m_spec;
    return m_url.toDisplayString(QUrl::RemovePassword);
}

bool DatabaseTarget::open(const QString& name, Durability durability, QString* error) const
{
    const QString driver = isPostgres() ? u"QPSQL"_s : u"QSQLITE"_s;
    if (!QSqlDatabase::isDriverAvailable(driver))
        return setError(error, isPostgres()
                                   ? u"Qt's PostgreSQL driver (QPSQL) is not installed; install libqt6sql6-psql."_s
                                   : u"Qt's SQLite driver (QSQLITE) is not installed; install libqt6sql6-sqlite."_s);
    QSqlDatabase d = QSqlDatabase::addDatabase(driver, name);
    return isPostgres() ? openPostgres(d, durability, error) : openSqlite(d, durability, error);
}

bool DatabaseTarget::reopen(const QString& name, Durability durability, QString* error) const
{
    QSqlDatabase d = QSqlDatabase::database(name, false);
    if (!d.isValid())
        return setError(error, u"There is no connection to %1 to open again."_s.arg(display()));
    d.close();
    return isPostgres() ? openPostgres(d, durability, error) : openSqlite(d, durability, error);
}

bool DatabaseTarget::openSqlite(QSqlDatabase& d, Durability durability, QString* error) const
{
    const QFileInfo info(m_spec);
    if (!QDir().mkpath(info.absolutePath()))
        return setError(error, u"Could not create the directory %1."_s.arg(info.absolutePath()));
    d.setDatabaseName(m_spec);
    d.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!d.open())
        return setError(error,
                        u"Could not open the database %1: %2."_s.arg(m_spec, sqlite::errorText(d.lastError())));
    QSqlQuery q(d);
    if (!q.exec(u"PRAGMA journal_mode = WAL"_s) || !q.next())
        return setError(error, u"The file %1 is not a usable SQLite database: %2."_s.arg(
                                   m_spec, sqlite::errorText(q.lastError())));
    if (q.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        return setError(error, u"The database %1 could not be switched to WAL mode."_s.arg(m_spec));
    q.finish();
    const QString synchronous = durability == Durability::Full ? u"FULL"_s : u"NORMAL"_s;
    QString why;
    if (!exec(d, u"PRAGMA synchronous = "_s + synchronous, &why) || !exec(d, u"PRAGMA foreign_keys = ON"_s, &why))
        return setError(error, u"Could not set up the database %1: %2."_s.arg(m_spec, why));
    return true;
}

bool DatabaseTarget::openPostgres(QSqlDatabase& d, Durability durability, QString* error) const
{
    if (!m_url.isValid() || m_url.path().size() < 2)
        return setError(error, u"%1 is not a PostgreSQL address: write postgresql://USER:PASSWORD@HOST:PORT/DATABASE"_s.arg(
                                   display()));
    d.setDatabaseName(m_url.path().mid(1));
    if (!m_url.host().isEmpty())
        d.setHostName(m_url.host());
    if (m_url.port() > 0)
        d.setPort(m_url.port());
    if (!m_url.userName().isEmpty())
        d.setUserName(m_url.userName());
    if (!m_url.password().isEmpty())
        d.setPassword(m_url.password());
    // The URL's parameters (sslmode=require, say) go to libpq as they are.
    QStringList options{u"connect_timeout=10"_s, u"application_name=decksync-server"_s};
    for (const auto& [key, value] : QUrlQuery(m_url).queryItems(QUrl::FullyDecoded))
        options << key + u'=' + value;
    d.setConnectOptions(options.join(u';'));
    if (!d.open())
        return setError(error, u"Could not connect to the database %1: %2."_s.arg(display(),
                                                                                  sqlite::errorText(d.lastError())));
    QString why;
    if (durability == Durability::Normal && !exec(d, u"SET synchronous_commit = off"_s, &why))
        return setError(error, u"Could not set up the database %1: %2."_s.arg(display(), why));
    if (!exec(d, u"SET client_min_messages = warning"_s, &why))
        return setError(error, u"Could not set up the database %1: %2."_s.arg(display(), why));
    return true;
}

QString DatabaseTarget::schema(QString sql) const
{
    if (!isPostgres())
        return sql;
    static const QRegularExpression autoKey(u"\\bINTEGER PRIMARY KEY AUTOINCREMENT\\b"_s);
    static const QRegularExpression integer(u"\\bINTEGER\\b"_s);
    static const QRegularExpression blob(u"\\bBLOB\\b"_s);
    static const QRegularExpression nocase(u"\\s*COLLATE NOCASE\\b"_s);
    sql.replace(autoKey, u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_s);
    sql.replace(integer, u"BIGINT"_s);
    sql.replace(blob, u"BYTEA"_s);
    sql.replace(nocase, QString());
    return sql;
}

QString DatabaseTarget::beginWrite() const { return isPostgres() ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s; }

QString DatabaseTarget::beginRead() const
{
    return isPostgres() ? u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s : u"BEGIN"_s;
}
