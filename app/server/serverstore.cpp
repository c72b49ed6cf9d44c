// SPDX-License-Identifier: MIT
#include "app/server/serverstore.h"

#include "app/services/sqlite.h"

#include "app/server/auth.h"
#include "app/server/migrations.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

std::atomic<quint64> g_nextConnection{0};

using sqlite::run;
QString sqlText(const QSqlError& e) { return sqlite::errorText(e); }

bool setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}


QString nowText() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

std::optional<ServerUser> readUser(const QSqlQuery& q)
{
    return ServerUser{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()};
}

} // namespace

ServerStore::ServerStore(std::shared_ptr<std::mutex> writeLock, Durability durability, HistoryRetention retention)
    : m_connection(u"decksync-server-%1"_s.arg(g_nextConnection++))
    , m_writeLock(std::move(writeLock))
    , m_durability(durability)
    , m_retention(retention)
{
}

ServerStore::~ServerStore()
{
    m_statements.clear(); // before the connection closes
    {
        QSqlDatabase d = QSqlDatabase::database(m_connection, false);
        if (d.isValid())
            d.close();
    }
    if (QSqlDatabase::contains(m_connection))
        QSqlDatabase::removeDatabase(m_connection);
}

ServerStore::Statement ServerStore::query(const QString& sql, const QVariantList& values, QString* why)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto q = std::make_unique<QSqlQuery>(db());
        if (!q->prepare(sql)) {
            *why = sqlText(q->lastError());
            if (reconnectIfLost())
                return query(sql, values, why);
            return Statement(nullptr);
        }
        it = m_statements.emplace(sql, std::move(q)).first;
    }
    QSqlQuery& q = *it->second;
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values[i]);
    if (!q.exec()) {
        *why = sqlText(q.lastError());
        q.finish();
        if (reconnectIfLost())
            return query(sql, values, why); // once: a second failure finds the connection there
        return Statement(nullptr);
    }
    return Statement(&q);
}

bool ServerStore::reconnectIfLost()
{
    if (!m_target.isPostgres() || m_scopes > 0 || m_inGroup)
        return false;
    {
        QSqlQuery probe(db());
        if (probe.exec(u"SELECT 1"_s))
            return false; // the connection is there: the statement itself failed
    }
    m_statements.clear(); // prepared on the connection that is gone
    QString why;
    if (!m_target.reopen(m_connection, m_durability, &why)) {
        qWarning("decksync-server: the connection to %s was lost and could not be opened again: %s",
                 qPrintable(m_target.display()), qPrintable(why));
        return false;
    }
    qInfo("decksync-server: the connection to %s was lost; it is open again", qPrintable(m_target.display()));
    return true;
}

QSqlDatabase ServerStore::db() const { return QSqlDatabase::database(m_connection, false); }

bool ServerStore::isOpen() const { return QSqlDatabase::contains(m_connection) && db().isOpen(); }

bool ServerStore::exec(const QString& sql, QString* error)
{
    // Not prepared: PostgreSQL prepares only SELECT, INSERT, UPDATE, DELETE and VALUES.
    QSqlQuery q(db());
    if (q.exec(sql))
        return true;
    return setError(error, sqlText(q.lastError()));
}

bool ServerStore::control(const QString& sql, QString* error)
{
    // BEGIN, COMMIT and the savepoints run on every write: compiling them each time was about a
    // tenth of a small sync's cost in SQLite. PostgreSQL does not prepare them.
    if (m_target.isPostgres())
        return exec(sql, error) || (reconnectIfLost() && exec(sql, error));
    return bool(query(sql, {}, error));
}

bool ServerStore::open(const QString& spec, QString* error)
{
    m_target = DatabaseTarget::parse(spec);
    if (!m_target.open(m_connection, m_durability, error))
        return false;
    QString why;
    Transaction tx(*this);
    if (!tx.begin(&why))
        return setError(error, u"Could not set up the database %1: %2."_s.arg(m_target.display(), why));
    if (!Migrations::run(*this, &why))
        return setError(error, u"The database %1 could not be set up. %2"_s.arg(m_target.display(), why));
    if (!tx.commit(&why))
        return setError(error, u"Could not create the tables of the database %1: %2."_s.arg(m_target.display(), why));
    return true;
}

