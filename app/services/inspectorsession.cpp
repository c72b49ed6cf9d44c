// SPDX-License-Identifier: MIT
#include "app/services/inspectorsession.h"

#include "app/services/applywriter.h"
#include "app/services/bytes.h"
#include "app/services/resolutioncommand.h"
#include "app/services/serverclient.h"
#include "app/services/sideloader.h"
#include "engine/datasetcodec.h"
#include "engine/fileio.h"
#include "engine/idcheck.h"
#include "engine/reprobundle.h"
#include "app/version.h"

#include <QFile>
#include <QFileInfo>
#include <QUndoStack>

#include <chrono>
#include <future>

using namespace decksync;
using namespace Qt::StringLiterals;

namespace {


/// What a load or a resync found. Its failure may be Failure::Kind::BaseUnreadable (the
/// chosen base file's, which is then forgotten) or Failure::Kind::DuplicateIds (a repeated
/// id, which the person may accept).
struct Loaded {
    std::shared_ptr<const LoadedSide> local;
    std::shared_ptr<const LoadedSide> server;
    std::shared_ptr<const LoadedSide> base;
    std::shared_ptr<const SyncSnapshot> snapshot;
    bool awaitsServerBase = false; ///< the sides were read, and wait for the server's base
};

/// The first repeated id of either side, or nullopt.
std::optional<Failure> duplicateIds(const LoadedSide& local, const LoadedSide& server)
{
    for (const LoadedSide* side : {&local, &server}) {
        if (std::optional<DecodeError> e = findDuplicateId(*side->dataset)) {
            e->file = side->path.toStdString();
            return fail(Failure::Kind::DuplicateIds, QString::fromStdString(e->toString()));
        }
    }
    return std::nullopt;
}

} // namespace

InspectorSession::InspectorSession(QObject* parent)
    : QObject(parent)
    , m_workspace(new Workspace(this))
    , m_ownClient(new ServerClient(this))
{
    useClient(m_ownClient);
    connect(m_workspace, &Workspace::snapshotChanged, this, &InspectorSession::snapshotChanged);
    connect(m_workspace->resolutions(), &Resolutions::changed, this, &InspectorSession::resolutionChanged);
    connect(m_workspace->resolutions(), &Resolutions::replaced, this, &InspectorSession::resolutionsReset);
}

InspectorSession::~InspectorSession() { m_ops.waitForDone(); }

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

QString InspectorSession::baseFileFor(const QString& localPath) const
{
    return !m_baseFile.isEmpty() && QFileInfo(localPath).absoluteFilePath() == m_baseFileFor ? m_baseFile : QString();
}

void InspectorSession::setBaseFile(const QString& path, const QString& localPath)
{
    const auto local = localSide();
    m_baseFile = path;
    m_baseFileFor = QFileInfo(!localPath.isEmpty() ? localPath : local ? local->path : QString()).absoluteFilePath();
    if (local && QFileInfo(local->path).absoluteFilePath() == m_baseFileFor)
        resync();
}

void InspectorSession::clearBaseFile()
{
    m_baseFile.clear();
    m_baseFileFor.clear();
    resync();
}

void InspectorSession::resync()
{
    const auto local = localSide(), server = serverSide();
    if (!local || !server || askServerBase({local, server, true}))
        return;
    const SyncOptions options = m_workspace->options.syncOptionsFor(*local->dataset);
    m_ops.read(
        tr("Syncing against the base"), this,
        [local, server, options, chosen = baseFileFor(local->path),
         history = m_historyPath](JobProgress& progress) -> Outcome<Loaded> {
            Outcome<sideloader::Side> base = sideloader::findBase(chosen, history, local->path, progress);
            if (!base)
                return base.failure();
            Loaded r;
            r.base = std::move(*base);
            r.snapshot = SyncSnapshot::create(local->dataset, server->dataset, options, &progress,
                                              r.base ? r.base->dataset : nullptr);
            return r;
        },
        [this, local, server](Outcome<Loaded> r) {
            if (!r && r.kind() == Failure::Kind::BaseUnreadable)
                m_baseFile.clear();
            if (!r) {
                Q_EMIT loadFailed(r.error());
                return;
            }
            if (localSide() == local && serverSide() == server) // else a load replaced the sides meanwhile
                m_workspace->setLoaded(nullptr, nullptr, std::move(r->base), std::move(r->snapshot), true);
        });
}

