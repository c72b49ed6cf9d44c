// SPDX-License-Identifier: MIT
#include "app/server/fleetscan.h"

#include "app/server/datasetrows.h"
#include "app/server/gzip.h"
#include "app/server/itemrows.h"
#include "app/server/serverstore.h"
#include "app/server/syncrun.h"
#include "app/services/bytes.h"

#include "engine/syncbody.h"
#include "engine/syncengine.h"
#include "engine/synctraits.h"

#include <QVariant>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

using namespace Qt::StringLiterals;
using namespace decksync;

const char* lossPatternCode(LossPattern pattern)
{
    switch (pattern) {
    case LossPattern::UnseenDeletion: return "deletion-unseen";
    case LossPattern::TimeSummedTwice: return "progress-double-count";
    case LossPattern::ClockSkew: return "clock-skew";
    }
    return "deletion-unseen";
}

const char* lossPatternTitle(LossPattern pattern)
{
    switch (pattern) {
    case LossPattern::UnseenDeletion: return "deleted, although the device never saw the server's version";
    case LossPattern::TimeSummedTwice: return "study time added up twice";
    case LossPattern::ClockSkew: return "a device's clock ahead of the server's";
    }
    return "";
}

std::optional<LossPattern> lossPatternOf(std::string_view code)
{
    for (const LossPattern p : AllLossPatterns) {
        if (code == lossPatternCode(p))
            return p;
    }
    return std::nullopt;
}

namespace {

/// The largest upload the scan inflates (the server's own limit on a body is smaller).
constexpr qint64 MaxUpload = qint64{1} << 32;

struct UserRef {
    qint64 id = 0;
    QString email;
};

/// What one thread found in its share of the users.
struct Share {
    std::vector<ScannedUser> hit;
    std::vector<QString> problems;
    qint64 syncs = 0;
};

/// The sync again: the upload against `stored`, the items of T as they were before it.
template <class T>
bool replay(Dataset& stored, std::string_view upload, const RevisionRecord& sync, std::vector<ScanFinding>* found,
            QString* why)
{
    Decoded<SyncBody<T>> body = decodeSyncBody<T>(upload);
    if (!body) {
        *why = u"its upload cannot be read: %1"_s.arg(QString::fromStdString(body.error().toString()));
        return false;
    }
    SyncOptions options;
    options.lastSync = body->lastSync;
    options.now = sync.at;
    const SyncEngine engine(options);
    SyncResult<T> result;
    try {
        result = runTypeSync<T>(engine, *body, stored);
    } catch (const std::exception& e) {
        *why = u"the engine failed: %1"_s.arg(QString::fromUtf8(e.what()));
        return false;
    }
    for (Diagnostic& d : result.diagnostics) {
        if (const std::optional<LossPattern> pattern = lossPatternOf(d.code))
            found->push_back({sync.revision, sync.at, sync.device, SyncTraits<T>::type, *pattern,
                              d.item_id.toString(), std::move(d.message)});
    }
    return true;
}

bool replayOne(DataType type, Dataset& stored, std::string_view upload, const RevisionRecord& sync,
               std::vector<ScanFinding>* found, QString* why)
{
    switch (type) {
    case DataType::Decks: return replay<Deck>(stored, upload, sync, found, why);
    case DataType::Achievements: return replay<Achievement>(stored, upload, sync, found, why);
    case DataType::Progress: return replay<Progress>(stored, upload, sync, found, why);
    case DataType::Starred: return replay<StarredDeck>(stored, upload, sync, found, why);
    case DataType::Preferences: return replay<UserPreferences>(stored, upload, sync, found, why);
    }
    return false;
}

/// Every sync of `user` since `since`, run again; what it hit goes into `share`.
void scanUser(ServerStore& store, const UserRef& user, Timestamp since, Share* share)
{
    const auto problem = [&](qint64 revision, const QString& what) {
        share->problems.push_back(revision ? u"%1, revision %2: %3"_s.arg(user.email).arg(revision).arg(what)
                                           : u"%1: %2"_s.arg(user.email, what));
    };
    QString why;
    ServerStore::ReadSnapshot snapshot(store);
    if (!snapshot.begin(&why))
        return problem(0, why);
    ItemRows rows(store, user.id);
    const std::optional<StoredHead> head = rows.head(&why);
    std::vector<RevisionRecord> syncs;
    if (!head || !rows.syncsSince(*head, since, &syncs, &why))
        return problem(0, why);
    ScannedUser scanned{user.id, user.email, {}};
    for (const RevisionRecord& sync : syncs) {
        const std::optional<DataType> type = dataTypeFromName(sync.detail.toStdString());
        if (!type) {
            problem(sync.revision, u"the sync names no data type it knows (\"%1\")"_s.arg(sync.detail));
            continue;
        }
        QByteArray upload;
        if (Gzip::inflate(sync.upload, MaxUpload, &upload) != Gzip::Result::Ok) {
            problem(sync.revision, u"its stored upload is not a gzip stream"_s);
            continue;
        }
        std::vector<StoredItem> before;
        Dataset stored;
        if (!rows.itemsAt(*head, sync.revision - 1, &before, &why, *type)
            || !DatasetRows::decodeRows(before, &stored, &why)
            || !replayOne(*type, stored, bytesView(upload), sync, &scanned.findings, &why)) {
            problem(sync.revision, why);
            continue;
        }
        ++share->syncs;
    }
    if (!scanned.findings.empty())
        share->hit.push_back(std::move(scanned));
}

bool usersSince(ServerStore& store, Timestamp since, std::vector<UserRef>* out, QString* error)
{
    QString why;
    const auto q = store.query(u"SELECT u.id, u.email FROM users u WHERE EXISTS (SELECT 1 FROM revisions r"
                               " WHERE r.user_id = u.id AND r.at_ms >= ? AND r.kind = ?) ORDER BY u.id"_s,
                               {qint64{since.toMilliseconds()}, QString::fromLatin1(revisionKindName(RevisionKind::Sync))},
                               &why);
    if (!q) {
        *error = u"Could not list the users: %1."_s.arg(why);
        return false;
    }
    while (q->next())
        out->push_back({q->value(0).toLongLong(), q->value(1).toString()});
    return true;
}

} // namespace

