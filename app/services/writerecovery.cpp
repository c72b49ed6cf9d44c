// SPDX-License-Identifier: MIT
#include "app/services/writerecovery.h"

#include "app/services/applywriter.h"
#include "app/services/historystore.h"
#include "engine/fileio.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

/// One file a record wrote: where, what it held just before (SHA-256, empty: missing) and
/// what it holds after.
struct Target {
    QString path;
    QByteArray priorSha256;
    const QByteArray* after;
    QByteArray afterSha256;
};

/// A run against a live server wrote only the local file; the server took its part. A server
/// source that names a URL is a live server even without a recorded revision.
bool wentToServer(const QString& serverSource, qint64 serverRevisionAfter)
{
    return serverRevisionAfter >= 0 || serverSource.startsWith(u"http://"_s) || serverSource.startsWith(u"https://"_s);
}

QList<Target> targetsOf(const HistoryRecord& r)
{
    QList<Target> out;
    if (!r.localSource.isEmpty())
        out.append({r.localSource, r.localPriorSha256, &r.localAfter, r.localAfterSha256});
    if (!wentToServer(r.serverSource, r.serverRevisionAfter) && !r.serverSource.isEmpty())
        out.append({r.serverSource, r.serverPriorSha256, &r.serverAfter, r.serverAfterSha256});
    return out;
}

/// The newest record after `id` that wrote one of `paths`, or 0.
qint64 supersededBy(const QList<HistorySummary>& newestFirst, qint64 id, const QList<Target>& targets)
{
    for (const HistorySummary& s : newestFirst) {
        if (s.id <= id)
            break;
        for (const Target& t : targets) {
            if (s.localSource == t.path || s.serverSource == t.path)
                return s.id;
        }
    }
    return 0;
}

enum class State { InPlace, Prior, Changed };

State stateOf(const Target& t)
{
    if (!QFile::exists(t.path)) // missing now: it must have been missing before too
        return t.priorSha256.isEmpty() ? State::Prior : State::Changed;
    const QByteArray sha = priorSha256(t.path);
    if (sha.isEmpty())
        return State::Changed; // unreadable: not ours to overwrite
    if (sha == t.afterSha256)
        return State::InPlace;
    return sha == t.priorSha256 ? State::Prior : State::Changed;
}

} // namespace

Outcome<RecoveryReport> finishInterruptedWrites(const QString& historyPath, std::chrono::seconds staleAfter)
{
    RecoveryReport report;
    if (historyPath.isEmpty() || !QFileInfo::exists(historyPath))
        return report;
    HistoryStore store;
    if (const Outcome<> opened = store.open(historyPath); !opened)
        return opened.failure();
    Outcome<QList<HistorySummary>> listed = store.list();
    if (!listed)
        return listed.failure();
    const Outcome<QList<qint64>> pending = store.pendingIds();
    if (!pending)
        return pending.failure();

    QSet<QString> targets;
    QList<HistorySummary> newest = std::move(listed).value();
    std::sort(newest.begin(), newest.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    if (!newest.isEmpty()) { // its paths are in the summary: no need to load its datasets
        const HistorySummary& last = newest.front();
        for (const QString& path : {last.localSource, last.serverSource}) {
            if (!path.isEmpty() && !wentToServer(path, -1))
                targets.insert(path);
        }
    }
    for (const qint64 id : *pending) {
        const Outcome<HistoryRecord> r = store.load(id);
        if (!r) {
            report.leftAlone.append(QObject::tr("Record %1 is pending but cannot be read: %2").arg(id).arg(r.error()));
            continue;
        }
        // A later run wrote the same files: what they hold is that run's business, not this one's.
        if (const qint64 later = supersededBy(newest, id, targetsOf(*r))) {
            if (const Outcome<> marked = store.markWritten(id); marked)
                report.finished.append(
                    QObject::tr("Record %1 (%2) was interrupted; record %3 wrote its files since: nothing written.")
                        .arg(id)
                        .arg(runKindName(r->kind))
                        .arg(later));
            else
                report.leftAlone.append(marked.error());
            continue;
        }
        QList<FileContent> toWrite;
        QStringList changed;
        for (const Target& t : targetsOf(*r)) {
            targets.insert(t.path);
            switch (stateOf(t)) {
            case State::InPlace: break;
            case State::Prior: toWrite.append({t.path, *t.after}); break;
            case State::Changed: changed.append(t.path); break;
            }
        }
        if (!changed.isEmpty()) {
            report.leftAlone.append(QObject::tr("Record %1 (%2) was interrupted, and %3 changed since: left as it is.")
                                        .arg(id)
                                        .arg(runKindName(r->kind), changed.join(u", "_s)));
            continue;
        }
        if (!toWrite.isEmpty()) {
            if (const Outcome<> done = writeFilesAtomically(toWrite); !done) {
                report.leftAlone.append(QObject::tr("Record %1 (%2) could not be finished: %3")
                                            .arg(id)
                                            .arg(runKindName(r->kind), done.error()));
                continue;
            }
        }
        if (const Outcome<> marked = store.markWritten(id); !marked) {
            report.leftAlone.append(marked.error());
            continue;
        }
        QStringList written;
        for (const FileContent& f : toWrite)
            written.append(f.path);
        report.finished.append(written.isEmpty()
                                   ? QObject::tr("Record %1 (%2) was interrupted after its files were in place.")
                                         .arg(id)
                                         .arg(runKindName(r->kind))
                                   : QObject::tr("Record %1 (%2) was interrupted: wrote %3.")
                                         .arg(id)
                                         .arg(runKindName(r->kind), written.join(u", "_s)));
    }
    for (const QString& t : std::as_const(targets))
        decksync::removeStaleTemporaries(t.toStdString(), staleAfter);
    return report;
}
