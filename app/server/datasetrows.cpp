// SPDX-License-Identifier: MIT
#include "app/server/datasetrows.h"

#include "app/services/bytes.h"

#include "engine/datasetcodec.h"
#include "engine/synctraits.h"

#include <unordered_map>

using namespace Qt::StringLiterals;
using namespace decksync;

namespace DatasetRows {
namespace {

QByteArray bytesOf(const std::string& text) { return QByteArray(text.data(), static_cast<qsizetype>(text.size())); }

template <class T>
void appendRows(const std::vector<T>& items, std::vector<StoredItem>* out)
{
    qint64 pos = 0;
    for (const T& item : items)
        out->push_back({SyncTraits<T>::type, bytesOf(SyncTraits<T>::id(item).toString()), pos++,
                        bytesOf(codec::encodeItem(item))});
}

template <class T>
bool decodeInto(const StoredItem& row, Dataset* out, QString* error)
{
    Decoded<T> item = codec::decodeItem<T>(bytesView(row.body));
    if (!item) {
        *error = u"The stored %1 item %2 cannot be read: %3."_s.arg(QLatin1String(dataTypeName(row.type)),
                                                                    QString::fromLatin1(row.id),
                                                                    QString::fromStdString(item.error().toString()));
        return false;
    }
    if constexpr (std::is_same_v<T, UserPreferences>)
        out->preferences = std::move(item.value());
    else
        itemsOf<T>(*out).push_back(std::move(item.value()));
    return true;
}

} // namespace

QByteArray frameOf(const Dataset& dataset)
{
    Dataset frame;
    frame.last_sync = dataset.last_sync;
    frame.layout = dataset.layout;
    return bytesOf(codec::encodeDataset(frame, JsonWriter::Style::Compact));
}

std::vector<StoredItem> rowsOf(const Dataset& dataset, DataType type)
{
    std::vector<StoredItem> rows;
    switch (type) {
    case DataType::Decks: appendRows(dataset.decks, &rows); break;
    case DataType::Achievements: appendRows(dataset.achievements, &rows); break;
    case DataType::Progress: appendRows(dataset.progress, &rows); break;
    case DataType::Starred: appendRows(dataset.starred, &rows); break;
    case DataType::Preferences:
        if (dataset.preferences)
            rows.push_back({type, bytesOf(dataset.preferences->user_id.toString()), 0,
                            bytesOf(codec::encodeItem(*dataset.preferences))});
        break;
    }
    return rows;
}

bool decodeRows(const std::vector<StoredItem>& rows, Dataset* out, QString* error)
{
    for (const StoredItem& row : rows) {
        bool ok = false;
        switch (row.type) {
        case DataType::Decks: ok = decodeInto<Deck>(row, out, error); break;
        case DataType::Achievements: ok = decodeInto<Achievement>(row, out, error); break;
        case DataType::Progress: ok = decodeInto<Progress>(row, out, error); break;
        case DataType::Starred: ok = decodeInto<StarredDeck>(row, out, error); break;
        case DataType::Preferences: ok = decodeInto<UserPreferences>(row, out, error); break;
        }
        if (!ok)
            return false;
    }
    return true;
}

std::vector<ItemChange> diff(DataType type, const std::vector<StoredItem>& before, const std::vector<StoredItem>& after,
                             bool wholeType, qint64 maxPos)
{
    std::unordered_map<QByteArray, const StoredItem*> old;
    old.reserve(before.size());
    for (const StoredItem& row : before) {
        old.emplace(row.id, &row);
        maxPos = std::max(maxPos, row.pos);
    }
    // The places stay as they are when the items kept keep their order and the new ones come
    // after them, as the engine and the batches write them; otherwise the list is numbered again.
    bool renumber = false;
    if (wholeType) {
        qint64 last = -1;
        bool sawNew = false;
        for (const StoredItem& row : after) {
            const auto it = old.find(row.id);
            if (it == old.end()) {
                sawNew = true;
            } else if (sawNew || it->second->pos <= last) {
                renumber = true;
                break;
            } else {
                last = it->second->pos;
            }
        }
    }
    std::vector<ItemChange> changes;
    qint64 next = maxPos + 1;
    qint64 index = 0;
    std::unordered_map<QByteArray, bool> kept;
    for (const StoredItem& row : after) {
        const auto it = old.find(row.id);
        const qint64 pos = renumber ? index : it != old.end() ? it->second->pos : next++;
        ++index;
        if (it == old.end()) {
            changes.push_back({type, row.id, std::nullopt, 0, row.body, pos});
            continue;
        }
        kept.emplace(row.id, true);
        if (it->second->body != row.body || it->second->pos != pos)
            changes.push_back({type, row.id, it->second->body, it->second->pos, row.body, pos});
    }
    for (const StoredItem& row : before) {
        if (!kept.contains(row.id))
            changes.push_back({type, row.id, row.body, row.pos, std::nullopt, row.pos});
    }
    return changes;
}

Counts countsOf(const std::vector<ItemChange>& changes)
{
    Counts counts;
    for (const ItemChange& c : changes) {
        if (!c.before)
            ++counts.added;
        else if (!c.after)
            ++counts.removed;
        else if (*c.before != *c.after)
            ++counts.changed;
    }
    return counts;
}

} // namespace DatasetRows
