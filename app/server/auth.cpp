// SPDX-License-Identifier: MIT
#include "app/server/auth.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

QByteArray Auth::generateToken()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray raw(reinterpret_cast<const char*>(words), sizeof words);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray Auth::hashToken(const QByteArray& token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

bool Auth::constantTimeEqual(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray Auth::bearerToken(const QByteArray& authorization)
{
    const QByteArray value = authorization.trimmed();
    constexpr qsizetype prefix = 7; // "Bearer "
    if (value.size() <= prefix || value.left(prefix).toLower() != "bearer ")
        return {};
    return value.mid(prefix).trimmed();
}
