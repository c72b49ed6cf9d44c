// SPDX-License-Identifier: MIT
#include "app/services/applywriter.h"

#include "app/services/bytes.h"
#include "app/services/historystore.h"
#include "app/services/sideloader.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/reportcodec.h"
#include "engine/resolutioncodec.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <utility>
#include <vector>

#include <pwd.h>    // getpwuid
#include <unistd.h> // getuid

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

QByteArray toBytes(const std::string& s) { return QByteArray(s.data(), static_cast<qsizetype>(s.size())); }

int totalConflicts(const DatasetSyncResult& r)
{
    std::size_t n = 0;
    for (DataType t : AllDataTypes)
        n += r.conflictCount(t);
    return static_cast<int>(n);
}

} // namespace

QString loginName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (user.isEmpty()) {
        if (const passwd* pw = ::getpwuid(::getuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
    return user.isEmpty() ? u"unknown"_s : user;
}

QString statsJson(const DatasetSyncResult& result)
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    for (DataType t : AllDataTypes) {
        w.key(dataTypeName(t));
        codec::writeStats(w, result.stats(t));
    }
    w.endObject();
    w.finish(false);
    return QString::fromStdString(out);
}

namespace {

/// writeFilesAtomically() and writeLocalFileAfterServer(): the commit, as the engine reports it.
CommitResult commitFiles(const QList<FileContent>& files, const std::function<Outcome<>()>& beforeRename,
                         const std::function<void()>& afterRename, const std::function<void()>& afterRestore)
{
    std::vector<std::string> targets;
    for (const FileContent& f : files)
        targets.push_back(f.path.toStdString());
    FileCommit commit(std::move(targets));
    CommitResult result;
    if (!commit.open(&result.error))
        return result;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const auto at = static_cast<std::size_t>(i);
        commit.sink(at).write(bytesView(files[i].bytes));
        if (files[i].checkPrior)
            commit.expect(at, files[i].prior);
    }
    CommitHooks hooks;
    if (beforeRename)
        hooks.beforeReplace = [&beforeRename](const std::vector<CommitEntry>&, std::string* error) {
            const Outcome<> recorded = beforeRename();
            if (!recorded)
                *error = recorded.error().toStdString();
            return recorded.ok();
        };
    hooks.afterReplace = afterRename;
    hooks.afterRestore = afterRestore;
    return commit.commit(hooks);
}

Outcome<> toOutcome(const CommitResult& done, const std::string& message)
{
    if (done.ok())
        return {};
    if (done.status == CommitResult::Status::TargetChanged) {
        QStringList changed;
        for (const std::string& path : done.changed)
            changed.append(QString::fromStdString(path));
        return fail(Failure::Kind::TargetsChanged, QString::fromStdString(message), changed);
    }
    return fail(QString::fromStdString(message));
}

} // namespace

Outcome<> writeFilesAtomically(const QList<FileContent>& files, const std::function<Outcome<>()>& beforeRename,
                               const std::function<void()>& afterRename, const std::function<void()>& afterRestore)
{
    const CommitResult done = commitFiles(files, beforeRename, afterRename, afterRestore);
    return toOutcome(done, done.error);
}

Outcome<> writeLocalFileAfterServer(const FileContent& file, const std::function<Outcome<>()>& beforeRename,
                                    const std::function<void()>& afterRename)
{
    const CommitResult done = commitFiles({file}, beforeRename, afterRename, {});
    return toOutcome(done, done.failure.empty() ? done.error : done.failure);
}

FileContent applyTarget(const ApplyRequest& request, const QString& path, const QByteArray& bytes)
{
    FileContent f{path, bytes};
    if (request.overwriteChanged)
        return f;
    const QString canonical = QFileInfo(path).absoluteFilePath();
    for (const LoadedSide* side : {request.localBefore.get(), request.serverBefore.get()}) {
        if (side && side->revision < 0 && QFileInfo(side->path).absoluteFilePath() == canonical) {
            f.checkPrior = true;
            f.prior = side->stamp;
        }
    }
    return f;
}

