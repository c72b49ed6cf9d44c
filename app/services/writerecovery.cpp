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

using namespace Qt::StringLiterals;

namespace {

/// One file a record wrote: where, and what it held before and after.
struct Target {
    QString path;
    const QByteArray* before;
    const QByteArray* after;
    QByteArray afterSha256;
};

QList<Target> targetsOf(const HistoryRecord& r)
{
    QList<Target> out;
    if (!r.localSource.isEmpty())
        out.append({r.localSource, &r.localBefore, &r.localAfter, r.localAfterSha256});
    // A run against a live server wrote only the local file; the server took its part.
    if (r.serverRevisionAfter < 0 && !r.serverSource.isEmpty())
        out.append({r.serverSource, &r.serverBefore, &r.serverAfter, r.serverAfterSha256});
    return out;
}

enum class State { InPlace, Missing, Before, Changed };

State stateOf(const Target& t)
{
    QFile f(t.path);
    if (!f.exists())
        return State::Missing;
    if (!f.open(QIODevice::ReadOnly))
        return State::Changed; // unreadable: not ours to overwrite
    const QByteArray bytes = f.readAll();
    if (QCryptographicHash::hash(bytes, QCryptographicHash::Sha256) == t.afterSha256)
        return State::InPlace;
    return bytes == *t.before ? State::Before : State::Changed;
}

} // namespace

RecoveryReport finishInterruptedWrites(const QString& historyPath, std::chrono::seconds staleAfter)
{
    RecoveryReport report;
    if (historyPath.isEmpty() || !QFileInfo::exists(historyPath))
        return report;
    HistoryStore store;
    if (!store.open(historyPath, &report.error))
        return report;

    QSet<QString> targets;
    const QList<HistorySummary> newest = store.list();
    if (!newest.isEmpty()) {
        if (const auto r = store.load(newest.front().id)) {
            for (const Target& t : targetsOf(*r))
                targets.insert(t.path);
        }
    }
    for (const qint64 id : store.pendingIds()) {
        const std::optional<HistoryRecord> r = store.load(id);
        if (!r) {
            report.leftAlone.append(QObject::tr("Record %1 is pending but cannot be read.").arg(id));
            continue;
        }
        QList<FileContent> toWrite;
        QStringList changed;
        for (const Target& t : targetsOf(*r)) {
            targets.insert(t.path);
            switch (stateOf(t)) {
            case State::InPlace: break;
            case State::Missing:
            case State::Before: toWrite.append({t.path, *t.after}); break;
            case State::Changed: changed.append(t.path); break;
            }
        }
        if (!changed.isEmpty()) {
            report.leftAlone.append(QObject::tr("Record %1 (%2) was interrupted, and %3 changed since: left as it is.")
                                        .arg(id)
                                        .arg(r->kind, changed.join(u", "_s)));
            continue;
        }
        QString error;
        if (!toWrite.isEmpty() && !writeFilesAtomically(toWrite, {}, {}, &error)) {
            report.leftAlone.append(QObject::tr("Record %1 (%2) could not be finished: %3").arg(id).arg(r->kind, error));
            continue;
        }
        if (!store.markWritten(id, &error)) {
            report.leftAlone.append(error);
            continue;
        }
        QStringList written;
        for (const FileContent& f : toWrite)
            written.append(f.path);
        report.finished.append(written.isEmpty()
                                   ? QObject::tr("Record %1 (%2) was interrupted after its files were in place.")
                                         .arg(id)
                                         .arg(r->kind)
                                   : QObject::tr("Record %1 (%2) was interrupted: wrote %3.")
                                         .arg(id)
                                         .arg(r->kind, written.join(u", "_s)));
    }
    for (const QString& t : std::as_const(targets))
        decksync::removeStaleTemporaries(t.toStdString(), staleAfter);
    return report;
}
