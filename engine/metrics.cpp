// SPDX-License-Identifier: MIT
#include "engine/metrics.h"

#include "engine/delta.h"

#include <limits> // numeric_limits

namespace decksync {
namespace {

std::int32_t clampToInt32(std::int64_t v)
{
    return static_cast<std::int32_t>(std::min<std::int64_t>(v, std::numeric_limits<std::int32_t>::max()));
}

} // namespace

void SyncMetrics::recordDuration(std::int64_t durationMs)
{
    ++total_syncs;
    last_sync_duration_ms = durationMs;
    // Running mean: exact for integers, no overflow of a sum.
    avg_sync_duration_ms += (static_cast<double>(durationMs) - avg_sync_duration_ms) / static_cast<double>(total_syncs);
}

void SyncMetrics::recordSuccess(std::int64_t durationMs, std::int64_t bytes, std::int64_t conflicts)
{
    recordDuration(durationMs);
    ++successful_syncs;
    conflicts_resolved += conflicts;
    data_transferred_bytes += bytes;
}

void SyncMetrics::recordFailure(std::int64_t durationMs, std::int64_t bytes)
{
    recordDuration(durationMs);
    ++failed_syncs;
    data_transferred_bytes += bytes;
}

const char* healthStatusName(SyncHealthStatus status)
{
    switch (status) {
    case SyncHealthStatus::Healthy: return "Healthy";
    case SyncHealthStatus::Warning: return "Warning";
    case SyncHealthStatus::Error: return "Error";
    case SyncHealthStatus::Offline: break;
    }
    return "Offline";
}

SyncHealth assessHealth(const HealthInputs& in, Timestamp now, std::int64_t offlineAfterSeconds)
{
    SyncHealth h;
    h.last_successful_sync = in.lastSuccessfulSync;
    h.pending_changes = clampToInt32(in.pendingChanges);
    h.conflict_count = clampToInt32(in.unresolvedConflicts);
    const bool failedLast = in.lastFailure && (!in.lastSuccessfulSync || *in.lastFailure > *in.lastSuccessfulSync);
    if (failedLast) {
        h.status = SyncHealthStatus::Error;
        h.error_message = in.lastError.value_or("the last sync failed");
    } else if (!in.lastSuccessfulSync) {
        h.status = SyncHealthStatus::Offline;
        h.error_message = "never synced";
    } else if (now.seconds - in.lastSuccessfulSync->seconds > offlineAfterSeconds) {
        h.status = SyncHealthStatus::Offline;
        h.error_message = "no successful sync since " + in.lastSuccessfulSync->toString();
    } else if (in.pendingChanges > 0 || in.unresolvedConflicts > 0) {
        h.status = SyncHealthStatus::Warning;
    } else {
        h.status = SyncHealthStatus::Healthy;
    }
    return h;
}

std::int64_t countPendingChanges(const Dataset& local)
{
    auto count = [&](const auto& items) -> std::int64_t {
        using T = typename std::decay_t<decltype(items)>::value_type;
        if (!local.last_sync)
            return static_cast<std::int64_t>(items.size());
        return static_cast<std::int64_t>(delta::changesSince(std::span<const T>(items), *local.last_sync).size());
    };
    std::int64_t n = count(local.decks) + count(local.achievements) + count(local.progress) + count(local.starred);
    if (local.preferences && (!local.last_sync || local.preferences->updated_at > *local.last_sync))
        ++n;
    return n;
}

void writeMetrics(JsonWriter& w, const SyncMetrics& m)
{
    w.beginObject();
    w.key("total_syncs");
    w.integer(m.total_syncs);
    w.key("successful_syncs");
    w.integer(m.successful_syncs);
    w.key("failed_syncs");
    w.integer(m.failed_syncs);
    w.key("conflicts_resolved");
    w.integer(m.conflicts_resolved);
    w.key("last_sync_duration_ms");
    w.integer(m.last_sync_duration_ms);
    w.key("avg_sync_duration_ms");
    w.number(m.avg_sync_duration_ms);
    w.key("data_transferred_bytes");
    w.integer(m.data_transferred_bytes);
    w.endObject();
}

void writeHealth(JsonWriter& w, const SyncHealth& h)
{
    w.beginObject();
    w.key("status");
    w.string(healthStatusName(h.status));
    w.key("last_successful_sync");
    if (h.last_successful_sync)
        w.timestamp(*h.last_successful_sync);
    else
        w.null();
    w.key("pending_changes");
    w.integer(h.pending_changes);
    w.key("conflict_count");
    w.integer(h.conflict_count);
    w.key("error_message");
    if (h.error_message)
        w.string(*h.error_message);
    else
        w.null();
    w.endObject();
}

} // namespace decksync
