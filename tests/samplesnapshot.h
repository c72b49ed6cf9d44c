// SPDX-License-Identifier: MIT
// The bundled sample pair synced as the inspector shows it (clock 2024-06-01T12:00:00Z,
// last_sync from the local file, the seed's rules): shared by the suites that read a snapshot.
#pragma once

#include "testutil.h"

#include "engine/datasetcodec.h"
#include "engine/syncsnapshot.h"

#include <QtGlobal>

#include <memory>

namespace testutil {

inline std::shared_ptr<const decksync::SyncSnapshot> sampleSnapshot()
{
    auto local = decksync::loadDatasetFile(samplePath("local.json"));
    auto server = decksync::loadDatasetFile(samplePath("server.json"));
    if (!local || !server)
        qFatal("cannot load the samples");
    decksync::SyncOptions options;
    options.now = ts("2024-06-01T12:00:00Z");
    options.lastSync = local->last_sync;
    return decksync::SyncSnapshot::create(std::move(*local), std::move(*server), options);
}

} // namespace testutil
