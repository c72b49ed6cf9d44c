// SPDX-License-Identifier: MIT
#include "app/server/apiresponse.h"

using namespace decksync;

ApiResponse ApiResponse::json(const std::string& body, int status)
{
    ApiResponse r;
    r.status = status;
    r.body = QByteArray(body.data(), static_cast<qsizetype>(body.size()));
    return r;
}

ApiResponse ApiResponse::error(int status, std::string_view code, std::string_view message,
                               const std::function<void(JsonWriter&)>& extra)
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Compact);
    w.beginObject();
    w.key("error");
    w.string(code);
    w.key("message");
    w.string(message);
    if (extra)
        extra(w);
    w.endObject();
    return json(out, status);
}

ApiResponse ApiResponse::error(int status, std::string_view code, const QString& message,
                               const std::function<void(JsonWriter&)>& extra)
{
    return error(status, code, std::string_view(message.toStdString()), extra);
}

ApiResponse ApiResponse::decodeError(const DecodeError& e)
{
    const std::string message = e.pointer.empty() ? e.message : e.pointer + ": " + e.message;
    return error(400, "invalid_request", message, [&](JsonWriter& w) {
        w.key("pointer");
        w.string(e.pointer);
        w.key("line");
        w.integer(static_cast<std::int64_t>(e.line));
        w.key("column");
        w.integer(static_cast<std::int64_t>(e.column));
    });
}

ApiResponse ApiResponse::storeError(const QString& message) { return error(500, "sync_failed", message); }

void ApiResponse::addRevisionHeaders(qint64 revision)
{
    const QByteArray n = QByteArray::number(revision);
    addHeader("ETag", '"' + n + '"');
    addHeader("X-Revision", n);
}