bool ServerStore::lockUser(qint64 userId, QString* error)
{
    if (!m_target.isPostgres())
        return true;
    QString why;
    // One 64-bit key per user; Migrations holds the two-key (0, 0), a space of its own.
    if (!query(u"SELECT pg_advisory_xact_lock(?)"_s, {userId}, &why))
        return setError(error, u"Could not wait for the user's other writes: %1."_s.arg(why));
    return true;
}

bool ServerStore::notifyOthers(const QByteArray& payload, QString* error)
{
    if (!m_target.isPostgres())
        return true;
    QString why;
    if (!query(u"SELECT pg_notify(?, ?)"_s, {QString::fromLatin1(FeedChannel), QString::fromUtf8(payload)}, &why))
        return setError(error, u"Could not tell the other servers: %1."_s.arg(why));
    return true;
}

bool ServerStore::addUser(const QString& email, const QString& role, const QByteArray& tokenSha256, QString* error)
{
    if (!email.contains(u'@') || email.trimmed() != email)
        return setError(error, u"\"%1\" is not an email address."_s.arg(email));
    if (role != u"user"_s && role != u"support"_s)
        return setError(error, u"\"%1\" is not a role (user, support)."_s.arg(role));
    QString why;
    if (const auto existing = userByEmail(email, &why))
        return setError(error, u"There is already a user %1."_s.arg(existing->email));
    if (!why.isEmpty())
        return setError(error, why);
    QSqlQuery q(db());
    if (!run(q, u"INSERT INTO users (email, role, token_sha256, created_at) VALUES (?, ?, ?, ?)"_s,
             {email, role, tokenSha256, nowText()}, &why))
        return setError(error, u"Could not add the user %1: %2."_s.arg(email, why));
    return true;
}

std::optional<ServerUser> ServerStore::userByTokenHash(const QByteArray& tokenSha256, QString* error)
{
    const auto now = std::chrono::steady_clock::now();
    if (const auto known = m_tokens.find(tokenSha256); known != m_tokens.end()) {
        if (now - known->second.since < TokenCacheTime)
            return known->second.user;
        m_tokens.erase(known);
    }
    QString why;
    const Statement statement = query(
        u"SELECT id, email, role, token_sha256 FROM users WHERE token_sha256 = ?"_s,
        {tokenSha256}, &why);
    if (!statement) {
        setError(error, u"Could not look up the token: %1."_s.arg(why));
        return std::nullopt;
    }
    // The index finds the row; the comparison that decides is the constant-time one.
    if (!statement->next() || !Auth::constantTimeEqual(statement->value(3).toByteArray(), tokenSha256))
        return std::nullopt;
    std::optional<ServerUser> user = readUser(*statement);
    if (m_tokens.size() >= TokenCacheSize)
        m_tokens.clear();
    m_tokens.insert_or_assign(tokenSha256, KnownToken{*user, now});
    return user;
}

std::optional<ServerUser> ServerStore::userByEmail(const QString& email, QString* error)
{
    QString why;
    const Statement statement = query(u"SELECT id, email, role FROM users WHERE lower(email) = lower(?)"_s, {email}, &why);
    if (!statement) {
        setError(error, u"Could not look up the user %1: %2."_s.arg(email, why));
        return std::nullopt;
    }
    if (!statement->next())
        return std::nullopt;
    return readUser(*statement);
}

ServerStore::Transaction::Transaction(ServerStore& store)
    : m_store(store)
    , m_lock(*store.m_writeLock, std::defer_lock)
{
}

ServerStore::Transaction::~Transaction()
{
    if (!m_active)
        return;
    QString ignored;
    if (m_nested) {
        m_store.control(u"ROLLBACK TO request"_s, &ignored);
        m_store.control(u"RELEASE request"_s, &ignored);
    } else {
        m_store.control(u"ROLLBACK"_s, &ignored);
        --m_store.m_scopes;
    }
}

