// SPDX-License-Identifier: MIT
// The server's security promises that are not about one request: how tokens are made, hashed
// and compared, which address it listens on, that a body over the limit is refused from its
// headers (never buffered), and that SIGTERM stops it cleanly.
#include "rawhttp.h"
#include "serverdatabase.h"
#include "serverprocess.h"
#include "sqliteprobe.h"

#include "app/server/auth.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

/// The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on `port`.
QSet<QByteArray> listeningAddresses(int port)
{
    QSet<QByteArray> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        f.readLine(); // header
        while (!f.atEnd()) {
            const QList<QByteArray> fields = f.readLine().simplified().split(' ');
            if (fields.size() < 4 || fields[3] != "0A") // 0A: LISTEN
                continue;
            const QList<QByteArray> local = fields[1].split(':');
            if (local.size() == 2 && local[1].toInt(nullptr, 16) == port)
                out.insert(local[0]);
        }
    }
    return out;
}

using rawhttp::closedWithin;
using rawhttp::connectTo;
using rawhttp::portOf;
using rawhttp::readResponses;
using rawhttp::residentKiB;

/// The user's revision on the server, from GET /data on a connection of its own; -1 if the
/// server did not answer.
int revisionOf(const QString& base, const QByteArray& token)
{
    QTcpSocket socket;
    if (!connectTo(socket, base))
        return -1;
    socket.write("GET /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
    const QByteArray answer = readResponses(socket, 1);
    const qsizetype at = answer.indexOf("X-Revision: ");
    return at < 0 ? -1 : answer.mid(at + 12, answer.indexOf('\r', at) - at - 12).toInt();
}

/// A server started so that its memory can be measured: under AddressSanitizer freed memory
/// is held in a quarantine (256 MiB) that would count as growth; this one frees at once.
QString startMeasurable(ServerProcess& server, const QStringList& extra)
{
    const QByteArray asan = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=0");
    const QString base = server.start(extra);
    qputenv("ASAN_OPTIONS", asan);
    return base;
}

/// A one-deck POST /sync/decks, sent chunked.
QByteArray chunkedSync(const QByteArray& token)
{
    const QByteArray body = R"({"data":[],"last_sync":null})";
    return "POST /sync/decks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
}

} // namespace

class TestServerSecurity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokensAreRandomAndOnlyHashed();
    void constantTimeEqual_data();
    void constantTimeEqual();
    void bearerToken_data();
    void bearerToken();
    void listensOnLoopbackUnlessTold();
    void refusedFromHeaders_data();
    void refusedFromHeaders();
    void keepAliveFramingHolds();
    void refusalFollowsEarlierAnswers();
    void abandonedConnectionIsClosed();
    void stopsCleanlyOnSigterm();

    // The reproductions of the wire probe (F1 to F7); each one failed on the Qt HttpServer.
    void oneParserFrames_data();
    void oneParserFrames();
    void upgradeKeepsTheLimits();
    void abandonedBodiesAreFreed();
    void feedFramesAreLimited_data();
    void feedFramesAreLimited();
    void slowClientsAreClosed_data();
    void slowClientsAreClosed();
    void connectionsAreCapped();
    void bodiesHeldAtOnceAreCapped();
    void bodyWaitsForTheToken();
    void supportFeedIsAudited();
    void logLinesCannotBeForged();
};

void TestServerSecurity::tokensAreRandomAndOnlyHashed()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 200; ++i) {
        const QByteArray t = Auth::generateToken();
        QCOMPARE(t.size(), 43); // 32 bytes, base64url without padding
        QVERIFY(QByteArray::fromBase64(t, QByteArray::Base64UrlEncoding).size() == 32);
        QVERIFY(!seen.contains(t));
        seen.insert(t);
    }
    const QByteArray t = Auth::generateToken();
    QCOMPARE(Auth::hashToken(t), QCryptographicHash::hash(t, QCryptographicHash::Sha256));

    // The database keeps the hash, never the token.
    QTemporaryDir dir;
    ServerProcess server(dir.filePath(u"s.sqlite"_s)); // looks inside the file: SQLite only
    const QByteArray token = server.addUser(u"maya@example.com"_s);
    QFile db(dir.filePath(u"s.sqlite"_s));
    QVERIFY(db.open(QIODevice::ReadOnly));
    QByteArray bytes = db.readAll();
    for (const char* extra : {"-wal", "-shm"}) {
        QFile side(dir.filePath(u"s.sqlite"_s) + QString::fromLatin1(extra));
        if (side.open(QIODevice::ReadOnly))
            bytes += side.readAll();
    }
    QVERIFY(!bytes.contains(token));
    QVERIFY(bytes.contains(Auth::hashToken(token)));
}

