// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/jobtracker.h"
#include "app/services/writelane.h"

#include <QObject>
#include <QTimer>

#include <functional>

/// The inspector's two lanes of work and the one state that every action binds to.
/// - Reads (load, sync, fetch) run on a JobTracker: a newer read supersedes an older one. A
///   read asked for while a write holds the lane waits for it (the newest such read wins), so
///   that it does not show the state from before the write. A read already under way when a
///   write starts still delivers; the write's own reload comes after it.
/// - Writes (apply, push, rollback, export, restore) run on a WriteLane: one at a time, in
///   order, never superseded or dropped.
class Operations : public QObject {
    Q_OBJECT
public:
    explicit Operations(QObject* parent = nullptr);
    ~Operations() override;

    /// JobTracker::start(), once no write holds the lane.
    template <class Work, class Deliver>
    void read(const QString& title, QObject* context, Work work, Deliver deliver);
    /// Runs `start` (which starts a read, such as a fetch from the server) now, or once no
    /// write holds the lane; like read(), the newest one asked for during a write wins.
    void whenNoWrite(std::function<void()> start);
    /// WriteLane::enqueue().
    void write(const QString& title, std::function<void(WriteTicket)> start) { m_writes.enqueue(title, std::move(start)); }

    [[nodiscard]] OperationState state() const { return m_state; }
    [[nodiscard]] bool isWriting() const { return m_writes.isBusy(); }
    [[nodiscard]] bool isIdle() const { return m_state == OperationState::Idle; }
    /// What runs now, for the progress bar: the write if there is one, else the read.
    [[nodiscard]] QString title() const;
    /// Cancels the current read (writes are not cancelled: each is one commit).
    void cancelRead();
    [[nodiscard]] JobTracker* reads() { return &m_reads; }
    [[nodiscard]] WriteLane* writes() { return &m_writes; }
    /// Waits for both lanes' threads (tests, shutdown).
    void waitForDone();

Q_SIGNALS:
    void stateChanged(OperationState state);
    void progressChanged(int permille);
    /// A read was cancelled.
    void cancelled();

private:
    void updateState();

    JobTracker m_reads;
    WriteLane m_writes;
    QTimer m_poll;
    OperationState m_state = OperationState::Idle;
    std::function<void()> m_deferredRead; ///< the newest read asked for during a write
};

template <class Work, class Deliver>
void Operations::read(const QString& title, QObject* context, Work work, Deliver deliver)
{
    // The closure is copied into a std::function: Work and Deliver must be copyable.
    whenNoWrite([this, title, context = QPointer<QObject>(context), work = std::move(work),
                 deliver = std::move(deliver)]() mutable {
        if (context)
            m_reads.start(title, context.data(), std::move(work), std::move(deliver));
    });
}
