// SPDX-License-Identifier: MIT
#include "engine/profilecompare.h"

#include "engine/synctraits.h"

#include <algorithm>     // find
#include <cstdint>       // INT64_MAX
#include <type_traits>   // is_same_v
#include <unordered_map> // unordered_map

namespace decksync {
namespace {

template <class T>
using ById = std::unordered_map<Uuid, const T*, UuidHash>;

template <class T>
ById<T> byId(const std::vector<T>& items)
{
    ById<T> out;
    out.reserve(items.size());
    for (const T& item : items)
        out.emplace(SyncTraits<T>::id(item), &item); // the first of a repeated id, as the engines match
    return out;
}

std::unordered_map<Uuid, std::string, UuidHash> reasons(const std::vector<Decision>& decisions)
{
    std::unordered_map<Uuid, std::string, UuidHash> out;
    for (const Decision& d : decisions)
        out.emplace(d.item_id, d.explanation);
    return out;
}

/// Every member either item has; without `bookkeeping`, not the version and the sync
/// timestamp of the types that carry a version, which only follow from the rest.
template <class T>
std::vector<std::string> memberNames(const T* a, const T* b, bool bookkeeping = false)
{
    constexpr bool versioned = !std::is_same_v<T, Achievement> && !std::is_same_v<T, StarredDeck>;
    std::vector<std::string> names;
    for (const T* item : {a, b}) {
        if (!item)
            continue;
        for (const FieldSpec& spec : ItemFields<T>::specsOf(*item)) {
            if (versioned && !bookkeeping && (spec.name == "version" || spec.name == SyncTraits<T>::timestampName))
                continue;
            if (std::find(names.begin(), names.end(), spec.name) == names.end())
                names.push_back(spec.name);
        }
    }
    return names;
}

template <class T>
std::vector<std::string> memberNamesAll(const T* a, const T* b)
{
    return memberNames(a, b, true);
}

template <class T>
std::string sourceOf(const FieldCell& value, const T* local, const T* server, std::string_view name)
{
    const bool fromLocal = local && ItemFields<T>::read(*local, name) == value;
    const bool fromServer = server && ItemFields<T>::read(*server, name) == value;
    if (fromLocal && fromServer)
        return "both";
    if (fromLocal)
        return "the device";
    if (fromServer)
        return "the server";
    return "neither side (merged)";
}

template <class T>
void compareType(const std::vector<T>& seed, const std::vector<T>& safe, const std::vector<T>& local,
                 const std::vector<T>& server, const DatasetSyncResult& seedRun, const DatasetSyncResult& safeRun,
                 std::vector<ProfileDifference>& out)
{
    const DataType type = SyncTraits<T>::type;
    const ById<T> seedIds = byId(seed);
    const ById<T> safeIds = byId(safe);
    const ById<T> localIds = byId(local);
    const ById<T> serverIds = byId(server);
    const auto seedWhy = reasons(seedRun.decisions(type));
    const auto safeWhy = reasons(safeRun.decisions(type));
    const auto find = [](const auto& map, const Uuid& id) {
        const auto it = map.find(id);
        return it == map.end() ? decltype(it->second){} : it->second;
    };
    const auto difference = [&](const T& item, ProfileDifference::Kind kind) {
        const Uuid& id = SyncTraits<T>::id(item);
        ProfileDifference d{type, id, kind, ItemFields<T>::label(item), {}, find(seedWhy, id), find(safeWhy, id)};
        if (d.seedReason.empty() && kind == ProfileDifference::Kind::SeedDeletes) {
            for (const Diagnostic& note : seedRun.diagnostics(type)) { // the seed drops some items without a decision
                if (note.item_id == id && note.code == "local-dropped")
                    d.seedReason = note.message;
            }
        }
        return d;
    };
    for (const T& item : safe) {
        const T* other = find(seedIds, SyncTraits<T>::id(item));
        if (!other) {
            out.push_back(difference(item, ProfileDifference::Kind::SeedDeletes));
            continue;
        }
        ProfileDifference d = difference(item, ProfileDifference::Kind::Differs);
        const T* l = find(localIds, d.id);
        const T* s = find(serverIds, d.id);
        for (const std::string& name : memberNames(other, &item)) {
            FieldCell a = ItemFields<T>::read(*other, name);
            FieldCell b = ItemFields<T>::read(item, name);
            if (a == b)
                continue;
            std::string from = sourceOf(b, l, s, name);
            d.fields.push_back({name, std::move(a), std::move(b), std::move(from)});
        }
        if (!d.fields.empty())
            out.push_back(std::move(d));
    }
    for (const T& item : seed) {
        if (!safeIds.contains(SyncTraits<T>::id(item)))
            out.push_back(difference(item, ProfileDifference::Kind::SafeDeletes));
    }
}

template <class T>
std::vector<T> asVector(const std::optional<T>& item)
{
    return item ? std::vector<T>{*item} : std::vector<T>{};
}

/// The study time of all progress items, held at the int64 limits rather than overflowing.
std::int64_t timeSpent(const Dataset& d)
{
    std::int64_t total = 0;
    for (const Progress& p : d.progress) {
        if (__builtin_add_overflow(total, p.total_time_spent, &total))
            return p.total_time_spent > 0 ? INT64_MAX : INT64_MIN;
    }
    return total;
}

template <class T>
const T* findItem(const std::vector<T>& items, const Uuid& id)
{
    for (const T& item : items) {
        if (SyncTraits<T>::id(item) == id)
            return &item;
    }
    return nullptr;
}

template <class T>
bool sameMembers(const T& a, const T& b)
{
    for (const std::string& name : memberNamesAll(&a, &b)) {
        if (!(ItemFields<T>::read(a, name) == ItemFields<T>::read(b, name)))
            return false;
    }
    return true;
}

template <class T>
std::optional<ItemResolution> takeResult(const std::vector<T>& result, const std::vector<T>& local,
                                         const std::vector<T>& server, const Uuid& id)
{
    const T* target = findItem(result, id);
    const T* l = findItem(local, id);
    const T* s = findItem(server, id);
    ItemResolution r;
    if (!target) { // the result drops it: a side that lacks it says so
        if (!l)
            r.base = Side::Local;
        else if (!s)
            r.base = Side::Server;
        else
            return std::nullopt;
        return r;
    }
    if (l && sameMembers(*target, *l)) {
        r.base = Side::Local;
        return r;
    }
    if (s && sameMembers(*target, *s)) {
        r.base = Side::Server;
        return r;
    }
    const T* from = s ? s : l;
    r.base = s ? Side::Server : Side::Local;
    for (const std::string& name : memberNamesAll(target, from)) {
        FieldCell cell = ItemFields<T>::read(*target, name);
        if (!(cell == ItemFields<T>::read(*from, name)))
            r.setField({name, std::move(cell)});
    }
    return r;
}

} // namespace

std::optional<ItemResolution> takeProfileResult(const ProfileComparison& c, const ProfileDifference& d, Profile take,
                                                const Dataset& local, const Dataset& server)
{
    const Dataset& result = take == Profile::Seed ? c.seed.merged : c.safe.merged;
    switch (d.type) {
    case DataType::Decks: return takeResult(result.decks, local.decks, server.decks, d.id);
    case DataType::Achievements: return takeResult(result.achievements, local.achievements, server.achievements, d.id);
    case DataType::Progress: return takeResult(result.progress, local.progress, server.progress, d.id);
    case DataType::Starred: return takeResult(result.starred, local.starred, server.starred, d.id);
    case DataType::Preferences: break;
    }
    return takeResult(asVector(result.preferences), asVector(local.preferences), asVector(server.preferences), d.id);
}

const char* differenceKindName(ProfileDifference::Kind kind)
{
    switch (kind) {
    case ProfileDifference::Kind::SeedDeletes: return "seed-deletes";
    case ProfileDifference::Kind::SafeDeletes: return "safe-deletes";
    case ProfileDifference::Kind::Differs: break;
    }
    return "differs";
}

ProfileComparison compareProfiles(const Dataset& local, const Dataset& server, const Dataset* base,
                                  const SyncOptions& options)
{
    ProfileComparison c;
    c.hasBase = base != nullptr;
    SyncOptions seedOptions = options;
    seedOptions.profile = Profile::Seed;
    c.seed = SyncEngine(seedOptions).syncDataset(local, server);
    SyncOptions safeOptions = options;
    safeOptions.profile = Profile::Safe;
    SyncEngine safe(safeOptions);
    safe.setBase(base);
    c.safe = safe.syncDataset(local, server);

    const Dataset& a = c.seed.merged;
    const Dataset& b = c.safe.merged;
    compareType(a.decks, b.decks, local.decks, server.decks, c.seed, c.safe, c.differences);
    compareType(a.achievements, b.achievements, local.achievements, server.achievements, c.seed, c.safe, c.differences);
    compareType(a.progress, b.progress, local.progress, server.progress, c.seed, c.safe, c.differences);
    compareType(a.starred, b.starred, local.starred, server.starred, c.seed, c.safe, c.differences);
    compareType(asVector(a.preferences), asVector(b.preferences), asVector(local.preferences),
                asVector(server.preferences), c.seed, c.safe, c.differences);
    c.seedTimeSpent = timeSpent(a);
    c.safeTimeSpent = timeSpent(b);
    return c;
}

namespace codec {

void writeComparison(JsonWriter& w, const ProfileComparison& c)
{
    w.beginObject();
    w.key("base");
    w.boolean(c.hasBase);
    w.key("time_spent");
    w.beginObject();
    w.key("seed");
    w.integer(c.seedTimeSpent);
    w.key("safe");
    w.integer(c.safeTimeSpent);
    w.endObject();
    w.key("differences");
    w.beginArray();
    for (const ProfileDifference& d : c.differences) {
        w.beginObject();
        w.key("type");
        w.string(dataTypeName(d.type));
        w.key("id");
        w.string(d.id.toString());
        w.key("kind");
        w.string(differenceKindName(d.kind));
        w.key("label");
        w.string(d.label);
        w.key("fields");
        w.beginArray();
        for (const FieldDifference& f : d.fields) {
            w.beginObject();
            w.key("name");
            w.string(f.name);
            w.key("seed");
            w.string(f.seed.display());
            w.key("safe");
            w.string(f.safe.display());
            w.key("safe_from");
            w.string(f.safeFrom);
            w.endObject();
        }
        w.endArray();
        w.key("seed_reason");
        w.string(d.seedReason);
        w.key("safe_reason");
        w.string(d.safeReason);
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

} // namespace codec

} // namespace decksync
