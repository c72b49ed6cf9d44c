// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include <functional>

class InspectorSession;
class QPushButton;
class QStatusBar;
class QWidget;
class ServerClient;
class TokenStore;

/// The window's side of a live server: the Connect dialog, the token store, the "another
/// device wrote" button, and what to do when the server moved on under an Apply.
class ServerLink : public QObject {
    Q_OBJECT
public:
    ServerLink(InspectorSession* session, QStatusBar* statusBar, QWidget* window);

    /// The session's client (the services own it).
    [[nodiscard]] ServerClient* client() const { return m_client; }
    [[nodiscard]] TokenStore* tokens() const { return m_tokens; }
    /// Called before every load; false stops it (the window applies its run options).
    void setBeforeLoad(std::function<bool()> check) { m_beforeLoad = std::move(check); }

    /// Asks for the server, the token and the local file, then syncs them.
    void askAndConnect(const QString& suggestedLocal);
    /// Syncs `localPath` against the user's data on the connected server.
    void connectTo(const QString& localPath);
    /// Fetches the server's data again and re-runs the sync on it, keeping the resolutions.
    void refetch();

private:
    InspectorSession* m_session;
    QStatusBar* m_statusBar;
    QWidget* m_window;
    ServerClient* m_client;
    TokenStore* m_tokens;
    QPushButton* m_remoteChanged;
    std::function<bool()> m_beforeLoad;
};
