// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/outcome.h"

#include <QString>
#include <QStringList>

#include <chrono>

/// What finishInterruptedWrites() did: one sentence per record it looked at.
struct RecoveryReport {
    QStringList finished;  ///< records whose files are now all in place
    QStringList leftAlone; ///< records with a file that changed since: nothing written, still pending
    [[nodiscard]] bool isEmpty() const { return finished.isEmpty() && leftAlone.isEmpty(); }
};

/// Finishes the applies and rollbacks a crash interrupted, from the history, which is their
/// journal: a record is written (pending, with both states of both files) before its files
/// are renamed into place, with what each target held just before. For every record still
/// pending, each of its files that still holds that prior state (or is still missing) is given
/// the after-state (beside it, then renamed); a file that holds the after-state stays; a file
/// that holds anything else (or was deleted) was changed since, and the record is left alone.
/// A record whose files are all in place is marked written, and so is one whose files a later
/// record wrote since (that run decides what they hold).
///
/// Temporary files (`<target>.decksync-tmp-XXXXXX`, left by a process killed while writing)
/// beside the targets of the pending and the newest records are removed once older than
/// `staleAfter`.
/// No history file yet is an empty report. Fails when the history cannot be opened or its
/// records cannot be listed: then nothing was written.
/// Runs on any thread: it opens its own connection to the history.
Outcome<RecoveryReport> finishInterruptedWrites(const QString& historyPath,
                                                std::chrono::seconds staleAfter = std::chrono::seconds(60));

