// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

/// Small pieces shared by the SQLite stores (the history and the server's store).
namespace sqlite {

/// SQLite's own message ("file is not a database"), without Qt's "Unable to fetch row" after it.
inline QString errorText(const QSqlError& e)
{
    return (e.databaseText().isEmpty() ? e.text() : e.databaseText()).trimmed();
}

/// Prepares `sql`, binds `values` and runs it; false and SQLite's message in `why` on failure.
inline bool run(QSqlQuery& q, const QString& sql, const QVariantList& values, QString* why)
{
    bool ok = q.prepare(sql);
    for (const QVariant& v : values)
        q.addBindValue(v);
    ok = ok && q.exec();
    if (!ok && why)
        *why = errorText(q.lastError());
    return ok;
}

/// BEGIN IMMEDIATE (takes the write lock up front) ... COMMIT; rolls back unless committed.
class Transaction {
public:
    explicit Transaction(const QSqlDatabase& db)
        : m_db(db)
    {
    }
    ~Transaction()
    {
        if (m_active)
            exec(QStringLiteral("ROLLBACK"), nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    bool begin(QString* why) { return m_active = exec(QStringLiteral("BEGIN IMMEDIATE"), why); }
    /// If COMMIT fails the transaction stays active and the destructor rolls it back.
    bool commit(QString* why)
    {
        m_active = !exec(QStringLiteral("COMMIT"), why);
        return !m_active;
    }

private:
    bool exec(const QString& sql, QString* why)
    {
        QSqlQuery q(m_db);
        return run(q, sql, {}, why);
    }

    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace sqlite
