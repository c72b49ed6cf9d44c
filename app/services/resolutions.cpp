// SPDX-License-Identifier: MIT
#include "app/services/resolutions.h"

#include "app/services/resolutioncommand.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <map>

using namespace decksync;

namespace {

/// One undoable change of an item's note.
class NoteCommand final : public QUndoCommand {
public:
    NoteCommand(Resolutions* resolutions, ResolutionKey key, std::string before, std::string after, const QString& text)
        : QUndoCommand(text)
        , m_resolutions(resolutions)
        , m_key(key)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    /// Typing a note pushes a command per key: those of one item, one after another, are one step.
    [[nodiscard]] int id() const override { return 0x6e6f7465; }
    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const NoteCommand*>(other);
        if (next->m_key != m_key)
            return false;
        m_after = next->m_after;
        setObsolete(m_after == m_before);
        return true;
    }
    void undo() override { m_resolutions->setNoteDirect(m_key.type, m_key.id, m_before); }
    void redo() override { m_resolutions->setNoteDirect(m_key.type, m_key.id, m_after); }

private:
    Resolutions* m_resolutions;
    ResolutionKey m_key;
    std::string m_before;
    std::string m_after;
};

} // namespace

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

void Resolutions::setNote(DataType type, const Uuid& id, const QString& note, const QString& description)
{
    std::string after = ResolutionSet::keptNote(note.toStdString());
    const std::string* current = m_set.note(type, id);
    std::string before = current ? *current : std::string();
    if (after == before)
        return;
    m_undo->push(new NoteCommand(this, {type, id}, std::move(before), std::move(after), description));
}

void Resolutions::setNoteDirect(DataType type, const Uuid& id, const std::string& note)
{
    m_set.setNote(type, id, note);
    Q_EMIT changed(type, id);
}
