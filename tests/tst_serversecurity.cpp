// SPDX-License-Identifier: MIT
// The server's security promises that are not about one request: how tokens are made, hashed
// and compared, which address it listens on, that a body over the limit is refused from its
// headers (never buffered), and that SIGTERM stops it cleanly.
#include "serverprocess.h"
#include "sqliteprobe.h"

#include "app/server/auth.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

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

int portOf(const QString& base) { return base.section(u':', -1).toInt(); }

/// The server's resident memory in KiB (VmRSS), or -1.
qint64 residentKiB(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

/// Reads from `socket` until `count` complete responses (by Content-Length) have arrived or
/// the connection ends; returns what was read.
QByteArray readResponses(QTcpSocket& socket, int count)
{
    QByteArray in;
    auto complete = [&] {
        qsizetype at = 0;
        for (int i = 0; i < count; ++i) {
            const qsizetype end = in.indexOf("\r\n\r\n", at);
            if (end < 0)
                return false;
            const QByteArray head = in.mid(at, end - at).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            const qsizetype length = cl < 0 ? 0 : head.mid(cl + 15, head.indexOf('\n', cl) - cl - 15).trimmed().toLongLong();
            at = end + 4 + length;
            if (at > in.size())
                return false;
        }
        return true;
    };
    while (!complete() && (socket.bytesAvailable() > 0 || socket.waitForReadyRead(ServerProcess::TimeoutMs)))
        in += socket.readAll();
    return in;
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
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
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
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
    const QString base = server.start();
    QVERIFY(base.startsWith(u"http://127.0.0.1:"_s));
    // 0100007F is 127.0.0.1 as /proc/net/tcp writes it: nothing listens on other addresses.
    QCOMPARE(listeningAddresses(portOf(base)), QSet<QByteArray>{"0100007F"});
    server.stop();

    ServerProcess all(dir.filePath(u"s.sqlite"_s));
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
    // Under AddressSanitizer freed memory is held in a quarantine (256 MiB), which would count
    // the dropped chunks as growth: the server started here frees at once.
    const QByteArray asan = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=0");
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
    const QString base = server.start({u"--max-body"_s, QString::number(1 << 20)});
    qputenv("ASAN_OPTIONS", asan);
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
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
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
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
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
    ServerProcess server(dir.filePath(u"s.sqlite"_s));
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

QTEST_GUILESS_MAIN(TestServerSecurity)
#include "tst_serversecurity.moc"