void TestServerSecurity::constantTimeEqual_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("first byte") << QByteArray("xbcdef") << QByteArray("abcdef") << false;
    QTest::newRow("last byte") << QByteArray("abcdex") << QByteArray("abcdef") << false;
    QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcdef") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("embedded zero") << QByteArray("ab\0cd", 5) << QByteArray("ab\0ce", 5) << false;
}

void TestServerSecurity::constantTimeEqual()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(Auth::constantTimeEqual(a, b), equal);
    QCOMPARE(Auth::constantTimeEqual(b, a), equal);
}

void TestServerSecurity::bearerToken_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("bearer") << QByteArray("Bearer abc") << QByteArray("abc");
    QTest::newRow("case of the scheme") << QByteArray("bearer abc") << QByteArray("abc");
    QTest::newRow("basic") << QByteArray("Basic YWxhZGRpbjpvcGVuc2VzYW1l") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("no token") << QByteArray("Bearer ") << QByteArray();
}

void TestServerSecurity::bearerToken()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, token);
    QCOMPARE(Auth::bearerToken(header), token);
}

void TestServerSecurity::listensOnLoopbackUnlessTold()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start();
    QVERIFY(base.startsWith(u"http://127.0.0.1:"_s));
    // 0100007F is 127.0.0.1 as /proc/net/tcp writes it: nothing listens on other addresses.
    QCOMPARE(listeningAddresses(portOf(base)), QSet<QByteArray>{"0100007F"});
    server.stop();

    ServerProcess all(serverdb::createIn(dir.path()));
    const QString anywhere = all.start({u"--bind"_s, u"0.0.0.0"_s});
    QVERIFY(!anywhere.isEmpty());
    QCOMPARE(listeningAddresses(portOf(anywhere)), QSet<QByteArray>{"00000000"}); // only when told
}

void TestServerSecurity::refusedFromHeaders_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    const QByteArray put = "PUT /data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIf-Match: \"0\"\r\n";
    QTest::newRow("1 GiB declared") << put + "Content-Length: 1073741824\r\n\r\n" << 413 << QByteArray("payload_too_large");
    QTest::newRow("just over the limit") << put + "Content-Length: 1048577\r\n\r\n" << 413 << QByteArray("payload_too_large");
    QTest::newRow("chunked") << put + "Transfer-Encoding: chunked\r\n\r\n" << 411 << QByteArray("length_required");
    QTest::newRow("header over 64 KiB") << put + "X-Padding: " + QByteArray(70000, 'a') + "\r\n\r\n" << 431
                                        << QByteArray("header_too_large");
    // Framing that the guard and Qt's parser could read differently is refused outright.
    QTest::newRow("Upgrade without Connection: upgrade")
        << put + "Upgrade: websocket\r\nContent-Length: 1073741824\r\n\r\n" << 413 << QByteArray("payload_too_large");
    QTest::newRow("Content-Length twice") << put + "Content-Length: 2\r\nContent-Length: 2000000000\r\n\r\n" << 400
                                          << QByteArray("invalid_request");
    QTest::newRow("Content-Length with a sign") << put + "Content-Length: +5\r\n\r\n" << 400 << QByteArray("invalid_request");
    QTest::newRow("bare LF") << QByteArray("PUT /data HTTP/1.1\nHost: x\nContent-Length: 2000000000\n\n") << 400
                             << QByteArray("invalid_request");
    QTest::newRow("folded header") << put + "Content-Length: 2\r\n 000000000\r\n\r\n" << 400
                                   << QByteArray("invalid_request");
}

// The answer comes from the headers alone, and what the client sends after them is read and
// dropped: the server's memory does not grow with it.
void TestServerSecurity::refusedFromHeaders()
{
    QFETCH(QByteArray, head);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = startMeasurable(server, {u"--max-body"_s, QString::number(1 << 20)});
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, quint16(portOf(base)));
    QVERIFY(socket.waitForConnected(ServerProcess::TimeoutMs));
    const qint64 before = residentKiB(server.pid());
    socket.write(head);
    const QByteArray answer = readResponses(socket, 1); // before a byte of the body was sent
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')), answer.left(200).constData());
    QVERIFY(answer.contains("Connection: close"));
    QVERIFY(answer.contains(QByteArray('"' + code + '"')));

    // 48 MiB more from a client that does not listen: dropped as it comes.
    const QByteArray chunk(1 << 20, 'x');
    for (int i = 0; i < 48 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        socket.write(chunk);
        socket.waitForBytesWritten(ServerProcess::TimeoutMs);
    }
    const qint64 after = residentKiB(server.pid());
    QVERIFY(before > 0 && after > 0);
    QVERIFY2(after - before < 16 * 1024, qPrintable(u"the server grew by %1 KiB"_s.arg(after - before)));
    qInfo("server memory %lld KiB before, %lld KiB after the refused body", before, after);
}

