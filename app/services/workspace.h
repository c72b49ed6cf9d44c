// SPDX-License-Identifier: MIT
#pragma once

#include "app/services/resolutions.h" // first: it includes Qt before the engine (for moc)
#include "app/services/outcome.h"
#include "engine/contentstamp.h"
#include "engine/syncsnapshot.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

/// One side as loaded: where from, its exact bytes (for history, rollback and repro bundles)
/// and its data.
struct LoadedSide {
    QString path;         ///< a file, or a description of the live server
    qint64 revision = -1; ///< the server's revision when fetched from a live server; -1 for a file
    /// The bytes, unless `onDisk`: a file's are read again when they are needed, because
    /// they are the size of the decoded data (600 MB for a million decks) and seldom used.
    QByteArray bytes;
    bool onDisk = false;
    decksync::ContentStamp stamp; ///< of the bytes as loaded: whether a file still holds them
    std::shared_ptr<const decksync::Dataset> dataset; ///< shared with the snapshots made from it

    [[nodiscard]] bool isRemote() const { return revision >= 0; }
    /// The bytes as loaded. For a side read from a file, the file is read again; it fails
    /// (Failure::Kind::TargetsChanged) when the file no longer holds what was loaded.
    [[nodiscard]] Outcome<QByteArray> exactBytes() const;
};

/// The run options a person sets before a run (QA replays).
struct RunOptions {
    /// The engine clock; nullopt: the system clock when the run starts.
    std::optional<decksync::Timestamp> fixedNow;
    /// Overrides the local file's last_sync; nullopt: use the file's. An empty inner value
    /// means "never synced".
    std::optional<std::optional<decksync::Timestamp>> lastSyncOverride;
    decksync::Profile profile = decksync::Profile::Seed;

    /// The engine's options for a run on `local`, with the clock read now.
    [[nodiscard]] decksync::SyncOptions syncOptionsFor(const decksync::Dataset& local) const;
};

/// What the inspector holds: the loaded sides, the engine's snapshot of their sync, the
/// person's resolutions and the run options. Only the operations change the sides and the
/// snapshot; the undo commands change the resolutions.
class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(QObject* parent = nullptr);

    RunOptions options;

    [[nodiscard]] bool hasData() const { return m_snapshot != nullptr; }
    [[nodiscard]] std::shared_ptr<const decksync::SyncSnapshot> snapshot() const { return m_snapshot; }
    [[nodiscard]] std::shared_ptr<const LoadedSide> localSide() const { return m_local; }
    [[nodiscard]] std::shared_ptr<const LoadedSide> serverSide() const { return m_server; }
    /// The base the snapshot was synced against (its `path` says where it came from), or null.
    [[nodiscard]] std::shared_ptr<const LoadedSide> baseSide() const { return m_base; }
    [[nodiscard]] bool serverIsRemote() const { return m_server && m_server->isRemote(); }
    [[nodiscard]] Resolutions* resolutions() const { return m_resolutions; }

    /// Shows a new sync of `local` and `server` against `base` (null: none), each freed on a
    /// pool thread when replaced; a null `local` or `server` keeps the loaded one. Without
    /// `keepResolutions` the resolutions and their undo history start afresh.
    void setLoaded(std::shared_ptr<const LoadedSide> local, std::shared_ptr<const LoadedSide> server,
                   std::shared_ptr<const LoadedSide> base, std::shared_ptr<const decksync::SyncSnapshot> snapshot,
                   bool keepResolutions);

Q_SIGNALS:
    void snapshotChanged();

private:
    std::shared_ptr<const LoadedSide> m_local;
    std::shared_ptr<const LoadedSide> m_server;
    std::shared_ptr<const LoadedSide> m_base;
    std::shared_ptr<const decksync::SyncSnapshot> m_snapshot;
    Resolutions* m_resolutions;
};
