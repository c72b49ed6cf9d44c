// SPDX-License-Identifier: MIT
#include "app/server/httpsession.h"

#include "app/server/feedsession.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

/// The parts of a parsed header section that SyncServer looks at.
RequestHead headOf(const http::request_parser<http::string_body>& parser)
{
    const auto& req = parser.get();
    RequestHead head;
    head.method = QString::fromLatin1(req.method_string().data(), qsizetype(req.method_string().size()));
    const std::string_view target(req.target().data(), req.target().size());
    const std::size_t q = target.find('?');
    const std::string_view path = target.substr(0, q);
    head.path = QUrl::fromPercentEncoding(QByteArray(path.data(), qsizetype(path.size())));
    if (q != std::string_view::npos)
        head.query = QByteArray(target.data() + q + 1, qsizetype(target.size() - q - 1));
    for (const auto& f : req) {
        head.fields.append({QByteArray(f.name_string().data(), qsizetype(f.name_string().size())),
                            QByteArray(f.value().data(), qsizetype(f.value().size()))});
    }
    head.chunked = req.count(http::field::transfer_encoding) > 0;
    head.contentLength = static_cast<qint64>(parser.content_length().value_or(0));
    return head;
}

} // namespace

HttpSession::HttpSession(tcp::socket socket, SyncServer& api, ConnectionSlot slot)
    : m_stream(std::move(socket))
    , m_api(api)
    , m_slot(std::move(slot))
{
}

void HttpSession::start()
{
    net::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->readHeader(); });
}

void HttpSession::readHeader()
{
    const ServerLimits& limits = m_api.limits();
    m_parser.emplace();
    m_parser->header_limit(limits.maxHeaderBytes);
    m_parser->body_limit(boost::none); // SyncServer::admit() judges the declared length, and answers 413
    m_stream.expires_after(m_first ? limits.headerTimeout : limits.idleTimeout);
    http::async_read_header(m_stream, m_buffer, *m_parser,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

void HttpSession::onHeader(beast::error_code ec)
{
    m_first = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset
        || ec == net::error::operation_aborted)
        return close(); // the client went, or sent no complete header section in time
    if (ec == http::error::header_limit)
        return refuseUnparsed(431, "header_too_large",
                              "the header section is larger than " + std::to_string(m_api.limits().maxHeaderBytes)
                                  + " bytes");
    if (ec)
        return refuseUnparsed(400, "invalid_request", "the request cannot be parsed as HTTP/1.1: " + ec.message());

    const auto& req = m_parser->get();
    m_version = req.version() == 10 ? 10 : 11;
    const std::size_t fields = static_cast<std::size_t>(std::distance(req.begin(), req.end()));
    if (fields > static_cast<std::size_t>(m_api.limits().maxFields))
        return refuseUnparsed(431, "header_too_large",
                              "the request has " + std::to_string(fields) + " header fields; the limit is "
                                  + std::to_string(m_api.limits().maxFields));
    if (req.target().empty() || req.target().front() != '/')
        return refuseUnparsed(400, "invalid_request", "the request target must be a path that starts with /");

    m_head = headOf(*m_parser);
    if (websocket::is_upgrade(req)) {
        m_stream.expires_never();
        auto feed = std::make_shared<FeedSession>(std::move(m_stream), m_api, std::move(m_slot));
        return feed->start(m_parser->release(), m_head);
    }

    m_exchange = m_api.admit(m_head);
    if (m_exchange.refusal)
        return respond(*m_exchange.refusal, m_head.hasBody());
    if (beast::iequals(req[http::field::expect], "100-continue") && m_head.hasBody()) {
        auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, m_version);
        return http::async_write(m_stream, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
            if (e)
                return self->close();
            self->readBody();
        });
    }
    readBody();
}

