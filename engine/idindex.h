// SPDX-License-Identifier: MIT
#pragma once

#include "engine/uuid.h"

#include <cstdint> // uint32_t
#include <vector>  // vector

namespace decksync {

/// A flat open-addressing map from item id to a position, for the engine's linear-time
/// lookups. One allocation, no nodes: several times faster than std::unordered_map here.
class IdIndex {
public:
    explicit IdIndex(std::size_t expected = 0) { reserve(expected); }

    void reserve(std::size_t expected)
    {
        std::size_t capacity = 16;
        while (capacity < expected * 2)
            capacity *= 2;
        if (capacity > m_slots.size())
            rehash(capacity);
    }

    /// Inserts `id → value` unless `id` is there; returns the stored value and whether it
    /// was inserted (false: the first value stays, as the seed's first-match search finds).
    std::pair<std::uint32_t, bool> emplace(const Uuid& id, std::uint32_t value)
    {
        if ((m_size + 1) * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
        Slot& slot = probe(id);
        if (slot.used)
            return {slot.value, false};
        slot = {id, value, true};
        ++m_size;
        return {value, true};
    }

    /// The value stored for `id`, or nullptr.
    const std::uint32_t* find(const Uuid& id) const
    {
        const Slot& slot = const_cast<IdIndex*>(this)->probe(id);
        return slot.used ? &slot.value : nullptr;
    }

    bool contains(const Uuid& id) const { return find(id) != nullptr; }
    std::size_t size() const { return m_size; }

private:
    struct Slot {
        Uuid key;
        std::uint32_t value = 0;
        bool used = false;
    };

    Slot& probe(const Uuid& id)
    {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = UuidHash{}(id) & mask;; i = (i + 1) & mask) {
            Slot& slot = m_slots[i];
            if (!slot.used || slot.key == id)
                return slot;
        }
    }

    void rehash(std::size_t capacity)
    {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(capacity, Slot{});
        for (const Slot& s : old) {
            if (s.used)
                probe(s.key) = s;
        }
    }

    std::vector<Slot> m_slots = std::vector<Slot>(16);
    std::size_t m_size = 0;
};

} // namespace decksync
