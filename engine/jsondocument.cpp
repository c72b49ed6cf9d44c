// SPDX-License-Identifier: MIT
#include "engine/jsondocument.h"

#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"

#include <algorithm> // reverse
#include <vector>    // vector

namespace decksync::jsondoc {
namespace {

/// Where the value at `tokens[depth..]` below the reader's next value begins, if it is there.
/// A member named twice is looked for in its last occurrence, which is the one nlohmann keeps.
std::optional<std::size_t> locate(JsonReader& r, const std::vector<std::string>& tokens, std::size_t depth)
{
    const char type = r.peekType();
    if (depth == tokens.size()) {
        const std::size_t at = r.offset();
        r.skipValue();
        return at;
    }
    std::optional<std::size_t> found;
    if (type == '{') {
        r.readObject([&](std::string_view key) {
            if (key == tokens[depth])
                found = locate(r, tokens, depth + 1);
            else
                r.skipValue();
        });
    } else if (type == '[') {
        r.readArray([&](std::size_t index) {
            if (std::to_string(index) == tokens[depth])
                found = locate(r, tokens, depth + 1);
            else
                r.skipValue();
        });
    } else {
        r.skipValue();
    }
    return found;
}

/// `message` at byte `offset` of `text`, with its line and column.
DecodeError errorAt(std::string_view text, std::size_t offset, std::string message)
{
    Decoded<bool> failed = decodeWith<bool>(text, [&](JsonReader& r) -> bool { r.fail(std::move(message), offset); });
    return failed.error();
}

/// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string withoutPrefix(const char* what)
{
    std::string_view text(what);
    if (text.starts_with("[json.exception.")) {
        if (const std::size_t end = text.find("] "); end != std::string_view::npos)
            text.remove_prefix(end + 2);
    }
    return std::string(text);
}

} // namespace

const char* describe(const Json& value)
{
    switch (value.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
    }
    return "a value";
}

void expectType(const Json& document, const Pointer& at, Json::value_t type)
{
    const Json& value = document.at(at);
    if (value.type() != type)
        throw Error{at, std::string("expected ") + describe(Json(type)) + ", found " + describe(value)};
}

std::string stringAt(const Json& document, const Pointer& at)
{
    expectType(document, at, Json::value_t::string);
    return document.at(at).get<std::string>();
}

std::optional<Timestamp> optionalTimestampAt(const Json& document, const Pointer& at)
{
    if (document.at(at).is_null())
        return std::nullopt;
    const std::string text = stringAt(document, at);
    std::string why;
    const auto parsed = Timestamp::parse(text, &why);
    if (!parsed)
        throw Error{at, codec::quoteForMessage(text) + ' ' + why};
    return parsed;
}

DecodeError syntaxError(std::string_view text, const nlohmann::json::parse_error& error)
{
    // The validating reader refuses what nlohmann refuses, and names the place by its pointer.
    Decoded<bool> checked = decodeWith<bool>(text, [](JsonReader& r) {
        r.skipValue();
        return true;
    });
    if (!checked.ok())
        return checked.error();
    return errorAt(text, error.byte > 0 ? error.byte - 1 : 0, withoutPrefix(error.what()));
}

DecodeError valueError(std::string_view text, const Error& error)
{
    std::vector<std::string> tokens;
    for (Pointer p = error.pointer; !p.empty(); p.pop_back())
        tokens.push_back(p.back());
    std::reverse(tokens.begin(), tokens.end());
    std::optional<std::size_t> at;
    try {
        JsonReader r(text);
        at = locate(r, tokens, 0);
    } catch (const JsonReader::Failure&) {
        at.reset(); // deeper than the reader goes: the pointer alone says where
    }
    DecodeError e;
    if (at)
        e = errorAt(text, *at, error.message);
    else
        e.message = error.message;
    e.pointer = error.pointer.to_string();
    return e;
}

DecodeError valueError(std::string_view, const nlohmann::json::exception& error)
{
    DecodeError e;
    e.message = withoutPrefix(error.what());
    return e;
}

} // namespace decksync::jsondoc
