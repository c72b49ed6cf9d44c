// SPDX-License-Identifier: MIT
// decksync-server speaks HTTP/1.1 as RFC 9112 says, byte by byte on a raw socket: versions,
// keep-alive and close, HEAD, 100-continue, the WebSocket upgrade, and If-Match compared
// strongly. (F8 and F9 of the wire probe: each failed on the Qt HttpServer.)
#include "rawhttp.h"
#include "serverdatabase.h"
#include "serverprocess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using rawhttp::connectTo;
using rawhttp::readResponses;

class TestServerHttp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void exchange_data();
    void exchange();
    void headHasNoBody();
    void continueBeforeTheBody();
    void ifMatch_data();
    void ifMatch();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_base;
    QByteArray m_token;
};

void TestServerHttp::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerProcess>(serverdb::createIn(m_dir->path()));
    m_token = m_server->addUser(u"a@example.com"_s);
    m_base = m_server->start();
    QVERIFY(!m_token.isEmpty() && !m_base.isEmpty());
}

void TestServerHttp::cleanup()
{
    const QByteArray log = m_server->stop();
    if (QTest::currentTestFailed())
        qWarning("server output:\n%s", log.constData());
    m_server.reset();
    m_dir.reset();
}

void TestServerHttp::exchange_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("statusLine"); // how the answer starts
    QTest::addColumn<QByteArray>("header");     // a line the answer has (empty: none asked)
    QTest::addColumn<bool>("closes");           // the server closes the connection after it
    QTest::newRow("HTTP/1.0") << QByteArray("GET /health HTTP/1.0\r\n\r\n") << QByteArray("HTTP/1.0 200 ")
                              << QByteArray() << true;
    QTest::newRow("HTTP/1.0 with keep-alive")
        << QByteArray("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << QByteArray("HTTP/1.0 200 ")
        << QByteArray("Connection: keep-alive") << false;
    QTest::newRow("Connection: close") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                                       << QByteArray("HTTP/1.1 200 ") << QByteArray("Connection: close") << true;
    QTest::newRow("kept alive") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("HTTP/1.1 200 ")
                                << QByteArray() << false;
    // F8: a WebSocket Upgrade without Connection: upgrade is a plain GET, and gets an answer.
    QTest::newRow("Upgrade: websocket alone")
        << QByteArray("GET /feed HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        << QByteArray("HTTP/1.1 400 ") << QByteArray() << false;
    QTest::newRow("no such endpoint") << QByteArray("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
                                      << QByteArray("HTTP/1.1 404 ") << QByteArray() << false;
    QTest::newRow("method not allowed") << QByteArray("DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n")
                                        << QByteArray("HTTP/1.1 405 ") << QByteArray("Allow: GET, HEAD") << false;
    QTest::newRow("absolute-form target") << QByteArray("GET http://x/health HTTP/1.1\r\nHost: x\r\n\r\n")
                                          << QByteArray("HTTP/1.1 400 ") << QByteArray() << true;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QByteArray("HTTP/1.1 400 ")
                                    << QByteArray() << true;
}

void TestServerHttp::exchange()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, statusLine);
    QFETCH(QByteArray, header);
    QFETCH(bool, closes);
    QTcpSocket socket;
    QVERIFY(connectTo(socket, m_base));
    socket.write(request);
    const QByteArray answer = readResponses(socket, 1);
    QVERIFY2(answer.startsWith(statusLine), answer.constData());
    if (!header.isEmpty())
        QVERIFY2(answer.contains(QByteArray("\r\n" + header + "\r\n")), answer.constData());
    if (closes) {
        QVERIFY(rawhttp::closedWithin(socket, 5000));
    } else {
        // Still open: the next request on it is answered.
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray next = readResponses(socket, 1);
        QVERIFY2(next.startsWith("HTTP/1.1 200 "), next.constData());
    }
}

// HEAD gets GET's status and headers, Content-Length included, and no body: the answer to the
// request after it starts right after the header section.
void TestServerHttp::headHasNoBody()
{
    QTcpSocket socket;
    QVERIFY(connectTo(socket, m_base));
    socket.write("HEAD /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token
                 + "\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray in;
    while (in.count("HTTP/1.1 200 ") < 2 && socket.waitForReadyRead(ServerProcess::TimeoutMs))
        in += socket.readAll();
    const qsizetype end = in.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    const QByteArray head = in.left(end);
    QVERIFY2(head.startsWith("HTTP/1.1 200 "), in.constData());
    QVERIFY(head.contains("\r\nETag: \"0\""));
    QVERIFY(head.contains("\r\nContent-Length: "));
    QVERIFY(!head.contains("\r\nContent-Length: 0"));
    QVERIFY2(in.mid(end + 4).startsWith("HTTP/1.1 200 "), in.constData());
}

// Expect: 100-continue gets `100 Continue` before the body is sent, and the answer after it.
void TestServerHttp::continueBeforeTheBody()
{
    const QByteArray body = R"({"data":[],"last_sync":null})";
    QTcpSocket socket;
    QVERIFY(connectTo(socket, m_base));
    socket.write("POST /sync/decks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token
                 + "\r\nExpect: 100-continue\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n");
    const QByteArray interim = readResponses(socket, 1);
    QVERIFY2(interim.startsWith("HTTP/1.1 100 Continue\r\n"), interim.constData());
    socket.write(body);
    const QByteArray answer = readResponses(socket, 1);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.constData());

    // Refused from its headers: no 100, the final answer at once.
    QTcpSocket refused;
    QVERIFY(connectTo(refused, m_base));
    refused.write("POST /sync/decks HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
    QVERIFY(readResponses(refused, 1).startsWith("HTTP/1.1 401 "));
}

void TestServerHttp::ifMatch_data()
{
    QTest::addColumn<QByteArray>("ifMatch"); // against revision 0
    QTest::addColumn<int>("status");
    QTest::newRow("the revision") << QByteArray("\"0\"") << 200;
    QTest::newRow("any revision") << QByteArray("*") << 200;
    QTest::newRow("one of a list") << QByteArray("\"7\", \"0\"") << 200;
    QTest::newRow("a bare number, as earlier clients sent") << QByteArray("0") << 200;
    QTest::newRow("another revision") << QByteArray("\"7\"") << 409;
    QTest::newRow("weak: never matches") << QByteArray("W/\"0\"") << 409;
    QTest::newRow("not a tag") << QByteArray("\"zero\"") << 400;
    QTest::newRow("an unquoted weak tag") << QByteArray("W/0") << 400;
}

void TestServerHttp::ifMatch()
{
    QFETCH(QByteArray, ifMatch);
    QFETCH(int, status);
    const QByteArray body = "{}";
    QTcpSocket socket;
    QVERIFY(connectTo(socket, m_base));
    socket.write("PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token + "\r\nIf-Match: " + ifMatch
                 + "\r\nContent-Length: 2\r\n\r\n" + body);
    const QByteArray answer = readResponses(socket, 1);
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')), answer.constData());
}

QTEST_GUILESS_MAIN(TestServerHttp)
#include "tst_serverhttp.moc"
