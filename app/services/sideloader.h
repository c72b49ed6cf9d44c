// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/workspace.h"

#include "engine/progress.h"

#include <QString>

#include <memory>

/// Reading the sides of a sync, on a worker thread. Errors name the source, the JSON path and
/// the problem.
namespace sideloader {

/// Decodes a side's bytes into its dataset.
std::shared_ptr<const LoadedSide> decode(std::shared_ptr<LoadedSide> side, decksync::ProgressObserver& progress,
                                         QString* error);
/// Reads and decodes one file.
std::shared_ptr<const LoadedSide> read(const QString& path, decksync::ProgressObserver& progress, QString* error);

/// The base of a sync of `localPath`, first match wins: `chosenFile` (a file the person
/// chose, read here), then the newest applied sync in the history at `historyPath` whose
/// local file is `localPath`, as that run left both sides. Null when there is none; null
/// with `error` set when the chosen file cannot be read. The side's `path` says where the
/// base came from, in words for the window.
std::shared_ptr<const LoadedSide> findBase(const QString& chosenFile, const QString& historyPath,
                                           const QString& localPath, decksync::ProgressObserver& progress,
                                           QString* error);

} // namespace sideloader
