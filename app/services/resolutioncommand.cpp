// SPDX-License-Identifier: MIT
#include "app/services/resolutioncommand.h"

#include "app/services/inspectorsession.h"

ResolutionCommand::ResolutionCommand(InspectorSession* session, decksync::DataType type, std::vector<Change> changes,
                                     const QString& text)
    : QUndoCommand(text)
    , m_session(session)
    , m_type(type)
    , m_changes(std::move(changes))
{
}

void ResolutionCommand::undo()
{
    for (const Change& c : m_changes)
        m_session->setResolutionDirect(m_type, c.id, c.before);
}

void ResolutionCommand::redo()
{
    for (const Change& c : m_changes)
        m_session->setResolutionDirect(m_type, c.id, c.after);
}
