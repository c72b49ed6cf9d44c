// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/jobtracker.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <memory>

/// What the inspector is doing, for every action to bind to.
enum class OperationState {
    Idle,
    Loading, ///< a read: loading, syncing or fetching; a newer read supersedes it
    Writing, ///< a write: apply, rollback, export, restore; nothing supersedes it
    Pushing, ///< a write waiting for the server to take a new state
};

class WriteLane;

/// One write while it holds the lane. Copies share it; when the last copy is gone (or
/// finish() is called) the write is over and the next one starts, so a write can end early
/// (an error, a refusal) without forgetting to release the lane.
class WriteTicket {
public:
    WriteTicket() = default;
    /// Runs `work(JobProgress&)` on the lane's thread, then `deliver(result)` on the lane's
    /// thread of origin, with this write still holding the lane. Never dropped: `deliver`
    /// runs even when a read started meanwhile (only a lane destroyed first, at shutdown,
    /// delivers nothing).
    template <class Work, class Deliver>
    void run(Work work, Deliver deliver) const;
    /// Waiting for the server (Pushing) or writing again (Writing).
    void setPhase(OperationState phase) const;
    /// Ends the write now; later copies do nothing.
    void finish() const;
    [[nodiscard]] bool isValid() const { return m_state != nullptr; }

private:
    friend class WriteLane;
    struct State;
    explicit WriteTicket(std::shared_ptr<State> state)
        : m_state(std::move(state))
    {
    }
    std::shared_ptr<State> m_state;
};

/// The serial lane for writes (after hotspot's job tracker, but for writes): each write runs
/// after the one before it has finished, in the order they were asked for, and is never
/// superseded or dropped. Reads go through a JobTracker, which may supersede them.
class WriteLane : public QObject {
    Q_OBJECT
public:
    explicit WriteLane(QObject* parent = nullptr);
    ~WriteLane() override;

    /// Queues a write named `title`; `start(ticket)` is called on this object's thread once
    /// every earlier write is over.
    void enqueue(const QString& title, std::function<void(WriteTicket)> start);
    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] OperationState phase() const { return m_phase; }
    [[nodiscard]] QString title() const { return m_title; }
    /// Writes waiting behind the current one.
    [[nodiscard]] int queued() const { return static_cast<int>(m_queue.size()); }
    [[nodiscard]] JobProgress* progress() const { return m_progress.get(); }
    /// Waits for the lane's thread (tests, shutdown).
    void waitForDone() { m_pool.waitForDone(); }

Q_SIGNALS:
    void busyChanged(bool busy);
    void phaseChanged(OperationState phase);
    /// A write is over (whatever its outcome); `title` names it.
    void finished(const QString& title);

private:
    friend class WriteTicket;
    struct Pending {
        QString title;
        std::function<void(WriteTicket)> start;
    };
    void startNext();
    void end(quint64 generation);
    void setPhase(quint64 generation, OperationState phase);

    QThreadPool m_pool;
    std::deque<Pending> m_queue;
    bool m_busy = false;
    quint64 m_generation = 0;
    OperationState m_phase = OperationState::Idle;
    QString m_title;
    std::shared_ptr<JobProgress> m_progress;
};

struct WriteTicket::State {
    QPointer<WriteLane> lane;
    quint64 generation = 0;
    std::shared_ptr<JobProgress> progress;
    ~State();
};

template <class Work, class Deliver>
void WriteTicket::run(Work work, Deliver deliver) const
{
    WriteLane* lane = m_state ? m_state->lane.data() : nullptr;
    if (!lane)
        return;
    std::shared_ptr<State> keep = m_state;
    lane->m_pool.start([keep, work = std::move(work), deliver = std::move(deliver)]() mutable {
        auto result = std::make_shared<decltype(work(*keep->progress))>(work(*keep->progress));
        QMetaObject::invokeMethod(
            keep->lane.data(),
            [keep, result, deliver = std::move(deliver)]() mutable { deliver(std::move(*result)); },
            Qt::QueuedConnection);
    });
}
