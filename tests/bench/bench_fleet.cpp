// SPDX-License-Identifier: MIT
// The fleet scan at scale: writes a server database of N users, each with a few syncs made by
// the server's own sync handler (no HTTP: the scan is what is measured), one user in 100 with
// an unseen deletion, one in 200 with study time summed twice and one in 200 with a clock in
// 2099; then runs `decksync-server scan --json` on it with 1 and with 2 jobs, and prints the
// time, the users per second and the scan's peak memory, and checks that it found exactly the
// users it was given.
//
//   bench-fleet --server build/release/app/decksync-server [--users 100000] [--decks 20]
//               [--db FILE|postgresql://... | --postgresql] [--jobs 1,2]
// --postgresql writes to a PostgreSQL 15 cluster that it starts (as the tests do) and stops.
#include "../pgcluster.h"

#include "app/server/apirequest.h"
#include "app/server/serverstore.h"
#include "app/server/syncapi.h"

#include "engine/timestamp.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace Qt::StringLiterals;
using namespace decksync;

namespace {

using Clock = std::chrono::steady_clock;

QByteArray uuid(unsigned user, unsigned item)
{
    char out[40];
    std::snprintf(out, sizeof out, "%08x-0000-4000-8000-%012x", user, item);
    return out;
}

QByteArray deckJson(unsigned user, unsigned n, const char* updatedAt, int version)
{
    return "{\"id\":\"" + uuid(user, n) + "\",\"user_id\":\"" + uuid(user, 0)
        + "\",\"title\":\"Deck " + QByteArray::number(n) + "\",\"description\":null,\"content\":\"front;back\\nq;a\","
          "\"created_at\":\"2024-01-01T08:00:00Z\",\"updated_at\":\"" + updatedAt + "\",\"version\":"
        + QByteArray::number(version) + '}';
}

QByteArray progressJson(unsigned user, const char* lastStudied, int version)
{
    return "{\"id\":\"" + uuid(user, 9999) + "\",\"user_id\":\"" + uuid(user, 0) + "\",\"deck_id\":\"" + uuid(user, 1)
        + "\",\"cards_studied\":8,\"cards_mastered\":5,\"total_cards\":20,\"last_studied\":\"" + lastStudied
        + "\",\"streak_days\":3,\"total_time_spent\":100,\"version\":" + QByteArray::number(version) + '}';
}

QByteArray body(const QList<QByteArray>& items, const char* lastSync)
{
    QByteArray b = "{\"data\":[" + items.join(',') + "],\"last_sync\":";
    b += lastSync ? '"' + QByteArray(lastSync) + '"' : QByteArray("null");
    return b + '}';
}

enum class Shape { Plain, UnseenDeletion, TimeSummedTwice, ClockSkew };

Shape shapeOf(unsigned user)
{
    if (user % 100 == 0)
        return Shape::UnseenDeletion;
    if (user % 200 == 1)
        return Shape::TimeSummedTwice;
    if (user % 200 == 2)
        return Shape::ClockSkew;
    return Shape::Plain;
}

/// The syncs of one user: (type, body, device).
std::vector<std::tuple<DataType, QByteArray, QByteArray>> syncsOf(unsigned user, unsigned decks)
{
    QList<QByteArray> all;
    for (unsigned n = 1; n <= decks; ++n)
        all << deckJson(user, n, "2024-01-01T10:00:00Z", 1);
    std::vector<std::tuple<DataType, QByteArray, QByteArray>> out;
    out.emplace_back(DataType::Decks, body(all, nullptr), "phone");
    switch (shapeOf(user)) {
    case Shape::Plain: {
        QList<QByteArray> edited = all;
        edited[0] = deckJson(user, 1, "2024-01-05T10:00:00Z", 2);
        out.emplace_back(DataType::Decks, body(edited, "2024-01-02T00:00:00Z"), "tablet");
        break;
    }
    case Shape::UnseenDeletion: {
        QList<QByteArray> edited = all;
        edited[1] = deckJson(user, 2, "2024-01-05T10:00:00Z", 2);
        out.emplace_back(DataType::Decks, body(edited, "2024-01-02T00:00:00Z"), "tablet");
        QList<QByteArray> without = all;
        without.removeAt(1);
        out.emplace_back(DataType::Decks, body(without, "2024-01-03T00:00:00Z"), "phone");
        break;
    }
    case Shape::TimeSummedTwice:
        out.emplace_back(DataType::Progress, body({progressJson(user, "2024-01-02T10:00:00Z", 1)}, nullptr), "phone");
        out.emplace_back(DataType::Progress,
                         body({progressJson(user, "2024-01-04T10:00:00Z", 2)}, "2024-01-03T00:00:00Z"), "phone");
        break;
    case Shape::ClockSkew:
        out.emplace_back(DataType::Decks, body(all + QList<QByteArray>{deckJson(user, decks + 1, "2099-01-01T00:00:00Z", 1)},
                                               "2024-01-02T00:00:00Z"),
                         "phone");
        break;
    }
    return out;
}

bool populate(const QString& db, unsigned users, unsigned decks, qint64* syncs, QString* error)
{
    ServerStore store(std::make_shared<std::mutex>(), ServerStore::Durability::Normal, HistoryRetention{0, 0});
    if (!store.open(db, error))
        return false;
    constexpr unsigned Group = 500;
    for (unsigned first = 0; first < users; first += Group) {
        if (!store.beginGroup(error))
            return false;
        for (unsigned u = first; u < std::min(users, first + Group); ++u) {
            const QString email = u"user%1@example.com"_s.arg(u, 6, 10, QChar(u'0'));
            const QByteArray token = QCryptographicHash::hash(email.toUtf8(), QCryptographicHash::Sha256);
            if (!store.addUser(email, u"user"_s, token, error))
                return false;
            const std::optional<ServerUser> user = store.userByEmail(email, error);
            if (!user)
                return false;
            for (auto& [type, payload, device] : syncsOf(u, decks)) {
                ApiRequest request;
                request.method = u"POST"_s;
                request.path = u"/sync/"_s + QLatin1String(dataTypeName(type));
                request.body = payload;
                request.caller = *user;
                request.target = *user;
                request.deviceId = device;
                request.now = systemNow();
                const ApiResponse r = SyncApi::sync(store, request, type);
                if (r.status != 200) {
                    *error = u"the sync of %1 was answered %2: %3"_s.arg(email).arg(r.status).arg(
                        QString::fromUtf8(r.body));
                    return false;
                }
                ++*syncs;
            }
        }
        if (!store.commitGroup(error))
            return false;
        if (isatty(STDERR_FILENO))
            std::fprintf(stderr, "\rwrote %u of %u users", std::min(users, first + Group), users);
    }
    if (isatty(STDERR_FILENO))
        std::fputs("\n", stderr);
    return true;
}

struct Measured {
    int status = -1;
    double seconds = 0;
    long peakKb = 0;
};

/// Runs `argv` with stdout into `outPath`; its wall time and peak resident memory.
Measured runChild(const std::vector<std::string>& args, const std::string& outPath)
{
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (outPath + ".log").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    Measured m;
    const auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
        return m;
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.peakKb = usage.ru_maxrss;
    posix_spawn_file_actions_destroy(&actions);
    return m;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Measures decksync-server scan on a database of generated users."_s);
    parser.addHelpOption();
    const QCommandLineOption serverOption(u"server"_s, u"The decksync-server binary."_s, u"path"_s);
    const QCommandLineOption usersOption(u"users"_s, u"Users to write (default 100000)."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption decksOption(u"decks"_s, u"Decks per user (default 20)."_s, u"n"_s, u"20"_s);
    const QCommandLineOption dbOption(u"db"_s, u"The database to write (default: a new SQLite file in a temporary folder); "
                                               "a PostgreSQL database must be empty."_s, u"file|url"_s);
    const QCommandLineOption jobsOption(u"jobs"_s, u"The --jobs values to measure (default 1,2)."_s, u"list"_s, u"1,2"_s);
    const QCommandLineOption postgresOption(u"postgresql"_s, u"Write to a PostgreSQL 15 cluster started for the run."_s);
    parser.addOptions({serverOption, usersOption, decksOption, dbOption, jobsOption, postgresOption});
    parser.process(app);
    if (!parser.isSet(serverOption)) {
        std::fprintf(stderr, "bench-fleet: --server PATH (the decksync-server binary) is needed\n");
        return 2;
    }
    const unsigned users = parser.value(usersOption).toUInt();
    const unsigned decks = std::max(2u, parser.value(decksOption).toUInt());
    QTemporaryDir dir;
    PgCluster cluster;
    QString db = parser.isSet(dbOption) ? parser.value(dbOption) : dir.filePath(u"fleet.sqlite"_s);
    if (parser.isSet(postgresOption)) {
        const QString why = cluster.start();
        db = why.isEmpty() ? cluster.database() : QString();
        if (db.isEmpty()) {
            std::fprintf(stderr, "bench-fleet: no PostgreSQL cluster: %s\n", qUtf8Printable(why));
            return 1;
        }
    }

    qint64 syncs = 0;
    QString error;
    const auto writeStart = Clock::now();
    if (!populate(db, users, decks, &syncs, &error)) {
        std::fprintf(stderr, "bench-fleet: %s\n", qUtf8Printable(error));
        return 1;
    }
    const double writeSeconds = std::chrono::duration<double>(Clock::now() - writeStart).count();
    unsigned expectedHits = 0;
    for (unsigned u = 0; u < users; ++u)
        expectedHits += shapeOf(u) != Shape::Plain ? 1 : 0;
    std::printf("fleet: %u users, %u decks each, %lld syncs written in %.1f s", users, decks,
                static_cast<long long>(syncs), writeSeconds);
    if (!db.startsWith(u"postgresql://"_s))
        std::printf(" (SQLite file %.0f MB)", double(QFile(db).size()) / 1e6);
    std::printf("\n%-6s %10s %12s %12s %10s %s\n", "jobs", "seconds", "users/s", "syncs/s", "peak MB", "users hit");
    int failures = 0;
    for (const QString& jobs : parser.value(jobsOption).split(u','))
    {
        const std::string out = dir.filePath(u"scan-%1.json"_s.arg(jobs)).toStdString();
        const Measured m = runChild({parser.value(serverOption).toStdString(), "scan", "--db", db.toStdString(),
                                     "--since", "2000-01-01T00:00:00Z", "--json", "--jobs", jobs.toStdString()},
                                    out);
        QFile file(QString::fromStdString(out));
        const QJsonObject result = file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                                                   : QJsonObject();
        const qint64 hit = result[u"users_hit"_s].toInteger(-1);
        const qint64 scanned = result[u"syncs_scanned"_s].toInteger(-1);
        std::printf("%-6s %10.2f %12.0f %12.0f %10.0f %lld%s\n", qPrintable(jobs), m.seconds, users / m.seconds,
                    double(scanned) / m.seconds, double(m.peakKb) / 1024.0, static_cast<long long>(hit),
                    m.status == 0 && hit == expectedHits && scanned == syncs ? "" : "  (WRONG: see below)");
        if (m.status != 0 || hit != expectedHits || scanned != syncs) {
            std::printf("  exit %d, expected %u users hit and %lld syncs scanned, got %lld and %lld\n", m.status,
                        expectedHits, static_cast<long long>(syncs), static_cast<long long>(hit),
                        static_cast<long long>(scanned));
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
