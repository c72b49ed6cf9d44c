// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include "app/services/serverclient.h"

class QCheckBox;
class QLineEdit;
class TokenStore;

/// Asks where the live server is, the token, for a support token the user to inspect, and
/// the local file to sync against the server's data. The token is offered from, and kept
/// in, a TokenStore: the system keyring where there is one, else memory for this session.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    ConnectDialog(const ServerConnection& current, const QString& localPath, TokenStore* tokens,
                  QWidget* parent = nullptr);

    [[nodiscard]] ServerConnection connection() const;
    [[nodiscard]] QString localPath() const;
    /// Where a token for this server and user is kept.
    [[nodiscard]] static QString tokenKey(const ServerConnection& c);

private:
    void validate();

    QLineEdit* m_url;
    QLineEdit* m_token;
    QLineEdit* m_actAs;
    QLineEdit* m_local;
    QCheckBox* m_remember;
    TokenStore* m_tokens;
    QString m_deviceId;
};
