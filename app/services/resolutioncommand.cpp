// SPDX-License-Identifier: MIT
#include "app/services/resolutioncommand.h"

#include "app/services/resolutions.h"

ResolutionCommand::ResolutionCommand(Resolutions* resolutions, decksync::DataType type, std::vector<Change> changes,
                                     const QString& text)
    : QUndoCommand(text)
    , m_resolutions(resolutions)
    , m_type(type)
    , m_changes(std::move(changes))
{
}

void ResolutionCommand::undo()
{
    for (const Change& c : m_changes)
        m_resolutions->setDirect(m_type, c.id, c.before);
}

void ResolutionCommand::redo()
{
    for (const Change& c : m_changes)
        m_resolutions->setDirect(m_type, c.id, c.after);
}