void InspectorSession::syncAwaitingSides(const std::optional<QByteArray>& document, qint64 revision)
{
    if (!m_awaitingBase)
        return;
    AwaitingBase sides = std::move(*m_awaitingBase);
    m_awaitingBase.reset();
    std::shared_ptr<LoadedSide> side;
    if (document) {
        side = std::make_shared<LoadedSide>();
        side->path = tr("the server's data at revision %1, when this device last synced").arg(revision);
        side->revision = revision;
        side->bytes = *document;
    }
    const SyncOptions options = m_workspace->options.syncOptionsFor(*sides.local->dataset);
    m_ops.read(
        tr("Syncing against the base"), this,
        [sides, options, side, history = m_historyPath](JobProgress& progress) -> Outcome<Loaded> {
            Outcome<sideloader::Side> base =
                side ? sideloader::decode(side, progress) : sideloader::findBase({}, history, sides.local->path, progress);
            if (!base)
                return base.failure();
            Loaded r{sides.local, sides.server, std::move(*base), nullptr};
            r.snapshot = SyncSnapshot::create(r.local->dataset, r.server->dataset, options, &progress,
                                              r.base ? r.base->dataset : nullptr);
            return r;
        },
        [this, keep = sides.keepResolutions](Outcome<Loaded> r) {
            if (!r) {
                Q_EMIT loadFailed(r.error());
                return;
            }
            m_workspace->setLoaded(std::move(r->local), std::move(r->server), std::move(r->base),
                                   std::move(r->snapshot), keep);
        });
}

void InspectorSession::startLoad(LoadRequest request)
{
    m_baseCall = 0; // a base asked for the sides this load replaces: dropped
    m_awaitingBase.reset();
    const QString localPath = request.localPath, serverPath = request.serverPath;
    m_ops.read(
        tr("Loading %1 and %2").arg(localPath, serverPath), this,
        [localPath, serverPath, fetchedServer = request.fetchedServer, allowDuplicates = request.allowDuplicateIds,
         options = m_workspace->options, chosenBase = baseFileFor(localPath),
         history = m_historyPath](JobProgress& progress) -> Outcome<Loaded> {
            // The two sides are independent: the server's is decoded on a second thread.
            CancellationOnly serverPart(progress); // the local side reports for both
            auto serverRead = std::async(std::launch::async, [&] {
                if (fetchedServer)
                    return sideloader::decode(std::make_shared<LoadedSide>(*fetchedServer), serverPart);
                return sideloader::read(serverPath, serverPart);
            });
            ProgressRange localPart(progress, 0.0, 0.8);
            const Outcome<sideloader::Side> local = sideloader::read(localPath, localPart);
            const Outcome<sideloader::Side> server = serverRead.get();
            if (!local || !server) {
                QStringList errors; // both, local first
                for (const QString& e : {local.error(), server.error()}) {
                    if (!e.isEmpty())
                        errors.append(e);
                }
                return fail(errors.join(u"\n"_s));
            }
            Loaded r{*local, *server, nullptr, nullptr};
            if (!allowDuplicates) {
                if (std::optional<Failure> repeated = duplicateIds(*r.local, *r.server))
                    return std::move(*repeated);
            }
            // With a live server the base may be its data at the device's last sync: the sync
            // waits for it (see askServerBase()).
            if (fetchedServer && chosenBase.isEmpty()
                && options.syncOptionsFor(*r.local->dataset).lastSync.has_value()) {
                r.awaitsServerBase = true;
                return r;
            }
            CancellationOnly basePart(progress);
            Outcome<sideloader::Side> base = sideloader::findBase(chosenBase, history, localPath, basePart);
            if (!base)
                return base.failure();
            r.base = std::move(*base);
            ProgressRange syncPart(progress, 0.8, 1.0);
            r.snapshot = SyncSnapshot::create(r.local->dataset, r.server->dataset,
                                              options.syncOptionsFor(*r.local->dataset), &syncPart,
                                              r.base ? r.base->dataset : nullptr);
            return r;
        },
        [this, request](Outcome<Loaded> r) {
            if (!r && r.kind() == Failure::Kind::BaseUnreadable)
                m_baseFile.clear();
            if (!r && r.kind() == Failure::Kind::DuplicateIds) {
                m_refusedLoad = request;
                Q_EMIT duplicateIdsFound(r.error());
                return;
            }
            if (!r) {
                Q_EMIT loadFailed(r.error());
                return;
            }
            if (r->awaitsServerBase && askServerBase({r->local, r->server, request.keepResolutions}))
                return;
            if (r->awaitsServerBase) { // no client any more: against the history's base
                m_awaitingBase = AwaitingBase{r->local, r->server, request.keepResolutions};
                syncAwaitingSides(std::nullopt, -1);
                return;
            }
            m_workspace->setLoaded(std::move(r->local), std::move(r->server), std::move(r->base),
                                   std::move(r->snapshot), request.keepResolutions);
        });
}

