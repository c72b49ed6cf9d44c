// SPDX-License-Identifier: MIT
#include "app/server/feedsession.h"

#include "app/server/syncserver.h"

using namespace Qt::StringLiterals;

FeedSession::FeedSession(beast::tcp_stream stream, SyncServer& api, ConnectionSlot slot)
    : m_ws(std::move(stream))
    , m_api(api)
    , m_slot(std::move(slot))
{
}

FeedSession::~FeedSession()
{
    if (m_key != 0)
        m_api.feed().remove(m_key);
}

void FeedSession::start(http::request<http::string_body> upgrade, const RequestHead& head)
{
    m_upgrade = std::move(upgrade);
    if (const std::optional<ServerUser> user = m_api.admitFeed(head, &m_refusal)) {
        m_userId = user->id;
        m_deviceId = head.value("X-Device-Id");
    } else {
        SyncServer::logLine(u"WS %1 refused: %2"_s.arg(head.path, m_refusal));
    }
    m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    m_ws.read_message_max(m_api.limits().maxFeedMessage);
    m_ws.auto_fragment(false);
    m_ws.async_accept(m_upgrade, [self = shared_from_this()](beast::error_code ec) { self->onAccepted(ec); });
}

void FeedSession::onAccepted(beast::error_code ec)
{
    m_upgrade = {};
    if (ec)
        return;
    if (!m_refusal.isEmpty()) {
        const std::string reason = m_refusal.left(120).toStdString(); // a close reason fits in 123 bytes
        websocket::close_reason why(websocket::close_code::policy_error, reason);
        m_ws.async_close(why, [self = shared_from_this()](beast::error_code) {});
        return;
    }
    m_key = m_api.feed().add(m_userId, m_deviceId, weak_from_this());
    read();
}

void FeedSession::read()
{
    m_ws.async_read(m_in, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->m_in.clear();
        if (ec) {
            // Closed by the client, timed out, or failed by Beast (which then sends the close
            // frame itself: 1009 for a message over the limit, 1002 for an unmasked frame).
            if (self->m_key != 0) {
                self->m_api.feed().remove(self->m_key);
                self->m_key = 0;
            }
            return;
        }
        self->read(); // what a client sends is not used
    });
}

void FeedSession::deliver(std::shared_ptr<const std::string> text)
{
    net::post(m_ws.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
        if (self->m_key == 0)
            return;
        if (self->m_queue.size() >= MaxQueued) {
            beast::get_lowest_layer(self->m_ws).close(); // it does not read: drop it, not memory
            return;
        }
        self->m_queue.push_back(std::move(text));
        if (self->m_queue.size() == 1)
            self->writeNext();
    });
}

void FeedSession::writeNext()
{
    m_ws.text(true);
    m_ws.async_write(net::buffer(*m_queue.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec)
            return;
        self->m_queue.pop_front();
        if (!self->m_queue.empty())
            self->writeNext();
    });
}
