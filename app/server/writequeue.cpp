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
    const bool postgres = DatabaseTarget::parse(m_databasePath).isPostgres();
    const std::size_t lanes = postgres ? PostgresLanes : 1;
    for (std::size_t i = 0; i < lanes; ++i) {
        auto lane = std::make_unique<Lane>();
        std::promise<QString> opened;
        std::future<QString> result = opened.get_future();
        Lane* self = lane.get();
        lane->thread = std::thread([this, self, &opened] {
            // The connection belongs to the thread that opens it (Qt's rule for QSqlDatabase).
            ServerStore store(m_writeLock, m_durability, m_retention);
            QString why;
            if (!store.open(m_databasePath, &why)) {
                opened.set_value(why.isEmpty() ? u"the writer could not open the database"_s : why);
                return;
            }
            opened.set_value({});
            run(*self, store);
        });
        const QString why = result.get();
        m_lanes.push_back(std::move(lane));
        if (!why.isEmpty()) {
            stop();
            *error = why;
            return false;
        }
    }
    return true;
}

void WriteQueue::stop()
{
    for (const auto& lane : m_lanes) {
        {
            const std::lock_guard lock(lane->lock);
            lane->stopping = true;
        }
        lane->wake.notify_one();
    }
    for (const auto& lane : m_lanes) {
        if (lane->thread.joinable())
            lane->thread.join();
    }
}

void WriteQueue::submit(qint64 userId, Job job, Done done)
{
    Lane& lane = *m_lanes[static_cast<std::size_t>(userId) % m_lanes.size()];
    {
        const std::lock_guard lock(lane.lock);
        lane.entries.push_back({std::move(job), std::move(done)});
    }
    lane.wake.notify_one();
}

void WriteQueue::run(Lane& lane, ServerStore& store)
{
    // On PostgreSQL each write is a transaction of its own (see the class comment).
    const std::size_t limit = store.target().isPostgres() ? 1 : MaxGroup;
    for (;;) {
        std::deque<Entry> group;
        {
            std::unique_lock lock(lane.lock);
            lane.wake.wait(lock, [&lane] { return lane.stopping || !lane.entries.empty(); });
            if (lane.entries.empty())
                return; // stopping, and nothing left to write
            while (!lane.entries.empty() && group.size() < limit) {
                group.push_back(std::move(lane.entries.front()));
                lane.entries.pop_front();
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
