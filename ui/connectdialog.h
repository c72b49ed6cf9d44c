// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include "app/services/serverclient.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeView;
class TokenStore;
class UserDirectoryModel;

/// Asks where the live server is, the token, for a support token the user to inspect, and
/// the local file to sync against the server's data. The token is offered from, and kept
/// in, a TokenStore: the system keyring where there is one, else memory for this session.
/// With a support token, Find users lists the server's users (GET /users) whose email holds
/// what was typed, with their last write and health; choosing one fills in the user.
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
    /// Asks the server for the users whose email holds the typed text.
    void findUsers();

    QLineEdit* m_url;
    QLineEdit* m_token;
    QLineEdit* m_actAs;
    QLineEdit* m_local;
    QCheckBox* m_remember;
    TokenStore* m_tokens;
    QString m_deviceId;
    ServerClient* m_directory;
    UserDirectoryModel* m_users;
    QTreeView* m_userList;
    QLabel* m_userStatus;
    quint64 m_search = 0; ///< the newest search: older answers are dropped
};
