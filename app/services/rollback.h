// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/historystore.h"
#include "app/services/outcome.h"

#include <QString>

#include <optional>

/// What rolling back one history record would do, checked against the files as they are now.
struct RollbackPlan {
    HistoryRecord record;       ///< the run to undo, with its datasets
    bool localChanged = false;  ///< the local file no longer holds what that run wrote
    bool serverChanged = false; ///< the server file no longer holds what that run wrote
    QString localChange;        ///< per type, what restoring changes in the local file
    QString serverChange;       ///< the same for the server file

    /// A run that went to a live server, asked again before the question: the server moved on
    /// since the run (another device wrote). `serverNow` and `serverRevisionNow` are what it
    /// holds now; serverChanged is set, and serverChange says what rolling back would do there
    /// now, by item; serverMovedBy says what was written since the run.
    bool serverMoved = false;
    QByteArray serverNow;
    qint64 serverRevisionNow = -1;
    QString serverMovedBy;

    [[nodiscard]] bool filesChanged() const { return localChanged || serverChanged; }
    /// Records what the live server holds now (`document` at `revision`); sets serverMoved
    /// when that is not what the run left there.
    void setServerNow(const QByteArray& document, qint64 revision);
    /// The run went to a live server: its before-state is sent with If-Match of the run's
    /// revision (or, told to roll back over what another device wrote, of serverRevisionNow),
    /// so a change on the server meanwhile blocks the rollback.
    [[nodiscard]] bool isRemote() const { return record.serverRevisionAfter >= 0; }
};

/// Loads record `id` and compares both files with what it wrote. Fails when the record cannot
/// be loaded or was rolled back already. Runs on any thread (it opens its own connection to
/// the history).
Outcome<RollbackPlan> planRollback(const QString& historyPath, qint64 id);

/// A rollback that was written and recorded.
struct RolledBack {
    qint64 historyId = 0; ///< the rollback's own record
    QString localPath;
    QString serverPath;
};

/// Restores both files to their state before the planned run (both or neither) and records
/// the rollback, which marks the run rolled back. When a file changed since that run it is
/// overwritten only with `overwriteChanged`; the check is made again just before writing.
/// Rolling back a rollback brings the run it undid back into force.
Outcome<RolledBack> executeRollback(const QString& historyPath, const RollbackPlan& plan, bool overwriteChanged,
                                    const QString& user = {});

/// For a run that went to a live server, once the server took the before-state (and is now
/// at `serverRevision`): restores the local file (beside it, then renamed) and records the
/// rollback, with what the server held before it (what the run left, or, rolled back over a
/// later revision, plan.serverNow). The local file was checked before the server was asked.
Outcome<RolledBack> finishRemoteRollback(const QString& historyPath, const RollbackPlan& plan, qint64 serverRevision,
                                         const QString& user = {});
