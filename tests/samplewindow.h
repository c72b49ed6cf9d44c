// SPDX-License-Identifier: MIT
#pragma once

#include "testutil.h"

#include "app/services/inspectorsession.h"
#include "ui/mainwindow.h"
#include "ui/runoptionsbar.h"

#include <QFile>
#include <QSize>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

/// How the window suites start: the sample pair copied into `dir` (writable), and the
/// inspector's main window recording its history in dir/history.sqlite, with the engine clock
/// fixed at 2024-06-01T12:00:00Z, shown at `size`. Null when a sample could not be copied or
/// the window was not shown.
inline std::unique_ptr<MainWindow> openSampleWindow(const QTemporaryDir& dir, QSize size)
{
    for (const char* name : {"local.json", "server.json"}) {
        const QString copy = dir.filePath(QString::fromUtf8(name));
        if (!QFile::copy(QString::fromStdString(testutil::samplePath(name)), copy))
            return nullptr;
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    }
    auto window = std::make_unique<MainWindow>();
    window->session()->setHistoryPath(dir.filePath(QStringLiteral("history.sqlite")));
    window->runOptions()->setFixedNow(testutil::ts("2024-06-01T12:00:00Z"));
    window->resize(size);
    window->show();
    return QTest::qWaitForWindowExposed(window.get()) ? std::move(window) : nullptr;
}
