// SPDX-License-Identifier: MIT
#include "app/services/resolutions.h"

#include "app/services/resolutioncommand.h"

#include <QUndoStack>

#include <map>

using namespace decksync;

Resolutions::Resolutions(QObject* parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
}

void Resolutions::resolve(DataType type, const Uuid& id, ItemResolution resolution, const QString& description)
{
    const ItemResolution* current = m_set.find(type, id);
    ItemResolution before = current ? *current : ItemResolution{};
    if (before == resolution)
        return;
    m_undo->push(new ResolutionCommand(this, type, {{id, std::move(before), std::move(resolution)}}, description));
}

void Resolutions::resolveMany(DataType type, const std::vector<Uuid>& ids, std::optional<Side> base,
                              const QString& description)
{
    std::vector<ResolutionCommand::Change> changes;
    for (const Uuid& id : ids) {
        const ItemResolution* current = m_set.find(type, id);
        ItemResolution before = current ? *current : ItemResolution{};
        ItemResolution after;
        after.base = base;
        if (before != after)
            changes.push_back({id, std::move(before), std::move(after)});
    }
    if (!changes.empty())
        m_undo->push(new ResolutionCommand(this, type, std::move(changes), description));
}

void Resolutions::resolveEach(const std::vector<std::pair<ResolutionKey, ItemResolution>>& resolutions,
                              const QString& description)
{
    // One command per type, inside one macro: a single undo step.
    std::map<DataType, std::vector<ResolutionCommand::Change>> byType;
    for (const auto& [key, after] : resolutions) {
        const ItemResolution* current = m_set.find(key.type, key.id);
        ItemResolution before = current ? *current : ItemResolution{};
        if (before != after)
            byType[key.type].push_back({key.id, std::move(before), after});
    }
    if (byType.empty())
        return;
    m_undo->beginMacro(description);
    for (auto& [type, changes] : byType)
        m_undo->push(new ResolutionCommand(this, type, std::move(changes), description));
    m_undo->endMacro();
}

void Resolutions::replace(ResolutionSet resolutions)
{
    m_set = std::move(resolutions);
    m_undo->clear();
    Q_EMIT replaced();
}

void Resolutions::setDirect(DataType type, const Uuid& id, ItemResolution resolution)
{
    m_set.set(type, id, std::move(resolution));
    Q_EMIT changed(type, id);
}