QByteArray priorSha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result();
}

Outcome<> discardPending(const QString& historyPath, qint64 id)
{
    if (historyPath.isEmpty() || id <= 0)
        return {};
    HistoryStore store;
    Outcome<> removed = store.open(historyPath);
    if (removed)
        removed = store.discardPending(id);
    if (removed)
        return {};
    return fail(QObject::tr("Its history record #%1 could not be removed (%2), so the next start will finish the write.")
                    .arg(id)
                    .arg(removed.error()));
}

void markWritten(const QString& historyPath, qint64 id)
{
    if (historyPath.isEmpty() || id <= 0)
        return;
    HistoryStore store;
    Outcome<> marked = store.open(historyPath);
    if (marked)
        marked = store.markWritten(id);
    if (!marked)
        qWarning("%ls", qUtf16Printable(marked.error()));
}

Outcome<PreparedApply> prepareApply(const ApplyRequest& request, ProgressObserver& progress)
{
    PreparedApply out;
    std::vector<std::string> problems;
    const Dataset server = request.snapshot->resolvedServerState(request.resolutions, &problems);
    if (!problems.empty()) {
        QString error = QObject::tr("%n resolution(s) cannot be applied:", nullptr, static_cast<int>(problems.size()));
        for (const std::string& p : problems)
            error += u"\n"_s + QString::fromStdString(p);
        return fail(error);
    }
    const Dataset local = request.snapshot->resolvedLocalState(server);
    progress.setProgress(0.2);
    if (progress.isCancelled())
        throw OperationCancelled{};
    out.serverBytes = toBytes(codec::encodeDataset(server));
    out.localBytes = toBytes(codec::encodeDataset(local));
    progress.setProgress(0.5);
    return out;
}

namespace {

/// What the history records as a side's bytes before the sync: those that were loaded. A
/// large file keeps them on disk only (LoadedSide::onDisk); when the person chose to write
/// over such a file after another program changed it, the record has what it held just
/// before this write, which is what a rollback of this run puts back.
Outcome<QByteArray> bytesBefore(const LoadedSide& side, bool overwriteChanged)
{
    Outcome<QByteArray> loaded = side.exactBytes();
    if (!loaded && loaded.kind() == Failure::Kind::TargetsChanged && overwriteChanged)
        return sideloader::readWholeFile(side.path);
    return loaded;
}

} // namespace

Outcome<qint64> recordSync(const ApplyRequest& request, const PreparedApply& prepared, qint64 serverRevisionAfter)
{
    if (request.historyPath.isEmpty())
        return qint64(0);
    HistoryStore store;
    if (const Outcome<> opened = store.open(request.historyPath); !opened)
        return opened.failure();
    const DatasetSyncResult& result = request.snapshot->result();
    const SyncOptions& options = request.snapshot->options();
    HistoryRecord r;
    r.recordedAt = QDateTime::currentDateTimeUtc();
    r.kind = RunKind::Sync;
    // Absolute, so that a recovery or rollback started from another folder finds the files.
    r.localSource = request.localOut.isEmpty() ? QString() : QFileInfo(request.localOut).absoluteFilePath();
    r.serverSource = serverRevisionAfter >= 0 || request.serverOut.isEmpty()
        ? request.serverOut
        : QFileInfo(request.serverOut).absoluteFilePath();
    r.profile = QString::fromUtf8(profileName(options.profile));
    r.lastSync = options.lastSync ? QString::fromStdString(options.lastSync->toString()) : QString();
    r.now = QString::fromStdString(options.now.toString());
    r.user = request.user.isEmpty() ? loginName() : request.user;
    r.statsJson = statsJson(result);
    r.conflicts = totalConflicts(result);
    r.manualResolutions = static_cast<int>(request.resolutions.size());
    r.resolutionsJson = QString::fromStdString(codec::encodeResolutions(request.resolutions));
    for (auto [side, into] : {std::pair{request.localBefore.get(), &r.localBefore},
                              std::pair{request.serverBefore.get(), &r.serverBefore}}) {
        Outcome<QByteArray> bytes = bytesBefore(*side, request.overwriteChanged);
        if (!bytes)
            return bytes.failure();
        *into = std::move(*bytes);
    }
    r.localAfter = prepared.localBytes;
    r.serverAfter = prepared.serverBytes;
    r.localAfterSha256 = QCryptographicHash::hash(prepared.localBytes, QCryptographicHash::Sha256);
    r.serverAfterSha256 = QCryptographicHash::hash(prepared.serverBytes, QCryptographicHash::Sha256);
    r.serverRevisionAfter = serverRevisionAfter;
    r.localPriorSha256 = priorSha256(r.localSource);
    if (serverRevisionAfter < 0)
        r.serverPriorSha256 = priorSha256(r.serverSource);
    r.pending = true; // until both files are in place
    return store.append(r);
}