// Requests on one connection, sent in one write: the guard follows each one's framing and
// lets all through.
void TestServerSecurity::keepAliveFramingHolds()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = server.start({u"--max-body"_s, u"4096"_s});
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, quint16(portOf(base)));
    QVERIFY(socket.waitForConnected(ServerProcess::TimeoutMs));
    const QByteArray body = R"({"decks": []})";
    const QByteArray auth = "Authorization: Bearer " + token + "\r\n";
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                 "PUT /data HTTP/1.1\r\nHost: x\r\n" + auth + "If-Match: \"0\"\r\nContent-Type: application/json\r\n"
                 "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body +
                 "GET /data HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    const QByteArray answers = readResponses(socket, 3);
    QCOMPARE(answers.count("HTTP/1.1 200 "), 3);
    QVERIFY(answers.contains("ETag: \"1\""));
}

// A request answered before the refused one keeps its own answer, in order.
void TestServerSecurity::refusalFollowsEarlierAnswers()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start({u"--max-body"_s, u"4096"_s});
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, quint16(portOf(base)));
    QVERIFY(socket.waitForConnected(ServerProcess::TimeoutMs));
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                 "PUT /data HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n");
    const QByteArray answers = readResponses(socket, 2);
    QVERIFY2(answers.startsWith("HTTP/1.1 200 "), answers.left(200).constData());
    QVERIFY2(answers.indexOf("HTTP/1.1 413 ") > 0, answers.constData());
}

// Qt 6.4 drops every signal of a socket whose request it cannot parse and leaves it open;
// the guard closes it.
void TestServerSecurity::abandonedConnectionIsClosed()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start();
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, quint16(portOf(base)));
    QVERIFY(socket.waitForConnected(ServerProcess::TimeoutMs));
    socket.write("NOT HTTP AT ALL\r\n\r\n");
    QVERIFY(socket.waitForDisconnected(10000));
}

void TestServerSecurity::stopsCleanlyOnSigterm()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"s.sqlite"_s);
    ServerProcess server(db);
    QVERIFY(!server.addUser(u"a@example.com"_s).isEmpty());
    QVERIFY(!server.start().isEmpty());
    QCOMPARE(server.terminate(), 0);
    QVERIFY(server.stop().contains("decksync-server: stopping"));
    QCOMPARE(sqliteIntegrity(db), u"ok"_s);
    QVERIFY(!QFile::exists(db + u"-wal"_s) || QFileInfo(db + u"-wal"_s).size() == 0); // checkpointed on close
}

// F1: headers that a lenient parser drops while another counts them as framing. Each first
// request declares the second one as its body; the second is a write that must not happen.
void TestServerSecurity::oneParserFrames_data()
{
    QTest::addColumn<QByteArray>("fields"); // of the first request, before its Content-Length
    QTest::addColumn<int>("status");
    QTest::newRow("a field name with a space") << QByteArray("Bad Name: 1\r\n") << 400;
    QTest::newRow("a space before the colon") << QByteArray("X-Pad : 1\r\n") << 400;
    QByteArray many;
    for (int i = 0; i < 101; ++i)
        many += "X-" + QByteArray::number(i) + ": a\r\n";
    QTest::newRow("101 fields") << many << 431;
    QTest::newRow("a NUL in a value") << QByteArray("X-Pad: a\0b\r\n", 12) << 400;
}

void TestServerSecurity::oneParserFrames()
{
    QFETCH(QByteArray, fields);
    QFETCH(int, status);
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = server.start();
    QVERIFY(!base.isEmpty());
    const QByteArray smuggled = chunkedSync(token);
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n" + fields + "Content-Length: " + QByteArray::number(smuggled.size())
                 + "\r\n\r\n");
    socket.waitForBytesWritten();
    QTest::qWait(50);
    socket.write(smuggled);
    const QByteArray answers = readResponses(socket, 2, 3000);
    QVERIFY2(answers.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')), answers.left(300).constData());
    QCOMPARE(answers.count("HTTP/1.1 "), 1); // nothing after the refusal: the connection ends
    QVERIFY(closedWithin(socket, 12000));
    QCOMPARE(revisionOf(base, token), 0); // the smuggled sync was not stored
}

