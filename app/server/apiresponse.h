// SPDX-License-Identifier: MIT
#pragma once

#include "engine/decodeerror.h"
#include "engine/jsonwriter.h"
#include "engine/timestamp.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

/// A write that the feed should announce to the user's other devices.
struct FeedEvent {
    qint64 userId = 0;
    QString dataType; ///< "decks", ..., or "all"
    qint64 revision = 0;
    decksync::Timestamp at; ///< the revision's time
};

/// What a handler answers: status, JSON body, extra headers and what the server should do next.
struct ApiResponse {
    int status = 200;
    QByteArray body;
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    Headers headers;
    std::optional<FeedEvent> event;
    std::int64_t conflicts = 0; ///< for the metrics of sync requests

    static ApiResponse json(const std::string& body, int status = 200);
    /// `{"error": code, "message": message, ...extra}`.
    static ApiResponse error(int status, std::string_view code, std::string_view message,
                             const std::function<void(decksync::JsonWriter&)>& extra = {});
    static ApiResponse error(int status, std::string_view code, const QString& message,
                             const std::function<void(decksync::JsonWriter&)>& extra = {});
    /// 400 invalid_request, message "POINTER: PROBLEM", with pointer, line and column members.
    static ApiResponse decodeError(const decksync::DecodeError& error);
    /// 500 sync_failed for a failure of the server's storage.
    static ApiResponse storeError(const QString& message);

    void addHeader(const QByteArray& name, const QByteArray& value) { headers.append({name, value}); }
    /// ETag: "N" and X-Revision: N.
    void addRevisionHeaders(qint64 revision);
};
