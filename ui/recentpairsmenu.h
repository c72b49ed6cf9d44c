// SPDX-License-Identifier: MIT
#pragma once

#include <QMenu>

/// File > Open recent: the last local/server pairs that loaded, newest first, kept in the
/// settings (`recentPairs`).
class RecentPairsMenu : public QMenu {
    Q_OBJECT
public:
    static constexpr int MaxPairs = 8;

    explicit RecentPairsMenu(const QString& title, QWidget* parent = nullptr);
    /// Puts the pair first (once), drops the oldest beyond MaxPairs, and rebuilds the menu.
    void add(const QString& local, const QString& server);

Q_SIGNALS:
    void pairChosen(const QString& local, const QString& server);

private:
    void rebuild();
};
