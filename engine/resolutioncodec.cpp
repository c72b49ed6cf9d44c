// SPDX-License-Identifier: MIT
#include "engine/resolutioncodec.h"

#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"

#include <algorithm> // sort, unique
#include <vector>    // vector

namespace decksync::codec {
namespace {

template <class E>
E enumFromName(JsonReader& r, const char* (*name)(E), std::initializer_list<E> values, const char* what)
{
    r.peekType();
    const std::size_t at = r.offset();
    const std::string text(r.readString());
    for (E v : values) {
        if (text == name(v))
            return v;
    }
    r.fail(quoteForMessage(text) + " is not " + what, at);
}

/// How a field's source is written: its side's name, or "manual" for a typed value.
const char* sourceName(std::optional<Side> side) { return side ? sideName(*side) : "manual"; }

FieldOverride readOverride(JsonReader& r)
{
    FieldOverride f;
    std::optional<Side> side;
    FieldCell manual; // absent unless a "value" is given
    r.readObject([&](std::string_view key) {
        if (key == "field") {
            f.field = r.readString();
        } else if (key == "source") {
            side = enumFromName<std::optional<Side>>(r, sourceName, {Side::Local, Side::Server, std::nullopt},
                                                     "a field source (local, server, manual)");
        } else if (key == "value") {
            manual = r.readNull() ? FieldCell::null() : FieldCell::value(std::string(r.readString()));
        } else {
            r.skipValue();
        }
    });
    if (side)
        f.source = *side; // a value beside a side is not kept (it is never written)
    else
        f.source = std::move(manual);
    return f;
}

} // namespace

void writeResolutions(JsonWriter& w, const ResolutionSet& resolutions)
{
    // One entry per item with a resolution or a note (or both), in key order.
    std::vector<ResolutionKey> keys;
    keys.reserve(resolutions.items().size() + resolutions.notes().size());
    for (const auto& entry : resolutions.items())
        keys.push_back(entry.first);
    for (const auto& entry : resolutions.notes())
        keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const ItemResolution none;
    w.beginArray();
    for (const ResolutionKey& key : keys) {
        const ItemResolution* found = resolutions.find(key.type, key.id);
        const ItemResolution& res = found ? *found : none;
        w.beginObject();
        w.key("type");
        w.string(dataTypeName(key.type));
        w.key("id");
        w.uuid(key.id);
        w.key("base");
        w.string(baseName(res.base));
        if (res.keepDeviceCopy) { // only when set: files without it read as before
            w.key("keep_device_copy");
            w.boolean(true);
        }
        w.key("fields");
        w.beginArray();
        for (const FieldOverride& f : res.fields) {
            w.beginObject();
            w.key("field");
            w.string(f.field);
            w.key("source");
            w.string(sourceName(f.side()));
            const FieldCell* manual = f.manual();
            if (manual && !manual->isAbsent()) {
                w.key("value");
                if (manual->state == FieldCell::State::Null)
                    w.null();
                else
                    w.string(manual->text);
            }
            w.endObject();
        }
        w.endArray();
        if (const std::string* note = resolutions.note(key.type, key.id)) { // only when there is one
            w.key("note");
            w.string(*note);
        }
        w.endObject();
    }
    w.endArray();
}

std::string encodeResolutions(const ResolutionSet& resolutions)
{
    std::string out;
    JsonWriter w(out);
    writeResolutions(w, resolutions);
    w.finish();
    return out;
}

Decoded<ResolutionSet> decodeResolutions(std::string_view json)
{
    return decodeWith<ResolutionSet>(json, [](JsonReader& r) {
        ResolutionSet set;
        r.readArray([&](std::size_t) {
            r.peekType();
            const std::size_t start = r.offset();
            std::optional<DataType> type;
            std::optional<Uuid> id;
            ItemResolution res;
            std::string note;
            r.readObject([&](std::string_view key) {
                if (key == "type") {
                    type = enumFromName<DataType>(r, dataTypeName,
                                                  {DataType::Decks, DataType::Achievements, DataType::Progress,
                                                   DataType::Starred, DataType::Preferences},
                                                  "a data type");
                } else if (key == "id") {
                    id = readUuid(r);
                } else if (key == "base") {
                    res.base = enumFromName<std::optional<Side>>(r, baseName, {std::nullopt, Side::Local, Side::Server},
                                                                 "a base (engine, local, server)");
                } else if (key == "fields") {
                    r.readArray([&](std::size_t) { res.fields.push_back(readOverride(r)); });
                } else if (key == "keep_device_copy") {
                    res.keepDeviceCopy = r.readBool();
                } else if (key == "note") {
                    note = r.readString();
                } else {
                    r.skipValue();
                }
            });
            if (!type || !id)
                r.fail(std::string("missing field \"") + (!type ? "type" : "id") + '"', start);
            set.set(*type, *id, std::move(res));
            set.setNote(*type, *id, std::move(note));
        });
        return set;
    });
}

} // namespace decksync::codec
