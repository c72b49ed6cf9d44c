// SPDX-License-Identifier: MIT
#include "app/services/writelane.h"

WriteTicket::State::~State()
{
    // The last copy is gone: the write is over. Possibly on the pool thread, so queued.
    if (lane)
        QMetaObject::invokeMethod(lane.data(), [lane = lane, generation = generation] {
            if (lane)
                lane->end(generation);
        }, Qt::QueuedConnection);
}

void WriteTicket::setPhase(OperationState phase) const
{
    if (m_state && m_state->lane)
        m_state->lane->setPhase(m_state->generation, phase);
}

void WriteTicket::finish() const
{
    if (m_state && m_state->lane)
        m_state->lane->end(m_state->generation);
}

WriteLane::WriteLane(QObject* parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1); // one write at a time, also on the pool
}

WriteLane::~WriteLane() { m_pool.waitForDone(); }

void WriteLane::enqueue(const QString& title, std::function<void(WriteTicket)> start)
{
    m_queue.push_back({title, std::move(start)});
    if (!m_busy)
        startNext();
}

void WriteLane::startNext()
{
    if (m_queue.empty())
        return;
    Pending next = std::move(m_queue.front());
    m_queue.pop_front();
    ++m_generation;
    m_title = next.title;
    m_progress = std::make_shared<JobProgress>();
    auto state = std::make_shared<WriteTicket::State>();
    state->lane = this;
    state->generation = m_generation;
    state->progress = m_progress;
    const bool wasBusy = m_busy;
    m_busy = true;
    m_phase = OperationState::Writing;
    if (!wasBusy)
        Q_EMIT busyChanged(true);
    Q_EMIT phaseChanged(m_phase);
    next.start(WriteTicket(std::move(state)));
}

void WriteLane::end(quint64 generation)
{
    if (!m_busy || generation != m_generation)
        return; // already over
    const QString title = m_title;
    ++m_generation; // later copies of the ticket do nothing
    m_progress.reset();
    m_title.clear();
    Q_EMIT finished(title);
    if (!m_queue.empty()) {
        // The next write starts from the event loop, never inside the code that ended this
        // one (a ticket's last copy may go in the middle of a signal handler).
        QMetaObject::invokeMethod(this, &WriteLane::startNext, Qt::QueuedConnection);
        return;
    }
    m_busy = false;
    m_phase = OperationState::Idle;
    Q_EMIT phaseChanged(m_phase);
    Q_EMIT busyChanged(false);
}

void WriteLane::setPhase(quint64 generation, OperationState phase)
{
    if (!m_busy || generation != m_generation || m_phase == phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}
