// SPDX-License-Identifier: MIT
#include "engine/batch.h"

#include "engine/datasetcodec.h"
#include "engine/jsonreader.h"
#include "engine/synctraits.h"

#include <algorithm> // find_if

namespace decksync {
namespace {

std::optional<SyncOperationType> operationFromName(std::string_view name)
{
    if (name == "Create")
        return SyncOperationType::Create;
    if (name == "Update")
        return SyncOperationType::Update;
    if (name == "Delete")
        return SyncOperationType::Delete;
    return std::nullopt;
}

AnyItem decodeData(DataType type, std::string_view raw, JsonReader& outer, std::size_t rawOffset)
{
    auto decode = [&]<class T>() -> AnyItem {
        Decoded<T> item = codec::decodeItem<T>(raw);
        if (!item)
            outer.failNested(item.error(), "data", rawOffset);
        return std::move(item.value());
    };
    return withModelOf(type, decode);
}

SyncOperation readOperation(JsonReader& r)
{
    SyncOperation op;
    r.peekType();
    const std::size_t start = r.offset();
    bool hasType = false, hasDataType = false, hasId = false, hasData = false;
    std::string_view raw;
    std::size_t rawOffset = 0;
    r.readObject([&](std::string_view key) {
        if (key == "operation_type") {
            const std::size_t at = (r.peekType(), r.offset());
            const std::string_view name = r.readString();
            const auto t = operationFromName(name);
            if (!t)
                r.fail(codec::quoteForMessage(name) + " is not an operation type (Create, Update, Delete)", at);
            op.operation_type = *t;
            hasType = true;
        } else if (key == "data_type") {
            const std::size_t at = (r.peekType(), r.offset());
            const std::string_view name = r.readString();
            const auto t = dataTypeFromName(name);
            if (!t)
                r.fail(codec::quoteForMessage(name)
                           + " is not a data type (decks, achievements, progress, starred, preferences)",
                       at);
            op.data_type = *t;
            hasDataType = true;
        } else if (key == "item_id") {
            op.item_id = codec::readUuid(r);
            hasId = true;
        } else if (key == "data") {
            rawOffset = (r.peekType(), r.offset());
            raw = r.skipValue();
            hasData = true;
        } else if (key == "version") {
            if (r.readNull())
                op.version.reset();
            else
                op.version = r.readInt64();
        } else {
            r.skipValue(); // unknown members of a request are ignored, as serde does
        }
    });
    const char* missing = !hasType ? "operation_type" : !hasDataType ? "data_type" : !hasId ? "item_id" : nullptr;
    if (!missing && !hasData && op.operation_type != SyncOperationType::Delete)
        missing = "data";
    if (missing)
        r.fail(std::string("missing field \"") + missing + '"', start);
    const bool nullData = !hasData || raw == "null";
    if (!(op.operation_type == SyncOperationType::Delete && nullData))
        op.data = decodeData(op.data_type, raw, r, rawOffset);
    return op;
}

/// Why one operation was refused; an empty `why` means it was applied.
struct Refused {
    BatchRefusal kind = BatchRefusal::None;
    std::string why;
};

Refused invalid(std::string why) { return {BatchRefusal::Invalid, std::move(why)}; }
Refused conflict(std::string why) { return {BatchRefusal::Conflict, std::move(why)}; }

/// Applies one operation, or says why it was refused.
template <class T>
Refused applyTo(Dataset& d, const SyncOperation& op)
{
    using Traits = SyncTraits<T>;
    const T* data = std::get_if<T>(&op.data);
    if (!data && op.operation_type != SyncOperationType::Delete)
        return invalid(std::string("data is missing or is not a ") + dataTypeName(Traits::type) + " item");
    if (data && Traits::id(*data) != op.item_id)
        return invalid("item_id does not match the id in data (" + Traits::id(*data).toString() + ")");

    auto checkVersion = [&](const T& current) -> Refused {
        const auto v = Traits::version(current);
        if (op.version && v && *v != *op.version)
            return conflict("version conflict: expected " + std::to_string(*op.version) + ", the server has "
                            + std::to_string(*v));
        return {};
    };

    if constexpr (std::is_same_v<T, UserPreferences>) {
        std::optional<UserPreferences>& current = d.preferences;
        const bool exists = current && current->user_id == op.item_id;
        switch (op.operation_type) {
        case SyncOperationType::Create:
            if (current)
                return conflict("preferences already exist");
            current = *data;
            return {};
        case SyncOperationType::Update:
            if (!exists)
                return conflict("no preferences with this user_id");
            if (Refused e = checkVersion(*current); !e.why.empty())
                return e;
            current = *data;
            return {};
        case SyncOperationType::Delete:
            break;
        }
        return invalid("preferences are never deleted, only updated");
    } else {
        std::vector<T>& list = itemsOf<T>(d);
        const auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return Traits::id(x) == op.item_id; });
        const bool appendOnly = std::is_same_v<T, Achievement>;
        switch (op.operation_type) {
        case SyncOperationType::Create:
            if (it != list.end())
                return conflict("an item with this id already exists");
            list.push_back(*data);
            return {};
        case SyncOperationType::Update:
            if (appendOnly)
                return invalid("achievements are append-only: update refused");
            if (it == list.end())
                return conflict("no item with this id");
            if (Refused e = checkVersion(*it); !e.why.empty())
                return e;
            *it = *data;
            return {};
        case SyncOperationType::Delete:
            if (appendOnly)
                return invalid("achievements are append-only: delete refused");
            if (it == list.end())
                return conflict("no item with this id");
            if (Refused e = checkVersion(*it); !e.why.empty())
                return e;
            list.erase(it);
            return {};
        }
        return {};
    }
}

} // namespace

