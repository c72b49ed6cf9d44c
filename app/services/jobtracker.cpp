// SPDX-License-Identifier: MIT
#include "app/services/jobtracker.h"

JobTracker::JobTracker(QObject* parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(2);
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_progress)
            Q_EMIT progressChanged(m_progress->permille());
    });
}

JobTracker::~JobTracker()
{
    cancel();
    m_pool.waitForDone();
}

void JobTracker::begin(const QString& title)
{
    if (m_progress)
        m_progress->cancel(); // the older job stops early; its result is dropped anyway
    ++m_generation;
    m_progress = std::make_shared<JobProgress>();
    m_title = title;
    m_poll.start();
    if (!m_running) {
        m_running = true;
        Q_EMIT runningChanged(true);
    }
    Q_EMIT progressChanged(0);
}

void JobTracker::end(quint64 generation)
{
    if (generation != m_generation)
        return;
    m_poll.stop();
    m_progress.reset();
    m_running = false;
    Q_EMIT runningChanged(false);
}

void JobTracker::cancel()
{
    if (m_progress)
        m_progress->cancel();
}

void JobTracker::waitForDone() { m_pool.waitForDone(); }
