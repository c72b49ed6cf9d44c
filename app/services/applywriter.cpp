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

bool writeFilesAtomically(const QList<FileContent>& files, const std::function<bool(QString*)>& beforeRename,
                          const std::function<void()>& afterRename, QString* error)
{
    std::vector<std::unique_ptr<AtomicFileWriter>> writers;
    std::string why;
    for (const FileContent& f : files) {
        auto& w = writers.emplace_back(std::make_unique<AtomicFileWriter>(f.path.toStdString()));
        if (!w->open(&why))
            break;
        w->sink().write(bytesView(f.bytes));
        if (!w->finish(&why))
            break;
        why.clear();
    }
    if (!why.empty()) {
        *error = QString::fromStdString(why);
        return false; // every temporary is discarded by its writer's destructor
    }
    if (beforeRename && !beforeRename(error))
        return false;
    for (auto& w : writers) {
        if (!w->commit(&why)) {
            *error = QString::fromStdString(why);
            if (beforeRename)
                *error += QObject::tr(" The history keeps the write as pending; the next start finishes it.");
            return false;
        }
    }
    if (afterRename)
        afterRename();
    return true;
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

void markWritten(const QString& historyPath, qint64 id)
{
    if (historyPath.isEmpty() || id <= 0)
        return;
    HistoryStore store;
    QString error;
    if (!store.open(historyPath, &error) || !store.markWritten(id, &error))
        qWarning("%ls", qUtf16Printable(error));
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
    if (!store.open(request.historyPath, error))
        return std::nullopt;
    const DatasetSyncResult& result = request.snapshot->result();
    const SyncOptions& options = request.snapshot->options();
    HistoryRecord r;
    r.recordedAt = QDateTime::currentDateTimeUtc();
    r.kind = u"sync"_s;
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
    return store.append(r, error);
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
    out.ok = writeFilesAtomically({{request.serverOut, prepared.serverBytes}, {request.localOut, prepared.localBytes}},
                                  record, written, &out.error);
    progress.setProgress(1.0);
    return out;
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
    if (!writeFilesAtomically({{request.localOut, prepared.localBytes}}, record, written, &out.error))
        return out;
    out.ok = true;
    return out;
}
