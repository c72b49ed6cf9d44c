// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/beast.h"
#include "app/server/requesthead.h"
#include "app/server/syncserver.h"

#include <optional>

/// One HTTP/1.1 connection: reads each request's header section (within the header timeout, or
/// the idle timeout between requests), lets SyncServer admit it, sends `100 Continue` when asked,
/// reads the body (within the body timeout), answers, and keeps the connection for the next
/// request unless the client or a refusal closes it. A refusal sent before a body was read
/// closes the connection after reading and dropping what the client still sends, up to a limit,
/// so that the client sees the answer and not a reset. A WebSocket upgrade to /feed becomes a
/// FeedSession.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, SyncServer& api, ConnectionSlot slot);
    void start();

private:
    using Parser = http::request_parser<http::string_body>;

    void readHeader();
    void onHeader(beast::error_code ec);
    void readBody();
    void onBody(beast::error_code ec);
    /// Answers a request that could not be parsed; always closes.
    void refuseUnparsed(int status, std::string_view code, const std::string& message);
    /// Sends `response` for the current exchange; `bodyUnread`: the request's body was not read.
    void respond(const ApiResponse& response, bool bodyUnread);
    /// A JSON answer's bytes in m_out, with `headers` after the content fields; for HEAD only
    /// its length (`headOnly`).
    void setResponse(int status, const QByteArray& body, bool keepAlive, bool headOnly,
                     const ApiResponse::Headers& headers);
    void write(bool closeAfter);
    void startDrain();
    void drain();
    void close();

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    SyncServer& m_api;
    ConnectionSlot m_slot;
    std::optional<Parser> m_parser;
    RequestHead m_head;
    SyncServer::Exchange m_exchange;
    unsigned m_version = 11;
    bool m_first = true;
    std::string m_out; ///< the answer being written
    std::int64_t m_drained = 0;
    std::array<char, 64 * 1024> m_sink{};
};
