// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <string_view>

/// The bytes of `b` as the engine reads them (no copy; valid while `b` is).
inline std::string_view bytesView(const QByteArray& b)
{
    return {b.constData(), static_cast<std::size_t>(b.size())};
}
