// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/beast.h"
#include "app/server/feed.h"
#include "app/server/requesthead.h"

#include <deque>

class SyncServer;

/// One WebSocket connection to /feed. The token is checked before the handshake is answered;
/// a refused client still gets the handshake and then a close frame with code 1008 (policy
/// violation) and the reason, as browsers show only that. Client messages are read (unmasked
/// frames and messages over the limit end the connection, as RFC 6455 asks) and ignored.
/// Messages to send wait in a queue of bounded length: a client that does not read is dropped.
class FeedSession : public FeedHub::Subscriber, public std::enable_shared_from_this<FeedSession> {
public:
    static constexpr std::size_t MaxQueued = 256;

    FeedSession(beast::tcp_stream stream, SyncServer& api, ConnectionSlot slot);
    ~FeedSession() override;

    void start(http::request<http::string_body> upgrade, const RequestHead& head);
    void deliver(std::shared_ptr<const std::string> text) override;

private:
    void onAccepted(beast::error_code ec);
    void read();
    void writeNext();

    websocket::stream<beast::tcp_stream> m_ws;
    SyncServer& m_api;
    ConnectionSlot m_slot;
    http::request<http::string_body> m_upgrade;
    QString m_refusal;
    qint64 m_userId = 0;
    QByteArray m_deviceId;
    std::uint64_t m_key = 0; ///< in the hub; 0 while not subscribed
    beast::flat_buffer m_in;
    std::deque<std::shared_ptr<const std::string>> m_queue;
};
