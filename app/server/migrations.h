// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/serverstore.h"

#include <QString>

/// The versions of the server's schema, applied in order. A database records its version in
/// `schema_version`; a file from before that table is version 1 (users, datasets, audit,
/// batches), which every server since has kept. Each step runs in the caller's transaction,
/// so a step that fails leaves the file as it was.
///
///   1  users, one document per user (datasets), audit, batches
///   2  items as rows (items, heads), revision history (item_history, revisions); datasets
///      moved into them and dropped
///   3  sync_uploads: what the device sent in each sync, for the fleet scan
namespace Migrations {

inline constexpr int Current = 3;

/// Brings the schema of `store` to Current. Refuses a database newer than this server.
bool run(ServerStore& store, QString* error);

} // namespace Migrations
