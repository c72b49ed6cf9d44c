// SPDX-License-Identifier: MIT
#pragma once

#include "pgcluster.h"

#include <QSqlDatabase>
#include <QString>
#include <QUrl>

/// The database of a server under test. By default an SQLite file; with the environment
/// variable DECKSYNC_TEST_BACKEND=postgresql (as CTest's *_postgresql tests set it) a new
/// database on a PostgreSQL cluster that the test process starts on first use and stops at
/// its exit. The suites are the same; only where the data lives changes.
namespace serverdb {

inline bool onPostgres() { return qEnvironmentVariable("DECKSYNC_TEST_BACKEND") == QLatin1String("postgresql"); }

/// The process's cluster, started on first use; `error` says why it could not start.
inline PgCluster* cluster(QString* error)
{
    static PgCluster instance;
    static const QString started = instance.start();
    *error = started;
    return started.isEmpty() ? &instance : nullptr;
}

/// What to pass to --db: `sqlitePath`, or a new PostgreSQL database's URL (empty, with
/// `error` set, when the cluster or the database could not be made).
inline QString create(const QString& sqlitePath, QString* error)
{
    error->clear();
    if (!onPostgres())
        return sqlitePath;
    PgCluster* pg = cluster(error);
    if (!pg)
        return {};
    const QString url = pg->database();
    if (url.isEmpty())
        *error = QStringLiteral("createdb failed");
    return url;
}

/// create() in `dir`, for a test that needs nothing more: empty when it failed, which makes the
/// server fail to start (the message goes to the test's log).
inline QString createIn(const QString& dir)
{
    QString why;
    const QString spec = create(dir + QStringLiteral("/server.sqlite"), &why);
    if (spec.isEmpty())
        qWarning("no database for the server: %s", qPrintable(why));
    return spec;
}

/// A connection named `name` to the database `spec` names, for a test that looks inside (the
/// caller removes it with QSqlDatabase::removeDatabase).
inline QSqlDatabase open(const QString& spec, const QString& name)
{
    if (!spec.startsWith(QLatin1String("postgresql://"))) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(spec);
        db.open();
        return db;
    }
    const QUrl url(spec);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(url.host());
    db.setPort(url.port());
    db.setUserName(url.userName());
    db.setDatabaseName(url.path().mid(1));
    db.open();
    return db;
}

} // namespace serverdb
