// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

/// The header section of one HTTP request, as the HTTP layer parsed it (once): what the API
/// side needs to route, refuse or authenticate it before its body is read.
struct RequestHead {
    QString method;     ///< as sent: "GET", "POST", ...
    QString path;       ///< percent-decoded, without the query
    QByteArray query;   ///< after '?', still encoded
    bool chunked = false;      ///< a Transfer-Encoding was sent (the server needs a Content-Length)
    qint64 contentLength = 0;  ///< the declared length, when there is one
    QList<QPair<QByteArray, QByteArray>> fields; ///< name (as sent) and value, in order

    /// A Content-Length over 0, or any Transfer-Encoding.
    [[nodiscard]] bool hasBody() const { return chunked || contentLength > 0; }

    /// The value of the first field named `name` (case-insensitive), trimmed; empty if none.
    [[nodiscard]] QByteArray value(const char* name) const
    {
        for (const auto& [n, v] : fields) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v.trimmed();
        }
        return {};
    }
};
