// SPDX-License-Identifier: MIT
#include "app/server/feedrelay.h"

#include "app/server/serverstore.h"
#include "app/services/sqlite.h"

#include <QEventLoop>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <future>

using namespace Qt::StringLiterals;

namespace {

constexpr int CheckMs = 3000;
std::atomic<quint64> g_nextConnection{0};

/// One listening connection, in the relay's thread.
class Listener {
public:
    Listener(const DatabaseTarget& target, QByteArray origin, FeedHub& hub)
        : m_target(target)
        , m_origin(std::move(origin))
        , m_hub(hub)
    {
    }
    ~Listener() { close(); }

    bool connect(QString* error)
    {
        close();
        m_name = u"decksync-feed-relay-%1"_s.arg(g_nextConnection++);
        if (!m_target.open(m_name, DatabaseTarget::Durability::Full, error))
            return false;
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (!db.driver()->subscribeToNotification(QString::fromLatin1(ServerStore::FeedChannel))) {
            *error = u"Could not listen to the other servers' writes: %1."_s.arg(
                sqlite::errorText(db.driver()->lastError()));
            return false;
        }
        QObject::connect(db.driver(), &QSqlDriver::notification, db.driver(),
                         [this](const QString&, QSqlDriver::NotificationSource, const QVariant& payload) {
                             deliver(payload.toString().toUtf8());
                         });
        return true;
    }

    /// Whether the connection still answers; a lost one is opened again.
    void check()
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        QSqlQuery q(db);
        if (db.isOpen() && q.exec(u"SELECT 1"_s))
            return;
        QString why;
        if (!connect(&why))
            std::fprintf(stderr, "decksync-server: %s\n", qUtf8Printable(why));
    }

private:
    void deliver(const QByteArray& payload)
    {
        const std::optional<FeedRelay::Event> e = FeedRelay::decode(payload);
        if (!e || e->origin == m_origin)
            return; // this server told its own devices already
        m_hub.publish(e->event.userId, e->device, e->event.dataType, e->event.revision, e->at);
    }

    void close()
    {
        if (m_name.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isValid())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
        m_name.clear();
    }

    const DatabaseTarget& m_target;
    QByteArray m_origin;
    FeedHub& m_hub;
    QString m_name;
};

} // namespace

QByteArray FeedRelay::encode(const Event& e)
{
    // origin user revision type at device: the device last, as it may hold spaces.
    return e.origin + ' ' + QByteArray::number(e.event.userId) + ' ' + QByteArray::number(e.event.revision) + ' '
        + e.event.dataType.toLatin1() + ' ' + e.at.toLatin1() + ' ' + e.device;
}

std::optional<FeedRelay::Event> FeedRelay::decode(const QByteArray& payload)
{
    QList<QByteArray> parts;
    qsizetype from = 0;
    for (int i = 0; i < 5; ++i) {
        const qsizetype space = payload.indexOf(' ', from);
        if (space < 0)
            return std::nullopt;
        parts << payload.mid(from, space - from);
        from = space + 1;
    }
    Event e;
    bool okUser = false;
    bool okRevision = false;
    e.origin = parts[0];
    e.event.userId = parts[1].toLongLong(&okUser);
    e.event.revision = parts[2].toLongLong(&okRevision);
    e.event.dataType = QString::fromLatin1(parts[3]);
    e.at = QString::fromLatin1(parts[4]);
    e.device = payload.mid(from);
    if (!okUser || !okRevision)
        return std::nullopt;
    return e;
}

FeedRelay::FeedRelay(DatabaseTarget target, QByteArray origin, FeedHub& hub)
    : m_target(std::move(target))
    , m_origin(std::move(origin))
    , m_hub(hub)
{
}

FeedRelay::~FeedRelay() { stop(); }

bool FeedRelay::start(QString* error)
{
    std::promise<QString> opened;
    std::future<QString> result = opened.get_future();
    m_thread.reset(QThread::create([this, &opened] {
        // The connection, its notifications and the check all live in this thread.
        Listener listener(m_target, m_origin, m_hub);
        QString why;
        if (!listener.connect(&why)) {
            opened.set_value(why.isEmpty() ? u"the feed relay could not connect"_s : why);
            return;
        }
        QTimer check;
        QObject::connect(&check, &QTimer::timeout, &check, [&listener] { listener.check(); });
        check.start(CheckMs);
        opened.set_value({});
        QEventLoop loop;
        loop.exec(); // until stop() quits the thread's event loops
    }));
    m_thread->start();
    const QString why = result.get();
    if (why.isEmpty())
        return true;
    m_thread->wait();
    m_thread.reset();
    *error = why;
    return false;
}

void FeedRelay::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}
