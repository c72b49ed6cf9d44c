// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <memory>

class SyncServer;

/// decksync-server's HTTP/1.1 and WebSocket layer, on Boost.Beast and Boost.Asio. Each byte of
/// a request is parsed once, by Beast's strict parser, and every limit of SyncServer::limits()
/// is enforced while it parses: the header section's size and field count, the body's size
/// (from its Content-Length, before the body is read, and after authentication), the timeouts,
/// the connection cap (503 past it) and the feed's message size.
///
/// It runs an io_context on N threads; each thread first opens its own connection to the
/// database (SyncServer::attachThread()).
class HttpListener {
public:
    explicit HttpListener(SyncServer& api);
    ~HttpListener();
    HttpListener(const HttpListener&) = delete;
    HttpListener& operator=(const HttpListener&) = delete;

    /// Binds `address` (an IPv4 or IPv6 literal) and `port` (0: a free one) and listens.
    bool listen(const QString& address, unsigned short port, QString* error);
    [[nodiscard]] unsigned short port() const;

    /// Serves on `threads` threads, the caller's among them, until SIGTERM or SIGINT (then it
    /// prints "decksync-server: stopping"); false and a sentence if a thread cannot start.
    bool run(int threads, QString* error);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};