const char* operationName(SyncOperationType type)
{
    switch (type) {
    case SyncOperationType::Create: return "Create";
    case SyncOperationType::Update: return "Update";
    case SyncOperationType::Delete: break;
    }
    return "Delete";
}

Decoded<BatchSyncRequest> decodeBatchRequest(std::string_view json)
{
    return decodeWith<BatchSyncRequest>(json, [](JsonReader& r) {
        BatchSyncRequest req;
        bool hasOps = false, hasTx = false, hasTs = false;
        r.peekType();
        const std::size_t start = r.offset();
        r.readObject([&](std::string_view key) {
            if (key == "operations") {
                r.readArray([&](std::size_t) { req.operations.push_back(readOperation(r)); });
                hasOps = true;
            } else if (key == "transaction_id") {
                const std::size_t at = (r.peekType(), r.offset());
                req.transaction_id = r.readString();
                if (req.transaction_id.empty())
                    r.fail("transaction_id must not be empty", at);
                hasTx = true;
            } else if (key == "client_timestamp") {
                req.client_timestamp = codec::readTimestamp(r);
                hasTs = true;
            } else {
                r.skipValue();
            }
        });
        const char* missing = !hasOps ? "operations" : !hasTx ? "transaction_id" : !hasTs ? "client_timestamp" : nullptr;
        if (missing)
            r.fail(std::string("missing field \"") + missing + '"', start);
        return req;
    });
}

BatchOutcome applyBatch(const Dataset& base, const BatchSyncRequest& request)
{
    BatchOutcome out;
    Dataset work = base;
    for (std::size_t i = 0; i < request.operations.size(); ++i) {
        const SyncOperation& op = request.operations[i];
        Refused refused;
        switch (op.data_type) {
        case DataType::Decks: refused = applyTo<Deck>(work, op); break;
        case DataType::Achievements: refused = applyTo<Achievement>(work, op); break;
        case DataType::Progress: refused = applyTo<Progress>(work, op); break;
        case DataType::Starred: refused = applyTo<StarredDeck>(work, op); break;
        case DataType::Preferences: refused = applyTo<UserPreferences>(work, op); break;
        }
        if (!refused.why.empty()) {
            out.failedIndex = i;
            out.refusal = refused.kind;
            out.error = "operation " + std::to_string(i) + " (" + operationName(op.operation_type) + ' '
                + dataTypeName(op.data_type) + ' ' + op.item_id.toString() + "): " + refused.why
                + "; the batch was not applied";
            return out;
        }
    }
    out.ok = true;
    out.result = std::move(work);
    return out;
}

} // namespace decksync
