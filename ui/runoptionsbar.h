// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc 6.4 (run as C++17) fails on <compare> unless a Qt header came before.
#include <QWidget>

#include "engine/syncengine.h"
#include "engine/timestamp.h"

#include <optional>

class QComboBox;
class QLineEdit;
class QLabel;

/// The options of a run, visible and editable before it: last_sync (the file's, null, or a
/// fixed value), the clock (`now`: system or fixed) and the engine profile.
class RunOptionsBar : public QWidget {
    Q_OBJECT
public:
    explicit RunOptionsBar(QWidget* parent = nullptr);

    /// nullopt: use the local file's last_sync; an empty inner value: never synced.
    [[nodiscard]] std::optional<std::optional<decksync::Timestamp>> lastSyncOverride() const;
    /// nullopt: the system clock.
    [[nodiscard]] std::optional<decksync::Timestamp> fixedNow() const;
    [[nodiscard]] decksync::Profile profile() const;
    void setProfile(decksync::Profile profile);
    /// False when a field does not parse; `error` says which and why.
    bool validate(QString* error) const;

    void setFileLastSync(const std::optional<decksync::Timestamp>& value);
    void setFixedNow(const std::optional<decksync::Timestamp>& value);
    void setLastSyncOverride(const std::optional<std::optional<decksync::Timestamp>>& value);

    /// Undo and Redo in a field that has nothing of its own to undo or redo go to the
    /// window's actions (the resolutions), instead of doing nothing.
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    void changed();
    /// The person chose another profile: the run should follow.
    void profileChanged();

private:
    QLineEdit* m_lastSync;
    QLineEdit* m_now;
    QComboBox* m_profile;
    QLabel* m_fileLastSync;
};
