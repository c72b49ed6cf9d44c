// SPDX-License-Identifier: MIT
#include "app/services/applywriter.h"

#include "app/services/bytes.h"

#include "app/services/historystore.h"
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

decksync::CommitResult writeFilesAtomically(const QList<FileContent>& files,
                                            const std::function<bool(QString*)>& beforeRename,
                                            const std::function<void()>& afterRename,
                                            const std::function<void()>& afterRestore)
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
            commit.expect(at, files[i].prior ? std::optional<std::string>(files[i].prior->toStdString()) : std::nullopt);
    }
    CommitHooks hooks;
    if (beforeRename)
        hooks.beforeReplace = [&beforeRename](const std::vector<CommitEntry>&, std::string* error) {
            QString why;
            if (beforeRename(&why))
                return true;
            *error = why.toStdString();
            return false;
        };
    hooks.afterReplace = afterRename;
    hooks.afterRestore = afterRestore;
    return commit.commit(hooks);
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
            f.prior = side->bytes;
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

QString discardPending(const QString& historyPath, qint64 id)
{
    if (historyPath.isEmpty() || id <= 0)
        return {};
    HistoryStore store;
    Outcome<> removed = store.open(historyPath);
    if (removed)
        removed = store.discardPending(id);
    if (removed)
        return {};
    return QObject::tr(" Its history record #%1 could not be removed (%2), so the next start will finish the write.")
        .arg(id)
        .arg(removed.error());
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

PreparedApply prepareApply(const ApplyRequest& request, ProgressObserver& progress)
{
    PreparedApply out;
    std::vector<std::string> problems;
    const Dataset server = request.snapshot->resolvedServerState(request.resolutions, &problems);
    if (!problems.empty()) {
        out.error = QObject::tr("%n resolution(s) cannot be applied:", nullptr, static_cast<int>(problems.size()));
        for (const std::string& p : problems)
            out.error += u"\n"_s + QString::fromStdString(p);
        return out;
    }
    const Dataset local = request.snapshot->resolvedLocalState(server);
    progress.setProgress(0.2);
    if (progress.isCancelled())
        throw OperationCancelled{};
    out.serverBytes = toBytes(codec::encodeDataset(server));
    out.localBytes = toBytes(codec::encodeDataset(local));
    progress.setProgress(0.5);
    out.ok = true;
    return out;
}

std::optional<qint64> recordSync(const ApplyRequest& request, const PreparedApply& prepared, QString* error,
                                 qint64 serverRevisionAfter)
{
    if (request.historyPath.isEmpty())
        return qint64(0);
    HistoryStore store;
    if (const Outcome<> opened = store.open(request.historyPath); !opened) {
        *error = opened.error();
        return std::nullopt;
    }
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
    r.localBefore = request.localBefore->bytes;
    r.serverBefore = request.serverBefore->bytes;
    r.localAfter = prepared.localBytes;
    r.serverAfter = prepared.serverBytes;
    r.localAfterSha256 = QCryptographicHash::hash(prepared.localBytes, QCryptographicHash::Sha256);
    r.serverAfterSha256 = QCryptographicHash::hash(prepared.serverBytes, QCryptographicHash::Sha256);
    r.serverRevisionAfter = serverRevisionAfter;
    r.localPriorSha256 = priorSha256(r.localSource);
    if (serverRevisionAfter < 0)
        r.serverPriorSha256 = priorSha256(r.serverSource);
    r.pending = true; // until both files are in place
    const Outcome<qint64> id = store.append(r);
    if (!id) {
        *error = id.error();
        return std::nullopt;
    }
    return *id;
}

ApplyOutcome writeApply(const ApplyRequest& request, ProgressObserver& progress)
{
    ApplyOutcome out;
    out.serverOut = request.serverOut;
    out.localOut = request.localOut;
    const PreparedApply prepared = prepareApply(request, progress);
    if (!prepared.ok) {
        out.error = prepared.error;
        return out;
    }
    auto record = [&](QString* error) {
        const auto id = recordSync(request, prepared, error);
        if (id)
            out.historyId = *id;
        return id.has_value();
    };
    const auto written = [&] { markWritten(request.historyPath, out.historyId); };
    QString notRemoved;
    const auto putBack = [&] { notRemoved = discardPending(request.historyPath, std::exchange(out.historyId, 0)); };
    const CommitResult done = writeFilesAtomically({applyTarget(request, request.serverOut, prepared.serverBytes),
                                                    applyTarget(request, request.localOut, prepared.localBytes)},
                                                   record, written, putBack);
    out.ok = done.ok();
    out.error = QString::fromStdString(done.error) + notRemoved;
    for (const std::string& changed : done.changed)
        out.changedTargets.append(QString::fromStdString(changed));
    progress.setProgress(1.0);
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
        const std::optional<bool> holds = fileHolds(
            f.path.toStdString(), f.prior ? std::optional<std::string_view>(bytesView(*f.prior)) : std::nullopt, nullptr);
        if (!holds.value_or(false))
            changed.append(f.path);
    }
    return changed;
}

ApplyOutcome writeLocalAfterPush(const ApplyRequest& request, const PreparedApply& prepared, qint64 serverRevision)
{
    ApplyOutcome out;
    out.serverOut = request.serverOut;
    out.localOut = request.localOut;
    auto record = [&](QString* error) {
        const auto id = recordSync(request, prepared, error, serverRevision);
        if (id)
            out.historyId = *id;
        return id.has_value();
    };
    const auto written = [&] { markWritten(request.historyPath, out.historyId); };
    // The local file was checked before the push (targetsChangedSinceLoad()): the server has
    // the new state now, so the device's file follows it. If it cannot be written now, the
    // record stays pending: the next start writes it, as after a crash.
    const CommitResult done = writeFilesAtomically({{request.localOut, prepared.localBytes}}, record, written);
    out.ok = done.ok();
    out.error = QString::fromStdString(done.failure.empty() ? done.error : done.failure);
    if (!out.ok && out.historyId > 0)
        out.error += QObject::tr(" The history keeps the run as pending: the next start writes the file.");
    return out;
}
