// SPDX-License-Identifier: MIT
#include "app/server/requestguard.h"

#include "app/server/apiresponse.h"

#include <QTcpSocket>
#include <QTimer>

#include <string>

namespace {

constexpr int DrainMilliseconds = 30'000;

/// The value of header `name` (case-insensitive) in a header section, or a null QByteArray.
QByteArray headerValue(const QByteArray& head, QByteArrayView name)
{
    qsizetype start = head.indexOf("\r\n");
    while (start >= 0 && start + 2 < head.size()) {
        const qsizetype lineStart = start + 2;
        const qsizetype end = head.indexOf("\r\n", lineStart);
        const QByteArrayView line(head.constData() + lineStart, (end < 0 ? head.size() : end) - lineStart);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed().toByteArray();
        start = end;
    }
    return {};
}

} // namespace

RequestGuard::RequestGuard(QTcpSocket* socket, qint64 maxBody)
    : QObject(socket)
    , m_socket(socket)
    , m_maxBody(maxBody)
{
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
}

void RequestGuard::onReadyRead()
{
    switch (m_state) {
    case State::Off: return;
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
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (m_state == State::Body) {
            const qint64 take = std::min<qint64>(m_bodyLeft, bytes.size() - at);
            m_bodyLeft -= take;
            at += take;
            if (m_bodyLeft == 0)
                m_state = State::Head;
            continue;
        }
        // Head: up to the blank line that ends the header section.
        const qsizetype before = m_head.size();
        m_head.append(bytes.constData() + at, bytes.size() - at);
        const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
        if ((end < 0 ? m_head.size() : end + 4) > MaxHeaderBytes) {
            refuse(431, "Request Header Fields Too Large", "the request's header section is over 64 KiB", 0);
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
    if (!headerValue(head, "Upgrade").isNull()) {
        m_state = State::Off; // a WebSocket from here on
        return true;
    }
    const QByteArray length = headerValue(head, "Content-Length");
    if (!headerValue(head, "Transfer-Encoding").isNull()) {
        refuse(411, "Length Required", "a request body needs a Content-Length (chunked bodies are not accepted)",
               MaxDrainBytes);
        return false;
    }
    if (length.isNull()) {
        m_state = State::Head;
        return true;
    }
    bool ok = false;
    const qint64 declared = length.toLongLong(&ok);
    if (!ok || declared < 0) {
        m_state = State::Head; // the server's parser answers a malformed length
        return true;
    }
    if (declared > m_maxBody) {
        refuse(413, "Payload Too Large",
               "the request body is larger than the limit of " + QByteArray::number(m_maxBody) + " bytes", declared);
        return false;
    }
    m_bodyLeft = declared;
    m_state = declared > 0 ? State::Body : State::Head;
    return true;
}

void RequestGuard::refuse(int status, const QByteArray& reason, const QByteArray& message, qint64 pendingBody)
{
    static constexpr const char* codes[] = {"length_required", "payload_too_large", "header_too_large"};
    const char* code = status == 411 ? codes[0] : status == 413 ? codes[1] : codes[2];
    const ApiResponse error = ApiResponse::error(status, code, std::string_view(message.constData(), message.size()));
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    response += "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(error.body.size()) + "\r\n\r\n" + error.body;

    // From here on the server reads nothing more of this connection; its partial request goes
    // when the socket does (its own disconnected() handler stays).
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction(); // what the server read is dropped, not read again
    m_state = State::Draining;
    m_drainLeft = std::min(pendingBody, MaxDrainBytes);
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
