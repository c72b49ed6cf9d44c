// SPDX-License-Identifier: MIT
// Runs the decksync command line as a real process, for the CLI suites.
#pragma once

#include "testutil.h"

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace clirun {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

inline Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(DECKSYNC_CLI_PATH), args);
    if (!p.waitForFinished(60000))
        qFatal("decksync did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

inline QString sample(const char* name) { return QString::fromStdString(testutil::samplePath(name)); }

inline QByteArray readBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace clirun
