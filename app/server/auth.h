// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

/// Bearer tokens: generation, hashing and comparison. Only SHA-256 hashes are ever stored.
class Auth {
public:
    /// A new token: 32 random bytes from the system's generator, base64url without padding.
    static QByteArray generateToken();
    /// The SHA-256 of a token (32 raw bytes): what the users table stores and is searched by.
    static QByteArray hashToken(const QByteArray& token);
    /// Compares in time that depends only on the lengths, not on where the bytes differ.
    static bool constantTimeEqual(const QByteArray& a, const QByteArray& b);
    /// The token of an `Authorization: Bearer TOKEN` header value; empty if it is not one.
    static QByteArray bearerToken(const QByteArray& authorization);
};