// F2: an Upgrade other than to a WebSocket is a header like any other: the limits stay on.
void TestServerSecurity::upgradeKeepsTheLimits()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = server.start({u"--max-body"_s, u"65536"_s});
    QVERIFY(!base.isEmpty());
    const QByteArray h2c = "GET /health HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
                           "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    QTcpSocket chunked;
    QVERIFY(connectTo(chunked, base));
    chunked.write(h2c + chunkedSync(token));
    QByteArray answers = readResponses(chunked, 2);
    QVERIFY2(answers.startsWith("HTTP/1.1 200 "), answers.constData());
    QVERIFY2(answers.contains("HTTP/1.1 411 "), answers.constData());
    QCOMPARE(revisionOf(base, token), 0);

    QTcpSocket huge;
    QVERIFY(connectTo(huge, base));
    huge.write(h2c + "PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
               + "\r\nIf-Match: \"0\"\r\nContent-Length: 1073741824\r\n\r\n");
    answers = readResponses(huge, 2);
    QVERIFY2(answers.contains("HTTP/1.1 413 "), answers.constData());
}

// F3: a client that declares a 1 GiB body, sends 80 MiB of it and goes. Nothing of it stays.
void TestServerSecurity::abandonedBodiesAreFreed()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = startMeasurable(server, {});
    QVERIFY(!base.isEmpty());
    QCOMPARE(revisionOf(base, token), 0); // warm: the first request's allocations are not growth
    const qint64 idle = residentKiB(server.pid());
    const QByteArray chunk(1 << 20, 'x');
    for (int round = 0; round < 3; ++round) {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, base));
        // As the probe did: an h2c upgrade first (which switched the old guard off).
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"
                     "PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                     + "\r\nIf-Match: \"0\"\r\nContent-Length: 1073741824\r\n\r\n");
        for (int i = 0; i < 80 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
            socket.write(chunk);
            if (!socket.waitForBytesWritten(3000))
                break; // the server stopped reading
        }
        socket.abort();
    }
    // The server notices each close at once; give it a moment to free.
    qint64 after = 0;
    QTRY_VERIFY_WITH_TIMEOUT((after = residentKiB(server.pid())) - idle < 20 * 1024, 5000);
    qInfo("server memory %lld KiB idle, %lld KiB after three abandoned bodies of 80 MiB", idle, after);
    QCOMPARE(revisionOf(base, token), 0);
}

// F3 and F5 on /feed: a frame or a message over the feed's limit ends the connection before it
// is buffered, with the close code RFC 6455 gives; an unmasked client frame ends it too.
void TestServerSecurity::feedFramesAreLimited_data()
{
    QTest::addColumn<QByteArray>("frames");
    QTest::addColumn<int>("sendMiB"); // then sent as payload, if the connection is still open
    QTest::addColumn<int>("closeCode");
    QTest::newRow("a frame declaring 200 MiB") << rawhttp::frameHeader(2, 200ULL << 20, true) << 8 << 1009;
    QByteArray fragments; // 5 fragments of 32 KiB, FIN on the last: one message of 160 KiB
    for (int i = 0; i < 5; ++i) {
        QByteArray f = rawhttp::frame(i == 0 ? 1 : 0, QByteArray(32 * 1024, 'a'), true);
        if (i < 4)
            f[0] = char(f[0] & 0x7f);
        fragments += f;
    }
    QTest::newRow("a message of 160 KiB in fragments") << fragments << 0 << 1009;
    QTest::newRow("an unmasked frame") << rawhttp::frame(1, "hello", false) << 0 << 1002;
}

