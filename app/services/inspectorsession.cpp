// SPDX-License-Identifier: MIT
#include "app/services/inspectorsession.h"

#include "app/services/applywriter.h"
#include "app/services/bytes.h"
#include "app/services/resolutioncommand.h"
#include "app/services/serverclient.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/idcheck.h"
#include "engine/reprobundle.h"
#include "app/version.h"

#include <QFile>
#include <QUndoStack>

#include <chrono>
#include <future>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {

Timestamp systemNow()
{
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since).count();
    return {ms / 1000, static_cast<std::uint32_t>(ms % 1000) * 1'000'000u};
}

/// Decodes a side's bytes; the error names the source, the JSON path and the problem.
std::shared_ptr<const LoadedSide> decodeSide(std::shared_ptr<LoadedSide> side, ProgressObserver& progress, QString* error)
{
    const auto& bytes = side->bytes;
    Decoded<Dataset> d = codec::decodeDataset(bytesView(bytes), &progress);
    if (!d) {
        d.error().file = side->path.toStdString();
        *error = QString::fromStdString(d.error().toString());
        return nullptr;
    }
    side->dataset = std::make_shared<const Dataset>(std::move(d.value()));
    return side;
}

/// Reads and decodes one file.
std::shared_ptr<const LoadedSide> readSide(const QString& path, ProgressObserver& progress, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": cannot open the file: "_s + file.errorString();
        return nullptr;
    }
    auto side = std::make_shared<LoadedSide>();
    side->path = path;
    side->bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        *error = path + u": cannot read the file: "_s + file.errorString();
        return nullptr;
    }
    return decodeSide(std::move(side), progress, error);
}

struct LoadResult {
    std::shared_ptr<const LoadedSide> local;
    std::shared_ptr<const LoadedSide> server;
    std::shared_ptr<const SyncSnapshot> snapshot;
    QString error;
    bool duplicateIds = false; ///< `error` is a repeated id, which the user may accept
};

/// The first repeated id of either side, as the error of `r`.
bool refuseDuplicateIds(LoadResult& r)
{
    for (const LoadedSide* side : {r.local.get(), r.server.get()}) {
        if (std::optional<DecodeError> e = findDuplicateId(*side->dataset)) {
            e->file = side->path.toStdString();
            r.error = QString::fromStdString(e->toString());
            r.duplicateIds = true;
            return true;
        }
    }
    return false;
}

} // namespace

InspectorSession::InspectorSession(QObject* parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
}

InspectorSession::~InspectorSession() { m_jobs.waitForDone(); }

SyncOptions InspectorSession::optionsFor(const Dataset& local) const
{
    SyncOptions o;
    o.now = m_fixedNow.value_or(systemNow());
    o.lastSync = m_lastSyncOverride ? *m_lastSyncOverride : local.last_sync;
    o.profile = m_profile;
    return o;
}

void InspectorSession::load(const QString& localPath, const QString& serverPath)
{
    m_duplicateIdsAccepted = false; // another pair: asked again
    startLoad({localPath, nullptr, serverPath, false, false});
}

void InspectorSession::loadAllowingDuplicateIds()
{
    if (!m_refusedLoad)
        return;
    LoadRequest request = std::move(*m_refusedLoad);
    m_refusedLoad.reset();
    request.allowDuplicateIds = true;
    m_duplicateIdsAccepted = true; // also for the reloads after Apply or a re-fetch
    startLoad(std::move(request));
}

void InspectorSession::startLoad(LoadRequest request)
{
    const QString localPath = request.localPath, serverPath = request.serverPath;
    m_jobs.start(
        tr("Loading %1 and %2").arg(localPath, serverPath), this,
        [localPath, serverPath, fetchedServer = request.fetchedServer, allowDuplicates = request.allowDuplicateIds,
         fixedNow = m_fixedNow, lastSync = m_lastSyncOverride, profile = m_profile](JobProgress& progress) {
            LoadResult r;
            // The two sides are independent: the server's is decoded on a second thread.
            QString serverError;
            CancellationOnly serverPart(progress); // the local side reports for both
            auto server = std::async(std::launch::async, [&] {
                if (fetchedServer)
                    return decodeSide(std::make_shared<LoadedSide>(*fetchedServer), serverPart, &serverError);
                return readSide(serverPath, serverPart, &serverError);
            });
            ProgressRange localPart(progress, 0.0, 0.8);
            r.local = readSide(localPath, localPart, &r.error);
            r.server = server.get();
            if (!r.local || !r.server) {
                if (r.error.isEmpty())
                    r.error = serverError;
                else if (!serverError.isEmpty())
                    r.error += u"\n"_s + serverError;
                return r;
            }
            if (!allowDuplicates && refuseDuplicateIds(r))
                return r;
            SyncOptions o;
            o.now = fixedNow.value_or(systemNow());
            o.lastSync = lastSync ? *lastSync : r.local->dataset->last_sync;
            o.profile = profile;
            ProgressRange syncPart(progress, 0.8, 1.0);
            r.snapshot = SyncSnapshot::create(r.local->dataset, r.server->dataset, o, &syncPart);
            return r;
        },
        [this, request](LoadResult r) {
            if (!r.snapshot && r.duplicateIds) {
                m_refusedLoad = request;
                Q_EMIT duplicateIdsFound(r.error);
                return;
            }
            if (!r.snapshot) {
                Q_EMIT loadFailed(r.error);
                return;
            }
            const bool keepResolutions = request.keepResolutions;
            m_local = freedInBackground(std::move(r.local));
            m_server = freedInBackground(std::move(r.server));
            m_snapshot = freedInBackground(std::move(r.snapshot));
            if (!keepResolutions) {
                m_resolutions.clear();
                m_undo->clear();
                Q_EMIT resolutionsReset();
            }
            Q_EMIT snapshotChanged();
        });
}

