// SPDX-License-Identifier: MIT
#pragma once

// The parts of Boost.Beast and Boost.Asio that the server's HTTP layer uses, under short names.
// Only the HTTP layer's own files include this.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <memory>

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

/// One of the server's open connections, counted against the cap while it lives.
class ConnectionSlot {
public:
    explicit ConnectionSlot(std::shared_ptr<std::atomic<int>> open)
        : m_open(std::move(open))
    {
    }
    ~ConnectionSlot()
    {
        if (m_open)
            --*m_open;
    }
    ConnectionSlot(ConnectionSlot&&) = default;
    ConnectionSlot& operator=(ConnectionSlot&&) = delete;
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;

private:
    std::shared_ptr<std::atomic<int>> m_open;
};
