// SPDX-License-Identifier: MIT
#include "app/server/feed.h"

#include "engine/jsonwriter.h"

#include <vector>

std::uint64_t FeedHub::add(qint64 userId, QByteArray deviceId, std::weak_ptr<Subscriber> subscriber)
{
    const std::lock_guard lock(m_lock);
    const std::uint64_t key = m_nextKey++;
    m_entries.emplace(key, Entry{userId, std::move(deviceId), std::move(subscriber)});
    return key;
}

void FeedHub::remove(std::uint64_t key)
{
    const std::lock_guard lock(m_lock);
    m_entries.erase(key);
}

std::size_t FeedHub::clientCount() const
{
    const std::lock_guard lock(m_lock);
    return m_entries.size();
}

void FeedHub::publish(qint64 userId, const QByteArray& sourceDevice, const QString& dataType, qint64 revision,
                      const QString& at)
{
    auto text = std::make_shared<std::string>();
    decksync::JsonWriter w(*text, decksync::JsonWriter::Style::Compact);
    w.beginObject();
    w.key("event");
    w.string("synced");
    w.key("data_type");
    w.string(dataType.toStdString());
    w.key("revision");
    w.integer(revision);
    w.key("at");
    w.string(at.toStdString());
    w.endObject();

    std::vector<std::shared_ptr<Subscriber>> targets;
    {
        const std::lock_guard lock(m_lock);
        for (const auto& [key, e] : m_entries) {
            if (e.userId != userId || (!sourceDevice.isEmpty() && e.deviceId == sourceDevice))
                continue;
            if (auto s = e.subscriber.lock())
                targets.push_back(std::move(s));
        }
    }
    // Delivered outside the lock: a subscriber may remove itself while it queues.
    const std::shared_ptr<const std::string> message = std::move(text);
    for (const auto& s : targets)
        s->deliver(message);
}
