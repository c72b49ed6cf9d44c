// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

/// The seed's SyncTrigger behind the WebSocket endpoint `/feed`: who listens to which user.
/// Thread-safe: writes publish from the thread that served them, and each subscriber queues
/// the message on its own connection.
class FeedHub {
public:
    /// One open feed connection (implemented by the HTTP layer's WebSocket session).
    class Subscriber {
    public:
        virtual ~Subscriber() = default;
        /// Queues `text` to be sent; called from any thread.
        virtual void deliver(std::shared_ptr<const std::string> text) = 0;
    };

    /// Registers a subscriber of `userId`'s writes; returns its key for remove().
    std::uint64_t add(qint64 userId, QByteArray deviceId, std::weak_ptr<Subscriber> subscriber);
    void remove(std::uint64_t key);

    /// Sends `{"event": "synced", "data_type", "revision", "at"}` to every subscriber of
    /// `userId` except those that identified themselves with `sourceDevice` (when not empty).
    void publish(qint64 userId, const QByteArray& sourceDevice, const QString& dataType, qint64 revision,
                 const QString& at);
    [[nodiscard]] std::size_t clientCount() const;

private:
    struct Entry {
        qint64 userId = 0;
        QByteArray deviceId;
        std::weak_ptr<Subscriber> subscriber;
    };

    mutable std::mutex m_lock;
    std::uint64_t m_nextKey = 1;
    std::map<std::uint64_t, Entry> m_entries;
};
