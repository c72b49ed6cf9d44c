// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/operations.h"
#include "app/services/outcome.h"
#include "app/services/workspace.h"
#include "engine/itemchanges.h"
#include "engine/itemversions.h"
#include "engine/profilecompare.h"
#include "engine/resolution.h"

#include <QObject>
#include <QString>

#include <array>
#include <functional>
#include <memory>
#include <optional>

class QUndoStack;
class ServerClient;
struct ApplyRequest;
struct RolledBack;
struct RollbackPlan;

/// What an Apply would write, counted without building it: per type (AllDataTypes order),
/// the items on each side before and in the new state (the same on both sides after), the
/// items resolved by hand, and the resolutions that could not be applied.
struct ApplyPreview {
    std::array<std::size_t, 5> serverBefore{};
    std::array<std::size_t, 5> localBefore{};
    std::array<std::size_t, 5> after{};
    std::array<std::size_t, 5> resolvedByHand{};
    std::vector<std::string> problems;
    /// What applying does to each side's items, by name (deleted, going back, replaced, added).
    std::vector<decksync::ItemChange> serverChanges;
    std::vector<decksync::ItemChange> localChanges;
};

/// The person's answer to a rollback's question.
enum class RollbackAnswer { Cancel, Proceed, OverwriteChanged };

/// The inspector's services behind the windows. It holds the Workspace (the loaded sides, the
/// snapshot, the resolutions, the run options) and runs every operation on it through
/// Operations: reads (load, sync, fetch) may supersede one another; writes (apply, push,
/// rollback, export) run one at a time and are never dropped. It owns the live server's
/// client. A failed load leaves what was loaded before in place.
class InspectorSession : public QObject {
    Q_OBJECT
public:
    explicit InspectorSession(QObject* parent = nullptr);
    ~InspectorSession() override;

    [[nodiscard]] Workspace* workspace() const { return m_workspace; }
    [[nodiscard]] Operations* operations() { return &m_ops; }

    // ---- run options: visible and editable before a run (QA replays) --------------------
    void setFixedNow(std::optional<decksync::Timestamp> now) { m_workspace->options.fixedNow = now; }
    [[nodiscard]] std::optional<decksync::Timestamp> fixedNow() const { return m_workspace->options.fixedNow; }
    void setLastSyncOverride(std::optional<std::optional<decksync::Timestamp>> value)
    {
        m_workspace->options.lastSyncOverride = value;
    }
    [[nodiscard]] std::optional<std::optional<decksync::Timestamp>> lastSyncOverride() const
    {
        return m_workspace->options.lastSyncOverride;
    }
    void setProfile(decksync::Profile profile) { m_workspace->options.profile = profile; }
    [[nodiscard]] decksync::Profile profile() const { return m_workspace->options.profile; }
    /// Where applied syncs are recorded; empty: not recorded.
    void setHistoryPath(const QString& path) { m_historyPath = path; }
    [[nodiscard]] QString historyPath() const { return m_historyPath; }

    // ---- reads ---------------------------------------------------------------------------
    /// Reads both files and syncs them, in the background. On failure emits loadFailed()
    /// naming the file, the JSON path and the problem; the current state stays.
    void load(const QString& localPath, const QString& serverPath);
    /// Fetches the server side from a live server and syncs it with the local file: through
    /// the session's own client, or through `client` (which must outlive the session). With
    /// `keepResolutions` (a re-run after a conflicting write) the resolutions made so far stay.
    void loadFromServer(const QString& localPath, ServerClient* client = nullptr, bool keepResolutions = false);
    /// After duplicateIdsFound(): loads the same sides again, syncing the repeated ids as the
    /// seed would (each repeat is flagged by a duplicate-id diagnostic).
    void loadAllowingDuplicateIds();
    /// Runs the sync again on the loaded sides with the current options; keeps resolutions.
    void rerun();
    /// Syncs against the dataset in `path` as the base (the safe profile merges against it),
    /// read in the background, for the local file `localPath` (default: the loaded one): it is
    /// kept while that local file is loaded, and forgotten if it cannot be read. Without a
    /// chosen file, the base is the newest applied sync of the local file in the history.
    void setBaseFile(const QString& path, const QString& localPath = {});
    /// Lets the base come from the history again (or be none), and syncs again.
    void clearBaseFile();
    [[nodiscard]] QString baseFile() const { return m_baseFile; }
    [[nodiscard]] std::shared_ptr<const LoadedSide> baseSide() const { return m_workspace->baseSide(); }
    void cancel() { m_ops.cancelRead(); }
    [[nodiscard]] bool serverIsRemote() const { return m_workspace->serverIsRemote(); }
    /// The live server's client: the session's own, or the last one given to loadFromServer().
    [[nodiscard]] ServerClient* serverClient() const { return m_client; }
    [[nodiscard]] bool hasData() const { return m_workspace->hasData(); }
    [[nodiscard]] std::shared_ptr<const decksync::SyncSnapshot> snapshot() const { return m_workspace->snapshot(); }
    [[nodiscard]] std::shared_ptr<const LoadedSide> localSide() const { return m_workspace->localSide(); }
    [[nodiscard]] std::shared_ptr<const LoadedSide> serverSide() const { return m_workspace->serverSide(); }

