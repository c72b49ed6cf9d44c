// SPDX-License-Identifier: MIT
#include "app/server/httplistener.h"

#include "app/server/beast.h"
#include "app/server/httpsession.h"
#include "app/server/syncserver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

/// What a client past the connection cap gets, before its connection is closed.
const std::string kBusy = [] {
    const std::string body = R"({"error":"unavailable","message":"the server has too many open connections; try again later"})";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
           "Connection: close\r\nContent-Length: "
        + std::to_string(body.size()) + "\r\n\r\n" + body;
}();

} // namespace

struct HttpListener::Impl {
    explicit Impl(SyncServer& api)
        : api(api)
        , acceptor(ioc)
        , stopSignals(ioc, SIGTERM, SIGINT)
        , open(std::make_shared<std::atomic<int>>(0))
    {
    }

    void accept()
    {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted)
                return; // stopping
            if (!ec)
                admit(std::move(socket));
            accept();
        });
    }

    void admit(tcp::socket socket)
    {
        if (open->fetch_add(1) >= api.limits().maxConnections) {
            --*open;
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            net::async_write(*s, net::buffer(kBusy), [s](beast::error_code, std::size_t) {
                beast::error_code ignored;
                s->shutdown(tcp::socket::shutdown_send, ignored);
                s->close(ignored);
            });
            return;
        }
        std::make_shared<HttpSession>(std::move(socket), api, ConnectionSlot(open))->start();
    }

    SyncServer& api;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::signal_set stopSignals;
    std::shared_ptr<std::atomic<int>> open;
};

HttpListener::HttpListener(SyncServer& api)
    : d(std::make_unique<Impl>(api))
{
}

HttpListener::~HttpListener()
{
    d->api.stopWriter(); // its answers go to connections of this io_context: it must end first
}

bool HttpListener::listen(const QString& address, unsigned short port, QString* error)
{
    beast::error_code ec;
    const net::ip::address ip = net::ip::make_address(address.toStdString(), ec);
    if (ec) {
        *error = u"%1 is not an IP address"_s.arg(address);
        return false;
    }
    const tcp::endpoint endpoint(ip, port);
    auto fail = [&](const char* what) {
        *error = u"could not %1 %2 port %3: %4"_s.arg(QLatin1String(what), address).arg(port)
                     .arg(QString::fromStdString(ec.message()));
        return false;
    };
    d->acceptor.open(endpoint.protocol(), ec);
    if (ec)
        return fail("open a socket for");
    d->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (ec)
        return fail("set up");
    d->acceptor.bind(endpoint, ec);
    if (ec)
        return fail("listen on");
    d->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        return fail("listen on");
    return true;
}

unsigned short HttpListener::port() const
{
    beast::error_code ec;
    return d->acceptor.local_endpoint(ec).port();
}

bool HttpListener::run(int threads, QString* error)
{
    d->stopSignals.async_wait([this](beast::error_code ec, int) {
        if (ec)
            return;
        std::fprintf(stderr, "decksync-server: stopping\n");
        beast::error_code ignored;
        d->acceptor.close(ignored);
        d->ioc.stop();
    });
    d->accept();

    // Each thread opens its own connection to the database first, and closes it last.
    std::mutex lock;
    QString firstError;
    auto worker = [&] {
        QString why;
        if (!d->api.attachThread(&why)) {
            const std::lock_guard guard(lock);
            if (firstError.isEmpty())
                firstError = why;
            d->ioc.stop();
            return;
        }
        d->ioc.run();
        d->api.detachThread();
    };
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    d->api.stopWriter();
    if (!firstError.isEmpty()) {
        *error = firstError;
        return false;
    }
    return true;
}
