// SPDX-License-Identifier: MIT
#include "app/server/queryparams.h"

using namespace Qt::StringLiterals;

namespace QueryParams {

std::optional<qint64> number(const QUrlQuery& query, const QString& name, qint64 fallback, qint64 min, qint64 max,
                             ApiResponse* refusal)
{
    if (!query.hasQueryItem(name))
        return fallback;
    const QString value = query.queryItemValue(name);
    bool ok = false;
    const qint64 n = value.toLongLong(&ok);
    if (ok && n >= min && n <= max)
        return n;
    *refusal = ApiResponse::error(400, "invalid_request",
                                  u"?%1=%2 is not a number from %3 to %4"_s.arg(name, value).arg(min).arg(max));
    return std::nullopt;
}

} // namespace QueryParams
