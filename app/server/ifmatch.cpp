// SPDX-License-Identifier: MIT
#include "app/server/ifmatch.h"

using namespace Qt::StringLiterals;
using namespace decksync;

namespace IfMatch {
namespace {

/// Whether an If-Match value holds for `revision`, compared strongly (RFC 9110 13.1.1): `*`
/// holds for any revision; otherwise one of its comma-separated entity tags must be `"N"`. A
/// weak tag (`W/"N"`) never holds. A bare `N` is taken as `"N"`, as earlier clients sent it.
/// Empty when the value is not a list of entity tags.
std::optional<bool> ifMatchHolds(const QByteArray& value, qint64 revision)
{
    if (value.trimmed() == "*")
        return true;
    bool holds = false;
    bool any = false;
    for (QByteArray tag : value.split(',')) {
        tag = tag.trimmed();
        const bool weak = tag.startsWith("W/");
        if (weak)
            tag = tag.mid(2);
        if (tag.size() >= 2 && tag.startsWith('"') && tag.endsWith('"'))
            tag = tag.mid(1, tag.size() - 2);
        else if (weak)
            return std::nullopt;
        bool ok = false;
        const qint64 n = tag.toLongLong(&ok);
        if (!ok || n < 0)
            return std::nullopt;
        any = true;
        holds = holds || (!weak && n == revision);
    }
    return any ? std::optional<bool>(holds) : std::nullopt;
}

} // namespace

std::optional<ApiResponse> malformed(const ApiRequest& request, const char* what)
{
    if (!request.ifMatch)
        return ApiResponse::error(428, "precondition_required",
                                  u"%1 needs an If-Match header with the revision the client has read"_s.arg(
                                      QLatin1String(what)));
    if (!ifMatchHolds(*request.ifMatch, 0))
        return ApiResponse::error(400, "invalid_request",
                                  u"If-Match %1 is not * nor a list of revisions such as \"3\""_s.arg(
                                      QString::fromLatin1(*request.ifMatch)));
    return std::nullopt;
}

std::optional<ApiResponse> mismatch(const ApiRequest& request, qint64 revision)
{
    if (!request.ifMatch || ifMatchHolds(*request.ifMatch, revision).value_or(false))
        return std::nullopt;
    QByteArray named = request.ifMatch->trimmed();
    if (named.size() > 2 && named.startsWith('"') && named.endsWith('"') && !named.contains(','))
        named = named.mid(1, named.size() - 2);
    const QString why = named.startsWith("W/") ? u" (If-Match compares strongly: a weak tag never matches)"_s
                                               : QString();
    return ApiResponse::error(409, "conflict",
                              u"the server's revision is %1, not %2%3"_s.arg(revision).arg(QString::fromLatin1(named), why),
                              [&](JsonWriter& w) {
                                  w.key("revision");
                                  w.integer(revision);
                              });
}

} // namespace IfMatch
