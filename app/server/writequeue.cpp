// SPDX-License-Identifier: MIT
#include "app/server/writequeue.h"

#include <future>
#include <vector>

using namespace Qt::StringLiterals;

WriteQueue::WriteQueue(QString databasePath, std::shared_ptr<std::mutex> writeLock,
                       ServerStore::Durability durability, HistoryRetention retention)
    : m_databasePath(std::move(databasePath))
    , m_writeLock(std::move(writeLock))
    , m_durability(durability)
    , m_retention(retention)
{
}

WriteQueue::~WriteQueue() { stop(); }

bool WriteQueue::start(QString* error)
{
    std::promise<QString> opened;
    std::future<QString> result = opened.get_future();
    m_thread = std::thread([this, &opened] {
        // The connection belongs to the thread that opens it (Qt's rule for QSqlDatabase).
        ServerStore store(m_writeLock, m_durability, m_retention);
        QString why;
        if (!store.open(m_databasePath, &why)) {
            opened.set_value(why.isEmpty() ? u"the writer could not open the database"_s : why);
            return;
        }
        opened.set_value({});
        run(store);
    });
    const QString why = result.get();
    if (why.isEmpty())
        return true;
    m_thread.join();
    *error = why;
    return false;
}

void WriteQueue::stop()
{
    {
        const std::lock_guard lock(m_lock);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void WriteQueue::submit(Job job, Done done)
{
    {
        const std::lock_guard lock(m_lock);
        m_entries.push_back({std::move(job), std::move(done)});
    }
    m_wake.notify_one();
}

void WriteQueue::run(ServerStore& store)
{
    for (;;) {
        std::deque<Entry> group;
        {
            std::unique_lock lock(m_lock);
            m_wake.wait(lock, [this] { return m_stopping || !m_entries.empty(); });
            if (m_entries.empty())
                return; // stopping, and nothing left to write
            // On PostgreSQL each write is a transaction of its own: a group would hold the locks
            // of several users at once, and two servers could then wait for each other.
            const std::size_t limit = store.target().isPostgres() ? 1 : MaxGroup;
            while (!m_entries.empty() && group.size() < limit) {
                group.push_back(std::move(m_entries.front()));
                m_entries.pop_front();
            }
        }
        runGroup(store, group);
    }
}

void WriteQueue::runGroup(ServerStore& store, std::deque<Entry>& group)
{
    std::vector<ApiResponse> answers;
    answers.reserve(group.size());
    QString error;
    if (!store.beginGroup(&error)) {
        for (Entry& e : group)
            e.done(ApiResponse::storeError(error));
        return;
    }
    for (Entry& e : group) {
        // Each request in a savepoint of its own: a failure (4xx or 5xx) leaves no trace.
        ServerStore::Transaction own(store);
        QString why;
        if (!own.begin(&why)) {
            answers.push_back(ApiResponse::storeError(why));
            continue;
        }
        ApiResponse answer = e.job(store);
        if (answer.status < 400 && !own.commit(&why))
            answer = ApiResponse::storeError(why);
        answers.push_back(std::move(answer));
    }
    const bool committed = store.commitGroup(&error);
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (!committed && answers[i].status < 400)
            answers[i] = ApiResponse::storeError(error); // nothing of it was stored
        group[i].done(std::move(answers[i]));
    }
}