bool FleetScan::run(const ScanOptions& options, ScanProgress* progress, ScanSummary* out, QString* error)
{
    std::vector<UserRef> users;
    {
        ServerStore store;
        if (!store.open(options.database, error) || !usersSince(store, options.since, &users, error))
            return false;
    }
    const auto total = static_cast<qint64>(users.size());
    const int jobs = std::clamp(options.jobs, 1, 256);
    std::vector<Share> shares(static_cast<std::size_t>(jobs));
    std::vector<QString> openErrors(static_cast<std::size_t>(jobs));
    std::atomic<std::size_t> next{0};
    std::atomic<qint64> done{0};
    std::atomic<int> running{jobs};
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) {
        threads.emplace_back([&, j] {
            const auto at = static_cast<std::size_t>(j);
            {
                ServerStore store; // a connection of this thread's own
                if (store.open(options.database, &openErrors[at])) {
                    for (std::size_t i = next++; i < users.size(); i = next++) {
                        scanUser(store, users[i], options.since, &shares[at]);
                        ++done;
                    }
                }
            }
            --running;
        });
    }
    while (progress && running.load() > 0) {
        progress->scanned(done.load(), total);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (std::thread& t : threads)
        t.join();
    if (progress)
        progress->scanned(done.load(), total);
    for (const QString& e : openErrors) {
        if (!e.isEmpty()) {
            *error = e;
            return false;
        }
    }

    ScanSummary summary;
    summary.users = total;
    for (Share& s : shares) {
        summary.syncs += s.syncs;
        std::move(s.hit.begin(), s.hit.end(), std::back_inserter(summary.hit));
        std::move(s.problems.begin(), s.problems.end(), std::back_inserter(summary.problems));
    }
    std::sort(summary.hit.begin(), summary.hit.end(), [](const ScannedUser& a, const ScannedUser& b) {
        const int c = a.email.compare(b.email, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a.id < b.id;
    });
    std::sort(summary.problems.begin(), summary.problems.end());
    *out = std::move(summary);
    return true;
}
