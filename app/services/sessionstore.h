// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include "app/services/outcome.h"
#include "engine/resolution.h"
#include "engine/timestamp.h"

#include <optional>

class InspectorSession;

/// What a session needs to come back after a crash or a close: its sources, its run options
/// and the resolutions not yet applied.
struct SessionState {
    QString localPath;
    QString serverPath;
    std::optional<decksync::Timestamp> fixedNow;
    std::optional<std::optional<decksync::Timestamp>> lastSyncOverride;
    decksync::ResolutionSet resolutions;
};

/// Keeps the session in a small JSON file (written to a temporary file, then renamed) a
/// moment after every change, so that a crash loses at most that moment; offers it back on
/// the next start.
class SessionStore : public QObject {
    Q_OBJECT
public:
    /// `path` empty: <AppDataLocation>/session.json.
    explicit SessionStore(InspectorSession* session, QString path = {}, QObject* parent = nullptr);

    [[nodiscard]] QString path() const { return m_path; }
    /// The saved session: nullopt when there is none to offer (no file yet, or one without
    /// both sources); fails with why when the file cannot be read or decoded.
    [[nodiscard]] Outcome<std::optional<SessionState>> load() const;
    /// Writes the session now; fails with why (the previous file stays).
    Outcome<> saveNow();
    /// Forgets the saved session.
    void clear();
    /// Loads the saved sources with the saved options, then puts the resolutions back.
    void restore(const SessionState& state);

Q_SIGNALS:
    void restored();

private:
    void scheduleSave();
    /// saveNow() where nobody waits for the result (the autosave): a failure is logged.
    void saveOrWarn();

    InspectorSession* m_session;
    QString m_path;
    QTimer m_debounce;
    std::optional<decksync::ResolutionSet> m_pendingResolutions;
    QString m_pendingLocalPath; ///< the local file of the restore under way
};