void InspectorSession::rerun()
{
    const auto local = localSide(), server = serverSide();
    if (!local || !server)
        return;
    const SyncOptions options = m_workspace->options.syncOptionsFor(*local->dataset);
    const auto base = m_workspace->baseSide();
    m_ops.read(
        tr("Syncing"), this,
        [local, server, base, options](JobProgress& progress) {
            return SyncSnapshot::create(local->dataset, server->dataset, options, &progress,
                                        base ? base->dataset : nullptr);
        },
        [this, local, server, base](std::shared_ptr<const SyncSnapshot> snapshot) {
            if (localSide() == local && serverSide() == server) // else a load replaced the sides meanwhile
                m_workspace->setLoaded(nullptr, nullptr, base, std::move(snapshot), true);
        });
}

void InspectorSession::preview(QObject* context, std::function<void(const ApplyPreview&)> done)
{
    const auto snapshot = this->snapshot();
    if (!snapshot) {
        done(ApplyPreview{});
        return;
    }
    m_previews.start(
        tr("Counting"), context,
        [snapshot, resolutions = resolutions()](JobProgress&) {
            ApplyPreview p;
            p.after = snapshot->resolvedCounts(resolutions, &p.problems);
            for (std::size_t t = 0; t < std::size(AllDataTypes); ++t) {
                const DataType type = AllDataTypes[t];
                p.serverBefore[t] = itemCount(snapshot->server(), type);
                p.localBefore[t] = itemCount(snapshot->local(), type);
            }
            for (const auto& [key, resolution] : resolutions.items())
                ++p.resolvedByHand[static_cast<std::size_t>(key.type)];
            p.serverChanges = snapshot->resolvedChanges(resolutions, Side::Server);
            p.localChanges = snapshot->resolvedChanges(resolutions, Side::Local);
            return p;
        },
        std::move(done));
}

void InspectorSession::compareProfiles(QObject* context, ComparisonDone done)
{
    const auto snapshot = this->snapshot();
    if (!snapshot) {
        done(nullptr, nullptr);
        return;
    }
    m_comparisons.start(
        tr("Comparing seed and safe"), context,
        [snapshot](JobProgress&) {
            return std::make_shared<const ProfileComparison>(
                decksync::compareProfiles(snapshot->local(), snapshot->server(), snapshot->base(), snapshot->options()));
        },
        [snapshot, done = std::move(done)](std::shared_ptr<const ProfileComparison> c) { done(std::move(c), snapshot); });
}

int InspectorSession::takeProfileResults(const std::shared_ptr<const SyncSnapshot>& compared,
                                         const ProfileComparison& comparison,
                                         const std::vector<const ProfileDifference*>& differences, Profile take)
{
    const auto snapshot = this->snapshot();
    if (!snapshot || snapshot != compared)
        return -1; // compared against another sync: its resolutions would not fit this one
    std::vector<std::pair<ResolutionKey, ItemResolution>> resolutions;
    int refused = 0;
    for (const ProfileDifference* d : differences) {
        if (auto r = takeProfileResult(comparison, *d, take, snapshot->local(), snapshot->server()))
            resolutions.push_back({{d->type, d->id}, std::move(*r)});
        else
            ++refused;
    }
    m_workspace->resolutions()->resolveEach(
        resolutions, tr("%1's result for %n item(s)", nullptr, static_cast<int>(resolutions.size()))
                         .arg(QString::fromLatin1(profileName(take))));
    return refused;
}

