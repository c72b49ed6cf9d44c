// SPDX-License-Identifier: MIT
#pragma once

#include "engine/jsonwriter.h"
#include "engine/models.h"

#include <cstdint>  // int64_t
#include <optional> // optional
#include <string>   // string

namespace decksync {

/// The seed's SyncMetrics, with the bookkeeping to keep them.
struct SyncMetrics {
    std::int64_t total_syncs = 0;
    std::int64_t successful_syncs = 0;
    std::int64_t failed_syncs = 0;
    std::int64_t conflicts_resolved = 0;
    std::int64_t last_sync_duration_ms = 0;
    double avg_sync_duration_ms = 0.0;
    std::int64_t data_transferred_bytes = 0;

    void recordSuccess(std::int64_t durationMs, std::int64_t bytes, std::int64_t conflicts);
    void recordFailure(std::int64_t durationMs, std::int64_t bytes);

private:
    void recordDuration(std::int64_t durationMs);
};

enum class SyncHealthStatus { Healthy, Warning, Error, Offline };
const char* healthStatusName(SyncHealthStatus status); ///< "Healthy", ...

/// The seed's SyncHealth.
struct SyncHealth {
    SyncHealthStatus status = SyncHealthStatus::Offline;
    std::optional<Timestamp> last_successful_sync;
    std::int32_t pending_changes = 0;
    std::int32_t conflict_count = 0;
    std::optional<std::string> error_message;
};

/// What the health of a device's sync is judged from.
struct HealthInputs {
    std::optional<Timestamp> lastSuccessfulSync;
    std::optional<Timestamp> lastFailure;
    std::optional<std::string> lastError;
    std::int64_t pendingChanges = 0; ///< local items changed since the last sync
    std::int64_t unresolvedConflicts = 0;
};

/// Error when the latest attempt failed; Offline when it never synced or not for
/// `offlineAfterSeconds`; Warning with pending changes or conflicts; else Healthy.
SyncHealth assessHealth(const HealthInputs& in, Timestamp now, std::int64_t offlineAfterSeconds = 7 * 24 * 3600);

/// Local items whose sync timestamp is after `lastSync` (all of them when it is null).
std::int64_t countPendingChanges(const Dataset& local);

void writeMetrics(JsonWriter& writer, const SyncMetrics& metrics);
void writeHealth(JsonWriter& writer, const SyncHealth& health);

} // namespace decksync
