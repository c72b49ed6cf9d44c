// SPDX-License-Identifier: MIT
#include "engine/idindex.h"

#include <algorithm> // max
#include <cstdlib>   // calloc, free
#include <new>       // bad_alloc

#if defined(__linux__)
#include <sys/mman.h> // mmap, madvise
#endif

namespace decksync {
namespace {

#if defined(__linux__)
constexpr std::size_t HugePage = std::size_t{2} << 20;
constexpr std::size_t MappedFrom = 2 * HugePage; ///< smaller tables come from malloc

/// The length of the mapping a table of `capacity` slots of `slotBytes` lives in, in whole
/// huge pages; 0 when it comes from malloc.
std::size_t mappedLength(std::size_t capacity, std::size_t slotBytes)
{
    const std::size_t bytes = capacity * slotBytes;
    return bytes >= MappedFrom ? (bytes + HugePage - 1) / HugePage * HugePage : 0;
}
#endif

} // namespace

IdIndex::IdIndex(std::size_t expected)
{
    reserve(expected);
}

IdIndex::~IdIndex()
{
    release(m_slots, m_capacity);
}

IdIndex::IdIndex(IdIndex&& other) noexcept
    : m_slots(std::exchange(other.m_slots, nullptr))
    , m_capacity(std::exchange(other.m_capacity, 0))
    , m_size(std::exchange(other.m_size, 0))
    , m_hasNil(std::exchange(other.m_hasNil, false))
    , m_nilValue(other.m_nilValue)
{
}

IdIndex& IdIndex::operator=(IdIndex&& other) noexcept
{
    if (this != &other) {
        std::swap(m_slots, other.m_slots);
        std::swap(m_capacity, other.m_capacity);
        std::swap(m_size, other.m_size);
        std::swap(m_hasNil, other.m_hasNil);
        std::swap(m_nilValue, other.m_nilValue);
    }
    return *this;
}

void IdIndex::reserve(std::size_t expected)
{
    std::size_t capacity = MinCapacity;
    while (capacity < expected * 2)
        capacity *= 2;
    if (capacity > m_capacity)
        grow(capacity);
}

std::size_t IdIndex::longestProbe() const
{
    std::size_t longest = 0;
    for (std::size_t i = 0; i < m_capacity; ++i) {
        if (!isFree(m_slots[i]))
            longest = std::max(longest, (i - hash(m_slots[i].key)) & (m_capacity - 1));
    }
    return longest;
}

void IdIndex::grow(std::size_t capacity)
{
    Slot* table = allocate(capacity);
    for (std::size_t i = 0; i < m_capacity; ++i) {
        if (!isFree(m_slots[i]))
            probe(table, capacity - 1, m_slots[i].key) = m_slots[i];
    }
    release(m_slots, m_capacity);
    m_slots = table;
    m_capacity = capacity;
}

IdIndex::Slot* IdIndex::allocate(std::size_t capacity)
{
#if defined(__linux__)
    if (const std::size_t used = mappedLength(capacity, sizeof(Slot))) {
        // A mapping of its own, aligned to huge pages: fresh pages are zero (every slot free)
        // without a pass over them, and the system may back them with huge pages. One huge
        // page more is mapped so that an aligned start lies inside; the rest is given back.
        const std::size_t length = used + HugePage;
        void* base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED)
            throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(base);
        const std::uintptr_t aligned = (start + HugePage - 1) / HugePage * HugePage;
        if (aligned > start)
            munmap(base, aligned - start);
        const std::size_t kept = length - (aligned - start);
        if (kept > used)
            munmap(reinterpret_cast<void*>(aligned + used), kept - used);
        madvise(reinterpret_cast<void*>(aligned), used, MADV_HUGEPAGE); // advice only: 4 KiB pages if refused
        return reinterpret_cast<Slot*>(aligned);
    }
#endif
    void* table = std::calloc(capacity, sizeof(Slot));
    if (!table)
        throw std::bad_alloc();
    return static_cast<Slot*>(table);
}

void IdIndex::release(Slot* table, std::size_t capacity)
{
    if (!table)
        return;
#if defined(__linux__)
    if (const std::size_t length = mappedLength(capacity, sizeof(Slot))) {
        munmap(table, length);
        return;
    }
#else
    (void)capacity;
#endif
    std::free(table);
}

} // namespace decksync