void InspectorSession::apply(const QString& serverOut, const QString& localOut, bool overwriteChanged)
{
    if (!hasData() || !localSide() || !serverSide()) {
        Q_EMIT applyFailed(tr("Nothing is loaded."));
        return;
    }
    const bool toServer = serverIsRemote();
    if (localOut.isEmpty() || (!toServer && serverOut.isEmpty())) {
        Q_EMIT applyFailed(tr("Say where the new states go: a file for each side."));
        return;
    }
    if (!toServer && QFileInfo(serverOut).absoluteFilePath() == QFileInfo(localOut).absoluteFilePath()) {
        Q_EMIT applyFailed(tr("The server's and the device's new states cannot both go to %1.").arg(localOut));
        return;
    }
    Q_EMIT applyStarted();
    ApplyRequest request;
    request.snapshot = snapshot();
    request.resolutions = resolutions();
    request.localBefore = localSide();
    request.serverBefore = serverSide();
    request.serverOut = toServer ? serverSide()->path : serverOut;
    request.localOut = localOut;
    request.historyPath = m_historyPath;
    request.overwriteChanged = overwriteChanged;
    m_ops.write(tr("Applying"), [this, request, toServer](WriteTicket ticket) {
        if (toServer) {
            applyToServer(request, ticket);
            return;
        }
        ticket.run([request](JobProgress& progress) { return writeApply(request, progress); },
                   [this, ticket, request](const Outcome<AppliedRun>& outcome) {
                       if (!outcome && outcome.kind() == Failure::Kind::TargetsChanged) {
                           Q_EMIT targetsChanged(outcome.failure().paths, request.serverOut, request.localOut);
                           return;
                       }
                       if (!outcome) {
                           Q_EMIT applyFailed(outcome.error());
                           return;
                       }
                       Q_EMIT applied(outcome->historyId, outcome->serverOut, outcome->localOut);
                       Q_EMIT historyChanged();
                       // A read: it starts once this write has let go of the lane.
                       startLoad({outcome->localOut, nullptr, outcome->serverOut, false, m_duplicateIdsAccepted});
                   });
    });
}

Outcome<> InspectorSession::useVersion(DataType type, const Uuid& id, const ItemText& version,
                                      const QString& description)
{
    const auto snapshot = this->snapshot();
    if (!snapshot)
        return fail(tr("Nothing is loaded."));
    const Decoded<ItemResolution> resolution = resolutionToVersion(
        type, version, itemTextIn(snapshot->local(), type, id), itemTextIn(snapshot->server(), type, id));
    if (!resolution.ok())
        return fail(tr("That version cannot be used: %1.").arg(QString::fromStdString(resolution.error().message)));
    resolve(type, id, resolution.value(), description);
    return {};
}

void InspectorSession::exportBundle(const QString& path)
{
    const auto local = localSide(), server = serverSide();
    if (!hasData() || !local || !server) {
        Q_EMIT bundleFailed(tr("Nothing is loaded."));
        return;
    }
    const SyncOptions options = snapshot()->options();
    // The seed does not read a base: its bundles stay as they were.
    const auto base = options.profile == Profile::Safe ? m_workspace->baseSide() : nullptr;
    // The bundle keeps the case as support left it: what was resolved by hand and the notes.
    m_ops.write(tr("Exporting %1").arg(path), [this, path, local, server, base, options,
                                               resolutions = resolutions()](WriteTicket ticket) {
        ticket.run(
            [path, local, server, base, options, resolutions](JobProgress&) -> Outcome<> {
                Outcome<QByteArray> localBytes = local->exactBytes(), serverBytes = server->exactBytes();
                Outcome<QByteArray> baseBytes = base ? base->exactBytes() : Outcome<QByteArray>(QByteArray());
                for (const Outcome<QByteArray>* read : {&localBytes, &serverBytes, &baseBytes}) {
                    if (!*read)
                        return read->failure();
                }
                Decoded<ReproBundle> bundle = codec::makeReproBundle(
                    localBytes->toStdString(), serverBytes->toStdString(), options, DECKSYNC_VERSION,
                    base ? std::optional<std::string>(baseBytes->toStdString()) : std::nullopt);
                if (!bundle.ok())
                    return fail(QString::fromStdString(bundle.error().toString()));
                bundle.value().resolutions = resolutions;
                std::string why;
                const std::string text = codec::encodeReproBundle(bundle.value());
                if (!writeFileAtomically(path.toStdString(), [&](OutputSink& sink) { sink.write(text); }, &why))
                    return fail(QString::fromStdString(why));
                return {};
            },
            [this, path, ticket](const Outcome<>& exported) {
                if (exported)
                    Q_EMIT bundleExported(path);
                else
                    Q_EMIT bundleFailed(exported.error());
            });
    });
}