    // ---- manual resolution (undoable) ----------------------------------------------------
    [[nodiscard]] const decksync::ResolutionSet& resolutions() const { return m_workspace->resolutions()->set(); }
    [[nodiscard]] QUndoStack* undoStack() const { return m_workspace->resolutions()->undoStack(); }
    void resolve(decksync::DataType type, const decksync::Uuid& id, decksync::ItemResolution resolution,
                 const QString& description)
    {
        m_workspace->resolutions()->resolve(type, id, std::move(resolution), description);
    }
    void resolveMany(decksync::DataType type, const std::vector<decksync::Uuid>& ids, std::optional<decksync::Side> base,
                     const QString& description)
    {
        m_workspace->resolutions()->resolveMany(type, ids, base, description);
    }
    /// The person's note on an item (kept in the session, the history, the bundle and the
    /// report); an empty one removes it. One undo step.
    void setNote(decksync::DataType type, const decksync::Uuid& id, const QString& note, const QString& description)
    {
        m_workspace->resolutions()->setNote(type, id, note, description);
    }
    /// One undo step: the item's result becomes `version` of it (none: the item is not there),
    /// a version from its history. Fails with why, changing nothing, when the loaded sides
    /// cannot be resolved to it (both hold the item and the version has none, say).
    Outcome<> useVersion(decksync::DataType type, const decksync::Uuid& id, const decksync::ItemText& version,
                         const QString& description);
    /// Replaces every resolution (session restore); clears the undo history.
    void restoreResolutions(decksync::ResolutionSet resolutions) { m_workspace->resolutions()->replace(std::move(resolutions)); }

    // ---- writes --------------------------------------------------------------------------
    using ComparisonDone = std::function<void(std::shared_ptr<const decksync::ProfileComparison>,
                                              std::shared_ptr<const decksync::SyncSnapshot> compared)>;
    /// The loaded sync under both profiles and where they differ, off the GUI thread; `done`
    /// gets it with the snapshot it compared, on this thread, unless `context` died first or
    /// a newer comparison was asked for.
    void compareProfiles(QObject* context, ComparisonDone done);
    /// One undo step: the items of `differences` (of `comparison`, made from `compared`) take
    /// `take`'s result. Returns how many could not be expressed as a resolution (left as they
    /// are), or -1 without changing anything when the loaded sync is no longer `compared`.
    int takeProfileResults(const std::shared_ptr<const decksync::SyncSnapshot>& compared,
                           const decksync::ProfileComparison& comparison,
                           const std::vector<const decksync::ProfileDifference*>& differences, decksync::Profile take);

    /// Counts what apply() would write, off the GUI thread; `done` runs on this thread unless
    /// `context` died first or a newer preview was asked for.
    void preview(QObject* context, std::function<void(const ApplyPreview&)> done);
    /// Writes the resolved server state to `serverOut` and the device's new state to
    /// `localOut` (both or neither), records the run in the history, then loads the written
    /// files. Emits applied() or applyFailed(); a target that another program changed since
    /// it was loaded emits targetsChanged() instead, and nothing is written unless
    /// `overwriteChanged`. With a live server, `serverOut` is ignored: the new state is sent
    /// with If-Match of the fetched revision, and the local file is written only once the
    /// server took it; a revision that moved emits serverConflict().
    void apply(const QString& serverOut, const QString& localOut, bool overwriteChanged = false);

    /// Writes a repro bundle of the loaded sides with this run's options and the engine's
    /// result; emits bundleExported() or bundleFailed().
    void exportBundle(const QString& path);
    /// Writes the case report (Markdown, HTML or PDF, by the name's extension) of what is
    /// shown, resolutions included; emits reportExported() or reportFailed().
    void exportReport(const QString& path);
    /// The case's summary as plain text for a ticket, worked out off the GUI thread; `done`
    /// is not called when `context` died first or a newer summary was asked for.
    void caseSummary(QObject* context, std::function<void(const QString&)> done);

