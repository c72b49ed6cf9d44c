// SPDX-License-Identifier: MIT
#include "app/services/operations.h"

#include <utility>

Operations::Operations(QObject* parent)
    : QObject(parent)
{
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (const JobProgress* p = m_writes.progress())
            Q_EMIT progressChanged(p->permille());
    });
    connect(&m_reads, &JobTracker::progressChanged, this, [this](int permille) {
        if (!m_writes.isBusy())
            Q_EMIT progressChanged(permille);
    });
    connect(&m_reads, &JobTracker::runningChanged, this, &Operations::updateState);
    connect(&m_reads, &JobTracker::cancelled, this, &Operations::cancelled);
    connect(&m_writes, &WriteLane::phaseChanged, this, &Operations::updateState);
    connect(&m_writes, &WriteLane::busyChanged, this, [this](bool busy) {
        if (busy) {
            m_poll.start();
            return;
        }
        m_poll.stop();
        // The lane is free: the read asked for meanwhile runs, once the write's own signals
        // are over (never inside them).
        QMetaObject::invokeMethod(this, [this] {
            if (m_writes.isBusy())
                return; // another write started first: the read waits for it too
            if (auto read = std::exchange(m_deferredRead, {}))
                read();
            updateState();
        }, Qt::QueuedConnection);
        updateState();
    });
}

Operations::~Operations() { waitForDone(); }

void Operations::whenNoWrite(std::function<void()> start)
{
    if (!m_writes.isBusy()) {
        start();
        return;
    }
    m_deferredRead = std::move(start);
    updateState();
}

QString Operations::title() const { return m_writes.isBusy() ? m_writes.title() : m_reads.title(); }

void Operations::cancelRead()
{
    m_deferredRead = {};
    m_reads.cancel();
}

void Operations::waitForDone()
{
    m_reads.waitForDone();
    m_writes.waitForDone();
}

void Operations::updateState()
{
    OperationState s = OperationState::Idle;
    if (m_writes.isBusy())
        s = m_writes.phase();
    else if (m_reads.isRunning() || m_deferredRead)
        s = OperationState::Loading;
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}
