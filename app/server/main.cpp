// SPDX-License-Identifier: MIT
// decksync-server: the seed's sync API over HTTP, with a WebSocket feed, on SQLite or PostgreSQL.
//
//   decksync-server [--db FILE|postgresql://...] [--port 8787] [--bind 127.0.0.1] [--max-body BYTES] [--threads N]
//                   [--max-connections N] [--header-timeout S] [--body-timeout S] [--idle-timeout S]
//                   [--keep-history DAYS] [--keep-revisions N]
//   decksync-server add-user EMAIL... [--role user|support] [--db FILE]
//   decksync-server scan [--db FILE|postgresql://...] [--since TS] [--jobs N] [--json]
#include "app/server/auth.h"
#include "app/server/httplistener.h"
#include "app/server/scancommand.h"
#include "app/server/serverstore.h"
#include "app/server/syncserver.h"
#include "app/version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QStandardPaths>

#include <cstdio>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

int defaultThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int fail(const QString& message)
{
    std::fprintf(stderr, "decksync-server: %s\n", qUtf8Printable(message));
    return 1;
}

QString defaultDatabase()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"server.sqlite"_s);
}

/// Adds each user; prints one token per line, in the order given. Stops at the first failure
/// (the users before it stay added, and their tokens are printed).
int addUsers(const QStringList& emails, const QString& role, const QString& dbPath)
{
    ServerStore store;
    QString error;
    if (!store.open(dbPath, &error))
        return fail(error);
    for (const QString& email : emails) {
        const QByteArray token = Auth::generateToken();
        if (!store.addUser(email, role, Auth::hashToken(token), &error))
            return fail(error);
        // The only copy of the token: the database keeps its SHA-256.
        std::fprintf(stdout, "%s\n", token.constData());
    }
    std::fflush(stdout);
    return 0;
}

/// A positive number of bytes; false if it is not one.
bool parseBytes(const QString& text, std::int64_t* out)
{
    bool ok = false;
    *out = text.toLongLong(&ok);
    return ok && *out > 0;
}

