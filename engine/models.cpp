// SPDX-License-Identifier: MIT
#include "engine/models.h"
#include "engine/syncresult.h"

namespace decksync {

const char* dataTypeName(DataType type)
{
    switch (type) {
    case DataType::Decks: return "decks";
    case DataType::Achievements: return "achievements";
    case DataType::Progress: return "progress";
    case DataType::Starred: return "starred";
    case DataType::Preferences: break;
    }
    return "preferences";
}

std::optional<DataType> dataTypeFromName(std::string_view name)
{
    for (DataType t : AllDataTypes) {
        if (name == dataTypeName(t))
            return t;
    }
    return std::nullopt;
}

const char* resolutionName(ConflictResolution resolution)
{
    switch (resolution) {
    case ConflictResolution::UseLocal: return "UseLocal";
    case ConflictResolution::UseServer: return "UseServer";
    case ConflictResolution::Merge: break;
    }
    return "Merge";
}

const char* severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: break;
    }
    return "error";
}

const char* decisionName(DecisionKind kind)
{
    switch (kind) {
    case DecisionKind::Added: return "added";
    case DecisionKind::LocalKept: return "local-kept";
    case DecisionKind::ServerKept: return "server-kept";
    case DecisionKind::Merged: return "merged";
    case DecisionKind::MergeFailed: return "merge-failed";
    case DecisionKind::Deleted: break;
    }
    return "deleted";
}

} // namespace decksync
