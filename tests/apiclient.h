// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QSignalSpy>
#include <QString>
#include <QUrl>

#include <memory>

/// One answer of the server, as the tests read it.
struct ApiReply {
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    [[nodiscard]] QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// Sends requests to a server under test and waits for each answer (status 0: none came).
class ApiClient {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    static constexpr int TimeoutMs = 10000;

    void setBase(const QString& base) { m_base = base; } ///< http://127.0.0.1:PORT

    ApiReply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
                  const QByteArray& token = {}, const Headers& headers = {})
    {
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(TimeoutMs))
            return {};
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
                reply->rawHeaderPairs()};
    }

private:
    QString m_base;
    QNetworkAccessManager m_nam;
};