/// A number of seconds (decimals allowed) as milliseconds; false if it is not a positive one.
bool parseSeconds(const QString& text, std::chrono::milliseconds* out)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 86400)
        return false;
    *out = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"DeckSync"_s);
    QCoreApplication::setApplicationName(u"decksync-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(DECKSYNC_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Serves the DeckSync sync API (HTTP + WebSocket feed) from an SQLite file or a PostgreSQL database.\n"
                                     "Commands: (none) = serve; add-user EMAIL... = add users and print their tokens, one per line; scan = run the "
                                     "engine again on the syncs kept since --since and list the users hit by a pattern that loses data."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(u"db"_s, u"The database: an SQLite file (default: %1), or PostgreSQL as postgresql://USER:PASSWORD@HOST:PORT/NAME, "
        "which several servers may share."_s.arg(defaultDatabase()), u"file|url"_s);
    const QCommandLineOption portOption(u"port"_s, u"The TCP port; 0 picks a free one (default 8787)."_s, u"port"_s,
                                        u"8787"_s);
    const QCommandLineOption bindOption(u"bind"_s, u"The address to listen on (default 127.0.0.1)."_s, u"address"_s,
                                        u"127.0.0.1"_s);
    const QCommandLineOption maxBodyOption(u"max-body"_s, u"The largest request body in bytes, after gzip (default 64 MiB)."_s,
                                           u"bytes"_s, QString::number(SyncServer::DefaultMaxBody));
    const QCommandLineOption roleOption(u"role"_s, u"add-user: the role, user or support (default user)."_s, u"role"_s,
                                        u"user"_s);
    const ServerLimits defaults;
    const QCommandLineOption threadsOption(
        u"threads"_s, u"Threads that serve requests (default: one per core, here %1)."_s.arg(defaultThreads()),
        u"n"_s, QString::number(defaultThreads()));
    const QCommandLineOption connectionsOption(
        u"max-connections"_s, u"Open connections at most, feeds included; more get 503 (default %1)."_s.arg(defaults.maxConnections),
        u"n"_s, QString::number(defaults.maxConnections));
    const auto seconds = [](std::chrono::milliseconds ms) { return QString::number(double(ms.count()) / 1000.0); };
    const QCommandLineOption headerTimeoutOption(
        u"header-timeout"_s, u"Seconds a new connection has to send its first header section (default %1)."_s.arg(seconds(defaults.headerTimeout)),
        u"seconds"_s, seconds(defaults.headerTimeout));
    const QCommandLineOption bodyTimeoutOption(
        u"body-timeout"_s, u"Seconds to send a request body, or to read an answer (default %1)."_s.arg(seconds(defaults.bodyTimeout)),
        u"seconds"_s, seconds(defaults.bodyTimeout));
    const QCommandLineOption idleTimeoutOption(
        u"idle-timeout"_s, u"Seconds a kept-alive connection may wait for its next request (default %1)."_s.arg(seconds(defaults.idleTimeout)),
        u"seconds"_s, seconds(defaults.idleTimeout));
    const QCommandLineOption bufferedOption(
        u"max-buffered"_s,
        u"Request bodies held at once, in bytes over all connections; past it 503 (default %1, at least twice --max-body)."_s
            .arg(defaults.maxBufferedBodies),
        u"bytes"_s, QString::number(defaults.maxBufferedBodies));
    const QCommandLineOption syncOption(
        u"synchronous"_s,
        u"full: an answered write is on disk (the default); normal: fsync at checkpoints only, so a power loss or an "
        "OS crash may lose the last answered writes (never the file), for more writes per second."_s,
        u"mode"_s, u"full"_s);
    const HistoryRetention keep;
    const QCommandLineOption keepDaysOption(
        u"keep-history"_s,
        u"Days of history to keep: what each write replaced, for GET /data?revision=, /revisions and restores; 0 "
        "keeps all of it (default %1)."_s.arg(keep.days),
        u"days"_s, QString::number(keep.days));
    const QCommandLineOption keepRevisionsOption(
        u"keep-revisions"_s,
        u"Revisions of each user's history to keep at most, besides --keep-history; 0 sets no such limit (default 0)."_s,
        u"n"_s, u"0"_s);
    const QCommandLineOption sinceOption(
        u"since"_s, u"scan: the syncs written at or after this time, as 2024-06-01T09:30:00Z (default: 7 days ago)."_s,
        u"time"_s);
    const QCommandLineOption jobsOption(
        u"jobs"_s, u"scan: threads that scan users, each with its own connection (default: one per core, here %1)."_s.arg(defaultThreads()),
        u"n"_s, QString::number(defaultThreads()));
    const QCommandLineOption jsonOption(u"json"_s, u"scan: print JSON instead of text."_s);
    parser.addOptions({dbOption, portOption, bindOption, maxBodyOption, threadsOption, connectionsOption,
                       headerTimeoutOption, bodyTimeoutOption, idleTimeoutOption, bufferedOption, syncOption,
                       keepDaysOption, keepRevisionsOption, roleOption, sinceOption, jobsOption, jsonOption});
    parser.addPositionalArgument(u"command"_s, u"add-user EMAIL..., scan, or nothing to serve."_s,
                                 u"[add-user EMAIL... | scan]"_s);
    parser.process(app);

    const QString dbPath = parser.isSet(dbOption) ? parser.value(dbOption) : defaultDatabase();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty() && args.first() == u"scan"_s) {
        if (args.size() > 1)
            return fail(u"usage: decksync-server scan [--db FILE|URL] [--since TIME] [--jobs N] [--json]"_s);
        ScanOptions scan;
        scan.database = dbPath;
        bool ok = false;
        scan.jobs = parser.value(jobsOption).toInt(&ok);
        if (!ok || scan.jobs < 1 || scan.jobs > 256)
            return fail(u"--jobs %1 is not a number from 1 to 256"_s.arg(parser.value(jobsOption)));
        scan.since = decksync::systemNow().addSeconds(-7 * 86400);
        if (parser.isSet(sinceOption)) {
            std::string why;
            const std::optional<decksync::Timestamp> since =
                decksync::Timestamp::parse(parser.value(sinceOption).toStdString(), &why);
            if (!since)
                return fail(u"--since %1 is not a time like 2024-06-01T09:30:00Z: %2"_s.arg(
                    parser.value(sinceOption), QString::fromStdString(why)));
            scan.since = *since;
        }
        return ScanCommand::run(scan, parser.isSet(jsonOption));
    }
    if (!args.isEmpty()) {
        if (args.first() != u"add-user"_s)
            return fail(u"unknown command \"%1\"; the commands are add-user and scan"_s.arg(args.first()));
        if (args.size() < 2)
            return fail(u"usage: decksync-server add-user EMAIL... [--role user|support] [--db FILE]"_s);
        return addUsers(args.mid(1), parser.value(roleOption), dbPath);
    }

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(u"--port %1 is not a port number"_s.arg(parser.value(portOption)));
    std::int64_t maxBody = 0;
    if (!parseBytes(parser.value(maxBodyOption), &maxBody))
        return fail(u"--max-body %1 is not a positive number of bytes"_s.arg(parser.value(maxBodyOption)));
    QHostAddress address;
    if (!address.setAddress(parser.value(bindOption)))
        return fail(u"--bind %1 is not an IP address"_s.arg(parser.value(bindOption)));
    const int threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || threads < 1 || threads > 256)
        return fail(u"--threads %1 is not a number from 1 to 256"_s.arg(parser.value(threadsOption)));
    ServerLimits limits;
    limits.maxBody = maxBody;
    limits.maxConnections = parser.value(connectionsOption).toInt(&ok);
    if (!ok || limits.maxConnections < 1)
        return fail(u"--max-connections %1 is not a positive number"_s.arg(parser.value(connectionsOption)));
    if (!parseBytes(parser.value(bufferedOption), &limits.maxBufferedBodies))
        return fail(u"--max-buffered %1 is not a positive number of bytes"_s.arg(parser.value(bufferedOption)));
    for (const auto& [option, target] : {std::pair{&headerTimeoutOption, &limits.headerTimeout},
                                         std::pair{&bodyTimeoutOption, &limits.bodyTimeout},
                                         std::pair{&idleTimeoutOption, &limits.idleTimeout}}) {
        if (!parseSeconds(parser.value(*option), target))
            return fail(u"--%1 %2 is not a number of seconds"_s.arg(option->names().constFirst(), parser.value(*option)));
    }

    const QString synchronous = parser.value(syncOption);
    if (synchronous != u"full"_s && synchronous != u"normal"_s)
        return fail(u"--synchronous %1 is neither full nor normal"_s.arg(synchronous));
    const auto durability = synchronous == u"full"_s ? ServerStore::Durability::Full : ServerStore::Durability::Normal;
    HistoryRetention retention;
    retention.days = parser.value(keepDaysOption).toInt(&ok);
    if (!ok || retention.days < 0 || retention.days > 100 * 366)
        return fail(u"--keep-history %1 is not a number of days (0 keeps all)"_s.arg(parser.value(keepDaysOption)));
    retention.revisions = parser.value(keepRevisionsOption).toLongLong(&ok);
    if (!ok || retention.revisions < 0)
        return fail(u"--keep-revisions %1 is not a number of revisions (0 sets no limit)"_s.arg(
            parser.value(keepRevisionsOption)));
    SyncServer server(dbPath, limits, durability, retention); // outlives the listener: its connections use it
    QString error;
    if (!server.attachThread(&error) || !server.startWriter(&error)) // the schema, before listening
        return fail(error);
    HttpListener listener(server);
    if (!listener.listen(address.toString(), static_cast<unsigned short>(port), &error))
        return fail(error);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                              : address.toString();
    std::fprintf(stdout, "listening on http://%s:%u\n", qUtf8Printable(host), unsigned(listener.port()));
    std::fflush(stdout);
    std::fprintf(stderr, "decksync-server: database %s (synchronous %s), request bodies up to %lld bytes, %d threads\n",
                 qUtf8Printable(DatabaseTarget::parse(dbPath).display()), qUtf8Printable(synchronous), static_cast<long long>(maxBody), threads);
    if (!listener.run(threads, &error))
        return fail(error);
    return 0;
}
