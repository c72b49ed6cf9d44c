// SPDX-License-Identifier: MIT
#include "engine/conflictanalyzer.h"

namespace decksync {

Verdict ConflictAnalyzer::byTimestamp(Timestamp local, Timestamp server, const char* field, const std::string& prefix)
{
    const std::string name(field);
    if (local > server)
        return {ConflictResolution::UseLocal, "local kept: " + prefix + "local " + name + " is later (" + local.toString()
                                                  + " > " + server.toString() + ")"};
    if (server > local)
        return {ConflictResolution::UseServer, "server kept: " + prefix + "server " + name + " is later ("
                                                   + server.toString() + " > " + local.toString() + ")"};
    return {ConflictResolution::UseLocal,
            "local kept: " + prefix + "same " + name + " " + local.toString() + " (a tie goes to the device)"};
}

Verdict ConflictAnalyzer::byVersion(std::int64_t local, std::int64_t server, Timestamp localTime, Timestamp serverTime,
                                    const char* field)
{
    if (local > server)
        return {ConflictResolution::UseLocal,
                "local kept: version " + std::to_string(local) + " > " + std::to_string(server)};
    if (server > local)
        return {ConflictResolution::UseServer,
                "server kept: version " + std::to_string(server) + " > " + std::to_string(local)};
    return byTimestamp(localTime, serverTime, field, "same version " + std::to_string(local) + ", ");
}

} // namespace decksync
