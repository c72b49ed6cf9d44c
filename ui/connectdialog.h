// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include "app/services/serverclient.h"

class QLineEdit;

/// Asks where the live server is, the token, for a support token the user to inspect, and
/// the local file to sync against the server's data. The token stays in memory only.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(const ServerConnection& current, const QString& localPath, QWidget* parent = nullptr);

    [[nodiscard]] ServerConnection connection() const;
    [[nodiscard]] QString localPath() const;

private:
    void validate();

    QLineEdit* m_url;
    QLineEdit* m_token;
    QLineEdit* m_actAs;
    QLineEdit* m_local;
    QString m_deviceId;
};
