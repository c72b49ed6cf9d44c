// SPDX-License-Identifier: MIT
#include "engine/datasetcodec.h"

#include "engine/fields.h"
#include "engine/jsonreader.h"

#include <array>

namespace decksync::codec {
namespace {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

/// A member may be left out of the input when it is optional (then null) or a list (then empty).
template <class M>
constexpr bool mayBeAbsent = IsOptional<M>::value || IsVector<M>::value;

template <class T>
constexpr auto fieldNames()
{
    std::array<std::string_view, FieldCount<T>> names{};
    forEachField<T>([&](const auto& f, auto i) { names[i] = f.name; });
    return names;
}

// ---- reading members ---------------------------------------------------------------------

void readMember(JsonReader& r, std::string& out) { out = r.readString(); }
void readMember(JsonReader& r, std::int64_t& out) { out = r.readInt64(); }
void readMember(JsonReader& r, bool& out) { out = r.readBool(); }

void readMember(JsonReader& r, Uuid& out)
{
    r.peekType();
    const std::size_t at = r.offset();
    const std::string_view text = r.readString();
    const auto parsed = Uuid::parse(text);
    if (!parsed)
        r.fail(quoteForMessage(text) + " is not a UUID", at);
    out = *parsed;
}

void readMember(JsonReader& r, Timestamp& out)
{
    r.peekType();
    const std::size_t at = r.offset();
    const std::string_view text = r.readString();
    std::string why;
    const auto parsed = Timestamp::parse(text, &why);
    if (!parsed)
        r.fail(quoteForMessage(text) + ' ' + why, at);
    out = *parsed;
}

template <class T>
    requires requires { ModelFields<T>::fields; }
void readMember(JsonReader& r, T& out);

template <class M>
void readMember(JsonReader& r, std::optional<M>& out)
{
    if (r.readNull()) {
        out.reset();
        return;
    }
    out.emplace();
    readMember(r, *out);
}

template <class M>
void readMember(JsonReader& r, std::vector<M>& out)
{
    out.clear();
    r.readArray([&](std::size_t) { readMember(r, out.emplace_back()); });
}

template <class T, std::size_t... I>
void readFieldByIndex(JsonReader& r, T& out, std::size_t index, std::index_sequence<I...>)
{
    const bool found = ((index == I ? (readMember(r, out.*(std::get<I>(ModelFields<T>::fields).member)), true) : false) || ...);
    (void)found; // exactly one index matches; the fold stops there
}

template <class T>
    requires requires { ModelFields<T>::fields; }
void readMember(JsonReader& r, T& out)
{
    static constexpr auto names = fieldNames<T>();
    constexpr std::size_t count = FieldCount<T>;
    static_assert(count < 64);

    r.peekType();
    const std::size_t objectStart = r.offset();
    std::uint64_t seen = 0;
    std::array<std::int16_t, 64> order{};
    std::size_t orderSize = 0;
    bool canonical = true;
    std::size_t expected = 0;
    std::vector<UnknownField> unknown;

    r.readObject([&](std::string_view key) {
        // Fast path: members usually come in model order.
        std::size_t index = count;
        if (expected < count && names[expected] == key) {
            index = expected;
        } else {
            for (std::size_t i = 0; i < count; ++i) {
                if (names[i] == key) {
                    index = i;
                    break;
                }
            }
        }
        const bool roomInOrder = orderSize < order.size();
        if (index < count) {
            if (seen & (std::uint64_t{1} << index))
                r.failHere("duplicate field " + quoteForMessage(key));
            seen |= std::uint64_t{1} << index;
            if (index != expected)
                canonical = false;
            expected = index + 1;
            readFieldByIndex(r, out, index, std::make_index_sequence<count>{});
            if (roomInOrder)
                order[orderSize++] = static_cast<std::int16_t>(index);
            return;
        }
        std::string name(key);
        for (const UnknownField& u : unknown) {
            if (u.key == name)
                r.failHere("duplicate field " + quoteForMessage(name));
        }
        canonical = false;
        const std::string_view raw = r.skipValue();
        if (!roomInOrder || unknown.size() >= 0x7000)
            r.failHere("too many members in one object");
        order[orderSize++] = static_cast<std::int16_t>(-1 - static_cast<int>(unknown.size()));
        unknown.push_back({std::move(name), std::string(raw)});
    });

    const std::uint64_t all = (std::uint64_t{1} << count) - 1;
    if (seen != all) {
        forEachField<T>([&](const auto& f, auto i) {
            using M = typename std::decay_t<decltype(f)>::Type;
            if (!(seen & (std::uint64_t{1} << i))) {
                if constexpr (mayBeAbsent<M>)
                    out.*(f.member) = M{};
                else
                    r.fail("missing field " + quoteForMessage(f.name), objectStart);
            }
        });
        canonical = false;
    }
    if (canonical) {
        out.layout.reset();
    } else {
        auto layout = std::make_shared<ItemLayout>();
        layout->order.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(orderSize));
        layout->unknown = std::move(unknown);
        out.layout = std::move(layout);
    }
}

// ---- writing members ---------------------------------------------------------------------

void writeMember(JsonWriter& w, const std::string& v) { w.string(v); }
void writeMember(JsonWriter& w, std::int64_t v) { w.integer(v); }
void writeMember(JsonWriter& w, bool v) { w.boolean(v); }
void writeMember(JsonWriter& w, const Uuid& v) { w.uuid(v); }
void writeMember(JsonWriter& w, const Timestamp& v) { w.timestamp(v); }

template <class T>
    requires requires { ModelFields<T>::fields; }
void writeMember(JsonWriter& w, const T& v);

template <class M>
void writeMember(JsonWriter& w, const std::optional<M>& v)
{
    if (v)
        writeMember(w, *v);
    else
        w.null();
}

template <class M>
void writeMember(JsonWriter& w, const std::vector<M>& v)
{
    w.beginArray();
    for (const M& item : v)
        writeMember(w, item);
    w.endArray();
}

template <class M>
bool hasValue(const M& v)
{
    if constexpr (IsOptional<M>::value)
        return v.has_value();
    else if constexpr (IsVector<M>::value)
        return !v.empty();
    else
        return true;
}

/// Writes the object `v` in its layout (or in model order): `writeValue(f)` writes the value of
/// field `f`, and `present(f)` says whether a field absent on input now carries a value.
template <class T, class WriteValue, class Present>
void writeObject(JsonWriter& w, const T& v, WriteValue&& writeValue, Present&& present)
{
    w.beginObject();
    if (!v.layout) {
        forEachField<T>([&](const auto& f, auto) {
            w.key(f.name);
            writeValue(f);
        });
        w.endObject();
        return;
    }
    std::uint64_t written = 0;
    for (const std::int16_t entry : v.layout->order) {
        if (entry < 0) {
            const UnknownField& u = v.layout->unknown[static_cast<std::size_t>(-1 - entry)];
            w.key(u.key);
            w.raw(u.raw);
            continue;
        }
        forEachField<T>([&](const auto& f, auto i) {
            if (i == static_cast<std::size_t>(entry)) {
                w.key(f.name);
                writeValue(f);
                written |= std::uint64_t{1} << i;
            }
        });
    }
    // Members absent on input stay absent unless they now carry a value.
    forEachField<T>([&](const auto& f, auto i) {
        if (!(written & (std::uint64_t{1} << i)) && present(f)) {
            w.key(f.name);
            writeValue(f);
        }
    });
    w.endObject();
}

template <class T>
    requires requires { ModelFields<T>::fields; }
void writeMember(JsonWriter& w, const T& v)
{
    writeObject(
        w, v, [&](const auto& f) { writeMember(w, v.*(f.member)); },
        [&](const auto& f) { return hasValue(v.*(f.member)); });
}

} // namespace

