// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/inspectorsession.h"
#include "app/services/outcome.h"
#include "engine/filecommit.h"

#include <QString>

#include <functional>

/// Everything an Apply needs, copied so that it can run off the GUI thread.
struct ApplyRequest {
    std::shared_ptr<const decksync::SyncSnapshot> snapshot;
    decksync::ResolutionSet resolutions;
    std::shared_ptr<const LoadedSide> localBefore;
    std::shared_ptr<const LoadedSide> serverBefore;
    QString serverOut;
    QString localOut;
    QString historyPath; ///< empty: not recorded
    QString user;        ///< who applied; empty: the login name
    /// Write even over a target that another program changed since it was loaded.
    bool overwriteChanged = false;
};

/// An Apply that was written (and recorded, when the request has a history).
struct AppliedRun {
    qint64 historyId = 0; ///< 0: not recorded
    QString serverOut;
    QString localOut;
};

/// The resolved states encoded, ready to write or to send.
struct PreparedApply {
    QByteArray serverBytes;
    QByteArray localBytes;
};

/// Resolves and encodes both new states; fails with the resolutions that cannot be applied.
/// Runs on any thread.
Outcome<PreparedApply> prepareApply(const ApplyRequest& request, decksync::ProgressObserver& progress);

/// Records an applied sync in the history (when it has a path); returns its id (0 without a
/// history).
Outcome<qint64> recordSync(const ApplyRequest& request, const PreparedApply& prepared, qint64 serverRevisionAfter = -1);

/// After the server took the new state: writes the device's file (beside it, then renamed)
/// and records the run. Runs on any thread.
Outcome<AppliedRun> writeLocalAfterPush(const ApplyRequest& request, const PreparedApply& prepared,
                                        qint64 serverRevision);

/// Writes the resolved server state and the device's new state beside their targets,
/// records the run in the history, and only then renames both into place: either both
/// files change and the run is recorded, or nothing changes. A target that changed since it
/// was loaded fails with Failure::Kind::TargetsChanged and those paths. Runs on any thread.
Outcome<AppliedRun> writeApply(const ApplyRequest& request, decksync::ProgressObserver& progress);

/// "{"decks": {stats...}, ...}" for a history record.
QString statsJson(const decksync::DatasetSyncResult& result);
/// A file to write and the bytes it gets.
struct FileContent {
    FileContent(QString p, QByteArray b)
        : path(std::move(p))
        , bytes(std::move(b))
    {
    }
    QString path;
    QByteArray bytes;
    /// The target must still hold what has the stamp `prior` just before the renames
    /// (nullopt: must not exist), or nothing is written: another program changed it since it
    /// was read.
    bool checkPrior = false;
    std::optional<decksync::ContentStamp> prior;
};

/// The inspector's form of decksync::FileCommit: writes every file beside its target and,
/// once all are complete and no checked target changed, calls `beforeRename` (which records
/// the write as pending in the history: the journal a crash is rolled forward from); only when
/// it succeeds are they renamed into place, then `afterRename` is called. If a rename fails,
/// the targets renamed before it get their earlier bytes back and `afterRestore` is called.
/// Anything but success leaves every target as it was, unless the failure's message says that
/// one could not be put back. A checked target that changed fails with
/// Failure::Kind::TargetsChanged and the paths that changed.
Outcome<> writeFilesAtomically(const QList<FileContent>& files, const std::function<Outcome<>()>& beforeRename = {},
                               const std::function<void()>& afterRename = {},
                               const std::function<void()>& afterRestore = {});
/// writeFilesAtomically() for the one local file of a run whose server side already took its
/// new state: a failure names the failed step alone, without "nothing was changed" (the
/// server was).
Outcome<> writeLocalFileAfterServer(const FileContent& file, const std::function<Outcome<>()>& beforeRename,
                                    const std::function<void()>& afterRename);
/// SHA-256 of what `path` holds now, or empty when there is no such file: a record's prior state.
QByteArray priorSha256(const QString& path);
/// Clears the pending mark of history record `id` (0: none); a failure is only logged, since
/// the next start sees the files in place and clears it then.
void markWritten(const QString& historyPath, qint64 id);
/// Removes pending record `id` (0: none) after its write failed and every file was put back.
/// On failure, its sentence is to be added to the write's (the record stays, and the next
/// start finishes the write).
Outcome<> discardPending(const QString& historyPath, qint64 id);
/// The checks of ApplyRequest: a target that is the file a side was loaded from must still
/// hold what was loaded, unless the request says to overwrite it.
FileContent applyTarget(const ApplyRequest& request, const QString& path, const QByteArray& bytes);
/// The checked targets among `targets` that no longer hold what was loaded from them.
QStringList targetsChangedSinceLoad(const QList<FileContent>& targets);
QString loginName();
