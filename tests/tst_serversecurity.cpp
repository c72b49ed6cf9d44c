// SPDX-License-Identifier: MIT
// The server's security promises that are not about one request: how tokens are made, hashed
// and compared, and which address it listens on.
#include "serverprocess.h"

#include "app/server/auth.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSet>
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

QTEST_GUILESS_MAIN(TestServerSecurity)
#include "tst_serversecurity.moc"