Uuid readUuid(JsonReader& reader)
{
    Uuid out;
    readMember(reader, out);
    return out;
}

Timestamp readTimestamp(JsonReader& reader)
{
    Timestamp out;
    readMember(reader, out);
    return out;
}

std::optional<Timestamp> readOptionalTimestamp(JsonReader& reader)
{
    std::optional<Timestamp> out;
    readMember(reader, out);
    return out;
}

std::string quoteForMessage(std::string_view text)
{
    constexpr std::size_t limit = 60;
    std::string out;
    if (text.size() <= limit) {
        JsonWriter::appendEscaped(out, text);
        return out;
    }
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut; // do not split a UTF-8 sequence
    JsonWriter::appendEscaped(out, text.substr(0, cut));
    out.insert(out.size() - 1, "…");
    return out;
}

Decoded<Dataset> decodeDataset(std::string_view json, ProgressObserver* observer)
{
    return decodeWith<Dataset>(json, [observer](JsonReader& r) {
        r.setObserver(observer);
        Dataset d;
        readMember(r, d);
        return d;
    });
}

void writeDataset(JsonWriter& writer, const Dataset& dataset) { writeMember(writer, dataset); }

std::string encodeDataset(const Dataset& dataset, JsonWriter::Style style)
{
    std::string out;
    JsonWriter w(out, style);
    writeDataset(w, dataset);
    w.finish();
    return out;
}

