// SPDX-License-Identifier: MIT
#include "engine/itemfields.h"

#include "engine/fields.h"
#include "engine/jsonreader.h"

#include <charconv> // from_chars

namespace decksync {
namespace {

template <class M>
struct KindOf;
template <>
struct KindOf<Uuid> : std::integral_constant<FieldKind, FieldKind::Uuid> {};
template <>
struct KindOf<std::string> : std::integral_constant<FieldKind, FieldKind::Text> {};
template <>
struct KindOf<Timestamp> : std::integral_constant<FieldKind, FieldKind::Timestamp> {};
template <>
struct KindOf<std::int64_t> : std::integral_constant<FieldKind, FieldKind::Integer> {};
template <>
struct KindOf<bool> : std::integral_constant<FieldKind, FieldKind::Boolean> {};
template <class M>
struct KindOf<std::optional<M>> : KindOf<M> {};

template <class M>
constexpr bool isNullable = false;
template <class M>
constexpr bool isNullable<std::optional<M>> = true;

std::string toText(const Uuid& v) { return v.toString(); }
std::string toText(const std::string& v) { return v; }
std::string toText(const Timestamp& v) { return v.toString(); }
std::string toText(std::int64_t v) { return std::to_string(v); }
std::string toText(bool v) { return v ? "true" : "false"; }

bool fromText(std::string_view text, Uuid& out, std::string* error)
{
    const auto v = Uuid::parse(text);
    if (!v && error)
        *error = "\"" + std::string(text) + "\" is not a UUID";
    if (v)
        out = *v;
    return v.has_value();
}

bool fromText(std::string_view text, std::string& out, std::string*)
{
    out = text;
    return true;
}

bool fromText(std::string_view text, Timestamp& out, std::string* error)
{
    std::string why;
    const auto v = Timestamp::parse(text, &why);
    if (!v && error)
        *error = "\"" + std::string(text) + "\" " + why;
    if (v)
        out = *v;
    return v.has_value();
}

bool fromText(std::string_view text, std::int64_t& out, std::string* error)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
        out = v;
        return true;
    }
    if (error)
        *error = ec == std::errc::result_out_of_range
            ? "\"" + std::string(text) + "\" is out of range for a 64-bit integer"
            : "\"" + std::string(text) + "\" is not an integer";
    return false;
}

bool fromText(std::string_view text, bool& out, std::string* error)
{
    if (text == "true" || text == "false") {
        out = text == "true";
        return true;
    }
    if (error)
        *error = "\"" + std::string(text) + "\" is not true or false";
    return false;
}

template <class M>
FieldCell cellOf(const M& v)
{
    if constexpr (isNullable<M>)
        return v ? FieldCell::value(toText(*v)) : FieldCell::null();
    else
        return FieldCell::value(toText(v));
}

template <class M>
bool assign(M& member, const FieldCell& cell, std::string_view name, std::string* error)
{
    if (cell.state != FieldCell::State::Value) {
        if constexpr (isNullable<M>) {
            member.reset();
            return true;
        } else {
            if (error)
                *error = std::string(name) + " cannot be null";
            return false;
        }
    } else if constexpr (isNullable<M>) {
        typename M::value_type v{};
        if (!fromText(cell.text, v, error))
            return false;
        member = std::move(v);
        return true;
    } else {
        return fromText(cell.text, member, error);
    }
}

bool validJson(std::string_view text, std::string* error)
{
    auto r = decodeWith<bool>(text, [](JsonReader& reader) {
        reader.skipValue();
        return true;
    });
    if (!r.ok() && error)
        *error = "not valid JSON: " + r.error().message;
    return r.ok();
}

/// The layout an item has, made explicit (canonical order when it had none).
template <class T>
ItemLayout explicitLayout(const T& item)
{
    if (item.layout)
        return *item.layout;
    ItemLayout l;
    for (std::size_t i = 0; i < FieldCount<T>; ++i)
        l.order.push_back(static_cast<std::int16_t>(i));
    return l;
}

