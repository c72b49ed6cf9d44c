// SPDX-License-Identifier: MIT
#pragma once

namespace decksync {

/// Which side of a sync: the device's dataset or the server's. The one vocabulary for "which
/// side" in the engine, the services and the inspector; what is on neither side (the engine's
/// result, a value typed by hand) is said without it, e.g. as an empty std::optional<Side>.
enum class Side : unsigned char { Local, Server };

/// "local", "server" (as session files and history records write a side).
constexpr const char* sideName(Side side) { return side == Side::Local ? "local" : "server"; }

constexpr Side otherSide(Side side) { return side == Side::Local ? Side::Server : Side::Local; }

} // namespace decksync
