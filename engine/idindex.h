// SPDX-License-Identifier: MIT
#pragma once

#include "engine/uuid.h"

#include <cstdint> // uint32_t, uint64_t
#include <cstring> // memcpy
#include <utility> // pair

namespace decksync {

/// A flat open-addressing map from item id to a position, for the engine's linear-time
/// lookups. One allocation, no nodes: several times faster than std::unordered_map here.
///
/// At a million items the table is tens of megabytes and every lookup is a cache miss, so:
/// slots are 20 bytes (the id and the value; an all-zero id marks a free slot, and the nil id
/// itself is kept beside the table), a big table lives in huge pages where the system offers
/// them (one TLB entry per 2 MiB instead of per 4 KiB), its zeroed pages come from the system
/// untouched, and a loop can prefetch() the slot of an id it will look up a few items later.
class IdIndex {
public:
    explicit IdIndex(std::size_t expected = 0);
    ~IdIndex();
    IdIndex(IdIndex&& other) noexcept;
    IdIndex& operator=(IdIndex&& other) noexcept;
    IdIndex(const IdIndex&) = delete;
    IdIndex& operator=(const IdIndex&) = delete;

    /// Room for `expected` ids without growing.
    void reserve(std::size_t expected);

    /// Inserts `id → value` unless `id` is there; returns the stored value and whether it
    /// was inserted (false: the first value stays, as the seed's first-match search finds).
    std::pair<std::uint32_t, bool> emplace(const Uuid& id, std::uint32_t value)
    {
        if (isNil(id)) {
            if (m_hasNil)
                return {m_nilValue, false};
            m_hasNil = true;
            m_nilValue = value;
            return {value, true};
        }
        if ((m_size + 1) * 2 > m_capacity)
            grow(m_capacity < MinCapacity ? MinCapacity : m_capacity * 2);
        Slot& slot = probe(m_slots, m_capacity - 1, id);
        if (!isFree(slot))
            return {slot.value, false};
        slot.key = id;
        slot.value = value;
        ++m_size;
        return {value, true};
    }

    /// The value stored for `id`, or nullptr.
    const std::uint32_t* find(const Uuid& id) const
    {
        if (isNil(id))
            return m_hasNil ? &m_nilValue : nullptr;
        if (m_size == 0)
            return nullptr; // also a moved-from index, which has no table
        const Slot& slot = probe(m_slots, m_capacity - 1, id);
        return isFree(slot) ? nullptr : &slot.value;
    }

    bool contains(const Uuid& id) const { return find(id) != nullptr; }
    std::size_t size() const { return m_size + (m_hasNil ? 1 : 0); }

    /// The farthest any id sits from the slot its hash names: how long the longest lookup
    /// probes (for tests and benchmarks; it reads the whole table).
    [[nodiscard]] std::size_t longestProbe() const;

    /// Starts loading the slot where `id` would be found, for a lookup soon after.
    void prefetch(const Uuid& id) const
    {
        if (m_size > 0)
            __builtin_prefetch(&m_slots[hash(id) & (m_capacity - 1)]);
    }

    /// For a loop at `items[i]` that looks up each item's id: prefetches the slot of the id
    /// (`idOf(item)`) of the item a few places ahead, when there is one.
    template <class Items, class IdOf>
    void prefetchAhead(const Items& items, std::size_t i, IdOf&& idOf) const
    {
        if (i + PrefetchDistance < items.size())
            prefetch(idOf(items[i + PrefetchDistance]));
    }

private:
    /// How many items ahead prefetchAhead() goes: enough misses in flight to hide memory's
    /// latency, few enough that the slots are still cached when they are used.
    static constexpr std::size_t PrefetchDistance = 16;
    static constexpr std::size_t MinCapacity = 16;

    struct Slot {
        Uuid key; ///< all zero: the slot is free
        std::uint32_t value;
    };
    static_assert(sizeof(Slot) == 20);

    static void halves(const Uuid& id, std::uint64_t& a, std::uint64_t& b)
    {
        std::memcpy(&a, id.bytes.data(), 8);
        std::memcpy(&b, id.bytes.data() + 8, 8);
    }
    static bool isNil(const Uuid& id)
    {
        std::uint64_t a, b;
        halves(id, a, b);
        return (a | b) == 0;
    }
    static bool isFree(const Slot& slot) { return isNil(slot.key); }
    static bool same(const Uuid& x, const Uuid& y)
    {
        std::uint64_t xa, xb, ya, yb;
        halves(x, xa, xb);
        halves(y, ya, yb);
        return ((xa ^ ya) | (xb ^ yb)) == 0;
    }
    /// The table's own hash: nothing outside sees its order, so it need not be UuidHash's.
    /// Every bit of both halves reaches the low bits the table uses (fmix64, from MurmurHash3),
    /// so ids that differ only in a counter, in any byte, spread like random ones.
    static std::uint64_t mix(std::uint64_t k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDull;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53ull;
        k ^= k >> 33;
        return k;
    }
    static std::size_t hash(const Uuid& id)
    {
        std::uint64_t a, b;
        halves(id, a, b);
        return static_cast<std::size_t>(mix(a ^ mix(b)));
    }
    static Slot& probe(Slot* table, std::size_t mask, const Uuid& id)
    {
        for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
            Slot& slot = table[i];
            if (isFree(slot) || same(slot.key, id))
                return slot;
        }
    }

    void grow(std::size_t capacity);
    static Slot* allocate(std::size_t capacity);
    static void release(Slot* table, std::size_t capacity);

    Slot* m_slots = nullptr;
    std::size_t m_capacity = 0; ///< a power of two
    std::size_t m_size = 0;     ///< ids in the table (the nil id is not)
    bool m_hasNil = false;
    std::uint32_t m_nilValue = 0;
};

} // namespace decksync
