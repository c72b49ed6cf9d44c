// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

/// Keeps server tokens: in the system keyring (QtKeychain) where one exists, otherwise in
/// memory for this session only. Never in settings files. Asynchronous, as keyrings are.
class TokenStore : public QObject {
    Q_OBJECT
public:
    explicit TokenStore(QObject* parent = nullptr);

    /// Looks up the token kept for `key` (e.g. the server URL and user); answers tokenRead().
    void read(const QString& key);
    /// Keeps `token` for `key`; answers stored().
    void store(const QString& key, const QString& token);

Q_SIGNALS:
    /// `token` is empty when none is kept.
    void tokenRead(const QString& key, const QString& token);
    /// `inKeyring` false: kept for this session only (`why` says why the keyring refused).
    void stored(const QString& key, bool inKeyring, const QString& why);

private:
    QHash<QString, QString> m_session;
};
