// SPDX-License-Identifier: MIT
// decksync-server: the seed's sync API over HTTP, with a WebSocket feed, on SQLite.
//
//   decksync-server [--db FILE] [--port 8787] [--bind 127.0.0.1] [--max-body BYTES]
//   decksync-server add-user EMAIL [--role user|support] [--db FILE]
#include "app/server/auth.h"
#include "app/server/requestguard.h"
#include "app/server/serverstore.h"
#include "app/server/syncserver.h"
#include "app/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "decksync-server: %s\n", qUtf8Printable(message));
    return 1;
}

QString defaultDatabase()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"server.sqlite"_s);
}

int addUser(const QString& email, const QString& role, const QString& dbPath)
{
    ServerStore store;
    QString error;
    if (!store.open(dbPath, &error))
        return fail(error);
    const QByteArray token = Auth::generateToken();
    if (!store.addUser(email, role, Auth::hashToken(token), &error))
        return fail(error);
    // The only copy of the token: the database keeps its SHA-256.
    std::fprintf(stdout, "%s\n", token.constData());
    std::fflush(stdout);
    return 0;
}

/// SIGTERM and SIGINT end the event loop (through a socket pair: a signal handler may only
/// write), so that the store is closed as on any other way out.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[0], &byte, 1);
}

bool quitOnTermination(QCoreApplication* app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return false;
    auto* notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [notifier] {
        notifier->setEnabled(false);
        std::fprintf(stderr, "decksync-server: stopping\n");
        QCoreApplication::quit();
    });
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGTERM, &action, nullptr) == 0 && ::sigaction(SIGINT, &action, nullptr) == 0;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"DeckSync"_s);
    QCoreApplication::setApplicationName(u"decksync-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(DECKSYNC_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Serves the DeckSync sync API (HTTP + WebSocket feed) from an SQLite file.\n"
                                     "Commands: (none) = serve; add-user EMAIL = add a user and print its token."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(u"db"_s, u"The SQLite database (default: %1)."_s.arg(defaultDatabase()), u"file"_s);
    const QCommandLineOption portOption(u"port"_s, u"The TCP port; 0 picks a free one (default 8787)."_s, u"port"_s,
                                        u"8787"_s);
    const QCommandLineOption bindOption(u"bind"_s, u"The address to listen on (default 127.0.0.1)."_s, u"address"_s,
                                        u"127.0.0.1"_s);
    const QCommandLineOption maxBodyOption(u"max-body"_s, u"The largest request body in bytes, after gzip (default 64 MiB)."_s,
                                           u"bytes"_s, QString::number(SyncServer::DefaultMaxBody));
    const QCommandLineOption roleOption(u"role"_s, u"add-user: the role, user or support (default user)."_s, u"role"_s,
                                        u"user"_s);
    parser.addOptions({dbOption, portOption, bindOption, maxBodyOption, roleOption});
    parser.addPositionalArgument(u"command"_s, u"add-user EMAIL, or nothing to serve."_s, u"[add-user EMAIL]"_s);
    parser.process(app);

    const QString dbPath = parser.isSet(dbOption) ? parser.value(dbOption) : defaultDatabase();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) {
        if (args.first() != u"add-user"_s)
            return fail(u"unknown command \"%1\"; the only command is add-user"_s.arg(args.first()));
        if (args.size() != 2)
            return fail(u"usage: decksync-server add-user EMAIL [--role user|support] [--db FILE]"_s);
        return addUser(args[1], parser.value(roleOption), dbPath);
    }

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(u"--port %1 is not a port number"_s.arg(parser.value(portOption)));
    const qint64 maxBody = parser.value(maxBodyOption).toLongLong(&ok);
    if (!ok || maxBody <= 0)
        return fail(u"--max-body %1 is not a positive number of bytes"_s.arg(parser.value(maxBodyOption)));
    QHostAddress address;
    if (!address.setAddress(parser.value(bindOption)))
        return fail(u"--bind %1 is not an IP address"_s.arg(parser.value(bindOption)));

    ServerStore store;
    QString error;
    if (!store.open(dbPath, &error))
        return fail(error);
    SyncServer server(&store, maxBody);
    // The guard sees each connection first: a body over the limit is refused from its headers.
    auto* tcp = new GuardedTcpServer(maxBody, &server);
    if (!tcp->listen(address, static_cast<quint16>(port)))
        return fail(u"could not listen on %1 port %2: %3"_s.arg(address.toString()).arg(port).arg(tcp->errorString()));
    server.bind(tcp);
    const quint16 bound = tcp->serverPort();
    if (!quitOnTermination(&app))
        return fail(u"could not install the SIGTERM handler"_s);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                              : address.toString();
    std::fprintf(stdout, "listening on http://%s:%u\n", qUtf8Printable(host), unsigned(bound));
    std::fflush(stdout);
    std::fprintf(stderr, "decksync-server: database %s, request bodies up to %lld bytes\n", qUtf8Printable(dbPath),
                 static_cast<long long>(maxBody));
    return QCoreApplication::exec();
}