bool ServerStore::Transaction::begin(QString* error)
{
    m_nested = m_store.m_inGroup;
    // PostgreSQL serializes what must be (see lockUser()); the process lock is SQLite's.
    if (!m_nested && !m_store.m_target.isPostgres())
        m_lock.lock();
    QString why;
    m_active = m_store.control(m_nested ? u"SAVEPOINT request"_s : m_store.m_target.beginWrite(), &why);
    if (m_active) {
        m_store.m_scopes += m_nested ? 0 : 1;
        return true;
    }
    if (m_lock.owns_lock())
        m_lock.unlock();
    return setError(error, u"Could not start a transaction: %1."_s.arg(why));
}

bool ServerStore::Transaction::commit(QString* error)
{
    QString why;
    if (!m_store.control(m_nested ? u"RELEASE request"_s : u"COMMIT"_s, &why))
        return setError(error, u"Could not commit the transaction: %1."_s.arg(why)); // the destructor rolls back
    m_active = false;
    m_store.m_scopes -= m_nested ? 0 : 1;
    if (m_lock.owns_lock())
        m_lock.unlock();
    return true;
}

ServerStore::ReadSnapshot::ReadSnapshot(ServerStore& store)
    : m_store(store)
{
}

ServerStore::ReadSnapshot::~ReadSnapshot() { end(); }

bool ServerStore::ReadSnapshot::begin(QString* error)
{
    if (m_store.m_inGroup)
        return true; // the writer's group sees one state already
    QString why;
    if (!m_store.control(m_store.m_target.beginRead(), &why))
        return setError(error, u"Could not start a read: %1."_s.arg(why));
    m_active = true;
    ++m_store.m_scopes;
    return true;
}

void ServerStore::ReadSnapshot::end()
{
    if (!m_active)
        return;
    QString ignored;
    m_store.control(u"COMMIT"_s, &ignored);
    m_active = false;
    --m_store.m_scopes;
}

bool ServerStore::beginGroup(QString* error)
{
    if (!m_target.isPostgres())
        m_groupLock = std::unique_lock(*m_writeLock);
    QString why;
    if (control(m_target.beginWrite(), &why)) {
        m_inGroup = true;
        return true;
    }
    if (m_groupLock.owns_lock())
        m_groupLock.unlock();
    return setError(error, u"Could not start a transaction: %1."_s.arg(why));
}

bool ServerStore::commitGroup(QString* error)
{
    QString why;
    const bool committed = control(u"COMMIT"_s, &why);
    if (!committed) {
        QString ignored;
        control(u"ROLLBACK"_s, &ignored);
    }
    m_inGroup = false;
    if (m_groupLock.owns_lock())
        m_groupLock.unlock();
    return committed || setError(error, u"Could not commit the transaction: %1."_s.arg(why));
}

bool ServerStore::addAudit(const AuditEntry& e, QString* error)
{
    QString why;
    const Statement statement = query(
        u"INSERT INTO audit (at, actor_user_id, target_user_id, method, path, revision_before, revision_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
        {nowText(), e.actorUserId, e.targetUserId, e.method, e.path, e.revisionBefore, e.revisionAfter}, &why);
    if (!statement)
        return setError(error, u"Could not write the audit record: %1."_s.arg(why));
    return true;
}

std::optional<ServerStore::AppliedBatch> ServerStore::appliedBatch(qint64 userId, const QString& transactionId,
                                                                   QString* error)
{
    QString why;
    const Statement statement = query(
        u"SELECT response, request_sha256 FROM batches WHERE user_id = ? AND transaction_id = ?"_s,
        {userId, transactionId}, &why);
    if (!statement) {
        setError(error, u"Could not look up the batch: %1."_s.arg(why));
        return std::nullopt;
    }
    if (!statement->next())
        return std::nullopt;
    return AppliedBatch{statement->value(0).toByteArray(), statement->value(1).toByteArray()};
}

bool ServerStore::saveBatch(qint64 userId, const QString& transactionId, const AppliedBatch& batch, QString* error)
{
    QString why;
    const Statement statement = query(
        u"INSERT INTO batches (user_id, transaction_id, response, request_sha256) VALUES (?, ?, ?, ?)"_s,
        {userId, transactionId, batch.response, batch.requestSha256}, &why);
    if (!statement)
        return setError(error, u"Could not record the batch: %1."_s.arg(why));
    return true;
}