void TestServerSecurity::feedFramesAreLimited()
{
    QFETCH(QByteArray, frames);
    QFETCH(int, sendMiB);
    QFETCH(int, closeCode);
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = startMeasurable(server, {});
    QVERIFY(!base.isEmpty());
    const qint64 idle = residentKiB(server.pid());
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    socket.write(rawhttp::feedUpgrade(token));
    const QByteArray handshake = readResponses(socket, 1);
    QVERIFY2(handshake.startsWith("HTTP/1.1 101 "), handshake.constData());
    socket.write(frames);
    QByteArray in;
    const QDeadlineTimer deadline(ServerProcess::TimeoutMs);
    while (rawhttp::closeCode(in) == 0 && !deadline.hasExpired() && socket.waitForReadyRead(500))
        in += socket.readAll();
    in += socket.readAll();
    QCOMPARE(rawhttp::closeCode(in), closeCode); // at once: the server did not wait for the payload
    // The payload it declared, sent anyway: the server reads none of it into memory.
    const QByteArray chunk(1 << 20, 'x');
    for (int i = 0; i < sendMiB && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        socket.write(chunk);
        socket.waitForBytesWritten(2000);
    }
    socket.abort();
    qint64 after = 0;
    QTRY_VERIFY_WITH_TIMEOUT((after = residentKiB(server.pid())) - idle < 20 * 1024, 5000);
    QTcpSocket metrics;
    QVERIFY(connectTo(metrics, base));
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 metrics.write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
                                 return readResponses(metrics, 1).contains("\"feed_clients\":0");
                             }()),
                             5000);
}

// F4: a client that sends its header section too slowly, or keeps a connection idle, is
// closed after the timeout that applies.
void TestServerSecurity::slowClientsAreClosed_data()
{
    QTest::addColumn<QByteArray>("first");   // sent at once
    QTest::addColumn<QByteArray>("drip");    // then one byte every 200 ms
    QTest::addColumn<int>("answers");        // complete answers expected before the close
    QTest::newRow("slowloris") << QByteArray("GET /health HTTP/1.1\r\n") << QByteArray(40, 'X') << 0;
    QTest::newRow("nothing sent") << QByteArray() << QByteArray() << 0;
    QTest::newRow("idle after a request") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray() << 1;
    QTest::newRow("a body that stops")
        << QByteArray("PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nIf-Match: \"0\"\r\n"
                      "Content-Length: 100\r\n\r\n{")
        << QByteArray(40, ' ') << 0;
}

void TestServerSecurity::slowClientsAreClosed()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, drip);
    QFETCH(int, answers);
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const QString base = server.start(
        {u"--header-timeout"_s, u"1"_s, u"--idle-timeout"_s, u"1"_s, u"--body-timeout"_s, u"1.5"_s});
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    QElapsedTimer timer;
    timer.start();
    socket.write(QByteArray(first).replace("TOKEN", token));
    QByteArray in;
    for (char c : drip) {
        if (socket.state() != QAbstractSocket::ConnectedState)
            break;
        socket.write(&c, 1);
        socket.waitForReadyRead(200);
        in += socket.readAll();
    }
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 8000) {
        socket.waitForReadyRead(100);
        in += socket.readAll();
    }
    in += socket.readAll();
    QVERIFY2(socket.state() != QAbstractSocket::ConnectedState, "still open after 8 s");
    QVERIFY2(timer.elapsed() < 5000, qPrintable(u"closed after %1 ms"_s.arg(timer.elapsed())));
    QCOMPARE(int(in.count("HTTP/1.1 ")), answers);
}

// F4: past --max-connections a client gets a 503 at once; a slot that frees is used again.
void TestServerSecurity::connectionsAreCapped()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start({u"--max-connections"_s, u"3"_s});
    QVERIFY(!base.isEmpty());
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        QVERIFY(connectTo(*held.back(), base));
        held.back()->write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"); // kept alive after its answer
        QVERIFY(readResponses(*held.back(), 1).startsWith("HTTP/1.1 200 "));
    }
    QTcpSocket extra;
    QVERIFY(connectTo(extra, base));
    const QByteArray busy = readResponses(extra, 1);
    QVERIFY2(busy.startsWith("HTTP/1.1 503 "), busy.constData());
    QVERIFY(busy.contains("Retry-After: "));
    QVERIFY(closedWithin(extra, 5000));

    held.front()->abort(); // closed now, not when an event loop gets to it
    held.erase(held.begin());
    // QTRY evaluates its condition once more after it held: the first success must stick, or
    // that last attempt could find the slot of the one before not yet freed.
    const auto served = [&] {
        QTcpSocket again;
        if (!connectTo(again, base))
            return false;
        again.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        return readResponses(again, 1, 2000).startsWith("HTTP/1.1 200 ");
    };
    bool once = false;
    QTRY_VERIFY_WITH_TIMEOUT(once || (once = served()), ServerProcess::TimeoutMs);
}

