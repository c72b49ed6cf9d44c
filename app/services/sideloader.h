// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/outcome.h"
#include "app/services/workspace.h"

#include "engine/progress.h"

#include <QString>

#include <memory>

/// Reading the sides of a sync, on a worker thread. Failures name the source, the JSON path
/// and the problem.
namespace sideloader {

using Side = std::shared_ptr<const LoadedSide>;

/// Decodes a side's bytes into its dataset.
Outcome<Side> decode(std::shared_ptr<LoadedSide> side, decksync::ProgressObserver& progress);
/// A file of up to this many bytes keeps them in memory once loaded; a larger one is read
/// again when they are needed (LoadedSide::exactBytes()). 64 MiB unless set.
qint64 heldBytesLimit();
void setHeldBytesLimit(qint64 bytes);
/// What `path` holds now; the failure names the file.
Outcome<QByteArray> readWholeFile(const QString& path);
/// Reads and decodes one file.
Outcome<Side> read(const QString& path, decksync::ProgressObserver& progress);

/// The base of a sync of `localPath`, first match wins: `chosenFile` (a file the person
/// chose, read here), then the newest applied sync in the history at `historyPath` whose
/// local file is `localPath`, as that run left both sides. Null when there is none. Fails
/// (Failure::Kind::BaseUnreadable) only when the chosen file cannot be read: a history that
/// cannot be read gives no base, with a warning. The side's `path` says where the base came
/// from, in words for the window.
Outcome<Side> findBase(const QString& chosenFile, const QString& historyPath, const QString& localPath,
                       decksync::ProgressObserver& progress);

} // namespace sideloader