namespace {

/// The beforeRename of an Apply: records the run as pending and keeps its id in `run`.
std::function<Outcome<>()> recordInto(AppliedRun& run, const ApplyRequest& request, const PreparedApply& prepared,
                                      qint64 serverRevisionAfter = -1)
{
    return [&run, &request, &prepared, serverRevisionAfter]() -> Outcome<> {
        const Outcome<qint64> id = recordSync(request, prepared, serverRevisionAfter);
        if (!id)
            return id.failure();
        run.historyId = *id;
        return {};
    };
}

} // namespace

Outcome<AppliedRun> writeApply(const ApplyRequest& request, ProgressObserver& progress)
{
    AppliedRun out{0, request.serverOut, request.localOut};
    const Outcome<PreparedApply> prepared = prepareApply(request, progress);
    if (!prepared)
        return prepared.failure();
    const auto written = [&] { markWritten(request.historyPath, out.historyId); };
    QString notRemoved;
    const auto putBack = [&] {
        if (const Outcome<> removed = discardPending(request.historyPath, std::exchange(out.historyId, 0)); !removed)
            notRemoved = u" "_s + removed.error();
    };
    const Outcome<> done = writeFilesAtomically({applyTarget(request, request.serverOut, prepared->serverBytes),
                                                 applyTarget(request, request.localOut, prepared->localBytes)},
                                                recordInto(out, request, *prepared), written, putBack);
    progress.setProgress(1.0);
    if (!done) {
        Failure failure = done.failure();
        failure.message += notRemoved;
        return failure;
    }
    return out;
}

QStringList targetsChangedSinceLoad(const QList<FileContent>& targets)
{
    QStringList changed;
    for (const FileContent& f : targets) {
        if (!f.checkPrior)
            continue;
        // The same judgement as the commit's own check; a file that cannot be read counts as
        // changed (it no longer holds what was loaded, as far as anyone can tell).
        const std::optional<bool> holds = fileHolds(f.path.toStdString(), f.prior, nullptr);
        if (!holds.value_or(false))
            changed.append(f.path);
    }
    return changed;
}

Outcome<AppliedRun> writeLocalAfterPush(const ApplyRequest& request, const PreparedApply& prepared,
                                        qint64 serverRevision)
{
    AppliedRun out{0, request.serverOut, request.localOut};
    const auto written = [&] { markWritten(request.historyPath, out.historyId); };
    // The local file was checked before the push (targetsChangedSinceLoad()): the server has
    // the new state now, so the device's file follows it. If it cannot be written now, the
    // record stays pending: the next start writes it, as after a crash.
    const Outcome<> done = writeLocalFileAfterServer({request.localOut, prepared.localBytes},
                                                     recordInto(out, request, prepared, serverRevision), written);
    if (!done) {
        Failure failure = done.failure();
        if (out.historyId > 0)
            failure.message += QObject::tr(" The history keeps the run as pending: the next start writes the file.");
        return failure;
    }
    return out;
}