    /// Asked during a rollback, while it holds the write lane: `answer` may be called later
    /// (an asynchronous dialog); if it is never called, the rollback is cancelled.
    using RollbackQuestion = std::function<void(const RollbackPlan& plan, std::function<void(RollbackAnswer)> answer)>;
    /// Rolls back history record `id`: plans it against the files as they are now, asks
    /// `question` (about a live server, after asking it what it holds now), restores both sides
    /// (a live server through If-Match of the run's revision, or of the newer one it was told to
    /// roll back over),
    /// records the rollback and loads the restored sides. Emits rolledBack() or rollbackFailed().
    void rollback(qint64 id, RollbackQuestion question);

Q_SIGNALS:
    void snapshotChanged();
    void loadFailed(const QString& message);
    /// A side names one item twice (`message` says where): nothing was loaded and the current
    /// state stays; loadAllowingDuplicateIds() loads it anyway.
    void duplicateIdsFound(const QString& message);
    void resolutionChanged(decksync::DataType type, const decksync::Uuid& id);
    void resolutionsReset();
    /// apply() begins: what is pending should be saved now (a crash may follow).
    void applyStarted();
    void applied(qint64 historyId, const QString& serverOut, const QString& localOut);
    void applyFailed(const QString& message);
    /// Nothing was written: these targets changed since they were loaded. apply() again with
    /// `overwriteChanged` writes over them.
    void targetsChanged(const QStringList& paths, const QString& serverOut, const QString& localOut);
    /// The server's state moved on since it was fetched: nothing was written. `changes` says,
    /// per type, what another device changed there (empty when it could not be fetched).
    void serverConflict(qint64 fetchedRevision, qint64 serverRevision, const QString& changes);
    void bundleExported(const QString& path);
    void bundleFailed(const QString& message);
    void reportExported(const QString& path);
    void reportFailed(const QString& message);
    /// A rollback restored these sides (`remote`: the server side is a live server); the
    /// restored sides are being loaded.
    void rolledBack(qint64 historyId, const QString& localPath, const QString& serverSource, bool remote);
    void rollbackFailed(const QString& message);
    /// A write added to the history or changed it.
    void historyChanged();
    /// Another device wrote to the live server.
    void remoteChanged(const QString& dataType, qint64 revision);

private:
    struct LoadRequest {
        QString localPath;
        std::shared_ptr<const LoadedSide> fetchedServer; ///< the server's side, when fetched
        QString serverPath;
        bool keepResolutions = false;
        bool allowDuplicateIds = false;
    };
    void startLoad(LoadRequest request);
    /// Finds the base again and syncs the loaded sides against it; keeps resolutions.
    void resync();
    /// Sides read, waiting for their base from the server before they are synced.
    struct AwaitingBase {
        std::shared_ptr<const LoadedSide> local;
        std::shared_ptr<const LoadedSide> server;
        bool keepResolutions = false;
    };
    /// With a live server, no chosen base file and a device that synced before: asks the
    /// server for its data as it was at the device's last sync, which both sides agreed on
    /// then, to be the base, and syncs once it comes. False when there is nothing to ask.
    bool askServerBase(AwaitingBase sides);
    /// Syncs the awaiting sides against the server's past `document` (its `revision`), or,
    /// without one (the server no longer keeps it), against the history's base.
    void syncAwaitingSides(const std::optional<QByteArray>& document, qint64 revision);
    /// The chosen base file if it was chosen for this local file, else empty.
    [[nodiscard]] QString baseFileFor(const QString& localPath) const;
    /// loadFromServer() without asking again about duplicate ids (a re-fetch of the same data).
    void fetchServerSide(const QString& localPath, ServerClient* client, bool keepResolutions);
    void useClient(ServerClient* client);
    void applyToServer(const ApplyRequest& request, WriteTicket ticket);
    void explainConflict(qint64 fetchedRevision, qint64 serverRevision, WriteTicket ticket);
    /// Asks `question` about `plan` while `ticket` holds the lane, then rolls back as answered.
    void askRollback(const QString& path, std::shared_ptr<RollbackPlan> plan, RollbackQuestion question,
                     WriteTicket ticket);
    void rollbackRemote(RollbackPlan plan, WriteTicket ticket);
    /// Records and shows a rollback's outcome, then loads the restored sides.
    void finishRollback(const Outcome<RolledBack>& outcome, bool remote);

    Operations m_ops;
    JobTracker m_previews; ///< reads of their own: nothing waits for them, nor they for a write
    JobTracker m_comparisons; ///< the same, for seed against safe
    Workspace* m_workspace;
    QString m_historyPath;
    ServerClient* m_ownClient;
    ServerClient* m_client = nullptr; ///< the client in use: m_ownClient unless one was given
    QList<QMetaObject::Connection> m_clientConnections; ///< the session's own, to m_client
    quint64 m_pendingCall = 0;
    quint64 m_baseCall = 0; ///< the fetch of the server's base, when one is under way
    std::optional<AwaitingBase> m_awaitingBase; ///< the sides that wait for it
    QString m_pendingLocalPath;
    bool m_pendingKeep = false;
    std::optional<LoadRequest> m_refusedLoad; ///< the load duplicateIdsFound() was about
    bool m_duplicateIdsAccepted = false;      ///< Load Anyway, until another pair is opened
    QString m_baseFile;    ///< chosen by the person; empty: the server's or the history's, or none
    QString m_baseFileFor; ///< the local file (absolute) it was chosen for
};
