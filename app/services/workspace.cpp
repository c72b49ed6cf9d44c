// SPDX-License-Identifier: MIT
#include "app/services/workspace.h"

#include "app/services/jobtracker.h"
#include "engine/timestamp.h"

using namespace decksync;

decksync::SyncOptions RunOptions::syncOptionsFor(const Dataset& local) const
{
    SyncOptions o;
    o.now = fixedNow.value_or(systemNow());
    o.lastSync = lastSyncOverride ? *lastSyncOverride : local.last_sync;
    o.profile = profile;
    return o;
}

Workspace::Workspace(QObject* parent)
    : QObject(parent)
    , m_resolutions(new Resolutions(this))
{
}

void Workspace::setLoaded(std::shared_ptr<const LoadedSide> local, std::shared_ptr<const LoadedSide> server,
                          std::shared_ptr<const LoadedSide> base, std::shared_ptr<const SyncSnapshot> snapshot,
                          bool keepResolutions)
{
    if (local)
        m_local = freedInBackground(std::move(local));
    if (server)
        m_server = freedInBackground(std::move(server));
    m_base = base ? freedInBackground(std::move(base)) : nullptr;
    m_snapshot = freedInBackground(std::move(snapshot));
    if (!keepResolutions)
        m_resolutions->replace();
    Q_EMIT snapshotChanged();
}
