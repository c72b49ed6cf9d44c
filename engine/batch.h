// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/models.h"

#include <optional> // optional
#include <string>   // string
#include <variant>  // variant
#include <vector>   // vector

namespace decksync {

enum class SyncOperationType { Create, Update, Delete };
const char* operationName(SyncOperationType type); ///< "Create", "Update", "Delete"

using AnyItem = std::variant<std::monostate, Deck, Achievement, Progress, StarredDeck, UserPreferences>;

/// The seed's SyncOperation. `data` is decoded into the model named by `data_type`; for a
/// Delete it may be null.
struct SyncOperation {
    SyncOperationType operation_type = SyncOperationType::Create;
    DataType data_type = DataType::Decks;
    Uuid item_id;
    AnyItem data;
    std::optional<std::int64_t> version; ///< expected current version (optimistic locking)
};

struct BatchSyncRequest {
    std::vector<SyncOperation> operations;
    std::string transaction_id;
    Timestamp client_timestamp;
};

Decoded<BatchSyncRequest> decodeBatchRequest(std::string_view json);

/// Why an operation was refused: the request itself is wrong (Invalid: it can never apply),
/// or it does not fit the server's current state (Conflict: re-read and try again).
enum class BatchRefusal : unsigned char { None, Invalid, Conflict };

/// The outcome of a batch: every operation applied, or none.
struct BatchOutcome {
    bool ok = false;
    Dataset result;              ///< the dataset after all operations (only when ok)
    std::size_t failedIndex = 0; ///< the operation that was refused (when not ok)
    BatchRefusal refusal = BatchRefusal::None;
    std::string error; ///< "operation 3 (Update decks 1f0c…): version conflict: ..."
};

/// Applies the batch all-or-nothing on a copy of `base`.
BatchOutcome applyBatch(const Dataset& base, const BatchSyncRequest& request);

} // namespace decksync
