// SPDX-License-Identifier: MIT
#pragma once

#include "engine/progress.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

/// Progress and cancellation shared between one background job and the GUI thread. The job
/// writes, the GUI polls: no signal storm, and throttling comes free.
class JobProgress final : public decksync::ProgressObserver {
public:
    void setProgress(double fraction) override { m_permille.store(static_cast<int>(fraction * 1000.0)); }
    [[nodiscard]] bool isCancelled() const override { return m_cancelled.load(); }
    void cancel() { m_cancelled.store(true); }
    [[nodiscard]] int permille() const { return m_permille.load(); }

private:
    std::atomic<int> m_permille{0};
    std::atomic<bool> m_cancelled{false};
};

/// Wraps `p` so that whoever drops the last reference, the object is destroyed on a pool
/// thread: freeing a 200k-item snapshot takes longer than a GUI frame.
template <class T>
std::shared_ptr<const T> freedInBackground(std::shared_ptr<const T> p)
{
    if (!p)
        return p;
    const T* raw = p.get();
    return std::shared_ptr<const T>(raw, [keep = std::move(p)](const T*) mutable {
        QThreadPool::globalInstance()->start([last = std::move(keep)]() mutable { last.reset(); });
    });
}

/// Runs one job at a time off the GUI thread (after hotspot's jobtracker.h): each start
/// supersedes the previous job, whose result, if it still arrives, is dropped. Results come
/// back on the tracker's thread through a queued call, and only while the receiver lives.
class JobTracker : public QObject {
    Q_OBJECT
public:
    explicit JobTracker(QObject* parent = nullptr);
    ~JobTracker() override;

    /// Runs `work(JobProgress&)` on the pool and then `deliver(result)` here, unless a newer
    /// job started, the job was cancelled, or `context` died. `work` may throw
    /// decksync::OperationCancelled.
    template <class Work, class Deliver>
    void start(const QString& title, QObject* context, Work work, Deliver deliver);

    /// Asks the current job to stop; its result will be dropped.
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] QString title() const { return m_title; }
    /// Waits for every job of this tracker's pool (tests, shutdown).
    void waitForDone();

Q_SIGNALS:
    void runningChanged(bool running);
    void progressChanged(int permille);
    void cancelled();

private:
    void begin(const QString& title);
    void end(quint64 generation);

    QThreadPool m_pool;
    QTimer m_poll;
    quint64 m_generation = 0;
    std::shared_ptr<JobProgress> m_progress;
    bool m_running = false;
    QString m_title;
};

template <class Work, class Deliver>
void JobTracker::start(const QString& title, QObject* context, Work work, Deliver deliver)
{
    begin(title);
    const quint64 generation = m_generation;
    std::shared_ptr<JobProgress> progress = m_progress;
    QPointer<JobTracker> self(this);
    QPointer<QObject> receiver(context);
    m_pool.start([=, work = std::move(work), deliver = std::move(deliver)]() mutable {
        using Result = decltype(work(*progress));
        auto result = std::make_shared<std::optional<Result>>();
        try {
            result->emplace(work(*progress));
        } catch (const decksync::OperationCancelled&) {
        }
        QMetaObject::invokeMethod(
            self.data(),
            [=, deliver = std::move(deliver)]() mutable {
                if (!self || self->m_generation != generation)
                    return; // superseded: a newer job owns the tracker now
                const bool wasCancelled = progress->isCancelled() || !result->has_value();
                self->end(generation);
                if (wasCancelled) {
                    Q_EMIT self->cancelled();
                    return;
                }
                if (receiver)
                    deliver(std::move(**result));
            },
            Qt::QueuedConnection);
    });
}
