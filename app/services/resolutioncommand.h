// SPDX-License-Identifier: MIT
#pragma once

#include "engine/resolution.h"

#include <QUndoCommand>

#include <vector>

class Resolutions;

/// One undoable change of resolutions: for each item, the resolution before and after.
class ResolutionCommand final : public QUndoCommand {
public:
    struct Change {
        decksync::Uuid id;
        decksync::ItemResolution before;
        decksync::ItemResolution after;
    };

    ResolutionCommand(Resolutions* resolutions, decksync::DataType type, std::vector<Change> changes,
                      const QString& text);

    void undo() override;
    void redo() override;

private:
    Resolutions* m_resolutions;
    decksync::DataType m_type;
    std::vector<Change> m_changes;
};
