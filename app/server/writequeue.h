// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apiresponse.h"
#include "app/server/serverstore.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

/// The server's writers: lanes, each a thread with its own database connection that runs the
/// write requests given to it in the order they came; the writes of one user always go to the
/// same lane. On SQLite there is one lane, and the requests that wait while one group commits
/// form the next group (group commit): they run one after another in one transaction, each in
/// a savepoint of its own, and one COMMIT, one fsync, puts them all on disk. A request that
/// fails undoes only its own savepoint. No answer leaves before its group is committed; if
/// the COMMIT fails, every request of the group is answered with the failure. On PostgreSQL
/// there are PostgresLanes lanes and each write is a group of one: PostgreSQL's own WAL
/// commits the lanes' concurrent transactions together, and a group would hold the locks of
/// several users at once, so that two servers could wait for each other.
class WriteQueue {
public:
    using Job = std::function<ApiResponse(ServerStore&)>;
    /// Called on the lane's thread with the answer, once the group is on disk.
    using Done = std::function<void(ApiResponse)>;

    static constexpr std::size_t MaxGroup = 64;
    static constexpr std::size_t PostgresLanes = 4;

    WriteQueue(QString databasePath, std::shared_ptr<std::mutex> writeLock, ServerStore::Durability durability,
               HistoryRetention retention);
    ~WriteQueue();
    WriteQueue(const WriteQueue&) = delete;
    WriteQueue& operator=(const WriteQueue&) = delete;

    /// Starts the lanes and opens their connections; false and a sentence if that fails.
    bool start(QString* error);
    /// Runs what was submitted, then ends the lanes. Idempotent.
    void stop();
    /// Queues `job` on the lane of `userId`.
    void submit(qint64 userId, Job job, Done done);
    [[nodiscard]] std::size_t laneCount() const { return m_lanes.size(); }

private:
    struct Entry {
        Job job;
        Done done;
    };
    struct Lane {
        std::mutex lock;
        std::condition_variable wake;
        std::deque<Entry> entries;
        bool stopping = false;
        std::thread thread;
    };

    void run(Lane& lane, ServerStore& store);
    static void runGroup(ServerStore& store, std::deque<Entry>& group);

    QString m_databasePath;
    std::shared_ptr<std::mutex> m_writeLock;
    ServerStore::Durability m_durability;
    HistoryRetention m_retention;
    std::vector<std::unique_ptr<Lane>> m_lanes;
};