template <class T>
void setUnknown(T& item, std::string_view name, const FieldCell& cell)
{
    ItemLayout l = explicitLayout(item);
    std::size_t at = l.unknown.size();
    for (std::size_t i = 0; i < l.unknown.size(); ++i) {
        if (l.unknown[i].key == name)
            at = i;
    }
    if (cell.isAbsent()) {
        if (at == l.unknown.size())
            return;
        l.unknown.erase(l.unknown.begin() + static_cast<std::ptrdiff_t>(at));
        std::vector<std::int16_t> order;
        for (std::int16_t e : l.order) {
            const int u = -1 - e;
            if (e >= 0)
                order.push_back(e);
            else if (u != static_cast<int>(at))
                order.push_back(static_cast<std::int16_t>(u > static_cast<int>(at) ? e + 1 : e));
        }
        l.order = std::move(order);
    } else {
        const std::string raw = cell.state == FieldCell::State::Null ? std::string("null") : cell.text;
        if (at == l.unknown.size()) {
            l.unknown.push_back({std::string(name), raw});
            l.order.push_back(static_cast<std::int16_t>(-1 - static_cast<int>(at)));
        } else {
            l.unknown[at].raw = raw;
        }
    }
    item.layout = std::make_shared<const ItemLayout>(std::move(l));
}

} // namespace

std::string FieldCell::display() const
{
    switch (state) {
    case State::Absent: return "(absent)";
    case State::Null: return "null";
    case State::Value: break;
    }
    return text;
}

template <class T>
const std::vector<FieldSpec>& ItemFields<T>::known()
{
    static const std::vector<FieldSpec> specs = [] {
        std::vector<FieldSpec> out;
        forEachField<T>([&](const auto& f, auto) {
            using M = typename std::decay_t<decltype(f)>::Type;
            out.push_back({std::string(f.name), KindOf<M>::value, isNullable<M>, true});
        });
        return out;
    }();
    return specs;
}

template <class T>
std::vector<FieldSpec> ItemFields<T>::specsOf(const T& item)
{
    std::vector<FieldSpec> out = known();
    if (item.layout) {
        for (const UnknownField& u : item.layout->unknown)
            out.push_back({u.key, FieldKind::Json, true, false});
    }
    return out;
}

template <class T>
FieldCell ItemFields<T>::read(const T& item, std::string_view name)
{
    FieldCell cell;
    bool found = false;
    forEachField<T>([&](const auto& f, auto) {
        if (!found && f.name == name) {
            cell = cellOf(item.*(f.member));
            found = true;
        }
    });
    if (found || !item.layout)
        return cell;
    for (const UnknownField& u : item.layout->unknown) {
        if (u.key == name)
            return FieldCell::value(u.raw);
    }
    return cell;
}

template <class T>
bool ItemFields<T>::write(T& item, std::string_view name, const FieldCell& cell, std::string* error)
{
    bool known = false;
    bool ok = false;
    forEachField<T>([&](const auto& f, auto) {
        if (!known && f.name == name) {
            known = true;
            ok = assign(item.*(f.member), cell, name, error);
        }
    });
    if (known)
        return ok;
    if (cell.state == FieldCell::State::Value && !validJson(cell.text, error))
        return false;
    setUnknown(item, name, cell);
    return true;
}

template <>
std::string ItemFields<Deck>::label(const Deck& d)
{
    return d.title;
}

template <>
std::string ItemFields<Achievement>::label(const Achievement& a)
{
    return a.title ? *a.title : a.achievement_type;
}

template <>
std::string ItemFields<Progress>::label(const Progress& p)
{
    return "progress on " + p.deck_id.toString();
}

template <>
std::string ItemFields<StarredDeck>::label(const StarredDeck& s)
{
    return "star on " + s.deck_id.toString();
}

template <>
std::string ItemFields<UserPreferences>::label(const UserPreferences& p)
{
    return "preferences (" + p.theme + ", " + p.language + ")";
}

template struct ItemFields<Deck>;
template struct ItemFields<Achievement>;
template struct ItemFields<Progress>;
template struct ItemFields<StarredDeck>;
template struct ItemFields<UserPreferences>;

} // namespace decksync
