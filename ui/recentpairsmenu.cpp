// SPDX-License-Identifier: MIT
#include "ui/recentpairsmenu.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace {
const QString Key = u"recentPairs"_s;
}

RecentPairsMenu::RecentPairsMenu(const QString& title, QWidget* parent)
    : QMenu(title, parent)
{
    setObjectName(u"recentPairsMenu"_s);
    rebuild();
}

void RecentPairsMenu::add(const QString& local, const QString& server)
{
    QSettings settings;
    QStringList recent = settings.value(Key).toStringList();
    const QString entry = local + u'\n' + server;
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > MaxPairs)
        recent.removeLast();
    settings.setValue(Key, recent);
    rebuild();
}

void RecentPairsMenu::rebuild()
{
    clear();
    const QStringList recent = QSettings().value(Key).toStringList();
    for (const QString& entry : recent) {
        const QStringList parts = entry.split(u'\n');
        if (parts.size() != 2)
            continue;
        addAction(tr("%1 + %2").arg(parts[0], parts[1]), this, [this, parts] { Q_EMIT pairChosen(parts[0], parts[1]); });
    }
    setEnabled(!isEmpty());
}