// The bodies that all connections may hold at once are capped too: one user with many
// connections cannot make the server hold --max-body on each. A request past the cap gets 503
// from its headers; once a body is handled its bytes are free again.
void TestServerSecurity::bodiesHeldAtOnceAreCapped()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QByteArray token = server.addUser(u"a@example.com"_s);
    const qint64 body = 1 << 20;
    const QString base = server.start({u"--max-body"_s, QString::number(body), u"--max-buffered"_s,
                                       QString::number(2 * body)});
    QVERIFY(!base.isEmpty());
    const QByteArray put = "PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nIf-Match: *\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body)
        + "\r\n\r\n";
    // A valid document of exactly `body` bytes: {"decks": []} padded with spaces.
    const QByteArray document = QByteArray(R"({"decks": [])") + QByteArray(body - 13, ' ') + '}';
    QTcpSocket first;
    QTcpSocket second;
    for (QTcpSocket* s : {&first, &second}) {
        QVERIFY(connectTo(*s, base));
        s->write(put + document.left(1000)); // the headers and a start: the server holds the body
        s->waitForBytesWritten();
    }
    QTest::qWait(200);
    QTcpSocket third;
    QVERIFY(connectTo(third, base));
    third.write(put);
    const QByteArray busy = readResponses(third, 1);
    QVERIFY2(busy.startsWith("HTTP/1.1 503 "), busy.constData());
    QVERIFY(busy.contains("Retry-After: 1"));

    first.write(document.mid(1000));
    const QByteArray done = readResponses(first, 1);
    QVERIFY2(done.startsWith("HTTP/1.1 200 "), done.left(300).constData());
    QTcpSocket fourth;
    QVERIFY(connectTo(fourth, base));
    fourth.write(put + document);
    const QByteArray later = readResponses(fourth, 1);
    QVERIFY2(later.startsWith("HTTP/1.1 200 "), later.left(300).constData());
}

// F4: the body of a request without a valid token is never read, so it cannot be held.
void TestServerSecurity::bodyWaitsForTheToken()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start();
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    socket.write("PUT /data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nope\r\nIf-Match: \"0\"\r\n"
                 "Content-Length: 50000000\r\n\r\n");
    const QByteArray answer = readResponses(socket, 1); // before a byte of the body
    QVERIFY2(answer.startsWith("HTTP/1.1 401 "), answer.constData());
    QVERIFY(answer.contains("Connection: close"));
}

// F6: support watching a user's feed is a read of that user's data, and is audited.
void TestServerSecurity::supportFeedIsAudited()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"s.sqlite"_s);
    ServerProcess server(db);
    QVERIFY(!server.addUser(u"maya@example.com"_s).isEmpty());
    const QByteArray support = server.addUser(u"help@example.com"_s, u"support"_s);
    const QString base = server.start();
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    socket.write(rawhttp::feedUpgrade(support, "X-Act-As: maya@example.com\r\n"));
    QVERIFY(readResponses(socket, 1).startsWith("HTTP/1.1 101 "));
    QCOMPARE(sqliteScalar(db, u"SELECT count(*) FROM audit a JOIN users s ON s.id = a.actor_user_id"
                              " JOIN users t ON t.id = a.target_user_id WHERE s.email = 'help@example.com'"
                              " AND t.email = 'maya@example.com' AND a.path = '/feed'"_s),
             u"1"_s);
    QVERIFY(server.stop().contains("WS /feed 101 help@example.com as maya@example.com"));
}

// F7: a path with a line break in it cannot write a line of its own into the log.
void TestServerSecurity::logLinesCannotBeForged()
{
    QTemporaryDir dir;
    ServerProcess server(serverdb::createIn(dir.path()));
    const QString base = server.start();
    QVERIFY(!base.isEmpty());
    QTcpSocket socket;
    QVERIFY(connectTo(socket, base));
    socket.write("GET /%0aGET%20/data%20200%20admin@example.com%200%20ms HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /%1b[2J%e2%80%a8x HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(readResponses(socket, 2).startsWith("HTTP/1.1 404 "));
    const QByteArray log = server.stop();
    for (const QByteArray& line : log.split('\n'))
        QVERIFY2(!line.startsWith("GET /data 200 admin@example.com"), log.constData());
    QVERIFY2(log.contains("GET /\\x0aGET /data 200 admin@example.com 0 ms 404"), log.constData());
    QVERIFY2(log.contains("GET /\\x1b[2J\\x2028x 404"), log.constData());
}

QTEST_GUILESS_MAIN(TestServerSecurity)
#include "tst_serversecurity.moc"
