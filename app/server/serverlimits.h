// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>

/// What one client may make the server hold, and for how long. Every limit is enforced by the
/// HTTP layer while it parses, before a byte past it is buffered.
struct ServerLimits {
    std::int64_t maxBody = 64LL << 20;       ///< request body, after gzip
    std::uint32_t maxHeaderBytes = 64 * 1024; ///< request line and header section
    int maxFields = 100;                      ///< header fields in one request
    std::uint64_t maxFeedMessage = 64 * 1024; ///< a WebSocket message from a feed client
    int maxConnections = 1024;                ///< open connections, feeds included; past it: 503
    std::chrono::milliseconds headerTimeout{10'000}; ///< from connect to the end of the header section
    std::chrono::milliseconds bodyTimeout{60'000};   ///< to receive a declared body
    std::chrono::milliseconds idleTimeout{30'000};   ///< between requests on a kept-alive connection
    /// Request bodies held in memory at once, over all connections; past it a request gets 503
    /// from its headers. SyncServer raises it to twice maxBody if it is less.
    std::int64_t maxBufferedBodies = 256LL << 20;
    std::int64_t maxDrain = 64LL << 20;      ///< bytes read and dropped after a refusal, before closing
    std::chrono::milliseconds drainTimeout{10'000};
};
