// SPDX-License-Identifier: MIT
#pragma once

#include "engine/syncresult.h"
#include "engine/synctraits.h"

#include <string> // string

namespace decksync {

/// A resolution and the sentence that explains it.
struct Verdict {
    ConflictResolution resolution;
    std::string reason;
};

/// The seed's ConflictAnalyzer: later timestamp wins, a tie goes to the device; higher
/// version wins, equal versions fall back to the timestamp.
class ConflictAnalyzer {
public:
    template <class T>
    static Verdict analyzeTimestampConflict(const T& local, const T& server)
    {
        return byTimestamp(SyncTraits<T>::updatedAt(local), SyncTraits<T>::updatedAt(server),
                           SyncTraits<T>::timestampName, "");
    }

    template <class T>
    static Verdict analyzeVersionConflict(const T& local, const T& server)
    {
        const auto lv = SyncTraits<T>::version(local);
        const auto sv = SyncTraits<T>::version(server);
        if (lv && sv)
            return byVersion(*lv, *sv, SyncTraits<T>::updatedAt(local), SyncTraits<T>::updatedAt(server),
                             SyncTraits<T>::timestampName);
        return analyzeTimestampConflict(local, server);
    }

    static Verdict byTimestamp(Timestamp local, Timestamp server, const char* field, const std::string& prefix);
    static Verdict byVersion(std::int64_t local, std::int64_t server, Timestamp localTime, Timestamp serverTime,
                             const char* field);
};

} // namespace decksync
