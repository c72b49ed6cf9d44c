// SPDX-License-Identifier: MIT
#pragma once

// Qt first: moc cannot parse the standard library's <concepts> before Qt's headers set it up.
#include <QObject>
#include <QString>

#include "engine/resolution.h"

#include <optional>
#include <vector>

class QUndoStack;

/// The person's resolutions and notes, and their undo history. The undo commands change it directly
/// (setDirect()); everything else goes through resolve(), resolveMany() and resolveEach(),
/// which record one undo step each.
class Resolutions : public QObject {
    Q_OBJECT
public:
    explicit Resolutions(QObject* parent = nullptr);

    [[nodiscard]] const decksync::ResolutionSet& set() const { return m_set; }
    [[nodiscard]] QUndoStack* undoStack() const { return m_undo; }

    /// Records `resolution` as an undo step named `description` (nothing if it is the same).
    void resolve(decksync::DataType type, const decksync::Uuid& id, decksync::ItemResolution resolution,
                 const QString& description);
    /// One undo step that resolves every id in `ids` as `base`'s version (empty: the engine's result).
    void resolveMany(decksync::DataType type, const std::vector<decksync::Uuid>& ids, std::optional<decksync::Side> base,
                     const QString& description);
    /// One undo step that sets each of `resolutions`, of any types.
    void resolveEach(const std::vector<std::pair<decksync::ResolutionKey, decksync::ItemResolution>>& resolutions,
                     const QString& description);
    /// Records the note on an item as an undo step named `description` (nothing if it is the
    /// same); an empty note removes it. The item's resolution is not touched.
    void setNote(decksync::DataType type, const decksync::Uuid& id, const QString& note, const QString& description);
    /// Sets one note without an undo step (used by the undo command).
    void setNoteDirect(decksync::DataType type, const decksync::Uuid& id, const std::string& note);
    /// Replaces every resolution (a new pair, a session restore) and clears the undo history.
    void replace(decksync::ResolutionSet resolutions = {});
    /// Sets one resolution without an undo step (used by the undo commands).
    void setDirect(decksync::DataType type, const decksync::Uuid& id, decksync::ItemResolution resolution);

Q_SIGNALS:
    void changed(decksync::DataType type, const decksync::Uuid& id);
    void replaced();

private:
    decksync::ResolutionSet m_set;
    QUndoStack* m_undo;
};