void InspectorSession::rerun()
{
    if (m_local && m_server)
        startSync(m_local, m_server, true);
}

void InspectorSession::startSync(std::shared_ptr<const LoadedSide> local, std::shared_ptr<const LoadedSide> server,
                                 bool keepResolutions)
{
    const SyncOptions options = optionsFor(*local->dataset);
    m_jobs.start(
        tr("Syncing"), this,
        [local, server, options](JobProgress& progress) {
            return SyncSnapshot::create(local->dataset, server->dataset, options, &progress);
        },
        [this, keepResolutions](std::shared_ptr<const SyncSnapshot> snapshot) {
            m_snapshot = freedInBackground(std::move(snapshot));
            if (!keepResolutions) {
                m_resolutions.clear();
                m_undo->clear();
                Q_EMIT resolutionsReset();
            }
            Q_EMIT snapshotChanged();
        });
}

void InspectorSession::setResolutionDirect(DataType type, const Uuid& id, ItemResolution resolution)
{
    m_resolutions.set(type, id, std::move(resolution));
    Q_EMIT resolutionChanged(type, id);
}

void InspectorSession::resolve(DataType type, const Uuid& id, ItemResolution resolution, const QString& description)
{
    const ItemResolution* current = m_resolutions.find(type, id);
    ItemResolution before = current ? *current : ItemResolution{};
    if (before == resolution)
        return;
    m_undo->push(new ResolutionCommand(this, type, {{id, std::move(before), std::move(resolution)}}, description));
}

void InspectorSession::resolveMany(DataType type, const std::vector<Uuid>& ids, ItemChoice choice,
                                   const QString& description)
{
    std::vector<ResolutionCommand::Change> changes;
    for (const Uuid& id : ids) {
        const ItemResolution* current = m_resolutions.find(type, id);
        ItemResolution before = current ? *current : ItemResolution{};
        ItemResolution after;
        after.base = choice;
        if (before != after)
            changes.push_back({id, std::move(before), std::move(after)});
    }
    if (!changes.empty())
        m_undo->push(new ResolutionCommand(this, type, std::move(changes), description));
}

void InspectorSession::restoreResolutions(ResolutionSet resolutions)
{
    m_resolutions = std::move(resolutions);
    m_undo->clear();
    Q_EMIT resolutionsReset();
}

ApplyPreview InspectorSession::preview() const
{
    ApplyPreview p;
    if (!m_snapshot)
        return p;
    p.server = m_snapshot->resolvedServerState(m_resolutions, &p.problems);
    p.local = m_snapshot->resolvedLocalState(p.server);
    return p;
}

void InspectorSession::apply(const QString& serverOut, const QString& localOut)
{
    if (!m_snapshot || !m_local || !m_server) {
        Q_EMIT applyFailed(tr("Nothing is loaded."));
        return;
    }
    Q_EMIT applyStarted();
    if (serverIsRemote() && m_client) {
        applyToServer(localOut);
        return;
    }
    ApplyRequest request;
    request.snapshot = m_snapshot;
    request.resolutions = m_resolutions;
    request.localBefore = m_local;
    request.serverBefore = m_server;
    request.serverOut = serverOut;
    request.localOut = localOut;
    request.historyPath = m_historyPath;
    m_jobs.start(
        tr("Applying"), this, [request](JobProgress& progress) { return writeApply(request, progress); },
        [this](ApplyOutcome outcome) {
            if (!outcome.ok) {
                Q_EMIT applyFailed(outcome.error);
                return;
            }
            Q_EMIT applied(outcome.historyId, outcome.serverOut, outcome.localOut);
            startLoad({outcome.localOut, nullptr, outcome.serverOut, false, m_duplicateIdsAccepted});
        });
}


void InspectorSession::exportBundle(const QString& path)
{
    if (!m_snapshot || !m_local || !m_server) {
        Q_EMIT bundleFailed(tr("Nothing is loaded."));
        return;
    }
    m_jobs.start(
        tr("Exporting %1").arg(path), this,
        [path, local = m_local, server = m_server, options = m_snapshot->options()](JobProgress&) {
            Decoded<ReproBundle> bundle = codec::makeReproBundle(local->bytes.toStdString(), server->bytes.toStdString(),
                                                                 options, DECKSYNC_VERSION);
            if (!bundle.ok())
                return QString::fromStdString(bundle.error().toString());
            std::string why;
            const std::string text = codec::encodeReproBundle(bundle.value());
            if (!writeFileAtomically(path.toStdString(), [&](OutputSink& sink) { sink.write(text); }, &why))
                return QString::fromStdString(why);
            return QString();
        },
        [this, path](const QString& error) {
            if (error.isEmpty())
                Q_EMIT bundleExported(path);
            else
                Q_EMIT bundleFailed(error);
        });
}
