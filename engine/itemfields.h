// SPDX-License-Identifier: MIT
#pragma once

#include "engine/models.h"

#include <string>      // string
#include <string_view> // string_view
#include <vector>      // vector

namespace decksync {

enum class FieldKind { Uuid, Text, Timestamp, Integer, Boolean, Json };

/// One member of an item as it is shown and edited: absent, null, or a value as text.
/// Text fields hold the string itself; other kinds their JSON spelling without quotes;
/// members no model knows (kind Json) their exact JSON text.
struct FieldCell {
    enum class State : unsigned char { Absent, Null, Value };
    State state = State::Absent;
    std::string text;

    static FieldCell absent() { return {}; }
    static FieldCell null() { return {State::Null, {}}; }
    static FieldCell value(std::string text) { return {State::Value, std::move(text)}; }
    [[nodiscard]] bool isAbsent() const { return state == State::Absent; }
    /// "null", "(absent)" or the text.
    [[nodiscard]] std::string display() const;
    friend bool operator==(const FieldCell&, const FieldCell&) = default;
};

struct FieldSpec {
    std::string name;
    FieldKind kind = FieldKind::Json;
    bool nullable = true; ///< may be null or absent
    bool known = false;   ///< a model field (else a member carried through unchanged)
};

/// Reading and writing an item's members by name, for the side-by-side view and manual
/// resolution. Instantiated for Deck, Achievement, Progress, StarredDeck, UserPreferences.
template <class T>
struct ItemFields {
    /// The model's fields, in model order.
    static const std::vector<FieldSpec>& known();
    /// Every member the item has or could have: the known ones, then its unknown ones.
    static std::vector<FieldSpec> specsOf(const T& item);
    static FieldCell read(const T& item, std::string_view name);
    /// Sets a member from text after validating it (a timestamp must parse, an integer must
    /// be one, a UUID must be one, JSON must be JSON). Returns false and why on bad input.
    static bool write(T& item, std::string_view name, const FieldCell& cell, std::string* error);
    /// A short label for lists: a deck's title, an achievement's type, ...
    static std::string label(const T& item);
};

} // namespace decksync