void writeDatasetWith(JsonWriter& writer, const Dataset& frame, const RawItems& items)
{
    const auto listOf = [&](const auto& member) -> const std::vector<std::string_view>* {
        using M = std::remove_cvref_t<decltype(frame.*member)>;
        if constexpr (std::is_same_v<M, std::vector<Deck>>)
            return &items.lists[0];
        else if constexpr (std::is_same_v<M, std::vector<Achievement>>)
            return &items.lists[1];
        else if constexpr (std::is_same_v<M, std::vector<Progress>>)
            return &items.lists[2];
        else if constexpr (std::is_same_v<M, std::vector<StarredDeck>>)
            return &items.lists[3];
        else
            return nullptr;
    };
    writeObject(
        writer, frame,
        [&](const auto& f) {
            using M = std::remove_cvref_t<decltype(frame.*(f.member))>;
            if constexpr (std::is_same_v<M, std::optional<UserPreferences>>) {
                if (items.preferences)
                    writer.raw(*items.preferences);
                else
                    writer.null();
            } else if (const std::vector<std::string_view>* list = listOf(f.member)) {
                writer.beginArray();
                for (const std::string_view item : *list)
                    writer.raw(item);
                writer.endArray();
            } else {
                writeMember(writer, frame.*(f.member));
            }
        },
        [&](const auto& f) {
            using M = std::remove_cvref_t<decltype(frame.*(f.member))>;
            if constexpr (std::is_same_v<M, std::optional<UserPreferences>>)
                return items.preferences.has_value();
            else if (const std::vector<std::string_view>* list = listOf(f.member))
                return !list->empty();
            else
                return hasValue(frame.*(f.member));
        });
}

template <class T>
void readItem(JsonReader& reader, T& out)
{
    readMember(reader, out);
}

template <class T>
void writeItem(JsonWriter& writer, const T& item)
{
    writeMember(writer, item);
}

template <class T>
Decoded<T> decodeItem(std::string_view json)
{
    return decodeWith<T>(json, [](JsonReader& r) {
        T item;
        readMember(r, item);
        return item;
    });
}

template <class T>
std::string encodeItem(const T& item, JsonWriter::Style style)
{
    std::string out;
    JsonWriter w(out, style);
    writeMember(w, item);
    w.finish(false);
    return out;
}

#define DECKSYNC_INSTANTIATE(T)                                                                                        \
    template void readItem<T>(JsonReader&, T&);                                                                        \
    template void writeItem<T>(JsonWriter&, const T&);                                                                 \
    template Decoded<T> decodeItem<T>(std::string_view);                                                               \
    template std::string encodeItem<T>(const T&, JsonWriter::Style);
DECKSYNC_INSTANTIATE(Deck)
DECKSYNC_INSTANTIATE(Achievement)
DECKSYNC_INSTANTIATE(Progress)
DECKSYNC_INSTANTIATE(StarredDeck)
DECKSYNC_INSTANTIATE(UserPreferences)
#undef DECKSYNC_INSTANTIATE

} // namespace decksync::codec
