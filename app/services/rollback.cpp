// SPDX-License-Identifier: MIT
#include "app/services/rollback.h"

#include "app/services/bytes.h"

#include "app/services/applywriter.h"
#include "engine/datasetdiff.h"

#include <QCryptographicHash>
#include <QFile>

#include <utility>

using namespace Qt::StringLiterals;

namespace {

/// The file's bytes, or an empty array when it does not exist.
QByteArray currentBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool differsFrom(const QByteArray& bytes, const QByteArray& sha256)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256) != sha256;
}

QString changeText(const QByteArray& now, const QByteArray& restored)
{
    const auto text = decksync::describeDocumentChanges(bytesView(now), bytesView(restored));
    return text ? QString::fromStdString(*text) : QObject::tr("the file is replaced with its earlier bytes");
}

} // namespace

Outcome<RollbackPlan> planRollback(const QString& historyPath, qint64 id)
{
    HistoryStore store;
    if (const Outcome<> opened = store.open(historyPath); !opened)
        return opened.failure();
    Outcome<HistoryRecord> record = store.load(id);
    if (!record)
        return record.failure(); // names the record and why: missing, unreadable or damaged
    if (record->rolledBackBy != 0)
        return fail(QObject::tr("Record #%1 was already rolled back by #%2.").arg(id).arg(record->rolledBackBy));
    RollbackPlan plan;
    const QByteArray local = currentBytes(record->localSource);
    plan.localChanged = differsFrom(local, record->localAfterSha256);
    plan.localChange = changeText(local, record->localBefore);
    if (record->serverRevisionAfter >= 0) {
        // A live server: If-Match decides whether it moved on; describe it as the run left it.
        plan.serverChange = changeText(record->serverAfter, record->serverBefore);
    } else {
        const QByteArray server = currentBytes(record->serverSource);
        plan.serverChanged = differsFrom(server, record->serverAfterSha256);
        plan.serverChange = changeText(server, record->serverBefore);
    }
    plan.record = std::move(*record);
    return plan;
}

void RollbackPlan::setServerNow(const QByteArray& document, qint64 revision)
{
    serverRevisionNow = revision;
    serverMoved = revision != record.serverRevisionAfter;
    if (!serverMoved)
        return;
    serverNow = document;
    serverChanged = true;
    serverChange = changeText(document, record.serverBefore);
    serverMovedBy = changeText(record.serverAfter, document);
}

namespace {

/// The record of rolling back `r`, with the current bytes of both sides.
HistoryRecord rollbackRecord(const HistoryRecord& r, const QByteArray& localNow, const QByteArray& serverNow,
                             const QString& user)
{
    HistoryRecord rollback;
    rollback.recordedAt = QDateTime::currentDateTimeUtc();
    rollback.kind = RunKind::Rollback;
    rollback.localSource = r.localSource;
    rollback.serverSource = r.serverSource;
    rollback.profile = r.profile;
    rollback.lastSync = r.lastSync;
    rollback.now = r.now;
    rollback.user = user.isEmpty() ? loginName() : user;
    rollback.statsJson = u"{}"_s;
    rollback.resolutionsJson = u"[]"_s;
    rollback.localBefore = localNow;
    rollback.serverBefore = serverNow;
    rollback.localAfter = r.localBefore;
    rollback.serverAfter = r.serverBefore;
    rollback.localAfterSha256 = QCryptographicHash::hash(r.localBefore, QCryptographicHash::Sha256);
    rollback.serverAfterSha256 = QCryptographicHash::hash(r.serverBefore, QCryptographicHash::Sha256);
    rollback.rollbackOf = r.id;
    // The prior state comes from the bytes the caller read just now, not from a second read.
    const auto prior = [](const QString& path, const QByteArray& now) {
        return QFile::exists(path) ? QCryptographicHash::hash(now, QCryptographicHash::Sha256) : QByteArray();
    };
    rollback.localPriorSha256 = prior(r.localSource, localNow);
    if (r.serverRevisionAfter < 0)
        rollback.serverPriorSha256 = prior(r.serverSource, serverNow);
    rollback.pending = true; // until the files are in place
    return rollback;
}

/// The beforeRename of a rollback: appends `rollback` (marking the run it undid; undoing a
/// rollback puts the run it undid back into force, in the same transaction) and keeps its id
/// in `*id`.
std::function<Outcome<>()> recordRollback(const QString& historyPath, const HistoryRecord& rollback, qint64* id)
{
    return [&historyPath, &rollback, id]() -> Outcome<> {
        HistoryStore store;
        if (const Outcome<> opened = store.open(historyPath); !opened)
            return opened;
        const Outcome<qint64> added = store.appendRollback(rollback);
        if (!added)
            return added.failure();
        *id = *added;
        return {};
    };
}

} // namespace

Outcome<RolledBack> finishRemoteRollback(const QString& historyPath, const RollbackPlan& plan, qint64 serverRevision,
                                         const QString& user)
{
    const HistoryRecord& r = plan.record;
    RolledBack out{0, r.localSource, r.serverSource};
    // If-Match succeeded, so the server held exactly what the run left there, or what it was
    // asked over.
    HistoryRecord rollback =
        rollbackRecord(r, currentBytes(r.localSource), plan.serverMoved ? plan.serverNow : r.serverAfter, user);
    rollback.serverRevisionAfter = serverRevision;
    // The server is rolled back already: if the local file cannot be written now, the record
    // stays pending and the next start writes it, as after a crash.
    const Outcome<> done = writeLocalFileAfterServer({r.localSource, r.localBefore},
                                                     recordRollback(historyPath, rollback, &out.historyId),
                                                     [&] { markWritten(historyPath, out.historyId); });
    if (!done)
        return fail(QObject::tr("The server was rolled back (revision %1), but %2 was not: %3.")
                        .arg(serverRevision)
                        .arg(r.localSource, done.error())
                    + (out.historyId > 0
                           ? QObject::tr(" The history keeps the rollback as pending: the next start writes the file.")
                           : QString()));
    return out;
}

Outcome<RolledBack> executeRollback(const QString& historyPath, const RollbackPlan& plan, bool overwriteChanged,
                                    const QString& user)
{
    const HistoryRecord& r = plan.record;
    RolledBack out{0, r.localSource, r.serverSource};
    const QByteArray local = currentBytes(r.localSource);
    const QByteArray server = currentBytes(r.serverSource);
    const bool changed = differsFrom(local, r.localAfterSha256) || differsFrom(server, r.serverAfterSha256);
    if (changed && !overwriteChanged)
        return fail(QObject::tr("A file changed since sync #%1 wrote it; nothing was overwritten.").arg(r.id));
    const HistoryRecord rollback = rollbackRecord(r, local, server, user);
    // Each target must still hold what was just read and judged: a change in between is not
    // overwritten.
    const auto target = [](const QString& path, const QByteArray& restored, const QByteArray& now) {
        FileContent f{path, restored};
        f.checkPrior = true;
        if (QFile::exists(path))
            f.prior = decksync::ContentStamp::of(bytesView(now));
        return f;
    };
    QString notRemoved;
    const Outcome<> done = writeFilesAtomically(
        {target(r.serverSource, r.serverBefore, server), target(r.localSource, r.localBefore, local)},
        recordRollback(historyPath, rollback, &out.historyId), [&] { markWritten(historyPath, out.historyId); },
        [&] {
            if (const Outcome<> removed = discardPending(historyPath, std::exchange(out.historyId, 0)); !removed)
                notRemoved = u" "_s + removed.error();
        });
    if (!done) {
        Failure failure = done.failure();
        failure.message += notRemoved;
        return failure;
    }
    return out;
}
