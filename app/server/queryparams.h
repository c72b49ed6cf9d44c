// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/apiresponse.h"

#include <QString>
#include <QUrlQuery>

#include <optional>

/// The query parameters of a request, read with one wording of their refusals.
namespace QueryParams {

/// The parameter `name` as a whole number from `min` to `max`; `fallback` when it is absent.
/// Otherwise nullopt, with `refusal` set to 400 "?name=value is not a number from min to max".
std::optional<qint64> number(const QUrlQuery& query, const QString& name, qint64 fallback, qint64 min, qint64 max,
                             ApiResponse* refusal);

} // namespace QueryParams
