// SPDX-License-Identifier: MIT
#include "engine/datasetdiff.h"

#include "engine/datasetcodec.h"
#include "engine/idindex.h"
#include "engine/itemchanges.h"
#include "engine/synctraits.h"

namespace decksync {
namespace {

template <class T>
TypeDiff diffLists(const std::vector<T>& from, const std::vector<T>& to)
{
    TypeDiff d;
    IdIndex fromIds(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        fromIds.emplace(SyncTraits<T>::id(from[i]), static_cast<std::uint32_t>(i));
    IdIndex seen(to.size());
    for (const T& item : to) {
        const Uuid& id = SyncTraits<T>::id(item);
        seen.emplace(id, 0);
        const std::uint32_t* at = fromIds.find(id);
        if (!at)
            ++d.added;
        else if (codec::encodeItem(from[*at]) == codec::encodeItem(item))
            ++d.unchanged;
        else
            ++d.changed;
    }
    for (const T& item : from) {
        if (!seen.contains(SyncTraits<T>::id(item)))
            ++d.removed;
    }
    return d;
}

template <class T>
std::vector<T> asList(const std::optional<T>& v)
{
    return v ? std::vector<T>{*v} : std::vector<T>{};
}

} // namespace

DatasetDiff diffDatasets(const Dataset& from, const Dataset& to)
{
    return {diffLists(from.decks, to.decks), diffLists(from.achievements, to.achievements),
            diffLists(from.progress, to.progress), diffLists(from.starred, to.starred),
            diffLists(asList(from.preferences), asList(to.preferences))};
}

std::string describeDiff(const DatasetDiff& diff)
{
    std::string out;
    for (DataType t : AllDataTypes) {
        const TypeDiff& d = diff[static_cast<std::size_t>(t)];
        if (d.added + d.removed + d.changed == 0)
            continue;
        std::string parts;
        auto add = [&parts](std::size_t n, const char* what) {
            if (n == 0)
                return;
            if (!parts.empty())
                parts += ", ";
            parts += std::to_string(n) + ' ' + what;
        };
        add(d.added, "added");
        add(d.removed, "removed");
        add(d.changed, "changed");
        if (!out.empty())
            out += "; ";
        out += std::string(dataTypeName(t)) + ": " + parts;
    }
    return out.empty() ? "no change" : out;
}

std::optional<std::string> describeDocumentDiff(std::string_view fromDocument, std::string_view toDocument)
{
    const Decoded<Dataset> from = codec::decodeDataset(fromDocument);
    const Decoded<Dataset> to = codec::decodeDataset(toDocument);
    if (!from.ok() || !to.ok())
        return std::nullopt;
    return describeDiff(diffDatasets(from.value(), to.value()));
}

std::optional<std::string> describeDocumentChanges(std::string_view fromDocument, std::string_view toDocument)
{
    const Decoded<Dataset> from = codec::decodeDataset(fromDocument);
    const Decoded<Dataset> to = codec::decodeDataset(toDocument);
    if (!from.ok() || !to.ok())
        return std::nullopt;
    return describeChanges(from.value(), to.value());
}

std::string describeChanges(const Dataset& from, const Dataset& to)
{
    std::string out = describeDiff(diffDatasets(from, to));
    const std::string items = describeItemChanges(itemChanges(from, to));
    if (!items.empty())
        out += '\n' + items.substr(0, items.size() - 1); // without its last newline
    return out;
}

} // namespace decksync
