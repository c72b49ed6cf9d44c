// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUuid>

/// The first column of the first row of `sql` on the SQLite file at `path`, as text; the
/// error's text when it fails. Opens and closes its own connection.
inline QString sqliteScalar(const QString& path, const QString& sql)
{
    const QString connection = QStringLiteral("probe-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString answer;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            answer = QStringLiteral("cannot open: ") + db.lastError().text();
        } else {
            QSqlQuery q(db);
            answer = q.exec(sql) && q.next() ? q.value(0).toString() : q.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return answer;
}

/// What `PRAGMA integrity_check` says of the SQLite file at `path` ("ok" when it is sound), or
/// why the file could not be checked.
inline QString sqliteIntegrity(const QString& path)
{
    return sqliteScalar(path, QStringLiteral("PRAGMA integrity_check"));
}
