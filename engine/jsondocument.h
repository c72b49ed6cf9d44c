// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/timestamp.h"

#include <nlohmann/json.hpp>

#include <optional>    // optional
#include <string>      // string
#include <string_view> // string_view
#include <utility>     // as_const

namespace decksync {

/// Small documents whose exact bytes do not matter (the inspector's session, settings-like
/// files) are read into nlohmann::json. Datasets, and documents that carry a dataset's text,
/// stay with the validating reader, which keeps exact text and unknown members.
///
/// Failures take the reader's form, `FILE:LINE:COLUMN: POINTER: MESSAGE`: the validating
/// reader is asked where the value at the failing JSON Pointer begins (nlohmann 3.11 does not
/// record where a value was), and says itself what is wrong with text that does not parse.
namespace jsondoc {

using Json = nlohmann::json;
using Pointer = nlohmann::json::json_pointer;

/// A value that is not what the document's reader wants: where, and why.
struct Error {
    Pointer pointer;
    std::string message;
};

/// "an object", "a string", ... as the validating reader names them.
const char* describe(const Json& value);
/// Throws Error ("expected an object, found an array") unless the value at `at` is of `type`.
void expectType(const Json& document, const Pointer& at, Json::value_t type);
/// The string at `at`.
std::string stringAt(const Json& document, const Pointer& at);
/// The RFC 3339 timestamp or null at `at`.
std::optional<Timestamp> optionalTimestampAt(const Json& document, const Pointer& at);

/// Decodes the value at `at` with a validating codec (its text is the value written again);
/// its errors are reported at their place inside `at`.
template <class T>
T decodeAt(const Json& document, const Pointer& at, Decoded<T> (*decode)(std::string_view))
{
    Decoded<T> decoded = decode(document.at(at).dump());
    if (!decoded)
        throw Error{at / Pointer(decoded.error().pointer), decoded.error().message};
    return std::move(decoded.value());
}

/// A parse error, or an Error (or an exception of nlohmann's) thrown by a document's reader, as
/// a DecodeError with the position of the value in `text`.
DecodeError syntaxError(std::string_view text, const nlohmann::json::parse_error& error);
DecodeError valueError(std::string_view text, const Error& error);
DecodeError valueError(std::string_view text, const nlohmann::json::exception& error);

} // namespace jsondoc

/// Parses `text` with nlohmann::json and returns `read(document)`, or the error that stopped
/// either, in the validating reader's form.
template <class T, class Read>
Decoded<T> decodeJsonDocument(std::string_view text, Read&& read)
{
    jsondoc::Json document;
    try {
        document = jsondoc::Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        return jsondoc::syntaxError(text, e);
    }
    try {
        return read(std::as_const(document));
    } catch (const jsondoc::Error& e) {
        return jsondoc::valueError(text, e);
    } catch (const nlohmann::json::exception& e) {
        return jsondoc::valueError(text, e);
    }
}

} // namespace decksync
