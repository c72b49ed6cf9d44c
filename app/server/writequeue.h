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

/// The server's one writer: a thread with its own database connection that runs every write
/// request, in the order they came. The requests that wait while one group commits form the
/// next group (group commit): they run one after another in one transaction, each in a
/// savepoint of its own, and one COMMIT, one fsync, puts them all on disk. A request that
/// fails undoes only its own savepoint. No answer leaves before its group is committed; if
/// the COMMIT fails, every request of the group is answered with the failure. On PostgreSQL,
/// whose own WAL commits concurrent transactions together, each write is a group of one.
class WriteQueue {
public:
    using Job = std::function<ApiResponse(ServerStore&)>;
    /// Called on the writer thread with the answer, once the group is on disk.
    using Done = std::function<void(ApiResponse)>;

    static constexpr std::size_t MaxGroup = 64;

    WriteQueue(QString databasePath, std::shared_ptr<std::mutex> writeLock, ServerStore::Durability durability,
               HistoryRetention retention);
    ~WriteQueue();
    WriteQueue(const WriteQueue&) = delete;
    WriteQueue& operator=(const WriteQueue&) = delete;

    /// Starts the thread and opens its connection; false and a sentence if that fails.
    bool start(QString* error);
    /// Runs what was submitted, then ends the thread. Idempotent.
    void stop();
    void submit(Job job, Done done);

private:
    struct Entry {
        Job job;
        Done done;
    };

    void run(ServerStore& store);
    void runGroup(ServerStore& store, std::deque<Entry>& group);

    QString m_databasePath;
    std::shared_ptr<std::mutex> m_writeLock;
    ServerStore::Durability m_durability;
    HistoryRetention m_retention;
    std::mutex m_lock;
    std::condition_variable m_wake;
    std::deque<Entry> m_entries;
    bool m_stopping = false;
    std::thread m_thread;
};
