// SPDX-License-Identifier: MIT
#include "engine/itemversions.h"

#include "engine/datasetcodec.h"
#include "engine/itemchanges.h"
#include "engine/synctraits.h"

#include <set> // set

namespace decksync {
namespace {

DecodeError plainError(std::string message) { return DecodeError{{}, {}, std::move(message), 0, 0, 0}; }

/// The item of `text`, or none; fails as the codec does.
template <class T>
Decoded<std::optional<T>> decodeVersion(const ItemText& text)
{
    if (!text)
        return std::optional<T>();
    Decoded<T> item = codec::decodeItem<T>(*text);
    if (!item.ok())
        return item.error();
    return std::optional<T>(std::move(item.value()));
}

/// Every member either version has: the known ones in model order, then the others.
template <class T>
std::vector<std::string> fieldNames(const std::optional<T>& a, const std::optional<T>& b)
{
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const std::optional<T>* item : {&a, &b}) {
        const std::vector<FieldSpec> specs = *item ? ItemFields<T>::specsOf(**item) : ItemFields<T>::known();
        for (const FieldSpec& spec : specs) {
            if (seen.insert(spec.name).second)
                names.push_back(spec.name);
        }
    }
    return names;
}

template <class T>
FieldCell cellOf(const std::optional<T>& item, const std::string& name)
{
    return item ? ItemFields<T>::read(*item, name) : FieldCell::absent();
}

} // namespace

ItemText itemTextIn(const Dataset& dataset, DataType type, const Uuid& id)
{
    return withModelOf(type, [&]<class T>() -> ItemText {
        if constexpr (std::is_same_v<T, UserPreferences>) {
            if (dataset.preferences && dataset.preferences->user_id == id)
                return codec::encodeItem(*dataset.preferences);
        } else {
            for (const T& item : itemsOf<T>(dataset)) {
                if (SyncTraits<T>::id(item) == id)
                    return codec::encodeItem(item);
            }
        }
        return std::nullopt;
    });
}

Decoded<std::vector<FieldEdit>> fieldEdits(DataType type, const ItemText& before, const ItemText& after)
{
    return withModelOf(type, [&]<class T>() -> Decoded<std::vector<FieldEdit>> {
        Decoded<std::optional<T>> a = decodeVersion<T>(before);
        if (!a.ok())
            return a.error();
        Decoded<std::optional<T>> b = decodeVersion<T>(after);
        if (!b.ok())
            return b.error();
        std::vector<FieldEdit> edits;
        for (const std::string& name : fieldNames(a.value(), b.value())) {
            FieldCell x = cellOf(a.value(), name);
            FieldCell y = cellOf(b.value(), name);
            if (x != y)
                edits.push_back({name, std::move(x), std::move(y)});
        }
        return edits;
    });
}

std::string describeItemEdit(DataType type, const ItemText& before, const ItemText& after)
{
    if (!before && !after)
        return "not there";
    if (!before)
        return "added";
    if (!after)
        return "deleted";
    const Decoded<std::vector<FieldEdit>> edits = fieldEdits(type, before, after);
    if (!edits.ok())
        return "cannot be read: " + edits.error().toString();
    std::string fields;
    std::optional<std::string> from, to;
    for (const FieldEdit& e : edits.value()) {
        if (e.field == "version") {
            from = e.before.display();
            to = e.after.display();
            continue;
        }
        fields += (fields.empty() ? "" : ", ") + e.field;
    }
    if (fields.empty() && !from)
        return "unchanged";
    std::string text = fields.empty() ? std::string("version changed") : fields + " changed";
    if (from)
        text += " (version " + *from + " \u2192 " + *to + ")";
    return text;
}

Decoded<ItemResolution> resolutionToVersion(DataType type, const ItemText& version, const ItemText& local,
                                            const ItemText& server)
{
    if (!local && !server)
        return plainError("neither the device nor the server holds the item");
    ItemResolution resolution;
    if (!version) {
        if (local && server)
            return plainError("both the device and the server hold the item: a version without it cannot be "
                              "chosen here");
        resolution.base = local ? Side::Server : Side::Local; // the side without it
        return resolution;
    }
    return withModelOf(type, [&]<class T>() -> Decoded<ItemResolution> {
        const Side base = server ? Side::Server : Side::Local;
        Decoded<std::optional<T>> want = decodeVersion<T>(version);
        if (!want.ok())
            return want.error();
        Decoded<std::optional<T>> from = decodeVersion<T>(base == Side::Server ? server : local);
        if (!from.ok())
            return from.error();
        resolution.base = base;
        T check = *from.value();
        for (const std::string& name : fieldNames(want.value(), from.value())) {
            FieldCell cell = cellOf(want.value(), name);
            if (cell == ItemFields<T>::read(check, name))
                continue; // the base has it already
            std::string why;
            if (!ItemFields<T>::write(check, name, cell, &why))
                return plainError(name + ": " + why);
            resolution.setField({name, std::move(cell)});
        }
        if (!sameItem(check, *want.value()))
            return plainError("that version cannot be made from the item's fields");
        return resolution;
    });
}

} // namespace decksync
