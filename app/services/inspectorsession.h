// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/jobtracker.h"
#include "engine/resolution.h"
#include "engine/syncsnapshot.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QUndoStack;
class ServerClient;

/// One side as loaded: where from, its exact bytes (for history and rollback) and its data.
struct LoadedSide {
    QString path;        ///< a file, or a description of the live server
    qint64 revision = -1; ///< the server's revision when fetched from a live server; -1 for a file
    QByteArray bytes;
    std::shared_ptr<const decksync::Dataset> dataset; ///< shared with the snapshots made from it
};

/// What an Apply would write: the new server state, the device's new state, and the
/// resolutions that could not be applied (those items keep the engine's version).
struct ApplyPreview {
    decksync::Dataset server;
    decksync::Dataset local;
    std::vector<std::string> problems;
};

/// The state of the inspector behind the windows: the loaded sides, the run options, the
/// engine's snapshot and the person's resolutions (with undo). Loading, syncing and applying
/// run off the GUI thread through one JobTracker; a newer request supersedes an older one,
/// and a failed load leaves what was loaded before in place.
class InspectorSession : public QObject {
    Q_OBJECT
public:
    explicit InspectorSession(QObject* parent = nullptr);
    ~InspectorSession() override;

    // ---- run options: visible and editable before a run (QA replays) --------------------
    /// The engine clock; nullopt: the system clock when the run starts.
    void setFixedNow(std::optional<decksync::Timestamp> now) { m_fixedNow = now; }
    [[nodiscard]] std::optional<decksync::Timestamp> fixedNow() const { return m_fixedNow; }
    /// Overrides the local file's last_sync; nullopt: use the file's. An empty inner value
    /// means "never synced".
    void setLastSyncOverride(std::optional<std::optional<decksync::Timestamp>> value) { m_lastSyncOverride = value; }
    [[nodiscard]] std::optional<std::optional<decksync::Timestamp>> lastSyncOverride() const { return m_lastSyncOverride; }
    void setProfile(decksync::Profile profile) { m_profile = profile; }
    [[nodiscard]] decksync::Profile profile() const { return m_profile; }
    /// Where applied syncs are recorded; empty: not recorded.
    void setHistoryPath(const QString& path) { m_historyPath = path; }
    [[nodiscard]] QString historyPath() const { return m_historyPath; }

    // ---- loading and syncing -------------------------------------------------------------
    /// Reads both files and syncs them, in the background. On failure emits loadFailed()
    /// naming the file, the JSON path and the problem; the current state stays.
    void load(const QString& localPath, const QString& serverPath);
    /// Fetches the server side from a live server through `client` (which must outlive the
    /// session) and syncs it with the local file. With `keepResolutions` (a re-run after a
    /// conflicting write) the resolutions made so far stay.
    void loadFromServer(const QString& localPath, ServerClient* client, bool keepResolutions = false);
    /// After duplicateIdsFound(): loads the same sides again, syncing the repeated ids as the
    /// seed would (each repeat is flagged by a duplicate-id diagnostic).
    void loadAllowingDuplicateIds();
    [[nodiscard]] bool serverIsRemote() const { return m_server && m_server->revision >= 0; }
    [[nodiscard]] ServerClient* serverClient() const { return m_client; }
    /// Runs the sync again on the loaded sides with the current options; keeps resolutions.
    void rerun();
    void cancel() { m_jobs.cancel(); }
    [[nodiscard]] JobTracker* jobs() { return &m_jobs; }
    [[nodiscard]] bool hasData() const { return m_snapshot != nullptr; }
    [[nodiscard]] std::shared_ptr<const decksync::SyncSnapshot> snapshot() const { return m_snapshot; }
    [[nodiscard]] std::shared_ptr<const LoadedSide> localSide() const { return m_local; }
    [[nodiscard]] std::shared_ptr<const LoadedSide> serverSide() const { return m_server; }

    // ---- manual resolution (undoable) ----------------------------------------------------
    [[nodiscard]] const decksync::ResolutionSet& resolutions() const { return m_resolutions; }
    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }
    /// Records a resolution as an undo command named `description`.
    void resolve(decksync::DataType type, const decksync::Uuid& id, decksync::ItemResolution resolution,
                 const QString& description);
    /// One undo step that sets `choice` for every id in `ids`.
    void resolveMany(decksync::DataType type, const std::vector<decksync::Uuid>& ids, decksync::ItemChoice choice,
                     const QString& description);
    /// Replaces every resolution (session restore); clears the undo history.
    void restoreResolutions(decksync::ResolutionSet resolutions);

    // ---- applying ------------------------------------------------------------------------
    [[nodiscard]] ApplyPreview preview() const;
    /// Writes the resolved server state to `serverOut` and the device's new state to
    /// `localOut` (both or neither), records the run in the history, then loads the written
    /// files. Emits applied() or applyFailed(). With a live server, `serverOut` is ignored:
    /// the new state is sent with If-Match of the fetched revision, and the local file is
    /// written only once the server took it; a revision that moved emits serverConflict().
    void apply(const QString& serverOut, const QString& localOut);

    /// Writes a repro bundle of the loaded sides with this run's options and the engine's
    /// result (in the background); emits bundleExported() or bundleFailed().
    void exportBundle(const QString& path);

    /// Applies a resolution change without an undo command (used by the undo commands).
    void setResolutionDirect(decksync::DataType type, const decksync::Uuid& id, decksync::ItemResolution resolution);

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
    /// The server's state moved on since it was fetched: nothing was written. `changes` says,
    /// per type, what another device changed there (empty when it could not be fetched).
    void serverConflict(qint64 fetchedRevision, qint64 serverRevision, const QString& changes);
    void bundleExported(const QString& path);
    void bundleFailed(const QString& message);
    /// Another device wrote to the live server.
    void remoteChanged(const QString& dataType, qint64 revision);

private:
    void startSync(std::shared_ptr<const LoadedSide> local, std::shared_ptr<const LoadedSide> server, bool keepResolutions);
    [[nodiscard]] decksync::SyncOptions optionsFor(const decksync::Dataset& local) const;
    struct LoadRequest {
        QString localPath;
        std::shared_ptr<const LoadedSide> fetchedServer; ///< the server's side, when fetched
        QString serverPath;
        bool keepResolutions = false;
        bool allowDuplicateIds = false;
    };
    void startLoad(LoadRequest request);
    /// loadFromServer() without asking again about duplicate ids (a re-fetch of the same data).
    void fetchServerSide(const QString& localPath, ServerClient* client, bool keepResolutions);
    void applyToServer(const QString& localOut);
    void explainConflict(qint64 fetchedRevision, qint64 serverRevision);

    JobTracker m_jobs;
    QUndoStack* m_undo;
    std::optional<decksync::Timestamp> m_fixedNow;
    std::optional<std::optional<decksync::Timestamp>> m_lastSyncOverride;
    decksync::Profile m_profile = decksync::Profile::Seed;
    QString m_historyPath;
    std::shared_ptr<const LoadedSide> m_local;
    std::shared_ptr<const LoadedSide> m_server;
    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    decksync::ResolutionSet m_resolutions;
    ServerClient* m_client = nullptr;
    quint64 m_pendingCall = 0;
    QString m_pendingLocalPath;
    bool m_pendingKeep = false;
    std::optional<LoadRequest> m_refusedLoad; ///< the load duplicateIdsFound() was about
    bool m_duplicateIdsAccepted = false;      ///< Load Anyway, until another pair is opened
};
