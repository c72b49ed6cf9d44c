// SPDX-License-Identifier: MIT
#include "app/server/requestguard.h"

#include "app/server/apiresponse.h"

#include <QTcpSocket>

#include <algorithm>
#include <string_view>

namespace {

constexpr int DrainMilliseconds = 30'000;

/// The header lines of a header section (without the request line), split on CRLF.
QList<QByteArrayView> headerLines(const QByteArray& head)
{
    QList<QByteArrayView> out;
    qsizetype start = head.indexOf("\r\n");
    while (start >= 0) {
        const qsizetype lineStart = start + 2;
        const qsizetype end = head.indexOf("\r\n", lineStart);
        if (end <= lineStart) // the blank line that ends the section
            break;
        out.append(QByteArrayView(head.constData() + lineStart, end - lineStart));
        start = end;
    }
    return out;
}

/// Every value of header `name` (case-insensitive).
QList<QByteArray> headerValues(const QList<QByteArrayView>& lines, QByteArrayView name)
{
    QList<QByteArray> out;
    for (const QByteArrayView line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            out.append(line.sliced(colon + 1).trimmed().toByteArray());
    }
    return out;
}

/// Whether a comma-separated header value lists `token` (case-insensitive).
bool hasToken(const QList<QByteArray>& values, QByteArrayView token)
{
    for (const QByteArray& value : values) {
        for (const QByteArray& part : value.split(',')) {
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

bool allDigits(const QByteArray& text)
{
    return !text.isEmpty() && text.size() <= 18
        && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

RequestGuard::RequestGuard(QTcpSocket* socket, qint64 maxBody)
    : QObject(socket)
    , m_socket(socket)
    , m_maxBody(maxBody)
{
    // One largest request at most: what Qt's server holds in its transaction.
    socket->setReadBufferSize(maxBody + MaxHeaderBytes + 64 * 1024);
    m_watch = connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
    m_abandoned.setInterval(1000);
    connect(&m_abandoned, &QTimer::timeout, this, &RequestGuard::checkAbandoned);
    m_abandoned.start();
}

void RequestGuard::checkAbandoned()
{
    if (m_watch || m_state == State::Off)
        return;
    // The server disconnected everything from the socket after a request it could not parse.
    m_abandoned.stop();
    m_socket->abort();
    m_socket->deleteLater();
}

void RequestGuard::onReadyRead()
{
    switch (m_state) {
    case State::Off:
    case State::Refusing: return;
    case State::Draining: drain(); return;
    case State::Head:
    case State::Body: break;
    }
    // The server reads everything available in its own readyRead() slot, which runs after
    // this one: what is available now is what arrived since.
    (void)scan(m_socket->peek(m_socket->bytesAvailable()));
}

bool RequestGuard::scan(const QByteArray& bytes)
{
    m_completedInChunk = 0;
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (m_state == State::Body) {
            const qint64 take = std::min<qint64>(m_bodyLeft, bytes.size() - at);
            m_bodyLeft -= take;
            at += take;
            if (m_bodyLeft == 0) {
                m_state = State::Head;
                ++m_completedInChunk;
            }
            continue;
        }
        // Head: up to the blank line that ends the header section.
        const qsizetype before = m_head.size();
        m_head.append(bytes.constData() + at, bytes.size() - at);
        const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
        const qsizetype headBytes = end < 0 ? m_head.size() : end + 4; // the body is not looked at
        for (qsizetype i = before; i < headBytes; ++i) {
            if (m_head[i] == '\n' && (i == 0 || m_head[i - 1] != '\r')) {
                refuse({400, "Bad Request", "invalid_request", "a line of the request ends in a bare LF", MaxDrainBytes});
                return false;
            }
        }
        if (headBytes > MaxHeaderBytes) {
            refuse({431, "Request Header Fields Too Large", "header_too_large",
                    "the request's header section is over 64 KiB", MaxDrainBytes});
            return false;
        }
        if (end < 0)
            return true;
        const qsizetype headEnd = end + 4;
        at += headEnd - before; // the rest of `bytes` follows the header section
        const QByteArray head = m_head.left(headEnd);
        m_head.clear();
        if (!checkHead(head))
            return false;
        if (m_state == State::Off)
            return true;
    }
    return true;
}

bool RequestGuard::checkHead(const QByteArray& head)
{
    const QList<QByteArrayView> lines = headerLines(head);
    const auto bad = [this](const QByteArray& why) {
        refuse({400, "Bad Request", "invalid_request", why, MaxDrainBytes});
        return false;
    };
    if (head.startsWith("CONNECT "))
        return bad("CONNECT is not served here");
    for (const QByteArrayView line : lines) {
        if (line.startsWith(' ') || line.startsWith('\t'))
            return bad("a header line is folded onto the next");
    }
    const QList<QByteArray> lengths = headerValues(lines, "Content-Length");
    if (!headerValues(lines, "Transfer-Encoding").isEmpty()) {
        refuse({411, "Length Required", "length_required",
                "a request body needs a Content-Length (chunked bodies are not accepted)", MaxDrainBytes});
        return false;
    }
    if (lengths.size() > 1)
        return bad("Content-Length is given more than once");
    if (lengths.size() == 1 && !allDigits(lengths.first()))
        return bad("Content-Length \"" + lengths.first().left(40) + "\" is not a number of bytes");
    const qint64 declared = lengths.isEmpty() ? 0 : lengths.first().toLongLong();
    if (declared > m_maxBody) {
        refuse({413, "Payload Too Large", "payload_too_large",
                "the request body is larger than the limit of " + QByteArray::number(m_maxBody) + " bytes", declared});
        return false;
    }
    // Qt's parser upgrades only with both headers; the bytes after are the WebSocket's.
    if (!headerValues(lines, "Upgrade").isEmpty() && hasToken(headerValues(lines, "Connection"), "upgrade")) {
        m_state = State::Off;
        m_abandoned.stop();
        return true;
    }
    m_bodyLeft = declared;
    m_state = declared > 0 ? State::Body : State::Head;
    if (declared == 0)
        ++m_completedInChunk;
    return true;
}

void RequestGuard::refuse(Refusal refusal)
{
    m_refusal = std::move(refusal);
    if (m_completedInChunk == 0) {
        sendRefusal(); // before the server reads any of it
        return;
    }
    // Complete requests came before the refused one in these bytes: the server's slot, which
    // runs next, answers them first; the refusal follows, in order.
    m_state = State::Refusing;
    QTimer::singleShot(0, this, &RequestGuard::sendRefusal);
}

void RequestGuard::sendRefusal()
{
    const Refusal& r = m_refusal;
    const ApiResponse error =
        ApiResponse::error(r.status, std::string_view(r.code.constData(), static_cast<std::size_t>(r.code.size())),
                           std::string_view(r.message.constData(), static_cast<std::size_t>(r.message.size())));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + r.reason + "\r\n";
    response += "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(error.body.size()) + "\r\n\r\n" + error.body;

    // From here on the server reads nothing more of this connection; its partial request goes
    // when the socket does (its own disconnected() handler stays).
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    m_watch = connect(m_socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction(); // what the server read is dropped, not read again
    m_state = State::Draining;
    m_drainLeft = std::min(r.drain, MaxDrainBytes);
    m_socket->write(response);
    QTimer::singleShot(DrainMilliseconds, m_socket, [socket = m_socket] { socket->abort(); });
    drain();
}

void RequestGuard::drain()
{
    const qint64 available = m_socket->bytesAvailable();
    m_socket->skip(available);
    m_drainLeft -= available;
    if (m_drainLeft <= 0)
        m_socket->disconnectFromHost(); // after the answer is written
}

GuardedTcpServer::GuardedTcpServer(qint64 maxBody, QObject* parent)
    : QTcpServer(parent)
    , m_maxBody(maxBody)
{
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    new RequestGuard(socket, m_maxBody); // connected to readyRead() before the HTTP server
    addPendingConnection(socket);
}
