// SPDX-License-Identifier: MIT
#pragma once

#include "app/server/serverstore.h"
#include "app/services/bytes.h"
#include "engine/timestamp.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string_view>

/// One authenticated API request, as the handlers see it.
struct ApiRequest {
    QString method; ///< "GET", "POST", ...
    QString path;   ///< without the query
    QByteArray query; ///< after '?', still encoded; never logged (a feed's ?token=)
    QByteArray body; ///< inflated when it came gzip-compressed
    ServerUser caller; ///< whose token it carries
    ServerUser target; ///< whose data it reads or writes: the caller, or X-Act-As for support
    QByteArray deviceId; ///< X-Device-Id, empty when not given
    std::optional<QByteArray> ifMatch; ///< If-Match, when given
    QByteArray contentEncoding; ///< lower case; "gzip" until the body is inflated
    decksync::Timestamp now; ///< the server's clock for this request

    [[nodiscard]] bool actingAs() const { return caller.id != target.id; }
    [[nodiscard]] std::string_view bodyView() const { return bytesView(body); }
};