void HttpSession::readBody()
{
    if (m_parser->is_done())
        return onBody({});
    m_parser->body_limit(static_cast<std::uint64_t>(m_api.limits().maxBody));
    m_stream.expires_after(m_api.limits().bodyTimeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
}

void HttpSession::onBody(beast::error_code ec)
{
    if (ec == http::error::body_limit)
        return respond(ApiResponse::error(413, "payload_too_large", std::string_view("the request body is over the limit")),
                       true);
    if (ec) {
        SyncServer::logLine(u"%1 %2: the body did not arrive (%3)"_s.arg(m_head.method, m_head.path,
                                                                           QString::fromStdString(ec.message())));
        return close();
    }
    std::string& body = m_parser->get().body();
    QByteArray bytes(body.data(), qsizetype(body.size()));
    std::string().swap(body);
    // A write waits for the writer; the answer comes back to this connection's strand.
    m_api.handle(m_exchange, std::move(bytes), [self = shared_from_this()](ApiResponse response) {
        net::post(self->m_stream.get_executor(), [self, response = std::move(response)] {
            self->m_exchange.body = {}; // its bytes are free again
            self->respond(response, false);
        });
    });
}

void HttpSession::refuseUnparsed(int status, std::string_view code, const std::string& message)
{
    SyncServer::logLine(u"(a request that cannot be parsed) %1"_s.arg(status));
    setResponse(status, ApiResponse::error(status, code, message).body, false, false, {});
    write(true);
}

void HttpSession::setResponse(int status, const QByteArray& body, bool keepAlive, bool headOnly,
                              const ApiResponse::Headers& headers)
{
    // The answer's bytes, written by hand: Beast's serializer cost about a tenth of a small
    // sync, for a header section that is always the same few fields.
    std::string& out = m_out;
    out.clear();
    out.reserve(256 + (headOnly ? 0 : std::size_t(body.size())));
    const auto status10 = static_cast<unsigned>(status);
    out += m_version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(status10);
    out += ' ';
    const auto reason = http::obsolete_reason(http::int_to_status(status10));
    out.append(reason.data(), reason.size());
    out += "\r\nContent-Type: application/json\r\nContent-Length: ";
    out += std::to_string(body.size()); // for HEAD, what GET would send
    out += "\r\n";
    for (const auto& [name, value] : headers) {
        out.append(name.constData(), std::size_t(name.size()));
        out += ": ";
        for (const char c : value)
            out += (c == '\r' || c == '\n') ? ' ' : c; // the server's own values; never a second line
        out += "\r\n";
    }
    if (m_version == 10 && keepAlive)
        out += "Connection: keep-alive\r\n";
    else if (m_version == 11 && !keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!headOnly)
        out.append(body.constData(), std::size_t(body.size()));
}

void HttpSession::respond(const ApiResponse& response, bool bodyUnread)
{
    bool gzipped = false;
    const qint64 requestBytes = bodyUnread ? 0 : m_head.contentLength;
    const QByteArray body = m_api.finish(m_exchange, response, requestBytes, &gzipped);
    const bool close = bodyUnread || !m_parser->get().keep_alive();

    ApiResponse::Headers headers{qMakePair(QByteArray("Vary"), QByteArray("Accept-Encoding"))};
    if (gzipped)
        headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("gzip")));
    headers.append(response.headers);
    setResponse(response.status, body, !close, m_exchange.head, headers);
    write(close);
}

void HttpSession::write(bool closeAfter)
{
    m_stream.expires_after(m_api.limits().bodyTimeout);
    net::async_write(m_stream, net::buffer(m_out), [self = shared_from_this(), closeAfter](beast::error_code ec, std::size_t) {
        if (ec)
            return self->close();
        if (closeAfter)
            return self->startDrain();
        self->readHeader();
    });
}

// The last answer is out: the server sends nothing more, and reads and drops what the client
// still sends (a body it did not read, say) in fixed-size pieces until the client closes, up to
// a limit of bytes and time. Closing at once would reset the connection, and a reset can make
// the client lose the answer.
void HttpSession::startDrain()
{
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    m_parser.reset();
    std::string().swap(m_out);
    m_stream.expires_after(m_api.limits().drainTimeout); // for the whole drain, not per read
    drain();
}

void HttpSession::drain()
{
    m_stream.async_read_some(net::buffer(m_sink), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->m_drained += static_cast<std::int64_t>(n);
        if (ec || self->m_drained >= self->m_api.limits().maxDrain)
            return self->close();
        self->drain();
    });
}

void HttpSession::close()
{
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    m_stream.socket().close(ignored);
}
